"""Training panel: run name, epochs, stopping, checkpoints and where runs are saved."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox, QWidget

from backend.core.schema import MONITORS_BY_TASK
from gui.catalog import Catalog
from gui.panels.base import ConfigPanel, run_standalone
from gui.widgets import FloatEdit, PathEdit, combo_key, set_combo_key, set_row_hidden


class TrainPanel(ConfigPanel):
    """Epochs, seed, accumulation, clipping, monitored metric, early stopping, checkpoints."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Training"), parent)
        self.run_name = QLineEdit(self)
        self.run_name.setObjectName("runName")
        self.epochs = QSpinBox(self)
        self.epochs.setObjectName("epochsSpin")
        self.epochs.setRange(1, 100000)
        self.seed = QSpinBox(self)
        self.seed.setRange(0, 2**31 - 1)
        self.grad_accum = QSpinBox(self)
        self.grad_accum.setRange(1, 1024)
        self.clip_grad_norm = FloatEdit(0.0, 0.0, self)
        self.clip_grad_value = FloatEdit(0.0, 0.0, self)
        self.deterministic = QCheckBox(self.tr("Deterministic (reproducible, slower)"), self)
        self.monitor = QComboBox(self)
        for key, label in (
            ("val_loss", self.tr("validation loss")),
            ("val_acc", self.tr("validation accuracy")),
            ("train_loss", self.tr("training loss")),
            ("val_mae", self.tr("validation MAE (regression)")),
            ("val_mse", self.tr("validation MSE (regression)")),
        ):
            self.monitor.addItem(label, key)
        self.mode = QComboBox(self)
        for key, label in (
            ("auto", self.tr("auto")),
            ("min", self.tr("lower is better")),
            ("max", self.tr("higher is better")),
        ):
            self.mode.addItem(label, key)
        self.early_stopping = QCheckBox(self.tr("Stop early when the metric stops improving"), self)
        self.patience = QSpinBox(self)
        self.patience.setRange(0, 10000)
        self.min_delta = FloatEdit(0.0, 0.0, self)
        self.checkpoint_every = QSpinBox(self)
        self.checkpoint_every.setRange(0, 10**9)
        self.checkpoint_every.setSpecialValueText(self.tr("epoch ends only"))
        self.tensorboard = QCheckBox(self.tr("Write TensorBoard logs"), self)
        self.runs_dir = PathEdit(self)
        self.runs_dir.setObjectName("runsDir")

        self.add_row(
            self.tr("Run name"),
            self.run_name,
            self.tr("Prefix of the run folder; left empty, it is named after the dataset and the model"),
        )
        self.add_row(self.tr("Epochs"), self.epochs, self.tr("Passes over the training set"))
        self.add_row(self.tr("Seed"), self.seed, self.tr("Random seed for the split, initialisation and shuffling"))
        self.add_row(
            self.tr("Gradient accumulation"),
            self.grad_accum,
            self.tr("Batches per optimizer step (a larger effective batch)"),
        )
        self.add_row(self.tr("Clip grad norm"), self.clip_grad_norm, self.tr("Largest gradient norm; 0 disables"))
        self.add_row(
            self.tr("Clip grad value"), self.clip_grad_value, self.tr("Largest absolute gradient value; 0 disables")
        )
        self.add_row("", self.deterministic, self.tr("Use deterministic algorithms so a run can be repeated exactly"))
        self.add_row(
            self.tr("Monitor"), self.monitor, self.tr("Metric that picks the best checkpoint and drives early stopping")
        )
        self.add_row(self.tr("Direction"), self.mode, self.tr("auto: higher is better for accuracy, lower otherwise"))
        self.add_row("", self.early_stopping)
        self.add_row(self.tr("Patience (epochs)"), self.patience, self.tr("Epochs without improvement before stopping"))
        self.add_row(self.tr("Minimum change"), self.min_delta, self.tr("Smaller improvements count as none"))
        self.add_row(
            self.tr("Checkpoint every (steps)"), self.checkpoint_every, self.tr("Also save a checkpoint every N steps")
        )
        self.add_row("", self.tensorboard)
        self.add_row(
            self.tr("Runs folder"),
            self.runs_dir,
            self.tr("Each run gets its own folder here (metrics, checkpoints, config)"),
        )

        self.early_stopping.toggled.connect(self._update_visibility)
        for w in (self.run_name, self.clip_grad_norm, self.clip_grad_value, self.min_delta):
            w.textChanged.connect(self.config_changed)
        for w in (self.epochs, self.seed, self.grad_accum, self.patience, self.checkpoint_every):
            w.valueChanged.connect(self.config_changed)
        for w in (self.deterministic, self.early_stopping, self.tensorboard):
            w.toggled.connect(self.config_changed)
        self.monitor.currentIndexChanged.connect(self.config_changed)
        self.mode.currentIndexChanged.connect(self.config_changed)
        self.runs_dir.path_changed.connect(self.config_changed)
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
        on = self.early_stopping.isChecked()
        self.show_row(self.patience, on)
        self.show_row(self.min_delta, on)

    def suggest_name(self, name: str) -> None:
        """The name an empty field stands for (shown greyed): it follows the dataset and model."""
        self.run_name.setPlaceholderText(name)

    def apply_config(self, config) -> None:  # noqa: ANN001
        t = config.train
        self.run_name.setText(config.name)
        self.seed.setValue(config.seed)
        self.epochs.setValue(t.epochs)
        self.grad_accum.setValue(t.grad_accum)
        self.clip_grad_norm.setValue(t.clip_grad_norm)
        self.clip_grad_value.setValue(t.clip_grad_value)
        self.deterministic.setChecked(t.deterministic)
        set_combo_key(self.monitor, t.monitor, add_missing=True)
        set_combo_key(self.mode, t.mode, add_missing=True)
        self.early_stopping.setChecked(t.early_stopping)
        self.patience.setValue(t.patience)
        self.min_delta.setValue(t.min_delta)
        self.checkpoint_every.setValue(t.checkpoint_every_steps)
        self.tensorboard.setChecked(t.tensorboard and self.tensorboard.isEnabled())
        self.runs_dir.set_path(t.runs_dir)
        self._update_visibility()

    def update_config(self, config) -> None:  # noqa: ANN001
        t = config.train
        config.name = self.run_name.text().strip()
        config.seed = self.seed.value()
        t.epochs = self.epochs.value()
        t.grad_accum = self.grad_accum.value()
        t.clip_grad_norm = self.clip_grad_norm.value()
        t.clip_grad_value = self.clip_grad_value.value()
        t.deterministic = self.deterministic.isChecked()
        t.monitor = combo_key(self.monitor)
        t.mode = combo_key(self.mode)
        t.early_stopping = self.early_stopping.isChecked()
        t.patience = self.patience.value()
        t.min_delta = self.min_delta.value()
        t.checkpoint_every_steps = self.checkpoint_every.value()
        t.tensorboard = self.tensorboard.isChecked()
        t.runs_dir = self.runs_dir.path()


if __name__ == "__main__":
    raise SystemExit(run_standalone(TrainPanel))
