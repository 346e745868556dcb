"""The right-hand side of the main window: run bar, live curves and the confusion matrix."""

from __future__ import annotations

import sys

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QApplication, QLabel, QTabWidget, QVBoxLayout, QWidget

from gui.backend_text import backend_tr
from gui.panels.confusion_panel import ConfusionPanel
from gui.panels.data_view import DataView
from gui.panels.misclassified_panel import MisclassifiedPanel
from gui.panels.model_view import ModelView
from gui.panels.plots_panel import PlotsPanel
from gui.panels.run_bar import RunBar


class RunView(QWidget):
    """Shows one run as it happens; fed with batches of trainer events in the GUI thread."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_bar = RunBar(self)
        self.plots = PlotsPanel(self)
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
        # Problems found before Start (missing data, a model that does not fit), in plain words.
        self.problem = QLabel(self)
        self.problem.setObjectName("configProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(
            "QLabel { background: #fff3cd; color: #5c4400; border: 1px solid #e0c36b;"
            " border-radius: 3px; padding: 4px; }"
        )
        self.problem.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.run_bar)
        layout.addWidget(self.problem)
        layout.addWidget(self.tabs, 1)

    def show_inspection(self, result: dict) -> str:
        """Show the dataset and model summaries; returns the problem text ("" when none), translated."""
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
        problems = []
        if data_error:
            problems.append(self.tr("Dataset: {message}").format(message=data_error))
        if model_error:
            problems.append(self.tr("Model: {message}").format(message=model_error))
        text = "\n".join(problems)
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        return text

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
        if summary.get("run_dir"):
            text += self.tr(" — {folder}").format(folder=summary["run_dir"])
        return text

    def reset(self) -> None:
        self.plots.clear()
        self.confusion.clear()
        self.misclassified.clear()
        self.run_bar.reset()

    def wait(self) -> None:
        """Block until background image reads of the gallery are done."""
        self.misclassified.wait()

    def set_dark(self, dark: bool) -> None:
        self.plots.set_dark(dark)
        self.confusion.set_dark(dark)

    @Slot(object)
    def add_events(self, events: list) -> None:
        for event in events:
            if event.get("event") == "start":
                self.plots.set_task(str(event.get("task", "classification")))
                start_epoch = int(event.get("start_epoch") or 1)
                steps_per_epoch = int(event.get("steps_per_epoch") or 0)
                self.plots.set_run_length(
                    int(event.get("total_steps") or 0),
                    int(event.get("epochs") or 1),
                    (start_epoch - 1) * steps_per_epoch,
                    start_epoch,
                )
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
