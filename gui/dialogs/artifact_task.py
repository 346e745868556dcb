"""The one background task runner of the artifact dialogs (save, load, export, quantize, evaluate, predict).

Threading rules (DESIGN.md): ``ArtifactTask`` lives in the GUI thread and owns, at most, one
``QThread`` + ``_TaskWorker`` pair. The worker runs a backend callable with ``TaskHooks``; it never
touches a widget, catches every exception, emits throttled progress and one ``sig_done`` (always
last), then quits its own thread. Its signals reach ``@Slot`` methods of ``ArtifactTask`` only; the
task waits for the thread and re-emits ``sig_result`` / ``sig_failed`` / ``sig_cancelled`` and
finally ``sig_finished`` in the GUI thread.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

MAX_PROGRESS_PER_S = 20


class _TaskWorker(QObject):
    """Runs ``fn(hooks)`` once in the worker thread."""

    sig_progress = Signal(float, str)
    """(fraction 0..1, what is happening); at most ~20 per second."""
    sig_done = Signal(str, object)
    """("result", value) | ("failed", {"message", "details"}) | ("cancelled", None); always last."""

    def __init__(self, fn: Callable[[Any], Any], cancel_event: threading.Event) -> None:
        super().__init__()
        self._fn = fn
        self._cancel = cancel_event
        self._last_emit = 0.0

    # Called by the backend in the worker thread.
    def _progress(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if fraction >= 1.0 or now - self._last_emit >= 1.0 / MAX_PROGRESS_PER_S:
            self._last_emit = now
            self.sig_progress.emit(float(fraction), str(message))

    @Slot()
    def run(self) -> None:
        from backend.artifacts.progress import Cancelled, TaskHooks
        from backend.core.errors import TorchDeskError

        kind, payload = "result", None
        try:
            payload = self._fn(TaskHooks(progress=self._progress, cancel=self._cancel.is_set))
            if self._cancel.is_set():
                kind, payload = "cancelled", None
        except Cancelled:
            kind, payload = "cancelled", None
        except Exception as exc:  # noqa: BLE001 - every failure reaches the error dialog
            details = "".join(traceback.format_exception(exc))
            message = str(exc) if isinstance(exc, TorchDeskError) else f"{type(exc).__name__}: {exc}"
            kind, payload = "failed", {"message": message, "details": details, "exception": exc}
        finally:
            try:
                self.sig_done.emit(kind, payload)
            finally:
                QThread.currentThread().quit()


class ArtifactTask(QObject):
    """Runs one backend call at a time off the GUI thread; cancel, shutdown and always waits."""

    sig_progress = Signal(float, str)
    """Progress of the running call (GUI thread)."""
    sig_result = Signal(object)
    """The call returned this value."""
    sig_failed = Signal(str, str)
    """The call raised: (readable message, details with the traceback)."""
    sig_cancelled = Signal()
    """The user cancelled; the backend removed its partial files."""
    sig_finished = Signal()
    """The call is over and its thread has been waited for; always the last signal."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: _TaskWorker | None = None
        self._cancel = threading.Event()
        self.last_error: BaseException | None = None

    def is_running(self) -> bool:
        return self._thread is not None

    def start(self, fn: Callable[[Any], Any]) -> None:
        """Run ``fn(hooks)`` on a new thread; ``hooks`` is a ``backend.artifacts.progress.TaskHooks``."""
        if self.is_running():
            raise RuntimeError("a task is already running")
        self._cancel = threading.Event()
        self.last_error = None
        self._worker = _TaskWorker(fn, self._cancel)
        self._thread = QThread(self)
        self._thread.setObjectName("ArtifactTaskThread")
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.sig_progress.connect(self._on_progress)
        self._worker.sig_done.connect(self._on_done)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the running call to stop at its next progress step."""
        self._cancel.set()

    def shutdown(self) -> None:
        """Cancel and wait, blocking (closing a dialog); queued signals of that call are dropped."""
        if self._thread is None:
            return
        self.cancel()
        self._thread.wait()
        self._cleanup()

    def _current(self) -> bool:
        return self._worker is not None and self.sender() is self._worker

    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        if self._current():
            self.sig_progress.emit(fraction, message)

    @Slot(str, object)
    def _on_done(self, kind: str, payload: object) -> None:
        if not self._current():
            return
        if self._thread is not None:
            self._thread.wait()  # the worker quit its thread right after this signal
        self._cleanup()
        if kind == "result":
            self.sig_result.emit(payload)
        elif kind == "failed":
            info = dict(payload or {})
            self.last_error = info.get("exception")
            self.sig_failed.emit(str(info.get("message", "")), str(info.get("details", "")))
        else:
            self.sig_cancelled.emit()
        self.sig_finished.emit()

    def _cleanup(self) -> None:
        if self._thread is not None:
            self._thread.deleteLater()
        self._thread = None
        self._worker = None
