"""One training run as a ``gui.tasks.Task`` function: the engine's ``fit`` with coarse, throttled reports.

``TrainingRun.run(state)`` runs in the task's thread and never touches a widget. ``state`` is the
run's control (it speaks ``TrainControl``'s protocol: stop is the task's cancel, pause its pause)
and every trainer event is a partial result, so the GUI gets them in batches, at most
``MAX_EMITS_PER_S`` per second, and before a pause blocks. Exceptions of ``fit`` are caught here
(they need the run's last checkpoint and the trainer's own error event) and returned, with the
summary, as the call's one result.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication

from backend.store.runs import DIVERGED, is_diverged
from gui.tasks import MAX_EMITS_PER_S, TaskState, failure_text

__all__ = ["MAX_EMITS_PER_S", "TrainingRun"]


class TrainingRun:
    """Wraps ``backend.engine.trainer.fit`` for one run; create one per run."""

    def __init__(
        self,
        config: Any,
        *,
        run_dir: str | None = None,
        resume_from: str | None = None,
        fit: Callable[..., dict] | None = None,
        on_data: Callable[[Any], None] | None = None,
    ) -> None:
        self._config = config
        self._run_dir = run_dir
        self._resume_from = resume_from
        self._fit = fit  # injectable for tests; the backend's fit otherwise
        self._on_data = on_data  # called in the worker thread with the loaded DataBundle
        self._state: TaskState | None = None
        self._last_checkpoint = ""
        self._run_dir_seen = run_dir or ""
        self._end: dict = {}
        self._diverged: dict = {}
        self._error_event: dict = {}

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
        assert self._state is not None
        self._state.report_partial(dict(event))

    def run(self, state: TaskState) -> dict:
        """Run ``fit`` to the end: {"summary": {"status", "run_dir", "last_checkpoint", ...},
        "failure": None or {"kind" (input/error/diverged), "message", "details", "last_checkpoint"}}."""
        self._state = state
        failure: dict | None = None
        result: dict = {}
        try:
            fit = self._fit
            if fit is None:
                from backend.engine.trainer import fit
            result = (
                fit(
                    self._config,
                    state,
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
            self._state = None  # no cycle through the bound _on_event the trainer may keep
        summary = {**(result if isinstance(result, dict) else {}), **self._end}
        status = "error" if failure else str(summary.get("status", "completed"))
        if failure is None and (is_diverged(status) or self._diverged):
            status = DIVERGED
            failure = {
                "kind": DIVERGED,
                # translate() is thread-safe; the trainer's own message is translated in the GUI.
                "message": self._diverged.get("message")
                or QCoreApplication.translate(
                    "TrainingWorker", "The loss became NaN or infinite or exploded; training stopped."
                ),
                "details": "",
                "last_checkpoint": self._last_checkpoint,
            }
        summary.update(
            status=status,
            run_dir=str(summary.get("run_dir") or self._run_dir_seen),
            last_checkpoint=self._last_checkpoint,
        )
        return {"summary": summary, "failure": failure}

    def _describe(self, exc: BaseException) -> dict:
        from backend.core.errors import TorchDeskError

        details = "".join(traceback.format_exception(exc))
        if isinstance(exc, TorchDeskError):
            message = exc.message  # already names the problem and the fix
        else:
            message = self._error_event.get("message") or failure_text(exc)
        kind = "input" if isinstance(exc, TorchDeskError) else "error"
        return {"kind": kind, "message": message, "details": details, "last_checkpoint": self._last_checkpoint}
