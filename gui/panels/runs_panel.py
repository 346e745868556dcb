"""The runs list: past runs of the runs folder as a comparison table, to overlay, reload or resume.

Reading run folders is file I/O, so it happens on ``gui.tasks.Task`` threads; results arrive at
``@Slot`` methods of this panel in the GUI thread (see DESIGN: no file I/O on the GUI thread).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backend.store.runs import differing_params, seed_groups
from gui.backend_text import engine_word
from gui.metric_text import metric_name, metric_value
from gui.tasks import Task, TaskState

RUN_DIR_ROLE = Qt.ItemDataRole.UserRole


def _list_runs(state: TaskState, root: str) -> tuple[str, list]:
    """(runs folder, run summaries from ``backend.store.runs.list_runs``)."""
    from backend.store.runs import list_runs

    try:
        return root, list_runs(root)
    except OSError:
        return root, []


def _read_metrics(state: TaskState, run_dirs: list[str]) -> dict:
    """{run_dir: events} for the selected runs."""
    from backend.store.runs import read_metrics

    out = {}
    for run_dir in run_dirs:
        try:
            out[run_dir] = read_metrics(run_dir)
        except OSError:
            out[run_dir] = []
    return out


COLUMNS = ("run", "date", "status", "final", "best", "loss")  # then the parameters that differ
RUN, DATE, STATUS, FINAL, BEST, LOSS = range(len(COLUMNS))
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a cell's value for sorting (numbers as numbers)


class RunItem(QTreeWidgetItem):
    """A row that sorts by each cell's value (SORT_ROLE), not its text: 9.5% before 10.1%."""

    def __lt__(self, other: QTreeWidgetItem) -> bool:
        column = self.treeWidget().sortColumn() if self.treeWidget() else 0
        mine, theirs = self.data(column, SORT_ROLE), other.data(column, SORT_ROLE)
        if mine is None or theirs is None or type(mine) is not type(theirs):
            return (mine is None, str(mine if mine is not None else self.text(column))) < (
                theirs is None,
                str(theirs if theirs is not None else other.text(column)),
            )
        return mine < theirs


class RunsPanel(QWidget):
    """A comparison table of runs: name, date, status, final and best metrics, and the parameters
    that differ (between the selected runs when several are selected); sortable and filtered.
    Selected runs are overlaid on the plots, runs that differ only in seed optionally as one mean."""

    sig_overlay = Signal(dict)
    """The selected runs' events to overlay: {legend name: [events of each run]} (several: a seed group)."""
    load_config_requested = Signal(str)
    """The config.toml of the selected run."""
    resume_requested = Signal(str)
    """The last checkpoint of the selected run."""
    sig_refreshed = Signal()
    """The list has been (re)filled."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsPanel")
        self._root = ""
        self._busy = False
        self._runs: dict[str, dict] = {}  # run_dir -> backend.store.runs.run_summary
        self._names: dict[str, str] = {}  # run_dir -> the name that tells it apart (table, legends)
        self._params: list[str] = []  # the parameter columns shown
        self._listing = Task(self, name="RunsList")
        self._listing.sig_result.connect(self._on_listing)
        self._metrics = Task(self, name="RunsMetrics")
        self._metrics.sig_result.connect(self._on_metrics)

        self.filter = QLineEdit(self)
        self.filter.setObjectName("runsFilter")
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText(self.tr("Filter: words of the name, status or values (lr=0.01)"))
        self.filter.textChanged.connect(self._apply_filter)
        self.group_seeds = QCheckBox(self.tr("Group seeds"), self)
        self.group_seeds.setObjectName("runsGroupSeeds")
        self.group_seeds.setToolTip(
            self.tr("Selected runs that differ only in their seed are drawn as one mean curve with a min-max band")
        )
        self.group_seeds.toggled.connect(self._on_selection)

        self.table = QTreeWidget(self)
        self.table.setObjectName("runsList")
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.setMinimumHeight(4 * self.table.fontMetrics().height())  # the header and two rows: a low dock
        self.table.sortByColumn(DATE, Qt.SortOrder.DescendingOrder)
        self.table.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.header().setStretchLastSection(False)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.table.setToolTip(
            self.tr("Select runs to draw their curves (dashed) next to the current run; click a header to sort")
        )
        self._set_headers()

        self.empty = QLabel(self.tr("No runs yet: finished runs appear here."), self)
        self.empty.setObjectName("runsEmpty")
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.clicked.connect(self.refresh)
        self.load_button = QPushButton(self.tr("Load config into panels"), self)
        self.load_button.setObjectName("runsLoadConfig")
        self.load_button.setToolTip(self.tr("Put the selected run's configuration into the panels"))
        self.load_button.clicked.connect(self._load_config)
        self.resume_button = QPushButton(self.tr("Resume"), self)
        self.resume_button.setObjectName("runsResume")
        self.resume_button.setToolTip(self.tr("Continue the selected run from its last checkpoint"))
        self.resume_button.clicked.connect(self._resume)

        # One row of controls above the list: the dock stays low on a short screen, where the plots need the height.
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        for widget in (self.group_seeds, self.refresh_button, self.load_button, self.resume_button):
            top.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        self._update_buttons()

    # ----------------------------------------------------------------- listing
    def set_root(self, root: str) -> None:
        """Show the runs of this folder (re-listed when it changes)."""
        if root != self._root:
            self._root = root
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        if not self._root:
            self._listing.discard()
            self._on_listed("", [])
            return
        self._listing.start(_list_runs, self._root)

    @Slot(object)
    def _on_listing(self, result: object) -> None:
        self._on_listed(*result)

    @Slot(str, list)
    def _on_listed(self, root: str, runs: list) -> None:
        if root != self._root:
            return  # a listing of a folder that is no longer shown
        selected = set(self.selected_run_dirs())
        self.table.blockSignals(True)
        self.table.setSortingEnabled(False)
        self.table.clear()
        self._runs = {str(run.get("run_dir", "")): run for run in runs}
        counts = Counter(str(run.get("name", "")) for run in runs)
        # Two runs of one name are told apart by their folder (its name starts with the date and time).
        self._names = {
            d: str(run.get("name", "")) if counts[str(run.get("name", ""))] == 1 else Path(d).name
            for d, run in self._runs.items()
        }
        for run_dir, run in self._runs.items():
            self.table.addTopLevelItem(self._make_item(run_dir, run))
        self.table.setSortingEnabled(True)
        for i in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(i)
            item.setSelected(str(item.data(0, RUN_DIR_ROLE)) in selected)
        self.table.blockSignals(False)
        self.empty.setVisible(not runs)
        self.table.setVisible(bool(runs))  # the line above says there is nothing to list
        self._show_params()
        self._apply_filter()
        self._update_buttons()
        self.sig_refreshed.emit()
        if selected & set(self._names):
            self._on_selection()

    def _make_item(self, run_dir: str, run: dict) -> RunItem:
        item = RunItem()
        final, best = run.get("final") or {}, run.get("best") or {}
        headline = str(run.get("headline") or "val_loss")
        name = self._names[run_dir]
        started = str(run.get("started") or "").replace("T", " ")[:19]
        cells = {
            RUN: (name, name.lower()),
            DATE: (started, started),
            STATUS: (self._status_text(run), str(run.get("status", ""))),
            FINAL: self._metric_cell(headline, final.get(headline)),
            BEST: self._metric_cell(headline, best.get(headline)),
            LOSS: self._metric_cell("val_loss", final.get("val_loss"), best.get("val_loss")),
        }
        if run.get("is_best"):  # the best of the listed runs by its monitored metric
            cells[BEST] = (f"★ {cells[BEST][0]}", cells[BEST][1])
        for column, (text, key) in cells.items():
            item.setText(column, text)
            item.setData(column, SORT_ROLE, key)
        item.setData(0, RUN_DIR_ROLE, run_dir)
        item.setData(1, RUN_DIR_ROLE, run.get("last_checkpoint") or "")
        item.setData(2, RUN_DIR_ROLE, bool(run.get("is_best")))
        item.setToolTip(RUN, run_dir)
        item.setToolTip(FINAL, self.tr("The {metric} after the last epoch").format(metric=metric_name(headline)))
        best_tip = self.tr("The best {metric} of any epoch").format(metric=metric_name(headline))
        if run.get("is_best"):
            best_tip += "\n" + self.tr("★ The best {monitor} of the listed runs: {value:.4g}").format(
                monitor=run.get("monitor"), value=run.get("best_metric")
            )
        item.setToolTip(BEST, best_tip)
        return item

    def _metric_cell(self, key: str, value: float | None, best: float | None = None) -> tuple[str, float | None]:
        """(text, sort key) of a metric cell; "—" for a run that has none (diverged, no epoch yet)."""
        if value is None:
            return "—", None
        text = f"{metric_value(key, value)} {metric_name(key)}" if key != "val_loss" else metric_value(key, value)
        if best is not None and best != value:
            text += self.tr(" (best {value})").format(value=metric_value(key, best))
        return text, float(value)

    def _status_text(self, run: dict) -> str:
        status = engine_word(str(run.get("status", "")))
        return self.tr("{status}, {n} epochs").format(status=status, n=run.get("epochs_done", 0))

    def _set_headers(self) -> None:
        fixed = [
            self.tr("Run"),
            self.tr("Date"),
            self.tr("Status"),
            self.tr("Final"),
            self.tr("Best"),
            self.tr("Val loss"),
        ]
        self.table.setColumnCount(len(fixed) + len(self._params))
        self.table.setHeaderLabels(fixed + self._params)
        header = self.table.headerItem()
        header.setToolTip(
            FINAL, self.tr("The task's metric after the last epoch: accuracy, or the MAE of a regression")
        )
        header.setToolTip(BEST, self.tr("The best value of the task's metric over the run's epochs"))
        for i, key in enumerate(self._params):
            header.setToolTip(len(fixed) + i, self.tr("{key}: differs between the runs compared").format(key=key))

    def _show_params(self) -> None:
        """Columns for the parameters that differ: between the selected runs when several are
        selected, else between all the listed runs."""
        selected = [self._runs[d] for d in self.selected_run_dirs() if d in self._runs]
        compared = selected if len(selected) > 1 else list(self._runs.values())
        params = differing_params(compared)
        if params != self._params:
            self._params = params
            self._set_headers()
        for i in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(i)
            values = self._runs[str(item.data(0, RUN_DIR_ROLE))]["params"]
            for offset, key in enumerate(self._params):
                value = values.get(key)
                item.setText(len(COLUMNS) + offset, "—" if value is None else str(value))
                item.setData(len(COLUMNS) + offset, SORT_ROLE, value if isinstance(value, (int, float)) else str(value))
        for column in range(self.table.columnCount()):
            self.table.resizeColumnToContents(column)

    def param_columns(self) -> list[str]:
        """The parameters shown as columns (those that differ between the runs compared)."""
        return list(self._params)

    @Slot()
    def _apply_filter(self) -> None:
        """Show the rows holding every word of the filter (in any cell or ``key=value`` of their config)."""
        words = self.filter.text().lower().split()
        for i in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(i)
            run = self._runs[str(item.data(0, RUN_DIR_ROLE))]
            cells = [item.text(c) for c in range(self.table.columnCount())]
            cells += [f"{k}={v}" for k, v in run["params"].items()]
            text = " ".join(cells).lower()
            item.setHidden(not all(word in text for word in words))

    def run_count(self) -> int:
        return self.table.topLevelItemCount()

    def best_run_dirs(self) -> list[str]:
        """The runs marked as the best of their monitored metric."""
        items = (self.table.topLevelItem(i) for i in range(self.table.topLevelItemCount()))
        return [str(item.data(0, RUN_DIR_ROLE)) for item in items if item.data(2, RUN_DIR_ROLE)]

    # ----------------------------------------------------------------- selection
    def selected_run_dirs(self) -> list[str]:
        return [str(item.data(0, RUN_DIR_ROLE)) for item in self.table.selectedItems()]

    def select_runs(self, run_dirs: list[str]) -> None:
        wanted = set(run_dirs)
        for i in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(i)
            item.setSelected(str(item.data(0, RUN_DIR_ROLE)) in wanted)

    @Slot()
    def _on_selection(self) -> None:
        self._update_buttons()
        self._show_params()
        run_dirs = self.selected_run_dirs()
        if not run_dirs:
            self._metrics.discard()  # a read for an older selection is dropped
            self.sig_overlay.emit({})
            return
        self._metrics.start(_read_metrics, run_dirs)

    @Slot(object)
    def _on_metrics(self, events_by_dir: dict) -> None:
        """Overlay the selected runs: one legend name per run, or per group of seeds when grouped."""
        overlays: dict[str, list] = {}
        grouped: set[str] = set()
        if self.group_seeds.isChecked():
            runs = [self._runs[d] for d in events_by_dir if d in self._runs]
            for group in seed_groups(runs):
                dirs = [run["run_dir"] for run in group]
                name = self.tr("{name} (mean of {n} seeds)").format(name=group[0].get("name", ""), n=len(dirs))
                overlays[name] = [events_by_dir[d] for d in dirs]
                grouped.update(dirs)
        for run_dir, events in events_by_dir.items():
            if run_dir not in grouped:
                overlays[self._names.get(run_dir, Path(run_dir).name)] = [events]
        self.sig_overlay.emit(overlays)

    def _update_buttons(self) -> None:
        items = self.table.selectedItems()
        one = len(items) == 1 and not self._busy
        self.load_button.setEnabled(one and (Path(str(items[0].data(0, RUN_DIR_ROLE))) / "config.toml").is_file())
        self.resume_button.setEnabled(one and bool(items[0].data(1, RUN_DIR_ROLE)))

    def set_run_active(self, active: bool) -> None:
        """While a run trains, nothing can be loaded or resumed (the list stays browsable)."""
        self._busy = active
        self._update_buttons()

    @Slot()
    def _load_config(self) -> None:
        items = self.table.selectedItems()
        if len(items) == 1:
            self.load_config_requested.emit(str(Path(str(items[0].data(0, RUN_DIR_ROLE))) / "config.toml"))

    @Slot()
    def _resume(self) -> None:
        items = self.table.selectedItems()
        if len(items) == 1 and items[0].data(1, RUN_DIR_ROLE):
            self.resume_requested.emit(str(items[0].data(1, RUN_DIR_ROLE)))

    def wait(self) -> None:
        """Block until listing jobs are done (closing, tests)."""
        self._listing.wait()
        self._metrics.wait()


if __name__ == "__main__":
    app = QApplication.instance() or QApplication(sys.argv)
    panel = RunsPanel()
    panel.set_root(sys.argv[1] if len(sys.argv) > 1 else "runs")
    panel.resize(700, 300)
    panel.show()
    raise SystemExit(app.exec())
