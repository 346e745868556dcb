"""Distributed data parallel under torchrun: process group, rank helpers and metric reduction."""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class DistContext:
    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def enabled(self) -> bool:
        return self.world > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    def all_reduce_sum(self, tensor: torch.Tensor) -> torch.Tensor:
        """Sum across ranks in place (no-op on one process)."""
        if self.enabled:
            dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
        return tensor


def setup_distributed(device_name: str) -> DistContext:
    """Join the process group that torchrun describes in the environment (WORLD_SIZE > 1)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return DistContext()
    rank = int(os.environ["RANK"])
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    if not dist.is_initialized():
        use_nccl = torch.cuda.is_available() and device_name != "cpu"
        if use_nccl:
            torch.cuda.set_device(local_rank)
        dist.init_process_group(backend="nccl" if use_nccl else "gloo")
    return DistContext(rank=rank, world=world, local_rank=local_rank)


def local_device_name(ctx: DistContext, device_name: str) -> str:
    """Under DDP each process trains on its own GPU (LOCAL_RANK)."""
    if ctx.enabled and device_name in ("auto", "cuda") and torch.cuda.is_available():
        return f"cuda:{ctx.local_rank}"
    return device_name


def teardown_distributed(ctx: DistContext, clean: bool) -> None:
    """``clean``: every rank got here normally, so wait for the others (after an error, don't: they may be gone)."""
    if ctx.enabled and dist.is_initialized():
        if clean:
            # Rank 0 may still be writing the run folder: tearing gloo down under it aborts the process.
            dist.barrier()
        dist.destroy_process_group()
