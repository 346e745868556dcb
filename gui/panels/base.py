"""Shared behaviour of the configuration panels: a titled form that reads and writes a RunConfig."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QFormLayout, QGroupBox, QLabel, QWidget

from gui.catalog import Catalog


class ConfigPanel(QGroupBox):
    """A group of fields for one section of the run configuration.

    ``set_catalog`` fills the pickers once the backend is loaded, ``apply_config`` shows a
    config, ``update_config`` writes the fields back into one. Rows that do not apply to the
    current choice are hidden, never merely greyed out.
    """

    config_changed = Signal()
    """A field changed (used to refresh dependent panels and summaries)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.catalog: Catalog | None = None

    def add_row(self, label: str, field: QWidget, tooltip: str = "") -> QWidget:
        if tooltip:
            field.setToolTip(tooltip)
        self.form.addRow(label, field)
        return field

    def add_note(self) -> QLabel:
        """A word-wrapped description line spanning both columns."""
        note = QLabel(self)
        note.setWordWrap(True)
        note.setProperty("role", "note")
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, and follows theme changes
        self.form.addRow(note)
        return note

    def show_row(self, field: QWidget, visible: bool) -> None:
        self.form.setRowVisible(field, visible)

    def set_catalog(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def apply_config(self, config) -> None:  # noqa: ANN001 - backend.core.config.RunConfig
        raise NotImplementedError

    def update_config(self, config) -> None:  # noqa: ANN001
        raise NotImplementedError


def run_standalone(factory: Callable[[], ConfigPanel]) -> int:
    """Open one panel in its own window (``python -m gui.panels.dataset_panel``)."""
    from backend.core.config import RunConfig
    from gui.catalog import load_catalog

    app = QApplication.instance() or QApplication(sys.argv)
    panel = factory()
    panel.set_catalog(load_catalog())
    panel.apply_config(RunConfig())
    panel.resize(420, panel.sizeHint().height())
    panel.show()
    return app.exec()


def align_form_labels(panels: list[ConfigPanel]) -> None:
    """One label column width for all panels, so fields line up down the side."""
    labels = []
    for panel in panels:
        for i in range(panel.form.count()):
            field = panel.form.itemAt(i).widget()
            label = panel.form.labelForField(field) if field is not None else None
            if isinstance(label, QLabel):
                labels.append(label)
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)
