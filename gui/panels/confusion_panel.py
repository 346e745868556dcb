"""Confusion matrix of the last validation pass, as a heatmap with counts; click a cell to see its samples."""

from __future__ import annotations

import math
import sys
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QPen, QShowEvent
from PySide6.QtWidgets import QApplication, QGraphicsRectItem, QLabel, QSplitter, QVBoxLayout, QWidget

from gui.panels.sample_gallery import SampleGallery

if TYPE_CHECKING:
    import pyqtgraph as pg

MAX_LABELLED = 30  # class names on the axes up to this many classes
MAX_COUNTS = 15  # counts written in the cells up to this many classes
GALLERY_HEIGHT = 140  # pixels: a caption and one row of captioned thumbnails


class ConfusionPanel(QWidget):
    """Rows are true classes, columns predicted ones; updated after each validation."""

    sig_cell_selected = Signal(int, int)
    """A cell was clicked: its true and predicted class."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The heatmap is built when the panel is first shown (its tab is not the first one): pyqtgraph
        # plots are slow to build, and the main window's first paint should not wait for this one.
        self.plot: pg.PlotWidget | None = None
        self.image: pg.ImageItem | None = None
        self.marker: QGraphicsRectItem | None = None
        self._dark = False
        self.caption = QLabel(
            self.tr("The confusion matrix appears after the first validation of a classification run."), self
        )
        self.caption.setWordWrap(True)
        self._texts: list[pg.TextItem] = []
        self._class_names: list[str] = []
        # The samples of a clicked cell, below the matrix.
        self.samples = SampleGallery(self.tr("Click a cell to see its validation samples."), self)
        self.samples.setObjectName("confusionSamples")
        top = QWidget(self)
        self._column = QVBoxLayout(top)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.addWidget(self.caption)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.samples)
        self.splitter.setStretchFactor(0, 1)
        self.samples.setVisible(False)  # until a cell is clicked: the matrix gets the room
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.matrix: np.ndarray | None = None
        self.cell_samples: list[dict] = []
        self.selected: tuple[int, int] | None = None
        self._epoch: int | None = None
        self._pending: tuple[np.ndarray, int | None, list] | None = None

    def _ensure_plot(self) -> pg.PlotWidget:
        if self.plot is not None:
            return self.plot
        import pyqtgraph as pg

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
        self.marker = QGraphicsRectItem()
        self.marker.setPen(QPen(Qt.GlobalColor.red, 0))  # cosmetic: one pixel wide at any zoom
        self.marker.setVisible(False)
        item.addItem(self.marker)
        self._column.insertWidget(0, self.plot, 1)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self._apply_colours()
        return self.plot

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self._apply_colours()

    def _apply_colours(self) -> None:
        if self.plot is None:
            return
        background, foreground = ("#1e1e1e", "#d0d0d0") if self._dark else ("#ffffff", "#303030")
        self.plot.setBackground(background)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(foreground)
            axis.setTextPen(foreground)

    def set_class_names(self, names: list[str]) -> None:
        self._class_names = [str(n) for n in names]
        self.samples.set_class_names(self._class_names)

    def set_source(self, source: Any) -> None:  # gui.val_samples.ValImageSource or None
        """Where a cell's sample images and file names are read from (the run's validation split)."""
        self.samples.set_source(source)

    def _make_cells(self, n: int) -> None:
        """Count labels are created once per matrix size and then only re-texted."""
        import pyqtgraph as pg

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
        self.cell_samples = []
        self.selected = None
        self.samples.clear()
        self.samples.setVisible(False)
        if self.plot is not None:
            self.marker.setVisible(False)
            self.image.clear()
            for text in self._texts:
                self.plot.removeItem(text)
        self._texts = []

    @Slot(object)
    def add_events(self, events: list) -> None:
        """Keep the confusion matrix of the latest epoch; draw it only while it is on screen."""
        for event in reversed(events):
            if event.get("event") == "epoch" and event.get("confusion"):
                matrix = np.asarray(event["confusion"], dtype=float)
                self._pending = (matrix, event.get("epoch"), list(event.get("cell_samples") or []))
                break
        if self._pending is not None and self.isVisible():
            self.show_matrix(*self._pending)

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        self._ensure_plot()
        if self._pending is not None:
            self.show_matrix(*self._pending)

    def show_matrix(self, matrix: np.ndarray, epoch: int | None = None, cell_samples: list | None = None) -> None:
        matrix = np.asarray(matrix, dtype=float)
        self._ensure_plot()
        self._pending = None
        n = matrix.shape[0]
        if self.matrix is None or self.matrix.shape != matrix.shape:
            self.clear()
            self._make_cells(n)
        self.matrix = matrix
        self.cell_samples = list(cell_samples or [])
        self._epoch = epoch
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
            + " "
            + self.tr("Click a cell to see its samples.")
        )
        if self.selected is not None:  # the chosen cell follows the new validation
            self.select_cell(*self.selected)

    @Slot(object)
    def _on_click(self, event: Any) -> None:
        if self.matrix is None or event.button() != Qt.MouseButton.LeftButton:
            return
        point = self.plot.getPlotItem().vb.mapSceneToView(event.scenePos())
        col, row = math.floor(point.x()), math.floor(point.y())
        if 0 <= row < self.matrix.shape[0] and 0 <= col < self.matrix.shape[1]:
            self.select_cell(row, col)

    def select_cell(self, true: int, pred: int) -> None:
        """Show the recorded validation samples of the cell (true class, predicted class)."""
        if self.matrix is None:
            return
        self.selected = (true, pred)
        if not self.samples.isVisible():  # one row of thumbnails below the matrix
            self.samples.setVisible(True)
            total = sum(self.splitter.sizes())
            self.splitter.setSizes([max(total - GALLERY_HEIGHT, GALLERY_HEIGHT), GALLERY_HEIGHT])
        self.marker.setRect(pred, true, 1, 1)
        self.marker.setVisible(True)
        entries = [e for e in self.cell_samples if e.get("true") == true and e.get("pred") == pred]
        count = int(self.matrix[true, pred])
        names = dict(true=self.samples.label(true), pred=self.samples.label(pred), epoch=self._epoch or "?")
        if count == 0:
            caption = self.tr("Epoch {epoch}: no validation sample of class {true} was predicted as {pred}.")
        elif not entries:
            caption = self.tr(
                "Epoch {epoch}: {count} sample(s) of class {true} predicted as {pred}; "
                "this run did not record which ones."
            )
        elif true == pred:
            caption = self.tr(
                "Epoch {epoch}: {count} sample(s) of class {true} predicted correctly; "
                "{shown} shown, the least confident first."
            )
        else:
            caption = self.tr(
                "Epoch {epoch}: {count} sample(s) of class {true} predicted as {pred}; "
                "{shown} shown, the most confident first."
            )
        self.samples.show_entries(entries, caption.format(count=count, shown=len(entries), **names))
        self.sig_cell_selected.emit(true, pred)

    def wait(self) -> None:
        """Block until image reads are done (closing, tests)."""
        self.samples.wait()


if __name__ == "__main__":
    app = QApplication.instance() or QApplication(sys.argv)
    panel = ConfusionPanel()
    rng = np.random.default_rng(0)
    demo = np.diag(rng.integers(20, 40, 10)) + rng.integers(0, 3, (10, 10))

    class _Noise:
        def images(self, indices: list[int]) -> np.ndarray:
            return rng.integers(0, 255, (len(indices), 1, 8, 8), dtype=np.uint8)

        def names(self, indices: list[int]) -> list[str]:
            return [f"/data/val/{i:05d}.png" for i in indices]

    samples = [
        {"index": 10 * r + c + k, "true": r, "pred": c, "confidence": 0.9 - 0.1 * k}
        for r in range(10)
        for c in range(10)
        for k in range(min(int(demo[r, c]), 3))
    ]
    panel.set_source(_Noise())
    panel.show_matrix(demo, 3, samples)
    panel.resize(600, 800)
    panel.show()
    raise SystemExit(app.exec())
