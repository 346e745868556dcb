"""Losses by name and task, optimizers by name, and the learning-rate plan of every schedule."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest
import torch
from torch import nn

from backend.core.config import LossConfig, OptimConfig, ScheduleConfig
from backend.core.errors import ConfigError
from backend.core.schema import CLASSIFICATION_LOSSES, LOSSES, OPTIMIZERS, REGRESSION_LOSSES, SCHEDULES
from backend.engine.losses import build_loss
from backend.engine.optim import PER_STEP_SCHEDULES, build_optimizer, build_scheduler, planned_lrs

NUM_CLASSES = 4


def _classification_batch(n: int = 16):
    gen = torch.Generator().manual_seed(0)
    return torch.randn(n, NUM_CLASSES, generator=gen, requires_grad=True), torch.randint(
        0, NUM_CLASSES, (n,), generator=gen
    )


def _regression_batch(n: int = 16):
    gen = torch.Generator().manual_seed(1)
    return torch.randn(n, 1, generator=gen, requires_grad=True), torch.randn(n, generator=gen)


def test_every_loss_belongs_to_exactly_one_task():
    assert set(CLASSIFICATION_LOSSES) | set(REGRESSION_LOSSES) == set(LOSSES)
    assert not set(CLASSIFICATION_LOSSES) & set(REGRESSION_LOSSES)


@pytest.mark.parametrize("name", LOSSES)
def test_every_loss_gives_a_finite_scalar_with_gradients(name):
    if name in CLASSIFICATION_LOSSES:
        task, (out, target) = "classification", _classification_batch()
    else:
        task, (out, target) = "regression", _regression_batch()
    loss_fn = build_loss(LossConfig(name=name), task, NUM_CLASSES)
    loss = loss_fn(out, target)
    assert loss.dim() == 0
    assert math.isfinite(loss.item())
    assert loss.item() >= 0
    loss.backward()
    assert out.grad is not None and torch.isfinite(out.grad).all()
    assert out.grad.abs().sum() > 0


@pytest.mark.parametrize("name", CLASSIFICATION_LOSSES)
def test_classification_losses_with_smoothing_and_class_weights(name):
    out, target = _classification_batch()
    cfg = LossConfig(name=name, label_smoothing=0.1, class_weights=[1.0, 2.0, 0.5, 1.0])
    loss = build_loss(cfg, "classification", NUM_CLASSES)(out, target)
    assert loss.dim() == 0 and math.isfinite(loss.item())


def test_class_weights_change_the_loss():
    out, target = _classification_batch()
    plain = build_loss(LossConfig(), "classification", NUM_CLASSES)(out, target)
    weighted = build_loss(LossConfig(class_weights=[10.0, 0.1, 0.1, 0.1]), "classification", NUM_CLASSES)(out, target)
    assert not torch.isclose(plain, weighted)


def test_focal_with_gamma_zero_is_cross_entropy():
    out, target = _classification_batch()
    focal = build_loss(LossConfig(name="focal", focal_gamma=0.0), "classification", NUM_CLASSES)(out, target)
    ce = nn.functional.cross_entropy(out, target)
    assert torch.allclose(focal, ce, atol=1e-6)


def test_focal_down_weights_easy_examples():
    out, target = _classification_batch()
    focal = build_loss(LossConfig(name="focal", focal_gamma=2.0), "classification", NUM_CLASSES)(out, target)
    assert focal.item() < nn.functional.cross_entropy(out, target).item()


def test_bce_with_logits_is_one_vs_rest_on_one_hot_targets():
    out, target = _classification_batch()
    loss = build_loss(LossConfig(name="bce_with_logits"), "classification", NUM_CLASSES)(out, target)
    expected = nn.functional.binary_cross_entropy_with_logits(out, nn.functional.one_hot(target, NUM_CLASSES).float())
    assert torch.allclose(loss, expected)


@pytest.mark.parametrize(
    ("name", "reference"),
    [("mse", nn.functional.mse_loss), ("l1", nn.functional.l1_loss), ("smooth_l1", nn.functional.smooth_l1_loss)],
)
def test_regression_losses_accept_n_by_1_outputs(name, reference):
    out, target = _regression_batch()
    loss = build_loss(LossConfig(name=name), "regression", 1)(out, target)
    assert torch.allclose(loss, reference(out.squeeze(1), target))


@pytest.mark.parametrize("name", REGRESSION_LOSSES)
def test_regression_loss_on_classification_names_allowed_losses(name):
    with pytest.raises(ConfigError) as info:
        build_loss(LossConfig(name=name), "classification", NUM_CLASSES)
    message = str(info.value)
    assert f"loss.name = {name!r}" in message
    assert "classification" in message
    for allowed in CLASSIFICATION_LOSSES:
        assert allowed in message


@pytest.mark.parametrize("name", CLASSIFICATION_LOSSES)
def test_classification_loss_on_regression_names_allowed_losses(name):
    with pytest.raises(ConfigError) as info:
        build_loss(LossConfig(name=name), "regression", 1)
    message = str(info.value)
    assert f"loss.name = {name!r}" in message
    assert "regression" in message
    for allowed in REGRESSION_LOSSES:
        assert allowed in message


def test_class_weights_length_mismatch():
    with pytest.raises(ConfigError) as info:
        build_loss(LossConfig(class_weights=[1.0, 2.0]), "classification", NUM_CLASSES)
    message = str(info.value)
    assert "loss.class_weights has 2 values" in message
    assert f"{NUM_CLASSES} classes" in message


def test_class_weights_and_smoothing_refused_for_regression():
    with pytest.raises(ConfigError, match="class_weights only applies to classification"):
        build_loss(LossConfig(name="mse", class_weights=[1.0]), "regression", 1)
    with pytest.raises(ConfigError, match="label_smoothing only applies to classification"):
        build_loss(LossConfig(name="mse", label_smoothing=0.1), "regression", 1)


# --------------------------------------------------------------------------- optimizers
OPTIMIZER_TYPES = {
    "sgd": torch.optim.SGD,
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "rmsprop": torch.optim.RMSprop,
}


def test_optimizer_table_covers_every_name():
    assert set(OPTIMIZER_TYPES) == set(OPTIMIZERS)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_every_optimizer_builds_and_descends(name):
    torch.manual_seed(0)
    param = nn.Parameter(torch.randn(5) * 3)
    opt = build_optimizer(OptimConfig(name=name, lr=0.05, weight_decay=1e-4), [param])
    assert isinstance(opt, OPTIMIZER_TYPES[name])
    assert opt.param_groups[0]["lr"] == 0.05
    assert opt.param_groups[0]["weight_decay"] == 1e-4
    start = float((param.detach() ** 2).sum())
    for _ in range(20):
        opt.zero_grad()
        (param**2).sum().backward()
        opt.step()
    assert float((param.detach() ** 2).sum()) < start


def test_optimizer_options_are_passed_through():
    param = nn.Parameter(torch.zeros(1))
    sgd = build_optimizer(OptimConfig(name="sgd", lr=0.1, momentum=0.8, nesterov=True), [param])
    assert sgd.param_groups[0]["momentum"] == 0.8 and sgd.param_groups[0]["nesterov"] is True
    adam = build_optimizer(OptimConfig(name="adam", betas=[0.8, 0.99]), [param])
    assert adam.param_groups[0]["betas"] == (0.8, 0.99)
    rms = build_optimizer(OptimConfig(name="rmsprop", momentum=0.5), [param])
    assert rms.param_groups[0]["momentum"] == 0.5


# --------------------------------------------------------------------------- schedules
@pytest.mark.parametrize("name", SCHEDULES)
@pytest.mark.parametrize(("epochs", "steps"), [(1, 1), (3, 7), (10, 4)])
def test_planned_lrs_has_one_value_per_step(name, epochs, steps):
    lrs = planned_lrs(ScheduleConfig(name=name), OptimConfig(lr=0.01), epochs, steps)
    assert len(lrs) == epochs * steps
    assert all(math.isfinite(lr) and lr >= 0 for lr in lrs)


@pytest.mark.parametrize("name", ["none", "plateau"])
def test_constant_plans(name):
    assert set(planned_lrs(ScheduleConfig(name=name), OptimConfig(lr=0.01), 5, 3)) == {0.01}


def test_cosine_falls_to_min_lr():
    base, floor, epochs, steps = 0.1, 0.001, 20, 5
    lrs = planned_lrs(ScheduleConfig(name="cosine", min_lr=floor), OptimConfig(lr=base), epochs, steps)
    assert lrs[0] == pytest.approx(base)
    assert all(a >= b - 1e-12 for a, b in pairwise(lrs))  # never rises
    # Per epoch: constant within an epoch.
    assert len(set(lrs[:steps])) == 1
    assert floor <= lrs[-1] < floor + 0.01 * (base - floor)


def test_onecycle_peaks_at_max_lr():
    max_lr, epochs, steps = 0.5, 10, 10
    cfg = ScheduleConfig(name="onecycle", max_lr=max_lr, pct_start=0.3)
    lrs = planned_lrs(cfg, OptimConfig(lr=0.01), epochs, steps)
    peak = max(range(len(lrs)), key=lrs.__getitem__)
    assert lrs[peak] == pytest.approx(max_lr, rel=1e-6)
    assert 0.25 * len(lrs) <= peak <= 0.35 * len(lrs)
    assert lrs[0] < max_lr / 10
    assert lrs[-1] < lrs[0]
    assert all(a <= b for a, b in pairwise(lrs[: peak + 1]))
    assert all(a >= b for a, b in pairwise(lrs[peak:]))


def test_onecycle_default_peak_is_ten_times_lr():
    lrs = planned_lrs(ScheduleConfig(name="onecycle", max_lr=0.0), OptimConfig(lr=0.02), 5, 10)
    assert max(lrs) == pytest.approx(0.2, rel=1e-6)


def test_warmup_cosine_rises_then_falls():
    base, epochs, steps = 0.1, 10, 10
    cfg = ScheduleConfig(name="warmup_cosine", warmup_epochs=2.0, min_lr=0.0)
    lrs = planned_lrs(cfg, OptimConfig(lr=base), epochs, steps)
    warmup = 2 * steps
    peak = max(range(len(lrs)), key=lrs.__getitem__)
    assert lrs[peak] == pytest.approx(base)
    assert peak == warmup - 1
    assert lrs[0] == pytest.approx(base / warmup)
    assert all(a < b for a, b in pairwise(lrs[:warmup]))  # strictly rising
    assert all(a >= b for a, b in pairwise(lrs[warmup - 1 :]))  # then never rising
    assert lrs[-1] < 0.01 * base


def test_warmup_cosine_fractional_warmup_and_floor():
    cfg = ScheduleConfig(name="warmup_cosine", warmup_epochs=0.5, min_lr=0.01)
    lrs = planned_lrs(cfg, OptimConfig(lr=0.1), 4, 10)
    assert max(range(len(lrs)), key=lrs.__getitem__) == 4  # 5 warm-up steps
    assert min(lrs[5:]) >= 0.01 - 1e-12
    assert lrs[-1] == pytest.approx(0.01, abs=1e-3)


def test_step_decays_by_gamma_every_step_size_epochs():
    base, gamma, steps = 0.1, 0.5, 3
    lrs = planned_lrs(ScheduleConfig(name="step", step_size=2, gamma=gamma), OptimConfig(lr=base), 6, steps)
    per_epoch = [lrs[e * steps] for e in range(6)]
    assert per_epoch == pytest.approx([base, base, base * gamma, base * gamma, base * gamma**2, base * gamma**2])
    for e in range(6):  # constant within each epoch
        assert len(set(lrs[e * steps : (e + 1) * steps])) == 1


def test_multistep_decays_at_milestones():
    lrs = planned_lrs(ScheduleConfig(name="multistep", milestones=[1, 3], gamma=0.1), OptimConfig(lr=1.0), 5, 2)
    per_epoch = [lrs[e * 2] for e in range(5)]
    assert per_epoch == pytest.approx([1.0, 0.1, 0.1, 0.01, 0.01])


def test_exponential_decays_every_epoch():
    lrs = planned_lrs(ScheduleConfig(name="exponential", gamma=0.9), OptimConfig(lr=1.0), 4, 3)
    assert [lrs[e * 3] for e in range(4)] == pytest.approx([1.0, 0.9, 0.81, 0.729])


def test_per_step_schedules_change_within_an_epoch():
    for name in PER_STEP_SCHEDULES:
        lrs = planned_lrs(ScheduleConfig(name=name), OptimConfig(lr=0.01), 2, 10)
        assert len(set(lrs[:10])) > 1, name


@pytest.mark.parametrize("name", SCHEDULES)
def test_build_scheduler_returns_a_scheduler_or_none(name):
    opt = build_optimizer(OptimConfig(), [nn.Parameter(torch.zeros(1))])
    sched = build_scheduler(
        ScheduleConfig(name=name), opt, epochs=3, steps_per_epoch=4, base_lr=1e-3, monitor_mode="min"
    )
    if name == "none":
        assert sched is None
    else:
        assert sched is not None
        assert hasattr(sched, "state_dict") and isinstance(sched.state_dict(), dict)


def test_plateau_reduces_on_a_stalled_metric():
    opt = build_optimizer(OptimConfig(lr=1.0), [nn.Parameter(torch.zeros(1))])
    sched = build_scheduler(ScheduleConfig(name="plateau", patience=1, factor=0.5), opt, 10, 1, 1.0, "max")
    for metric in (0.5, 0.5, 0.5, 0.5):  # never improves in "max" mode after the first
        sched.step(metric)
    assert opt.param_groups[0]["lr"] < 1.0
