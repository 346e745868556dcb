"""Validation samples as captioned thumbnails: the misclassified gallery and a confusion cell's samples.

Entries come from the epoch event (``misclassified`` / ``cell_samples``): ``{"index", "true",
"pred", "confidence"}``, the index being a position in the validation split. Images and file
names are read from the run's dataset (``gui.val_samples.ValImageSource``) on a ``gui.tasks.Task``
thread and drawn here, in the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gui.backend_text import backend_tr
from gui.tasks import Task, TaskState
from gui.thumbnails import ThumbnailGrid

NAME_WIDTH = 120  # pixels of a file name under a thumbnail (elided in the middle; the tooltip has it all)


def _read(state: TaskState, source: Any, indices: list[int]) -> object:
    """(images, names): a uint8 (n, C, H, W) array or None for tabular data, and the file names or
    None where the data has none; or an error text."""
    try:
        return source.images(indices), source.names(indices)
    except Exception as exc:  # noqa: BLE001 - shown in the gallery; the run itself is unaffected
        return str(exc)


class SampleGallery(QWidget):
    """A caption over thumbnails captioned "true → predicted (confidence)"; tooltips name the file."""

    sig_shown = Signal(int)
    """The gallery was redrawn with this many samples."""

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel(placeholder, self)
        self.caption.setWordWrap(True)
        self.thumbs = ThumbnailGrid(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.caption)
        layout.addWidget(self.thumbs, 1)
        self._placeholder = placeholder
        self._source: Any = None
        self._class_names: list[str] = []
        self._pending: tuple[list[dict], str] = ([], "")
        self._reader = Task(self, name="Gallery")
        self._reader.sig_result.connect(self._on_read)
        self.shown: list[dict] = []  # the entries on display (tests, accessibility)
        self.names: list[str | None] = []  # their file names, where the data has files

    def set_source(self, source: Any) -> None:  # gui.val_samples.ValImageSource or None
        """Where images come from (the run's validation split); None shows labels only."""
        self._source = source

    def set_class_names(self, names: list[str]) -> None:
        self._class_names = [str(n) for n in names]

    def label(self, index: int) -> str:
        return self._class_names[index] if 0 <= index < len(self._class_names) else str(index)

    def clear(self) -> None:
        self._reader.discard()
        self.thumbs.clear()
        self.shown = []
        self.names = []
        self.caption.setText(self._placeholder)

    def show_entries(self, entries: list[dict], caption: str) -> None:
        """Show ``entries`` under ``caption`` once their images are read (at once when there are none)."""
        entries = [e for e in entries if isinstance(e, dict) and "index" in e]
        self._pending = (entries, caption)
        if not entries or self._source is None:
            self._reader.discard()  # a read for older entries is dropped
            self._show(None)
            return
        self._reader.start(_read, self._source, [int(e["index"]) for e in entries])

    @Slot(object)
    def _on_read(self, result: object) -> None:
        self._show(result)

    def _show(self, result: object) -> None:
        entries, caption = self._pending
        self.thumbs.clear()
        error = result if isinstance(result, str) else ""
        images, names = result if isinstance(result, tuple) else (None, None)
        arrays = images if isinstance(images, np.ndarray) else None
        self.names = [names[i] if names and i < len(names) else None for i in range(len(entries))]
        for i, entry in enumerate(entries):
            true, pred = self.label(int(entry.get("true", -1))), self.label(int(entry.get("pred", -1)))
            confidence = entry.get("confidence")
            short = self.tr("{true} → {pred}").format(true=true, pred=pred)
            if confidence is not None:
                short += self.tr(" ({confidence:.0%})").format(confidence=float(confidence))
            what = (
                self.tr("File {name}").format(name=Path(self.names[i]).name)
                if self.names[i]
                else self.tr("Validation sample {index}").format(index=entry["index"])
            )
            tip = self.tr("{what}: true {true}, predicted {pred}").format(what=what, true=true, pred=pred)
            if confidence is not None:
                tip += self.tr(", confidence {confidence:.1%}").format(confidence=float(confidence))
            if self.names[i]:
                tip += "\n" + str(self.names[i])
                name = self.fontMetrics().elidedText(Path(self.names[i]).name, Qt.TextElideMode.ElideMiddle, NAME_WIDTH)
                short = f"{name}\n{short}"
            self.thumbs.add(
                arrays[i] if arrays is not None and i < len(arrays) else None,
                short,
                tip,
                placeholder=self.tr("#{index}").format(index=entry["index"]),
            )
        self.shown = list(entries)
        if error:
            caption += " " + self.tr("The images cannot be read: {message}").format(message=backend_tr(error))
        self.caption.setText(caption)
        self.sig_shown.emit(len(entries))

    def wait(self) -> None:
        """Block until image reads are done (closing, tests)."""
        self._reader.wait()
