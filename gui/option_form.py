"""Typed form rows built from option descriptions (name, type, default, limits, help).

The backend declares every run option in backend/core/schema.py (``Option``); the data options
are described here in the same shape. ``OptionRows`` creates one widget per option in a panel's form, reads and
writes them from a config section, and shows only the options that apply. Texts go through
``backend_tr``: the engine's are English, and the GUI's own arrive translated and stay as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from gui.backend_text import backend_tr
from gui.widgets import ColumnPicker, FloatEdit, NumberListEdit, PathEdit, combo_key, fill_combo, set_combo_key

INT_MAX = 2**31 - 1


@dataclass(frozen=True)
class Option:
    name: str
    type: str  # int, float, bool, str, column, choice, int_list, str_list or path
    default: Any
    help: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    label: str = ""
    file_filter: str = ""
    choice_help: Mapping[str, str] = field(default_factory=dict)
    special_zero: str = ""  # text shown for 0 in an int field (e.g. "automatic")

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()


def option_from_spec(spec: Any) -> Option:
    """An Option from any object with the attributes of backend.core.schema.Option."""
    return Option(
        name=spec.name,
        type=spec.type,
        default=spec.default,
        help=getattr(spec, "help", ""),
        min=getattr(spec, "min", None),
        max=getattr(spec, "max", None),
        choices=tuple(getattr(spec, "choices", ())),
        label=getattr(spec, "title", "") or getattr(spec, "label", ""),
        file_filter=getattr(spec, "file_filter", ""),
    )


def _make_widget(option: Option, parent: QWidget) -> QWidget:
    kind = option.type
    if kind == "int":
        box = QSpinBox(parent)
        box.setRange(
            int(option.min) if option.min is not None else -INT_MAX,
            int(option.max) if option.max is not None else INT_MAX,
        )
        if option.special_zero and box.minimum() == 0:
            box.setSpecialValueText(option.special_zero)
        return box
    if kind == "float":
        if option.min is not None and option.max is not None and option.max <= 1:
            box = QDoubleSpinBox(parent)
            box.setRange(option.min, option.max)
            box.setDecimals(2)
            box.setSingleStep(0.05)
            return box
        return FloatEdit(float(option.default or 0.0), option.min if option.min is not None else float("-inf"), parent)
    if kind == "bool":
        return QCheckBox(backend_tr(option.title), parent)
    if kind == "choice":
        combo = QComboBox(parent)
        fill_combo(combo, {c: backend_tr(option.choice_help.get(c, "")) for c in option.choices})
        return combo
    if kind == "int_list":
        return NumberListEdit(integers=True, parent=parent)
    if kind == "column":
        return ColumnPicker(parent)
    if kind == "path":
        edit = PathEdit(parent)
        edit.set_mode("file", backend_tr(option.file_filter))
        return edit
    return QLineEdit(parent)  # str, str_list


class OptionRows:
    """The widgets of a set of options inside one form layout."""

    def __init__(
        self, form: QFormLayout, parent: QWidget, options: Iterable[Option], on_change: SignalInstance
    ) -> None:
        self.form = form
        self.options = {o.name: o for o in options}
        self.widgets: dict[str, QWidget] = {}
        for option in self.options.values():
            widget = _make_widget(option, parent)
            widget.setObjectName(f"option_{option.name}")
            widget.setToolTip(backend_tr(option.help))
            form.addRow("" if option.type == "bool" else backend_tr(option.title), widget)
            self.widgets[option.name] = widget
            self._connect(widget, on_change)
            self.set(option.name, option.default)

    @staticmethod
    def _connect(widget: QWidget, on_change: SignalInstance) -> None:
        # Signal-to-signal: the widget's value argument is dropped, ``on_change`` takes none.
        for signal in ("valueChanged", "toggled", "currentIndexChanged", "textChanged", "path_changed"):
            if hasattr(widget, signal):
                getattr(widget, signal).connect(on_change)
                return

    def set(self, name: str, value: Any) -> None:
        widget, kind = self.widgets[name], self.options[name].type
        if isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, (QSpinBox, QDoubleSpinBox, FloatEdit)):
            widget.setValue(value)
        elif isinstance(widget, QComboBox):
            set_combo_key(widget, str(value), add_missing=True)
        elif isinstance(widget, NumberListEdit):
            widget.setValues(value or [])
        elif isinstance(widget, PathEdit):
            widget.set_path(str(value or ""))
        elif kind == "str_list":
            widget.setText(", ".join(str(v) for v in (value or [])))
        else:
            widget.setText(str(value or ""))

    def get(self, name: str) -> Any:
        widget, option = self.widgets[name], self.options[name]
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, FloatEdit):
            value = widget.value()
            return min(value, option.max) if option.max is not None else value
        if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
            return widget.value()
        if isinstance(widget, QComboBox):
            return combo_key(widget)
        if isinstance(widget, NumberListEdit):
            return widget.values()
        if isinstance(widget, PathEdit):
            return widget.path()
        if option.type == "str_list":
            return [part.strip() for part in widget.text().split(",") if part.strip()]
        return widget.text().strip()

    def apply(self, section: Any) -> None:
        for name in self.widgets:
            if hasattr(section, name):
                self.set(name, getattr(section, name))

    def write(self, section: Any) -> None:
        for name in self.widgets:
            if hasattr(section, name):
                setattr(section, name, self.get(name))

    def show_only(self, names: Iterable[str]) -> None:
        keep = set(names)
        for name, widget in self.widgets.items():
            self.form.setRowVisible(widget, name in keep)
