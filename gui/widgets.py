"""Small typed input widgets shared by the configuration panels."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLineEdit, QListView, QPushButton, QWidget

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
    """A number in plain or scientific notation (learning rates such as 3e-4)."""

    def __init__(self, value: float = 0.0, minimum: float = 0.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._minimum = minimum
        self.setValidator(QRegularExpressionValidator(QRegularExpression(_FLOAT_RE), self))
        self.setValue(value)

    def value(self) -> float:
        try:
            return max(float(self.text()), self._minimum)
        except ValueError:
            return self._minimum

    def setValue(self, value: float) -> None:  # noqa: N802 - Qt naming
        self.setText(f"{value:g}")


class NumberListEdit(QLineEdit):
    """A comma-separated list of integers or numbers, e.g. hidden sizes ``128, 64``."""

    def __init__(self, integers: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._integers = integers
        item = r"\d+" if integers else _FLOAT_RE
        pattern = rf"^\s*({item}(\s*,\s*{item})*)?\s*,?\s*$"
        self.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), self))

    def values(self) -> list:
        parts = [p for p in re.split(r"[,\s]+", self.text()) if p]
        convert = int if self._integers else float
        out = []
        for part in parts:
            try:
                out.append(convert(part))
            except ValueError:
                continue
        return out

    def setValues(self, values: Iterable) -> None:  # noqa: N802 - Qt naming
        self.setText(", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values))


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
