"""Files and folders dropped on the main window (issue 12): each used as a user would expect."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

pytestmark = pytest.mark.timeout(90, method="thread")


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    folder = tmp_path / "pets"
    for label in ("cat", "dog"):
        (folder / label).mkdir(parents=True)
        Image.new("RGB", (8, 8)).save(folder / label / "a.png")
    run = tmp_path / "run"
    (run / "checkpoints").mkdir(parents=True)
    (run / "checkpoints" / "last.ckpt").write_bytes(b"x")
    out = {"folder": folder, "run": run, "ckpt": run / "checkpoints" / "last.ckpt", "image": folder / "cat" / "a.png"}
    for name in ("table.csv", "run.toml", "weights.safetensors", "model.onnx", "notes.docx"):
        out[name] = tmp_path / name
        out[name].write_text("a,b\n1,2\n")
    return out


def test_what_a_drop_is(files):
    from gui.drop import classify

    kinds = {
        "folder": "folder",
        "table.csv": "csv",
        "run.toml": "config",
        "ckpt": "checkpoint",
        "weights.safetensors": "weights",
        "model.onnx": "weights",
        "image": "images",
        "notes.docx": "unsupported",
    }
    for name, kind in kinds.items():
        assert classify([str(files[name])]).kind == kind, name
    assert classify([str(files["run"])]).paths == [str(files["ckpt"])]  # a run folder: its checkpoint
    assert classify([str(files["image"]), str(files["image"])]).kind == "images"
    assert classify([str(files["image"]), str(files["table.csv"])]).kind == "unsupported"
    assert classify([str(files["folder"] / "missing.png")]).kind == "unsupported"


def _drop(window, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(window.rect().center()),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


def test_drops_on_the_main_window(window, qtbot, files, monkeypatch, digits_mlp_run):
    from gui import drop

    done: list[str] = []
    handle = drop.handle
    monkeypatch.setattr(drop, "handle", lambda win, paths: done.append(handle(win, paths)))
    refused: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda parent, title, text: refused.append(text)))
    answers: list[str | None] = []
    monkeypatch.setattr(drop, "ask", lambda *args: answers.pop(0))

    # An image folder becomes the dataset (through a real drop event, handled after it returns).
    _drop(window, [files["folder"]])
    qtbot.waitUntil(lambda: done == ["folder"])
    config = window.collect_config()
    assert (config.data.source, config.data.root) == ("image_folder", str(files["folder"]))

    assert handle(window, [str(files["table.csv"])]) == "csv"
    config = window.collect_config()
    assert (config.data.source, config.data.root) == ("csv", str(files["table.csv"]))

    # A model file: Predict, Evaluate or Load; the dialog opens on that file.
    model = digits_mlp_run / "model.safetensors"
    answers.append("predict")
    assert handle(window, [str(model)]) == "predict"
    assert window.artifact_dialogs["predict"].model_label.path() == str(model)
    answers.append("load")
    assert handle(window, [str(files["ckpt"])]) == "load"
    assert window.artifact_dialogs["load_weights"].file.path() == str(files["ckpt"])
    answers.append(None)  # Cancel: nothing happens
    assert handle(window, [str(files["ckpt"])]) == "cancelled"

    # Images: Predict with them as inputs.
    assert handle(window, [str(files["image"])]) == "images"
    predict = window.artifact_dialogs["predict"]
    assert [predict.inputs.item(i).text() for i in range(predict.inputs.count())] == [str(files["image"])]

    # Anything else says why not, and what can be dropped.
    assert handle(window, [str(files["notes.docx"])]) == "unsupported"
    assert "notes.docx cannot be used here" in refused[-1] and ".safetensors" in refused[-1]
    for dialog in window.artifact_dialogs.values():
        dialog.close()
