"""Start-up: torchvision only when used, Start queued while PyTorch loads, the last session
restored, File > New run, a window that fits a 1366x768 screen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QRect, Qt
from PySide6.QtWidgets import QTabBar

pytestmark = pytest.mark.timeout(90, method="thread")
ROOT = Path(__file__).resolve().parents[2]


def _close(win) -> None:  # noqa: ANN001 - MainWindow
    """Close as the user does (saving the session), then destroy it in the GUI thread."""
    win.controller.shutdown()
    win.error_dialog.close()
    win.close()
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(win)


@pytest.fixture
def new_window(qtbot, tmp_path):
    """A factory of main windows as the app builds them (no catalogue: it loads on a thread)."""
    from gui.main_window import MainWindow

    made = []

    def make(catalog=None):  # noqa: ANN001, ANN202
        win = MainWindow(catalog=catalog)
        made.append(win)
        win.show()
        qtbot.waitExposed(win)
        return win

    yield make
    for win in made:
        if shiboken6.isValid(win):
            win.catalog_loader.shutdown()
            _close(win)


def test_catalogue_and_a_digits_mlp_run_do_not_import_torchvision(tmp_path):
    code = f"""
import sys
from gui.catalog import load_catalog
catalog = load_catalog()
assert "tv:resnet18" in catalog.models and "ResNet-18" in catalog.models["tv:resnet18"]
assert "torchvision" not in sys.modules, "the catalogue imported torchvision"
from backend.core.config import RunConfig
from backend.engine.trainer import fit
config = RunConfig()
config.train.epochs = 1
config.train.runs_dir = {str(tmp_path)!r}
assert fit(config)["status"] == "completed"
assert "torchvision" not in sys.modules, "training the digits MLP imported torchvision"
"""
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)


def test_start_pressed_while_pytorch_loads_is_queued_then_runs(new_window, qtbot, tmp_path):
    win = new_window()
    assert win.catalog is None
    assert win.state_label.text() == "Loading PyTorch…"
    assert "Loading PyTorch" in win.statusBar().currentMessage()
    win.train_panel.runs_dir.set_path(str(tmp_path / "runs"))
    win.train_panel.epochs.setValue(1)
    assert win.run_bar.start_button.isEnabled()
    qtbot.mouseClick(win.run_bar.start_button, Qt.MouseButton.LeftButton)
    assert win.start_queued and win.run_bar.start_button.text() == "Queued…"
    qtbot.mouseClick(win.run_bar.start_button, Qt.MouseButton.LeftButton)  # pressed again: cancelled
    assert not win.start_queued and win.run_bar.start_button.text() == "Start"
    qtbot.mouseClick(win.run_bar.start_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(win.controller.sig_finished, timeout=60_000) as finished:
        win.start_catalog_load()  # the real loader: the catalogue arrives as the task's partial result
    assert win.catalog is not None and not win.start_queued
    assert finished.args[0]["status"] == "completed"
    assert Path(finished.args[0]["run_dir"]).parent == tmp_path / "runs"
    qtbot.waitUntil(lambda: not win.catalog_loader.is_running(), timeout=30_000)  # the compile check


def test_the_last_session_is_restored_and_new_run_resets(new_window, catalog, monkeypatch):
    from gui import settings, window_state
    from gui.config_files import default_config
    from gui.widgets import set_combo_key

    monkeypatch.setattr(window_state, "available_area", lambda window: QRect(0, 0, 1920, 1080))
    win = new_window(catalog)
    set_combo_key(win.dataset_panel.name, "iris")
    set_combo_key(win.optim_panel.name, "sgd")
    win.optim_panel.lr.setValue(0.0123)
    win.train_panel.epochs.setValue(7)
    win.run_view.tabs.setCurrentIndex(3)
    win.resize(1200, 740)
    expected = win.collect_config()
    _close(win)

    again = new_window(catalog)
    restored = again.collect_config()
    assert restored.to_dict() == expected.to_dict()
    assert (restored.optim.name, restored.optim.lr, restored.train.epochs) == ("sgd", pytest.approx(0.0123), 7)
    assert restored.data.name == "iris"
    assert again.run_view.tabs.currentIndex() == 3
    assert again.height() == 740  # (Qt clamps the width to the offscreen screen's 800 px, then the layout's minimum)

    assert again.menu_actions["new"].shortcut().toString() == "Ctrl+N"
    again.menu_actions["new"].trigger()  # File > New run
    assert again.collect_config().to_dict() == default_config().to_dict()
    _close(again)
    assert 'name = "sgd"' not in settings.value(settings.SESSION_CONFIG, "", str)


def test_a_broken_saved_session_gives_the_defaults_and_says_so(new_window, catalog):
    from gui import settings
    from gui.config_files import default_config

    settings.set_value(settings.SESSION_CONFIG, "[optim]\nfoo = 1\n")  # a key an older version had
    win = new_window(catalog)
    assert win.collect_config().to_dict() == default_config().to_dict()
    note = win.statusBar().currentMessage()
    assert "could not be restored" in note and "optim.foo" in note


@pytest.mark.parametrize("saved", [False, True], ids=["first start", "saved on a larger screen"])
def test_the_window_fits_a_1366x768_screen(new_window, catalog, monkeypatch, qtbot, saved):
    from gui import window_state

    area = QRect(0, 0, 1366, 768)
    monkeypatch.setattr(window_state, "available_area", lambda window: area)
    if saved:  # the user's size on a 1920x1080 screen, restored on the laptop
        big = new_window(catalog)
        big.setGeometry(100, 100, 1800, 1000)
        _close(big)
    win = new_window(catalog)
    frame = win.frameGeometry()
    assert area.contains(frame), (frame, area)
    status = win.statusBar()
    assert status.isVisible() and win.rect().contains(status.geometry())
    # (After restoreState, Qt keeps an unused tab bar out of sight at negative coordinates.)
    dock_tabs = [bar for bar in win.findChildren(QTabBar) if bar.count() == 2 and bar.tabText(0) in ("Events", "Runs")]

    def tabs_in_view() -> bool:  # once the restored dock layout is applied
        return any(
            bar.isVisible() and win.rect().contains(QRect(bar.mapTo(win, bar.rect().topLeft()), bar.size()))
            for bar in dock_tabs
        )

    qtbot.waitUntil(tabs_in_view, timeout=3000)


def test_a_restored_custom_model_file_is_not_imported_at_start(new_window, catalog, tmp_path):
    from gui import settings

    code = tmp_path / "net.py"
    marker = tmp_path / "ran"
    code.write_text(f"open({str(marker)!r}, 'w').close()\nimport torch\nNet = torch.nn.Linear\n")
    settings.set_value(settings.SESSION_CONFIG, f'[model]\narch = "file:{code}:Net"\n')
    win = new_window(catalog)
    assert not win.collect_config().model.arch.startswith("file:")
    note = win.statusBar().currentMessage()
    assert str(code) in note and "runs its code" in note
    assert not marker.exists()
