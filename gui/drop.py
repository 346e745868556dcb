"""Files and folders dropped on the main window, used as a user would expect.

- an image folder: the dataset (``data.source = image_folder``), a CSV file: the table dataset;
- a run config (.toml): opened like File > Open config;
- a checkpoint (.ckpt) or a run folder: "Resume training" or "Load the model";
- a weights or model file (.pth, .pt, .pt2, .safetensors, .onnx): Predict, Evaluate or Load;
- image files: Predict with the current model;
- anything else: a message saying what can be dropped.

Nothing runs a file's code here: loading goes through the artifact dialogs and resuming through
``resume_from_checkpoint``, which ask before trusting a pickle or a custom model's Python file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox

from gui.dialogs.artifact_base import MODEL_FILTER

# The model files the artifact dialogs open (derived from their file filter: declared once).
MODEL_SUFFIXES = frozenset(re.findall(r"\*(\.\w+)", MODEL_FILTER.split(";;")[0]))
CHECKPOINT_SUFFIX = ".ckpt"


@dataclass
class Dropped:
    """What a drop is: ``kind`` is folder, csv, config, checkpoint, weights, images or unsupported."""

    kind: str
    paths: list[str]


def image_suffixes() -> frozenset[str]:
    from backend.artifacts.predict import IMAGE_SUFFIXES  # imports torch: only once the engine is loaded

    return frozenset(IMAGE_SUFFIXES)


def classify(paths: list[str]) -> Dropped:
    """What the dropped local ``paths`` are (a pure function of the files: no question asked)."""
    items = [Path(p) for p in paths if p]
    if not items:
        return Dropped("unsupported", [])
    images = image_suffixes()
    if len(items) > 1:
        every_image = all(p.is_file() and p.suffix.lower() in images for p in items)
        return Dropped("images" if every_image else "unsupported", [str(p) for p in items])
    path = items[0]
    suffix = path.suffix.lower()
    if path.is_dir():
        last = path / "checkpoints" / "last.ckpt"
        return Dropped("checkpoint", [str(last)]) if last.is_file() else Dropped("folder", [str(path)])
    if not path.is_file():
        return Dropped("unsupported", [str(path)])
    kinds = {".csv": "csv", ".toml": "config", CHECKPOINT_SUFFIX: "checkpoint"}
    if suffix in kinds:
        return Dropped(kinds[suffix], [str(path)])
    if suffix in MODEL_SUFFIXES:
        return Dropped("weights", [str(path)])
    if suffix in images:
        return Dropped("images", [str(path)])
    return Dropped("unsupported", [str(path)])


def ask(window: Any, title: str, text: str, choices: list[tuple[str, str]]) -> str | None:
    """A question with one button per (key, label) and Cancel; the key chosen, or None."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, window)
    box.setObjectName("dropQuestion")
    buttons = {box.addButton(label, QMessageBox.ButtonRole.AcceptRole): key for key, label in choices}
    box.exec()
    return buttons.get(box.clickedButton())


def refuse(window: Any, text: str) -> None:
    window.statusBar().showMessage(text, 8000)
    QMessageBox.information(window, window.tr("Cannot use this drop"), text)


def handle(window: Any, paths: list[str]) -> str:
    """Act on a drop on ``window`` (a MainWindow); returns what was done (tests, status)."""
    tr = window.tr
    if window.catalog is None:
        refuse(window, tr("PyTorch is still loading: drop it again when Start is ready."))
        return "loading"
    dropped = classify(paths)
    idle = not window.controller.is_running()
    path = dropped.paths[0] if dropped.paths else ""
    name = Path(path).name
    if dropped.kind in ("folder", "csv", "config", "checkpoint") and not idle:
        refuse(window, tr("A run is in progress: drop {name} again when it has ended.").format(name=name))
        return "busy"
    if dropped.kind in ("folder", "csv"):
        config = window.collect_config()
        config.data.source = "image_folder" if dropped.kind == "folder" else "csv"
        config.data.root = path
        window.apply_config(config)
        window.statusBar().showMessage(tr("Dataset: {path}").format(path=path), 5000)
        return dropped.kind
    if dropped.kind == "config":
        return "config" if window.open_config(path) else "cancelled"
    if dropped.kind == "checkpoint":
        choice = ask(
            window,
            tr("Checkpoint"),
            tr("{name} is a training checkpoint. Continue training from it, or load its model?").format(name=name),
            [("resume", tr("Resume training")), ("load", tr("Load the model"))],
        )
        if choice == "resume":
            window.resume_from_checkpoint(path)
        elif choice == "load":
            window.open_artifact_dialog("load_weights").file.set_path(path)
        return choice or "cancelled"
    if dropped.kind == "weights":
        choice = ask(
            window,
            tr("Model file"),
            tr("What should TorchDesk do with {name}?").format(name=name),
            [("predict", tr("Predict…")), ("evaluate", tr("Evaluate…")), ("load", tr("Load into the app…"))],
        )
        if choice == "load":
            window.open_artifact_dialog("load_weights").file.set_path(path)
        elif choice is not None:
            window.open_artifact_dialog(choice).set_model(path)
        return choice or "cancelled"
    if dropped.kind == "images":
        window.open_artifact_dialog("predict").add_inputs(dropped.paths)
        return "images"
    refuse(
        window,
        tr(
            "{name} cannot be used here. Drop an image folder or a CSV file (the dataset), a run config "
            "(.toml), a checkpoint (.ckpt) or run folder, a model file ({models}), or images to predict."
        ).format(name=name or tr("This"), models=", ".join(sorted(MODEL_SUFFIXES - {CHECKPOINT_SUFFIX}))),
    )
    return "unsupported"
