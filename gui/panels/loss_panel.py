"""Loss panel: the loss function and its options."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QWidget

from backend.core.schema import BY_KEY, LOSSES_BY_TASK, applies_with
from gui.catalog import Catalog
from gui.panels.base import ConfigPanel, run_standalone
from gui.widgets import NumberListEdit, combo_key, fill_combo, set_combo_key, set_row_hidden, sync_combo_tooltip


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
        self.label_smoothing = QDoubleSpinBox(self)
        self.label_smoothing.setRange(0.0, 0.99)
        self.label_smoothing.setSingleStep(0.05)
        self.class_weights = NumberListEdit(integers=False, parent=self)
        self.class_weights.setPlaceholderText(self.tr("equal weights"))
        self.focal_gamma = QDoubleSpinBox(self)
        self.focal_gamma.setRange(0.0, 10.0)
        self.focal_gamma.setSingleStep(0.5)

        self.add_row(self.tr("Loss"), self.name, self.tr("What training minimises"))
        self.add_row(
            self.tr("Label smoothing"),
            self.label_smoothing,
            self.tr("Spread this much probability over the other classes"),
        )
        self.add_row(
            self.tr("Class weights"),
            self.class_weights,
            self.tr("One weight per class, comma separated; empty for equal weights"),
        )
        self.add_row(self.tr("Focal gamma"), self.focal_gamma, self.tr("How strongly easy examples are down-weighted"))

        self.name.currentIndexChanged.connect(self._update_visibility)
        self.name.currentIndexChanged.connect(self.config_changed)
        self.label_smoothing.valueChanged.connect(self.config_changed)
        self.class_weights.textChanged.connect(self.config_changed)
        self.focal_gamma.valueChanged.connect(self.config_changed)
        self._update_visibility()

    def set_catalog(self, catalog: Catalog) -> None:
        super().set_catalog(catalog)
        fill_combo(self.name, {k: self._help.get(k, "") for k in catalog.losses})
        self._update_visibility()

    def _update_visibility(self) -> None:
        values = {"loss.name": combo_key(self.name)}
        for key in ("label_smoothing", "class_weights", "focal_gamma"):
            self.show_row(getattr(self, key), applies_with(values, BY_KEY[f"loss.{key}"]))
        sync_combo_tooltip(self.name)

    def set_task(self, task: str) -> None:
        """Offer only the losses that fit the task ("" when it is not known before loading)."""
        allowed = LOSSES_BY_TASK.get(task)
        for i in range(self.name.count()):
            set_row_hidden(self.name, i, allowed is not None and self.name.itemData(i) not in allowed)
        if allowed is not None and combo_key(self.name) not in allowed:
            set_combo_key(self.name, allowed[0])

    def apply_config(self, config) -> None:  # noqa: ANN001
        lo = config.loss
        set_combo_key(self.name, lo.name, add_missing=True)
        self.label_smoothing.setValue(lo.label_smoothing)
        self.class_weights.setValues(lo.class_weights)
        self.focal_gamma.setValue(lo.focal_gamma)
        self._update_visibility()

    def update_config(self, config) -> None:  # noqa: ANN001
        lo = config.loss
        lo.name = combo_key(self.name)
        lo.label_smoothing = self.label_smoothing.value()
        lo.class_weights = [float(w) for w in self.class_weights.values()]
        lo.focal_gamma = self.focal_gamma.value()


if __name__ == "__main__":
    raise SystemExit(run_standalone(LossPanel))
