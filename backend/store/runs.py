"""Run folders: runs/<YYYYmmdd-HHMMSS>-<name>/ with config.toml, metrics.jsonl and checkpoints/."""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import tomllib

from backend.core import messages
from backend.core.errors import StorageError, TorchDeskError
from backend.core.os_errors import writing
from backend.core.schema import HEADLINE_METRIC, HIGHER_IS_BETTER, SUMMARY_METRICS

METRICS_FILE = "metrics.jsonl"
CONFIG_FILE = "config.toml"
CHECKPOINT_DIR = "checkpoints"
WEIGHTS_FILE = "model.safetensors"

DIVERGED = "diverged"
# Logs written before exploding losses were covered name the status (and the event) "nan".
_DIVERGED_NAMES = (DIVERGED, "nan")


def is_diverged(status: Any) -> bool:
    """True for the end status (or event name) of a diverged run, including the older "nan"."""
    return status in _DIVERGED_NAMES


# The name part of a run folder: a file name is at most 255 bytes on common file systems, and a longer
# run name made the folder impossible to create ("File name too long" as an internal error).
MAX_SLUG_CHARS = 80


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name)[:MAX_SLUG_CHARS].strip("-") or "run"


def new_run_dir(runs_root: str | Path, name: str) -> Path:
    """A fresh timestamped folder; a numeric suffix keeps two runs in the same second apart."""
    root = Path(runs_root).expanduser()
    stem = f"{time.strftime('%Y%m%d-%H%M%S')}-{_slug(name)}"
    for i in range(1000):
        candidate = root / (stem if i == 0 else f"{stem}-{i}")
        with writing(candidate):
            if candidate.exists():  # (inside: exists() raises for a runs folder whose own name is too long)
                continue
            try:
                candidate.mkdir(parents=True, exist_ok=False)
                return candidate
            except FileExistsError:
                if candidate.is_dir():  # made by another run this very second
                    continue
                raise
    raise TorchDeskError(messages.ERR_TOO_MANY_RUNS.format(name=stem, root=root))


def run_files(folder: Path) -> list[str]:
    """The files of a run that ``folder`` holds (config, metrics, weights, checkpoints)."""
    names = [name for name in (CONFIG_FILE, METRICS_FILE, WEIGHTS_FILE) if (folder / name).is_file()]
    checkpoints = folder / CHECKPOINT_DIR
    if checkpoints.is_dir():
        names += sorted(f"{CHECKPOINT_DIR}/{p.name}" for p in checkpoints.glob("*.ckpt"))
    return names


class MetricsWriter:
    """Appends one JSON event per line. Lines are flushed before every checkpoint.

    A write that fails (disk full ...) raises a StorageError once; the events after it are dropped,
    so that reporting the failure does not fail again.
    """

    def __init__(self, run_dir: Path, keep_lines: int | None = None) -> None:
        self.path = Path(run_dir) / METRICS_FILE
        self.failed = False
        with writing(self.path):
            if keep_lines is not None and self.path.exists():
                # On resume: drop what was logged after the checkpoint, since those steps run again.
                # Truncated in place: this needs no free space, so a full disk cannot tear the file.
                lines = self.path.read_bytes().splitlines(keepends=True)[:keep_lines]
                os.truncate(self.path, sum(len(line) for line in lines))
            self._fh: TextIO = self.path.open("a", encoding="utf-8")
        self.lines = keep_lines or 0

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        try:
            with writing(self.path):
                yield
        except StorageError:
            self.failed = True
            raise

    def write(self, event: dict[str, Any]) -> None:
        if self.failed:
            return
        with self._writing():
            self._fh.write(json.dumps(event, allow_nan=True) + "\n")
        self.lines += 1

    def flush(self) -> None:
        if not self.failed:
            with self._writing():
                self._fh.flush()

    def close(self) -> None:
        """Close the file; after a failed write, quietly (the failure was raised already)."""
        if self._fh.closed:
            return
        if self.failed:
            with contextlib.suppress(OSError):
                self._fh.close()
            return
        with self._writing():
            self._fh.close()


def read_metrics(run_dir: str | Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Every event of a run, in order (the first ``limit`` lines only, if given); a torn last line
    (a killed run) is skipped."""
    path = Path(run_dir) / METRICS_FILE
    events = []
    if not path.exists():
        return events
    for line in path.read_text(encoding="utf-8").splitlines()[:limit]:
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return events


def epoch_metrics(epochs: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """{"final": the last epoch's metrics, "best": each metric's best value} over epoch events
    (SUMMARY_METRICS only; values that are not finite numbers are left out)."""

    def metrics(event: dict[str, Any]) -> dict[str, float]:
        values = ((key, event.get(key)) for key in SUMMARY_METRICS)
        return {k: float(v) for k, v in values if isinstance(v, (int, float)) and math.isfinite(v)}

    best: dict[str, float] = {}
    for event in epochs:
        for key, value in metrics(event).items():
            held = best.get(key)
            if held is None or (value > held if key in HIGHER_IS_BETTER else value < held):
                best[key] = value
    return {"final": metrics(epochs[-1]) if epochs else {}, "best": best}


def flat_params(config: dict[str, Any]) -> dict[str, Any]:
    """A nested config dict as flat ``section.key`` values."""
    flat: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}{key}.", inner)
        else:
            flat[prefix[:-1]] = value

    walk("", config)
    return flat


def shown_metrics(task: str, final: dict[str, float], best: dict[str, float]) -> list[tuple[str, float, float | None]]:
    """(metric, final value, best value) of what a user reads first at the end of a run: the task's
    headline metric (accuracy, mean absolute error), then the validation loss; those the run reported."""
    keys = (HEADLINE_METRIC.get(task, "val_loss"), "val_loss")
    return [(key, final[key], best.get(key)) for key in dict.fromkeys(keys) if key in final]


def config_params(run_dir: Path) -> dict[str, Any]:
    """The run's config.toml as flat ``section.key`` values (the run's name left out); {} if unreadable."""
    try:
        with (run_dir / CONFIG_FILE).open("rb") as fh:
            flat = flat_params(tomllib.load(fh))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    flat.pop("name", None)
    return flat


def run_summary(run_dir: Path) -> dict[str, Any]:
    """What the runs list shows of one run. A diverged run (also "nan" in older logs) has no best metric."""
    events = read_metrics(run_dir)
    starts = [e for e in events if e.get("event") == "start"]
    start = starts[0] if starts else {}
    end = next((e for e in reversed(events) if e.get("event") == "end"), None)
    epochs = [e for e in events if e.get("event") == "epoch"]
    status = end["status"] if end else "incomplete"
    diverged = is_diverged(status)
    best = end.get("best_metric") if end and not diverged else None
    monitor = start.get("monitor")
    task = str(start.get("task") or "classification")
    return {
        "run_dir": str(run_dir),
        "name": start.get("name", run_dir.name),
        "started": start.get("started", ""),
        "status": DIVERGED if diverged else status,
        "epochs_done": len(epochs),
        "epochs_planned": int(starts[-1].get("epochs") or 0) if starts else 0,  # the latest resume's plan
        "task": task,
        "headline": HEADLINE_METRIC.get(task, "val_loss"),
        **epoch_metrics(epochs),
        "params": config_params(run_dir),
        "monitor": monitor,
        # Older logs do not say the direction.
        "mode": start.get("mode") or ("max" if monitor in HIGHER_IS_BETTER else "min"),
        "best_metric": best if isinstance(best, (int, float)) and math.isfinite(best) else None,
        "is_best": False,
        "last_checkpoint": str(run_dir / CHECKPOINT_DIR / "last.ckpt")
        if (run_dir / CHECKPOINT_DIR / "last.ckpt").exists()
        else None,
    }


def mark_best_runs(runs: list[dict[str, Any]]) -> None:
    """Set ``is_best`` on the run with the best metric of each monitor. Only runs that ended without
    diverging have a best metric (run_summary), so a diverged run is never the best one."""
    best: dict[str, dict[str, Any]] = {}
    for run in runs:
        value, key = run["best_metric"], f"{run['monitor']}/{run['mode']}"
        if value is None:
            continue
        held = best.get(key)
        if held is None or (value > held["best_metric"] if run["mode"] == "max" else value < held["best_metric"]):
            best[key] = run
    for run in best.values():
        run["is_best"] = True


def is_finished(run: dict[str, Any]) -> bool:
    """A run (a ``run_summary``) that has trained every epoch it planned: resuming it trains nothing more."""
    return 0 < run.get("epochs_planned", 0) <= run.get("epochs_done", 0)


def differing_params(runs: list[dict[str, Any]]) -> list[str]:
    """The config keys whose values are not the same in all ``runs`` (a key one run lacks differs), sorted."""
    if len(runs) < 2:
        return []
    keys = sorted(set().union(*(run["params"] for run in runs)))
    missing = object()
    return [key for key in keys if len({repr(run["params"].get(key, missing)) for run in runs}) > 1]


def seed_groups(runs: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Runs whose configs differ only in ``seed``, grouped (groups of two or more, in list order)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for run in runs:
        if not run["params"]:
            continue
        rest = {k: v for k, v in run["params"].items() if k != "seed"}
        groups.setdefault(repr(sorted(rest.items())), []).append(run)
    return [group for group in groups.values() if len(group) > 1]


def list_runs(runs_root: str | Path) -> list[dict[str, Any]]:
    """Summaries of the run folders under ``runs_root``, newest first, the best of each monitor marked."""
    root = Path(runs_root).expanduser()
    if not root.is_dir():
        return []
    dirs = [d for d in root.iterdir() if d.is_dir() and (d / METRICS_FILE).exists()]
    runs = [run_summary(d) for d in sorted(dirs, key=lambda d: d.name, reverse=True)]
    mark_best_runs(runs)
    return runs
