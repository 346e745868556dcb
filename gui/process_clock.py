"""Seconds since the operating system started this process: start-up figures as a user meets them
(stdlib only, so ``python -c "import torch"`` can be timed on the same clock)."""

from __future__ import annotations

import os
import time
from pathlib import Path

_IMPORTED = time.perf_counter()


def seconds_since_process_start() -> float:
    """Wall time since the OS started this process (Linux /proc); since this import elsewhere."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[19])  # starttime, in clock ticks after boot
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _IMPORTED
