"""A gallery of misclassified validation samples after each validation (true and predicted labels).

The epoch event carries ``misclassified``: up to 32 ``{"index", "true", "pred", "confidence"}``
entries, the index being a position in the validation split; ``SampleGallery`` reads and shows them.
"""

from __future__ import annotations

import sys

import numpy as np
from PySide6.QtCore import QPoint, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from gui.panels.sample_gallery import SampleGallery
from gui.thumbnails import COLUMNS


class MisclassifiedPanel(SampleGallery):
    """Thumbnails of wrong predictions, each captioned "true → predicted (confidence)"."""

    sig_explain = Signal(object)
    """A shown sample's image (uint8 C, H, W) to explain with the current model."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Misclassified validation samples appear after each validation."), parent)
        self.setObjectName("misclassifiedPanel")
        # Explain (right-click a thumbnail): why the current model predicted what it did (gui/dialogs/explain_view.py).
        self._images: np.ndarray | None = None
        self.thumbs.box.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.thumbs.box.customContextMenuRequested.connect(self._context_menu)

    @Slot(object)
    def _on_read(self, result: object) -> None:
        images = result[0] if isinstance(result, tuple) else None
        self._images = images if isinstance(images, np.ndarray) else None
        super()._on_read(result)

    def explain_sample(self, position: int) -> bool:
        """Ask to explain the ``position``-th shown sample; False when its image is not at hand."""
        if self._images is None or not 0 <= position < min(len(self._images), len(self.shown)):
            return False
        self.sig_explain.emit(self._images[position])
        return True

    @Slot(QPoint)
    def _context_menu(self, pos: QPoint) -> None:
        widget = self.thumbs.box.childAt(pos)
        index = self.thumbs.grid.indexOf(widget) if widget is not None else -1
        if index < 0:
            return
        row, column, _, _ = self.thumbs.grid.getItemPosition(index)
        position = (row // 2) * COLUMNS + column  # a thumbnail and its caption share a column
        menu = QMenu(self)
        action = menu.addAction(self.tr("Explain this prediction…"))
        action.setEnabled(self._images is not None)
        action.triggered.connect(lambda: self.explain_sample(position))
        menu.exec(self.thumbs.box.mapToGlobal(pos))

    @Slot(object)
    def add_events(self, events: list) -> None:
        """Show the wrong predictions of the last validation in this batch of events."""
        last = next((e for e in reversed(events) if e.get("event") == "epoch" and "misclassified" in e), None)
        if last is None:
            return
        epoch, entries = int(last.get("epoch", 0)), list(last.get("misclassified") or [])
        if not entries:
            caption = self.tr("Epoch {epoch}: no misclassified validation samples.").format(epoch=epoch)
        else:
            caption = self.tr("Epoch {epoch}: {n} misclassified validation samples (true → predicted).").format(
                epoch=epoch, n=len(entries)
            )
        self.show_entries(entries, caption)


if __name__ == "__main__":
    app = QApplication.instance() or QApplication(sys.argv)
    panel = MisclassifiedPanel()
    panel.set_class_names([str(i) for i in range(10)])
    rng = np.random.default_rng(0)

    class _Noise:
        def images(self, indices: list[int]) -> np.ndarray:
            return rng.integers(0, 255, (len(indices), 1, 8, 8), dtype=np.uint8)

        def names(self, indices: list[int]) -> None:
            return None

    panel.set_source(_Noise())
    panel.add_events(
        [
            {
                "event": "epoch",
                "epoch": 1,
                "misclassified": [
                    {"index": i, "true": i % 10, "pred": (i + 3) % 10, "confidence": 0.5 + i / 50} for i in range(20)
                ],
            }
        ]
    )
    panel.resize(700, 400)
    panel.show()
    raise SystemExit(app.exec())
