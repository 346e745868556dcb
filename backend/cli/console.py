"""What the CLI's commands share at the console: the run config as typed (file plus ``--set``), and a
one-line progress display on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from backend.core.config import RunConfig, apply_overrides, load_config, resolve_config_paths


def config_from_command_line(path: str, overrides: list[str] | None) -> RunConfig:
    """The config file with its ``--set`` overrides; a relative path in it means the current folder (saved
    absolute in a run's checkpoints, where relative paths would be read against the run folder)."""
    config = apply_overrides(load_config(path), overrides)
    resolve_config_paths(config, Path.cwd())
    return config


def _progress_line(fraction: float, text: str) -> None:
    sys.stderr.write(f"\r{text}\x1b[K")
    sys.stderr.flush()


def progress_display() -> Callable[[float, str], None] | None:
    """A progress callback that rewrites one line of a terminal; None for a log or a pipe (the result only)."""
    return _progress_line if sys.stderr.isatty() else None


def end_progress() -> None:
    """Leave the progress line (on a terminal) before the result is printed."""
    if sys.stderr.isatty():
        sys.stderr.write("\n")
