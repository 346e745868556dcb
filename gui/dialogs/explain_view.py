"""Explain…: why the model predicts what it does, for image files, CSV rows or a validation sample.

Opened from Predict (its inputs) and from the misclassified gallery (a sample's image). The
explanation (backend/artifacts/explain.py: Grad-CAM, integrated gradients or saliency, with Captum)
is computed on the dialog's task thread, on a CPU copy of the model; an image shows the heat map over
it, a table row a bar chart of per-feature attributions. The method used is named over the view.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backend.core.experiments import METHOD_TITLES, METHODS
from gui.backend_text import backend_tr
from gui.dialogs.artifact_base import ArtifactDialog
from gui.thumbnails import to_qimage

if TYPE_CHECKING:
    from backend.artifacts.progress import TaskHooks


class OverlayView(QLabel):
    """An explanation's picture (uint8 H, W, 3), fitted to the label with its pixels kept sharp."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("explainOverlay")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(240, 240)
        self._pixmap = QPixmap()

    def set_picture(self, rgb: np.ndarray | None) -> None:
        self._pixmap = QPixmap() if rgb is None else QPixmap.fromImage(to_qimage(np.transpose(rgb, (2, 0, 1))))
        self._fit()

    def has_picture(self) -> bool:
        return not self._pixmap.isNull()

    def _fit(self) -> None:
        if self._pixmap.isNull():
            self.clear()
            return
        self.setPixmap(
            self._pixmap.scaled(
                self.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
            )
        )

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()


class ExplainDialog(ArtifactDialog):
    """Explain the current model's predictions; the heat map or attributions of each input."""

    def __init__(self, model: Any = None, parent: QWidget | None = None, error_dialog: Any = None) -> None:
        super().__init__(model, parent, error_dialog)
        self.setObjectName("explainDialog")
        self.setWindowTitle(self.tr("Explain"))
        self.setMinimumSize(720, 560)
        self.run_button.setText(self.tr("Explain"))
        self.method = QComboBox(self)
        self.method.setObjectName("explainMethod")
        self.method.addItem(self.tr("Automatic (Grad-CAM for convolutional networks)"), "auto")
        for key in METHODS:
            self.method.addItem(self.tr(METHOD_TITLES[key]), key)
        self.method.setToolTip(
            self.tr(
                "Grad-CAM: where the last convolution looked. Integrated gradients: how much each pixel or "
                "feature moved the prediction from a blank input. Saliency: the gradient's size per pixel."
            )
        )
        self.method.currentIndexChanged.connect(lambda _i: self.start() if self.explanations else None)
        self.options.addRow(self.tr("Method:"), self.method)
        self.inputs_label = QLabel(self)
        self.inputs_label.setWordWrap(True)
        self.options.addRow(self.tr("Inputs:"), self.inputs_label)

        self.list = QListWidget(self)
        self.list.setObjectName("explainInputs")
        self.list.currentRowChanged.connect(self._show)
        self.title = QLabel(self)
        self.title.setObjectName("explainTitle")
        self.title.setWordWrap(True)
        bold = self.title.font()
        bold.setBold(True)
        self.title.setFont(bold)
        self.overlay = OverlayView(self)
        self.bars = pg.PlotWidget(self)
        self.bars.setObjectName("explainBars")
        self.bars.setBackground("w")
        self.bars.setLabel("bottom", self.tr("attribution (towards the explained output)"))
        self.bars.setMouseEnabled(x=False, y=False)
        self.bars.getAxis("bottom").enableAutoSIPrefix(False)
        self.view = QStackedWidget(self)
        self.view.addWidget(self.overlay)
        self.view.addWidget(self.bars)
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.view, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.list)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        self.results.addWidget(split, 1)

        self.files: list[str] = []
        self.image: np.ndarray | None = None
        self.explanations: list = []
        self._explainer: Any = None
        self._update_buttons()

    # ------------------------------------------------------------------ inputs
    def set_model(self, model: Any) -> None:
        self._explainer = None
        super().set_model(model)

    def set_files(self, paths: list[str]) -> None:
        """Explain these image or CSV files (Predict's inputs)."""
        self.files, self.image = list(paths), None
        self.inputs_label.setText(", ".join(Path(p).name for p in self.files))
        self._update_buttons()

    def set_image(self, image: np.ndarray) -> None:
        """Explain one uint8 (C, H, W) image at the training size (a validation sample)."""
        self.files, self.image = [], np.asarray(image)
        self.inputs_label.setText(self.tr("a validation sample of the gallery"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        super()._update_buttons()
        if hasattr(self, "files") and not self.files and self.image is None:
            self.run_button.setEnabled(False)

    # ------------------------------------------------------------------ task
    def explainer(self) -> Any:
        """The Explainer of the dialog's CPU copy of the model (worker thread only; made once)."""
        if self._explainer is None:
            from backend.artifacts.explain import Explainer

            self._explainer = Explainer(self.load())
        return self._explainer

    def make_call(self) -> Callable[[TaskHooks], Any]:
        if not self.files and self.image is None:
            return None
        method, files, image = self.method.currentData(), list(self.files), self.image
        label = self.tr("validation sample")
        opening = self.tr("opening the model")
        explaining = self.tr("explaining {count} input(s)").format(count=len(files) or 1)

        def call(hooks: TaskHooks) -> Any:  # runs on the worker thread
            hooks.step(0.1, opening)
            explainer = self.explainer()
            chosen = explainer.default_method() if method == "auto" else method
            hooks.step(0.4, explaining)
            if image is not None:
                return [explainer.explain_image(image, label, chosen)]
            return explainer.explain(files, chosen)

        return call

    def show_result(self, explanations: Any) -> None:
        self.explanations = list(explanations)
        self.list.clear()
        for e in self.explanations:
            path, sep, row = e.input.rpartition(":row ")  # a CSV row: "<file>:row N"
            item = QListWidgetItem(f"{Path(path).name}:row {row}" if sep else Path(e.input).name)
            item.setToolTip(e.input)
            if e.error:
                item.setForeground(Qt.GlobalColor.red)
            self.list.addItem(item)
        self.list.setVisible(len(self.explanations) > 1)
        self.list.setCurrentRow(0)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.explanations):
            return
        e = self.explanations[row]
        if e.error:
            self.title.setText(self.tr("error: {message}").format(message=backend_tr(e.error)))
            self.overlay.set_picture(None)
            self.view.setCurrentWidget(self.overlay)
            return
        score = f"{e.score:.1%}" if e.task == "classification" else f"{e.score:.4g}"
        self.title.setText(
            self.tr("{method} of the prediction {target} ({score})").format(
                method=self.tr(METHOD_TITLES[e.method]), target=e.target, score=score
            )
        )
        if e.heatmap is not None:
            self.overlay.set_picture(e.overlay())
            self.view.setCurrentWidget(self.overlay)
        else:
            self._show_bars(e.features, e.attributions)
            self.view.setCurrentWidget(self.bars)

    def _show_bars(self, names: list[str], values: list[float]) -> None:
        self.bars.clear()
        ys = list(range(len(names)))[::-1]  # the first feature on top
        brushes = [pg.mkBrush(214, 39, 40) if v > 0 else pg.mkBrush(31, 119, 180) for v in values]
        self.bars.addItem(pg.BarGraphItem(x0=0, y=ys, height=0.6, width=values, brushes=brushes))
        self.bars.getAxis("left").setTicks([list(zip(ys, names, strict=True))])
        self.bars.addItem(pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen((128, 128, 128))))
        span = max((abs(v) for v in values), default=1.0) or 1.0
        self.bars.setRange(xRange=(-span * 1.1, span * 1.1), yRange=(-0.6, len(names) - 0.4))


if __name__ == "__main__":  # python -m gui.dialogs.explain_view MODEL INPUT...
    import sys

    app = QApplication.instance() or QApplication(sys.argv)
    dialog = ExplainDialog(sys.argv[1] if len(sys.argv) > 1 else None)
    dialog.set_files(sys.argv[2:])
    dialog.show()
    dialog.start()
    dialog.finished.connect(app.quit)
    raise SystemExit(app.exec())
