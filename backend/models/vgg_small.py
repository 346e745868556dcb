"""The tutorials' VGG-style CNN: three blocks of (conv-BN-ReLU) x 2 + max-pool, then a dropout classifier.

With ReLU each block's last pool comes before its last activation: the same numbers, faster (see
activation_pool).

Widths are ``width``, 2 x ``width``, 4 x ``width`` (64/128/256 in the tutorials); the classifier is
global average pooling, a hidden linear layer (``hidden_sizes[0]``, 128 by default), the
activation, dropout and the output layer.
"""

from __future__ import annotations

import torch
from torch import nn

from backend.core import messages
from backend.core.config import ModelConfig
from backend.core.errors import ModelError
from backend.models.activation_pool import activation_and_pool
from backend.models.mlp import ACTIVATION_LAYERS

MIN_SIDE = 8  # three 2x2 max-pools


class VGGSmall(nn.Module):
    def __init__(
        self,
        in_channels: int,
        num_outputs: int,
        width: int = 64,
        hidden: int = 128,
        dropout: float = 0.5,
        activation: str = "relu",
    ) -> None:
        super().__init__()
        act = ACTIVATION_LAYERS[activation]
        layers: list[nn.Module] = []
        channels = in_channels
        for block in range(3):
            out = width * 2**block
            for conv in range(2):
                layers += [nn.Conv2d(channels, out, kernel_size=3, padding=1), nn.BatchNorm2d(out)]
                layers += [act()] if conv == 0 else activation_and_pool(activation)  # and the pool
                channels = out
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(
            nn.AdaptiveAvgPool2d((1, 1)),
            nn.Flatten(),
            nn.Linear(channels, hidden),
            act(),
            nn.Dropout(dropout),
            nn.Linear(hidden, num_outputs),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))


def build_vgg_small(cfg: ModelConfig, input_shape: tuple[int, ...], num_outputs: int) -> nn.Module:
    if len(input_shape) != 3:
        raise ModelError(
            messages.ERR_MODEL_NEEDS_IMAGES.format(arch="vgg_small", dims=len(input_shape), shape=tuple(input_shape))
        )
    channels, height, width = input_shape
    if height < MIN_SIDE or width < MIN_SIDE:
        raise ModelError(messages.ERR_VGG_TOO_SMALL.format(side=MIN_SIDE, height=height, width=width))
    hidden = cfg.hidden_sizes[0] if cfg.hidden_sizes else 128
    return VGGSmall(channels, num_outputs, cfg.width, hidden, cfg.dropout, cfg.activation)
