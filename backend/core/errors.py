"""Typed errors a user can cause. Each message names the problem and the fix.

The CLI prints ``str(error)`` and exits 2; the GUI shows ``error.message`` in a dialog and keeps
running. The messages are made from the ``ERR_*`` templates of backend/core/messages.py, and a
filled template keeps its template and values (backend/core/message_text.py), so the GUI
translates it by look-up. An error caused by one config value names it in ``field`` (``optim.lr``),
so the GUI can show that field's label and highlight it.
"""

from __future__ import annotations


def first_line(exc: BaseException) -> str:
    """The first line of an exception's text (a library's message can run to pages), or its type's name."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def error_summary(exc: BaseException) -> str:
    """``Type: first line`` of an exception raised by a library or by the user's own code."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0]}" if text else type(exc).__name__


class TorchDeskError(Exception):
    """Base class for every error caused by user input (config, data, files, devices)."""

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    @property
    def message(self) -> str:
        """The message as it was made: a ``Message`` (template and values) when it came from a template."""
        return self.args[0] if self.args and isinstance(self.args[0], str) else str(self)


class ConfigError(TorchDeskError):
    """A run configuration is malformed or holds a value outside its allowed range."""


class DataError(TorchDeskError):
    """A dataset cannot be found, read or used as configured."""


class ModelError(TorchDeskError):
    """A model cannot be built, or does not fit the dataset."""


class DeviceError(TorchDeskError):
    """The requested device or precision is not available on this machine."""


class CheckpointError(TorchDeskError):
    """A checkpoint or weights file is missing, corrupt, foreign or incompatible."""


class StorageError(TorchDeskError):
    """A file or folder cannot be written (disk full, read-only, no permission, a file where a folder
    is needed), or a run folder is taken: in use by another process, or holding another run."""


class UntrustedCodeError(CheckpointError):
    """A file would run Python code when loaded (a pickle, or a model file its metadata names) and the
    user has not trusted it. ``path`` is the file holding the code, ``sha256`` its hash and ``source``
    the file that was being loaded, so that the app can ask "trust and run it?" and retry."""

    def __init__(self, message: str, *, path: str = "", sha256: str = "", source: str = "") -> None:
        super().__init__(message)
        self.path, self.sha256, self.source = path, sha256, source
