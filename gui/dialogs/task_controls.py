"""The bottom of a dialog that runs one Task: progress bar, status line, Run / Cancel / Close.

Used by the artifact dialogs (artifact_base.py), Find learning rate and Sweep. The dialog adds
its own buttons (Apply, Open as run) to ``buttons`` and decides when Run may start
(``set_running``'s ``can_run``); this widget keeps the progress and status in step with the task.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from gui.backend_text import backend_tr
from gui.tasks import Task

PROGRESS_STEPS = 1000  # the bar's range: a fraction shown to 0.1 %


class TaskControls(QWidget):
    """Progress, status and buttons for ``task``; Close rejects ``dialog``."""

    def __init__(
        self,
        task: Task,
        dialog: QDialog,
        run_text: str | None = None,
        cancel_text: str | None = None,
        cancelling_text: str | None = None,
        progress_text: bool = True,
    ) -> None:
        """``cancelling_text``: the status once Cancel is pressed; ``progress_text``: the task's
        progress messages are shown as the status (off where the dialog writes its own status
        from partial results)."""
        super().__init__(dialog)
        self.task = task
        self.cancelling_text = cancelling_text or self.tr("Cancelling…")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("taskProgress")
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setTextVisible(False)
        self.status = QLabel(self)
        self.status.setObjectName("taskStatus")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.run_button = self.buttons.addButton(run_text or self.tr("Run"), QDialogButtonBox.ButtonRole.ActionRole)
        self.run_button.setObjectName("runTaskButton")
        self.cancel_button = self.buttons.addButton(
            cancel_text or self.tr("Cancel"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.cancel_button.setObjectName("cancelTaskButton")
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(dialog.reject)
        task.sig_progress.connect(self._on_progress if progress_text else self._on_fraction)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def reset(self, text: str) -> None:
        """The bar at zero (a task starts, or was cancelled), ``text`` as the status."""
        self.progress.setValue(0)
        self.status.setText(text)

    def finish(self, text: str) -> None:
        """The task gave its result: the bar full, ``text`` as the status."""
        self.progress.setValue(PROGRESS_STEPS)
        self.status.setText(text)

    def fail(self) -> None:
        """The task failed (the dialog shows the message in the error dialog)."""
        self.reset(self.tr("Failed: see the message."))

    def cancel(self) -> None:
        if self.task.is_running():
            self.task.cancel()
            self.status.setText(self.cancelling_text)

    def set_running(self, running: bool, can_run: bool = True) -> None:
        """Run while nothing runs (and ``can_run``), Cancel while the task runs."""
        self.run_button.setEnabled(not running and can_run)
        self.cancel_button.setEnabled(running)

    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        self._on_fraction(fraction, message)
        self.status.setText(backend_tr(message))

    @Slot(float, str)
    def _on_fraction(self, fraction: float, _message: str) -> None:
        self.progress.setValue(int(fraction * PROGRESS_STEPS))
