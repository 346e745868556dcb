"""Help > About: versions, devices and where settings live, with a copy button."""

from __future__ import annotations

import platform
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from gui.catalog import Catalog


def diagnostics_text(catalog: Catalog | None, settings_file: str = "") -> str:
    """Plain-text versions and devices (also what "Copy diagnostics" puts on the clipboard)."""
    import pyqtgraph
    import PySide6

    lines = []
    versions = dict(catalog.versions) if catalog else {}
    versions.setdefault("Python", platform.python_version())
    versions.setdefault("PySide6", PySide6.__version__)
    versions.setdefault("Qt", PySide6.QtCore.qVersion())
    versions.setdefault("pyqtgraph", pyqtgraph.__version__)
    versions.setdefault("PyTorch", "(still loading)")
    for name, version in versions.items():
        lines.append(f"{name}: {version}")
    lines.append(f"OS: {platform.platform()}")
    if catalog:
        for entry in catalog.devices:
            memory = f", {entry['memory_gib']} GiB" if entry.get("memory_gib") else ""
            lines.append(
                f"Device {entry['device']}: {entry.get('name', '')}{memory}; precisions {', '.join(entry.get('precisions', []))}"
            )
    if settings_file:
        lines.append(f"Settings: {settings_file}")
    return "\n".join(lines)


class AboutDialog(QDialog):
    def __init__(self, catalog: Catalog | None = None, settings_file: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About TorchDesk"))
        self._text = diagnostics_text(catalog, settings_file)
        title = QLabel(self.tr("<h2>TorchDesk</h2><p>Train PyTorch models from a desktop window.</p>"), self)
        body = QLabel(self)
        body.setTextFormat(Qt.TextFormat.PlainText)
        body.setText(self._text)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        copy = QPushButton(self.tr("Copy diagnostics"), self)
        copy.clicked.connect(self._copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(body)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self._text

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self._text)


def show_about(parent: QWidget, catalog: Catalog | None) -> None:
    from gui import settings

    AboutDialog(catalog, settings.file_path(), parent).exec()


def copy_diagnostics(catalog: Catalog | None) -> None:
    from gui import settings

    QGuiApplication.clipboard().setText(diagnostics_text(catalog, settings.file_path()))


if __name__ == "__main__":
    app = QApplication.instance() or QApplication(sys.argv)
    from gui.catalog import load_catalog

    dialog = AboutDialog(load_catalog())
    raise SystemExit(dialog.exec())
