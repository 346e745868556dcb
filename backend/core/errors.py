"""Typed errors a user can cause. Each message names the problem and the fix.

The CLI prints ``str(error)`` and exits 2; the GUI shows it in a dialog and keeps running. The
messages are made from the ``ERR_*`` templates of backend/core/messages.py, so the GUI can translate them.
"""


class TorchDeskError(Exception):
    """Base class for every error caused by user input (config, data, files, devices)."""


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
