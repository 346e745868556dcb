"""The tutorials' two-convolution network: (conv, ReLU, max-pool) x 2, then two linear layers.

With ReLU the pool comes before the activation: the same numbers, faster (see activation_pool).
"""

from __future__ import annotations

import torch
from torch import nn

from backend.core import messages
from backend.core.config import ModelConfig
from backend.core.errors import ModelError
from backend.models.activation_pool import activation_and_pool
from backend.models.mlp import ACTIVATION_LAYERS


class SimpleCNN(nn.Module):
    def __init__(self, in_channels: int, height: int, width: int, num_outputs: int, cfg: ModelConfig) -> None:
        super().__init__()
        act = ACTIVATION_LAYERS[cfg.activation]
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 32, kernel_size=3, padding=1),
            *activation_and_pool(cfg.activation),
            nn.Conv2d(32, 64, kernel_size=3, padding=1),
            *activation_and_pool(cfg.activation),
        )
        # The convolutions keep the size (padding 1) and each pool halves it, rounding down.
        flat = 64 * (height // 4) * (width // 4)
        hidden = cfg.hidden_sizes[0] if cfg.hidden_sizes else 128
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(flat, hidden),
            act(),
            nn.Dropout(cfg.dropout),
            nn.Linear(hidden, num_outputs),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))


def build_simple_cnn(cfg: ModelConfig, input_shape: tuple[int, ...], num_outputs: int) -> nn.Module:
    if len(input_shape) != 3:
        raise ModelError(
            messages.ERR_MODEL_NEEDS_IMAGES.format(arch="simple_cnn", dims=len(input_shape), shape=tuple(input_shape))
        )
    channels, height, width = input_shape
    if height < 4 or width < 4:
        raise ModelError(messages.ERR_SIMPLE_CNN_TOO_SMALL.format(height=height, width=width))
    return SimpleCNN(channels, height, width, num_outputs, cfg)
