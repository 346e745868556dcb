"""What a checkpoint holds, assembled and restored in one place.

A checkpoint is the complete state of a run (minGPT/torchvision style): the model, optimizer,
schedule and gradient scaler, where the run is (``Progress``), the state of its policies (best
tracking, early stopping, the divergence guard), the random generators, the config, the metadata
that rebuilds the model, and how many metrics.jsonl lines belong to it. ``TrainingState``
assembles that dict and restores it; backend/store/checkpoint.py reads and writes the file and
backend/store/run_store.py decides where. With ``train.deterministic`` on the CPU, a run resumed
from a checkpoint ends bitwise as an uninterrupted one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import torch
from torch import nn

from backend.core import messages
from backend.core.config import RunConfig
from backend.core.errors import ConfigError
from backend.engine.divergence import DivergenceGuard
from backend.engine.optim import ScheduleStepper
from backend.engine.policies import BestTracker, EarlyStopping
from backend.engine.rng import capture_rng, restore_rng
from backend.store import checkpoint as ckpt
from backend.store.trust import metadata_config

CHECKPOINT_FORMAT = "torchdesk-checkpoint/1"


@dataclass
class Progress:
    """Where the run is; saved in every checkpoint so that a resume continues exactly there."""

    epoch: int = 0  # the epoch in progress, 0-based
    batch: int = 0  # batches already done in that epoch
    global_step: int = 0  # optimizer steps done
    loss_sum: float = 0.0  # this epoch's running sums, so that a mid-epoch resume reports the same metrics
    correct: int = 0
    seen: int = 0
    train_time_s: float = 0.0

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> Progress:
        """Its own keys of a checkpoint's ``progress``, which also holds the policies' state."""
        return cls(**{f.name: state[f.name] for f in fields(cls) if f.name in state})


def metrics_lines(state: dict[str, Any]) -> int:
    """The metrics.jsonl lines written when the checkpoint was (a resume drops the later ones)."""
    return state.get("metrics_lines", 0)


@dataclass
class TrainingState:
    """The live objects of a run that a checkpoint saves and a resume restores."""

    model: nn.Module
    optimizer: torch.optim.Optimizer
    schedule: ScheduleStepper
    scaler: torch.amp.GradScaler | None
    best: BestTracker
    early_stopping: EarlyStopping
    guard: DivergenceGuard
    progress: Progress

    def checkpoint(self, config: RunConfig, meta: dict[str, Any], lines: int) -> dict[str, Any]:
        """The checkpoint dict; ``lines``: the metrics.jsonl lines written so far."""
        p = self.progress
        return {
            "format": CHECKPOINT_FORMAT,
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.schedule.state_dict(),
            "scaler": self.scaler.state_dict() if self.scaler is not None else None,
            "epoch": p.epoch,
            "global_step": p.global_step,
            "progress": {**asdict(p), **self.best.state_dict(), **self.early_stopping.state_dict()},
            "divergence": self.guard.state_dict(),
            "rng": capture_rng(),
            "config": config.to_dict(),
            "meta": meta,
            "metrics_lines": lines,
        }

    def restore(self, state: dict[str, Any], config: RunConfig, source: Path) -> None:
        """Continue from a checkpoint dict read from ``source``; ConfigError when it does not fit ``config``."""
        # Read like config_from_checkpoint, to compare like with like; the model is built by now
        # (from config), so there is nothing left to trust.
        saved = metadata_config(state["config"], source, trusted=True)
        if asdict(saved.model) != asdict(config.model):
            raise ConfigError(messages.ERR_RESUME_MODEL.format(path=source))
        ckpt.load_model_state(self.model, state["model"], str(source))
        try:
            self.optimizer.load_state_dict(state["optimizer"])
            self.schedule.load_state_dict(state.get("scheduler"))
            if self.scaler is not None and state.get("scaler"):
                self.scaler.load_state_dict(state["scaler"])
        except (ValueError, KeyError, RuntimeError) as exc:
            raise ConfigError(
                messages.ERR_RESUME_OPTIMIZER.format(path=source, error=str(exc).splitlines()[0])
            ) from None
        self.progress = Progress.from_dict(state["progress"])
        self.best.load_state_dict(state["progress"])
        self.early_stopping.load_state_dict(state["progress"])
        self.guard.load_state_dict(state.get("divergence") or {})  # absent in checkpoints of older versions
        restore_rng(state["rng"])
