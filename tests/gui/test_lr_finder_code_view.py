"""Tools > Find learning rate (the dialog on a Task, Apply) and the Code tab / File > Export as Python script."""

from __future__ import annotations

import ast

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from backend.core.config import RunConfig
from gui import show_code
from gui.dialogs.lr_finder_dialog import LrFinderDialog


def _config() -> RunConfig:
    config = RunConfig(name="lr")
    config.train.device, config.train.precision = "cpu", "fp32"
    return config


def test_lr_finder_dialog_runs_marks_the_suggestion_and_applies(qtbot) -> None:
    dialog = LrFinderDialog(_config)
    qtbot.addWidget(dialog)
    dialog.steps.setValue(30)
    dialog.end_lr.setValue(1.0)
    with qtbot.waitSignal(dialog.task.sig_finished, timeout=60_000):
        assert dialog.start()
        assert dialog.cancel_button.isEnabled() and not dialog.run_button.isEnabled()
    assert dialog.suggestion is not None and dialog.chosen == dialog.suggestion
    assert "steepest" in dialog.suggestion_label.text() or "lowest" in dialog.suggestion_label.text()
    assert dialog.suggested_line.isVisible() and len(dialog.curve.getData()[0]) == len(dialog.lrs) >= 5
    dialog.choose(dialog.lrs[3])  # as a click on the curve does
    with qtbot.waitSignal(dialog.sig_apply) as applied:
        dialog.apply_button.click()
    assert applied.args[0] == float(f"{dialog.lrs[3]:.3g}")


def test_apply_sets_the_lr_and_the_onecycle_peak(window) -> None:
    show_code.apply_learning_rate(window, 0.02)
    assert window.collect_config().optim.lr == 0.02
    config = window.collect_config()
    config.schedule.name = "onecycle"
    window.apply_config(config)
    show_code.apply_learning_rate(window, 0.03)
    config = window.collect_config()
    assert (config.optim.lr, config.schedule.max_lr) == (0.03, 0.03)


def test_code_tab_follows_the_settings_and_exports(window, qtbot, tmp_path, monkeypatch) -> None:
    show_code.show_code_tab(window)
    view = window.code_view
    qtbot.waitUntil(lambda: "class MLP(nn.Module)" in view.code(), timeout=5000)
    assert view.editor.isReadOnly()
    ast.parse(view.code())
    config = window.collect_config()
    config.model.arch = "simple_cnn"
    window.apply_config(config)
    qtbot.waitUntil(lambda: "class SimpleCNN(nn.Module)" in view.code(), timeout=5000)
    view.copy()
    assert QGuiApplication.clipboard().text() == view.code()
    out = tmp_path / "train.py"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    assert show_code.export_script(window) == str(out)
    assert out.read_text() == view.code()
    config.model.arch = "file:/nowhere/net.py:Net"
    window.apply_config(config)
    qtbot.waitUntil(lambda: view.note.isVisible(), timeout=5000)
    assert "model.arch" in view.note.text() and view.code() == ""
    assert not view.copy_button.isEnabled()
