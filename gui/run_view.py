"""The right-hand side of the main window: run bar, live curves and the confusion matrix."""

from __future__ import annotations

import sys

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QApplication, QTabWidget, QVBoxLayout, QWidget

from gui.backend_text import backend_tr
from gui.metric_text import metrics_text
from gui.panels.confusion_panel import ConfusionPanel
from gui.panels.data_view import DataView
from gui.panels.misclassified_panel import MisclassifiedPanel
from gui.panels.model_view import ModelView
from gui.panels.plots_panel import PlotsPanel
from gui.panels.run_bar import RunBar
from gui.problem_banner import ProblemStrip
from gui.tasks import Task, TaskState


def _read_history(state: TaskState, run_dir: str, lines: int) -> list:
    """The events a resumed run logged before this resume (the first ``lines`` of its metrics.jsonl)."""
    from backend.store.runs import read_metrics

    try:
        return read_metrics(run_dir, lines)
    except OSError:
        return []  # the live curves still show; the history is a nicety


class RunView(QWidget):
    """Shows one run as it happens; fed with batches of trainer events in the GUI thread."""

    def __init__(self, parent: QWidget | None = None, *, defer_plots: bool = False) -> None:
        super().__init__(parent)
        self.run_bar = RunBar(self)
        self.plots = PlotsPanel(self, defer=defer_plots)
        self.confusion = ConfusionPanel(self)
        self.misclassified = MisclassifiedPanel(self)
        self.data_view = DataView(self)
        self.model_view = ModelView(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("runTabs")
        self.tabs.addTab(self.plots, self.tr("Curves"))
        self.tabs.addTab(self.confusion, self.tr("Confusion matrix"))
        self.tabs.addTab(self.misclassified, self.tr("Misclassified"))
        self.tabs.addTab(self.data_view, self.tr("Dataset"))
        self.tabs.addTab(self.model_view, self.tr("Model"))
        # Problems found before Start (missing data, a model that does not fit), in plain words;
        # its place is reserved, so the tabs never move.
        self.problem_strip = ProblemStrip(self)
        self.problem = self.problem_strip.banner
        self._task = "classification"  # of the run shown
        self._history = Task(self, name="RunHistory")
        self._history.sig_result.connect(self.plots.add_history)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.run_bar)
        layout.addWidget(self.problem_strip)
        layout.addWidget(self.tabs, 1)

    def show_inspection(self, result: dict) -> None:
        """Show the dataset and model summaries (their problems go to the banner, see gui.problems)."""
        data_error = backend_tr(result.get("data_error") or "")
        model_error = backend_tr(result.get("model_error") or "")
        if result.get("data") is not None:
            self.data_view.show_summary(result["data"])
        elif data_error:
            self.data_view.show_error(data_error)
        if result.get("model") is not None:
            self.model_view.show_summary(result["model"])
        elif model_error:
            self.model_view.show_error(model_error)

    def failure_title(self, kind: str) -> str:
        titles = {
            "diverged": self.tr("Training stopped: the loss diverged"),
            "input": self.tr("Training could not run"),
        }
        return titles.get(kind, self.tr("Training failed"))

    def finished_text(self, summary: dict) -> str:
        """The status-bar line for a run that has ended."""
        messages = {
            "completed": self.tr("Run completed"),
            "stopped": self.tr("Run stopped; checkpoint saved"),
            "early_stopped": self.tr("Run stopped early: no more improvement"),
            "diverged": self.tr("Run stopped: the loss diverged"),
            "error": self.tr("Run failed"),
        }
        status = str(summary.get("status", ""))
        text = messages.get(status, status)
        metrics = metrics_text(self._task, summary.get("final") or {}, summary.get("best") or {})
        if metrics:
            text += self.tr(": {metrics}").format(metrics=metrics)
        if summary.get("run_dir"):
            text += self.tr(" — {folder}").format(folder=summary["run_dir"])
        return text

    def reset(self) -> None:
        self._history.discard()  # the history of a run no longer shown
        self.plots.clear()
        self.confusion.clear()
        self.misclassified.clear()
        self.run_bar.reset()

    def wait(self) -> None:
        """Block until background work (the plot library's import, the gallery's images, a resumed run's
        history) is done."""
        self.plots.wait()
        self.misclassified.wait()
        self.confusion.wait()
        self._history.wait()

    def set_dark(self, dark: bool) -> None:
        self.plots.set_dark(dark)
        self.confusion.set_dark(dark)

    @Slot(object)
    def add_events(self, events: list) -> None:
        for event in events:
            if event.get("event") == "start":
                self._task = str(event.get("task", "classification"))
                self.plots.set_task(self._task)
                self.plots.set_run_length(int(event.get("total_steps") or 0), int(event.get("epochs") or 1))
                if event.get("history_lines") and event.get("run_dir"):  # resumed: draw the earlier epochs too
                    self._history.start(_read_history, str(event["run_dir"]), int(event["history_lines"]))
                self.confusion.set_class_names(list(event.get("class_names") or []))
                self.misclassified.set_class_names(list(event.get("class_names") or []))
                classification = event.get("task", "classification") == "classification"
                self.tabs.setTabEnabled(self.tabs.indexOf(self.confusion), classification)
                self.tabs.setTabEnabled(self.tabs.indexOf(self.misclassified), classification)
        self.plots.add_events(events)
        self.confusion.add_events(events)
        self.misclassified.add_events(events)
        self.run_bar.add_events(events)


if __name__ == "__main__":
    app = QApplication.instance() or QApplication(sys.argv)
    view = RunView()
    view.resize(900, 600)
    view.show()
    raise SystemExit(app.exec())
