"""Training recipes that replace settings once the data is known: ``train.preset = "fast"``.

The fast recipe, in the spirit of airbench's CIFAR-10 runs: a batch as large as the data size
keeps useful on the device, SGD with Nesterov momentum under a OneCycle learning rate, label
smoothing for classification, and augmentation only where the data is large enough for it to pay
within a short run. On a GPU it keeps automatic mixed precision (AMP) and channels-last; the
image data is already GPU-resident there whenever it fits (backend/data/cache.py).

Every setting it replaces is returned (and reported by the trainer as a note, the run's
config.toml holds the values used): nothing is changed behind the user's back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch

from backend.core import messages
from backend.core.config import RunConfig
from backend.core.message_text import join_messages
from backend.core.schema import CLASSIFICATION_LOSSES, value_of
from backend.data.bundle import DataBundle

LARGE_SET = 20_000  # training samples from which augmentation pays (and a GPU takes its largest batch)
# A short run learns from optimizer steps more than from samples: the batch is the power of two that
# gives an epoch about STEPS_PER_EPOCH steps and the whole run about RUN_STEPS at least, within
# CPU_BATCH on a CPU (8,000 MNIST digits, 2 epochs: 64, at 97.95% validation accuracy after the first
# and 99.05% after both; 128: 97.0% and 98.6%. 1 epoch: 32, at 98.95%; 64: 98.15%). A GPU takes
# GPU_BATCH from LARGE_SET samples (a step of a small model costs about the same at 512 as at 64 there).
STEPS_PER_EPOCH = 125
RUN_STEPS = 250
CPU_BATCH = (16, 256)
GPU_BATCH = 512
PEAK_LR_AT_64 = 0.1  # SGD peak lr at batch 64, scaled by the square root of the batch (0.2 at 256)
MIN_STEPS = 8  # optimizer steps an epoch keeps at least (a small set gets a smaller batch)


@dataclass(frozen=True)
class Change:
    key: str
    old: Any
    new: Any


def fast_settings(data: DataBundle, device: torch.device, epochs: int) -> dict[str, Any]:
    """The settings the fast recipe picks for ``data`` trained on ``device`` for ``epochs`` (config key -> value)."""
    samples = len(data.y_train)
    large = samples >= LARGE_SET
    low, high = CPU_BATCH
    steps = max(STEPS_PER_EPOCH, RUN_STEPS / max(1, epochs))  # steps an epoch
    batch = min(max(low, 2 ** int(math.log2(max(1, samples / steps)))), high)
    if large and device.type == "cuda":
        batch = GPU_BATCH
    batch = max(1, min(batch, samples // MIN_STEPS))
    peak = PEAK_LR_AT_64 * math.sqrt(batch / 64)
    settings: dict[str, Any] = {
        "data.batch_size": batch,
        "optim.name": "sgd",
        "optim.lr": peak / 10,
        "optim.momentum": 0.9,
        "optim.nesterov": True,
        "optim.weight_decay": 5e-4,
        "schedule.name": "onecycle",
        "schedule.max_lr": peak,
        "schedule.pct_start": 0.2,
    }
    if data.task == "classification":
        settings["loss.label_smoothing"] = 0.1
    if data.is_image_data:
        grey = data.input_shape[0] == 1
        # Short runs on small sets reach a target sooner without augmentation; no mirroring for
        # grey images (digits, text).
        settings["data.augment"] = "light" if large and grey else "standard" if large else "none"
    if device.type == "cuda":
        settings["train.precision"] = "auto"  # bf16 (or fp16) autocast
        settings["train.channels_last"] = True
    return settings


def apply_preset(config: RunConfig, data: DataBundle, device: torch.device) -> list[Change]:
    """Set ``config`` (in place) to the recipe of ``train.preset`` for ``data``; the settings changed."""
    if config.train.preset != "fast":
        return []
    settings = fast_settings(data, device, config.train.epochs)
    if config.loss.name not in CLASSIFICATION_LOSSES:
        settings.pop("loss.label_smoothing", None)
    changes = []
    for key, new in settings.items():
        old = value_of(config, key)
        if old != new:
            section, _, name = key.partition(".")
            setattr(getattr(config, section), name, new)
            changes.append(Change(key, old, new))
    return changes


def preset_note(config: RunConfig, changes: list[Change]) -> str | None:
    """What the trainer reports about the recipe: the settings replaced (None without a preset)."""
    if config.train.preset == "default":
        return None
    if not changes:
        return messages.PRESET_NOTHING
    listed = join_messages(  # each change a message of its own: each one is translated
        (messages.PRESET_CHANGE_NEXT if i else messages.PRESET_CHANGE).format(key=c.key, old=c.old, new=c.new)
        for i, c in enumerate(changes)
    )
    return messages.PRESET_APPLIED.format(changes=listed)
