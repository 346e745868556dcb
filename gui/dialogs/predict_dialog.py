"""Tools > Predict…: pick or drop images (or CSV files) and see the top-k classes with probabilities.

Each image input is shown as the model saw it (resized, converted), with a warning when its size
or colour mode differs from the training images; the results can be saved as CSV.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from gui.backend_text import backend_tr
from gui.dialogs.artifact_base import ArtifactDialog, run_standalone
from gui.theme import warning_color
from gui.thumbnails import thumbnail_pixmap

if TYPE_CHECKING:
    from backend.artifacts.progress import TaskHooks
    from gui.dialogs.error_dialog import ErrorDialog
    from gui.dialogs.explain_view import ExplainDialog

INPUT_FILTER = "Images or CSV (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff *.csv);;All files (*)"
THUMB = 48  # pixels per side of an input's thumbnail in the results


class PredictDialog(ArtifactDialog):
    def __init__(
        self, model: Any = None, parent: QWidget | None = None, error_dialog: ErrorDialog | None = None
    ) -> None:
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
        self.inputs.setMinimumHeight(70)
        self.inputs.setMaximumHeight(110)  # the results below get the room
        add = QPushButton(self.tr("Add files…"), self)
        add.clicked.connect(self.pick_inputs)
        remove = QPushButton(self.tr("Remove"), self)
        remove.clicked.connect(self._remove_selected)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        # Explain: heat maps or attributions of these inputs (gui/dialogs/explain_view.py).
        self.explain_button = QPushButton(self.tr("Explain…"), self)
        self.explain_button.setObjectName("explainButton")
        self.explain_button.setToolTip(self.tr("Why the model predicts what it does: Grad-CAM, integrated gradients"))
        self.explain_button.clicked.connect(lambda: self.open_explain())
        row.addWidget(self.explain_button)
        self.explain_dialog: Any = None
        row.addStretch(1)
        self.top_k = QSpinBox(self)
        self.top_k.setObjectName("predictTopK")
        self.top_k.setRange(1, 100)
        self.top_k.setValue(5)
        self.options.addRow(self.tr("Inputs (drop files):"), self.inputs)
        self.options.addRow("", row)
        self.options.addRow(self.tr("Top-k:"), self.top_k)
        self.warning = QLabel(self)
        self.warning.setObjectName("predictWarning")
        self.warning.setWordWrap(True)
        self.warning.setVisible(False)
        bold = self.warning.font()
        bold.setBold(True)
        self.warning.setFont(bold)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("predictResults")
        self.tree.setHeaderLabels([self.tr("Input / class"), self.tr("Probability")])
        self.tree.setColumnWidth(0, 420)
        self.tree.setIconSize(QSize(THUMB, THUMB))
        self.tree.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save as CSV…"), self)
        self.save_button.setObjectName("savePredictionsButton")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(lambda: self.save_csv())
        self.results.addWidget(self.warning)
        self.results.addWidget(self.tree, 1)
        self.results.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        self.predictions: list = []
        self._predictor: Any = None
        self._update_buttons()

    # ------------------------------------------------------------------ model (ONNX works here too)
    def open_explain(self) -> ExplainDialog:
        """Explain the selected inputs (all of them when none is selected) with this dialog's model."""
        from gui.dialogs.explain_view import ExplainDialog

        items = self.inputs.selectedItems() or [self.inputs.item(i) for i in range(self.inputs.count())]
        if self.explain_dialog is not None:
            self.explain_dialog.close()  # waits for its task
        self.explain_dialog = ExplainDialog(self._model_source, self, self.error_dialog)
        self.finished.connect(self.explain_dialog.close)  # closed (its task waited for) with this dialog
        self.explain_dialog.trusted = self.trusted  # the user already trusted this model's code here
        self.explain_dialog.set_files([item.text() for item in items])
        self.explain_dialog.show()
        self.explain_dialog.start()
        return self.explain_dialog

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
        if hasattr(self, "explain_button"):
            self.explain_button.setEnabled(self.run_button.isEnabled())

    # ------------------------------------------------------------------ task
    def make_call(self) -> Callable[[TaskHooks], Any]:
        paths = [self.inputs.item(i).text() for i in range(self.inputs.count())]
        if not paths:
            return None
        top_k = self.top_k.value()
        opening = self.tr("opening the model")
        predicting = self.tr("predicting {count} input(s)").format(count=len(paths))

        def call(hooks: TaskHooks) -> Any:  # runs on the worker thread
            hooks.step(0.1, opening)
            predictor = self.predictor()
            hooks.step(0.5, predicting)
            return predictor.predict(paths, top_k=top_k)

        return call

    def show_result(self, predictions: Any) -> None:
        self.predictions = list(predictions)
        self.tree.clear()
        # A pixmap icon is not enlarged to the tree's thumbnail size.
        warn = QIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(16, 16))
        colour = warning_color(self.palette())
        for p in self.predictions:
            top = QTreeWidgetItem(self.tree, [Path(p.input).name if Path(p.input).exists() else p.input, ""])
            top.setToolTip(0, p.input)
            if p.image is not None:  # what the model saw: resized and converted like the training images
                top.setIcon(0, QIcon(thumbnail_pixmap(p.image, THUMB)))
                height, width = p.image.shape[1:]
                top.setToolTip(
                    0,
                    self.tr("{path}\nThe model saw it as {width}x{height}").format(
                        path=p.input, width=width, height=height
                    ),
                )
            if p.error:
                top.setText(1, self.tr("error: {message}").format(message=backend_tr(p.error)))
                top.setForeground(1, Qt.GlobalColor.red)
            for warning in p.warnings:
                text = backend_tr(warning)
                row = QTreeWidgetItem(top, [self.tr("Warning: {message}").format(message=text), ""])
                row.setIcon(0, warn)
                row.setForeground(0, colour)
                row.setToolTip(0, text)
                row.setSizeHint(0, self._wrapped_size(row.text(0), depth=1))
            for name, prob in p.top:
                QTreeWidgetItem(top, [str(name), f"{prob:.1%}"]).setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            if p.top:  # the answer on the input's own row, next to its thumbnail
                name, prob = p.top[0]
                top.setText(1, self.tr("{name} ({probability:.1%})").format(name=name, probability=prob))
                top.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if p.values:
                top.setText(1, ", ".join(f"{v:.6g}" for v in p.values))
            top.setExpanded(True)
        unlike = sum(1 for p in self.predictions if p.warnings)
        self.warning.setVisible(unlike > 0)
        self.warning.setText(
            self.tr(
                "{count} of {total} input(s) differ from the training data (size or colour): "
                "their answers may be unreliable. See the warnings below."
            ).format(count=unlike, total=len(self.predictions))
        )
        palette = self.warning.palette()
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self.warning.setPalette(palette)
        self.save_button.setEnabled(bool(self.predictions))

    def _wrapped_size(self, text: str, depth: int) -> QSize:
        """The size of ``text`` wrapped to column 0 (a tree sizes rows to one line of text otherwise)."""
        width = self.tree.columnWidth(0) - self.tree.indentation() * (depth + 1) - 24  # 24: a small icon
        bounds = self.tree.fontMetrics().boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, text)
        return QSize(width, bounds.height() + 6)

    def save_csv(self, path: str | None = None) -> str | None:
        """Write the results as CSV (``path`` skips the file dialog, which asks before replacing a file)."""
        if not self.predictions:
            return None
        from backend.artifacts.predict import save_predictions_csv

        predictions = self.predictions  # small text: written here, atomically
        return self.write_csv(
            path, self.tr("Save predictions"), "predictions.csv", lambda out: save_predictions_csv(predictions, out)
        )


if __name__ == "__main__":
    raise SystemExit(run_standalone(PredictDialog))
