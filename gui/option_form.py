"""Typed form rows built from the option schema (name, type, default, limits, help).

The backend declares every run option in backend/core/schema.py (``Option``); ``option_from_spec``
turns one into this form's description. ``OptionRows`` creates one widget per option in a panel's form,
reads and writes them from a config section, and shows only the options that apply (the schema's
``when``). Texts go through ``backend_tr``: the engine's are English and are translated by look-up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from gui.backend_text import backend_tr
from gui.widgets import (
    ColumnPicker,
    FloatEdit,
    NumberListEdit,
    PathEdit,
    WideIntSpinBox,
    combo_key,
    fill_combo,
    set_combo_key,
)

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
    key: str = ""  # the config key ("data.batch_size"); the name when empty
    path_kind: str = "file"  # a path option's picker: "file" or "folder"
    when: Mapping[str, tuple] = field(default_factory=dict)  # the schema's "applies when"

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()


def option_from_spec(spec: Any, column: bool = False, choice_help: Mapping[str, str] | None = None) -> Option:
    """An Option from a backend.core.schema.Option; ``column`` makes a text option a column picker."""
    return Option(
        name=spec.name,
        type="column" if column else spec.type,
        default=spec.default,
        help=spec.help,
        min=spec.min,
        max=spec.max,
        choices=tuple(spec.choices),
        label=spec.label,
        file_filter=spec.file_filter,
        choice_help=dict(choice_help or {}),
        special_zero=spec.zero_means,
        key=spec.key,
        path_kind=spec.path or "file",
        when=dict(spec.when),
    )


def schema_rows(keys: Iterable[str], **choice_help: Mapping[str, str]) -> list[Option]:
    """The form options of these schema keys; ``choice_help`` gives a choice option (by name) its items' help."""
    from backend.core.schema import BY_KEY

    return [
        option_from_spec(BY_KEY[key], column=key == "data.target", choice_help=choice_help.get(BY_KEY[key].name))
        for key in keys
    ]


def _make_widget(option: Option, parent: QWidget) -> QWidget:
    kind = option.type
    if kind == "int":
        low = int(option.min) if option.min is not None else -INT_MAX
        high = int(option.max) if option.max is not None else INT_MAX
        box = QSpinBox(parent) if high <= INT_MAX else WideIntSpinBox(parent)  # QSpinBox is 32-bit
        box.setRange(low, high)
        if option.special_zero and box.minimum() == 0:
            box.setSpecialValueText(backend_tr(option.special_zero))
        return box
    if kind == "float":
        if option.min is not None and option.max is not None and option.max <= 1:
            box = QDoubleSpinBox(parent)
            box.setRange(option.min, option.max)
            box.setDecimals(2)
            box.setSingleStep(0.05)
            return box
        return FloatEdit(float(option.default or 0.0), parent)
    if kind == "bool":
        return QCheckBox(backend_tr(option.title), parent)
    if kind == "choice":
        combo = QComboBox(parent)
        fill_combo(combo, {c: backend_tr(option.choice_help.get(c, "")) for c in option.choices})
        return combo
    if kind in ("int_list", "float_list"):
        return NumberListEdit(integers=kind == "int_list", parent=parent)
    if kind == "column":
        return ColumnPicker(parent)
    if kind == "path":
        edit = PathEdit(parent)
        edit.set_mode(option.path_kind, backend_tr(option.file_filter))
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
        self._shown: set[str] = set(self.options)
        for option in self.options.values():
            widget = _make_widget(option, parent)
            widget.setObjectName(f"option_{option.name}")
            widget.setToolTip(backend_tr(option.help))
            form.addRow("" if option.type == "bool" else backend_tr(option.title), widget)
            self.widgets[option.name] = widget
            self._connect(widget, on_change)
            self.set(option.name, option.default)

    def fields(self) -> dict[str, QWidget]:
        """Config key -> widget."""
        return {(self.options[name].key or name): widget for name, widget in self.widgets.items()}

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
        elif isinstance(widget, (QSpinBox, QDoubleSpinBox, FloatEdit)):  # WideIntSpinBox too
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
        if isinstance(widget, (QSpinBox, QDoubleSpinBox, FloatEdit)):
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
        """Limit the rows to these names (a model's options); ``refresh`` hides those that do not apply."""
        self._shown = set(names)

    def refresh(self, values: Mapping[str, Any]) -> None:
        """Show the rows in ``show_only`` that apply (the schema's ``when``) given the values of other
        keys (``values``, by config key) and of these rows."""
        from backend.core.schema import applies_with

        own = {option.key: self.get(name) for name, option in self.options.items() if option.key}
        known = {**own, **values}
        for name, widget in self.widgets.items():
            option = self.options[name]
            self.form.setRowVisible(widget, name in self._shown and applies_with(known, option))
