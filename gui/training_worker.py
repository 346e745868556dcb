"""The one background worker that runs the engine's ``fit`` and reports coarse, throttled signals.

Threading rules (see DESIGN.md): the worker lives on its own QThread; it never touches a
widget; its signals are connected only to ``@Slot`` methods of QObjects living in the GUI
thread, so every handler runs there. Events are batched and emitted at most
``MAX_EMITS_PER_S`` times per second. Every exception is caught here and reported through
``sig_failed``; ``sig_finished`` is always the last signal of a run.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from backend.store.runs import DIVERGED, is_diverged

MAX_EMITS_PER_S = 30


def make_control():  # noqa: ANN201 - a backend.engine.control.TrainControl
    """A TrainControl that lets the worker flush buffered events before a pause blocks it."""
    from backend.engine.control import TrainControl

    class FlushingControl(TrainControl):
        before_pause: Callable[[], None] | None = None

        def wait_while_paused(self, poll_s: float = 0.1) -> None:
            # Called by fit in the worker thread before every batch.
            if self.paused and self.before_pause is not None:
                self.before_pause()
            super().wait_while_paused(poll_s)

    return FlushingControl()


class TrainingWorker(QObject):
    """Wraps ``backend.engine.trainer.fit`` for one run; create one per run."""

    sig_events = Signal(list)
    """A batch (list) of trainer event dicts, in order; at most ~30 batches per second."""
    sig_failed = Signal(dict)
    """The run failed or diverged: {"kind" (input/error/diverged), "message", "details", "last_checkpoint"}."""
    sig_finished = Signal(dict)
    """The run is over, always emitted once and last: {"status", "run_dir", "last_checkpoint", ...}."""

    def __init__(
        self,
        config: Any,
        control: Any,
        *,
        run_dir: str | None = None,
        resume_from: str | None = None,
        fit: Callable[..., dict] | None = None,
        on_data: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__()
        self._config = config
        self._control = control
        self._run_dir = run_dir
        self._resume_from = resume_from
        self._fit = fit  # injectable for tests; the backend's fit otherwise
        self._on_data = on_data  # called in the worker thread with the loaded DataBundle
        self._pending: list[dict] = []
        self._last_emit = 0.0
        self._min_interval = 1.0 / MAX_EMITS_PER_S
        self._last_checkpoint = ""
        self._run_dir_seen = run_dir or ""
        self._end: dict = {}
        self._diverged: dict = {}
        self._error_event: dict = {}
        if hasattr(control, "before_pause"):
            # Without this the last steps before a pause would stay buffered until resume.
            control.before_pause = self._flush

    # Runs in the worker thread: only plain Python state is touched here.
    def _on_event(self, event: dict) -> None:
        kind = event.get("event")
        if kind == "start":
            self._run_dir_seen = str(event.get("run_dir", self._run_dir_seen))
        elif kind == "checkpoint" and event.get("path"):
            self._last_checkpoint = str(event["path"])
        elif is_diverged(kind):  # the event is named like the status ("nan" before exploding losses were)
            self._diverged = dict(event)
            self._last_checkpoint = str(event.get("last_checkpoint") or self._last_checkpoint)
        elif kind == "end":
            self._end = dict(event)
        elif kind == "error":
            self._error_event = dict(event)
        self._pending.append(dict(event))
        now = time.monotonic()
        if now - self._last_emit >= self._min_interval:
            self._flush(now)

    def _flush(self, now: float | None = None) -> None:
        if self._pending:
            batch, self._pending = self._pending, []
            self._last_emit = time.monotonic() if now is None else now
            self.sig_events.emit(batch)

    @Slot()
    def run(self) -> None:
        """Run ``fit`` to the end in this (worker) thread."""
        failure: dict | None = None
        result: dict = {}
        try:
            fit = self._fit
            if fit is None:
                from backend.engine.trainer import fit
            result = (
                fit(
                    self._config,
                    self._control,
                    self._on_event,
                    run_dir=self._run_dir,
                    resume_from=self._resume_from,
                    on_data=self._on_data,
                )
                or {}
            )
        except Exception as exc:  # noqa: BLE001 - every failure reaches the error dialog
            failure = self._describe(exc)
        finally:
            try:
                self._flush()
                summary = {**(result if isinstance(result, dict) else {}), **self._end}
                status = "error" if failure else str(summary.get("status", "completed"))
                if failure is None and (is_diverged(status) or self._diverged):
                    status = DIVERGED
                    failure = {
                        "kind": DIVERGED,
                        # translate() is thread-safe; the trainer's own message is translated in the GUI.
                        "message": str(
                            self._diverged.get("message")
                            or self.tr("The loss became NaN or infinite or exploded; training stopped.")
                        ),
                        "details": "",
                        "last_checkpoint": self._last_checkpoint,
                    }
                if failure is not None:
                    self.sig_failed.emit(failure)
                summary.update(
                    status=status,
                    run_dir=str(summary.get("run_dir") or self._run_dir_seen),
                    last_checkpoint=self._last_checkpoint,
                )
                self.sig_finished.emit(summary)
            finally:
                if hasattr(self._control, "before_pause"):
                    # control -> before_pause -> self is a reference cycle: broken here, the
                    # worker is freed by reference counting when its owner drops it.
                    self._control.before_pause = None
                # Quit from inside: whoever owns the thread can wait() even if its own
                # event loop is blocked (closing the app).
                QThread.currentThread().quit()

    def _describe(self, exc: BaseException) -> dict:
        from backend.core.errors import TorchDeskError

        details = "".join(traceback.format_exception(exc))
        if isinstance(exc, TorchDeskError):
            message = str(exc)  # already names the problem and the fix
        else:
            message = str(self._error_event.get("message") or f"{type(exc).__name__}: {exc}")
        kind = "input" if isinstance(exc, TorchDeskError) else "error"
        return {"kind": kind, "message": message, "details": details, "last_checkpoint": self._last_checkpoint}
