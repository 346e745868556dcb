"""Shuffled index batches over in-memory tensors, reproducible and resumable.

The order of an epoch depends only on (seed, epoch), never on the global RNG, so a resumed
run rebuilds it exactly and skips the batches it had already done.
"""

from __future__ import annotations

import torch


def epoch_order(seed: int, epoch: int, n: int, rank: int = 0, world: int = 1) -> torch.Tensor:
    """A permutation of range(n) for this epoch, this rank's shard when training on several processes."""
    generator = torch.Generator().manual_seed(seed * 1_000_003 + epoch)
    order = torch.randperm(n, generator=generator)
    if world > 1:
        # Like DistributedSampler: pad by wrapping so that every rank gets the same number of samples.
        padded = -(-n // world) * world
        order = torch.cat([order, order[: padded - n]])[rank::world]
    return order


def index_batches(order: torch.Tensor, batch_size: int) -> list[torch.Tensor]:
    batches = list(order.split(batch_size))
    # A last batch of one sample breaks BatchNorm in train mode and adds only noise: drop it.
    if len(batches) > 1 and len(batches[-1]) == 1:
        batches.pop()
    return batches


def batches_per_epoch(n: int, batch_size: int, world: int = 1) -> int:
    return len(index_batches(torch.arange(-(-n // world)), batch_size))
