"""The runs list: past runs of the runs folder, to compare (overlay), reload or resume.

Reading run folders is file I/O, so it happens on ``gui.tasks.Task`` threads; results arrive at
``@Slot`` methods of this panel in the GUI thread (see DESIGN: no file I/O on the GUI thread).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.backend_text import engine_word
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


class RunsPanel(QWidget):
    """A table of runs (name, date, best metric, status) with Load config and Resume."""

    sig_overlay = Signal(dict)
    """The selected runs' events to overlay on the plots: {run name: events}."""
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
        self._names: dict[str, str] = {}
        self._listing = Task(self, name="RunsList")
        self._listing.sig_result.connect(self._on_listing)
        self._metrics = Task(self, name="RunsMetrics")
        self._metrics.sig_result.connect(self._on_metrics)

        self.table = QTreeWidget(self)
        self.table.setObjectName("runsList")
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels([self.tr("Run"), self.tr("Date"), self.tr("Best metric"), self.tr("Status")])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.table.setToolTip(self.tr("Select runs to draw their curves (dashed) next to the current run"))

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

        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.resume_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
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
        self.table.clear()
        self._names = {}
        for run in runs:
            run_dir = str(run.get("run_dir", ""))
            best = run.get("best_metric")  # None for a diverged run (backend.store.runs.run_summary)
            monitor = run.get("monitor") or ""
            best_text = f"{best:.4g} ({monitor})" if isinstance(best, (int, float)) else "—"
            if run.get("is_best"):
                best_text = f"★ {best_text}"
            started = str(run.get("started") or "")
            item = QTreeWidgetItem(
                [str(run.get("name", "")), started.replace("T", " ")[:19], best_text, self._status_text(run)]
            )
            if run.get("is_best"):
                item.setToolTip(2, self.tr("The best {monitor} of the listed runs").format(monitor=monitor))
            item.setData(0, RUN_DIR_ROLE, run_dir)
            item.setData(1, RUN_DIR_ROLE, run.get("last_checkpoint") or "")
            item.setData(2, RUN_DIR_ROLE, bool(run.get("is_best")))
            item.setToolTip(0, run_dir)
            self.table.addTopLevelItem(item)
            self._names[run_dir] = f"{run.get('name', '')} {Path(run_dir).name[:15]}"
            item.setSelected(run_dir in selected)
        self.table.blockSignals(False)
        self.empty.setVisible(not runs)
        for column in (1, 2, 3):
            self.table.resizeColumnToContents(column)
        self._update_buttons()
        self.sig_refreshed.emit()
        if selected & set(self._names):
            self._on_selection()

    def _status_text(self, run: dict) -> str:
        status = engine_word(str(run.get("status", "")))
        return self.tr("{status}, {n} epochs").format(status=status, n=run.get("epochs_done", 0))

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
        run_dirs = self.selected_run_dirs()
        if not run_dirs:
            self._metrics.discard()  # a read for an older selection is dropped
            self.sig_overlay.emit({})
            return
        self._metrics.start(_read_metrics, run_dirs)

    @Slot(object)
    def _on_metrics(self, events_by_dir: dict) -> None:
        self.sig_overlay.emit({self._names.get(d, Path(d).name): events for d, events in events_by_dir.items()})

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
