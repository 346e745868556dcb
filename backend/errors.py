"""Typed errors a user can cause. Each message names the problem and the fix.

The CLI prints ``str(error)`` and exits 2; the GUI shows it in a dialog and keeps running. The
messages are made from the ``ERR_*`` templates of backend/messages.py, so the GUI can translate them.
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
