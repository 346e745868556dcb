"""The first hour's remaining gaps (issue 12): what the empty plots say while PyTorch loads, the plots'
share of a 1366x768 window, a folder banner that clears by itself, and the small wording defects."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QRect, Qt

pytestmark = pytest.mark.timeout(60, method="thread")


def _hint(win) -> str:  # noqa: ANN001 - MainWindow
    return win.plots.hint.textItem.toPlainText()


@pytest.fixture
def loading_window(qtbot):
    """A main window as the app first shows it: PyTorch still loading (no catalogue)."""
    from gui.main_window import MainWindow

    win = MainWindow()
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(win)


def test_the_empty_plots_say_what_start_does_while_loading_queued_and_ready(loading_window, catalog):
    win = loading_window
    assert _hint(win).splitlines() == ["Loading PyTorch…", "Press Start (F5) now: training begins once it has loaded"]
    assert "Loading PyTorch" in win.run_view.problem_strip.ready.text()  # the strip above is not left blank
    win.start_run()  # pressed early: queued
    assert win.start_queued
    assert _hint(win).splitlines()[1] == "Start is queued: training begins once it has loaded"
    win.start_run()  # pressed again: cancelled
    assert "Press Start (F5) now" in _hint(win)
    win.set_catalog(catalog)
    assert _hint(win) == "Press Start (F5) to train"
    win.optim_panel.lr.setText("-1")  # a problem: Start is disabled, the hint says so
    assert not win.run_bar.start_button.isEnabled()
    assert _hint(win).splitlines() == ["Cannot start yet", "Fix the problem shown above, then press Start (F5)"]
    win.optim_panel.lr.setText("0.001")
    assert _hint(win) == "Press Start (F5) to train"


def test_the_plots_keep_their_share_of_a_1366x768_window_and_the_dock_height_is_restored(qtbot, catalog, monkeypatch):
    from gui import window_state
    from gui.main_window import MainWindow

    monkeypatch.setattr(window_state, "available_area", lambda window: QRect(0, 0, 1366, 768))

    def opened():  # noqa: ANN202 - MainWindow
        win = MainWindow(catalog=catalog)
        win.show()
        qtbot.waitExposed(win)
        assert win.height() <= 768
        return win

    def closed(win) -> None:  # noqa: ANN001 - MainWindow
        win.close()  # saves the layout
        win.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    win = opened()  # the first start: a modest dock, each plot at least its minimum (a readable data area)
    qtbot.waitUntil(lambda: win.log_dock.height() <= win.height() // 5, timeout=2000)  # once laid out
    assert min(plot.height() for plot in win.plots.plots) >= 180
    win.resizeDocks([win.log_dock], [400], Qt.Orientation.Vertical)  # dragged up by the user ...
    # The layout settles over several event-loop turns: the plots' minimum pushes the dock back down.
    qtbot.wait(300)
    assert min(plot.height() for plot in win.plots.plots) >= 180  # ... never over the plots' minimum
    dragged = win.log_dock.height()
    closed(win)
    win = opened()
    # The user's dock height comes back (once the restored layout has settled: slower on a loaded machine).
    qtbot.waitUntil(lambda: abs(win.log_dock.height() - dragged) <= 2, timeout=3000)
    closed(win)


def _image_class(folder, name: str, count: int) -> None:  # noqa: ANN001 - Path
    from PIL import Image

    (folder / name).mkdir(parents=True)
    for i in range(count):
        Image.new("L", (8, 8), color=20 * i).save(folder / name / f"{i}.png")


def test_a_folder_banner_clears_when_the_folder_is_fixed(window, qtbot, tmp_path):
    from gui.widgets import set_combo_key

    folder = tmp_path / "pets"
    folder.mkdir()  # a folder without class folders: it cannot train
    window.dataset_panel.rows.set("batch_size", 4)
    set_combo_key(window.dataset_panel.source, "image_folder")
    window.dataset_panel.root.set_path(str(folder))
    banner = window.run_view.problem
    qtbot.waitUntil(lambda: banner.isVisible() and "pets" in banner.text(), timeout=20_000)
    assert not window.run_bar.start_button.isEnabled()
    for name in ("cat", "dog"):  # fixed outside the app: no click, no edit in the panels
        _image_class(folder, name, 6)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=20_000)
    assert window.run_bar.start_button.isEnabled()


def test_the_divergence_is_logged_once(window):
    message = "the training loss diverged at epoch 1, batch 3: ..."
    window.log.add_events([{"event": "start", "task": "classification"}, {"event": "diverged", "message": message}])
    window._on_failed({"kind": "diverged", "message": message, "details": "", "last_checkpoint": ""})
    text = window.log.toPlainText()
    assert text.count("diverged at epoch 1") == 1 and "Problem:" not in text
    window._on_failed({"kind": "error", "message": "disk full", "details": "", "last_checkpoint": ""})
    assert "Problem: disk full" in window.log.toPlainText()  # a failure no event told: logged
    window.error_dialog.close()


def test_each_replaced_preset_setting_is_a_message_of_its_own():
    from backend.core import messages
    from backend.core.config import RunConfig
    from backend.engine.presets import Change, preset_note

    config = RunConfig()
    config.train.preset = "fast"
    note = preset_note(config, [Change("data.augment", "none", "light"), Change("train.channels_last", False, True)])
    assert note == "train.preset = 'fast' replaced: data.augment none -> light; train.channels_last False -> True"
    assert note.template is messages.PRESET_APPLIED
    pieces = note.fields["changes"].pieces
    assert [p.template for p in pieces] == [messages.PRESET_CHANGE, messages.PRESET_CHANGE_NEXT]


def test_engine_hints_after_a_full_stop_start_with_a_capital():
    from backend.core import messages

    stopped = messages.NAN_STOPPED.format(loss="nan", epoch=1, batch=2, hint=messages.NAN_HINT_NO_CHECKPOINT)
    assert "training stopped. No checkpoint" in stopped
    for hint in (messages.NAN_HINT_CHECKPOINT, messages.NAN_HINT_NO_CHECKPOINT, messages.OOM_HINT_NO_CHECKPOINT):
        assert hint[0].isupper(), hint


def test_the_untrusted_model_message_words_the_fix_for_what_the_file_is_opened_for(tmp_path):
    from backend.core.config import ModelConfig, RunConfig
    from backend.core.errors import UntrustedCodeError
    from backend.store.trust import check_model_trust, metadata_config

    code = tmp_path / "net.py"
    code.write_text("raise SystemExit('imported')\n")
    ckpt = tmp_path / "last.ckpt"
    with pytest.raises(UntrustedCodeError) as used:  # predict, evaluate, export: the model is what is used
        check_model_trust(ModelConfig(arch=f"file:{code}:Net"), ckpt, trusted=False)
    assert "ONNX or TorchScript export" in used.value.message
    config = RunConfig()
    config.model.arch = f"file:{code}:Net"
    with pytest.raises(UntrustedCodeError) as resumed:  # resume, restore the settings: an export cannot do that
        metadata_config(config.to_dict(), ckpt, trusted=False)
    assert "ONNX" not in resumed.value.message and "start a new run" in resumed.value.message


def test_the_sweep_warns_of_a_range_outside_the_usual_values(qtbot, catalog, monkeypatch):
    from backend.core.config import RunConfig
    from gui.dialogs.sweep_dialog import HIGH_COLUMN, KEY_ROLE, LOW_COLUMN, PARAM_COLUMN, SweepDialog

    dialog = SweepDialog(RunConfig())
    qtbot.addWidget(dialog)
    started = []
    monkeypatch.setattr(dialog.task, "start", lambda *args: started.append(args))
    dialog.set_checked(["optim.lr"])
    row = next(
        r for r in range(dialog.params.rowCount()) if dialog.params.item(r, PARAM_COLUMN).data(KEY_ROLE) == "optim.lr"
    )
    dialog.params.item(row, LOW_COLUMN).setText("1e-4")
    dialog.params.item(row, HIGH_COLUMN).setText("50")
    assert not dialog.start()  # asks first
    asked = dialog.unusual_dialog
    assert asked.isVisible() and "Learning rate (optim.lr) = 50: usually 1e-06 to 1" in asked.informativeText()
    asked.start_button.click()  # "Start anyway"
    qtbot.waitUntil(lambda: bool(started))
    assert "optim.lr=log:1e-4:50" in started[0][2]
    dialog.params.item(row, HIGH_COLUMN).setText("0.1")  # a usual range starts without a question
    started.clear()
    assert dialog.start() and started


def test_deferred_plots_hold_their_place_and_keep_what_was_set_before_they_were_built(qtbot):
    """The app paints the window before importing pyqtgraph: a label says what the empty plots would."""
    from gui.panels.plots_panel import LOADING, QUEUED, PlotsPanel

    panel = PlotsPanel(defer=True)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.plots == () and panel.placeholder.isVisible()
    panel.set_start_state(LOADING)
    assert panel.placeholder.text().startswith("Loading PyTorch…")
    panel.set_start_state(QUEUED)
    panel.set_dark(True)
    panel.log_scale.setChecked(True)
    panel.build()
    assert len(panel.plots) == 4 and panel.placeholder is None
    assert panel.hint.textItem.toPlainText().splitlines()[1] == "Start is queued: training begins once it has loaded"
    assert panel.loss_plot.getPlotItem().getAxis("left").textPen().color().name() == "#d0d0d0"  # dark, as set
    assert panel.loss_plot.getPlotItem().ctrl.logYCheck.isChecked()  # the log scale, as set
    panel.add_events([{"event": "step", "step": 1, "loss": 2.0, "lr": 0.1}])
    panel.flush()
    assert panel.point_count("raw") == 1


def test_closing_the_window_while_the_plots_load_waits_for_their_import(qtbot, catalog):
    from gui.main_window import MainWindow

    win = MainWindow(catalog=catalog, defer_plots=True)
    win.show()
    qtbot.waitExposed(win)
    win.plots.build_in_background()
    win.close()  # at once: the import thread must end before the window goes
    assert win.plots._importer.wait(0)  # its thread has ended (what it sent is still to be delivered)
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
