"""Live training curves: step loss (raw and smoothed), epoch losses, accuracy, learning rate.

One curve object per series, updated with ``setData`` from growing numpy buffers; clip-to-view
and automatic peak downsampling keep 100,000 points cheap to draw. Only the GUI thread calls
``add_events`` (it is connected to worker signals through the main window's slots).
"""

from __future__ import annotations

import html
import sys
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QCheckBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:
    import pyqtgraph as pg

    from gui.tasks import Task

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

# What Start does now (PlotsPanel.set_start_state): PyTorch is loading, a Start pressed meanwhile waits for
# it, a problem keeps Start disabled, Start trains at once, or a run is starting (its curves come next).
LOADING, QUEUED, BLOCKED, READY, RUNNING = "loading", "queued", "blocked", "ready", "running"

# Past runs drawn next to the live one: muted, dashed, one colour per run (so at most this many).
OVERLAY_COLORS = [(140, 140, 140), (188, 128, 189), (140, 86, 75), (23, 190, 207), (188, 189, 34)]
# Which live series an overlay shows, and on which plot.
OVERLAY_KEYS = {"smooth": 0, "train": 1, "val": 1, "acc_val": 2, "lr": 3}


class Smoother:
    """The debiased EMA of the step loss (as in TensorBoard)."""

    def __init__(self) -> None:
        self.ema, self.count = 0.0, 0

    def __call__(self, loss: float) -> float:
        self.ema, self.count = SMOOTHING * self.ema + (1 - SMOOTHING) * loss, self.count + 1
        return self.ema / (1 - SMOOTHING**self.count)


def curve_points(events: list, task: str, smoother: Smoother) -> dict[str, tuple[list, list]]:
    """The points that ``events`` add to each series (PLOT_OF keys). A ``start`` event sets the task
    (a past run's log); regression shows the validation MSE and MAE where classification shows accuracy."""
    batch: dict[str, tuple[list, list]] = {}

    def put(key: str, x: float, y: float | None) -> None:
        if isinstance(y, (int, float)) and np.isfinite(y):
            xs, ys = batch.setdefault(key, ([], []))
            xs.append(x)
            ys.append(float(y))

    for event in events:
        kind = event.get("event")
        if kind == "start":
            task = str(event.get("task", task))
        elif kind == "step":
            step, loss = event.get("step", 0), event.get("loss")
            put("raw", step, loss)
            if isinstance(loss, (int, float)) and np.isfinite(loss):
                put("smooth", step, smoother(loss))
            put("lr", step, event.get("lr"))
        elif kind == "epoch":
            epoch = event.get("epoch", 0)
            put("train", epoch, event.get("train_loss"))
            put("val", epoch, event.get("val_loss"))
            if task == "regression":
                put("acc_train", epoch, event.get("val_mse"))
                put("acc_val", epoch, event.get("val_mae"))
            else:
                for key, field in (("acc_train", "train_acc"), ("acc_val", "val_acc")):
                    value = event.get(field)
                    put(key, epoch, None if value is None else 100.0 * value)
    return batch


def overlay_series(runs: list[list]) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """The overlay curves of one run or of a group of runs (seeds): {key: (x, mean, low, high)} on the
    x values all runs share; low and high (min and max) equal the mean for a single run."""
    per_run = [curve_points(events, "classification", Smoother()) for events in runs]
    out = {}
    for key in OVERLAY_KEYS:
        curves = [dict(zip(*points[key], strict=True)) for points in per_run if key in points]
        if len(curves) != len(runs):
            continue
        xs = sorted(set.intersection(*(set(c) for c in curves)))
        if not xs:
            continue
        ys = np.array([[c[x] for x in xs] for c in curves])
        out[key] = (np.array(xs, dtype=float), ys.mean(axis=0), ys.min(axis=0), ys.max(axis=0))
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

    def prepend(self, xs: list[float], ys: list[float]) -> None:
        """Put earlier points (a resumed run's history) before those held."""
        x, y = np.concatenate([xs, self.x]), np.concatenate([ys, self.y])
        self.clear()
        self.extend(x, y)

    @property
    def x(self) -> np.ndarray:
        return self._x[: self.n]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self.n]

    def clear(self) -> None:
        self.n = 0


class PlotsPanel(QWidget):
    """Four live plots in a grid, a log-scale switch and a hover read-out.

    With ``defer=True`` the plots are made by ``build()``, which the app calls once the main window
    is on screen; until then a label in their place says what the empty plots would say. Anything
    that draws builds them first.
    """

    sig_built = Signal()
    """The plots exist now (emitted once, by ``build``)."""

    def __init__(self, parent: QWidget | None = None, *, defer: bool = False) -> None:
        super().__init__(parent)
        self.plots: tuple[pg.PlotWidget, ...] = ()  # loss, epoch loss, accuracy, lr: made by build()
        self.series = {k: Series() for k in ("raw", "smooth", "train", "val", "acc_train", "acc_val", "lr")}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._smoother = Smoother()
        self._task = "classification"
        self._overlay_items: list[tuple[pg.PlotWidget, pg.GraphicsObject]] = []
        self._overlay_curves: dict[tuple[str, str], pg.PlotDataItem] = {}  # (legend name, series key)
        # Painting four plots costs milliseconds of GUI-thread time (and the GIL the training
        # thread needs): points are appended at once, curves redrawn on this timer.
        self._dirty: set[str] = set()
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(REDRAW_MS // len(set(PLOT_OF.values())))
        self._redraw_timer.timeout.connect(self._redraw_next_plot)
        self._next_plot = 0
        self._drawn_at = [0.0] * len(set(PLOT_OF.values()))  # monotonic time of each plot's last redraw
        self._idle = True  # no run drawn yet: the hint shows
        self._dark = False
        self._start_lines: tuple[str, ...] = ()
        self._importer: Task | None = None  # build_in_background's

        self.log_scale = QCheckBox(self.tr("Log scale (loss and lr)"), self)
        self.log_scale.setObjectName("logScale")
        self.log_scale.toggled.connect(self._set_log_scale)
        self.readout = QLabel(
            self.tr("Hover over a plot to read values; right-click a plot to export PNG or CSV."), self
        )
        self.readout.setObjectName("plotReadout")

        # The legend of the past runs overlaid, one entry per run for all four plots, above them; and
        # the runs that cannot be drawn (no curves yet, more than there are overlay colours).
        self.overlay_legend = QLabel(self)
        self.overlay_legend.setObjectName("overlayLegend")
        self.overlay_legend.setWordWrap(True)
        self.overlay_legend.setTextFormat(Qt.TextFormat.RichText)
        self.overlay_legend.setVisible(False)

        # The plots' place, held by the hint alone until they are built.
        self.placeholder: QLabel | None = QLabel(self)
        self.placeholder.setObjectName("plotsPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("color: rgb(128, 128, 128);")
        self._grid = QGridLayout()
        self._grid.setSpacing(6)
        self._grid.addWidget(self.placeholder, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.log_scale)
        bar.addWidget(self.readout, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.overlay_legend)
        layout.addLayout(self._grid, 1)
        layout.addLayout(bar)
        self.set_start_state(READY)
        if not defer:
            self.build()

    def build_in_background(self) -> None:
        """Import pyqtgraph on a worker thread, the window staying responsive meanwhile, then ``build``
        here. Nothing else may import PyTorch until ``sig_built``: see gui/pyqtgraph_import.py."""
        from gui.pyqtgraph_import import import_pyqtgraph
        from gui.tasks import Task

        self._importer = Task(self, name="PlotLibrary")
        self._importer.sig_finished.connect(self.build)
        self._importer.start(lambda _state: import_pyqtgraph())

    def wait(self) -> None:
        """Block until the background import of pyqtgraph has ended (closing: its thread must not outlive
        the window)."""
        if self._importer is not None:
            self._importer.wait()

    def build(self) -> None:
        """Make the four plots in place of the placeholder (the first call imports pyqtgraph)."""
        if self.plots:
            return
        import pyqtgraph as pg

        from gui.panels.plot_widgets import make_plot

        self.loss_plot = make_plot(self, "lossPlot", self.tr("Training loss per step"))
        self.epoch_plot = make_plot(self, "epochLossPlot", self.tr("Loss per epoch"))
        self.accuracy_plot = make_plot(self, "accuracyPlot", self.tr("Accuracy (%) per epoch"))
        self.lr_plot = make_plot(self, "lrPlot", self.tr("Learning rate per step"))
        self.plots = (self.loss_plot, self.epoch_plot, self.accuracy_plot, self.lr_plot)

        def curve(
            plot: pg.PlotWidget, key: str, name: str, width: float = 2, symbol: str | None = None
        ) -> pg.PlotDataItem:
            pen = pg.mkPen(COLORS[key], width=width)
            extra = {"symbol": symbol, "symbolSize": 6, "symbolBrush": COLORS[key], "symbolPen": None} if symbol else {}
            return plot.plot([], [], pen=pen, name=name, **extra)

        self.curves = {
            "raw": curve(self.loss_plot, "raw", self.tr("loss"), 1),
            "smooth": curve(self.loss_plot, "smooth", self.tr("smoothed")),
            "train": curve(self.epoch_plot, "train", self.tr("train"), symbol="o"),
            "val": curve(self.epoch_plot, "val", self.tr("validation"), symbol="o"),
            "acc_train": curve(self.accuracy_plot, "acc_train", self.tr("train"), symbol="o"),
            "acc_val": curve(self.accuracy_plot, "acc_val", self.tr("validation"), symbol="o"),
            "lr": curve(self.lr_plot, "lr", self.tr("lr")),
        }
        self.hint = pg.TextItem("", color=(128, 128, 128), anchor=(0.5, 0.5))
        self.loss_plot.addItem(self.hint, ignoreBounds=True)
        self.hint.setPos(0.5, 0.5)
        self.loss_plot.getPlotItem().vb.sigResized.connect(self._fit_hint)
        self._show_start_lines()
        self.hint.setVisible(self._idle)
        if self.placeholder is not None:
            self._grid.removeWidget(self.placeholder)
            self.placeholder.deleteLater()
            self.placeholder = None
        for i, plot in enumerate(self.plots):
            self._grid.addWidget(plot, i // 2, i % 2)
            plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.set_task(self._task)
        self.set_dark(self._dark)
        self._set_log_scale(self.log_scale.isChecked())
        self.sig_built.emit()

    def set_start_state(self, state: str) -> None:
        """What the hint on the empty loss plot says: what Start does now (LOADING, QUEUED, BLOCKED, READY or RUNNING)."""
        texts = {
            LOADING: (
                self.tr("Loading PyTorch…"),
                self.tr("Press Start (F5) now: training begins once it has loaded"),
            ),
            QUEUED: (self.tr("Loading PyTorch…"), self.tr("Start is queued: training begins once it has loaded")),
            BLOCKED: (self.tr("Cannot start yet"), self.tr("Fix the problem shown above, then press Start (F5)")),
            READY: (self.tr("Press Start (F5) to train"), ""),
            RUNNING: (self.tr("Starting the run…"), self.tr("The curves appear with its first steps")),
        }
        self._start_lines = tuple(t for t in texts[state] if t)
        self._show_start_lines()

    def _show_start_lines(self) -> None:
        if not self.plots:
            self.placeholder.setText("\n".join(self._start_lines))
            return
        self.hint.setHtml("<div align='center'>" + "<br>".join(html.escape(t) for t in self._start_lines) + "</div>")
        self._fit_hint()

    def _fit_hint(self) -> None:
        """The hint's lines centred on each other, wrapped to the width of the loss plot's data area."""
        text = self.hint.textItem
        text.setTextWidth(-1)  # its natural width, at most the plot's: the width the lines centre in
        room = self.loss_plot.getPlotItem().vb.width() - 16
        self.hint.setTextWidth(min(text.boundingRect().width(), room) if room > 40 else -1)  # (re-anchors it)

    # ----------------------------------------------------------------- past runs
    @Slot(dict)
    def set_overlays(self, runs: dict) -> None:
        """Draw past runs next to the live one: {legend name: [events of each run]}. One run is a
        dashed curve (dotted: its training loss); several runs (seeds of one setup) are their mean
        with a min-max band. At most one overlay per colour; what is not drawn is said above the plots."""
        self.build()
        import pyqtgraph as pg

        for plot, item in self._overlay_items:
            plot.removeItem(item)
            plot.getPlotItem().legend.removeItem(item)
        self._overlay_items = []
        self._overlay_curves = {}
        empty, drawn = [], 0
        for name, group in runs.items():
            series = overlay_series(group)
            if not series:
                empty.append(name)
                continue
            if drawn == len(OVERLAY_COLORS):
                continue
            color = OVERLAY_COLORS[drawn]
            drawn += 1
            for key, (xs, mean, low, high) in series.items():
                plot = self.plots[OVERLAY_KEYS[key]]
                style = Qt.PenStyle.DotLine if key == "train" else Qt.PenStyle.DashLine
                epochs = plot in (self.epoch_plot, self.accuracy_plot)
                extra = {"symbol": "t", "symbolSize": 6, "symbolBrush": color, "symbolPen": None} if epochs else {}
                item = plot.plot(xs, mean, pen=pg.mkPen(color, width=1.5, style=style), **extra)
                self._overlay_items.append((plot, item))
                self._overlay_curves[(name, key)] = item
                if len(group) > 1 and key != "train":  # one band per plot: the epoch plot's is the validation's
                    band = pg.FillBetweenItem(
                        pg.PlotDataItem(xs, low), pg.PlotDataItem(xs, high), brush=pg.mkBrush(*color[:3], 50)
                    )
                    plot.addItem(band)
                    self._overlay_items.append((plot, band))
        shown = [name for name in runs if name not in empty]
        self.hint.setVisible(self._idle and not drawn)  # the hint would sit among the overlays
        parts = []
        if drawn:
            entries = "&nbsp;&nbsp; ".join(
                f"<span style='color:rgb{OVERLAY_COLORS[i]}'>&#x2501;&#x2501;</span>&nbsp;{html.escape(name)}"
                for i, name in enumerate(shown[:drawn])
            )
            parts.append(
                self.tr("Past runs (dashed; dotted: training loss; band: min to max of the seeds):") + " " + entries
            )
        if empty:
            parts.append(self.tr("Not drawn, no curves yet: {names}.").format(names=html.escape(", ".join(empty))))
        if len(shown) > drawn:
            parts.append(
                self.tr("Not drawn: {names} (at most {n} runs are overlaid; select fewer).").format(
                    names=html.escape(", ".join(shown[drawn:])), n=len(OVERLAY_COLORS)
                )
            )
        self.overlay_legend.setText("<br>".join(parts))
        self.overlay_legend.setVisible(bool(parts))

    def overlay_curve(self, name: str, key: str) -> pg.PlotDataItem | None:
        """The curve of an overlaid run (or seed group's mean) for a series key (OVERLAY_KEYS)."""
        return self._overlay_curves.get((name, key))

    def overlay_count(self) -> int:
        return len(self._overlay_items)

    def point_count(self, key: str) -> int:
        return self.series[key].n

    def clear(self) -> None:
        self.build()
        from gui.panels.plot_widgets import set_title

        for plot in self.plots:
            plot.getPlotItem().enableAutoRange()
            plot.planned_end.setVisible(False)
            set_title(plot, plot.title_text)
        for series in self.series.values():
            series.clear()
        self._smoother = Smoother()
        self._dirty.clear()
        self._redraw_timer.stop()
        self._redraw(self.series)
        self._idle = False
        self.hint.setVisible(False)

    def set_run_length(self, total_steps: int, epochs: int) -> None:
        """Show where the run is planned to end: a faint note in the titles and a faint line there.
        The axes themselves follow the data, so early curves use the whole width."""
        self.build()
        from gui.panels.plot_widgets import set_title

        ends = {
            self.loss_plot: total_steps,
            self.lr_plot: total_steps,
            self.epoch_plot: epochs,
            self.accuracy_plot: epochs,
        }
        for plot, end in ends.items():
            plot.planned_end.setValue(end)
            plot.planned_end.setVisible(end > 0)
            set_title(plot, plot.title_text, self.tr("ends at {n:,}").format(n=end))

    @Slot(object)
    def add_history(self, events: list) -> None:
        """Draw a resumed run's earlier events (its metrics.jsonl before the resume) before the live points."""
        for key, (xs, ys) in curve_points(events, self._task, Smoother()).items():
            self.series[key].prepend(xs, ys)
            self._dirty.add(key)
        if self._dirty and not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def set_task(self, task: str) -> None:
        """Classification shows accuracy; regression shows the validation error."""
        self._task = task
        if not self.plots:
            return  # build() sets it
        from gui.panels.plot_widgets import set_title

        if task == "regression":
            set_title(self.accuracy_plot, self.tr("Validation error per epoch"))
            self.curves["acc_train"].opts["name"] = self.tr("validation MSE")
            self.curves["acc_val"].opts["name"] = self.tr("validation MAE")
        else:
            set_title(self.accuracy_plot, self.tr("Accuracy (%) per epoch"))
            self.curves["acc_train"].opts["name"] = self.tr("train")
            self.curves["acc_val"].opts["name"] = self.tr("validation")
        for sample, label in self.accuracy_plot.getPlotItem().legend.items:
            if sample.item in (self.curves["acc_train"], self.curves["acc_val"]):
                label.setText(sample.item.opts["name"])

    @Slot(object)
    def add_events(self, events: list) -> None:
        """Append the points of a batch of trainer events and redraw each changed curve once."""
        batch = curve_points(events, self._task, self._smoother)
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

    def _redraw(self, keys: Iterable[str]) -> None:
        self.build()
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
        if not self.plots:
            return  # build() sets it
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
        self._dark = dark
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
            item.legend.setLabelTextColor(foreground)
            for _sample, label in item.legend.items:  # entries made before the switch
                label.setAttr("color", foreground)
                label.setText(label.text)


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
