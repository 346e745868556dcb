"""Confusion matrix of the last validation pass, as a heatmap with counts."""

from __future__ import annotations

import sys

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Slot
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

MAX_LABELLED = 30  # class names on the axes up to this many classes
MAX_COUNTS = 15  # counts written in the cells up to this many classes


class ConfusionPanel(QWidget):
    """Rows are true classes, columns predicted ones; updated after each validation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(self)
        self.plot.setObjectName("confusionPlot")
        item = self.plot.getPlotItem()
        item.setLabel("left", self.tr("true class"))
        item.setLabel("bottom", self.tr("predicted class"))
        item.invertY(True)
        item.setAspectLocked(True)
        item.hideButtons()
        self.image = pg.ImageItem()
        self.image.setColorMap(pg.colormap.get("viridis"))
        item.addItem(self.image)
        self.caption = QLabel(
            self.tr("The confusion matrix appears after the first validation of a classification run."), self
        )
        self.caption.setWordWrap(True)
        self._texts: list[pg.TextItem] = []
        self._class_names: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.caption)
        self.matrix: np.ndarray | None = None
        self._pending: tuple[np.ndarray, int | None] | None = None

    def set_dark(self, dark: bool) -> None:
        background, foreground = ("#1e1e1e", "#d0d0d0") if dark else ("#ffffff", "#303030")
        self.plot.setBackground(background)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(foreground)
            axis.setTextPen(foreground)

    def set_class_names(self, names: list[str]) -> None:
        self._class_names = [str(n) for n in names]

    def _make_cells(self, n: int) -> None:
        """Count labels are created once per matrix size and then only re-texted."""
        if n <= MAX_COUNTS:
            for r in range(n):
                for c in range(n):
                    text = pg.TextItem("", anchor=(0.5, 0.5))
                    text.setPos(c + 0.5, r + 0.5)
                    self.plot.addItem(text)
                    self._texts.append(text)
        self.plot.getPlotItem().setRange(xRange=(0, n), yRange=(0, n), padding=0.02)

    def clear(self) -> None:
        self._pending = None
        self.matrix = None
        self.image.clear()
        for text in self._texts:
            self.plot.removeItem(text)
        self._texts = []

    @Slot(object)
    def add_events(self, events: list) -> None:
        """Keep the confusion matrix of the latest epoch; draw it only while it is on screen."""
        for event in reversed(events):
            if event.get("event") == "epoch" and event.get("confusion"):
                self._pending = (np.asarray(event["confusion"], dtype=float), event.get("epoch"))
                break
        if self._pending is not None and self.isVisible():
            self.show_matrix(*self._pending)

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        super().showEvent(event)
        if self._pending is not None:
            self.show_matrix(*self._pending)

    def show_matrix(self, matrix: np.ndarray, epoch: int | None = None) -> None:
        matrix = np.asarray(matrix, dtype=float)
        self._pending = None
        n = matrix.shape[0]
        if self.matrix is None or self.matrix.shape != matrix.shape:
            self.clear()
            self._make_cells(n)
        self.matrix = matrix
        n = matrix.shape[0]
        # Colour by the fraction of each true class (recall), so errors stay visible next to a
        # large diagonal; the cells show the counts. ImageItem indexes [x, y]: transpose.
        rows = matrix.sum(axis=1, keepdims=True)
        fractions = np.divide(matrix, rows, out=np.zeros_like(matrix), where=rows > 0)
        self.image.setImage(fractions.T, levels=(0.0, 1.0))
        self.image.setRect(0, 0, n, n)
        names = self._class_names if len(self._class_names) == n else [str(i) for i in range(n)]
        ticks = [(i + 0.5, names[i]) for i in range(n)] if n <= MAX_LABELLED else None
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).setTicks([ticks] if ticks else None)
        for i, text in enumerate(self._texts):
            r, c = divmod(i, n)
            text.setText(f"{int(matrix[r, c])}", color="k" if fractions[r, c] > 0.6 else "w")
        total = matrix.sum()
        accuracy = np.trace(matrix) / total if total else 0.0
        self.caption.setText(
            self.tr("Epoch {epoch}: {correct:.0f} of {total:.0f} validation samples correct ({acc:.1f}%).").format(
                epoch=epoch if epoch is not None else "?", correct=np.trace(matrix), total=total, acc=100 * accuracy
            )
        )


if __name__ == "__main__":
    app = QApplication.instance() or QApplication(sys.argv)
    panel = ConfusionPanel()
    rng = np.random.default_rng(0)
    demo = np.diag(rng.integers(20, 40, 10)) + rng.integers(0, 3, (10, 10))
    panel.show_matrix(demo, 3)
    panel.resize(600, 600)
    panel.show()
    raise SystemExit(app.exec())
