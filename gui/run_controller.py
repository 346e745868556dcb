"""Owns the training thread: starts a run, pauses, resumes, stops, and always waits for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from gui.training_worker import TrainingWorker, make_control

IDLE, RUNNING, PAUSED, STOPPING = "idle", "running", "paused", "stopping"


class RunController(QObject):
    """The GUI-thread owner of one ``QThread`` + ``TrainingWorker`` pair at a time."""

    sig_events = Signal(list)
    """A batch of trainer events (relayed from the worker, delivered in the GUI thread)."""
    sig_failed = Signal(dict)
    """The run failed: {"message", "details", "last_checkpoint"}."""
    sig_finished = Signal(dict)
    """The run is over and its thread has been waited for: {"status", "run_dir", ...}."""
    state_changed = Signal(str)
    """One of idle, running, paused, stopping."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self._control: Any = None
        self._state = IDLE
        self.fit_override = None  # tests may inject a fake fit

    @property
    def state(self) -> str:
        return self._state

    def is_running(self) -> bool:
        return self._thread is not None

    def start(
        self, config: Any, *, resume_from: str | None = None, on_data: Callable[[Any], None] | None = None
    ) -> None:
        """Start ``fit(config)`` on a new thread; the config must already be validated.

        ``on_data`` is called in the worker thread with the run's loaded dataset.
        """
        if self.is_running():
            raise RuntimeError("a run is already in progress")
        self._control = make_control()
        self._worker = TrainingWorker(
            config, self._control, resume_from=resume_from, fit=self.fit_override, on_data=on_data
        )
        self._thread = QThread(self)
        self._thread.setObjectName("TrainingThread")
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.sig_events.connect(self._on_events)
        self._worker.sig_failed.connect(self._on_failed)
        self._worker.sig_finished.connect(self._on_finished)
        self._set_state(RUNNING)
        self._thread.start()

    def pause(self) -> None:
        if self._control is not None and self._state == RUNNING:
            self._control.pause()
            self._set_state(PAUSED)

    def resume(self) -> None:
        if self._control is not None and self._state == PAUSED:
            self._control.resume()
            self._set_state(RUNNING)

    def stop(self) -> None:
        """Ask the run to stop at the next step; it saves a checkpoint and ends."""
        if self._control is not None and self._state in (RUNNING, PAUSED):
            self._control.request_stop()
            self._control.resume()  # a paused run must wake up to see the stop
            self._set_state(STOPPING)

    def shutdown(self) -> None:
        """Stop and wait, blocking; for application exit when no event loop is left."""
        if self._thread is None:
            return
        self.stop()
        self._thread.wait()
        self._cleanup()

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)

    def _from_current_worker(self) -> bool:
        # Signals still queued from a run that shutdown() already ended are dropped.
        return self._worker is not None and self.sender() is self._worker

    @Slot(list)
    def _on_events(self, events: list) -> None:
        if self._from_current_worker():
            self.sig_events.emit(events)

    @Slot(dict)
    def _on_failed(self, failure: dict) -> None:
        if self._from_current_worker():
            self.sig_failed.emit(failure)

    @Slot(dict)
    def _on_finished(self, summary: dict) -> None:
        if not self._from_current_worker():
            return
        # The worker quits its own thread right after this signal; the wait is short.
        if self._thread is not None:
            self._thread.wait()
        self._cleanup()
        self.sig_finished.emit(summary)

    def _cleanup(self) -> None:
        if self._thread is not None:
            self._thread.deleteLater()
        self._thread = None
        self._worker = None  # its thread has finished, so deleting it here is safe
        self._control = None
        self._set_state(IDLE)
