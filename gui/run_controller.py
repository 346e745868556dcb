"""Owns the training thread: starts a run, pauses, resumes, stops, and always waits for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from gui.tasks import Task
from gui.training_worker import TrainingRun

IDLE, RUNNING, PAUSED, STOPPING = "idle", "running", "paused", "stopping"


class RunController(QObject):
    """The GUI-thread owner of the training ``Task``: one run at a time."""

    sig_events = Signal(list)
    """A batch of trainer events (relayed from the task, delivered in the GUI thread)."""
    sig_failed = Signal(dict)
    """The run failed: {"kind", "message" (a Message or text), "details", "last_checkpoint"}."""
    sig_finished = Signal(dict)
    """The run is over and its thread has been waited for: {"status", "run_dir", ...}."""
    state_changed = Signal(str)
    """One of idle, running, paused, stopping."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task = Task(self, name="Training")
        self._task.sig_partial.connect(self._on_events)
        self._task.sig_result.connect(self._on_result)
        self._task.sig_failed.connect(self._on_bug)
        self._task.sig_finished.connect(self._on_finished)
        self._state = IDLE
        self._summary: dict = {}
        self.fit_override = None  # tests may inject a fake fit

    @property
    def state(self) -> str:
        return self._state

    def is_running(self) -> bool:
        return self._state != IDLE

    def start(
        self,
        config: Any,
        *,
        resume_from: str | None = None,
        on_data: Callable[[Any], None] | None = None,
        launch: Any = None,
        warm: Any = None,
    ) -> None:
        """Start ``fit(config)`` on the task's thread; the config must already be validated.

        ``on_data`` is called in the worker thread with the run's loaded dataset. ``launch`` (a
        ``backend.engine.launch.LaunchPlan``) trains with several processes, in child processes;
        ``warm`` (a ``backend.engine.launch.WarmLaunch``) trains in that waiting process.
        """
        if self.is_running():
            raise RuntimeError("a run is already in progress")
        fit = self.fit_override
        if fit is None and (launch is not None or warm is not None):
            from gui.child_run import ChildRunFit

            fit = ChildRunFit(launch or warm.plan, launch=warm)
        run = TrainingRun(config, resume_from=resume_from, fit=fit, on_data=on_data)
        self._summary = {}
        self._set_state(RUNNING)
        self._task.start(run.run)

    def pause(self) -> None:
        if self._state == RUNNING:
            self._task.pause()
            self._set_state(PAUSED)

    def resume(self) -> None:
        if self._state == PAUSED:
            self._task.resume()
            self._set_state(RUNNING)

    def stop(self) -> None:
        """Ask the run to stop at the next step (the task's cancel wakes a paused run); it saves a
        checkpoint and ends."""
        if self._state in (RUNNING, PAUSED):
            self._task.cancel()
            self._set_state(STOPPING)

    def shutdown(self) -> None:
        """Stop and wait, blocking; for application exit when no event loop is left. What the
        run still sends is dropped."""
        if self._state == IDLE:
            return
        self._task.shutdown()
        self._set_state(IDLE)

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)

    @Slot(list)
    def _on_events(self, events: list) -> None:
        self.sig_events.emit(events)

    @Slot(object)
    def _on_result(self, outcome: object) -> None:
        assert isinstance(outcome, dict)
        self._summary = outcome["summary"]
        if outcome["failure"] is not None:
            self.sig_failed.emit(outcome["failure"])

    @Slot(object, str)
    def _on_bug(self, message: object, details: str) -> None:
        # TrainingRun catches fit's exceptions: this is a bug of the GUI's own wrapper.
        self._summary = {"status": "error"}
        self.sig_failed.emit({"kind": "error", "message": message, "details": details, "last_checkpoint": ""})

    @Slot()
    def _on_finished(self) -> None:
        # The task has waited for its thread; the run is over.
        self._set_state(IDLE)
        self.sig_finished.emit(self._summary)
