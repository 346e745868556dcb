"""Where the decoded image cache lives, how much it takes, and its removal (torch-free: the GUI
shows the size at start-up without importing torch). backend/data/decoded_cache.py writes and
reads the entries."""

from __future__ import annotations

import shutil
from pathlib import Path

from backend.core.paths import user_cache_dir

CACHE_FOLDER = "decoded-images"  # inside data.cache_dir


def cache_folder(cache_dir: str) -> Path:
    """Where decoded entries live: data.cache_dir, or the user's cache folder when it is empty."""
    base = Path(cache_dir).expanduser() if cache_dir else user_cache_dir()
    return base / CACHE_FOLDER


def cache_size(cache_dir: str) -> int:
    """Bytes the decoded cache takes on disk (partial writes included)."""
    folder = cache_folder(cache_dir)
    if not folder.is_dir():
        return 0
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def clear_cache(cache_dir: str) -> int:
    """Remove every decoded entry; returns the bytes freed. Runs that have an entry mapped keep
    reading it (POSIX keeps removed files readable while they are open)."""
    freed = cache_size(cache_dir)
    shutil.rmtree(cache_folder(cache_dir), ignore_errors=True)
    return freed
