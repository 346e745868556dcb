"""One process writes a run folder at a time: the lock file ``<run>/.lock``.

The file holds the holder's PID, host and start time (JSON) and carries the operating system's
advisory lock (fcntl.flock on POSIX, msvcrt.locking on Windows) while the holder trains or
resumes the run. The OS drops that lock when the process ends, however it ends (a crash, a
SIGKILL), so a lock file found without a live lock is stale: the next run takes it over and
says so. A second writer is refused with a message that names the holder.
"""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path
from typing import Any

from backend.core import messages
from backend.core.errors import StorageError
from backend.core.os_errors import writing

LOCK_FILE = ".lock"
# msvcrt.locking forbids reading the bytes it locks: lock one far past the holder's text.
_WINDOWS_LOCK_OFFSET = 1 << 30
_HOLDER_WAIT_S = 1.0  # a holder writes its PID right after locking; a reader may come in between


def _try_lock(fd: int) -> bool | None:
    """True: locked; False: another process holds the lock; None: this file system has no locks."""
    if os.name == "nt":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:  # ENOLCK, EOPNOTSUPP: some network file systems
        return None
    return True


def _read_holder(fd: int) -> dict[str, Any]:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        holder = json.loads(os.read(fd, 4096).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


def _holder_alive(holder: dict[str, Any]) -> bool:
    """Without OS locks: a lock is live while its PID runs on this host (POSIX only)."""
    pid = holder.get("pid")
    if not isinstance(pid, int) or holder.get("host") != socket.gethostname() or os.name == "nt":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by another user
    return True


def _identity(stat: os.stat_result) -> tuple[int, int]:
    return stat.st_dev, stat.st_ino


def _describe(holder: dict[str, Any]) -> dict[str, Any]:
    return {
        "pid": holder.get("pid", "unknown"),
        "host": holder.get("host", "unknown host"),
        "started": holder.get("started", "an unknown time"),
    }


class RunLock:
    """The lock of one run folder, held from ``acquire`` to ``release``."""

    def __init__(self, path: Path, fd: int, identity: tuple[int, int], stale: dict[str, Any] | None) -> None:
        self.path = path
        self._fd: int | None = fd
        self._identity = identity
        self.stale_note = (
            messages.RUN_LOCK_STALE.format(path=path.parent, **_describe(stale)) if stale else None
        )  # a lock file left by a process that ended without releasing it

    @classmethod
    def acquire(cls, folder: Path) -> RunLock:
        """Lock ``folder`` (an existing folder) or raise StorageError naming the process that holds it."""
        path = Path(folder) / LOCK_FILE
        for _ in range(10):
            with writing(folder):  # names the folder: "runs/x is on a read-only file system"
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            locked = _try_lock(fd)
            if locked is None:
                locked = not _holder_alive(_read_holder(fd))
            if not locked:
                holder = _read_holder(fd)
                deadline = time.monotonic() + _HOLDER_WAIT_S
                while not holder and time.monotonic() < deadline:
                    time.sleep(0.05)
                    holder = _read_holder(fd)
                os.close(fd)
                raise StorageError(messages.ERR_RUN_LOCKED.format(path=folder, **_describe(holder)))
            identity = _identity(os.fstat(fd))
            try:
                same = _identity(os.stat(path)) == identity
            except OSError:
                same = False
            if not same:  # its holder removed it between our open and our lock: lock the new one
                os.close(fd)
                continue
            previous = _read_holder(fd)
            holder = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.strftime("%Y-%m-%d %H:%M:%S")}
            try:
                with writing(path):
                    os.ftruncate(fd, 0)
                    os.lseek(fd, 0, os.SEEK_SET)
                    os.write(fd, json.dumps(holder).encode("utf-8"))
            except StorageError:
                os.close(fd)
                raise
            return cls(path, fd, identity, previous or None)
        raise StorageError(messages.ERR_RUN_LOCKED.format(path=folder, **_describe({})))

    def release(self) -> None:
        """Remove the lock file and drop the lock; a second call does nothing."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if os.name == "nt":
            os.close(fd)  # Windows removes no open file; closing drops the lock
            self._remove_file()
        else:
            self._remove_file()  # removed while still locked: a waiting opener sees it is gone
            os.close(fd)

    def _remove_file(self) -> None:
        try:
            if _identity(os.stat(self.path)) == self._identity:
                os.unlink(self.path)
        except OSError:
            pass
