"""Whether a decoded image dataset fits in memory (RAM, and VRAM when training on a GPU)."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from backend.core import messages
from backend.core.errors import DataError
from backend.core.host_memory import available_ram

MEMORY_FRACTION = 0.3  # never take more than this share of what is free


@dataclass(frozen=True)
class CacheDecision:
    in_memory: bool  # the decoded set fits the memory budget (on a GPU: its memory)
    reason: str
    disk: bool = False  # kept decoded in the disk cache (backend/data/decoded_cache.py) and memory-mapped


def device_budget(device: torch.device) -> int | None:
    """Bytes of data a run may keep on a CUDA ``device`` (its share of the free memory); None elsewhere
    (the data already in host memory stays where it is)."""
    if device.type != "cuda":
        return None
    free, _total = torch.cuda.mem_get_info(device)
    return int(free * MEMORY_FRACTION)


def decide_cache(
    mode: str, nbytes: int, device: torch.device | None = None, disk_room: int | None = None
) -> CacheDecision:
    """How a decoded image set of ``nbytes`` is held. ``disk_room``: the bytes the disk cache may take
    (None: no writable cache folder); with data.cache = 'auto' the set goes there when it fits, even
    when it does not fit in memory (it is memory-mapped), else into memory, else it is streamed."""
    size = messages.CACHE_SIZE.format(mib=nbytes / 2**20)
    if mode == "off":
        return CacheDecision(False, messages.CACHE_OFF.format(size=size))
    limit = int(available_ram() * MEMORY_FRACTION)
    where = messages.CACHE_IN_RAM
    if device is not None and device.type == "cuda":
        limit, where = min(limit, device_budget(device)), messages.CACHE_IN_GPU
    fits = nbytes <= limit
    if mode == "memory":
        if not fits and nbytes > available_ram():
            raise DataError(messages.ERR_CACHE_TOO_BIG.format(size=size))
        return CacheDecision(True, messages.CACHE_MEMORY.format(size=size))
    if disk_room is not None and nbytes <= disk_room:
        return CacheDecision(fits, messages.CACHE_DISK.format(size=size), disk=True)
    if fits:
        return CacheDecision(True, messages.CACHE_FITS.format(size=size, where=where))
    return CacheDecision(False, messages.CACHE_STREAMED.format(size=size, where=where))


def require_ram(count: int, channels: int, size: tuple[int, int], name: str) -> None:
    """DataError naming data.image_size when ``count`` uint8 images of ``size`` (H, W) cannot be
    held in the free RAM (for data that is always in memory: it cannot be streamed from disk)."""
    need, free = count * channels * size[0] * size[1], available_ram()
    if need > free:
        raise DataError(
            messages.ERR_IMAGES_TOO_BIG.format(
                count=count, name=name, height=size[0], width=size[1], need_gib=need / 2**30, free_gib=free / 2**30
            )
        )
