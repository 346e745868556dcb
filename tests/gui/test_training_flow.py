"""End-to-end GUI flows: train, stop, pause/resume, errors, closing during a run."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

# "thread": a hang inside a Qt modal loop never returns to Python, so signals cannot end it.
pytestmark = pytest.mark.timeout(60, method="thread")


def test_default_config_is_digits_mlp(window):
    config = window.collect_config()
    assert (config.data.source, config.data.name, config.model.arch) == ("builtin", "digits", "mlp")
    assert config.name == "digits-mlp"
    assert window.findChild(object, "startButton").isEnabled()
    for name in (
        "datasetSource",
        "modelArch",
        "optimizerName",
        "deviceChoice",
        "epochsSpin",
        "startButton",
        "pauseButton",
        "stopButton",
        "lossPlot",
        "accuracyPlot",
        "runProgress",
    ):
        assert window.findChild(object, name) is not None, name


def test_full_run(window, qtbot, tmp_path):
    with qtbot.waitSignal(window.controller.sig_finished, timeout=45_000) as finished:
        qtbot.mouseClick(window.run_bar.start_button, Qt.MouseButton.LeftButton)
    summary = finished.args[0]
    assert summary["status"] == "completed"
    run_dir = Path(summary["run_dir"])
    assert run_dir.parent == tmp_path / "runs"
    assert (run_dir / "checkpoints" / "last.ckpt").is_file()
    assert window.plots.point_count("raw") > 10
    assert window.plots.point_count("val") == 2
    assert window.plots.point_count("acc_val") == 2
    assert window.run_bar.run_progress.value() == window.run_bar.run_progress.maximum()
    assert not window.error_dialog.isVisible()
    assert window.controller.state == "idle"
    assert window.run_bar.start_button.isEnabled()
    memory = window.run_bar.memory_label
    if sys.platform != "win32":  # the process's peak RAM is shown on the CPU (Windows does not report it)
        assert memory.isVisibleTo(window) and re.fullmatch(r"peak RAM \d+ MB", memory.text()), memory.text()


def test_run_name_follows_dataset_and_model_until_the_user_types_one(window, qtbot, tmp_path):
    from gui.widgets import set_combo_key

    name_field = window.train_panel.run_name
    set_combo_key(window.model_panel.arch, "simple_cnn")
    assert window.collect_config().name == "digits-simple_cnn"
    assert name_field.text() == "" and name_field.placeholderText() == "digits-simple_cnn"
    qtbot.keyClicks(name_field, "my-experiment")
    set_combo_key(window.model_panel.arch, "mlp")
    assert window.collect_config().name == "my-experiment"
    name_field.clear()  # an empty field follows again
    assert window.collect_config().name == "digits-mlp"
    # A config file's own name is kept; a name that is only the suggestion keeps following.
    config = window.collect_config()
    config.name = "baseline"
    window.apply_config(config)
    assert name_field.text() == "baseline" and window.collect_config().name == "baseline"
    config.name = "digits-mlp"
    window.apply_config(config)
    assert name_field.text() == ""


def _start_long_run(window, qtbot, epochs: int = 300) -> None:
    """Start a run long enough to interact with, and wait until steps arrive."""
    window.train_panel.epochs.setValue(epochs)
    window.dataset_panel.rows.set("batch_size", 16)
    assert window.start_run()
    qtbot.waitUntil(lambda: window.plots.point_count("raw") >= 5, timeout=20_000)


def test_stop_mid_run_saves_a_checkpoint(window, qtbot):
    _start_long_run(window, qtbot)
    with qtbot.waitSignal(window.controller.sig_finished, timeout=20_000) as finished:
        qtbot.mouseClick(window.run_bar.stop_button, Qt.MouseButton.LeftButton)
        assert window.controller.state == "stopping"
    summary = finished.args[0]
    assert summary["status"] == "stopped"
    assert (Path(summary["run_dir"]) / "checkpoints" / "last.ckpt").is_file()
    assert window.run_bar.run_progress.value() < window.run_bar.run_progress.maximum()
    assert not window.error_dialog.isVisible()
    assert window.run_bar.start_button.isEnabled()


def test_pause_and_resume(window, qtbot):
    _start_long_run(window, qtbot)
    qtbot.mouseClick(window.run_bar.pause_button, Qt.MouseButton.LeftButton)
    assert window.controller.state == "paused"
    assert window.run_bar.pause_button.text() == "Resume"

    # The run halts within a step: the number of plotted steps stops growing.
    last = {"count": -1, "since": 0.0}

    def settled() -> bool:
        count, now = window.plots.point_count("raw"), time.monotonic()
        if count != last["count"]:
            last.update(count=count, since=now)
        return now - last["since"] > 0.3

    qtbot.waitUntil(settled, timeout=10_000)
    paused_at = window.plots.point_count("raw")
    qtbot.wait(300)
    assert window.plots.point_count("raw") == paused_at

    qtbot.mouseClick(window.run_bar.pause_button, Qt.MouseButton.LeftButton)
    assert window.controller.state == "running"
    qtbot.waitUntil(lambda: window.plots.point_count("raw") > paused_at + 5, timeout=10_000)
    with qtbot.waitSignal(window.controller.sig_finished, timeout=20_000) as finished:
        window.stop_run()
    assert finished.args[0]["status"] == "stopped"


def test_stop_while_paused(window, qtbot):
    _start_long_run(window, qtbot)
    window.toggle_pause()
    with qtbot.waitSignal(window.controller.sig_finished, timeout=20_000) as finished:
        window.stop_run()
    assert finished.args[0]["status"] == "stopped"


def test_missing_csv_shows_error_dialog_and_app_keeps_working(window, qtbot, tmp_path):
    window.dataset_panel.source.setCurrentIndex(window.dataset_panel.source.findData("csv"))
    missing = tmp_path / "missing.csv"
    window.dataset_panel.root.set_path(str(missing))
    assert window.dataset_panel.form.isRowVisible(window.dataset_panel.root)
    # Found before Start: a banner names the problem, and Start says so instead of running.
    qtbot.waitUntil(lambda: "missing.csv" in window.run_view.problem.text(), timeout=20_000)
    assert not window.start_run()
    assert not window.controller.is_running()
    assert window.error_dialog.isVisible()
    assert "missing.csv" in window.error_dialog.message.text()
    window.error_dialog.copy_details()
    from PySide6.QtGui import QGuiApplication

    assert "missing.csv" in QGuiApplication.clipboard().text()
    window.error_dialog.close()

    # Back to the built-in data: the same window trains normally.
    window.dataset_panel.source.setCurrentIndex(window.dataset_panel.source.findData("builtin"))
    qtbot.waitUntil(lambda: not window.run_view.problem.isVisible(), timeout=20_000)
    with qtbot.waitSignal(window.controller.sig_finished, timeout=45_000) as finished:
        assert window.start_run()
    assert finished.args[0]["status"] == "completed"
    assert not window.error_dialog.isVisible()


def test_failure_inside_the_run_shows_the_dialog(window, qtbot, tmp_path):
    """A CSV that breaks only while training (found by the worker, not before Start)."""
    window.dataset_panel.source.setCurrentIndex(window.dataset_panel.source.findData("csv"))
    window.dataset_panel.root.set_path(str(tmp_path / "late.csv"))
    window.inspector.busy = lambda: True  # as if the check had not finished when Start was pressed
    with qtbot.waitSignal(window.controller.sig_finished, timeout=20_000) as finished:
        assert window.start_run()
    assert finished.args[0]["status"] == "error"
    qtbot.waitUntil(window.error_dialog.isVisible, timeout=5_000)
    assert "late.csv" in window.error_dialog.message.text()


def test_invalid_config_is_reported_before_the_run_starts(window, qtbot):
    window.optim_panel.lr.setValue(0.0)
    # Found live: Start waits, saying why (the field by its label), and F5 reports it.
    assert not window.run_bar.start_button.isEnabled()
    assert "Learning rate: optim.lr must be > 0" in window.run_bar.start_button.toolTip()
    assert not window.start_run()
    assert window.error_dialog.isVisible()
    assert "optim.lr" in window.error_dialog.message.text()
    assert not window.controller.is_running()


def test_closing_during_a_run_asks_stops_and_waits(window, qtbot, monkeypatch):
    _start_long_run(window, qtbot)
    asked = []
    monkeypatch.setattr(window, "confirm_stop_for_close", lambda: asked.append(1) or True)
    window.close()
    assert asked == [1]
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20_000)
    assert not window.controller.is_running()
    assert window.last_summary["status"] == "stopped"
    assert (Path(window.last_summary["run_dir"]) / "checkpoints" / "last.ckpt").is_file()


def test_closing_during_a_run_can_be_cancelled(window, qtbot, monkeypatch):
    _start_long_run(window, qtbot)
    monkeypatch.setattr(window, "confirm_stop_for_close", lambda: False)
    window.close()
    assert window.isVisible()
    assert window.controller.state == "running"
    with qtbot.waitSignal(window.controller.sig_finished, timeout=20_000):
        window.stop_run()


def test_resume_from_checkpoint_continues_the_run(window, qtbot):
    with qtbot.waitSignal(window.controller.sig_finished, timeout=45_000) as finished:
        assert window.start_run()
    first = finished.args[0]
    checkpoint = Path(first["run_dir"]) / "checkpoints" / "last.ckpt"
    window.train_panel.epochs.setValue(3)
    with qtbot.waitSignal(window.controller.sig_finished, timeout=45_000) as finished:
        assert window.resume_from_checkpoint(str(checkpoint))
    summary = finished.args[0]
    assert summary["status"] == "completed"
    assert summary["run_dir"] == first["run_dir"]
    from backend.store.runs import read_metrics

    assert [e["epoch"] for e in read_metrics(first["run_dir"]) if e["event"] == "epoch"] == [1, 2, 3]
    # Only the new epoch was trained; the curves show the run's whole history.
    qtbot.waitUntil(lambda: window.plots.series["val"].x.tolist() == [1.0, 2.0, 3.0], timeout=5000)


def test_resume_from_a_corrupt_checkpoint_shows_the_error(window, qtbot, tmp_path):
    bad = tmp_path / "broken.ckpt"
    bad.write_bytes(b"not a checkpoint")
    with qtbot.waitSignal(window.controller.sig_finished, timeout=30_000):
        assert window.resume_from_checkpoint(str(bad))
    assert window.error_dialog.isVisible()
    assert "broken.ckpt" in window.error_dialog.message.text()


def test_regression_dataset_switches_loss_and_plots_errors(window, qtbot):
    names = window.dataset_panel.name
    window.train_panel.monitor.setCurrentIndex(window.train_panel.monitor.findData("val_acc"))
    names.setCurrentIndex(names.findData("diabetes"))
    config = window.collect_config()
    assert config.loss.name == "mse"  # cross_entropy does not fit a regression task
    assert config.train.monitor == "val_loss"  # no accuracy in regression
    with qtbot.waitSignal(window.controller.sig_finished, timeout=45_000) as finished:
        assert window.start_run()
    assert finished.args[0]["status"] == "completed"
    assert window.plots.point_count("acc_val") == 2  # validation MAE per epoch
    assert "error" in window.plots.accuracy_plot.getPlotItem().titleLabel.text
    assert not window.run_view.tabs.isTabEnabled(1)
