"""Weight initialisation schemes (``model.init``), applied after a model is built.

As in the tutorials: ``kaiming`` is He-normal (``fan_out`` for convolutions, as in their ResNet;
``fan_in`` for linear layers, which keeps the signal's scale through an MLP), ``xavier`` is
Glorot-normal, ``normal`` is N(0, 0.01). Biases start at 0 and normalisation layers at weight 1,
bias 0. Other parameters (attention projections, position embeddings, class tokens) keep the
model's own initialisation. ``default`` changes nothing.
"""

from __future__ import annotations

import torch
from torch import nn

from backend.core import messages
from backend.core.errors import ModelError

_CONV = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)
_NORM = (nn.modules.batchnorm._NormBase, nn.LayerNorm, nn.GroupNorm)


def _init_weight(weight: torch.Tensor, scheme: str, conv: bool) -> None:
    if scheme == "kaiming":
        nn.init.kaiming_normal_(weight, mode="fan_out" if conv else "fan_in", nonlinearity="relu")
    elif scheme == "xavier":
        nn.init.xavier_normal_(weight)
    else:
        nn.init.normal_(weight, 0.0, 0.01)


def apply_init(model: nn.Module, scheme: str) -> nn.Module:
    if scheme == "default":
        return model
    if scheme not in ("kaiming", "xavier", "normal"):
        raise ModelError(
            messages.ERR_CHOICE.format(path="model.init", allowed="default, kaiming, xavier, normal", value=scheme)
        )
    for module in model.modules():
        if isinstance(module, (*_CONV, nn.Linear)):
            _init_weight(module.weight, scheme, conv=isinstance(module, _CONV))
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, _NORM):
            if getattr(module, "weight", None) is not None:
                nn.init.ones_(module.weight)
            if getattr(module, "bias", None) is not None:
                nn.init.zeros_(module.bias)
    return model
