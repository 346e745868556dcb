"""Progress and cancellation for long artifact actions (export, quantize, evaluate).

The GUI runs these functions on a worker thread and passes callbacks; the CLI passes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class Cancelled(Exception):
    """The user cancelled a long action; no output file was written (temporary files are removed)."""


@dataclass
class TaskHooks:
    progress: Callable[[float, str], None] | None = None  # (fraction 0..1, what is happening)
    cancel: Callable[[], bool] | None = None  # returns True once the user asked to cancel

    def step(self, fraction: float, message: str) -> None:
        """Report progress; raise Cancelled if the user asked to stop."""
        if self.cancel is not None and self.cancel():
            raise Cancelled(f"cancelled while: {message}")
        if self.progress is not None:
            self.progress(max(0.0, min(1.0, fraction)), message)

    def report(self, fraction: float, message: str) -> None:
        """Report progress without a chance to cancel (the short checks after a file is written)."""
        if self.progress is not None:
            self.progress(max(0.0, min(1.0, fraction)), message)


def hooks(task: TaskHooks | None) -> TaskHooks:
    return task if task is not None else TaskHooks()
