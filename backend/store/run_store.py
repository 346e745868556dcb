"""The run folder of one fit: config.toml, metrics.jsonl, TensorBoard files, checkpoints and weights.

Only the main process of a distributed run has one. Every file it writes is atomic or appended.
A run folder belongs to one run and is locked while a process writes it (backend/store/run_lock.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from torch import nn

from backend.core import messages
from backend.core.atomic import atomic_write_with
from backend.core.config import RunConfig, save_config
from backend.core.errors import StorageError
from backend.core.os_errors import make_folder, writing
from backend.store import checkpoint as ckpt
from backend.store.run_lock import RunLock
from backend.store.runs import (
    CHECKPOINT_DIR,
    CONFIG_FILE,
    METRICS_FILE,
    WEIGHTS_FILE,
    MetricsWriter,
    new_run_dir,
    run_files,
)


@dataclass
class RunFolder:
    """A run folder locked by this process, with the notes to report about it."""

    path: Path
    lock: RunLock
    notes: list[str] = field(default_factory=list)

    @classmethod
    def lock(cls, path: Path) -> RunFolder:
        lock = RunLock.acquire(path)
        return cls(path, lock, [lock.stale_note] if lock.stale_note else [])


def run_folder_of_checkpoint(path: Path) -> Path:
    return path.parent.parent if path.parent.name == CHECKPOINT_DIR else path.parent


def claim_run_folder(run_dir: Path | None, resume_from: Path | None, overwrite: bool = False) -> RunFolder | None:
    """Lock the folder a run will write before the run loads anything.

    That is the run folder of ``resume_from``, or ``run_dir``, which must not hold another run:
    ``overwrite`` moves such a run aside (renamed, never deleted). None when the run gets a new
    timestamped folder, which ``RunStore.open`` makes and locks.
    """
    if resume_from is not None:
        if not Path(resume_from).is_file():
            return None  # loading it says what is wrong
        return RunFolder.lock(run_folder_of_checkpoint(Path(resume_from)))
    if run_dir is None:
        return None
    enclosing = _enclosing_run(Path(run_dir).expanduser())
    if enclosing is not None:
        raise StorageError(messages.ERR_RUN_DIR_INSIDE_RUN.format(path=run_dir, run=enclosing))
    path = make_folder(Path(run_dir).expanduser())
    claimed = RunFolder.lock(path)
    found = run_files(path)
    if not found:
        return claimed
    claimed.lock.release()
    if not overwrite:
        resumable = (path / CHECKPOINT_DIR / "last.ckpt").is_file()
        template = messages.ERR_RUN_DIR_HAS_RUN if resumable else messages.ERR_RUN_DIR_HAS_STUB
        raise StorageError(template.format(path=path, files=", ".join(found)))
    aside = _aside(path)
    with writing(path):
        os.rename(path, aside)
    claimed = RunFolder.lock(make_folder(path))
    claimed.notes.append(messages.RUN_MOVED_ASIDE.format(path=path, aside=aside))
    return claimed


def _enclosing_run(path: Path) -> Path | None:
    """The run folder that ``path`` lies inside (its checkpoints/ folder, for example), if any: a run
    written there would mix its files into that run's. Only a metrics log or a checkpoint marks a run,
    so that a stray config.toml in a parent folder is no reason to refuse."""
    for folder in path.resolve().parents:
        if (folder / METRICS_FILE).is_file() or any((folder / CHECKPOINT_DIR).glob("*.ckpt")):
            return folder
    return None


def _aside(path: Path) -> Path:
    stem = f"{path.name}.old-{time.strftime('%Y%m%d-%H%M%S')}"
    candidate, i = path.with_name(stem), 1
    while candidate.exists():
        candidate, i = path.with_name(f"{stem}-{i}"), i + 1
    return candidate


class RunStore:
    def __init__(self, folder: RunFolder, config: RunConfig, keep_lines: int) -> None:
        self.folder = folder
        self.run_dir = folder.path
        self.tensorboard = None
        self.last_checkpoint: Path | None = None
        self.metrics: MetricsWriter | None = None
        make_folder(self.run_dir / CHECKPOINT_DIR)
        save_config(config, self.run_dir / CONFIG_FILE)
        self.metrics = MetricsWriter(self.run_dir, keep_lines=keep_lines)

    @classmethod
    def open(
        cls,
        config: RunConfig,
        folder: RunFolder | None,
        resume_from: Path | None = None,
        keep_lines: int = 0,
    ) -> RunStore:
        """Open ``folder`` (from claim_run_folder), else a new timestamped one.

        A run resumed from the checkpoint ``resume_from`` keeps its folder and the first
        ``keep_lines`` lines of metrics.jsonl: those logged after its checkpoint are dropped.
        """
        if folder is None:
            folder = RunFolder.lock(new_run_dir(config.train.runs_dir, config.name))
        try:
            store = cls(folder, config, keep_lines)
            store.last_checkpoint = resume_from
            return store
        except BaseException:
            folder.lock.release()
            raise

    @contextlib.contextmanager
    def _stopping(self) -> Iterator[None]:
        """A write that fails in the middle of a run names the last good checkpoint, which it left intact."""
        try:
            yield
        except StorageError as exc:
            if self.last_checkpoint is None:
                raise
            raise StorageError(messages.ERR_RUN_STOPPED_OS.format(error=exc, checkpoint=self.last_checkpoint)) from exc

    def enable_tensorboard(self, model: nn.Module, sample: Any) -> str | None:
        """Start TensorBoard output; returns a warning when the model graph cannot be traced."""
        from backend.store.tensorboard_logger import TensorBoardLogger

        self.tensorboard = TensorBoardLogger(self.run_dir)
        return self.tensorboard.graph(model, sample)

    def record(self, event: dict[str, Any]) -> None:
        with self._stopping():
            self.metrics.write(event)
        if self.tensorboard:
            self.tensorboard.event(event)

    def save_checkpoint(self, kind: str, state: Callable[[], dict[str, Any]]) -> Path:
        """checkpoints/<kind>.ckpt: ``last`` from ``state()``, ``best`` as a copy of the last one written."""
        path = self.run_dir / CHECKPOINT_DIR / f"{kind}.ckpt"
        with self._stopping():
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
        with self._stopping():
            ckpt.write_safetensors(path, state, {"torchdesk": json.dumps(meta)})
        return path

    def close(self, quiet: bool = False) -> None:
        """Flush and close the files and unlock the folder; ``quiet``: after an error, raise nothing more."""
        try:
            if self.metrics is not None:
                with self._stopping():
                    self.metrics.close()
        except StorageError:
            if not quiet:
                raise
        finally:
            if self.tensorboard:
                self.tensorboard.close()
                self.tensorboard = None
            self.folder.lock.release()
