"""The one place that reads and writes user settings (QSettings, INI format).

Keys are ``section/key``; every read passes ``type=`` so values come back with the right
Python type on every platform. ``SETTINGS_VERSION`` lets later releases migrate old keys.
Tests redirect the INI folder with ``QSettings.setPath`` so they never touch real settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QStandardPaths

ORGANIZATION = "TorchDesk"
APPLICATION = "TorchDesk"
SETTINGS_VERSION = 1

# Keys, in one list so a typo is a NameError rather than a silently new key.
WINDOW_GEOMETRY = "window/geometry"
WINDOW_STATE = "window/state"
WINDOW_SPLITTER = "window/splitter"
WINDOW_RUN_TAB = "window/run_tab"  # Curves, Confusion matrix, ... in the run view
UI_THEME = "ui/theme"  # "system", "light" or "dark"
UI_LANGUAGE = "ui/language"  # "system", "en" or "zh_CN" (gui.i18n)
UI_LOG_VISIBLE = "ui/log_visible"
PATHS_RUNS_DIR = "paths/runs_dir"
PATHS_CONFIG_DIR = "paths/config_dir"  # folder of the last opened or saved config
FILES_RECENT = "files/recent_configs"
SESSION_CONFIG = "session/config"  # the run configuration shown when the app was closed (TOML text)
META_VERSION = "meta/settings_version"

THEMES = ("system", "light", "dark")
MAX_RECENT = 8


def _store() -> QSettings:
    # Explicit INI format and names: independent of QCoreApplication names, and the same
    # file layout on every platform (tests redirect it with QSettings.setPath).
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def value(key: str, default: Any, type_: type) -> Any:
    """Read one setting; a missing or unreadable value gives ``default``."""
    try:
        result = _store().value(key, default, type=type_)
    except (TypeError, ValueError):
        return default
    return default if result is None else result


def set_value(key: str, data: Any) -> None:
    _store().setValue(key, data)


def remove(key: str) -> None:
    _store().remove(key)


def sync() -> None:
    _store().sync()


def file_path() -> str:
    """Where the settings live (shown in Help > About)."""
    return _store().fileName()


def migrate() -> None:
    """Bring settings written by older versions up to ``SETTINGS_VERSION``."""
    store = _store()
    version = int(store.value(META_VERSION, 0, type=int))
    if version < 1:
        # Version 0 had no keys worth keeping; only record the version.
        store.setValue(META_VERSION, 1)
    store.sync()


def default_runs_dir() -> str:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    base = Path(documents) if documents else Path.home()
    return str(base / "TorchDesk" / "runs")


def runs_dir() -> str:
    return value(PATHS_RUNS_DIR, default_runs_dir(), str) or default_runs_dir()


def theme() -> str:
    name = value(UI_THEME, "system", str)
    return name if name in THEMES else "system"


def recent_configs() -> list[str]:
    items = value(FILES_RECENT, [], list)
    return [str(x) for x in items if x][:MAX_RECENT]


def add_recent_config(path: str) -> list[str]:
    items = [path] + [p for p in recent_configs() if p != path]
    items = items[:MAX_RECENT]
    set_value(FILES_RECENT, items)
    return items
