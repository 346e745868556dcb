"""The artifact dialogs (save, load, export, quantize, evaluate, predict) on a tiny trained digits MLP."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

# "thread": a hang inside a Qt modal loop never returns to Python, so signals cannot end it.
pytestmark = pytest.mark.timeout(60, method="thread")

SHOTS = os.environ.get("TORCHDESK_SHOTS")  # a folder: save a screenshot of each dialog with its result


@pytest.fixture(scope="module")
def run_dir(digits_mlp_run) -> Path:
    return digits_mlp_run  # shared with the other GUI tests that need a trained model (conftest)


@pytest.fixture
def errors(monkeypatch):
    """Failures shown in the error dialog, without opening it."""
    from gui.dialogs.error_dialog import ErrorDialog

    shown: list[str] = []
    monkeypatch.setattr(ErrorDialog, "open", lambda self: shown.append(self.message.text()))
    return shown


def _open(qtbot, cls, model, **kwargs):
    dialog = cls(model, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _run(qtbot, dialog, timeout: int = 30_000, shot: str = "") -> None:
    with qtbot.waitSignal(dialog.task.sig_finished, timeout=timeout):
        assert dialog.start()
    assert not dialog.task.is_running()
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        qtbot.wait(50)  # let the layout settle after the result was filled in
        dialog.grab().save(str(Path(SHOTS) / f"dialog-{shot or dialog.objectName()}.png"))


def test_save_dialog_writes_and_reports(qtbot, run_dir, tmp_path, errors):
    from gui.dialogs.save_model_dialog import SaveModelDialog

    dialog = _open(qtbot, SaveModelDialog, str(run_dir / "checkpoints" / "best.ckpt"))
    dialog.format.setCurrentIndex(dialog.format.findData("safetensors"))
    out = tmp_path / "digits.safetensors"
    dialog.out.set_path(str(out))
    _run(qtbot, dialog)
    assert not errors
    assert out.is_file()
    assert dialog.file_label.path() == str(out)
    assert f"({out.stat().st_size} bytes)" in dialog.size_label.text()
    dialog.format.setCurrentIndex(dialog.format.findData("pickle"))
    assert "trusted" in dialog.warning.text()


def test_export_dialog_onnx_parity(qtbot, run_dir, tmp_path, errors):
    from gui.dialogs.export_dialog import ExportDialog

    dialog = _open(qtbot, ExportDialog, str(run_dir))
    dialog.format.setCurrentIndex(dialog.format.findData("onnx"))
    dialog.opset.setValue(18)
    dialog.dynamic.setChecked(True)
    out = tmp_path / "model.onnx"
    dialog.out.set_path(str(out))
    _run(qtbot, dialog)
    assert not errors, errors
    assert out.is_file()
    diff = float(re.search(r"max abs diff (\S+)", dialog.parity_label.text()).group(1))
    assert diff < 1e-4
    assert "OK" in dialog.parity_label.text()
    assert "PyTorch" in dialog.latency_label.text()
    assert dialog.open_button.isEnabled()


def test_quantize_dialog_table_and_save(qtbot, run_dir, tmp_path, errors):
    from gui.dialogs.quantize_dialog import QuantizeDialog

    dialog = _open(qtbot, QuantizeDialog, str(run_dir))
    _run(qtbot, dialog, timeout=45_000)
    assert not errors, errors
    methods = [dialog.table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(dialog.table.rowCount())]
    assert methods[0] == "fp32" and dialog.table.item(0, 0).text().startswith("fp32 ")
    assert {r.method for r in dialog.report.rows} <= set(methods)
    assert "dynamic_int8" in methods
    dialog.table.selectRow(methods.index("dynamic_int8"))
    assert dialog.save_button.isEnabled()
    saved = dialog.save_selected(str(tmp_path / "q.pt"))
    assert saved and Path(saved).is_file()
    work = Path(dialog.report.work_dir)
    dialog.close()
    assert not work.exists()


def test_evaluate_dialog_matches_backend(qtbot, run_dir, tmp_path, errors):
    from backend.artifacts.evaluate import evaluate_model
    from backend.artifacts.model_io import load_model
    from gui.dialogs.evaluate_dialog import EvaluateDialog

    dialog = _open(qtbot, EvaluateDialog, str(run_dir))
    dialog.noise.setValue(0.1)
    dialog.fgsm.setValue(0.05)
    _run(qtbot, dialog)
    assert not errors, errors
    expected = evaluate_model(load_model(run_dir)).accuracy
    assert dialog.accuracy_text() == f"{expected:.4f}"
    labels = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert any("noise" in label for label in labels) and any("fgsm" in label.lower() for label in labels)
    assert len(dialog.roc_plot.getPlotItem().listDataItems()) == 10
    csv = dialog.export_csv(str(tmp_path / "eval.csv"))
    assert Path(csv).read_text().startswith("class,precision")


def test_predict_dialog_top_k_for_png(qtbot, run_dir, tmp_path, errors):
    from PIL import Image

    from gui.dialogs.predict_dialog import PredictDialog

    image = tmp_path / "digit.png"
    Image.new("L", (8, 8), 0).save(image)
    dialog = _open(qtbot, PredictDialog, str(run_dir / "model.safetensors"))
    assert not dialog.run_button.isEnabled()  # no input yet
    dialog.add_inputs([str(image)])
    dialog.top_k.setValue(3)
    _run(qtbot, dialog)
    assert not errors, errors
    top = dialog.tree.topLevelItem(0)
    assert top.text(0) == "digit.png" and top.childCount() == 3
    probs = [float(top.child(i).text(1).rstrip("%")) for i in range(3)]
    assert probs == sorted(probs, reverse=True) and 0 < sum(probs) <= 100.01


def test_predict_dialog_accepts_dropped_files(qtbot, run_dir, tmp_path):
    from PIL import Image
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    from gui.dialogs.predict_dialog import PredictDialog

    image = tmp_path / "dropped.png"
    Image.new("L", (8, 8), 255).save(image)
    dialog = _open(qtbot, PredictDialog, str(run_dir / "model.safetensors"))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(image)), QUrl.fromLocalFile(str(tmp_path / "missing.png"))])
    enter = QDragEnterEvent(
        dialog.rect().center(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    dialog.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(dialog.rect().center()),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    dialog.dropEvent(drop)
    # Only files that exist are added, and a dropped file is enough to run.
    assert [dialog.inputs.item(i).text() for i in range(dialog.inputs.count())] == [str(image)]
    assert dialog.run_button.isEnabled()


def test_cancel_leaves_no_file(qtbot, run_dir, monkeypatch, errors):
    import backend.artifacts.quantize as quantize
    from gui.dialogs.quantize_dialog import QuantizeDialog

    seen: dict = {}

    def endless(loaded, methods, calibration_batches, work, latency_budget_s, t):  # noqa: ANN001
        seen["work"] = work
        (work / "partial.onnx").write_bytes(b"x" * 100)
        while True:
            t.step(0.5, "pretending to quantize")

    monkeypatch.setattr(quantize, "_compare", endless)
    dialog = _open(qtbot, QuantizeDialog, str(run_dir))
    with qtbot.waitSignal(dialog.task.sig_cancelled, timeout=20_000):
        assert dialog.start()
        qtbot.waitUntil(lambda: "work" in seen, timeout=15_000)
        assert dialog.cancel_button.isEnabled()
        dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not dialog.task.is_running(), timeout=5_000)
    assert not seen["work"].exists()
    assert "Cancelled" in dialog.status.text()
    assert dialog.report is None and dialog.run_button.isEnabled()
    assert not errors


def test_close_during_task_waits_for_thread(qtbot, run_dir, monkeypatch):
    import backend.artifacts.evaluate as evaluate
    from gui.dialogs.evaluate_dialog import EvaluateDialog

    def endless(loaded, *, task=None, **_kwargs):  # noqa: ANN001
        while True:
            task.step(0.5, "pretending to evaluate")

    monkeypatch.setattr(evaluate, "evaluate_model", endless)
    dialog = _open(qtbot, EvaluateDialog, str(run_dir))
    assert dialog.start()
    dialog.close()  # cancels and waits: no "QThread: Destroyed while thread is still running"
    assert not dialog.task.is_running()


def test_load_bad_file_shows_error_and_app_keeps_working(window, qtbot, run_dir, tmp_path, errors):
    assert not window.menu_actions["export"].isEnabled()  # no model yet
    assert "No model yet" in window.menu_actions["export"].toolTip()
    assert window.menu_actions["load_weights"].isEnabled()
    bad = tmp_path / "broken.pth"
    bad.write_bytes(os.urandom(2000))
    dialog = window.open_artifact_dialog("load_weights")
    dialog.file.set_path(str(bad))
    _run(qtbot, dialog, shot="loadWeightsDialog-bad-file")
    assert len(errors) == 1 and "broken.pth" in errors[0]
    assert window.loaded_model is None
    # The app keeps working: the same dialog loads a good checkpoint, partially, restoring its config.
    window.train_panel.epochs.setValue(7)
    dialog.file.set_path(str(run_dir / "checkpoints" / "best.ckpt"))
    dialog.partial.setChecked(True)
    dialog.restore.setChecked(True)
    _run(qtbot, dialog)
    assert len(errors) == 1
    assert window.loaded_model is not None
    assert dialog.table.rowCount() == len(dialog.report.matched) > 0
    assert window.train_panel.epochs.value() == 2  # the checkpoint's config is in the panels
    assert window.menu_actions["export"].isEnabled()
    # Tools > Evaluate acts on that model (its own CPU copy).
    window.menu_actions["evaluate"].trigger()
    evaluate = window.artifact_dialogs["evaluate"]
    assert evaluate.model_label.path() == str(run_dir / "checkpoints" / "best.ckpt")
    _run(qtbot, evaluate, shot="evaluateDialog-from-menu")
    assert len(errors) == 1 and evaluate.accuracy_text()
    assert evaluate.load().model is not window.loaded_model.model


def test_load_into_model_reports_mismatch_and_pickle_needs_trust(qtbot, run_dir, tmp_path, monkeypatch, errors):
    from backend.artifacts.model_io import load_model
    from backend.artifacts.save import save_model
    from gui.dialogs.load_weights_dialog import LoadWeightsDialog

    pickled = save_model(load_model(run_dir), "pickle", tmp_path / "full.pkl.pth").path
    asked: list[bool] = []

    def answer(*_args, **_kwargs):  # noqa: ANN002, ANN003
        asked.append(True)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    dialog = _open(qtbot, LoadWeightsDialog, None)
    dialog.file.set_path(pickled)
    with qtbot.waitSignal(dialog.sig_model_loaded, timeout=30_000):
        dialog.start()
    qtbot.waitUntil(lambda: not dialog.task.is_running(), timeout=5_000)
    assert asked and not errors
    assert "pickled" in dialog.format_label.text()
    # Strict loading of another architecture's weights fails clearly; the model is unchanged.
    other = tmp_path / "other.pth"
    import torch

    torch.save({"layer.weight": torch.zeros(3, 3)}, other)
    dialog.file.set_path(str(other))
    _run(qtbot, dialog, shot="loadWeightsDialog-mismatch")
    assert len(errors) == 1 and "do not fit" in errors[0]
    statuses = {dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert {"missing", "unexpected"} <= statuses  # the report table shows why


def test_evaluate_dialog_test_split_needs_a_set_of_the_runs_format(qtbot, run_dir, tmp_path, errors):
    from gui.dialogs.evaluate_dialog import EvaluateDialog

    dialog = _open(qtbot, EvaluateDialog, str(run_dir))
    assert not dialog.test_root.isVisible()
    dialog.split.setCurrentIndex(dialog.split.findData("test"))
    assert dialog.test_root.isVisible()
    dialog.test_root.set_path(str(tmp_path))
    _run(qtbot, dialog)  # the digits run is built-in data: no separate test set exists
    assert errors and "no separate test set" in errors[0]
    dialog.split.setCurrentIndex(dialog.split.findData("val"))
    assert not dialog.test_root.isVisible()
