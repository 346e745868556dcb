"""A scrolling grid of captioned image thumbnails (dataset samples, misclassified samples)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QWidget

THUMB = 72  # pixels per side of a thumbnail
COLUMNS = 8


def to_qimage(image: np.ndarray) -> QImage:
    """A (C, H, W) uint8 array (1 or 3 channels) as a QImage that owns its pixels."""
    chw = np.ascontiguousarray(image)
    if chw.shape[0] == 1:
        gray = np.ascontiguousarray(chw[0])
        return QImage(gray.data, gray.shape[1], gray.shape[0], gray.strides[0], QImage.Format.Format_Grayscale8).copy()
    rgb = np.ascontiguousarray(np.transpose(chw[:3], (1, 2, 0)))
    return QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0], QImage.Format.Format_RGB888).copy()


def thumbnail_pixmap(image: np.ndarray, size: int = THUMB) -> QPixmap:
    """A (C, H, W) uint8 image fitted into size x size: small images keep their pixels sharp."""
    pixmap = QPixmap.fromImage(to_qimage(image))
    enlarge = max(pixmap.width(), pixmap.height()) < size
    mode = Qt.TransformationMode.FastTransformation if enlarge else Qt.TransformationMode.SmoothTransformation
    return pixmap.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, mode)


class ThumbnailGrid(QScrollArea):
    """Thumbnails in rows of ``COLUMNS``, each with a caption below it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.box = QWidget()
        self.grid = QGridLayout(self.box)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setWidget(self.box)

    def count(self) -> int:
        """Thumbnails shown."""
        return self.grid.count() // 2

    def clear(self) -> None:
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # deleted later, but never drawn again (nor under the new thumbnails)
                widget.deleteLater()

    def add(self, image: np.ndarray | None, caption: str, tooltip: str = "", placeholder: str = "") -> None:
        """One (C, H, W) uint8 image, or ``placeholder`` text where there is none."""
        row, col = divmod(self.count(), COLUMNS)
        cell = QLabel(self.box)
        cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if image is not None:
            cell.setPixmap(thumbnail_pixmap(image))
        else:
            cell.setText(placeholder)
        label = QLabel(caption, self.box)
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        for widget in (cell, label):
            widget.setToolTip(tooltip or caption)
        self.grid.addWidget(cell, 2 * row, col, Qt.AlignmentFlag.AlignHCenter)
        self.grid.addWidget(label, 2 * row + 1, col)
