"""Optimizer and learning-rate schedule panel."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QSpinBox, QWidget

from backend.core.schema import BY_KEY, applies_with
from gui.catalog import Catalog
from gui.panels.base import ConfigPanel, run_standalone
from gui.widgets import FloatEdit, NumberListEdit, combo_key, fill_combo, set_combo_key, sync_combo_tooltip


def _spin(parent: QWidget, low: float, high: float, step: float, decimals: int = 3) -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setDecimals(decimals)
    return box


class OptimPanel(ConfigPanel):
    """Optimizer with its hyper-parameters, then the schedule with only its own parameters."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Optimizer and schedule"), parent)
        self._optim_help = {
            "sgd": self.tr("Stochastic gradient descent, optionally with (Nesterov) momentum"),
            "adam": self.tr("Adam: adaptive moments; a robust default"),
            "adamw": self.tr("AdamW: Adam with decoupled weight decay; the usual default"),
            "rmsprop": self.tr("RMSprop: scales steps by a running average of squared gradients"),
        }
        self._schedule_help = {
            "none": self.tr("Constant learning rate"),
            "step": self.tr("Multiply the learning rate by gamma every N epochs"),
            "multistep": self.tr("Multiply the learning rate by gamma at the listed epochs"),
            "exponential": self.tr("Multiply the learning rate by gamma every epoch"),
            "cosine": self.tr("Cosine decay from the learning rate to the minimum over the run"),
            "plateau": self.tr("Reduce the learning rate when the monitored metric stops improving"),
            "onecycle": self.tr("One-cycle: rise to a peak learning rate, then anneal"),
            "warmup_cosine": self.tr("Linear warm-up, then cosine decay"),
        }
        self.name = QComboBox(self)
        self.name.setObjectName("optimizerName")
        self.lr = FloatEdit(1e-3, 0.0, self)
        self.lr.setObjectName("learningRate")
        self.weight_decay = FloatEdit(0.0, 0.0, self)
        self.momentum = _spin(self, 0.0, 0.999, 0.05)
        self.nesterov = QCheckBox(self.tr("Nesterov momentum"), self)
        self.beta1 = _spin(self, 0.0, 0.9999, 0.01, 4)
        self.beta2 = _spin(self, 0.0, 0.9999, 0.001, 4)

        self.schedule = QComboBox(self)
        self.schedule.setObjectName("scheduleName")
        self.step_size = QSpinBox(self)
        self.step_size.setRange(1, 100000)
        self.gamma = _spin(self, 0.001, 10.0, 0.05)
        self.milestones = NumberListEdit(integers=True, parent=self)
        self.milestones.setPlaceholderText("30, 60")
        self.min_lr = FloatEdit(0.0, 0.0, self)
        self.warmup_epochs = _spin(self, 0.0, 1000.0, 0.5, 2)
        self.factor = _spin(self, 0.001, 0.999, 0.05)
        self.patience = QSpinBox(self)
        self.patience.setRange(0, 10000)
        self.max_lr = FloatEdit(0.0, 0.0, self)
        self.pct_start = _spin(self, 0.01, 0.99, 0.05, 2)

        self.add_row(self.tr("Optimizer"), self.name, self.tr("The update rule"))
        self.add_row(self.tr("Learning rate"), self.lr, self.tr("Step size, e.g. 0.001 or 3e-4"))
        self.add_row(self.tr("Weight decay"), self.weight_decay, self.tr("L2 penalty (decoupled for AdamW)"))
        self.add_row(self.tr("Momentum"), self.momentum)
        self.add_row("", self.nesterov, self.tr("Look-ahead momentum (SGD only, needs momentum > 0)"))
        self.add_row(self.tr("Beta 1"), self.beta1, self.tr("Decay of the running mean of gradients"))
        self.add_row(self.tr("Beta 2"), self.beta2, self.tr("Decay of the running mean of squared gradients"))
        self.add_row(self.tr("Schedule"), self.schedule, self.tr("How the learning rate changes during the run"))
        self.add_row(self.tr("Step size (epochs)"), self.step_size, self.tr("Epochs between two decays"))
        self.add_row(self.tr("Gamma"), self.gamma, self.tr("Decay factor applied at each decay"))
        self.add_row(self.tr("Milestones (epochs)"), self.milestones, self.tr("Epochs at which to decay, e.g. 30, 60"))
        self.add_row(self.tr("Minimum lr"), self.min_lr, self.tr("The learning rate at the end of the decay"))
        self.add_row(
            self.tr("Warm-up (epochs)"), self.warmup_epochs, self.tr("Length of the linear warm-up; fractions allowed")
        )
        self.add_row(self.tr("Factor"), self.factor, self.tr("Multiply the learning rate by this on a plateau"))
        self.add_row(self.tr("Patience (epochs)"), self.patience, self.tr("Epochs without improvement before decaying"))
        self.add_row(self.tr("Peak lr"), self.max_lr, self.tr("Highest learning rate; 0 means 10 × the learning rate"))
        self.add_row(
            self.tr("Warm-up fraction"), self.pct_start, self.tr("Fraction of the run spent rising to the peak")
        )
        self.note = self.add_note()
        self.lr_preview = self._make_lr_preview()
        self.form.addRow(self.lr_preview)

        self.name.currentIndexChanged.connect(self._update_visibility)
        self.schedule.currentIndexChanged.connect(self._update_visibility)
        self.momentum.valueChanged.connect(self._update_visibility)
        widgets = (self.lr, self.weight_decay, self.milestones, self.min_lr, self.max_lr)
        for w in widgets:
            w.textChanged.connect(self.config_changed)
        for w in (
            self.momentum,
            self.beta1,
            self.beta2,
            self.step_size,
            self.gamma,
            self.warmup_epochs,
            self.factor,
            self.patience,
            self.pct_start,
        ):
            w.valueChanged.connect(self.config_changed)
        self.name.currentIndexChanged.connect(self.config_changed)
        self.schedule.currentIndexChanged.connect(self.config_changed)
        self.nesterov.toggled.connect(self.config_changed)
        self._update_visibility()

    def _make_lr_preview(self):  # noqa: ANN202 - pyqtgraph.PlotWidget
        import pyqtgraph as pg

        plot = pg.PlotWidget(self)
        plot.setObjectName("lrPreview")
        plot.setFixedHeight(140)
        plot.setBackground(None)
        plot.setTitle(self.tr("Planned learning rate"), size="9pt")
        plot.setLabel("bottom", self.tr("epoch"))
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.setToolTip(self.tr("The learning rate over the planned run (plateau: as if it never triggers)"))
        self._lr_curve = plot.plot([], [], pen=pg.mkPen((148, 103, 189), width=2))
        plot.setVisible(False)
        return plot

    def set_lr_preview(self, lrs: list[float] | None, epochs: int) -> None:
        """Show the planned learning rate (x in epochs); hidden when there is nothing to show."""
        import numpy as np

        if not lrs or combo_key(self.schedule) == "none":  # a constant rate needs no plot
            self.lr_preview.setVisible(False)
            return
        y = np.asarray(lrs, dtype=float)
        x = np.arange(len(y)) * (epochs / len(y))
        self._lr_curve.setData(x, y)
        item = self.lr_preview.getPlotItem()
        if y.max() - y.min() <= 1e-12 * max(y.max(), 1e-30):
            item.setYRange(0, 1.25 * y.max() if y.max() > 0 else 1, padding=0)
        else:
            item.enableAutoRange(axis="y")
        item.setXRange(0, epochs, padding=0.02)
        self.lr_preview.setVisible(True)

    def set_catalog(self, catalog: Catalog) -> None:
        super().set_catalog(catalog)
        fill_combo(self.name, {k: self._optim_help.get(k, "") for k in catalog.optimizers})
        fill_combo(self.schedule, {k: self._schedule_help.get(k, "") for k in catalog.schedules})
        self._update_visibility()

    def _update_visibility(self) -> None:
        schedule = combo_key(self.schedule)
        values = {"optim.name": combo_key(self.name), "schedule.name": schedule}
        # The rows follow the schema's "applies when" (backend/core/schema.py); the two betas are one key.
        for widget, key in (
            (self.momentum, "optim.momentum"),
            (self.nesterov, "optim.nesterov"),
            (self.beta1, "optim.betas"),
            (self.beta2, "optim.betas"),
            (self.step_size, "schedule.step_size"),
            (self.gamma, "schedule.gamma"),
            (self.milestones, "schedule.milestones"),
            (self.min_lr, "schedule.min_lr"),
            (self.warmup_epochs, "schedule.warmup_epochs"),
            (self.factor, "schedule.factor"),
            (self.patience, "schedule.patience"),
            (self.max_lr, "schedule.max_lr"),
            (self.pct_start, "schedule.pct_start"),
        ):
            self.show_row(widget, applies_with(values, BY_KEY[key]))
        self.nesterov.setEnabled(self.momentum.value() > 0)
        if self.momentum.value() <= 0:
            self.nesterov.setChecked(False)
        sync_combo_tooltip(self.name)
        sync_combo_tooltip(self.schedule)
        self.note.setText(self._schedule_help.get(schedule, ""))
        self.note.setVisible(schedule != "none")

    def apply_config(self, config) -> None:  # noqa: ANN001
        o, s = config.optim, config.schedule
        set_combo_key(self.name, o.name, add_missing=True)
        self.lr.setValue(o.lr)
        self.weight_decay.setValue(o.weight_decay)
        self.momentum.setValue(o.momentum)
        self.nesterov.setChecked(o.nesterov)
        if len(o.betas) == 2:
            self.beta1.setValue(o.betas[0])
            self.beta2.setValue(o.betas[1])
        set_combo_key(self.schedule, s.name, add_missing=True)
        self.step_size.setValue(s.step_size)
        self.gamma.setValue(s.gamma)
        self.milestones.setValues(s.milestones)
        self.min_lr.setValue(s.min_lr)
        self.warmup_epochs.setValue(s.warmup_epochs)
        self.factor.setValue(s.factor)
        self.patience.setValue(s.patience)
        self.max_lr.setValue(s.max_lr)
        self.pct_start.setValue(s.pct_start)
        self._update_visibility()

    def update_config(self, config) -> None:  # noqa: ANN001
        o, s = config.optim, config.schedule
        o.name = combo_key(self.name)
        o.lr = self.lr.value()
        o.weight_decay = self.weight_decay.value()
        o.momentum = self.momentum.value()
        o.nesterov = self.nesterov.isChecked() and o.name == "sgd"
        o.betas = [self.beta1.value(), self.beta2.value()]
        s.name = combo_key(self.schedule)
        s.step_size = self.step_size.value()
        s.gamma = self.gamma.value()
        s.milestones = self.milestones.values()
        s.min_lr = self.min_lr.value()
        s.warmup_epochs = self.warmup_epochs.value()
        s.factor = self.factor.value()
        s.patience = self.patience.value()
        s.max_lr = self.max_lr.value()
        s.pct_start = self.pct_start.value()


if __name__ == "__main__":
    raise SystemExit(run_standalone(OptimPanel))
