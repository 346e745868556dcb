"""Live training curves: step loss (raw and smoothed), epoch losses, accuracy, learning rate.

One curve object per series, updated with ``setData`` from growing numpy buffers; clip-to-view
and automatic peak downsampling keep 100,000 points cheap to draw. Only the GUI thread calls
``add_events`` (it is connected to worker signals through the main window's slots).
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer, Slot
from PySide6.QtWidgets import QApplication, QCheckBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

SMOOTHING = 0.9  # EMA factor of the smoothed loss line (debiased, as in TensorBoard)
REDRAW_MS = 200  # curves are redrawn at most 5 times a second, however fast events arrive
# One plot is repainted per timer tick (a quarter of REDRAW_MS apart) rather than all four in
# one paint pass: each pass then blocks the event loop for one plot's paint, not four.
PLOT_OF = {"raw": 0, "smooth": 0, "train": 1, "val": 1, "acc_train": 2, "acc_val": 2, "lr": 3}
COLORS = {
    "raw": (120, 160, 220, 110),
    "smooth": (31, 119, 180),
    "train": (255, 127, 14),
    "val": (44, 160, 44),
    "acc_train": (255, 127, 14),
    "acc_val": (214, 39, 40),
    "lr": (148, 103, 189),
}

# Past runs drawn next to the live one: muted, dashed, one colour per run.
OVERLAY_COLORS = [(140, 140, 140), (188, 128, 189), (140, 86, 75), (23, 190, 207), (188, 189, 34)]


def overlay_series(events: list) -> dict[str, tuple[list, list]]:
    """A past run's curves from its events: smoothed step loss, epoch losses, accuracy, lr."""
    out: dict[str, tuple[list, list]] = {k: ([], []) for k in ("loss", "train", "val", "acc", "lr")}
    ema, count, task = 0.0, 0, "classification"

    def put(key: str, x: float, y: float | None) -> None:
        if isinstance(y, (int, float)) and np.isfinite(y):
            out[key][0].append(x)
            out[key][1].append(float(y))

    for event in events:
        kind = event.get("event")
        if kind == "start":
            task = str(event.get("task", task))
        elif kind == "step":
            loss = event.get("loss")
            if isinstance(loss, (int, float)) and np.isfinite(loss):
                ema, count = SMOOTHING * ema + (1 - SMOOTHING) * loss, count + 1
                put("loss", event.get("step", 0), ema / (1 - SMOOTHING**count))
            put("lr", event.get("step", 0), event.get("lr"))
        elif kind == "epoch":
            epoch = event.get("epoch", 0)
            put("train", epoch, event.get("train_loss"))
            put("val", epoch, event.get("val_loss"))
            if task == "regression":
                put("acc", epoch, event.get("val_mae"))
            elif isinstance(event.get("val_acc"), (int, float)):
                put("acc", epoch, 100.0 * event["val_acc"])
    return out


class Series:
    """A growing (x, y) buffer with amortised O(1) appends."""

    def __init__(self) -> None:
        self._x = np.empty(1024)
        self._y = np.empty(1024)
        self.n = 0

    def extend(self, xs: list[float], ys: list[float]) -> None:
        need = self.n + len(xs)
        if need > len(self._x):
            size = max(need, 2 * len(self._x))
            self._x = np.resize(self._x, size)
            self._y = np.resize(self._y, size)
        self._x[self.n : need] = xs
        self._y[self.n : need] = ys
        self.n = need

    @property
    def x(self) -> np.ndarray:
        return self._x[: self.n]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self.n]

    def clear(self) -> None:
        self.n = 0


class WholeNumberAxis(pg.AxisItem):
    """An axis that only ticks whole numbers (epochs and steps: no "epoch 2.5")."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802, N803 - pyqtgraph API
        levels = []
        for spacing, values in super().tickValues(minVal, maxVal, size):
            if spacing >= 1:
                levels.append((spacing, [v for v in values if float(v).is_integer()]))
        return levels or [(1.0, [float(v) for v in range(int(minVal) + 1, int(maxVal) + 1)])]


def _make_plot(parent: QWidget, name: str, title: str, x_label: str, legend_at_bottom: bool = False) -> pg.PlotWidget:
    plot = pg.PlotWidget(parent, axisItems={"bottom": WholeNumberAxis("bottom")})
    plot.setObjectName(name)
    plot.setTitle(title)
    plot.setLabel("bottom", x_label)
    plot.showGrid(x=True, y=True, alpha=0.25)
    plot.setMinimumSize(220, 160)
    item = plot.getPlotItem()
    item.setDownsampling(auto=True, mode="peak")
    item.setClipToView(True)
    # Losses fall and accuracies rise: put each legend where its curves are not.
    item.addLegend(offset=(-10, -10) if legend_at_bottom else (-10, 10))
    return plot


class PlotsPanel(QWidget):
    """Four live plots in a grid, a log-scale switch and a hover read-out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loss_plot = _make_plot(self, "lossPlot", self.tr("Training loss per step"), self.tr("step"))
        self.epoch_plot = _make_plot(self, "epochLossPlot", self.tr("Loss per epoch"), self.tr("epoch"))
        self.accuracy_plot = _make_plot(self, "accuracyPlot", self.tr("Accuracy (%)"), self.tr("epoch"), True)
        self.lr_plot = _make_plot(self, "lrPlot", self.tr("Learning rate"), self.tr("step"))
        self.plots = (self.loss_plot, self.epoch_plot, self.accuracy_plot, self.lr_plot)

        def curve(
            plot: pg.PlotWidget, key: str, name: str, width: float = 2, symbol: str | None = None
        ) -> pg.PlotDataItem:
            pen = pg.mkPen(COLORS[key], width=width)
            extra = {"symbol": symbol, "symbolSize": 6, "symbolBrush": COLORS[key], "symbolPen": None} if symbol else {}
            return plot.plot([], [], pen=pen, name=name, **extra)

        self.series = {k: Series() for k in ("raw", "smooth", "train", "val", "acc_train", "acc_val", "lr")}
        self.curves = {
            "raw": curve(self.loss_plot, "raw", self.tr("loss"), 1),
            "smooth": curve(self.loss_plot, "smooth", self.tr("smoothed")),
            "train": curve(self.epoch_plot, "train", self.tr("train"), symbol="o"),
            "val": curve(self.epoch_plot, "val", self.tr("validation"), symbol="o"),
            "acc_train": curve(self.accuracy_plot, "acc_train", self.tr("train"), symbol="o"),
            "acc_val": curve(self.accuracy_plot, "acc_val", self.tr("validation"), symbol="o"),
            "lr": curve(self.lr_plot, "lr", self.tr("lr")),
        }
        self._ema = 0.0
        self._ema_count = 0
        self._task = "classification"
        self._overlay_items: list[tuple[pg.PlotWidget, pg.PlotDataItem]] = []
        # Painting four plots costs milliseconds of GUI-thread time (and the GIL the training
        # thread needs): points are appended at once, curves redrawn on this timer.
        self._dirty: set[str] = set()
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(REDRAW_MS // len(set(PLOT_OF.values())))
        self._redraw_timer.timeout.connect(self._redraw_next_plot)
        self._next_plot = 0
        self._drawn_at = [0.0] * len(set(PLOT_OF.values()))  # monotonic time of each plot's last redraw
        self.hint = pg.TextItem(self.tr("Press Start (F5) to train"), color=(128, 128, 128), anchor=(0.5, 0.5))
        self.loss_plot.addItem(self.hint, ignoreBounds=True)
        self.hint.setPos(0.5, 0.5)

        self.log_scale = QCheckBox(self.tr("Log scale (loss and lr)"), self)
        self.log_scale.setObjectName("logScale")
        self.log_scale.toggled.connect(self._set_log_scale)
        self.readout = QLabel(
            self.tr("Hover over a plot to read values; right-click a plot to export PNG or CSV."), self
        )
        self.readout.setObjectName("plotReadout")

        grid = QGridLayout()
        grid.setSpacing(6)
        for i, plot in enumerate(self.plots):
            grid.addWidget(plot, i // 2, i % 2)
            plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        bar = QHBoxLayout()
        bar.addWidget(self.log_scale)
        bar.addWidget(self.readout, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid, 1)
        layout.addLayout(bar)

    # ----------------------------------------------------------------- past runs
    def set_overlays(self, runs: dict) -> None:
        """Draw past runs (name -> their metrics.jsonl events) as dashed, muted curves."""
        for plot, item in self._overlay_items:
            plot.removeItem(item)
            legend = plot.getPlotItem().legend
            if legend is not None:
                legend.removeItem(item)
        self._overlay_items = []
        for i, (name, events) in enumerate(runs.items()):
            color = OVERLAY_COLORS[i % len(OVERLAY_COLORS)]
            for key, (xs, ys) in overlay_series(events).items():
                if not xs:
                    continue
                plot = {"loss": self.loss_plot, "lr": self.lr_plot, "acc": self.accuracy_plot}.get(key, self.epoch_plot)
                style = Qt.PenStyle.DotLine if key == "train" else Qt.PenStyle.DashLine
                extra = (
                    {"symbol": "t", "symbolSize": 6, "symbolBrush": color, "symbolPen": None}
                    if plot
                    in (
                        self.epoch_plot,
                        self.accuracy_plot,
                    )
                    else {}
                )
                label = (
                    f"{name} ({self.tr('train') if key == 'train' else self.tr('validation')})"
                    if plot is self.epoch_plot
                    else name
                )
                item = plot.plot(xs, ys, pen=pg.mkPen(color, width=1.5, style=style), name=label, **extra)
                self._overlay_items.append((plot, item))

    def overlay_count(self) -> int:
        return len(self._overlay_items)

    def point_count(self, key: str) -> int:
        return self.series[key].n

    def clear(self) -> None:
        for plot in self.plots:
            plot.getPlotItem().enableAutoRange()
        for series in self.series.values():
            series.clear()
        self._ema, self._ema_count = 0.0, 0
        self._dirty.clear()
        self._redraw_timer.stop()
        self._redraw(self.series)
        self.hint.setVisible(False)

    def set_run_length(self, total_steps: int, epochs: int, first_step: int = 0, first_epoch: int = 1) -> None:
        """Fix the x ranges for the whole run: no per-update x autorange, axis regeneration or
        second repaint (each plot repaint costs several ms of GUI-thread time)."""
        for plot in (self.loss_plot, self.lr_plot):
            plot.getPlotItem().setXRange(first_step, max(total_steps, first_step + 1), padding=0.02)
        for plot in (self.epoch_plot, self.accuracy_plot):
            plot.getPlotItem().setXRange(first_epoch - 0.5, max(epochs, first_epoch) + 0.5, padding=0)

    def set_task(self, task: str) -> None:
        """Classification shows accuracy; regression shows the validation error."""
        self._task = task
        if task == "regression":
            self.accuracy_plot.setTitle(self.tr("Validation error"))
            self.curves["acc_train"].opts["name"] = self.tr("validation MSE")
            self.curves["acc_val"].opts["name"] = self.tr("validation MAE")
        else:
            self.accuracy_plot.setTitle(self.tr("Accuracy (%)"))
            self.curves["acc_train"].opts["name"] = self.tr("train")
            self.curves["acc_val"].opts["name"] = self.tr("validation")
        legend = self.accuracy_plot.getPlotItem().legend
        if legend is not None:
            legend.clear()
            legend.addItem(self.curves["acc_train"], self.curves["acc_train"].opts["name"])
            legend.addItem(self.curves["acc_val"], self.curves["acc_val"].opts["name"])

    @Slot(object)
    def add_events(self, events: list) -> None:
        """Append the points of a batch of trainer events and redraw each changed curve once."""
        batch: dict[str, tuple[list, list]] = {}

        def put(key: str, x: float, y: float | None) -> None:
            if y is not None and np.isfinite(y):
                xs, ys = batch.setdefault(key, ([], []))
                xs.append(x)
                ys.append(y)

        for event in events:
            kind = event.get("event")
            if kind == "step":
                step, loss = event.get("step", 0), event.get("loss")
                put("raw", step, loss)
                if loss is not None and np.isfinite(loss):
                    self._ema = SMOOTHING * self._ema + (1 - SMOOTHING) * loss
                    self._ema_count += 1
                    put("smooth", step, self._ema / (1 - SMOOTHING**self._ema_count))
                put("lr", step, event.get("lr"))
            elif kind == "epoch":
                epoch = event.get("epoch", 0)
                put("train", epoch, event.get("train_loss"))
                put("val", epoch, event.get("val_loss"))
                if self._task == "regression":
                    put("acc_train", epoch, event.get("val_mse"))
                    put("acc_val", epoch, event.get("val_mae"))
                else:
                    for key, field in (("acc_train", "train_acc"), ("acc_val", "val_acc")):
                        value = event.get(field)
                        put(key, epoch, None if value is None else 100.0 * value)
        for key, (xs, ys) in batch.items():
            self.series[key].extend(xs, ys)
        self._dirty.update(batch)
        if self._dirty and not self._redraw_timer.isActive():
            self._redraw_timer.start()

    @Slot()
    def _redraw_next_plot(self) -> None:
        """Redraw the dirty curves of the next plot in turn (each at most once per REDRAW_MS)."""
        plots, now = len(self._drawn_at), time.monotonic()
        for offset in range(plots):
            index = (self._next_plot + offset) % plots
            keys = {k for k in self._dirty if PLOT_OF[k] == index}
            if keys and now - self._drawn_at[index] >= REDRAW_MS / 1000 * 0.95:
                self._dirty -= keys
                self._next_plot = (index + 1) % plots
                self._drawn_at[index] = now
                self._redraw(keys)
                break
        if self._dirty:
            self._redraw_timer.start()

    @Slot()
    def flush(self) -> None:
        """Redraw the curves that received points since the last redraw."""
        self._redraw_timer.stop()
        dirty, self._dirty = self._dirty, set()
        self._redraw(dirty)

    def _redraw(self, keys) -> None:  # noqa: ANN001 - any iterable of series keys
        for key in keys:
            series = self.series[key]
            self.curves[key].setData(series.x, series.y)
        if "lr" in keys:
            self._fit_lr_range()

    def _fit_lr_range(self) -> None:
        """A constant lr would otherwise be drawn on an axis centred on it (±0.5, lr shown as 0)."""
        series, view = self.series["lr"], self.lr_plot.getPlotItem()
        if series.n and not self.log_scale.isChecked():
            low, high = float(series.y.min()), float(series.y.max())
            if high - low <= 1e-9 * max(abs(high), 1e-30):
                view.setYRange(0.0, 1.25 * high if high > 0 else 1.0, padding=0)
                return
        view.enableAutoRange(axis="y")

    def _set_log_scale(self, on: bool) -> None:
        for plot in (self.loss_plot, self.epoch_plot, self.lr_plot):
            plot.setLogMode(x=False, y=on)

    def _on_mouse_moved(self, pos: QPointF) -> None:
        for plot in self.plots:
            item = plot.getPlotItem()
            if not item.sceneBoundingRect().contains(pos):
                continue
            x = item.vb.mapSceneToView(pos).x()
            parts = []
            for key, curve in self.curves.items():
                if curve.getViewBox() is not item.vb or self.series[key].n == 0:
                    continue
                series = self.series[key]
                i = int(np.clip(np.searchsorted(series.x, x), 0, series.n - 1))
                if i > 0 and abs(series.x[i - 1] - x) < abs(series.x[i] - x):
                    i -= 1
                parts.append(f"{curve.opts.get('name', key)} = {series.y[i]:.4g} @ {series.x[i]:g}")
            if parts:
                self.readout.setText(f"{plot.getPlotItem().titleLabel.text}: " + "   ".join(parts))
            return

    def set_dark(self, dark: bool) -> None:
        background, foreground = ("#1e1e1e", "#d0d0d0") if dark else ("#ffffff", "#303030")
        for plot in self.plots:
            plot.setBackground(background)
            item = plot.getPlotItem()
            for name in ("left", "bottom"):
                axis = item.getAxis(name)
                axis.setPen(foreground)
                axis.setTextPen(foreground)
            item.titleLabel.setAttr("color", foreground)
            item.setTitle(item.titleLabel.text)


if __name__ == "__main__":
    app = QApplication.instance() or QApplication(sys.argv)
    panel = PlotsPanel()
    demo = [
        {"event": "step", "step": s, "loss": 2.3 * np.exp(-s / 300) + 0.1 * np.random.rand(), "lr": 1e-3}
        for s in range(1, 2001)
    ]
    demo += [
        {
            "event": "epoch",
            "epoch": e,
            "train_loss": 2 / e,
            "val_loss": 2.2 / e,
            "train_acc": 1 - 0.5 / e,
            "val_acc": 1 - 0.6 / e,
        }
        for e in range(1, 11)
    ]
    panel.add_events(demo)
    panel.resize(900, 600)
    panel.show()
    raise SystemExit(app.exec())
