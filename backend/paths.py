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


def resource_path(*parts: str) -> Path:
    """A file under resources/, both from a source checkout and from a frozen bundle."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[1]))
    return base.joinpath("resources", *parts)


def _user_base(kind: str) -> Path:
    home = Path.home()
    if sys.platform == "win32":
        root = Path(os.environ.get("LOCALAPPDATA" if kind != "config" else "APPDATA", home / "AppData" / "Roaming"))
        return root / APP_NAME / ("Logs" if kind == "logs" else "")
    if sys.platform == "darwin":
        if kind == "logs":
            return home / "Library" / "Logs" / APP_NAME
        return home / "Library" / "Application Support" / APP_NAME
    env, default = {
        "config": ("XDG_CONFIG_HOME", home / ".config"),
        "data": ("XDG_DATA_HOME", home / ".local" / "share"),
        "logs": ("XDG_STATE_HOME", home / ".local" / "state"),
    }[kind]
    return Path(os.environ.get(env) or default) / APP_NAME.lower()


def user_data_dir() -> Path:
    """Runs and other files the user makes (the GUI's default runs folder lives here)."""
    return _user_base("data")


def user_config_dir() -> Path:
    return _user_base("config")


def user_log_dir() -> Path:
    return _user_base("logs") / ("logs" if sys.platform not in ("win32", "darwin") else "")


def default_runs_dir() -> Path:
    return user_data_dir() / "runs"
