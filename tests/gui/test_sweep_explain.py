"""Tools > Sweep (a sweep on the Task primitive, its table and plots, a trial opened as a run) and
Explain (from Predict and from the misclassified gallery: an overlay or a bar chart)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

pytestmark = pytest.mark.timeout(120, method="thread")

SHOTS = os.environ.get("TORCHDESK_SHOTS")  # a folder: save screenshots of the dialogs with their results


def _shoot(qtbot, widget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        qtbot.wait(100)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


@pytest.fixture
def errors(monkeypatch):
    from gui.dialogs.error_dialog import ErrorDialog

    shown: list[str] = []
    monkeypatch.setattr(ErrorDialog, "open", lambda self: shown.append(self.message.text()))
    return shown


def test_sweep_dialog_runs_trials_and_opens_one_as_a_run(qtbot, window, tmp_path, errors):
    window.train_panel.epochs.setValue(1)
    dialog = window.open_sweep_dialog()
    keys = [dialog.params.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(dialog.params.rowCount())]
    assert "optim.lr" in keys and "optim.name" in keys and "optim.momentum" not in keys  # only what applies
    dialog.set_checked(["optim.lr", "model.activation"])
    dialog.params.item(keys.index("model.activation"), 4).setText("relu,tanh")
    assert dialog.param_items() == ["model.activation=relu,tanh", "optim.lr=log:0.0001:0.01"]  # schema order
    dialog.trials.setValue(2)
    dialog.folder.setText(str(tmp_path / "sweep"))
    with qtbot.waitSignal(dialog.task.sig_finished, timeout=90_000):
        assert dialog.start()
    assert not errors
    result = dialog.result
    assert [r.state for r in result.rows] == ["COMPLETE", "COMPLETE"]
    assert dialog.table.rowCount() == 2
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())]
    assert headers[2] == "val_loss" and {"optim.lr", "model.activation"} <= set(headers)
    dialog.table.sortItems(2, Qt.SortOrder.AscendingOrder)  # by metric: the best trial first
    assert float(dialog.table.item(0, 2).text()) == pytest.approx(result.best.value, rel=1e-3)
    assert len(dialog.history.getPlotItem().listDataItems()) >= 2  # the trials and the best so far
    assert result.importances and dialog.importance.getPlotItem().items  # two completed trials: importance
    _shoot(qtbot, dialog, "sweep-dialog")

    dialog.table.selectRow(0)
    assert dialog.open_button.isEnabled()
    with qtbot.waitSignal(window.runs_panel.sig_refreshed, timeout=10_000):
        dialog.open_button.click()
    assert window.run_dir == result.best.run_dir
    assert window.current_model().startswith(result.best.run_dir)
    assert window.collect_config().optim.lr == pytest.approx(result.best.params["optim.lr"])
    qtbot.waitUntil(lambda: window.runs_panel.selected_run_dirs() == [result.best.run_dir], timeout=5_000)


def test_sweep_dialog_shows_a_bad_range_as_an_error(qtbot, window, tmp_path, errors):
    dialog = window.open_sweep_dialog()
    dialog.set_checked(["optim.lr"])
    row = next(
        r
        for r in range(dialog.params.rowCount())
        if dialog.params.item(r, 0).data(Qt.ItemDataRole.UserRole) == "optim.lr"
    )
    dialog.params.item(row, 2).setText("-1")
    dialog.params.cellWidget(row, 1).setCurrentText("float")
    dialog.folder.setText(str(tmp_path / "sweep"))
    with qtbot.waitSignal(dialog.task.sig_finished, timeout=30_000):
        assert dialog.start()
    assert errors and "optim.lr" in errors[0] and "--param" in errors[0]


def _overlay_shown(dialog) -> bool:
    return dialog.view.currentWidget() is dialog.overlay and dialog.overlay.has_picture()


def test_explain_from_predict_shows_the_overlay(qtbot, digits_mlp_run, tmp_path, errors):
    from PIL import Image

    from gui.dialogs.predict_dialog import PredictDialog

    image = tmp_path / "digit.png"
    Image.fromarray((np.arange(64).reshape(8, 8) * 4).astype(np.uint8)).save(image)
    predict = PredictDialog(str(digits_mlp_run))
    qtbot.addWidget(predict)
    predict.add_inputs([str(image)])
    explain = predict.open_explain()
    with qtbot.waitSignal(explain.task.sig_finished, timeout=30_000):
        pass
    assert not errors
    assert _overlay_shown(explain)
    assert explain.explanations[0].method == "integrated_gradients"  # an MLP: no convolution for Grad-CAM
    assert "Integrated gradients" in explain.title.text()
    heat = explain.explanations[0].heatmap
    assert heat.shape == (8, 8) and heat.max() > heat.min()
    with qtbot.waitSignal(explain.task.sig_finished, timeout=30_000):  # another method: computed again
        explain.method.setCurrentIndex(explain.method.findData("saliency"))
    assert explain.explanations[0].method == "saliency" and "Saliency" in explain.title.text()
    _shoot(qtbot, explain, "explain-predict")
    predict.close()


def test_explain_from_the_misclassified_gallery(qtbot, window, digits_mlp_run, errors):
    gallery = window.run_view.misclassified
    images = np.random.default_rng(0).integers(0, 16, (3, 1, 8, 8), dtype=np.uint8)

    class Source:  # the run's validation images, as gui.val_samples.ValImageSource gives them
        def images(self, indices: list[int]) -> np.ndarray:
            return images[indices]

        def names(self, indices: list[int]) -> None:
            return None

    gallery.set_source(Source())
    with qtbot.waitSignal(gallery.sig_shown):
        gallery.show_entries([{"index": i, "true": 0, "pred": 1} for i in range(3)], "epoch 1")
    window.run_dir = str(digits_mlp_run)
    with qtbot.waitSignal(gallery.sig_explain):
        assert gallery.explain_sample(1)
    dialog = window.artifact_dialogs["explain"]
    with qtbot.waitSignal(dialog.task.sig_finished, timeout=30_000):
        pass
    assert not errors
    assert _overlay_shown(dialog)
    assert np.array_equal(dialog.explanations[0].image, images[1])
    assert not gallery.explain_sample(5)
