"""The one error dialog: the message, the last checkpoint, details, and "Copy details"."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from gui.backend_text import backend_tr


class ErrorDialog(QDialog):
    """Shows one failure at a time; reused, non-blocking (``open()``), the app stays usable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(self.tr("TorchDesk — problem"))
        self.setMinimumWidth(520)
        icon = QLabel(self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message = QLabel(self)
        self.message.setObjectName("errorMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.checkpoint = QLabel(self)
        self.checkpoint.setObjectName("errorCheckpoint")
        self.checkpoint.setWordWrap(True)
        self.checkpoint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.details.setMinimumHeight(180)
        self.details_button = QPushButton(self.tr("Show details"), self)
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._toggle_details)
        self.copy_button = QPushButton(self.tr("Copy details"), self)
        self.copy_button.setObjectName("copyDetailsButton")
        self.copy_button.clicked.connect(self.copy_details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.details_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(icon)
        text = QVBoxLayout()
        text.addWidget(self.message)
        text.addWidget(self.checkpoint)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self._full_text = ""

    def show_failure(self, title: str, message: str, details: str = "", last_checkpoint: str = "") -> str:
        """Fill the dialog and show it window-modal without blocking the caller.

        ``message`` is an engine message (shown in the interface language, see gui/backend_text.py)
        or text the GUI made; returns the message as shown.
        """
        message = backend_tr(message)
        self.setWindowTitle(title)
        self.message.setText(message)
        if last_checkpoint:
            self.checkpoint.setText(self.tr("Last checkpoint: {path}").format(path=last_checkpoint))
        else:
            self.checkpoint.setText(self.tr("No checkpoint was saved in this run."))
        self.details.setPlainText(details or message)
        self.details_button.setVisible(bool(details))
        self._full_text = "\n\n".join(part for part in (title, message, self.checkpoint.text(), details) if part)
        if not self.isVisible():
            self.open()
        self.raise_()
        return message

    def text_for_clipboard(self) -> str:
        return self._full_text

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self._full_text)
        self.copy_button.setText(self.tr("Copied"))

    def _toggle_details(self, on: bool) -> None:
        self.details.setVisible(on)
        self.details_button.setText(self.tr("Hide details") if on else self.tr("Show details"))
        self.adjustSize()

    def done(self, result: int) -> None:  # noqa: D401 - Qt override
        self.copy_button.setText(self.tr("Copy details"))
        super().done(result)


if __name__ == "__main__":
    app = QApplication.instance() or QApplication(sys.argv)
    dialog = ErrorDialog()
    dialog.show_failure(
        "Training failed",
        "data.root = 'missing.csv' does not exist; choose an existing CSV file",
        "Traceback (most recent call last):\n  ...",
        "runs/demo/checkpoints/last.ckpt",
    )
    dialog.finished.connect(app.quit)
    raise SystemExit(app.exec())
