"""Operating-system errors met while writing, as messages that name the path and the fix.

A read-only or full disk, a missing permission, a file where a folder is needed: bad input like
any other (DESIGN.md, Safety rules), never an internal error. ``storage_error`` turns such an
error into a StorageError; ``writing(path)`` does it around a block that writes ``path``;
``check_output_file`` refuses an output path that cannot become a file before any long work.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from backend.core import messages
from backend.core.errors import StorageError, TorchDeskError

# torch.save on a full disk raises RuntimeError("... unexpected pos 8576 vs 8470"), at times without
# the OSError attached: a failed write with less than this left free is taken for a full disk.
NEARLY_FULL_BYTES = 1 << 20
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_NO_PERMISSION = {errno.EACCES, errno.EPERM}
_NOT_A_FOLDER = {errno.ENOTDIR, errno.EEXIST}


def _os_error_in(exc: BaseException) -> OSError | None:
    """``exc`` itself or the OSError it was raised from (torch wraps a failed write in a RuntimeError)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, OSError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _existing_ancestor(path: Path) -> Path | None:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return None


def _file_in_the_way(path: Path) -> Path | None:
    """The file that stands where ``path`` needs a folder (``path`` itself or one of its parents)."""
    for candidate in reversed((path, *path.parents)):
        if candidate.exists() and not candidate.is_dir():
            return candidate
    return None


def _nearly_full(path: Path) -> bool:
    folder = _existing_ancestor(path)
    if folder is None:
        return False
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def storage_error(exc: BaseException, path: str | Path) -> StorageError | None:
    """The StorageError for ``exc``, raised while writing ``path``; None when it is not an OS error."""
    path = Path(path)
    if isinstance(exc, TorchDeskError) or not isinstance(exc, (OSError, RuntimeError)):
        return None
    os_error = _os_error_in(exc)
    code = os_error.errno if os_error is not None else None
    if code in _FULL or (os_error is None and _nearly_full(path)):
        return StorageError(messages.ERR_DISK_FULL.format(path=path))
    if os_error is None:
        return None
    if code == errno.EROFS:
        return StorageError(messages.ERR_READ_ONLY.format(path=path))
    if code == errno.EISDIR or (code in _NO_PERMISSION and os.name == "nt" and path.is_dir()):
        # (Windows says "permission denied" when a file is written over a folder)
        return StorageError(messages.ERR_IS_A_FOLDER.format(path=path))
    if code in _NO_PERMISSION:
        return StorageError(messages.ERR_NO_PERMISSION.format(path=path))
    blocker = _file_in_the_way(path) if code in _NOT_A_FOLDER else None
    if blocker is not None:
        return StorageError(messages.ERR_NOT_A_FOLDER.format(path=blocker))
    if code == errno.ENAMETOOLONG:
        return StorageError(messages.ERR_NAME_TOO_LONG.format(path=path))
    return StorageError(messages.ERR_CANNOT_WRITE.format(path=path, error=os_error.strerror or os_error))


@contextlib.contextmanager
def writing(path: str | Path) -> Iterator[None]:
    """Raise an OS error of the block as the StorageError that names ``path`` and the fix."""
    try:
        yield
    except (OSError, RuntimeError) as exc:
        error = storage_error(exc, path)
        if error is None:
            raise
        raise error from exc


def make_folder(path: str | Path) -> Path:
    """``path`` as an existing folder (made with its parents if needed)."""
    path = Path(path)
    with writing(path):
        path.mkdir(parents=True, exist_ok=True)
    return path


def check_output_file(path: str | Path, example_name: str) -> Path:
    """Refuse, before the work, an output path that is a folder or lies under a file."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise StorageError(messages.ERR_OUT_IS_FOLDER.format(path=path, example=path / example_name))
    blocker = _file_in_the_way(path.parent)
    if blocker is not None:
        raise StorageError(messages.ERR_NOT_A_FOLDER.format(path=blocker))
    return path


def check_output_folder(path: str | Path) -> Path:
    """Refuse, before the work, an output folder path that is a file or lies under one."""
    path = Path(path).expanduser()
    blocker = _file_in_the_way(path)
    if blocker is not None:
        raise StorageError(messages.ERR_NOT_A_FOLDER.format(path=blocker))
    return path
