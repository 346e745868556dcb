"""Model panel: the architecture and the options that architecture reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from gui.backend_text import backend_tr
from gui.catalog import Catalog
from gui.option_form import OptionRows
from gui.panels.base import ConfigPanel, run_standalone
from gui.problems import FALLBACK_ARCH
from gui.widgets import combo_key, set_combo_key, set_row_hidden, sync_combo_tooltip

if TYPE_CHECKING:
    from backend.core.config import RunConfig


class ModelPanel(ConfigPanel):
    """Architecture picker (grouped by family) and typed rows for the model's options.

    The option rows come from the backend's option descriptions once the catalogue is loaded;
    only the options the chosen architecture reads are shown.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Model"), parent)
        self.arch = QComboBox(self)
        self.arch.setObjectName("modelArch")
        self.arch.setMaxVisibleItems(24)
        self.add_field("model.arch", self.arch)
        self.note = self.add_note()
        self.rows: OptionRows | None = None
        self._data_kind = ""  # "table", "images" or "" (not known yet)
        self.arch.currentIndexChanged.connect(self.config_changed)
        self.config_changed.connect(self._update_visibility)  # a weights file shows the fine-tuning rows

    def set_catalog(self, catalog: Catalog) -> None:
        super().set_catalog(catalog)
        current = combo_key(self.arch)
        self.arch.blockSignals(True)
        self.arch.clear()
        # TorchDesk's own models first, then torchvision's, one titled group per family.
        families: dict[str, list[str]] = {}
        for name in catalog.models:
            families.setdefault(catalog.model_families.get(name, ""), []).append(name)
        for family, names in families.items():
            if family not in ("torchdesk", ""):
                self.arch.insertSeparator(self.arch.count())
                self.arch.addItem(self.tr("torchvision · {family}").format(family=family), None)
                self.arch.model().item(self.arch.count() - 1).setEnabled(False)
            for name in names:
                self.arch.addItem(name, name)
                description = backend_tr(catalog.models[name])
                self.arch.setItemData(self.arch.count() - 1, description, Qt.ItemDataRole.ToolTipRole)
        index = self.arch.findData(current)
        self.arch.setCurrentIndex(index if index >= 0 else max(self.arch.findData("mlp"), 0))
        self.arch.blockSignals(False)
        if self.rows is None:
            self.rows = self.add_rows(OptionRows(self.form, self, catalog.model_option_specs, self.config_changed))
        self.set_data_kind(self._data_kind)
        self._update_visibility()

    def set_data_kind(self, kind: str) -> None:
        """Offer only the models that take this kind of data; a table swaps an image model for an MLP."""
        self._data_kind = kind
        if self.catalog is None:
            return
        images = self.catalog.image_models
        view = self.arch.view()
        for i in range(self.arch.count()):
            name = self.arch.itemData(i)
            if name is None:  # a torchvision family's title or separator: every model under it needs images
                view.setRowHidden(i, kind == "table")
            else:
                set_row_hidden(self.arch, i, kind == "table" and name in images)
        if kind == "table" and combo_key(self.arch) in images:
            set_combo_key(self.arch, FALLBACK_ARCH)

    def _update_visibility(self) -> None:
        sync_combo_tooltip(self.arch)
        self.note.setText(str(self.arch.currentData(Qt.ItemDataRole.ToolTipRole) or ""))
        if self.rows is not None and self.catalog is not None:
            self.rows.show_only(self.catalog.model_options.get(combo_key(self.arch), ()))
            self.rows.refresh({})

    def apply_config(self, config: RunConfig) -> None:
        set_combo_key(self.arch, config.model.arch, add_missing=True)
        if self.rows is not None:
            self.rows.apply(config.model)
        self._update_visibility()

    def update_config(self, config: RunConfig) -> None:
        config.model.arch = combo_key(self.arch)
        if self.rows is not None:
            self.rows.write(config.model)


if __name__ == "__main__":
    raise SystemExit(run_standalone(ModelPanel))
