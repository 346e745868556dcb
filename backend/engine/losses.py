"""Loss functions by name, adapted to the task so that the trainer calls ``loss(outputs, targets)``."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from backend.core import messages
from backend.core.config import LossConfig
from backend.core.errors import ConfigError
from backend.core.schema import CLASSIFICATION_LOSSES, REGRESSION_LOSSES


class FocalLoss(nn.Module):
    """Cross-entropy down-weighted on easy examples: (1 - p_t)^gamma * CE (Lin et al., 2017)."""

    def __init__(self, gamma: float, weight: torch.Tensor | None, label_smoothing: float) -> None:
        super().__init__()
        self.gamma = gamma
        self.label_smoothing = label_smoothing
        self.register_buffer("weight", weight)

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        ce = F.cross_entropy(logits, target, reduction="none", label_smoothing=self.label_smoothing)
        p_t = torch.exp(-F.cross_entropy(logits, target, reduction="none"))
        loss = (1 - p_t) ** self.gamma * ce
        if self.weight is not None:
            loss = loss * self.weight[target]
        return loss.mean()


class OneHotBCE(nn.Module):
    """Binary cross-entropy on one logit per class, with integer class targets turned one-hot."""

    def __init__(self, num_classes: int, weight: torch.Tensor | None, label_smoothing: float) -> None:
        super().__init__()
        self.num_classes = num_classes
        self.label_smoothing = label_smoothing
        self.register_buffer("weight", weight)

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        onehot = F.one_hot(target, self.num_classes).to(logits.dtype)
        if self.label_smoothing:
            onehot = onehot * (1 - self.label_smoothing) + self.label_smoothing / 2
        return F.binary_cross_entropy_with_logits(logits, onehot, pos_weight=self.weight)


class RegressionLoss(nn.Module):
    """Regression losses on a (N, 1) output against a (N,) target."""

    def __init__(self, fn: nn.Module) -> None:
        super().__init__()
        self.fn = fn

    def forward(self, outputs: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return self.fn(outputs.reshape(target.shape).float(), target)


def build_loss(cfg: LossConfig, task: str, num_classes: int) -> nn.Module:
    allowed = CLASSIFICATION_LOSSES if task == "classification" else REGRESSION_LOSSES
    if cfg.name not in allowed:
        raise ConfigError(messages.ERR_LOSS_TASK.format(name=cfg.name, task=task, names=", ".join(allowed)))
    weight = None
    if cfg.class_weights:
        if task != "classification":
            raise ConfigError(messages.ERR_CLASS_WEIGHTS_REGRESSION)
        if len(cfg.class_weights) != num_classes:
            raise ConfigError(
                messages.ERR_CLASS_WEIGHTS_COUNT.format(count=len(cfg.class_weights), classes=num_classes)
            )
        weight = torch.tensor(cfg.class_weights, dtype=torch.float32)
    if cfg.label_smoothing and task != "classification":
        raise ConfigError(messages.ERR_LABEL_SMOOTHING_REGRESSION)
    if cfg.name == "cross_entropy":
        return nn.CrossEntropyLoss(weight=weight, label_smoothing=cfg.label_smoothing)
    if cfg.name == "focal":
        return FocalLoss(cfg.focal_gamma, weight, cfg.label_smoothing)
    if cfg.name == "bce_with_logits":
        return OneHotBCE(num_classes, weight, cfg.label_smoothing)
    fn = {"mse": nn.MSELoss(), "l1": nn.L1Loss(), "smooth_l1": nn.SmoothL1Loss()}[cfg.name]
    return RegressionLoss(fn)


BASELINE_SAMPLES = 4096  # enough targets for the mean; zeros(N, classes) of a whole large dataset would not be


def constant_prediction_loss(
    loss_fn: nn.Module, targets: torch.Tensor, task: str, num_outputs: int, device: torch.device
) -> float:
    """The loss of a model that ignores its input: uniform logits (classification) or the mean target
    (regression). It sets the scale of a loss whatever the target's units (backend/engine/divergence.py)."""
    targets = targets[:: max(1, len(targets) // BASELINE_SAMPLES)].to(device)
    with torch.no_grad():
        if task == "classification":
            outputs = torch.zeros(len(targets), num_outputs, device=device)
        else:
            outputs = targets.float().mean().expand(len(targets), 1)
        return float(loss_fn(outputs, targets))
