"""The learning-rate range test (Smith 2015, "Cyclical Learning Rates"; as fastai's ``lr_find``).

The configured model is built afresh (a copy: nothing the user holds is touched) and trained
one batch per step while the learning rate rises exponentially from ``start_lr`` to ``end_lr``.
The loss is smoothed with an exponential moving average (bias-corrected, as in Adam); the test
stops once the smoothed loss rises above ``DIVERGE_FACTOR`` times its lowest value or the loss
is not finite. The whole curve is returned with a suggestion and the rule that chose it:
the steepest descent of the smoothed loss (against log lr) before its minimum, or, when the curve
is too short for a slope, a tenth of the lr at the minimum. The global RNGs are restored when it
ends, so a run started later draws exactly what it would have drawn without the test.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import torch
from torch import nn

from backend.core import messages
from backend.core.config import RunConfig, validate
from backend.core.errors import ConfigError
from backend.data import DataBundle, build_data
from backend.data.pipeline import BatchPipeline
from backend.engine.control import TrainControl
from backend.engine.device import resolve_device, resolve_precision
from backend.engine.evaluation import autocast_context
from backend.engine.losses import build_loss
from backend.engine.optim import build_optimizer
from backend.engine.rng import rng_neutral, seed_everything
from backend.engine.sampler import epoch_order, index_batches
from backend.models.finetune import param_groups
from backend.models.registry import build_model

START_LR, END_LR, STEPS = 1e-7, 10.0, 100
MIN_STEPS = 5
SMOOTHING = 0.98  # weight of the running average (fastai's beta)
DIVERGE_FACTOR = 4.0
SKIP_START = 2  # the first smoothed points carry little information about the slope
STEEPEST, MINIMUM = "steepest", "minimum"
RULES = {STEEPEST: messages.LR_RULE_STEEPEST, MINIMUM: messages.LR_RULE_MINIMUM}

PointCallback = Callable[[dict[str, float]], None]
ProgressCallback = Callable[[float, str], None]


@dataclass
class LrFindResult:
    """The curve (one entry per step) and the suggestion; ``rule`` is a key of RULES."""

    lrs: list[float] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)  # raw batch losses
    smoothed: list[float] = field(default_factory=list)
    suggestion: float | None = None
    rule: str = ""
    stop_reason: str = ""  # an LR_STOP_* message
    cancelled: bool = False

    @property
    def rule_text(self) -> str:
        return RULES[self.rule].format() if self.rule else ""

    @property
    def min_loss_lr(self) -> float | None:
        return self.lrs[int(np.argmin(self.smoothed))] if self.smoothed else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "lrs": self.lrs,
            "losses": self.losses,
            "smoothed": self.smoothed,
            "suggestion": self.suggestion,
            "rule": self.rule,
            "rule_text": self.rule_text,
            "stop_reason": self.stop_reason,
        }


def lr_at(step: int, steps: int, start_lr: float, end_lr: float) -> float:
    """The exponential schedule: ``start_lr`` at step 0, ``end_lr`` at step ``steps - 1``."""
    return start_lr * (end_lr / start_lr) ** (step / max(1, steps - 1))


def suggest(lrs: list[float], smoothed: list[float]) -> tuple[float | None, str]:
    """(suggested lr, rule key): the steepest descent of ``smoothed`` against log10(lr) up to its
    minimum; a tenth of the lr at the minimum when fewer than 3 points lie before it."""
    if not smoothed:
        return None, ""
    lowest = int(np.argmin(smoothed))
    start = min(SKIP_START, max(0, lowest - 2))
    if lowest - start + 1 >= 3:
        window = slice(start, lowest + 1)
        slopes = np.gradient(np.asarray(smoothed[window]), np.log10(np.asarray(lrs[window])))
        return float(lrs[start + int(np.argmin(slopes))]), STEEPEST
    return float(lrs[lowest] / 10), MINIMUM


def loss_view(smoothed: list[float], losses: list[float]) -> tuple[float, float]:
    """The loss range a plot of the curve shows: from the lowest loss to a little above the smoothed
    loss before its minimum (the blow-up at the end would flatten everything else)."""
    low = min(*smoothed, *losses)
    high = max(smoothed[: int(np.argmin(smoothed)) + 1])
    span = max(high - low, 0.05 * abs(high) + 1e-12)
    return low - 0.1 * span, high + 0.3 * span


def check_range(start_lr: float, end_lr: float, steps: int) -> None:
    if not (0 < start_lr < end_lr) or not math.isfinite(end_lr):
        raise ConfigError(messages.ERR_LR_FIND_RANGE.format(start=start_lr, end=end_lr), field="optim.lr")
    if steps < MIN_STEPS:
        raise ConfigError(messages.ERR_LR_FIND_STEPS.format(low=MIN_STEPS, steps=steps))


def _batches(
    data: DataBundle, pipeline: BatchPipeline, config: RunConfig
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Training batches as an epoch serves them, epoch after epoch, for as long as asked."""
    epoch = 0
    while True:
        order = epoch_order(
            config.seed, epoch, len(data.y_train), balance_labels=data.y_train if config.data.balanced else None
        )
        batches = index_batches(order, config.data.batch_size, config.data.drop_last)
        for _, batch in pipeline.train_batches(batches, 0, epoch):
            yield batch
        epoch += 1


def lr_range_test(
    config: RunConfig,
    *,
    start_lr: float = START_LR,
    end_lr: float = END_LR,
    steps: int = STEPS,
    control: TrainControl | None = None,
    on_point: PointCallback | None = None,
    on_progress: ProgressCallback | None = None,
    data: DataBundle | None = None,
) -> LrFindResult:
    """Run the range test on ``config``'s model and data (``data`` replaces the configured dataset).

    ``on_point`` gets each step's ``{"lr", "loss", "smoothed"}``; a stop asked through ``control``
    ends the test early with ``cancelled`` set. Other threads' random draws wait while it runs
    (it holds the RNG lock of backend.engine.rng, as a run's model building does).
    """
    validate(config)
    check_range(start_lr, end_lr, steps)
    control = control or TrainControl()
    if on_progress:
        on_progress(0.0, messages.LR_FIND_LOADING.format())
    device = resolve_device(config.train.device)
    precision = resolve_precision(config.train.precision, device)
    data = data or build_data(config.data, config.seed, device)
    pipeline = BatchPipeline(data, config.data, device, config.seed, config.train.channels_last)
    result = LrFindResult()
    with rng_neutral(device):
        seed_everything(config.seed)
        model = build_model(config.model, pipeline.input_shape, data.num_outputs).to(device)
        if config.train.channels_last and len(pipeline.input_shape) == 3:
            model = model.to(memory_format=torch.channels_last)
        loss_fn = build_loss(config.loss, data.task, data.num_outputs).to(device)
        groups = param_groups(model, config.model, start_lr)
        optimizer = build_optimizer(replace(config.optim, lr=start_lr), groups)
        scaler = torch.amp.GradScaler(device.type) if precision.use_scaler else None
        model.train()
        average, best = 0.0, math.inf
        for step, (xb, yb) in zip(range(steps), _batches(data, pipeline, config), strict=False):
            if control.stop_requested:
                result.cancelled = True
                break
            control.wait_while_paused()
            lr = lr_at(step, steps, start_lr, end_lr)
            for group in optimizer.param_groups:
                group["lr"] = lr * group.get("lr_scale", 1.0)
            loss = _step(model, optimizer, scaler, loss_fn, xb, yb, config, device, precision)
            if not math.isfinite(loss):
                result.stop_reason = messages.LR_STOP_NOT_FINITE.format(lr=lr)
                break
            average = SMOOTHING * average + (1 - SMOOTHING) * loss
            smoothed = average / (1 - SMOOTHING ** (step + 1))
            result.lrs.append(lr)
            result.losses.append(loss)
            result.smoothed.append(smoothed)
            if on_point:
                on_point({"lr": lr, "loss": loss, "smoothed": smoothed})
            if on_progress:
                text = messages.LR_FIND_PROGRESS.format(step=step + 1, steps=steps, lr=lr, loss=smoothed)
                on_progress((step + 1) / steps, text)
            best = min(best, smoothed)
            if step > 0 and smoothed > DIVERGE_FACTOR * best:
                result.stop_reason = messages.LR_STOP_DIVERGED.format(lr=lr, factor=DIVERGE_FACTOR)
                break
        else:
            result.stop_reason = messages.LR_STOP_END.format(lr=result.lrs[-1] if result.lrs else start_lr)
    if not result.cancelled and len(result.lrs) < MIN_STEPS:
        raise ConfigError(messages.ERR_LR_FIND_TOO_FEW.format(count=len(result.lrs)), field="optim.lr")
    result.suggestion, result.rule = suggest(result.lrs, result.smoothed)
    return result


def _step(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    scaler: torch.amp.GradScaler | None,
    loss_fn: nn.Module,
    xb: torch.Tensor,
    yb: torch.Tensor,
    config: RunConfig,
    device: torch.device,
    precision: Any,
) -> float:
    """One optimizer step on one batch, with the run's precision and gradient clipping; the loss."""
    with autocast_context(device, precision):
        loss = loss_fn(model(xb), yb)
    (scaler.scale(loss) if scaler else loss).backward()
    if scaler:
        scaler.unscale_(optimizer)
    params = [p for p in model.parameters() if p.grad is not None]
    if config.train.clip_grad_value:
        nn.utils.clip_grad_value_(params, config.train.clip_grad_value)
    if config.train.clip_grad_norm:
        nn.utils.clip_grad_norm_(params, config.train.clip_grad_norm)
    if scaler:
        scaler.step(optimizer)
        scaler.update()
    else:
        optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return float(loss.item())
