"""The one background-task primitive of the GUI: every long operation runs on a ``Task``.

A task function is plain Python, ``fn(state, *args)``, run on a thread of its own. It reports
through ``state`` (a ``TaskState``): throttled progress, partial results (batched), and it looks
at ``state.cancelled`` / calls ``state.check()`` and ``state.wait_while_paused()`` (Orange3's
``TaskState`` pattern). ``TaskState`` is a ``backend.engine.control.TrainControl``, so ``fit``
can take it as its control.

Threading rules (DESIGN.md): ``Task`` lives in the GUI thread and owns at most one
``QThread`` + ``_Worker`` pair at a time. The worker catches every exception, emits its last
partial results and then one ``sig_done`` (always last), and quits its own thread. Its signals
reach ``@Slot`` methods of ``Task`` only; the task waits for the thread and re-emits
``sig_result`` / ``sig_failed`` / ``sig_cancelled`` and finally ``sig_finished`` in the GUI thread.

A new ``start()`` supersedes the running call: that one is cancelled, everything it still sends
is dropped, and the new call starts as soon as its thread has ended (calls never overlap, so a
function may keep a cache between calls). A function that returns has a result, even after a
cancel was asked; it is cancelled when it raises ``Cancelled`` (``state.check()`` does).
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from backend.artifacts.progress import Cancelled, TaskHooks
from backend.engine.control import TrainControl

MAX_EMITS_PER_S = 30  # progress signals and partial-result batches, each, per second at most
_RESULT, _FAILED, _CANCELLED = "result", "failed", "cancelled"


class TaskState(TrainControl):
    """What a task function gets: report progress and partial results, honour cancel and pause.

    Methods are called in the worker thread; ``cancel``/``pause``/``resume`` by the owning ``Task``.
    """

    def __init__(self, worker: _Worker, max_emits_per_s: float = MAX_EMITS_PER_S) -> None:
        super().__init__()  # TrainControl's stop and pause flags: ``fit`` runs on a Task directly
        self._worker: _Worker | None = worker
        self._interval = 1.0 / max_emits_per_s
        self._last_progress = 0.0
        self._last_partial = 0.0
        self._partials: list[Any] = []

    # ---------------------------------------------------------------- the owner's side
    def cancel(self) -> None:
        """Ask the function to stop; a paused function wakes up to see it."""
        self.request_stop()

    # ---------------------------------------------------------------- the function's side
    @property
    def cancelled(self) -> bool:
        return self.stop_requested

    def check(self) -> None:
        """Raise ``Cancelled`` once the owner asked to cancel."""
        if self.stop_requested:
            raise Cancelled("cancelled")

    def report_progress(self, fraction: float, text: str = "") -> None:
        """(fraction 0..1, what is happening); throttled, the final 1.0 always goes out."""
        now = time.monotonic()
        if self._worker is not None and (fraction >= 1.0 or now - self._last_progress >= self._interval):
            self._last_progress = now
            self._worker.sig_progress.emit(float(fraction), str(text))

    def report_partial(self, value: Any) -> None:
        """One partial result; they reach the owner in order, in batches (``sig_partial``)."""
        self._partials.append(value)
        if time.monotonic() - self._last_partial >= self._interval:
            self.flush()

    def flush(self) -> None:
        """Send the partial results held back by the throttle now."""
        if self._partials and self._worker is not None:
            batch, self._partials = self._partials, []
            self._last_partial = time.monotonic()
            self._worker.sig_partial.emit(batch)

    def wait_while_paused(self, poll_s: float = 0.1) -> None:
        """Block while paused; partial results held back are sent first (the view is current)."""
        if self.paused:
            self.flush()
        super().wait_while_paused(poll_s)

    def hooks(self) -> TaskHooks:
        """The engine's progress and cancel callbacks (``backend.artifacts``) on this state."""
        return TaskHooks(progress=self.report_progress, cancel=lambda: self.cancelled)

    def _detach(self) -> None:
        # state -> worker -> state would be a reference cycle, freed only by a collection.
        self._worker = None


@dataclass
class _Call:
    fn: Callable[..., Any]
    args: tuple


class _Worker(QObject):
    """Runs one call in the worker thread; lives there, never touches a widget."""

    sig_progress = Signal(float, str)
    sig_partial = Signal(list)
    sig_done = Signal(str, object)
    """(kind, payload): ("result", value) | ("failed", exception) | ("cancelled", None); always last."""

    def __init__(self, call: _Call) -> None:
        super().__init__()
        self._call: _Call | None = call
        self.state = TaskState(self)

    @Slot()
    def run(self) -> None:
        call, state = self._call, self.state
        kind, payload = _RESULT, None
        try:
            assert call is not None
            payload = call.fn(state, *call.args)
        except Cancelled:
            kind, payload = _CANCELLED, None
        except Exception as exc:  # noqa: BLE001 - every failure reaches the owner
            kind, payload = _FAILED, exc
        finally:
            try:
                state.flush()
                self.sig_done.emit(kind, payload)
                payload = None  # an exception's traceback holds this frame: no cycle through it
            finally:
                self._call = call = None  # the function's arguments are freed with the worker
                state._detach()
                # Quit from inside: the owner can wait() even while its own event loop is blocked.
                QThread.currentThread().quit()


def failure_text(exc: BaseException) -> object:
    """What the user reads: a TorchDeskError's ``Message`` (data), else the exception's type and text."""
    from backend.core.errors import TorchDeskError

    return exc.message if isinstance(exc, TorchDeskError) else f"{type(exc).__name__}: {exc}"


class Task(QObject):
    """Runs one function at a time off the GUI thread; owns, cancels, pauses and waits for it."""

    sig_progress = Signal(float, str)
    """(fraction 0..1, what is happening) of the current call; throttled."""
    sig_partial = Signal(list)
    """Partial results of the current call, in order, batched (at most ~30 batches per second)."""
    sig_result = Signal(object)
    """The call returned this value."""
    sig_failed = Signal(object, str)
    """The call raised: (a ``Message`` or text to show, details with the traceback)."""
    sig_cancelled = Signal()
    """The call raised ``Cancelled`` (it stopped at the user's request)."""
    sig_finished = Signal()
    """The call is over and its thread has been waited for; always the last signal of a call."""

    def __init__(self, parent: QObject | None = None, name: str = "Task") -> None:
        super().__init__(parent)
        self._name = name
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._superseded = False  # the running call was replaced: whatever it sends is dropped
        self._queued: _Call | None = None
        self.last_error: BaseException | None = None

    def is_running(self) -> bool:
        """A call runs or waits to run (a superseded call still ending does not count)."""
        return (self._thread is not None and not self._superseded) or self._queued is not None

    def start(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run ``fn(state, *args)`` off the GUI thread; a call still running is superseded."""
        call = _Call(fn, args)
        if self._thread is None:
            self._launch(call)
            return
        self.discard()
        self._queued = call  # launched when the superseded call's thread has ended

    def cancel(self) -> None:
        """Ask the current call to stop (``state.cancelled``); a call not yet started is dropped."""
        self._queued = None
        if self._worker is not None:
            self._worker.state.cancel()

    def discard(self) -> None:
        """Cancel the current call and drop everything it still sends, ``sig_finished`` included
        (its answer is no longer wanted); its thread is still waited for."""
        self._queued = None
        self._superseded = True
        if self._worker is not None:
            self._worker.state.cancel()

    def pause(self) -> None:
        if self._worker is not None:
            self._worker.state.pause()

    def resume(self) -> None:
        if self._worker is not None:
            self._worker.state.resume()

    def wait(self, timeout_ms: int | None = None) -> bool:
        """Block until the running call's thread has ended (tests, closing); what it sent is still
        delivered by the event loop. False when ``timeout_ms`` passed first."""
        if self._thread is None:
            return True
        return self._thread.wait() if timeout_ms is None else self._thread.wait(timeout_ms)

    def shutdown(self, timeout_ms: int | None = None) -> bool:
        """Cancel and wait, blocking (closing); what that call still sends is dropped.

        Returns False when ``timeout_ms`` passed first (the thread is then left to end on its own).
        """
        self.discard()
        done = self.wait(timeout_ms)
        if done and self._thread is not None:
            self._cleanup()
        return done

    def _launch(self, call: _Call) -> None:
        self.last_error = None
        self._superseded = False
        self._worker = _Worker(call)
        self._thread = QThread(self)
        self._thread.setObjectName(self._name + "Thread")
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.sig_progress.connect(self._on_progress)
        self._worker.sig_partial.connect(self._on_partial)
        self._worker.sig_done.connect(self._on_done)
        self._thread.start()

    def _current(self) -> bool:
        return not self._superseded and self._worker is not None and self.sender() is self._worker

    @Slot(float, str)
    def _on_progress(self, fraction: float, text: str) -> None:
        if self._current():
            self.sig_progress.emit(fraction, text)

    @Slot(list)
    def _on_partial(self, batch: list) -> None:
        if self._current():
            self.sig_partial.emit(batch)

    @Slot(str, object)
    def _on_done(self, kind: str, payload: object) -> None:
        if self._worker is None or self.sender() is not self._worker:
            return  # from a call that shutdown() already ended
        current = not self._superseded
        if self._thread is not None:
            self._thread.wait()  # the worker quit its thread right after this signal
        self._cleanup()
        if current:
            self._report(kind, payload)
        elif self._queued is not None:
            call, self._queued = self._queued, None
            self._launch(call)

    def _report(self, kind: str, payload: object) -> None:
        if kind == _RESULT:
            self.sig_result.emit(payload)
        elif kind == _FAILED:
            assert isinstance(payload, BaseException)
            self.last_error = payload
            details = "".join(traceback.format_exception(payload))
            traceback.clear_frames(payload.__traceback__)  # the frames' locals (the worker) go now
            self.sig_failed.emit(failure_text(payload), details)
        else:
            self.sig_cancelled.emit()
        self.sig_finished.emit()

    def _cleanup(self) -> None:
        if self._thread is not None:
            self._thread.deleteLater()
        self._thread = None
        self._worker = None  # its thread has ended, so it is freed here, in the GUI thread
