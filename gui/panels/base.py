"""Shared behaviour of the configuration panels: a titled form that reads and writes a RunConfig."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QFormLayout, QGroupBox, QLabel, QWidget

from gui.backend_text import backend_tr
from gui.catalog import Catalog
from gui.option_form import OptionRows
from gui.widgets import guard_wheel

if TYPE_CHECKING:
    from backend.core.config import RunConfig


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
        self._fields: dict[str, QWidget] = {}  # config key -> widget, for the rows not in an OptionRows
        self.option_rows: list[OptionRows] = []

    def add_row(self, label: str, field: QWidget, tooltip: str = "") -> QWidget:
        if tooltip:
            field.setToolTip(tooltip)
        self.form.addRow(label, field)
        return field

    def add_field(self, key: str, field: QWidget) -> QWidget:
        """A row for the config key ``key`` with a widget of the panel's own (label and help from the schema)."""
        from backend.core.schema import BY_KEY

        option = BY_KEY[key]
        self._fields[key] = field
        return self.add_row(backend_tr(option.label), field, backend_tr(option.help))

    def add_check_field(self, key: str, box: QCheckBox) -> QCheckBox:
        """A check box for the boolean config key ``key`` (its text and help from the schema)."""
        from backend.core.schema import BY_KEY

        option = BY_KEY[key]
        box.setText(backend_tr(option.label))
        self._fields[key] = box
        return self.add_row("", box, backend_tr(option.help))

    def add_rows(self, rows: OptionRows) -> OptionRows:
        self.option_rows.append(rows)
        return rows

    def fields(self) -> dict[str, QWidget]:
        """Config key -> the widget that edits it (errors naming a key highlight that widget)."""
        out = dict(self._fields)
        for rows in self.option_rows:
            out.update(rows.fields())
        return out

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

    def apply_config(self, config: RunConfig) -> None:
        raise NotImplementedError

    def update_config(self, config: RunConfig) -> None:
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


def finish_panels(panels: list[ConfigPanel], last: QWidget | None = None) -> None:
    """After rows were added: line the labels up, keep the wheel from changing unfocused fields, and
    make Tab follow the visual order, top to bottom through the panels, then ``last`` (Start)."""
    align_form_labels(panels)
    chain: list[QWidget] = []
    for panel in panels:
        guard_wheel(panel)
        for i in range(panel.form.rowCount()):
            item = panel.form.itemAt(i, QFormLayout.ItemRole.FieldRole) or panel.form.itemAt(
                i, QFormLayout.ItemRole.SpanningRole
            )
            widget = item.widget() if item is not None else None
            if widget is not None:
                chain.extend(_focus_stops(widget))
    if last is not None:
        chain.append(last)
    for first, second in zip(chain, chain[1:], strict=False):
        QWidget.setTabOrder(first, second)


def _focus_stops(widget: QWidget) -> list[QWidget]:
    """The widget, or for a composite field (a path with a Browse button) its parts that take Tab."""
    from PySide6.QtCore import Qt

    if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
        return [widget]
    parts = widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
    return [w for w in parts if w.focusPolicy() & Qt.FocusPolicy.TabFocus]


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
