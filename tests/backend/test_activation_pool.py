"""ReLU's max-pool goes first in our CNNs: the same numbers, forward and backward, as the written
order (activation, then pool), with the same parameter names; other activations keep that order."""

from __future__ import annotations

import copy

import pytest
import torch
from torch import nn

from backend.core.config import RunConfig, apply_overrides
from backend.models.registry import build_model

pytestmark = pytest.mark.timeout(120)


def built(arch: str, activation: str, shape: tuple[int, int, int]) -> nn.Module:
    cfg = apply_overrides(RunConfig(), [f"model.arch='{arch}'", f"model.activation='{activation}'", "model.width=8"])
    torch.manual_seed(0)
    return build_model(cfg.model, shape, 10)


def written_order(model: nn.Module) -> nn.Module:
    """A copy of ``model`` whose features run every activation before the pool that follows it."""
    reference = copy.deepcopy(model)
    layers = list(reference.features)
    for i in range(len(layers) - 1):
        if isinstance(layers[i], nn.MaxPool2d) and isinstance(layers[i + 1], nn.ReLU):
            layers[i], layers[i + 1] = layers[i + 1], layers[i]
    reference.features = nn.Sequential(*layers)
    return reference


@pytest.mark.parametrize(("arch", "shape"), [("simple_cnn", (1, 28, 28)), ("vgg_small", (3, 16, 16))])
def test_pool_before_relu_gives_the_same_numbers_bit_for_bit(arch, shape):
    model = built(arch, "relu", shape)
    pools = [i for i, layer in enumerate(model.features) if isinstance(layer, nn.MaxPool2d)]
    assert pools and all(isinstance(model.features[i + 1], nn.ReLU) for i in pools)
    reference = written_order(model)
    assert [type(layer) for layer in reference.features] != [type(layer) for layer in model.features]
    assert model.state_dict().keys() == reference.state_dict().keys()  # checkpoints load either way
    torch.manual_seed(1)
    x = torch.randn(16, *shape).contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, 10, (16,))
    for net in (model, reference):
        net.train()
        nn.functional.cross_entropy(net(x), y).backward()
    assert torch.equal(model(x), reference(x))
    for (name, ours), (_, theirs) in zip(model.named_parameters(), reference.named_parameters(), strict=True):
        assert torch.equal(ours.grad, theirs.grad), name


@pytest.mark.parametrize("activation", ["gelu", "sigmoid", "leaky_relu"])
def test_other_activations_keep_the_written_order(activation):
    layers = list(built("simple_cnn", activation, (1, 28, 28)).features)
    pools = [i for i, layer in enumerate(layers) if isinstance(layer, nn.MaxPool2d)]
    assert pools == [2, 5] and not any(isinstance(layer, nn.ReLU) for layer in layers)
