"""Fine-tuning: which parameters are the head, freezing the backbone, per-group learning rates.

The head is the final layer that maps features to the outputs: the one a different number of
classes replaces (``fc`` of a ResNet, ``heads.head`` of a ViT, the last Linear of an MLP). Every
other parameter is the backbone. A custom model may name its head itself with a
``head_module_names`` attribute (a tuple of sub-module names).
"""

from __future__ import annotations

from typing import Any

from torch import nn

from backend.core import messages
from backend.core.config import ModelConfig
from backend.core.errors import ModelError

HEAD_ATTR = "torchdesk_head"  # set by build_model: tuple of sub-module names
USER_HEAD_ATTR = "head_module_names"  # a custom model may define it
_OUTPUT_LAYERS = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Bilinear)


def unwrap(model: nn.Module) -> nn.Module:
    """The user's model inside DistributedDataParallel/DataParallel and torch.compile wrappers."""
    while True:
        if isinstance(model, (nn.parallel.DistributedDataParallel, nn.DataParallel)):
            model = model.module
        elif hasattr(model, "_orig_mod") and isinstance(model._orig_mod, nn.Module):
            model = model._orig_mod
        else:
            return model


def _out_size(module: nn.Module) -> int | None:
    if isinstance(module, (nn.Linear, nn.Bilinear)):
        return module.out_features
    if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        return module.out_channels
    return None


def find_head(model: nn.Module, num_outputs: int | None = None) -> tuple[str, ...]:
    """Name of the output layer: the last registered Linear/Conv producing ``num_outputs`` values,
    else the last registered module that holds parameters itself."""
    model = unwrap(model)
    user = getattr(model, USER_HEAD_ATTR, None)
    if user:
        names = (user,) if isinstance(user, str) else tuple(user)
        for name in names:
            try:
                model.get_submodule(name)
            except AttributeError:
                raise ModelError(
                    messages.ERR_HEAD_NOT_SUBMODULE.format(
                        cls=type(model).__name__, attribute=USER_HEAD_ATTR, name=name
                    )
                ) from None
        return names
    modules = list(model.named_modules())
    if num_outputs is not None:
        for name, module in reversed(modules):
            if isinstance(module, _OUTPUT_LAYERS) and _out_size(module) == num_outputs:
                return (name,)
    for name, module in reversed(modules):
        if any(True for _ in module.parameters(recurse=False)):
            return (name,)
    return ()


def mark_head(model: nn.Module, num_outputs: int) -> None:
    """Record the head's module names on the model (``build_model`` calls it)."""
    setattr(unwrap(model), HEAD_ATTR, find_head(model, num_outputs))


def head_parameter_names(model: nn.Module) -> list[str]:
    """Names (as in ``model.named_parameters()``) of the head's parameters, for any built model."""
    inner = unwrap(model)
    heads = getattr(inner, HEAD_ATTR, None)
    if heads is None:
        heads = find_head(inner)
    prefixes = tuple(f"{h}." if h else "" for h in heads)
    return [name for name, _ in inner.named_parameters() if any(name.startswith(p) for p in prefixes)]


def split_parameters(model: nn.Module) -> tuple[list[tuple[str, nn.Parameter]], list[tuple[str, nn.Parameter]]]:
    """(head, backbone) as lists of (name, parameter), in ``named_parameters`` order."""
    inner = unwrap(model)
    head_names = set(head_parameter_names(inner))
    head, backbone = [], []
    for name, param in inner.named_parameters():
        (head if name in head_names else backbone).append((name, param))
    return head, backbone


def freeze_backbone(model: nn.Module) -> int:
    """Stop gradients for every non-head parameter; returns how many parameters (numel) were frozen.
    BatchNorm running statistics still follow the new data in training mode, as in the tutorials."""
    head, backbone = split_parameters(model)
    if not head:
        raise ModelError(messages.ERR_FREEZE_NO_HEAD.format(cls=type(unwrap(model)).__name__))
    frozen = 0
    for _, param in backbone:
        param.requires_grad_(False)
        frozen += param.numel()
    return frozen


def param_groups(model: nn.Module, cfg: ModelConfig, base_lr: float) -> list[dict[str, Any]]:
    """Optimizer parameter groups for ``cfg``: the head at ``base_lr``, the backbone at
    ``base_lr * cfg.backbone_lr_scale``; frozen parameters (requires_grad False) are left out.

    With no freezing and a scale of 1 it is one group of the trainable parameters in
    ``model.parameters()`` order, as the optimizer got before (checkpoints stay compatible). Each group carries
    ``name`` ("all", "head", "backbone") and ``lr_scale`` (its lr / base_lr), which schedulers that
    take absolute learning rates (OneCycle's max_lr) multiply by.
    """
    trainable = [p for p in unwrap(model).parameters() if p.requires_grad]
    if not cfg.freeze_backbone and cfg.backbone_lr_scale == 1.0:
        return [{"params": trainable, "lr": base_lr, "name": "all", "lr_scale": 1.0}]
    head, backbone = split_parameters(model)
    groups = [{"params": [p for _, p in head if p.requires_grad], "lr": base_lr, "name": "head", "lr_scale": 1.0}]
    if not cfg.freeze_backbone:
        groups.append(
            {
                "params": [p for _, p in backbone if p.requires_grad],
                "lr": base_lr * cfg.backbone_lr_scale,
                "name": "backbone",
                "lr_scale": cfg.backbone_lr_scale,
            }
        )
    groups = [g for g in groups if g["params"]]
    if not groups:
        raise ModelError(messages.ERR_NO_TRAINABLE)
    return groups
