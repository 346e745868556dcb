"""Before Start: "Start anyway?" when values lie far outside their usual ranges (never a refusal).

The ranges are the engine's (``Option.usual`` in backend/core/schema.py); the dialog lists each field by
its label, the value and the usual range. It is non-modal: the panels stay editable.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from gui.backend_text import backend_tr


class UnusualValuesDialog(QMessageBox):
    """Lists the unusual values of the config about to run; "Start anyway" confirms them."""

    sig_start_anyway = Signal(list, object)
    """(the confirmed ``backend.core.config.Unusual`` values, the checkpoint to resume from or None)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unusualValuesDialog")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("Unusual values"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.start_button: QPushButton = self.addButton(self.tr("Start anyway"), QMessageBox.ButtonRole.AcceptRole)
        self.start_button.setObjectName("startAnywayButton")
        self.cancel_button = self.addButton(QMessageBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("Cancel"))  # own text: not left to Qt's qtbase catalog
        self.setDefaultButton(self.cancel_button)
        self.setEscapeButton(self.cancel_button)
        # finished, not buttonClicked: the box hides itself after buttonClicked, which would hide it
        # again at once if Start has to ask anew (the panels changed while it was open).
        self.finished.connect(self._on_finished)
        self._values: list = []
        self._resume_from: str | None = None

    def ask(self, values: list[Any], resume_from: str | None = None) -> None:
        """Show ``values`` (``backend.core.config.Unusual``) without blocking the caller."""
        self._values, self._resume_from = list(values), resume_from
        self.setText(self.tr("Some values are far outside their usual range. Start anyway?"))
        lines = [
            self.tr("{label} ({key}) = {value:g}: usually {low:g} to {high:g}").format(
                label=backend_tr(value.label), key=value.key, value=value.value, low=value.usual[0], high=value.usual[1]
            )
            for value in self._values
        ]
        self.setInformativeText(
            "\n".join(lines) + "\n\n" + self.tr("They are allowed; a learning rate far too high makes a run diverge.")
        )
        self.show()
        self.raise_()

    def _on_finished(self, _result: int) -> None:
        if self.clickedButton() is self.start_button:
            self.sig_start_anyway.emit(self._values, self._resume_from)


if __name__ == "__main__":
    from backend.core.config import RunConfig, unusual_values

    app = QApplication.instance() or QApplication(sys.argv)
    config = RunConfig()
    config.optim.lr, config.train.epochs = 5.0, 5000
    dialog = UnusualValuesDialog()
    dialog.ask(unusual_values(config))
    dialog.finished.connect(app.quit)
    raise SystemExit(app.exec())
