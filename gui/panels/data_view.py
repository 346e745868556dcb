"""The dataset summary: counts, classes, input shape, and a grid of samples or a table of rows."""

from __future__ import annotations

import sys

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.backend_text import backend_tr, engine_word
from gui.thumbnails import ThumbnailGrid


class DataView(QWidget):
    """Shows ``backend.data.summary`` output; an error text when the data cannot be read."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataView")
        self.text = QLabel(self.tr("The dataset summary appears here once PyTorch is loaded."), self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.thumbs = ThumbnailGrid(self)
        self.table = QTableWidget(self)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.samples = QStackedWidget(self)
        self.samples.addWidget(self.thumbs)
        self.samples.addWidget(self.table)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.samples, 1)

    def show_error(self, message: str) -> None:
        self.text.setText(self.tr("The dataset cannot be used: {message}").format(message=message))
        self.thumbs.clear()
        self.table.clear()
        self.table.setRowCount(0)

    def show_summary(self, s: dict) -> None:
        lines = [
            self.tr("{name}: {task}, {train:,} training and {val:,} validation samples, input shape {shape}").format(
                name=s.get("name", ""),
                task=engine_word(str(s.get("task", ""))),
                train=s.get("train_samples", 0),
                val=s.get("val_samples", 0),
                shape=tuple(s.get("input_shape", [])),
            )
        ]
        classes = s.get("classes") or []
        if classes:
            counts = s.get("train_counts") or [None] * len(classes)
            listed = ", ".join(
                f"{c} ({n})" if n is not None else str(c) for c, n in list(zip(classes, counts, strict=False))[:30]
            )
            more = self.tr(" … and {n} more").format(n=len(classes) - 30) if len(classes) > 30 else ""
            lines.append(
                self.tr("{n} classes (training samples): {list}{more}").format(n=len(classes), list=listed, more=more)
            )
        for note in s.get("notes", []):
            lines.append(self.tr("Note: {warning}").format(warning=backend_tr(note)))
        self.text.setText("\n".join(lines))
        labels = [str(x) if not isinstance(x, float) else f"{x:.4g}" for x in s.get("sample_labels", [])]
        if s.get("sample_images") is not None:
            self._show_images(np.asarray(s["sample_images"]), labels)
        else:
            self._show_rows(s.get("feature_names") or [], s.get("sample_rows") or [], labels)

    def _show_images(self, images: np.ndarray, labels: list[str]) -> None:
        self.thumbs.clear()
        for i, image in enumerate(images):
            self.thumbs.add(image, labels[i] if i < len(labels) else "")
        self.samples.setCurrentIndex(0)

    def _show_rows(self, features: list[str], rows: list[list[float]], labels: list[str]) -> None:
        width = len(rows[0]) if rows else 0
        headers = (list(features) + [f"x{i}" for i in range(len(features), width)])[:width] + [self.tr("target")]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                # A missing value filled with the mean standardises to rounding noise (2.22e-15): show 0.
                self.table.setItem(r, c, QTableWidgetItem(f"{0.0 if abs(value) < 1e-9 else value:.3g}"))
            self.table.setItem(r, width, QTableWidgetItem(labels[r] if r < len(labels) else ""))
        self.table.resizeColumnsToContents()
        self.samples.setCurrentIndex(1)


if __name__ == "__main__":
    app = QApplication.instance() or QApplication(sys.argv)
    from backend.core.config import DataConfig
    from backend.data.summary import dataset_summary

    view = DataView()
    summary = dataset_summary(DataConfig())
    summary["sample_images"] = summary["sample_images"].numpy()
    view.show_summary(summary)
    view.resize(800, 500)
    view.show()
    raise SystemExit(app.exec())
