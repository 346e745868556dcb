"""Small typed input widgets shared by the configuration panels."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QWidget,
)

_FLOAT_RE = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"


def fill_combo(
    combo: QComboBox, items: Mapping[str, str] | Iterable[str], labels: Mapping[str, str] | None = None
) -> None:
    """Replace the items; the key is the item data, a description (if any) its tooltip."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    descriptions = items if isinstance(items, Mapping) else {k: "" for k in items}
    for key, description in descriptions.items():
        combo.addItem((labels or {}).get(key, key), key)
        if description:
            combo.setItemData(combo.count() - 1, description, Qt.ItemDataRole.ToolTipRole)
    index = combo.findData(current)
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)
    combo.currentIndexChanged.emit(combo.currentIndex())


def combo_key(combo: QComboBox) -> str:
    data = combo.currentData()
    return str(data) if data is not None else combo.currentText()


def set_combo_key(combo: QComboBox, key: str, add_missing: bool = False) -> bool:
    """Select the item whose key is ``key``.

    An editable combo takes unknown text as is; ``add_missing`` appends an unknown key (a
    config loaded before the catalogue, or naming something validation will then reject).
    """
    index = combo.findData(key)
    if index >= 0:
        combo.setCurrentIndex(index)
        return True
    if combo.isEditable():
        combo.setEditText(key)
        return True
    if add_missing and key:
        combo.addItem(key, key)
        combo.setCurrentIndex(combo.count() - 1)
        return True
    return False


def set_item_enabled(combo: QComboBox, index: int, enabled: bool, tooltip: str = "") -> None:
    model = combo.model()
    if isinstance(model, QStandardItemModel):
        item = model.item(index)
        item.setEnabled(enabled)
        if tooltip:
            item.setToolTip(tooltip)


def set_row_hidden(combo: QComboBox, index: int, hidden: bool) -> None:
    """Hide one choice from the drop-down list (it stays selectable by code)."""
    view = combo.view()
    if isinstance(view, QListView):
        view.setRowHidden(index, hidden)
    set_item_enabled(combo, index, not hidden)


def sync_combo_tooltip(combo: QComboBox) -> None:
    """Show the selected item's description on the closed combo box too."""
    combo.setToolTip(str(combo.currentData(Qt.ItemDataRole.ToolTipRole) or ""))


class FloatEdit(QLineEdit):
    """A number in plain or scientific notation (learning rates such as 3e-4).

    Text that is not a number is kept as typed: ``value()`` is then NaN (which config validation
    refuses) and ``problem()`` says why, so nothing is silently replaced."""

    def __init__(self, value: float = 0.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setValue(value)

    def value(self) -> float:
        try:
            return float(self.text())
        except ValueError:
            return math.nan

    def setValue(self, value: float) -> None:  # noqa: N802 - Qt naming
        self.setText(f"{value:g}")

    def problem(self) -> str:
        """Why the text is not a number ("" when it is one)."""
        if re.fullmatch(_FLOAT_RE, self.text().strip()):
            return ""
        if not self.text().strip():
            return self.tr("enter a number")
        return self.tr("{text!r} is not a number (e.g. 0.001 or 3e-4)").format(text=self.text().strip())


class NumberListEdit(QLineEdit):
    """A comma-separated list of integers or numbers, e.g. hidden sizes ``128, 64``.

    Anything may be typed; the entries that are not numbers are named by ``problem()`` and left
    out of ``values()`` (the field shows them as invalid and Start waits for a fix)."""

    def __init__(self, integers: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._integers = integers

    def _parts(self) -> list[str]:
        return [p for p in re.split(r"[,\s]+", self.text()) if p]

    def _number(self, part: str) -> int | float | None:
        if not re.fullmatch(r"[+-]?\d+" if self._integers else _FLOAT_RE, part):
            return None
        return int(part) if self._integers else float(part)

    def values(self) -> list:
        return [n for n in map(self._number, self._parts()) if n is not None]

    def problem(self) -> str:
        """Which entries are not numbers ("" when every entry is one)."""
        bad = [p for p in self._parts() if self._number(p) is None]
        if not bad:
            return ""
        if self._integers:
            text = self.tr("{entries} is not a whole number; use whole numbers separated by commas, e.g. 128, 64")
        else:
            text = self.tr("{entries} is not a number; use numbers separated by commas, e.g. 0.5, 2")
        return text.format(entries=", ".join(repr(p) for p in bad))

    def setValues(self, values: Iterable) -> None:  # noqa: N802 - Qt naming
        self.setText(", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values))


class WideIntSpinBox(QDoubleSpinBox):
    """An integer spin box for values beyond a QSpinBox's 32-bit signed range (the seed: 0 to 2**32 - 1).

    A double holds every integer up to 2**53 exactly; ``value()`` returns an int."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(0)
        self.setSingleStep(1)

    def value(self) -> int:  # type: ignore[override] - an int, as a QSpinBox gives
        return int(super().value())


class WheelGuard(QObject):
    """Lets the wheel change a drop-down or spin box only while it has the keyboard focus; otherwise the
    wheel event goes on to the parent, so scrolling the settings column never changes a value."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget) or watched.hasFocus():
            return False
        area = watched.parentWidget()
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is not None:
            QApplication.sendEvent(area.verticalScrollBar(), event)  # the column scrolls
        else:
            event.ignore()  # ignored and filtered: QApplication passes it to the parent widget
        return True


_WHEEL_GUARD = WheelGuard()


def guard_wheel(root: QWidget) -> None:
    """Give every drop-down and spin box under ``root`` click/tab focus and the wheel guard (once each)."""
    for widget in (*root.findChildren(QComboBox), *root.findChildren(QAbstractSpinBox)):
        if not widget.property("wheelGuarded"):
            widget.setProperty("wheelGuarded", True)
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            widget.installEventFilter(_WHEEL_GUARD)


def mark_problem(widget: QWidget, reason: str) -> None:
    """Show ``reason`` at a field (a red frame on a text field, the reason as its tooltip); "" clears it."""
    edits = [widget] if isinstance(widget, QLineEdit) else widget.findChildren(QLineEdit)
    for edit in edits[:1]:
        edit.setStyleSheet("QLineEdit { border: 2px solid #d9534f; border-radius: 3px; }" if reason else "")
    if reason:
        if widget.property("normalToolTip") is None:
            widget.setProperty("normalToolTip", widget.toolTip())
        widget.setToolTip(reason)
    elif widget.property("normalToolTip") is not None:
        widget.setToolTip(widget.property("normalToolTip"))
        widget.setProperty("normalToolTip", None)


class PathEdit(QWidget):
    """A path field with a Browse button that opens the standard file or folder dialog."""

    path_changed = Signal(str)
    """The text of the path field changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mode = "folder"  # or "file"
        self._filter = ""
        self.edit = QLineEdit(self)
        self.edit.setClearButtonEnabled(True)
        self.button = QPushButton(self.tr("Browse…"), self)
        self.button.clicked.connect(self._browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.edit.textChanged.connect(self.path_changed)
        self.edit.textChanged.connect(self.edit.setToolTip)  # long paths are cut off in the field

    def set_mode(self, mode: str, name_filter: str = "") -> None:
        self._mode, self._filter = mode, name_filter
        self.edit.setPlaceholderText(self.tr("Choose a file…") if mode == "file" else self.tr("Choose a folder…"))

    def path(self) -> str:
        return self.edit.text().strip()

    def set_path(self, path: str) -> None:
        self.edit.setText(path)

    def _browse(self) -> None:
        if self._mode == "file":
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a file"), self.path(), self._filter)
        else:
            path = QFileDialog.getExistingDirectory(self, self.tr("Choose a folder"), self.path())
        if path:
            self.set_path(path)


class ColumnPicker(QWidget):
    """A column name typed or picked from the columns of the chosen file (an editable drop-down).

    It reads and writes like a QLineEdit (``text``, ``setText``, ``textChanged``), so option forms
    treat it as a text field.
    """

    textChanged = Signal(str)  # noqa: N815 - the QLineEdit signal name option forms connect to

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox(self)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        self.combo.currentTextChanged.connect(self.textChanged)

    def text(self) -> str:
        return self.combo.currentText()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt naming
        index = self.combo.findText(text)
        if index >= 0:
            self.combo.setCurrentIndex(index)  # the list then opens at that column
        else:
            self.combo.setEditText(text)

    def columns(self) -> list[str]:
        return [self.combo.itemText(i) for i in range(self.combo.count())]

    def set_columns(self, columns: Iterable[str]) -> None:
        """Offer these columns; the text stays as it is."""
        text = self.text()
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItems(list(columns))
        self.setText(text)
        self.combo.blockSignals(False)
