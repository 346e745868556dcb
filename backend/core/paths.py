"""Where things are: bundled resources (from source or a frozen bundle) and the user's own folders.

A user's data (settings, runs, logs) never goes inside the application folder, which may be
read-only in an installed or frozen app.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "TorchDesk"


def is_frozen() -> bool:
    """True inside a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False))


def bundle_root() -> Path:
    """The folder that holds ``resources/``: the repository from source, ``sys._MEIPASS`` when frozen."""
    meipass = getattr(sys, "_MEIPASS", None)
    return Path(meipass) if meipass else Path(__file__).resolve().parents[2]


def resource_path(*parts: str) -> Path:
    """A file under resources/ (icons, translations, example configs), from source and frozen alike."""
    return bundle_root().joinpath("resources", *parts)


def _env_dir(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    # The XDG spec says relative values are invalid and must be ignored.
    return Path(value) if value and Path(value).is_absolute() else default


def _user_base(kind: str) -> Path:
    home = Path.home()
    if sys.platform == "win32":
        if kind == "config":
            return _env_dir("APPDATA", home / "AppData" / "Roaming") / APP_NAME
        base = _env_dir("LOCALAPPDATA", home / "AppData" / "Local") / APP_NAME
        sub = {"logs": "Logs", "cache": "Cache"}.get(kind)
        return base / sub if sub else base
    if sys.platform == "darwin":
        if kind == "logs":
            return home / "Library" / "Logs" / APP_NAME
        if kind == "cache":
            return home / "Library" / "Caches" / APP_NAME
        return home / "Library" / "Application Support" / APP_NAME
    env, default = {
        "config": ("XDG_CONFIG_HOME", home / ".config"),
        "data": ("XDG_DATA_HOME", home / ".local" / "share"),
        "logs": ("XDG_STATE_HOME", home / ".local" / "state"),
        "cache": ("XDG_CACHE_HOME", home / ".cache"),
    }[kind]
    base = _env_dir(env, default) / APP_NAME.lower()
    return base / "logs" if kind == "logs" else base


def user_data_dir() -> Path:
    """Runs and other files the user makes (the GUI's default runs folder lives here)."""
    return _user_base("data")


def user_config_dir() -> Path:
    return _user_base("config")


def user_log_dir() -> Path:
    """Crash logs and other diagnostics (``$XDG_STATE_HOME/torchdesk/logs`` on Linux)."""
    return _user_base("logs")


def user_cache_dir() -> Path:
    """Files that can be made again (the decoded image cache): ``$XDG_CACHE_HOME/torchdesk`` on Linux."""
    return _user_base("cache")


def default_runs_dir() -> Path:
    return user_data_dir() / "runs"
