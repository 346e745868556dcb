"""Atomic file writes: a temporary file in the same folder, flush, fsync, os.replace.

A crash or a kill at any moment leaves either the old file or the new one, never a torn one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from backend.core.os_errors import storage_error


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "wb") -> Iterator[IO]:
    """An OS error (disk full, read-only ...) leaves the old file as it was and is raised as a StorageError."""
    path = Path(path)
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as fh:
            # mkstemp creates 0600; keep an existing file's mode, else the usual 0644.
            os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
    except BaseException as exc:
        # Judged before the temporary file is removed: a full disk is told by the space it left.
        error = storage_error(exc, path)
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if error is not None:
            raise error from exc
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not every platform lets a folder be opened.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_text(path: Path, text: str) -> None:
    with atomic_open(path, "w") as fh:
        fh.write(text)


def atomic_write_with(path: Path, writer: Callable[[IO], None]) -> None:
    """Let ``writer`` fill a binary file handle (``torch.save(obj, fh)`` for example)."""
    with atomic_open(path, "wb") as fh:
        writer(fh)
