"""TorchDesk engine: the Qt-free training core (configs, data, models, trainer, run folders)."""

__version__ = "0.1.0"
