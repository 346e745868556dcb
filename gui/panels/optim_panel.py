"""Optimizer and learning-rate schedule panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QWidget

from backend.core.schema import section_options
from gui.catalog import Catalog
from gui.option_form import OptionRows, schema_rows
from gui.panels.base import ConfigPanel, run_standalone
from gui.widgets import combo_key, fill_combo, set_combo_key, sync_combo_tooltip

if TYPE_CHECKING:
    import pyqtgraph as pg

    from backend.core.config import RunConfig


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
        self.add_field("optim.name", self.name)
        self.optim_rows = self.add_rows(OptionRows(self.form, self, self._schema_rows("optim"), self.config_changed))
        self.schedule = QComboBox(self)
        self.schedule.setObjectName("scheduleName")
        self.add_field("schedule.name", self.schedule)
        self.schedule_rows = self.add_rows(
            OptionRows(self.form, self, self._schema_rows("schedule"), self.config_changed)
        )
        self.lr = self.optim_rows.widgets["lr"]
        self.lr.setObjectName("learningRate")
        self.momentum = self.optim_rows.widgets["momentum"]
        self.nesterov = self.optim_rows.widgets["nesterov"]
        self.schedule_rows.widgets["milestones"].setPlaceholderText("30, 60")
        self.note = self.add_note()
        # The form's last row, made by the first schedule worth plotting (pyqtgraph plots are slow to build).
        self.lr_preview: pg.PlotWidget | None = None
        self._lr_curve: pg.PlotDataItem | None = None

        self.name.currentIndexChanged.connect(self._update_visibility)
        self.schedule.currentIndexChanged.connect(self._update_visibility)
        self.momentum.textChanged.connect(self._update_visibility)
        self.name.currentIndexChanged.connect(self.config_changed)
        self.schedule.currentIndexChanged.connect(self.config_changed)
        self._update_visibility()

    @staticmethod
    def _schema_rows(section: str) -> list:
        return schema_rows(o.key for o in section_options(section) if o.name != "name")

    def _make_lr_preview(self) -> pg.PlotWidget:
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
        self.form.addRow(plot)
        return plot

    def set_lr_preview(self, lrs: list[float] | None, epochs: int) -> None:
        """Show the planned learning rate (x in epochs); hidden when there is nothing to show."""
        import numpy as np

        if not lrs or combo_key(self.schedule) == "none":  # a constant rate needs no plot
            if self.lr_preview is not None:
                self.lr_preview.setVisible(False)
            return
        if self.lr_preview is None:
            self.lr_preview = self._make_lr_preview()
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
        # The rows follow the schema's "applies when" (backend/core/schema.py).
        values = {"optim.name": combo_key(self.name), "schedule.name": schedule}
        self.optim_rows.refresh(values)
        self.schedule_rows.refresh(values)
        momentum = self.momentum.value()
        self.nesterov.setEnabled(momentum > 0)
        if not momentum > 0:  # NaN (not a number) too
            self.nesterov.setChecked(False)
        sync_combo_tooltip(self.name)
        sync_combo_tooltip(self.schedule)
        self.note.setText(self._schedule_help.get(schedule, ""))
        self.note.setVisible(schedule != "none")

    def apply_config(self, config: RunConfig) -> None:
        set_combo_key(self.name, config.optim.name, add_missing=True)
        set_combo_key(self.schedule, config.schedule.name, add_missing=True)
        self.optim_rows.apply(config.optim)
        self.schedule_rows.apply(config.schedule)
        self._update_visibility()

    def update_config(self, config: RunConfig) -> None:
        config.optim.name = combo_key(self.name)
        config.schedule.name = combo_key(self.schedule)
        self.optim_rows.write(config.optim)
        self.schedule_rows.write(config.schedule)
        config.optim.nesterov = config.optim.nesterov and config.optim.name == "sgd"


if __name__ == "__main__":
    raise SystemExit(run_standalone(OptimPanel))
