"""Tools > Find learning rate: the range test (backend/engine/lr_finder.py) on a Task, its curve
drawn live on a log axis, the suggestion marked with the rule that chose it. A click on the plot
picks another rate; Apply sets it as the optimizer's learning rate (and OneCycle's peak).

Standalone: ``python -m gui.dialogs.lr_finder_dialog`` (the default config: digits and an MLP).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.backend_text import backend_tr
from gui.dialogs.error_dialog import ErrorDialog
from gui.dialogs.task_controls import TaskControls
from gui.tasks import Task, TaskState
from gui.widgets import FloatEdit


def find_learning_rate(state: TaskState, config: Any, start_lr: float, end_lr: float, steps: int) -> Any:
    """The task (worker thread): the range test with progress, live points and cancel."""
    from backend.engine.lr_finder import lr_range_test

    result = lr_range_test(
        config,
        start_lr=start_lr,
        end_lr=end_lr,
        steps=steps,
        control=state,
        on_point=state.report_partial,
        on_progress=state.report_progress,
    )
    if result.cancelled:
        state.check()  # raises Cancelled: the curve drawn so far stays on screen
    return result


class LrFinderDialog(QDialog):
    """Non-modal; ``config_source()`` gives the config to test (the window's current settings)."""

    sig_apply = Signal(float)
    """The learning rate the user chose to apply."""

    def __init__(
        self,
        config_source: Callable[[], Any],
        parent: QWidget | None = None,
        error_dialog: ErrorDialog | None = None,
    ) -> None:
        super().__init__(parent)
        from backend.engine.lr_finder import END_LR, MIN_STEPS, START_LR, STEPS

        self.setObjectName("lrFinderDialog")
        self.setWindowTitle(self.tr("Find learning rate"))
        self.setMinimumSize(640, 480)
        self.config_source = config_source
        self.error_dialog = error_dialog or ErrorDialog(self)
        self.task = Task(self, name="LrFinder")
        self.task.sig_partial.connect(self._on_points)
        self.task.sig_result.connect(self._on_result)
        self.task.sig_failed.connect(self._on_failed)
        self.task.sig_cancelled.connect(self._on_cancelled)
        self.task.sig_finished.connect(self._update_buttons)
        self.lrs: list[float] = []
        self.losses: list[float] = []
        self.smoothed: list[float] = []
        self.suggestion: float | None = None
        self.chosen: float | None = None

        intro = QLabel(
            self.tr(
                "Trains a copy of the configured model for a few batches while the learning rate rises "
                "exponentially, and stops when the loss diverges. Pick a rate where the loss still falls "
                "steeply, before its minimum: click the curve to choose one. The red dashed line marks the "
                "suggestion, the green line your choice."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.start_lr = FloatEdit(START_LR, self)
        self.end_lr = FloatEdit(END_LR, self)
        self.steps = QSpinBox(self)
        self.steps.setRange(MIN_STEPS, 10_000)
        self.steps.setValue(STEPS)
        self.steps.setMaximumWidth(self.start_lr.sizeHint().width())
        range_row = QHBoxLayout()
        for label, widget in ((self.tr("from"), self.start_lr), (self.tr("to"), self.end_lr)):
            range_row.addWidget(QLabel(label, self))
            range_row.addWidget(widget)
        range_row.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Learning rates:"), range_row)
        form.addRow(self.tr("Steps (batches):"), self.steps)

        self.plot = pg.PlotWidget(self)
        self.plot.setObjectName("lrFinderPlot")
        self.plot.setLogMode(x=True, y=False)
        self.plot.getAxis("bottom").enableAutoSIPrefix(False)  # ticks read 0.001, not 1000 (x1e-06)
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.setLabel("bottom", self.tr("learning rate"))
        self.plot.setLabel("left", self.tr("training loss"))
        self.plot.addLegend(offset=(-10, 10))
        self.raw_curve = self.plot.plot([], [], pen=pg.mkPen((150, 150, 150), width=1), name=self.tr("loss"))
        self.curve = self.plot.plot([], [], pen=pg.mkPen((31, 119, 180), width=2), name=self.tr("smoothed loss"))
        red, green = pg.mkPen((214, 39, 40), width=2, style=Qt.PenStyle.DashLine), pg.mkPen((44, 160, 44), width=2)
        self.suggested_line = pg.InfiniteLine(angle=90, pen=red, movable=False)
        self.chosen_line = pg.InfiniteLine(angle=90, pen=green, movable=False)
        self.suggested_line.setZValue(self.chosen_line.zValue() + 1)  # its dashes show over the chosen rate
        for line in (self.suggested_line, self.chosen_line):
            line.hide()
            self.plot.addItem(line, ignoreBounds=True)
        self.plot.scene().sigMouseClicked.connect(self._on_plot_clicked)

        self.suggestion_label = QLabel(self)
        self.suggestion_label.setObjectName("lrSuggestion")
        self.suggestion_label.setWordWrap(True)
        self.suggestion_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.controls = TaskControls(self.task, self)
        self.status, self.run_button, self.cancel_button = (
            self.controls.status,
            self.controls.run_button,
            self.controls.cancel_button,
        )
        self.run_button.clicked.connect(self.start)
        self.apply_button = self.controls.buttons.addButton(self.tr("Apply"), QDialogButtonBox.ButtonRole.ApplyRole)
        self.apply_button.setObjectName("applyLrButton")
        self.apply_button.setToolTip(
            self.tr("Set the chosen rate as the optimizer's learning rate (and the peak of a OneCycle schedule)")
        )
        self.apply_button.clicked.connect(self.apply)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.suggestion_label)
        layout.addWidget(self.controls)
        self._update_buttons()

    # ------------------------------------------------------------------ running
    def start(self) -> bool:
        if self.task.is_running():
            return False
        config = self.config_source()
        self.lrs, self.losses, self.smoothed = [], [], []
        self.suggestion = self.chosen = None
        self._redraw()
        self.suggestion_label.clear()
        self.controls.reset(self.tr("Working…"))
        self.task.start(find_learning_rate, config, self.start_lr.value(), self.end_lr.value(), self.steps.value())
        self._update_buttons()
        return True

    @Slot()
    def _update_buttons(self) -> None:
        running = self.task.is_running()
        self.controls.set_running(running)
        self.apply_button.setEnabled(not running and self.chosen is not None)

    @Slot(list)
    def _on_points(self, points: list) -> None:
        for point in points:
            self.lrs.append(point["lr"])
            self.losses.append(point["loss"])
            self.smoothed.append(point["smoothed"])
        self._redraw()

    def _redraw(self) -> None:
        self.raw_curve.setData(self.lrs, self.losses)
        self.curve.setData(self.lrs, self.smoothed)
        if self.smoothed:
            from backend.engine.lr_finder import loss_view

            self.plot.setYRange(*loss_view(self.smoothed, self.losses), padding=0)
            self.plot.setXRange(math.log10(self.lrs[0]), math.log10(self.lrs[-1]) if len(self.lrs) > 1 else 0)

    @Slot(object)
    def _on_result(self, result: Any) -> None:
        self.lrs, self.losses, self.smoothed = list(result.lrs), list(result.losses), list(result.smoothed)
        self._redraw()
        self.controls.finish(backend_tr(result.stop_reason))
        self.suggestion = result.suggestion
        if self.suggestion is not None:
            self.suggested_line.setValue(math.log10(self.suggestion))
            self.suggested_line.show()
            self.suggestion_label.setText(
                self.tr("Suggested learning rate: {lr} (rule: {rule}). Click the curve to choose another.").format(
                    lr=f"{self.suggestion:.3g}", rule=backend_tr(result.rule_text)
                )
            )
            self.choose(self.suggestion)

    @Slot(object, str)
    def _on_failed(self, message: str, details: str) -> None:
        self.controls.fail()
        self.error_dialog.show_failure(self.tr("The learning-rate test failed"), message, details)

    @Slot()
    def _on_cancelled(self) -> None:
        self.status.setText(self.tr("Cancelled: the curve so far is shown."))

    # ------------------------------------------------------------------ choosing
    def _on_plot_clicked(self, event: Any) -> None:
        if not self.lrs or event.button() != Qt.MouseButton.LeftButton:
            return
        view = self.plot.getPlotItem().vb
        if not view.sceneBoundingRect().contains(event.scenePos()):
            return
        x = view.mapSceneToView(event.scenePos()).x()  # log10(lr) on the log axis
        self.choose(min(max(10**x, self.lrs[0]), self.lrs[-1]))

    def choose(self, lr: float) -> None:
        self.chosen = lr
        self.chosen_line.setValue(math.log10(lr))
        self.chosen_line.show()
        self.apply_button.setText(self.tr("Apply lr {lr}").format(lr=f"{lr:.3g}"))
        self._update_buttons()

    def apply(self) -> None:
        if self.chosen is not None:
            self.sig_apply.emit(float(f"{self.chosen:.3g}"))
            self.status.setText(self.tr("Applied learning rate {lr}.").format(lr=f"{self.chosen:.3g}"))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.task.shutdown()
        super().closeEvent(event)

    def reject(self) -> None:
        self.task.shutdown()
        super().reject()


def main() -> int:
    from backend.core.config import RunConfig
    from gui.app import create_application

    app = create_application(sys.argv)
    dialog = LrFinderDialog(RunConfig)
    dialog.show()
    dialog.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
