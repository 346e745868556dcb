"""The step's gradient norm (reported as grad_norm): the fused path gives torch's own value."""

from __future__ import annotations

import torch
from torch import nn

from backend.engine.trainer import total_grad_norm


def test_total_grad_norm_is_torchs_value_fused_or_grouped() -> None:
    generator = torch.Generator().manual_seed(0)
    grads = [torch.randn(256, 784, generator=generator), torch.randn(256, generator=generator), torch.randn(10, 256)]
    fused = total_grad_norm(grads, foreach=True, one_group=True)
    assert torch.allclose(fused, nn.utils.get_total_norm(grads), rtol=1e-6)
    mixed = [*grads, torch.randn(5, dtype=torch.float64, generator=generator)]  # two groups: torch groups them
    assert torch.allclose(
        total_grad_norm(mixed, foreach=True, one_group=False), nn.utils.get_total_norm(mixed), rtol=1e-6
    )
    assert torch.allclose(total_grad_norm(grads, foreach=None, one_group=True), fused, rtol=1e-6)  # no fused kernel
    assert float(total_grad_norm([], foreach=True, one_group=True)) == 0.0  # nothing trainable
