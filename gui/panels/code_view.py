"""View > Code: the plain-PyTorch script of the current settings (backend/artifacts/script_export.py),
regenerated shortly after they change; read-only, monospace, with a Copy button. Settings the
script cannot express show the reason (naming the field) instead of code.

Standalone: ``python -m gui.panels.code_view`` (the default config).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from gui.backend_text import backend_tr

DEBOUNCE_MS = 300  # typing a learning rate does not regenerate the script at every key


class CodeView(QWidget):
    """Shows ``training_script(config_source())``; ``schedule_update()`` after a settings change."""

    sig_export = Signal()
    """The user asked to save the script (File > Export as Python script)."""

    def __init__(self, config_source: Callable[[], Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeView")
        self.config_source = config_source
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("codeText")
        self.editor.setReadOnly(True)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.note = QLabel(self)
        self.note.setObjectName("codeNote")
        self.note.setWordWrap(True)
        self.note.hide()
        self.summary = QLabel(self.tr("The training script of the current settings, in plain PyTorch."), self)
        self.copy_button = QPushButton(self.tr("Copy"), self)
        self.copy_button.setObjectName("copyCodeButton")
        self.copy_button.setToolTip(self.tr("Copy the script to the clipboard"))
        self.copy_button.clicked.connect(self.copy)
        self.save_button = QPushButton(self.tr("Save as…"), self)
        self.save_button.setToolTip(self.tr("Save the script as a .py file"))
        self.save_button.clicked.connect(self.sig_export)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.copy_button)
        top.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.editor, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self._set_code("")

    @Slot()
    def schedule_update(self) -> None:
        """Regenerate a moment after the last change (only while the view is shown)."""
        self._timer.start()

    @Slot()
    def refresh(self) -> None:
        """Regenerate now (a few milliseconds: string assembly, no data is read)."""
        if self.config_source is None or not self.isVisible():
            return
        from backend.artifacts.script_export import training_script
        from backend.core.errors import TorchDeskError

        try:
            text = training_script(self.config_source())
        except TorchDeskError as exc:
            self._set_code("", backend_tr(exc.message))
            return
        self._set_code(text)

    def _set_code(self, text: str, problem: str = "") -> None:
        self.note.setVisible(bool(problem))
        self.note.setText(problem)  # the engine's message names the field and the fix
        if text != self.editor.toPlainText():
            bar = self.editor.verticalScrollBar()
            position = bar.value()
            self.editor.setPlainText(text)
            bar.setValue(position)  # the reader keeps their place while settings change
        self.copy_button.setEnabled(bool(text))
        self.save_button.setEnabled(bool(text))

    def code(self) -> str:
        return self.editor.toPlainText()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.code())

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.refresh()  # hidden, it skipped the changes


def main() -> int:
    from backend.core.config import RunConfig
    from gui.app import create_application

    app = create_application(sys.argv)
    view = CodeView(RunConfig)
    view.resize(900, 700)
    view.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
