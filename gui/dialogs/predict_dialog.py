"""Tools > Predict…: pick or drop images (or CSV files) and see the top-k classes with probabilities."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
)

from gui.backend_text import backend_tr
from gui.dialogs.artifact_base import ArtifactDialog, run_standalone

INPUT_FILTER = "Images or CSV (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff *.csv);;All files (*)"


class PredictDialog(ArtifactDialog):
    def __init__(self, model: Any = None, parent=None, error_dialog=None) -> None:  # noqa: ANN001
        super().__init__(model, parent, error_dialog)
        self.setObjectName("predictDialog")
        self.setWindowTitle(self.tr("Predict"))
        self.setMinimumSize(640, 560)
        self.setAcceptDrops(True)
        self.run_button.setText(self.tr("Predict"))
        self.inputs = QListWidget(self)
        self.inputs.setObjectName("predictInputs")
        self.inputs.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.inputs.setToolTip(self.tr("Drop image or CSV files here"))
        self.inputs.setMinimumHeight(90)
        add = QPushButton(self.tr("Add files…"), self)
        add.clicked.connect(self.pick_inputs)
        remove = QPushButton(self.tr("Remove"), self)
        remove.clicked.connect(self._remove_selected)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        self.top_k = QSpinBox(self)
        self.top_k.setObjectName("predictTopK")
        self.top_k.setRange(1, 100)
        self.top_k.setValue(5)
        self.options.addRow(self.tr("Inputs (drop files):"), self.inputs)
        self.options.addRow("", row)
        self.options.addRow(self.tr("Top-k:"), self.top_k)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("predictResults")
        self.tree.setHeaderLabels([self.tr("Input / class"), self.tr("Probability")])
        self.tree.setColumnWidth(0, 380)
        self.results.addWidget(self.tree, 1)
        self.predictions: list = []
        self._predictor: Any = None
        self._update_buttons()

    # ------------------------------------------------------------------ model (ONNX works here too)
    def set_model(self, model: Any) -> None:
        self._predictor = None
        super().set_model(model)

    def predictor(self) -> Any:
        """A Predictor for the model (worker thread only; opened once)."""
        if self._predictor is None:
            from backend.artifacts import runtime
            from backend.artifacts.predict import Predictor

            if isinstance(self._model_source, (str, Path)):
                self._predictor = Predictor.open(self._model_source, trusted=self.trusted)  # ONNX files too
            else:  # a model already in memory: a CPU copy of it
                loaded = self.load()
                self._predictor = Predictor(runtime.torch_runner(loaded.model), loaded.meta, loaded.source, "PyTorch")
        return self._predictor

    # ------------------------------------------------------------------ inputs
    def add_inputs(self, paths: list[str]) -> None:
        present = {self.inputs.item(i).text() for i in range(self.inputs.count())}
        for path in paths:
            if path and path not in present:
                self.inputs.addItem(path)
                present.add(path)
        self._update_buttons()

    def pick_inputs(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Choose inputs"), "", self.tr(INPUT_FILTER))
        self.add_inputs(paths)

    def _remove_selected(self) -> None:
        for item in self.inputs.selectedItems():
            self.inputs.takeItem(self.inputs.row(item))
        self._update_buttons()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        self.add_inputs([p for p in paths if Path(p).is_file()])
        event.acceptProposedAction()

    def _update_buttons(self) -> None:
        super()._update_buttons()
        if hasattr(self, "inputs") and self.inputs.count() == 0:
            self.run_button.setEnabled(False)

    # ------------------------------------------------------------------ task
    def make_call(self):  # noqa: ANN201
        paths = [self.inputs.item(i).text() for i in range(self.inputs.count())]
        if not paths:
            return None
        top_k = self.top_k.value()
        opening = self.tr("opening the model")
        predicting = self.tr("predicting {count} input(s)").format(count=len(paths))

        def call(hooks):  # noqa: ANN001, ANN202 - runs on the worker thread
            hooks.step(0.1, opening)
            predictor = self.predictor()
            hooks.step(0.5, predicting)
            return predictor.predict(paths, top_k=top_k)

        return call

    def show_result(self, predictions: Any) -> None:
        self.predictions = list(predictions)
        self.tree.clear()
        for p in self.predictions:
            top = QTreeWidgetItem(self.tree, [Path(p.input).name if Path(p.input).exists() else p.input, ""])
            top.setToolTip(0, p.input)
            if p.error:
                top.setText(1, self.tr("error: {message}").format(message=backend_tr(p.error)))
                top.setForeground(1, Qt.GlobalColor.red)
            for name, prob in p.top:
                QTreeWidgetItem(top, [str(name), f"{prob:.1%}"]).setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            if p.values:
                top.setText(1, ", ".join(f"{v:.6g}" for v in p.values))
            top.setExpanded(True)


if __name__ == "__main__":
    raise SystemExit(run_standalone(PredictDialog))
