"""GUI test fixtures: offscreen Qt, settings in a temporary folder, a preloaded catalogue."""

from __future__ import annotations

import os

# Before any QApplication exists: no display is needed, and none is used.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory, tmp_path):
    """Redirect every QSettings file to a fresh folder so tests never touch the user's settings."""
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "user"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.SystemScope, str(folder / "system"))
    from gui import settings

    settings.set_value(settings.PATHS_RUNS_DIR, str(tmp_path / "runs"))
    settings.set_value(settings.UI_LANGUAGE, "en")  # English whatever this machine's locale
    yield folder


@pytest.fixture(autouse=True)
def no_thread_destroyed_warning(qtlog):
    """No test may leave a QThread running when it is destroyed."""
    yield
    bad = [r.message for r in qtlog.records if "Destroyed while thread" in r.message]
    assert not bad, bad


@pytest.fixture(scope="session")
def catalog():
    """The backend catalogue, loaded once (importing torch is the slow part)."""
    from gui.catalog import load_catalog

    return load_catalog()


@pytest.fixture
def window(qtbot, catalog, tmp_path):
    """A main window with the catalogue loaded and a small, fast default run."""
    from gui.main_window import MainWindow

    win = MainWindow(catalog=catalog)
    win.train_panel.runs_dir.set_path(str(tmp_path / "runs"))
    win.train_panel.epochs.setValue(2)
    win.show()
    qtbot.waitExposed(win)
    yield win
    # Never leave a training thread behind, whatever the test did; then close without asking
    # (qtbot.addWidget is not used: it would close the window first, and closing during a
    # run opens the modal "Stop training?" question).
    win.controller.shutdown()
    win.error_dialog.close()
    win.close()
    win.deleteLater()
