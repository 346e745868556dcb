"""The run folder of one fit: config.toml, metrics.jsonl, TensorBoard files, checkpoints and weights.

Only the main process of a distributed run has one. Every file it writes is atomic or appended.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from torch import nn

from backend import checkpoint as ckpt
from backend.atomic import atomic_write_with
from backend.config import RunConfig, save_config
from backend.runs import CHECKPOINT_DIR, CONFIG_FILE, WEIGHTS_FILE, MetricsWriter, new_run_dir


class RunStore:
    def __init__(self, run_dir: Path, config: RunConfig, keep_lines: int) -> None:
        self.run_dir = run_dir
        (run_dir / CHECKPOINT_DIR).mkdir(parents=True, exist_ok=True)
        save_config(config, run_dir / CONFIG_FILE)
        self.metrics = MetricsWriter(run_dir, keep_lines=keep_lines)
        self.tensorboard = None
        self.last_checkpoint: Path | None = None

    @classmethod
    def open(
        cls,
        config: RunConfig,
        run_dir: Path | None,
        resume_from: Path | None,
        resume_state: dict[str, Any] | None,
    ) -> RunStore:
        """A resumed run keeps its folder and drops the metrics logged after its checkpoint."""
        if resume_from is not None and resume_state is not None:
            folder = resume_from.parent.parent if resume_from.parent.name == CHECKPOINT_DIR else resume_from.parent
            store = cls(folder, config, resume_state.get("metrics_lines", 0))
            store.last_checkpoint = resume_from
            return store
        return cls(run_dir or new_run_dir(config.train.runs_dir, config.name), config, 0)

    def enable_tensorboard(self, model: nn.Module, sample: Any) -> str | None:
        """Start TensorBoard output; returns a warning when the model graph cannot be traced."""
        from backend.tensorboard_logger import TensorBoardLogger

        self.tensorboard = TensorBoardLogger(self.run_dir)
        return self.tensorboard.graph(model, sample)

    def record(self, event: dict[str, Any]) -> None:
        self.metrics.write(event)
        if self.tensorboard:
            self.tensorboard.event(event)

    def save_checkpoint(self, kind: str, state: Callable[[], dict[str, Any]]) -> Path:
        """checkpoints/<kind>.ckpt: ``last`` from ``state()``, ``best`` as a copy of the last one written."""
        path = self.run_dir / CHECKPOINT_DIR / f"{kind}.ckpt"
        self.metrics.flush()
        if kind == "best":
            with self.last_checkpoint.open("rb") as src:
                atomic_write_with(path, lambda fh: shutil.copyfileobj(src, fh))
        else:
            ckpt.save_checkpoint(path, state())
            self.last_checkpoint = path
        return path

    def write_weights(self, meta: dict[str, Any], current: Callable[[], dict]) -> Path:
        """model.safetensors of the best checkpoint's weights (the current ones if there is none yet)."""
        best = self.run_dir / CHECKPOINT_DIR / "best.ckpt"
        state = ckpt.load_checkpoint(best)["model"] if best.exists() else current()
        path = self.run_dir / WEIGHTS_FILE
        ckpt.write_safetensors(path, state, {"torchdesk": json.dumps(meta)})
        return path

    def close(self) -> None:
        self.metrics.close()
        if self.tensorboard:
            self.tensorboard.close()
