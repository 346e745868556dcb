"""Training panel: run name, epochs, stopping, checkpoints and where runs are saved."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from backend.core.schema import MONITORS_BY_TASK, section_options
from gui.catalog import Catalog
from gui.option_form import OptionRows, schema_rows
from gui.panels.base import ConfigPanel, run_standalone
from gui.widgets import combo_key, fill_combo, set_combo_key, set_row_hidden

if TYPE_CHECKING:
    from backend.core.config import RunConfig

# The [train] keys the Device panel shows.
DEVICE_KEYS = ("train.device", "train.precision", "train.channels_last", "train.compile")


class TrainPanel(ConfigPanel):
    """Run name, seed, epochs, accumulation, clipping, monitored metric, early stopping, checkpoints."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Training"), parent)
        self.top_rows = self.add_rows(OptionRows(self.form, self, schema_rows(("name", "seed")), self.config_changed))
        keys = [o.key for o in section_options("train") if o.key not in DEVICE_KEYS]
        self.rows = self.add_rows(OptionRows(self.form, self, schema_rows(keys), self.config_changed))
        self.run_name = self.top_rows.widgets["name"]
        self.run_name.setObjectName("runName")
        self.seed = self.top_rows.widgets["seed"]
        self.epochs = self.rows.widgets["epochs"]
        self.epochs.setObjectName("epochsSpin")
        self.monitor = self.rows.widgets["monitor"]
        self.tensorboard = self.rows.widgets["tensorboard"]
        self.runs_dir = self.rows.widgets["runs_dir"]
        self.runs_dir.setObjectName("runsDir")
        monitor_labels = {
            "val_loss": self.tr("validation loss"),
            "val_acc": self.tr("validation accuracy"),
            "train_loss": self.tr("training loss"),
            "val_mae": self.tr("validation MAE (regression)"),
            "val_mse": self.tr("validation MSE (regression)"),
        }
        mode_labels = {"auto": self.tr("auto"), "min": self.tr("lower is better"), "max": self.tr("higher is better")}
        for name, labels in (("monitor", monitor_labels), ("mode", mode_labels)):
            combo = self.rows.widgets[name]
            fill_combo(combo, [combo.itemData(i) for i in range(combo.count())], labels)
        self.config_changed.connect(self._update_visibility)
        self._update_visibility()

    def set_catalog(self, catalog: Catalog) -> None:
        super().set_catalog(catalog)
        # TensorBoard logging needs the tensorboard package; without it the box cannot work.
        self.tensorboard.setEnabled(catalog.has_tensorboard)
        if not catalog.has_tensorboard:
            self.tensorboard.setChecked(False)
            self.tensorboard.setToolTip(self.tr("Install the tensorboard package to write TensorBoard logs"))

    def set_task(self, task: str) -> None:
        """Offer only the metrics the task reports ("" when it is not known before loading)."""
        allowed = MONITORS_BY_TASK.get(task)
        for i in range(self.monitor.count()):
            set_row_hidden(self.monitor, i, allowed is not None and self.monitor.itemData(i) not in allowed)
        if allowed is not None and combo_key(self.monitor) not in allowed:
            set_combo_key(self.monitor, "val_loss")

    def _update_visibility(self) -> None:
        self.rows.refresh({})  # patience and minimum change only with early stopping

    def suggest_name(self, name: str) -> None:
        """The name an empty field stands for (shown greyed): it follows the dataset and model."""
        self.run_name.setPlaceholderText(name)

    def apply_config(self, config: RunConfig) -> None:
        self.top_rows.apply(config)
        self.rows.apply(config.train)
        self.tensorboard.setChecked(config.train.tensorboard and self.tensorboard.isEnabled())
        self._update_visibility()

    def update_config(self, config: RunConfig) -> None:
        self.top_rows.write(config)
        self.rows.write(config.train)


if __name__ == "__main__":
    raise SystemExit(run_standalone(TrainPanel))
