"""Divergence: an exploding loss (not only NaN) stops the run as diverged, names the last good
checkpoint, never becomes best (checkpoint, weights file, runs list); healthy runs are not stopped;
values far outside their usual range are warned about, never refused."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file
from torch import nn

import backend.engine.trainer as trainer_module
from backend.cli.main import main
from backend.core import messages
from backend.core.config import RunConfig, apply_overrides, load_config, unusual_values
from backend.core.schema import OPTIONS
from backend.data import build_data
from backend.engine.divergence import WARMUP_STEPS, DivergenceGuard
from backend.engine.trainer import fit
from backend.store.runs import is_diverged, list_runs, read_metrics, run_summary

pytestmark = pytest.mark.timeout(180)
CONFIGS = Path(__file__).resolve().parents[2] / "resources" / "configs"
LN10 = math.log(10)


# --------------------------------------------------------------------------- the policy, on synthetic losses
def _first_stop(guard: DivergenceGuard, losses) -> int | None:
    """The 1-based step at which the guard stops, or None."""
    for step, loss in enumerate(losses, 1):
        if guard.check_step(loss) is not None:
            return step
    return None


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_loss_diverges(bad):
    guard = DivergenceGuard(LN10)
    assert _first_stop(guard, [2.3, 2.2, bad]) == 3
    assert guard.check_validation(bad) == messages.DIVERGED_NOT_FINITE.format(value=bad)


def test_exploding_classification_loss_stops_at_once():
    guard = DivergenceGuard(LN10)
    assert guard.check_step(2.33) is None
    reason = guard.check_step(1e30)
    # The bias-corrected mean of the 2 steps, against the untrained model's loss (above ln 10).
    assert reason.startswith("5.263e+29 is more than 1000 times 2.33, the loss of the untrained model")


def test_a_single_recovered_spike_is_judged_on_the_smoothed_loss():
    # 50 (logits ~50 apart on one batch) is bad but not an explosion; the run goes on.
    losses = [2.3] * 30 + [50.0] + [2.0] * 30
    assert _first_stop(DivergenceGuard(LN10), losses) is None


def test_regression_in_raw_units_is_judged_against_its_own_scale():
    # Diabetes targets in their own units: MSE of the mean ~5.9e3, the untrained model ~2.9e4.
    rng = random.Random(0)
    healthy = [2.9e4 * math.exp(-i / 100) * rng.uniform(0.5, 2.0) + 3e3 for i in range(600)]
    assert _first_stop(DivergenceGuard(5.9e3), healthy) is None
    exploding = healthy[:50] + [2.9e4 * 10**k for k in range(1, 30)]
    assert _first_stop(DivergenceGuard(5.9e3), exploding) is not None


def test_growth_after_warm_up_is_caught_without_a_baseline():
    # No usable baseline (constant targets): the relative rule alone stops a loss that climbs steadily.
    losses = [1.0 / (1 + i) for i in range(40)] + [0.03 * 3**k for k in range(40)]
    stop = _first_stop(DivergenceGuard(0.0), losses)
    assert stop is not None and stop > 40
    guard = DivergenceGuard(0.0)
    for loss in losses[: stop - 1]:
        assert guard.check_step(loss) is None
    assert "the lowest smoothed training loss" in guard.check_step(losses[stop - 1])


def test_early_explosion_of_a_regression_is_caught():
    losses = [1.0, 1e4, 1e8, 1e12]
    assert _first_stop(DivergenceGuard(1.0), losses) == 2


@pytest.mark.parametrize(
    "losses",
    [
        # OneCycle / warm-up: the loss rises a few times over while the learning rate peaks.
        [2.3] * 20 + [2.3 * (1 + 4 * math.sin(math.pi * i / 60)) for i in range(60)] + [0.5] * 20,
        # A model fitted to 1e-5 that meets a hard batch: 50000x its lowest, yet far below the start.
        [2.3 * 0.8**i for i in range(60)] + [1e-5] * 20 + [0.5] * 5 + [1e-5] * 20,
        # A noisy first epoch.
        [2.3, 9.0, 1.0, 6.0, 0.5, 4.0, 2.0, 3.5, 1.2, 0.9] * 5,
    ],
    ids=["onecycle-bump", "fitted-then-spike", "noisy-start"],
)
def test_healthy_runs_are_not_stopped(losses):
    assert _first_stop(DivergenceGuard(LN10), losses) is None


def test_batch_size_one_regression_noise_is_not_divergence():
    # Per-sample squared errors of a standardised target: chi-square noise over 4 orders of magnitude,
    # starting with a lucky near-zero sample.
    rng = random.Random(1)
    losses = [1e-6] + [rng.gauss(0, 1) ** 2 for _ in range(5000)]
    assert _first_stop(DivergenceGuard(1.0), losses) is None


def test_validation_loss_is_judged_by_the_training_references():
    guard = DivergenceGuard(LN10)
    for i in range(WARMUP_STEPS * 3):
        guard.check_step(2.3 * 0.7**i)  # down to ~1e-4: an overfitted model
    assert guard.check_validation(5.0) is None  # overconfident on held-out data: not divergence
    assert guard.check_validation(1.6e16) is not None
    assert guard.check_validation(float("nan")) is not None


def test_state_round_trip_resumes_the_same_decisions():
    losses = [2.3 * 0.9**i for i in range(25)] + [1e5]
    whole = DivergenceGuard(LN10)
    resumed_from = DivergenceGuard(LN10)
    for loss in losses[:20]:
        whole.check_step(loss)
        resumed_from.check_step(loss)
    state = json.loads(json.dumps(resumed_from.state_dict()))  # plain values, as a checkpoint holds them
    resumed = DivergenceGuard(LN10)
    resumed.load_state_dict(state)
    decisions = [whole.check_step(x) for x in losses[20:]]
    assert decisions == [resumed.check_step(x) for x in losses[20:]]
    assert decisions[-1] is not None and not any(decisions[:-1])


def test_old_status_name_reads_as_diverged():
    assert is_diverged("diverged") and is_diverged("nan")
    assert not any(is_diverged(s) for s in ("completed", "stopped", "early_stopped", "error", None))


# --------------------------------------------------------------------------- usual ranges
def test_defaults_and_example_configs_have_no_unusual_values():
    assert unusual_values(RunConfig()) == []
    for path in sorted(CONFIGS.glob("*.toml")):
        assert unusual_values(load_config(path)) == [], path.name


def test_usual_ranges_name_real_fields_whose_defaults_lie_inside():
    config = RunConfig()
    for option in OPTIONS:
        if option.usual is None:
            continue
        section, name = option.key.split(".")
        value = getattr(getattr(config, section), name)
        low, high = option.usual
        assert option.label and low <= high
        if option.applies(config):
            assert low <= value <= high, option.key


def test_unusual_values_list_key_label_value_and_range():
    config = apply_overrides(RunConfig(), ["optim.lr=5.0", "train.epochs=5000", "loss.label_smoothing=0.6"])
    found = unusual_values(config)
    assert [(u.key, u.label, u.value, u.usual) for u in found] == [
        ("optim.lr", "Learning rate", 5.0, (1e-6, 1.0)),
        ("loss.label_smoothing", "Label smoothing", 0.6, (0.0, 0.3)),
        ("train.epochs", "Epochs", 5000, (1, 1000)),
    ]
    assert tuple(found[0]) == ("optim.lr", "Learning rate", 5.0, (1e-6, 1.0))
    assert found[0].message() == messages.UNUSUAL_VALUE.format(
        key="optim.lr", value=5.0, label="Learning rate", low=1e-6, high=1.0
    )


def test_a_field_without_effect_is_not_warned_about():
    adamw = apply_overrides(RunConfig(), ["optim.momentum=5.0", "schedule.gamma=3.0"])
    assert unusual_values(adamw) == []  # adamw has no momentum; schedule "none" no gamma
    sgd = apply_overrides(adamw, ["optim.name='sgd'", "schedule.name='exponential'"])
    assert [u.key for u in unusual_values(sgd)] == ["optim.momentum", "schedule.gamma"]


# --------------------------------------------------------------------------- the CLI, end to end
def _cli_train(tmp_path: Path, capsys, *sets: str) -> tuple[int, str, str]:
    args = ["train", str(CONFIGS / "digits-mlp.toml"), "--set", "train.epochs=2"]
    args += ["--set", f"train.runs_dir='{tmp_path / 'runs'}'"]
    for item in sets:
        args += ["--set", item]
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_lr_1e9_exits_1_as_diverged_and_is_never_best(tmp_path, capsys):
    code, out, err = _cli_train(tmp_path, capsys)
    assert code == 0, err
    assert "completed after 2 epoch(s), val_acc " in out and ", val_loss " in out and "(best " in out
    assert "warning:" not in out
    code, out, err = _cli_train(tmp_path, capsys, "optim.lr=1e9")
    assert code == 1, err
    assert "Traceback" not in err and "internal error" not in err
    assert "warning: optim.lr = 1e+09 (Learning rate) is outside its usual range 1e-06 to 1" in out
    assert "diverged: the training loss diverged at epoch 1" in out
    assert "No checkpoint was written before it" in out
    assert "diverged after 0 epoch(s); run folder" in out and "best val_loss" not in out.splitlines()[-1]

    good, bad = sorted((tmp_path / "runs").iterdir())
    events = read_metrics(bad)
    end = events[-1]
    assert end["event"] == "end" and end["status"] == "diverged"
    assert end["best_metric"] is None and end["last_checkpoint"] is None and "weights" not in end
    assert [e["event"] for e in events].count("diverged") == 1
    assert not any(e["event"] == "epoch" for e in events)
    assert not (bad / "model.safetensors").exists()
    assert list((bad / "checkpoints").iterdir()) == []

    runs = {Path(r["run_dir"]).name: r for r in list_runs(tmp_path / "runs")}
    assert runs[bad.name]["status"] == "diverged"
    assert runs[bad.name]["best_metric"] is None and not runs[bad.name]["is_best"]
    assert runs[good.name]["status"] == "completed" and runs[good.name]["is_best"]
    assert runs[good.name]["best_metric"] < LN10  # better than guessing


class ExplodeAfter(nn.Module):
    """The real loss until ``after`` training calls, then a huge finite value (validation untouched)."""

    def __init__(self, inner: nn.Module, after: int, value: float = 1e30) -> None:
        super().__init__()
        self.inner, self.after, self.value, self.calls = inner, after, value, 0

    def forward(self, out, target):
        loss = self.inner(out, target)
        if torch.is_grad_enabled():
            self.calls += 1
            if self.calls > self.after:
                return loss * 0 + self.value
        return loss


def _explode_training_after(monkeypatch, after: int) -> None:
    real = trainer_module.build_loss
    monkeypatch.setattr(trainer_module, "build_loss", lambda *a, **kw: ExplodeAfter(real(*a, **kw), after))


def test_finite_explosion_keeps_the_last_good_checkpoint_and_weights(tmp_path, capsys, monkeypatch):
    run = tmp_path / "run"
    assert main(["train", str(CONFIGS / "digits-mlp.toml"), "--run-dir", str(run), "--set", "train.epochs=1"]) == 0
    capsys.readouterr()
    before = {name: (run / name).read_bytes() for name in ("checkpoints/last.ckpt", "checkpoints/best.ckpt")}
    weights_before = load_file(run / "model.safetensors")

    _explode_training_after(monkeypatch, after=5)  # epoch 2 explodes at its 6th batch
    assert main(["resume", str(run), "--set", "train.epochs=3"]) == 1
    out = capsys.readouterr().out
    last = run / "checkpoints" / "last.ckpt"
    assert f"The last good checkpoint is {last} (untouched)" in out
    assert "diverged: the training loss diverged at epoch 2, batch 6" in out
    for name, data in before.items():
        assert (run / name).read_bytes() == data, name  # neither last nor best was rewritten
    after = load_file(run / "model.safetensors")
    assert after.keys() == weights_before.keys()
    assert all(torch.equal(after[k], weights_before[k]) for k in after)
    best = torch.load(run / "checkpoints" / "best.ckpt", weights_only=True)
    assert best["epoch"] == 1 and all(torch.isfinite(t).all() for t in best["model"].values())
    end = read_metrics(run)[-1]
    assert end["status"] == "diverged" and end["last_checkpoint"] == str(last)
    summary = run_summary(run)
    assert summary["status"] == "diverged" and summary["best_metric"] is None


def test_exploding_validation_loss_stops_before_best_and_checkpoint(tmp_path, monkeypatch):
    poisoned = {"on": False}
    real = trainer_module.build_loss

    class ExplodingValidation(nn.Module):
        def __init__(self, inner: nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, out, target):
            loss = self.inner(out, target)
            return loss * 0 + 1e30 if poisoned["on"] and not torch.is_grad_enabled() else loss

    monkeypatch.setattr(trainer_module, "build_loss", lambda *a, **kw: ExplodingValidation(real(*a, **kw)))
    saved = []

    def on_event(event):
        if event["event"] == "checkpoint":
            saved.append((event["kind"], event["epoch"]))
        if event["event"] == "epoch" and event["epoch"] == 1:
            poisoned["on"] = True

    config = apply_overrides(load_config(CONFIGS / "digits-mlp.toml"), ["train.epochs=3"])
    end = fit(config, on_event=on_event, run_dir=tmp_path / "run")
    assert end["status"] == "diverged"
    assert saved == [("last", 1), ("best", 1)]  # nothing written for the diverged epoch 2
    diverged = next(e for e in read_metrics(tmp_path / "run") if e["event"] == "diverged")
    assert diverged["message"].startswith("the validation loss diverged at the end of epoch 2: its value 1e+30")
    assert end["best_metric"] < LN10 and end["epochs_done"] == 1
    assert not (tmp_path / "run" / "model.safetensors").exists()


def test_weights_blown_up_by_a_step_are_never_checkpointed(tmp_path, capsys):
    # A checkpoint every step: the first update with lr 1e9 wrecks the weights while its loss was
    # still normal. They are checked before being saved, so no checkpoint is named as good.
    code, out, _err = _cli_train(tmp_path, capsys, "optim.lr=1e9", "train.checkpoint_every_steps=1")
    assert code == 1
    assert "diverged: the model diverged at epoch 1, step 1: its loss on the first training samples" in out
    assert "No checkpoint was written before it" in out
    [run] = (tmp_path / "runs").iterdir()
    assert list((run / "checkpoints").iterdir()) == []


def test_stop_and_periodic_checkpoints_still_save_sound_weights(tmp_path):
    from backend.engine.control import TrainControl

    control = TrainControl()
    saved = []

    def on_event(event):
        if event["event"] == "checkpoint":
            saved.append(event["step"])
        if event["event"] == "step" and event["step"] == 5:
            control.request_stop()

    config = apply_overrides(load_config(CONFIGS / "digits-mlp.toml"), ["train.checkpoint_every_steps=2"])
    end = fit(config, control, on_event, run_dir=tmp_path / "run")
    assert end["status"] == "stopped" and saved == [2, 4, 5]


# --------------------------------------------------------------------------- no false positives
def _fit(config: RunConfig, tmp_path: Path, **kw) -> dict:
    return fit(config, run_dir=tmp_path / "run", **kw)


def test_diabetes_regression_is_not_stopped(tmp_path):
    config = RunConfig(name="diabetes")
    config.data.name, config.loss.name, config.train.epochs = "diabetes", "mse", 4
    assert _fit(config, tmp_path)["status"] == "completed"


def test_regression_on_raw_targets_is_not_stopped(tmp_path):
    # Targets in their own units (mean ~152, std ~77): losses start near 3e4.
    config = RunConfig(name="raw-diabetes")
    config.data.name, config.loss.name, config.train.epochs, config.optim.lr = "diabetes", "mse", 3, 0.01
    data = build_data(config.data, config.seed, torch.device("cpu"))
    std, mean = data.normalization["target_std"], data.normalization["target_mean"]
    data.y_train, data.y_val = data.y_train * std + mean, data.y_val * std + mean
    steps = []
    end = _fit(config, tmp_path, on_event=lambda e: steps.append(e) if e["event"] == "step" else None, data=data)
    assert end["status"] == "completed"
    assert steps[0]["loss"] > 1e4


@pytest.mark.parametrize(
    "sets",
    [["schedule.name='onecycle'", "schedule.max_lr=0.05"], ["optim.name='sgd'", "optim.lr=0.5"], []],
    ids=["onecycle", "sgd-lr-0.5", "default"],
)
def test_normal_digits_runs_are_not_stopped(tmp_path, sets):
    config = apply_overrides(load_config(CONFIGS / "digits-mlp.toml"), ["train.epochs=2", *sets])
    end = _fit(config, tmp_path)
    assert end["status"] == "completed"
    assert math.isfinite(end["best_metric"]) and end["best_metric"] < 2.3
    assert (tmp_path / "run" / "model.safetensors").exists()


def test_an_older_nan_log_lists_as_diverged_without_best(tmp_path):
    run = tmp_path / "runs" / "20240101-000000-old"
    run.mkdir(parents=True)
    events = [
        {"event": "start", "name": "old", "monitor": "val_loss", "started": "2024-01-01 00:00:00"},
        {"event": "epoch", "epoch": 1, "val_loss": 0.0},
        {"event": "end", "status": "nan", "best_metric": 0.0, "monitor": "val_loss"},
    ]
    (run / "metrics.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    [summary] = list_runs(tmp_path / "runs")
    assert summary["status"] == "diverged" and summary["best_metric"] is None and not summary["is_best"]
