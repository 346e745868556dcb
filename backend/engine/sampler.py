"""Shuffled index batches over in-memory tensors, reproducible and resumable.

The order of an epoch depends only on (seed, epoch), never on the global RNG, so a resumed
run rebuilds it exactly and skips the batches it had already done.
"""

from __future__ import annotations

import torch


def epoch_order(
    seed: int, epoch: int, n: int, rank: int = 0, world: int = 1, balance_labels: torch.Tensor | None = None
) -> torch.Tensor:
    """A permutation of range(n) for this epoch, this rank's shard when training on several processes.

    With ``balance_labels``, n indices are drawn with replacement so that every class is equally
    likely (the tutorials' BalancedSampler), still from the (seed, epoch) generator.
    """
    generator = torch.Generator().manual_seed(seed * 1_000_003 + epoch)
    if balance_labels is not None:
        counts = torch.bincount(balance_labels)
        weights = 1.0 / counts[balance_labels].double()
        order = torch.multinomial(weights, n, replacement=True, generator=generator)
    else:
        order = torch.randperm(n, generator=generator)
    if world > 1:
        # Like DistributedSampler: pad by wrapping so that every rank gets the same number of samples.
        padded = -(-n // world) * world
        order = torch.cat([order, order[: padded - n]])[rank::world]
    return order


def index_batches(order: torch.Tensor, batch_size: int, drop_last: bool = False) -> list[torch.Tensor]:
    batches = list(order.split(batch_size))
    if drop_last and len(batches) > 1 and len(batches[-1]) < batch_size:
        batches.pop()
    # A last batch of one sample breaks BatchNorm in train mode and adds only noise: drop it.
    if len(batches) > 1 and len(batches[-1]) == 1:
        batches.pop()
    return batches
