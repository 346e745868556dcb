"""Device-name syntax (``auto``, ``cpu``, ``mps``, ``cuda``, ``cuda:N``), torch-free so that a
config validates without importing torch; backend/engine/device.py resolves the names."""

from __future__ import annotations

import re

from backend.core import messages
from backend.core.errors import ConfigError

_DEVICE_RE = re.compile(r"^(auto|cpu|mps|cuda(:\d+)?)$")
DEVICE_NAMES = "auto, cpu, cuda, cuda:N, mps"


def validate_device_name(name: str) -> None:
    if not _DEVICE_RE.match(name):
        raise ConfigError(
            messages.ERR_CHOICE.format(path="train.device", allowed=DEVICE_NAMES, value=name), field="train.device"
        )
