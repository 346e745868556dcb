"""Divergence in the GUI: a warning before Start for values far outside their usual range (never a
refusal), a diverged run reported as such, and never marked best in the runs list."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from gui.panels.runs_panel import BEST, STATUS

pytestmark = pytest.mark.timeout(90, method="thread")


def _press_start(window, qtbot) -> None:
    qtbot.mouseClick(window.run_bar.start_button, Qt.MouseButton.LeftButton)


def test_unusual_learning_rate_asks_then_starts_when_accepted(window, qtbot):
    window.optim_panel.lr.setValue(5.0)
    _press_start(window, qtbot)
    dialog = window.unusual_dialog
    assert dialog.isVisible()
    assert not window.controller.is_running()  # asked, not refused, not started
    assert "Start anyway?" in dialog.text()
    assert "Learning rate (optim.lr) = 5: usually 1e-06 to 1" in dialog.informativeText()
    assert window.run_bar.start_button.isEnabled()  # the panels stay usable while it asks

    with qtbot.waitSignal(window.controller.sig_finished, timeout=60_000) as finished:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        assert window.controller.is_running()
    assert not dialog.isVisible()
    summary = finished.args[0]
    # AdamW at lr 5 explodes within a few steps: stopped as diverged, shown in the error dialog.
    assert summary["status"] == "diverged"
    assert window.error_dialog.isVisible()
    assert window.error_dialog.windowTitle() == "Training stopped: the loss diverged"
    assert "the training loss diverged at epoch 1" in window.error_dialog.message.text()
    assert "Run stopped: the loss diverged" in window.statusBar().currentMessage()
    run_dir = Path(summary["run_dir"])
    assert not (run_dir / "model.safetensors").exists()

    with qtbot.waitSignal(window.runs_panel.sig_refreshed, timeout=10_000):
        window.runs_panel.refresh()
    item = window.runs_panel.table.topLevelItem(0)
    assert item.text(BEST) == "—" and item.text(STATUS).startswith("diverged")
    assert window.runs_panel.best_run_dirs() == []


def test_cancel_keeps_the_run_from_starting(window, qtbot):
    window.optim_panel.lr.setValue(5.0)
    _press_start(window, qtbot)
    assert window.unusual_dialog.isVisible()
    qtbot.mouseClick(window.unusual_dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not window.unusual_dialog.isVisible()
    assert not window.controller.is_running()
    # Asked again at the next Start: a cancelled warning is not a confirmation.
    _press_start(window, qtbot)
    assert window.unusual_dialog.isVisible() and not window.controller.is_running()
    window.unusual_dialog.close()


def test_a_changed_value_after_confirming_asks_again(window, qtbot):
    window.optim_panel.lr.setValue(5.0)
    _press_start(window, qtbot)
    window.optim_panel.lr.setValue(50.0)  # the dialog is non-modal: the panels can change meanwhile
    qtbot.mouseClick(window.unusual_dialog.start_button, Qt.MouseButton.LeftButton)
    assert not window.controller.is_running()
    assert window.unusual_dialog.isVisible()
    assert "= 50: usually" in window.unusual_dialog.informativeText()
    window.unusual_dialog.close()


def test_usual_values_start_without_asking(window, qtbot):
    with qtbot.waitSignal(window.controller.sig_finished, timeout=60_000) as finished:
        _press_start(window, qtbot)
        assert window.controller.is_running()
        assert not window.unusual_dialog.isVisible()
        window.controller.stop()
    assert finished.args[0]["status"] in ("stopped", "completed")


def test_runs_list_never_marks_a_diverged_run_best(window, qtbot, tmp_path):
    from backend.core.config import RunConfig
    from backend.engine.trainer import fit

    root = tmp_path / "listed"
    for name, lr in (("healthy", 1e-3), ("exploded", 1e9)):
        config = RunConfig(name=name)
        config.train.runs_dir, config.train.epochs, config.optim.lr = str(root), 1, lr
        fit(config)
    with qtbot.waitSignal(window.runs_panel.sig_refreshed, timeout=10_000):
        window.train_panel.runs_dir.set_path(str(root))
        window.runs_panel.refresh()
    qtbot.waitUntil(lambda: window.runs_panel.run_count() == 2, timeout=10_000)
    table = window.runs_panel.table
    rows = {table.topLevelItem(i).text(0): table.topLevelItem(i) for i in range(2)}
    assert rows["exploded"].text(BEST) == "—"
    assert rows["exploded"].text(STATUS).startswith("diverged")
    assert rows["healthy"].text(BEST).startswith("★ ")
    [best] = window.runs_panel.best_run_dirs()
    assert best.endswith("healthy")
