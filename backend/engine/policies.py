"""The epoch-end decisions of a run: which epoch is the best, and when to stop early.

Small policies over the monitored metric, testable without training (like divergence.py).
Torch-free. Their state goes into a checkpoint's ``progress`` (``best_metric``, ``bad_epochs``:
the keys checkpoints have always had there), so a resumed run decides exactly as an
uninterrupted one.
"""

from __future__ import annotations

import math
from typing import Any


class BestTracker:
    """The best value of the monitored metric so far; ``mode`` "min" or "max".

    A value is better when it beats the best by more than ``min_delta``; a value that is not a
    finite number never is, and a non-finite best (from an older checkpoint) is no best.
    """

    def __init__(self, mode: str, min_delta: float = 0.0) -> None:
        self.mode = mode
        self.min_delta = min_delta
        self.best: float | None = None

    def update(self, value: float) -> bool:
        """Whether ``value`` is a new best (then it is kept as the best)."""
        if not self._better(value):
            return False
        self.best = value
        return True

    def _better(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        if self.best is None or not math.isfinite(self.best):
            return True
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def state_dict(self) -> dict[str, Any]:
        return {"best_metric": self.best}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.best = state.get("best_metric")


class EarlyStopping:
    """Counts the epochs since the monitored metric last improved; stops after ``patience`` of them.

    The count is kept when ``enabled`` is off, so that a run resumed with early stopping turned
    on judges the epochs it already trained.
    """

    def __init__(self, patience: int, enabled: bool = True) -> None:
        self.patience = patience
        self.enabled = enabled
        self.bad_epochs = 0

    def update(self, improved: bool) -> bool:
        """Count one finished epoch; whether training should stop now."""
        self.bad_epochs = 0 if improved else self.bad_epochs + 1
        return self.enabled and self.bad_epochs >= self.patience

    def state_dict(self) -> dict[str, Any]:
        return {"bad_epochs": self.bad_epochs}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.bad_epochs = state.get("bad_epochs", 0)
