"""When a run has diverged: a small policy over the loss values, testable without training.

A loss that is not a finite number has diverged. So has one that exploded while staying finite
(``optim.lr = 1e9`` gives training losses of 1e30). The guard compares a smoothed training loss
with references that a noisy start, a one-cycle warm-up or a regression target of large scale
do not reach:

- more than ``EXPLODE_FACTOR`` times the loss of the untrained model (the first step) or of a
  constant prediction (``baseline``: uniform logits, or the mean target), whichever is larger.
  Both are measured on this data with this loss, so the rule holds whatever the target's units;
  a cross-entropy that high means logits thousands apart, which no healthy model produces;
- more than ``EXPLODE_FACTOR`` times the lowest smoothed loss so far AND more than
  ``START_FACTOR`` times the highest smoothed loss of the first ``WARMUP_STEPS`` steps (or the
  baseline if larger). The second condition keeps a well-fitted model (loss 1e-5) from being
  stopped by an ordinary spike.

The validation loss at each epoch end is judged by the same references. Torch-free.
"""

from __future__ import annotations

import math
from typing import Any

from backend.core import messages

SMOOTHING = 0.9  # EMA decay per optimizer step: about a 10-step window
WARMUP_STEPS = 10
EXPLODE_FACTOR = 1e3
START_FACTOR = 1e2
_STATE = ("steps", "ema", "first", "start", "lowest")


class DivergenceGuard:
    """Watches the step losses (``check_step``) and epoch validation losses (``check_validation``).

    Each check returns None while the run is healthy, or why it diverged: a formatted
    ``messages.DIVERGED_*`` reason. Under DDP every rank sees the same all-reduced losses and so
    takes the same decision.
    """

    def __init__(self, baseline: float = 0.0) -> None:
        self.baseline = baseline if math.isfinite(baseline) else 0.0
        self.steps = 0
        self.ema = 0.0
        self.first: float | None = None  # the loss of the untrained model (the first step)
        self.start: float | None = None  # the highest smoothed loss of the warm-up steps
        self.lowest: float | None = None  # the lowest smoothed loss so far

    @property
    def smoothed(self) -> float | None:
        """The bias-corrected moving average of the step losses (None before the first step)."""
        return self.ema / (1 - SMOOTHING**self.steps) if self.steps else None

    def check_step(self, loss: float) -> str | None:
        if not math.isfinite(loss):
            return messages.DIVERGED_NOT_FINITE.format(value=loss)
        self.steps += 1
        self.ema = SMOOTHING * self.ema + (1 - SMOOTHING) * loss
        smoothed = self.smoothed
        if self.first is None:
            self.first = loss
        if self.steps <= WARMUP_STEPS:
            self.start = smoothed if self.start is None else max(self.start, smoothed)
        reason = self._exploded(smoothed)
        if reason is None:  # a diverged value never becomes a reference
            self.lowest = smoothed if self.lowest is None else min(self.lowest, smoothed)
        return reason

    def check_validation(self, loss: float) -> str | None:
        if not math.isfinite(loss):
            return messages.DIVERGED_NOT_FINITE.format(value=loss)
        return self._exploded(loss)

    def _exploded(self, value: float) -> str | None:
        # Without a baseline (constant targets) one lucky first batch would be too low a scale.
        scale = max(self.baseline, self.first or 0.0)
        if self.baseline > 0 and value > EXPLODE_FACTOR * scale:
            return messages.DIVERGED_OVER_BASELINE.format(value=value, factor=EXPLODE_FACTOR, scale=scale)
        if self.lowest is None or self.start is None:
            return None
        start = max(self.start, self.baseline)
        if value > EXPLODE_FACTOR * self.lowest and value > START_FACTOR * start:
            return messages.DIVERGED_OVER_LOWEST.format(
                value=value, factor=EXPLODE_FACTOR, lowest=self.lowest, start_factor=START_FACTOR, start=start
            )
        return None

    def state_dict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in _STATE}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        for key in _STATE:
            if key in state:
                setattr(self, key, state[key])
