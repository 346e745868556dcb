"""Optimizers and learning-rate schedules by name.

OneCycle and warm-up cosine step every optimizer step; plateau steps on the monitored metric
at epoch ends; the others step once per epoch.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import torch
from torch.optim import lr_scheduler

from backend.core.config import OptimConfig, ScheduleConfig

PER_STEP_SCHEDULES = ("onecycle", "warmup_cosine")


def build_optimizer(cfg: OptimConfig, params: Iterable) -> torch.optim.Optimizer:
    if cfg.name == "sgd":
        return torch.optim.SGD(
            params, lr=cfg.lr, momentum=cfg.momentum, nesterov=cfg.nesterov, weight_decay=cfg.weight_decay
        )
    if cfg.name == "adam":
        return torch.optim.Adam(params, lr=cfg.lr, betas=tuple(cfg.betas), weight_decay=cfg.weight_decay)
    if cfg.name == "adamw":
        return torch.optim.AdamW(params, lr=cfg.lr, betas=tuple(cfg.betas), weight_decay=cfg.weight_decay)
    return torch.optim.RMSprop(params, lr=cfg.lr, momentum=cfg.momentum, weight_decay=cfg.weight_decay)


def _cosine_between(high: float, low: float, progress: float) -> float:
    """Half a cosine from ``high`` (progress 0) down to ``low`` (progress 1)."""
    return low + (high - low) * 0.5 * (1 + math.cos(math.pi * progress))


def _warmup_cosine(warmup_steps: int, total_steps: int, floor: float) -> Callable[[int], float]:
    def factor(step: int) -> float:
        if step < warmup_steps:
            return (step + 1) / warmup_steps
        return _cosine_between(1.0, floor, min(1.0, (step - warmup_steps) / max(1, total_steps - warmup_steps)))

    return factor


def build_scheduler(
    cfg: ScheduleConfig,
    optimizer: torch.optim.Optimizer,
    epochs: int,
    steps_per_epoch: int,
    base_lr: float,
    monitor_mode: str,
) -> lr_scheduler.LRScheduler | lr_scheduler.ReduceLROnPlateau | None:
    """``steps_per_epoch`` counts optimizer steps (batches / grad_accum, rounded up)."""
    if cfg.name == "none":
        return None
    if cfg.name == "step":
        return lr_scheduler.StepLR(optimizer, step_size=cfg.step_size, gamma=cfg.gamma)
    if cfg.name == "multistep":
        return lr_scheduler.MultiStepLR(optimizer, milestones=cfg.milestones, gamma=cfg.gamma)
    if cfg.name == "exponential":
        return lr_scheduler.ExponentialLR(optimizer, gamma=cfg.gamma)
    if cfg.name == "cosine":
        return lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs, eta_min=cfg.min_lr)
    if cfg.name == "plateau":
        return lr_scheduler.ReduceLROnPlateau(
            optimizer, mode=monitor_mode, factor=cfg.factor, patience=cfg.patience, min_lr=cfg.min_lr
        )
    total = max(1, epochs * steps_per_epoch)
    if cfg.name == "onecycle":
        # One peak per parameter group, so that a backbone trained at a smaller lr keeps its ratio.
        peaks = [(cfg.max_lr or base_lr * 10) * g.get("lr_scale", 1.0) for g in optimizer.param_groups]
        return lr_scheduler.OneCycleLR(optimizer, max_lr=peaks, total_steps=total, pct_start=cfg.pct_start)
    warmup = min(total - 1, round(cfg.warmup_epochs * steps_per_epoch)) if cfg.warmup_epochs > 0 else 0
    return lr_scheduler.LambdaLR(optimizer, _warmup_cosine(max(1, warmup), total, cfg.min_lr / base_lr))


class ScheduleStepper:
    """When a schedule steps: the one rule, for the trainer and for ``planned_lrs``.

    ``after_step`` follows every optimizer step (it moves only a per-step schedule: a check of one
    attribute, no per-step work otherwise); ``after_epoch`` follows each epoch's validation.
    """

    def __init__(self, name: str, scheduler: lr_scheduler.LRScheduler | lr_scheduler.ReduceLROnPlateau | None) -> None:
        self.scheduler = scheduler
        per_step = scheduler is not None and name in PER_STEP_SCHEDULES
        self._per_step = scheduler if per_step else None
        self._per_epoch = None if per_step else scheduler
        self._on_metric = name == "plateau"

    def after_step(self) -> None:
        if self._per_step is not None:
            self._per_step.step()

    def after_epoch(self, metric: float | None) -> None:
        """``metric``: the monitored value, which plateau steps on; None (a plan) leaves plateau as it is."""
        if self._per_epoch is None:
            return
        if not self._on_metric:
            self._per_epoch.step()
        elif metric is not None:
            self._per_epoch.step(metric)

    def state_dict(self) -> dict | None:
        return self.scheduler.state_dict() if self.scheduler is not None else None

    def load_state_dict(self, state: dict | None) -> None:
        """A checkpoint without a schedule state (none was configured) leaves it at its start.

        A schedule shaped by the run's length (one-cycle, cosine) saved by a shorter run (trained
        further: more epochs) keeps its position but takes this run's length: the curve is stretched
        over it, so the learning rate rises again and ends at the last epoch, instead of the one-cycle
        running past its end (which PyTorch refuses) or the cosine starting its next period.
        """
        scheduler = self.scheduler
        if scheduler is None or not state:
            return
        if isinstance(scheduler, lr_scheduler.OneCycleLR):
            scheduler.load_state_dict(
                {**state, "total_steps": scheduler.total_steps, "_schedule_phases": scheduler._schedule_phases}
            )
        elif isinstance(scheduler, lr_scheduler.CosineAnnealingLR) and state.get("T_max") != scheduler.T_max:
            scheduler.load_state_dict({**state, "T_max": scheduler.T_max})
            # Its steps scale the optimizer's current lr: put that on the stretched curve first.
            progress = scheduler.last_epoch / scheduler.T_max
            for group, base in zip(scheduler.optimizer.param_groups, scheduler.base_lrs, strict=True):
                group["lr"] = _cosine_between(base, scheduler.eta_min, progress)
        else:
            scheduler.load_state_dict(state)


def planned_lrs(cfg: ScheduleConfig, optim_cfg: OptimConfig, epochs: int, steps_per_epoch: int) -> list[float]:
    """The learning rate at every optimizer step of a run (plateau assumed never to trigger), for plots."""
    param = torch.nn.Parameter(torch.zeros(1))
    opt = build_optimizer(optim_cfg, [param])
    stepper = ScheduleStepper(cfg.name, build_scheduler(cfg, opt, epochs, steps_per_epoch, optim_cfg.lr, "min"))
    out = []
    for _epoch in range(epochs):
        for _ in range(steps_per_epoch):
            out.append(opt.param_groups[0]["lr"])
            opt.step()
            stepper.after_step()
        stepper.after_epoch(None)
    return out
