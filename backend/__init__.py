"""TorchDesk engine: the Qt-free training core (configs, data, models, trainer, run folders)."""

from importlib.metadata import PackageNotFoundError, version

# The one version string is pyproject.toml's; the installed metadata carries it (build.spec ships it).
try:
    __version__ = version("torchdesk")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
