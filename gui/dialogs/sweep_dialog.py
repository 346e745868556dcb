"""Tools > Sweep…: search hyper-parameters with Optuna on the current configuration.

The user ticks the options to search (the numeric and choice options of backend/core/schema.py that
apply to the configuration) and their ranges; the sweep (backend/engine/sweep.py) runs on a
``gui.tasks.Task``. Trials arrive as partial results: a sortable table (parameters, metric, state),
the optimisation history and the parameters' importance. Any trial opens as a run (``sig_open_run``).
"""

from __future__ import annotations

import copy
import math
import sys
import time
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from backend.core.experiments import DEFAULT_STUDY
from backend.core.schema import OPTIONS, Option, value_of
from gui.backend_text import backend_tr
from gui.dialogs.artifact_base import compact_rows
from gui.dialogs.error_dialog import ErrorDialog
from gui.dialogs.task_controls import TaskControls
from gui.dialogs.unusual_values_dialog import UnusualValuesDialog
from gui.panels.plot_widgets import WholeNumberAxis
from gui.tasks import Task, TaskState

# What a sweep may search: the options of these sections, and these keys (the others change the data,
# the device or the bookkeeping, not the model's quality), less the excluded ones (model.input_size
# resizes the data, and its 0 means "automatic").
SWEEP_SECTIONS = ("model", "optim", "schedule", "loss")
SWEEP_KEYS = ("data.batch_size", "data.augment", "data.balanced", "train.grad_accum", "train.clip_grad_norm")
SWEEP_EXCLUDED = ("model.input_size",)
SWEEP_TYPES = ("int", "float", "choice", "bool")
RUN_DIR_ROLE = KEY_ROLE = Qt.ItemDataRole.UserRole  # a trial's run folder; a parameter row's key
PARAM_COLUMN, KIND_COLUMN, LOW_COLUMN, HIGH_COLUMN, CHOICES_COLUMN = range(5)


def sweep_options(config: Any) -> list[Option]:  # config: backend.core.config.RunConfig
    """The options the dialog offers for ``config``: numbers and choices that have an effect there."""
    return [
        o
        for o in OPTIONS
        if (o.section in SWEEP_SECTIONS or o.key in SWEEP_KEYS)
        and o.key not in SWEEP_EXCLUDED
        and o.type in SWEEP_TYPES
        and o.applies(config)
    ]


def default_range(option: Option, value: float) -> tuple[str, float, float]:
    """A first range around the current value: x/10..x*10 (log) for a positive decimal, half to double
    for an integer, up to the usual (or allowed) top from 0; clipped to what the option allows."""
    top = option.max if option.max is not None else (option.usual[1] if option.usual else 1.0)
    if option.type == "int":
        low = max(int(option.min or 1), int(value) // 2 or 1)
        return "int", low, max(low + 1, int(value) * 2)
    if value > 0:
        low = value / 10 if option.min is None else max(value / 10, option.min)
        return "log", low, min(value * 10, top)
    return "float", 0.0, option.usual[1] if option.usual else top


def _run_sweep(state: TaskState, base: Any, items: list[str], folder: str, trials: int, study: str) -> Any:
    """The sweep on the task's thread: trial events as partial results, progress by epochs done."""
    from backend.engine.sweep import Sweep, parse_params

    specs = parse_params(items, base)
    epochs = max(1, base.train.epochs)
    finished = 0

    def on_event(event: dict) -> None:
        nonlocal finished
        kind = event["event"]
        if kind in ("trial_start", "trial_end", "note"):
            state.report_partial(event)
        if kind == "trial_end":
            finished = event["finished"]
        if kind in ("epoch", "trial_end"):
            done = finished + (int(event.get("epoch", 0)) / epochs if kind == "epoch" else 0)
            state.report_progress(min(done / trials, 1.0), f"trial {event['trial']}")

    sweep = Sweep(base, specs, folder, trials=trials, study_name=study, control=state, on_event=on_event)
    return sweep.run()


class SweepDialog(QDialog):
    """Pick parameters and ranges, run the trials, compare them, open one as a run."""

    sig_open_run = Signal(str)
    """The run folder of a trial to open in the main window."""

    def __init__(self, config: Any, parent: QWidget | None = None, error_dialog: ErrorDialog | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sweepDialog")
        self.setWindowTitle(self.tr("Sweep"))
        self.base = copy.deepcopy(config)
        self.error_dialog = error_dialog or ErrorDialog(self)
        self.rows: dict[int, dict] = {}  # trial number -> its row (backend.engine.sweep.TrialRow as a dict)
        self.result: Any = None
        self.task = Task(self, name="Sweep")
        self.task.sig_partial.connect(self._on_partial)
        self.task.sig_result.connect(self._on_result)
        self.task.sig_failed.connect(self._on_failed)
        self.task.sig_finished.connect(self._update_buttons)
        self.unusual_dialog = UnusualValuesDialog(self)
        self.unusual_dialog.sig_start_anyway.connect(self._start_anyway)
        self._confirmed_unusual: list = []  # the unusual range ends the user chose to start with

        self.params = QTableWidget(0, 5, self)
        self.params.setObjectName("sweepParams")
        self.params.setHorizontalHeaderLabels(
            [self.tr("Search"), self.tr("Range"), self.tr("Low"), self.tr("High"), self.tr("Choices")]
        )
        self.params.horizontalHeader().setSectionResizeMode(CHOICES_COLUMN, QHeaderView.ResizeMode.Stretch)
        compact_rows(self.params)
        self._fill_params()

        self.trials = QSpinBox(self)
        self.trials.setObjectName("sweepTrials")
        self.trials.setRange(1, 10000)
        self.trials.setValue(20)
        self.trials.setToolTip(self.tr("Finished (completed or pruned) trials the study should hold"))
        self.study = QLineEdit(DEFAULT_STUDY, self)
        self.study.setObjectName("sweepStudy")
        self.folder = QLineEdit(self)
        self.folder.setObjectName("sweepFolder")
        self.folder.setText(
            str(Path(self.base.train.runs_dir).expanduser() / "sweeps" / time.strftime("%Y%m%d-%H%M%S"))
        )
        self.folder.setToolTip(
            self.tr("The study's journal and one run folder per trial; a folder that holds a study continues it")
        )
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        settings_row = QHBoxLayout()
        settings_row.addWidget(QLabel(self.tr("Trials:"), self))
        settings_row.addWidget(self.trials)
        settings_row.addSpacing(12)
        settings_row.addWidget(QLabel(self.tr("Study:"), self))
        settings_row.addWidget(self.study)
        settings_row.addStretch(1)
        form = QFormLayout()
        form.addRow(settings_row)
        form.addRow(self.tr("Folder:"), folder_row)

        self.table = QTableWidget(0, 0, self)
        self.table.setObjectName("sweepTrialsTable")
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(self._open_selected)
        compact_rows(self.table)
        self.history = pg.PlotWidget(self, axisItems={"bottom": WholeNumberAxis("bottom")})
        self.history.setObjectName("sweepHistory")
        self.history.setBackground("w")
        self.history.showGrid(x=True, y=True, alpha=0.25)
        self.history.setLabel("bottom", self.tr("trial"))
        self.history.setLabel("left", self.base.train.monitor)
        self.history.addLegend(offset=(-10, 10))
        self.importance = pg.PlotWidget(self)
        self.importance.setObjectName("sweepImportance")
        self.importance.setBackground("w")
        self.importance.setLabel("bottom", self.tr("importance (fANOVA)"))
        self.importance.setMouseEnabled(x=False, y=False)
        for plot, side in ((self.history, "left"), (self.importance, "bottom")):
            plot.getAxis(side).enableAutoSIPrefix(False)  # "val_loss (x0.001)" reads worse than the values
        self.importance_note = pg.TextItem(
            self.tr("Shown once two trials have completed"), color=(128, 128, 128), anchor=(0.5, 0.5)
        )
        self.plots = QTabWidget(self)
        self.plots.addTab(self.history, self.tr("History"))
        self.plots.addTab(self.importance, self.tr("Importance"))

        bottom = QSplitter(Qt.Orientation.Horizontal, self)
        bottom.addWidget(self.table)
        bottom.addWidget(self.plots)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.params)
        split.addWidget(bottom)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)

        # The status tells the trial running (from the partial results), not the task's progress text.
        self.controls = TaskControls(
            self.task, self, self.tr("Start"), self.tr("Stop"), self.tr("Stopping…"), progress_text=False
        )
        self.status = self.controls.status
        self.status.setText(self.tr("Tick the options to search, then Start."))
        self.controls.run_button.clicked.connect(self.start)
        self.controls.cancel_button.setToolTip(
            self.tr("Stop after the current step; the running trial is queued again")
        )
        self.open_button = self.controls.buttons.addButton(
            self.tr("Open as run"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_button.setObjectName("sweepOpenRun")
        self.open_button.setToolTip(self.tr("Load the selected trial's configuration, curves and model"))
        self.open_button.clicked.connect(self._open_selected)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(split, 1)
        layout.addWidget(self.controls)
        self.resize(1100, 680)
        self._update_buttons()

    # ------------------------------------------------------------------ parameters
    def _fill_params(self) -> None:
        options = sweep_options(self.base)
        self.params.setRowCount(len(options))
        for row, option in enumerate(options):
            value = value_of(self.base, option.key)
            name = QTableWidgetItem(f"{backend_tr(option.label)} ({option.key})")
            name.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            name.setCheckState(Qt.CheckState.Unchecked)
            name.setData(KEY_ROLE, option.key)
            name.setToolTip(backend_tr(option.help))
            self.params.setItem(row, PARAM_COLUMN, name)
            kind = QComboBox(self.params)
            if option.type in ("int", "float"):
                first, low, high = default_range(option, float(value))
                kind.addItems(["int", "log"] if option.type == "int" else ["log", "float"])
                kind.setCurrentText(first)
                self.params.setItem(row, LOW_COLUMN, QTableWidgetItem(f"{low:g}"))
                self.params.setItem(row, HIGH_COLUMN, QTableWidgetItem(f"{high:g}"))
                self.params.setItem(row, CHOICES_COLUMN, _fixed(""))
            else:
                kind.addItem(self.tr("choices"))
                kind.setEnabled(False)
                choices = option.choices or ("true", "false")
                self.params.setItem(row, LOW_COLUMN, _fixed(""))
                self.params.setItem(row, HIGH_COLUMN, _fixed(""))
                self.params.setItem(row, CHOICES_COLUMN, QTableWidgetItem(",".join(choices)))
            self.params.setCellWidget(row, KIND_COLUMN, kind)
        self.params.resizeColumnToContents(PARAM_COLUMN)

    def set_checked(self, keys: list[str]) -> None:
        for row in range(self.params.rowCount()):
            item = self.params.item(row, PARAM_COLUMN)
            item.setCheckState(Qt.CheckState.Checked if item.data(KEY_ROLE) in keys else Qt.CheckState.Unchecked)

    def _ticked(self) -> list[tuple[str, int, bool]]:
        """(key, row, whether it is a range) of each ticked row."""
        out = []
        for row in range(self.params.rowCount()):
            name = self.params.item(row, PARAM_COLUMN)
            if name.checkState() == Qt.CheckState.Checked:
                out.append((name.data(KEY_ROLE), row, self.params.cellWidget(row, KIND_COLUMN).isEnabled()))
        return out

    def _range_ends(self, row: int) -> tuple[str, str]:
        return tuple(self.params.item(row, c).text().strip() for c in (LOW_COLUMN, HIGH_COLUMN))

    def param_items(self) -> list[str]:
        """The ticked rows as ``KEY=SPEC`` texts (checked by the engine when the sweep starts)."""
        items = []
        for key, row, is_range in self._ticked():
            if is_range:
                low, high = self._range_ends(row)
                items.append(f"{key}={self.params.cellWidget(row, KIND_COLUMN).currentText()}:{low}:{high}")
            else:
                items.append(f"{key}={self.params.item(row, CHOICES_COLUMN).text().strip()}")
        return items

    def unusual_ends(self) -> list:
        """The ends of the ticked ranges that lie outside their option's usual range
        (``backend.core.config.Unusual``): the main window's check, on the configuration at each end."""
        from backend.core.config import apply_overrides, unusual_values
        from backend.core.errors import ConfigError

        out = []
        for key, row, is_range in self._ticked():
            for end in self._range_ends(row) if is_range else ():
                try:
                    config = apply_overrides(self.base, [f"{key}={end}"])
                except ConfigError:
                    continue  # a value that cannot be read: the sweep names it when it starts
                out += [u for u in unusual_values(config) if u.key == key]
        return out

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Sweep folder"), self.folder.text())
        if path:
            self.folder.setText(path)

    # ------------------------------------------------------------------ task
    def start(self) -> bool:
        if self.task.is_running():
            return False
        items = self.param_items()
        if not items:
            self.status.setText(self.tr("Tick at least one option to search."))
            return False
        # As before a run: ranges reaching far outside the usual values are allowed once confirmed.
        unusual = self.unusual_ends()
        confirmed, self._confirmed_unusual = self._confirmed_unusual, []
        if unusual and unusual != confirmed:
            self.unusual_dialog.ask(unusual)  # "Start anyway" starts (_start_anyway)
            return False
        self.rows.clear()
        self.result = None
        self._show_rows()
        self._show_importance({})
        self.controls.reset(self.tr("Starting the sweep…"))
        self.task.start(
            _run_sweep, self.base, items, self.folder.text().strip(), self.trials.value(), self.study.text().strip()
        )
        self._update_buttons()
        return True

    @Slot(list, object)
    def _start_anyway(self, confirmed: list, _resume_from: object) -> None:
        self._confirmed_unusual = confirmed
        self.start()

    @Slot()
    def _update_buttons(self) -> None:
        running = self.task.is_running()
        self.controls.set_running(running)
        self.params.setEnabled(not running)
        self.open_button.setEnabled(bool(self.selected_run_dir()))

    @Slot(list)
    def _on_partial(self, events: list) -> None:
        for event in events:
            kind = event["event"]
            if kind == "trial_start":
                self.rows[event["trial"]] = {
                    "number": event["trial"],
                    "state": "RUNNING",
                    "value": None,
                    "params": event["params"],
                    "run_dir": "",
                    "epochs": 0,
                }
                self.status.setText(self.tr("Trial {n} running…").format(n=event["trial"]))
            elif kind == "trial_end":
                self.rows[event["trial"]] = event["row"]
            elif kind == "note":
                self.status.setText(backend_tr(event["message"]))
        self._show_rows()

    @Slot(object)
    def _on_result(self, result: Any) -> None:
        self.result = result
        self.rows = {r.number: r.to_dict() for r in result.rows}
        self._show_rows()
        self._show_importance(result.importances)
        if result.best is not None:
            text = self.tr("Best: trial {n}, {monitor} {value:.4g}. Double-click a trial to open it as a run.").format(
                n=result.best.number, monitor=result.monitor, value=result.best.value
            )
        else:
            text = self.tr("No trial has completed yet.")
        if result.stopped:
            text = self.tr("Stopped: Start again with the same folder and study to continue.") + " " + text
        self.controls.finish(text)

    @Slot(object, str)
    def _on_failed(self, message: object, details: str) -> None:
        self.controls.fail()
        self.error_dialog.show_failure(self.tr("The sweep could not run"), message, details)

    # ------------------------------------------------------------------ views
    def _show_rows(self) -> None:
        rows = [self.rows[n] for n in sorted(self.rows)]
        keys = sorted({k for r in rows for k in r["params"]})
        headers = ["#", self.tr("State"), self.base.train.monitor, self.tr("Epochs"), *keys]
        self.table.setSortingEnabled(False)
        self.table.clearContents()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        states = {
            "COMPLETE": self.tr("complete"),
            "PRUNED": self.tr("pruned"),
            "FAIL": self.tr("failed"),
            "RUNNING": self.tr("running"),
            "WAITING": self.tr("queued"),
        }
        for i, row in enumerate(rows):
            cells = [row["number"], states.get(row["state"], row["state"]), row["value"], row["epochs"]]
            cells += [row["params"].get(k) for k in keys]
            for column, value in enumerate(cells):
                item = QTableWidgetItem()
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    item.setData(
                        Qt.ItemDataRole.DisplayRole, float(f"{value:.4g}") if isinstance(value, float) else value
                    )
                elif value is not None:
                    item.setText(str(value))
                item.setData(RUN_DIR_ROLE, row["run_dir"])
                item.setToolTip(row["run_dir"])
                self.table.setItem(i, column, item)
        self.table.setSortingEnabled(True)
        self.table.resizeColumnsToContents()
        self._show_history(rows)
        self._update_buttons()

    def _show_history(self, rows: list[dict]) -> None:
        self.history.clear()
        finished = [r for r in rows if r["value"] is not None and r["state"] in ("COMPLETE", "PRUNED")]
        complete = [r for r in finished if r["state"] == "COMPLETE"]
        pruned = [r for r in finished if r["state"] == "PRUNED"]
        if complete:
            self.history.plot(
                [r["number"] for r in complete], [r["value"] for r in complete],
                pen=None, symbol="o", symbolBrush=(31, 119, 180), name=self.tr("completed"),
            )  # fmt: skip
            best_x, best_y, best = [], [], math.nan
            maximise = self.base.monitor_mode() == "max"
            for r in complete:
                if math.isnan(best) or (r["value"] > best if maximise else r["value"] < best):
                    best = r["value"]
                best_x.append(r["number"])
                best_y.append(best)
            self.history.plot(
                best_x, best_y, pen=pg.mkPen((214, 39, 40), width=2), stepMode=None, name=self.tr("best so far")
            )
        if pruned:
            self.history.plot(
                [r["number"] for r in pruned], [r["value"] for r in pruned],
                pen=None, symbol="x", symbolPen=(127, 127, 127), name=self.tr("pruned (last epoch)"),
            )  # fmt: skip

    def _show_importance(self, importances: dict[str, float]) -> None:
        self.importance.clear()
        if not importances:
            self.importance.addItem(self.importance_note)
            self.importance_note.setPos(0.5, 0.5)
            self.importance.getAxis("left").setTicks(None)
            self.importance.setRange(xRange=(0, 1), yRange=(0, 1))
            return
        names = list(importances)[::-1]  # the most important on top
        values = [importances[n] for n in names]
        bars = pg.BarGraphItem(x0=0, y=list(range(len(names))), height=0.6, width=values, brush=(31, 119, 180))
        self.importance.addItem(bars)
        self.importance.getAxis("left").setTicks([list(enumerate(names))])
        self.importance.setRange(xRange=(0, max(values) * 1.05), yRange=(-0.6, len(names) - 0.4))

    def selected_run_dir(self) -> str:
        items = self.table.selectedItems()
        return str(items[0].data(RUN_DIR_ROLE) or "") if items else ""

    @Slot()
    def _open_selected(self) -> None:
        run_dir = self.selected_run_dir()
        if run_dir:
            self.sig_open_run.emit(run_dir)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.task.shutdown()  # the running trial stops after its step and is queued again
        super().closeEvent(event)

    def done(self, result: int) -> None:  # noqa: D401 - Qt override: never leave a thread behind
        self.task.shutdown()
        super().done(result)


def _fixed(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
    return item


if __name__ == "__main__":
    from backend.core.config import RunConfig, load_config

    app = QApplication.instance() or QApplication(sys.argv)
    dialog = SweepDialog(load_config(sys.argv[1]) if len(sys.argv) > 1 else RunConfig())
    dialog.show()
    dialog.finished.connect(app.quit)
    raise SystemExit(app.exec())
