"""Loss panel: the loss function and its options."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QWidget

from backend.core.schema import LOSSES_BY_TASK, section_options
from gui.catalog import Catalog
from gui.option_form import OptionRows, schema_rows
from gui.panels.base import ConfigPanel, run_standalone
from gui.widgets import combo_key, fill_combo, set_combo_key, set_row_hidden, sync_combo_tooltip

if TYPE_CHECKING:
    from backend.core.config import RunConfig


class LossPanel(ConfigPanel):
    """Loss name; label smoothing, class weights and focal gamma where they apply."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Loss"), parent)
        self._help = {
            "cross_entropy": self.tr("Cross-entropy for classification (the usual choice)"),
            "bce_with_logits": self.tr("Binary cross-entropy on logits (two classes or multi-label)"),
            "mse": self.tr("Mean squared error for regression"),
            "l1": self.tr("Mean absolute error for regression; robust to outliers"),
            "smooth_l1": self.tr("Huber-like loss: squared near zero, absolute further out"),
            "focal": self.tr("Focal loss: down-weights easy examples (imbalanced classes)"),
        }
        self.name = QComboBox(self)
        self.name.setObjectName("lossName")
        self.add_field("loss.name", self.name)
        keys = [o.key for o in section_options("loss") if o.name != "name"]
        self.rows = self.add_rows(OptionRows(self.form, self, schema_rows(keys), self.config_changed))
        self.rows.widgets["class_weights"].setPlaceholderText(self.tr("equal weights"))
        self.name.currentIndexChanged.connect(self._update_visibility)
        self.name.currentIndexChanged.connect(self.config_changed)
        self._update_visibility()

    def set_catalog(self, catalog: Catalog) -> None:
        super().set_catalog(catalog)
        fill_combo(self.name, {k: self._help.get(k, "") for k in catalog.losses})
        self._update_visibility()

    def _update_visibility(self) -> None:
        self.rows.refresh({"loss.name": combo_key(self.name)})
        sync_combo_tooltip(self.name)

    def set_task(self, task: str) -> None:
        """Offer only the losses that fit the task ("" when it is not known before loading)."""
        allowed = LOSSES_BY_TASK.get(task)
        for i in range(self.name.count()):
            set_row_hidden(self.name, i, allowed is not None and self.name.itemData(i) not in allowed)
        if allowed is not None and combo_key(self.name) not in allowed:
            set_combo_key(self.name, allowed[0])

    def apply_config(self, config: RunConfig) -> None:
        set_combo_key(self.name, config.loss.name, add_missing=True)
        self.rows.apply(config.loss)
        self._update_visibility()

    def update_config(self, config: RunConfig) -> None:
        config.loss.name = combo_key(self.name)
        self.rows.write(config.loss)


if __name__ == "__main__":
    raise SystemExit(run_standalone(LossPanel))
