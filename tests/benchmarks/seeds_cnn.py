"""The tutorials' 2-conv CNN as a user's script has it, for the benchmarks' seeds side.

TorchDesk's simple_cnn pools before ReLU (backend/models/activation_pool.py: the same numbers,
faster); the tutorials write each block conv, ReLU, max-pool. The network is built by TorchDesk's
registry (so both sides start from the same weights) and put back in the written order.
"""

from __future__ import annotations

from torch import nn

from backend.core.config import RunConfig
from backend.models.registry import build_model


def seeds_cnn(input_shape: tuple[int, int, int], classes: int) -> nn.Module:
    cfg = RunConfig().model
    cfg.arch, cfg.hidden_sizes = "simple_cnn", [128]
    model = build_model(cfg, input_shape, classes)
    conv1, pool1, relu1, conv2, pool2, relu2 = model.features
    assert isinstance(pool1, nn.MaxPool2d) and isinstance(relu1, nn.ReLU)
    model.features = nn.Sequential(conv1, relu1, pool1, conv2, relu2, pool2)
    return model
