"""A gallery of misclassified validation samples after each validation (true and predicted labels).

The epoch event carries ``misclassified``: up to 32 ``{"index", "true", "pred"}`` entries, the
index being a position in the validation split. The images are read from the run's dataset
on a ``gui.tasks.Task`` thread (``gui.val_samples``) and drawn here, in the GUI thread.
"""

from __future__ import annotations

import sys

import numpy as np
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from gui.backend_text import backend_tr
from gui.tasks import Task, TaskState
from gui.thumbnails import ThumbnailGrid


def _read(state: TaskState, source, indices: list[int]) -> object:  # noqa: ANN001 - a ValImageSource
    """A uint8 (n, C, H, W) array, None for tabular data, or an error text."""
    try:
        return source.images(indices)
    except Exception as exc:  # noqa: BLE001 - shown in the panel; the run itself is unaffected
        return str(exc)


class MisclassifiedPanel(QWidget):
    """Thumbnails of wrong predictions, each captioned "true → predicted"."""

    sig_shown = Signal(int)
    """The gallery was redrawn with this many samples."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("misclassifiedPanel")
        self.caption = QLabel(self.tr("Misclassified validation samples appear after each validation."), self)
        self.caption.setWordWrap(True)
        self.thumbs = ThumbnailGrid(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.caption)
        layout.addWidget(self.thumbs, 1)
        self._source = None
        self._class_names: list[str] = []
        self._pending: tuple[int, list[dict]] = (0, [])
        self._reader = Task(self, name="Gallery")
        self._reader.sig_result.connect(self._on_images)
        self.shown: list[dict] = []  # the entries on display (tests, accessibility)

    def set_source(self, source) -> None:  # noqa: ANN001 - gui.val_samples.ValImageSource or None
        """Where images come from (the run's validation split); None shows labels only."""
        self._source = source

    def set_class_names(self, names: list[str]) -> None:
        self._class_names = [str(n) for n in names]

    def clear(self) -> None:
        self._reader.discard()
        self.thumbs.clear()
        self.shown = []
        self.caption.setText(self.tr("Misclassified validation samples appear after each validation."))

    def _label(self, index: int) -> str:
        return self._class_names[index] if 0 <= index < len(self._class_names) else str(index)

    @Slot(object)
    def add_events(self, events: list) -> None:
        """Show the wrong predictions of the last validation in this batch of events."""
        last = next((e for e in reversed(events) if e.get("event") == "epoch" and "misclassified" in e), None)
        if last is None:
            return
        entries = [e for e in last.get("misclassified") or [] if isinstance(e, dict) and "index" in e]
        self._pending = (int(last.get("epoch", 0)), entries)
        if not entries or self._source is None:
            self._reader.discard()  # a read for an older epoch is dropped
            self._show(None)
            return
        self._reader.start(_read, self._source, [int(e["index"]) for e in entries])

    @Slot(object)
    def _on_images(self, images: object) -> None:
        self._show(images)

    def _show(self, images: object) -> None:
        epoch, entries = self._pending
        self.thumbs.clear()
        error = images if isinstance(images, str) else ""
        arrays = images if isinstance(images, np.ndarray) else None
        for i, entry in enumerate(entries):
            true, pred = self._label(int(entry.get("true", -1))), self._label(int(entry.get("pred", -1)))
            self.thumbs.add(
                arrays[i] if arrays is not None and i < len(arrays) else None,
                self.tr("{true} → {pred}").format(true=true, pred=pred),
                self.tr("Validation sample {index}: true {true}, predicted {pred}").format(
                    index=entry["index"], true=true, pred=pred
                ),
                placeholder=self.tr("#{index}").format(index=entry["index"]),
            )
        self.shown = list(entries)
        if not entries:
            text = self.tr("Epoch {epoch}: no misclassified validation samples.").format(epoch=epoch)
        else:
            text = self.tr("Epoch {epoch}: {n} misclassified validation samples (true → predicted).").format(
                epoch=epoch, n=len(entries)
            )
        if error:
            text += " " + self.tr("The images cannot be read: {message}").format(message=backend_tr(error))
        self.caption.setText(text)
        self.sig_shown.emit(len(entries))

    def wait(self) -> None:
        """Block until image reads are done (closing, tests)."""
        self._reader.wait()


if __name__ == "__main__":
    app = QApplication.instance() or QApplication(sys.argv)
    panel = MisclassifiedPanel()
    panel.set_class_names([str(i) for i in range(10)])
    rng = np.random.default_rng(0)

    class _Noise:
        def images(self, indices: list[int]) -> np.ndarray:
            return rng.integers(0, 255, (len(indices), 1, 8, 8), dtype=np.uint8)

    panel.set_source(_Noise())
    panel.add_events(
        [
            {
                "event": "epoch",
                "epoch": 1,
                "misclassified": [{"index": i, "true": i % 10, "pred": (i + 3) % 10} for i in range(20)],
            }
        ]
    )
    panel.resize(700, 400)
    panel.show()
    raise SystemExit(app.exec())
