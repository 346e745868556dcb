"""The trainer's policies, without training: best tracking, early stopping, schedule stepping,
checkpoint assembly and restore, and the check that a model's output fits the data."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch
from torch import nn

from backend.core.config import OptimConfig, RunConfig, ScheduleConfig
from backend.core.errors import ConfigError, ModelError
from backend.engine.checkpointing import Progress, TrainingState, metrics_lines
from backend.engine.divergence import DivergenceGuard
from backend.engine.optim import ScheduleStepper, build_optimizer, build_scheduler, planned_lrs
from backend.engine.policies import BestTracker, EarlyStopping
from backend.models.output_check import OutputWording, check_output_fits, model_wording


# ----------------------------------------------------------------- best tracking
def test_best_tracker_min_mode_needs_more_than_min_delta():
    best = BestTracker("min", min_delta=0.1)
    assert best.update(1.0) and best.best == 1.0
    assert not best.update(0.95)  # better, but not by more than min_delta
    assert best.update(0.8) and best.best == 0.8


def test_best_tracker_max_mode():
    best = BestTracker("max")
    assert best.update(0.5)
    assert not best.update(0.5)
    assert best.update(0.6) and best.best == 0.6


def test_best_tracker_never_takes_a_non_finite_value_and_drops_a_non_finite_best():
    best = BestTracker("min")
    assert not best.update(math.nan) and best.best is None
    best.load_state_dict({"best_metric": math.inf})  # an older checkpoint's
    assert best.update(5.0) and best.best == 5.0


def test_best_tracker_state_round_trip():
    best = BestTracker("min")
    best.update(0.3)
    other = BestTracker("min")
    other.load_state_dict(best.state_dict())
    assert other.best == 0.3 and best.state_dict() == {"best_metric": 0.3}
    other.load_state_dict({})  # a checkpoint from before any epoch ended
    assert other.best is None


# ----------------------------------------------------------------- early stopping
def test_early_stopping_stops_after_patience_epochs_without_improvement():
    early = EarlyStopping(patience=2)
    assert not early.update(True)
    assert not early.update(False)
    assert early.update(False) and early.bad_epochs == 2
    assert not early.update(True) and early.bad_epochs == 0


def test_early_stopping_disabled_still_counts():
    early = EarlyStopping(patience=1, enabled=False)
    assert not early.update(False) and not early.update(False)
    assert early.state_dict() == {"bad_epochs": 2}
    resumed = EarlyStopping(patience=1)
    resumed.load_state_dict(early.state_dict())
    assert resumed.update(False)


# ----------------------------------------------------------------- schedule stepping
def _stepper(name: str, **kw) -> tuple[ScheduleStepper, torch.optim.Optimizer]:
    opt = build_optimizer(OptimConfig(lr=0.1), [nn.Parameter(torch.zeros(1))])
    return ScheduleStepper(name, build_scheduler(ScheduleConfig(name=name, **kw), opt, 4, 5, 0.1, "min")), opt


def _lr(opt: torch.optim.Optimizer) -> float:
    return opt.param_groups[0]["lr"]


def test_per_epoch_schedule_moves_only_at_epoch_ends():
    stepper, opt = _stepper("step", step_size=1, gamma=0.5)
    opt.step()
    stepper.after_step()
    assert _lr(opt) == 0.1
    stepper.after_epoch(1.0)
    assert _lr(opt) == pytest.approx(0.05)


def test_per_step_schedule_moves_every_step_and_not_at_epoch_ends():
    stepper, opt = _stepper("onecycle")
    before = _lr(opt)
    opt.step()
    stepper.after_step()
    moved = _lr(opt)
    assert moved != before
    stepper.after_epoch(1.0)
    assert _lr(opt) == moved


def test_plateau_steps_on_the_metric_and_holds_without_one():
    stepper, opt = _stepper("plateau", patience=0, factor=0.5)
    stepper.after_epoch(1.0)
    for _ in range(3):
        stepper.after_epoch(None)  # a plan: plateau assumed never to trigger
    assert _lr(opt) == 0.1
    stepper.after_epoch(2.0)  # worse: patience 0 reduces at once
    assert _lr(opt) == pytest.approx(0.05)


def test_no_schedule_is_a_stepper_that_does_nothing():
    stepper, opt = _stepper("none")
    stepper.after_step()
    stepper.after_epoch(1.0)
    assert _lr(opt) == 0.1 and stepper.state_dict() is None
    stepper.load_state_dict({"anything": 1})  # nothing to restore into


def test_planned_lrs_follow_the_stepper():
    plan = planned_lrs(ScheduleConfig(name="step", step_size=1, gamma=0.5), OptimConfig(lr=1.0), 3, 2)
    assert plan == pytest.approx([1.0, 1.0, 0.5, 0.5, 0.25, 0.25])


# ----------------------------------------------------------------- checkpoint assembly and restore
def _training_state(config: RunConfig) -> TrainingState:
    model = nn.Linear(3, 2)
    opt = build_optimizer(config.optim, model.parameters())
    stepper = ScheduleStepper(config.schedule.name, build_scheduler(config.schedule, opt, 3, 4, config.optim.lr, "min"))
    return TrainingState(
        model, opt, stepper, None, BestTracker("min"), EarlyStopping(2), DivergenceGuard(2.3), Progress()
    )


def test_checkpoint_round_trip_restores_every_part(tmp_path: Path):
    config = RunConfig()
    config.schedule.name = "step"
    saved = _training_state(config)
    saved.model(torch.randn(4, 3)).sum().backward()
    saved.optimizer.step()
    saved.schedule.after_epoch(0.5)
    saved.best.update(0.5)
    saved.early_stopping.update(False)
    saved.guard.check_step(2.0)
    saved.progress.epoch, saved.progress.batch, saved.progress.global_step = 1, 2, 6
    state = saved.checkpoint(config, {"arch": "linear"}, lines=7)
    # The keys checkpoints have always had: older checkpoints resume, newer ones are read by older code.
    assert {"best_metric", "bad_epochs", "batch", "epoch"} <= set(state["progress"])
    assert state["format"] == "torchdesk-checkpoint/1" and metrics_lines(state) == 7
    expected = torch.rand(3)  # the random generators are part of the state
    torch.manual_seed(123)

    restored = _training_state(config)
    restored.restore(state, config, tmp_path / "last.ckpt")
    assert torch.equal(torch.rand(3), expected)
    for a, b in zip(saved.model.parameters(), restored.model.parameters(), strict=True):
        assert torch.equal(a, b)
    assert restored.optimizer.state_dict()["state"].keys() == saved.optimizer.state_dict()["state"].keys()
    assert restored.schedule.state_dict() == saved.schedule.state_dict()
    assert restored.progress == saved.progress
    assert restored.best.best == 0.5 and restored.early_stopping.bad_epochs == 1
    assert restored.guard.state_dict() == saved.guard.state_dict()


def test_restore_refuses_a_checkpoint_of_another_model(tmp_path: Path):
    config = RunConfig()
    state = _training_state(config).checkpoint(config, {}, lines=0)
    other = RunConfig()
    other.model.hidden_sizes = [7]
    with pytest.raises(ConfigError, match="different \\[model\\] section"):
        _training_state(other).restore(state, other, tmp_path / "last.ckpt")


def test_metrics_lines_of_an_old_checkpoint():
    assert metrics_lines({}) == 0


# ----------------------------------------------------------------- the model's output fits the data
class Returns(nn.Module):
    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def forward(self, x: torch.Tensor):
        return self.make(x)


def test_output_fits_returns_the_output_and_restores_the_mode():
    model = nn.Sequential(nn.Flatten(), nn.Linear(4, 3))
    out = check_output_fits(model, torch.randn(2, 4), 3, model_wording("mlp", "iris"))
    assert out.shape == (2, 3) and model.training and not out.requires_grad
    out = check_output_fits(model.eval(), torch.randn(2, 4), 3, model_wording("mlp"), train=True)
    assert out.requires_grad and not model.training


def test_output_misfits_are_model_errors_in_the_callers_words():
    wording = model_wording("mlp", "iris")
    sample = torch.randn(2, 4)
    with pytest.raises(ModelError, match=r"^model mlp cannot process samples of shape \(4,\) from dataset 'iris': "):
        check_output_fits(nn.Linear(5, 3), sample, 3, wording)
    with pytest.raises(ModelError, match=r"returns tuple for samples of shape \(4,\) from dataset 'iris'"):
        check_output_fits(Returns(lambda x: (x, x)), sample, 3, wording)
    with pytest.raises(ModelError, match=r"^model mlp outputs shape \(4,\) per sample for samples of shape \(4,\) "):
        check_output_fits(Returns(lambda x: x), sample, 3, wording)
    error = pytest.raises(ModelError, check_output_fits, Returns(lambda x: x), sample, 3, model_wording("mlp")).value
    assert "from the dataset" in str(error)


def test_output_check_fills_custom_wording_with_batch_shapes():
    from backend.core import messages

    wording = OutputWording(
        messages.ERR_CUSTOM_FORWARD_FAILED,
        messages.ERR_CUSTOM_FORWARD_NOT_TENSOR,
        messages.ERR_CUSTOM_FORWARD_SHAPE,
        {"name": "Net", "path": "net.py"},
    )
    with pytest.raises(ModelError, match=r"failed on a sample batch of shape \(2, 4\) .*: KeyError: 'x'"):
        check_output_fits(Returns(lambda x: {}["x"]), torch.randn(2, 4), 3, wording)
    with pytest.raises(ModelError) as info:
        check_output_fits(Returns(lambda x: x), torch.randn(2, 4), 3, wording)
    assert "returned shape (2, 4) for a batch of 2 samples of shape (4,), but the dataset needs (2, 3)" in str(
        info.value
    )
    assert info.value.message.fields["name"] == "Net"  # the message stays data for the GUI
