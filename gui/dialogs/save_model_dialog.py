"""File > Save model…: weights (.pth / .safetensors), a resumable .ckpt, TorchScript or a pickled model."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QPushButton, QWidget

from gui.backend_text import backend_tr
from gui.dialogs.artifact_base import ArtifactDialog, OutputPath, PathLabel, open_folder, run_standalone

if TYPE_CHECKING:
    from backend.artifacts.progress import TaskHooks
    from gui.dialogs.error_dialog import ErrorDialog


class SaveModelDialog(ArtifactDialog):
    def __init__(
        self, model: Any = None, parent: QWidget | None = None, error_dialog: ErrorDialog | None = None
    ) -> None:
        super().__init__(model, parent, error_dialog)
        self.setObjectName("saveModelDialog")
        self.setWindowTitle(self.tr("Save model"))
        self.run_button.setText(self.tr("Save"))
        self.format = QComboBox(self)
        self.format.setObjectName("saveFormat")
        for key, text in (
            ("safetensors", self.tr("Weights, safetensors (.safetensors)")),
            ("pth", self.tr("Weights, PyTorch state_dict (.pth)")),
            ("ckpt", self.tr("Training checkpoint, resumable (.ckpt)")),
            ("torchscript", self.tr("TorchScript (.pt)")),
            ("pickle", self.tr("Full pickled model (.pkl.pth)")),
        ):
            self.format.addItem(text, key)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.warning = QLabel(self)
        self.warning.setObjectName("saveWarning")
        self.warning.setWordWrap(True)
        self.out = OutputPath(self.tr("default: <run folder>/exports/<run>-<format>-<date>"), parent=self)
        self.out.setObjectName("saveOut")
        self.options.addRow(self.tr("Format:"), self.format)
        self.options.addRow("", self.warning)
        self.options.addRow(self.tr("Output file:"), self.out)

        box = QGroupBox(self.tr("Result"), self)
        form = QFormLayout(box)
        self.file_label = PathLabel("—", box)
        self.file_label.setObjectName("saveFile")
        self.size_label = QLabel("—", box)
        self.size_label.setObjectName("saveSize")
        self.notes_label = QLabel("", box)
        self.notes_label.setObjectName("saveNotes")
        self.notes_label.setWordWrap(True)
        self.open_button = QPushButton(self.tr("Open containing folder"), box)
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_folder)
        form.addRow(self.tr("File:"), self.file_label)
        form.addRow(self.tr("Size:"), self.size_label)
        form.addRow(self.tr("Notes:"), self.notes_label)
        form.addRow("", self.open_button)
        self.results.addWidget(box)
        self.result = None
        self._format_changed()

    def _format_changed(self) -> None:
        texts = {
            "pickle": self.tr(
                "Warning: loading a pickled model runs code from the file; load it only from trusted "
                "sources, and share .safetensors weights instead."
            ),
            "ckpt": self.tr("Needs a training checkpoint as the source (a run's checkpoints/last.ckpt)."),
        }
        text = texts.get(self.format.currentData(), "")
        self.warning.setText(text)
        self.warning.setVisible(bool(text))

    def make_call(self) -> Callable[[TaskHooks], Any]:
        fmt, out = self.format.currentData(), self.out.path() or None
        loading, writing = self.tr("loading the model"), self.tr("writing {format}").format(format=fmt)

        def call(hooks: TaskHooks) -> Any:  # runs on the worker thread
            from backend.artifacts.save import save_model

            hooks.step(0.1, loading)
            loaded = self.load()
            hooks.step(0.4, writing)
            return save_model(loaded, fmt, out)

        return call

    def show_result(self, result: Any) -> None:
        self.result = result
        self.file_label.set_path(result.path)
        self.size_label.setText(
            self.tr("{mb:.3f} MB ({bytes} bytes)").format(mb=result.size_bytes / 1e6, bytes=result.size_bytes)
        )
        self.notes_label.setText("\n".join(backend_tr(note) for note in result.notes) or self.tr("none"))
        self.open_button.setEnabled(True)

    def open_folder(self) -> None:
        if self.result is not None:
            open_folder(self.result.path)


if __name__ == "__main__":
    raise SystemExit(run_standalone(SaveModelDialog))
