"""Run folders: runs/<YYYYmmdd-HHMMSS>-<name>/ with config.toml, metrics.jsonl and checkpoints/."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any, TextIO

from backend import messages
from backend.errors import TorchDeskError

METRICS_FILE = "metrics.jsonl"
CONFIG_FILE = "config.toml"
CHECKPOINT_DIR = "checkpoints"
WEIGHTS_FILE = "model.safetensors"


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "run"


def new_run_dir(runs_root: str | Path, name: str) -> Path:
    """A fresh timestamped folder; a numeric suffix keeps two runs in the same second apart."""
    root = Path(runs_root).expanduser()
    stem = f"{time.strftime('%Y%m%d-%H%M%S')}-{_slug(name)}"
    for i in range(1000):
        candidate = root / (stem if i == 0 else f"{stem}-{i}")
        try:
            candidate.mkdir(parents=True, exist_ok=False)
            return candidate
        except FileExistsError:
            continue
        except OSError as exc:
            raise TorchDeskError(messages.ERR_RUN_FOLDER.format(root=root, error=exc)) from None
    raise TorchDeskError(messages.ERR_TOO_MANY_RUNS.format(name=stem, root=root))


class MetricsWriter:
    """Appends one JSON event per line. Lines are flushed before every checkpoint."""

    def __init__(self, run_dir: Path, keep_lines: int | None = None) -> None:
        self.path = Path(run_dir) / METRICS_FILE
        if keep_lines is not None and self.path.exists():
            # On resume: drop what was logged after the checkpoint, since those steps run again.
            lines = self.path.read_text(encoding="utf-8").splitlines(keepends=True)[:keep_lines]
            self.path.write_text("".join(lines), encoding="utf-8")
        self.lines = keep_lines or 0
        self._fh: TextIO = self.path.open("a", encoding="utf-8")

    def write(self, event: dict[str, Any]) -> None:
        self._fh.write(json.dumps(event, allow_nan=True) + "\n")
        self.lines += 1

    def flush(self) -> None:
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()


def read_metrics(run_dir: str | Path) -> list[dict[str, Any]]:
    """Every event of a run, in order; a torn last line (a killed run) is skipped."""
    path = Path(run_dir) / METRICS_FILE
    events = []
    if not path.exists():
        return events
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return events


def run_summary(run_dir: Path) -> dict[str, Any]:
    events = read_metrics(run_dir)
    start = next((e for e in events if e.get("event") == "start"), {})
    end = next((e for e in reversed(events) if e.get("event") == "end"), None)
    epochs = [e for e in events if e.get("event") == "epoch"]
    return {
        "run_dir": str(run_dir),
        "name": start.get("name", run_dir.name),
        "started": start.get("started", ""),
        "status": end["status"] if end else "incomplete",
        "epochs_done": len(epochs),
        "monitor": start.get("monitor"),
        "best_metric": end.get("best_metric") if end else None,
        "last_checkpoint": str(run_dir / CHECKPOINT_DIR / "last.ckpt")
        if (run_dir / CHECKPOINT_DIR / "last.ckpt").exists()
        else None,
    }


def list_runs(runs_root: str | Path) -> list[dict[str, Any]]:
    """Summaries of the run folders under ``runs_root``, newest first."""
    root = Path(runs_root).expanduser()
    if not root.is_dir():
        return []
    dirs = [d for d in root.iterdir() if d.is_dir() and (d / METRICS_FILE).exists()]
    return [run_summary(d) for d in sorted(dirs, key=lambda d: d.name, reverse=True)]
