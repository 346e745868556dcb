"""The trainer end to end on tiny built-in datasets: run folders, events, metrics, every optimizer and
schedule, accumulation, clipping, AMP on the CPU, early stopping, NaN handling, stop/pause, TensorBoard
and the errors a user can cause."""

from __future__ import annotations

import json
import math
import re
import threading
import time
from pathlib import Path

import pytest
import torch
from torch import nn

import backend.engine.trainer as trainer_module
from backend.core.config import RunConfig, apply_overrides, load_config
from backend.core.errors import ConfigError, DeviceError, ModelError
from backend.core.schema import OPTIMIZERS, SCHEDULES
from backend.engine.control import TrainControl
from backend.engine.optim import PER_STEP_SCHEDULES, planned_lrs
from backend.engine.trainer import fit
from backend.store.runs import read_metrics

pytestmark = pytest.mark.timeout(120)

CHECKPOINT_KEYS = {"model", "optimizer", "scheduler", "epoch", "global_step", "rng", "config", "meta"}
IRIS_BATCHES = 8  # 120 training samples in batches of 16
DIGITS_BATCHES = 23  # 1437 training samples in batches of 64


def make_config(tmp_path: Path, *overrides: str, dataset: str = "iris") -> RunConfig:
    base = RunConfig(name="test")
    base.data.name = dataset
    base.data.batch_size = 16 if dataset != "digits" else 64
    base.model.hidden_sizes = [32]
    base.train.epochs = 1
    base.train.device = "cpu"
    base.train.precision = "fp32"
    base.train.runs_dir = str(tmp_path / "runs")
    return apply_overrides(base, list(overrides))


class Recorder:
    """Collects events; ``hook`` runs on each one (to press stop, pause, read a checkpoint...)."""

    def __init__(self, hook=None) -> None:
        self.events: list[dict] = []
        self.hook = hook

    def __call__(self, event: dict) -> None:
        self.events.append(event)
        if self.hook:
            self.hook(event)

    def of(self, kind: str) -> list[dict]:
        return [e for e in self.events if e["event"] == kind]


def train(config: RunConfig, run_dir: Path, control: TrainControl | None = None, hook=None):
    rec = Recorder(hook)
    end = fit(config, control, rec, run_dir=run_dir)
    assert rec.events[-1] is end or rec.events[-1] == end
    assert all("elapsed_s" in e and e["elapsed_s"] >= 0 for e in rec.events)
    return end, rec


def finite(x) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x)


# --------------------------------------------------------------------------- one shared digits run
@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("digits")
    config = make_config(tmp, "train.epochs=2", "model.hidden_sizes=[64]", dataset="digits")
    run_dir = tmp / "run"
    end, rec = train(config, run_dir)
    return config, run_dir, end, rec


def test_run_folder_contents(digits_run):
    config, run_dir, end, rec = digits_run
    assert end["status"] == "completed"
    assert (run_dir / "config.toml").is_file()
    assert load_config(run_dir / "config.toml") == config
    assert (run_dir / "checkpoints" / "last.ckpt").is_file()
    assert (run_dir / "checkpoints" / "best.ckpt").is_file()
    assert (run_dir / "model.safetensors").is_file()
    assert end["weights"] == str(run_dir / "model.safetensors")
    assert end["last_checkpoint"] == str(run_dir / "checkpoints" / "last.ckpt")
    # No temporary files left by the atomic writer.
    leftovers = [p.name for p in run_dir.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_metrics_jsonl_holds_every_event(digits_run):
    _, run_dir, _, rec = digits_run
    lines = (run_dir / "metrics.jsonl").read_text(encoding="utf-8").splitlines()
    parsed = [json.loads(line) for line in lines]
    assert parsed == json.loads(json.dumps(rec.events))
    assert read_metrics(run_dir) == parsed
    assert parsed[0]["event"] == "start" and parsed[-1]["event"] == "end"
    kinds = {e["event"] for e in parsed}
    assert {"start", "step", "epoch", "checkpoint", "end"} <= kinds
    assert all(isinstance(e.get("event"), str) and "elapsed_s" in e for e in parsed)
    elapsed = [e["elapsed_s"] for e in parsed]
    assert elapsed == sorted(elapsed)


@pytest.mark.parametrize("kind", ["last", "best"])
def test_checkpoints_are_weights_only_and_complete(digits_run, kind):
    config, run_dir, end, _ = digits_run
    state = torch.load(run_dir / "checkpoints" / f"{kind}.ckpt", weights_only=True)
    assert CHECKPOINT_KEYS <= set(state)
    assert state["config"] == config.to_dict()
    assert state["global_step"] == state["epoch"] * DIGITS_BATCHES
    if kind == "last":
        assert state["epoch"] == 2 and state["global_step"] == end["global_step"] == 2 * DIGITS_BATCHES
    assert {"python", "numpy", "torch"} <= set(state["rng"])
    assert isinstance(state["rng"]["torch"], torch.Tensor)
    assert {"best_metric", "bad_epochs", "batch"} <= set(state["progress"])
    meta = state["meta"]
    assert meta["arch"] == "mlp"
    assert meta["input_shape"] == [1, 8, 8]
    assert meta["num_outputs"] == 10
    assert meta["class_names"] == [str(i) for i in range(10)]
    assert {"mean", "std"} <= set(meta["normalization"])
    assert all(isinstance(v, torch.Tensor) for v in state["model"].values())
    assert "state" in state["optimizer"] and "param_groups" in state["optimizer"]


def test_best_checkpoint_matches_the_best_epoch(digits_run):
    _, run_dir, end, rec = digits_run
    losses = [e["val_loss"] for e in rec.of("epoch")]
    best_epoch = 1 + min(range(len(losses)), key=losses.__getitem__)
    assert end["best_metric"] == pytest.approx(min(losses))
    best = torch.load(run_dir / "checkpoints" / "best.ckpt", weights_only=True)
    assert best["epoch"] == best_epoch
    assert best["progress"]["best_metric"] == pytest.approx(min(losses))
    saved = [e for e in rec.of("checkpoint") if e["kind"] == "best"]
    assert saved and saved[-1]["epoch"] == best_epoch


def test_safetensors_holds_best_weights_and_metadata(digits_run):
    from safetensors import safe_open

    config, run_dir, _, _ = digits_run
    best = torch.load(run_dir / "checkpoints" / "best.ckpt", weights_only=True)["model"]
    with safe_open(str(run_dir / "model.safetensors"), framework="pt") as fh:
        meta = json.loads(fh.metadata()["torchdesk"])
        assert set(fh.keys()) == set(best)
        for key in best:
            assert torch.equal(fh.get_tensor(key), best[key])
    assert meta["arch"] == "mlp"
    assert meta["class_names"] == [str(i) for i in range(10)]
    assert meta["input_shape"] == [1, 8, 8]
    assert meta["num_outputs"] == 10
    assert meta["model"]["hidden_sizes"] == config.model.hidden_sizes
    assert meta["task"] == "classification"


def test_start_event(digits_run):
    _, run_dir, _, rec = digits_run
    start = rec.of("start")[0]
    assert start["steps_per_epoch"] == DIGITS_BATCHES
    assert start["total_steps"] == 2 * DIGITS_BATCHES
    assert start["task"] == "classification"
    assert start["device"] == "cpu" and start["precision"] == "fp32"
    assert start["train_samples"] + start["val_samples"] == 1797
    assert start["run_dir"] == str(run_dir)


def test_epoch_events_for_ten_classes(digits_run):
    _, _, _, rec = digits_run
    val_samples = rec.of("start")[0]["val_samples"]
    epochs = rec.of("epoch")
    assert [e["epoch"] for e in epochs] == [1, 2]
    for e in epochs:
        for key in (
            "epoch",
            "train_loss",
            "val_loss",
            "lr",
            "samples_per_s",
            "val_acc",
            "train_acc",
            "epoch_time_s",
            "eta_s",
            "val_top5",
        ):
            assert key in e, key
        assert finite(e["train_loss"]) and finite(e["val_loss"])
        assert e["samples_per_s"] > 0 and e["lr"] > 0
        assert 0 <= e["val_acc"] <= 1 and 0 <= e["train_acc"] <= 1
        assert e["val_acc"] <= e["val_top5"] <= 1
        assert len(e["per_class_acc"]) == 10
        assert all(0 <= a <= 1 for a in e["per_class_acc"])
        confusion = e["confusion"]
        assert len(confusion) == 10 and all(len(row) == 10 for row in confusion)
        assert sum(map(sum, confusion)) == val_samples
        assert sum(confusion[i][i] for i in range(10)) / val_samples == pytest.approx(e["val_acc"])
        for i in range(10):
            if sum(confusion[i]):
                assert e["per_class_acc"][i] == pytest.approx(confusion[i][i] / sum(confusion[i]))
        assert "peak_mem_mb" not in e  # CUDA only
    assert epochs[-1]["eta_s"] == 0
    assert epochs[-1]["val_acc"] > 0.5  # it learns


def test_step_events(digits_run):
    _, _, _, rec = digits_run
    steps = rec.of("step")
    assert [s["step"] for s in steps] == list(range(1, 2 * DIGITS_BATCHES + 1))
    assert {s["epoch"] for s in steps} == {1, 2}
    for s in steps:
        assert finite(s["loss"]) and finite(s["grad_norm"]) and s["grad_norm"] >= 0
        assert s["lr"] > 0 and s["samples_per_s"] > 0


def test_iris_has_no_top5(tmp_path):
    end, rec = train(make_config(tmp_path), tmp_path / "run")
    assert end["status"] == "completed"
    (epoch,) = rec.of("epoch")
    assert "val_top5" not in epoch
    assert len(epoch["per_class_acc"]) == 3
    assert sum(map(sum, epoch["confusion"])) == 30
    assert 0 <= epoch["val_acc"] <= 1


def test_regression_reports_mse_and_mae(tmp_path):
    config = make_config(tmp_path, "loss.name='mse'", "train.epochs=2", dataset="diabetes")
    end, rec = train(config, tmp_path / "run")
    assert end["status"] == "completed"
    assert rec.of("start")[0]["task"] == "regression"
    for e in rec.of("epoch"):
        assert finite(e["val_mse"]) and finite(e["val_mae"])
        assert e["val_mse"] >= e["val_mae"] ** 2 * (1 - 1e-9)  # Jensen: mean(d^2) >= mean(|d|)^2
        assert e["val_mae"] > 1  # in the target's own units (disease progression ~ 25..346), not standardised
        for absent in ("val_acc", "train_acc", "per_class_acc", "confusion", "val_top5"):
            assert absent not in e
    meta = torch.load(tmp_path / "run" / "checkpoints" / "last.ckpt", weights_only=True)["meta"]
    assert meta["task"] == "regression" and meta["num_outputs"] == 1


@pytest.mark.parametrize("loss", ["l1", "smooth_l1"])
def test_regression_other_losses_and_monitor(tmp_path, loss):
    config = make_config(tmp_path, f"loss.name='{loss}'", "train.monitor='val_mae'", dataset="diabetes")
    end, rec = train(config, tmp_path / "run")
    assert end["status"] == "completed"
    assert end["monitor"] == "val_mae"
    assert end["best_metric"] == pytest.approx(rec.of("epoch")[0]["val_mae"])


@pytest.mark.parametrize("loss", ["focal", "bce_with_logits"])
def test_other_classification_losses_train(tmp_path, loss):
    end, rec = train(make_config(tmp_path, f"loss.name='{loss}'", "loss.label_smoothing=0.1"), tmp_path / "run")
    assert end["status"] == "completed"
    assert finite(rec.of("epoch")[0]["train_loss"])


# --------------------------------------------------------------------------- optimizers and schedules
@pytest.mark.parametrize("name", SCHEDULES)
def test_every_schedule_trains(tmp_path, name):
    config = make_config(
        tmp_path,
        f"schedule.name='{name}'",
        "schedule.step_size=1",
        "schedule.gamma=0.5",
        "schedule.milestones=[1]",
        "train.epochs=2",
        "optim.lr=0.01",
    )
    end, rec = train(config, tmp_path / "run")
    assert end["status"] == "completed"
    steps = rec.of("step")
    assert len(steps) == 2 * IRIS_BATCHES
    assert all(finite(s["loss"]) and finite(s["lr"]) for s in steps)
    epoch_lrs = [e["lr"] for e in rec.of("epoch")]
    plan = planned_lrs(config.schedule, config.optim, 2, IRIS_BATCHES)
    if name in PER_STEP_SCHEDULES:
        assert len({s["lr"] for s in steps[:IRIS_BATCHES]}) > 1  # changes within the epoch
        assert max(s["lr"] for s in steps) == pytest.approx(max(plan), rel=1e-6)
    elif name in ("none", "plateau"):
        assert epoch_lrs == [0.01, 0.01]
    else:
        # Per-epoch schedules: every step of an epoch uses that epoch's planned rate.
        assert [s["lr"] for s in steps] == pytest.approx(plan)
        if name in ("step", "multistep", "exponential"):
            assert epoch_lrs == pytest.approx([0.01, 0.005])
    state = torch.load(tmp_path / "run" / "checkpoints" / "last.ckpt", weights_only=True)
    assert (state["scheduler"] is None) == (name == "none")


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_every_optimizer_trains(tmp_path, name):
    config = make_config(tmp_path, f"optim.name='{name}'", "optim.lr=0.01", "optim.weight_decay=0.0001")
    end, rec = train(config, tmp_path / "run")
    assert end["status"] == "completed"
    (epoch,) = rec.of("epoch")
    assert finite(epoch["train_loss"]) and finite(epoch["val_loss"])
    optimizer = torch.load(tmp_path / "run" / "checkpoints" / "last.ckpt", weights_only=True)["optimizer"]
    assert optimizer["param_groups"][0]["weight_decay"] == 0.0001


def test_sgd_with_nesterov_trains(tmp_path):
    config = make_config(tmp_path, "optim.name='sgd'", "optim.nesterov=true", "optim.lr=0.05")
    end, rec = train(config, tmp_path / "run")
    assert end["status"] == "completed"
    losses = [s["loss"] for s in rec.of("step")]
    assert all(finite(x) for x in losses)


# --------------------------------------------------------------------------- accumulation and clipping
@pytest.mark.parametrize(("accum", "steps"), [(1, 8), (3, 3), (8, 1), (20, 1)])
def test_grad_accum_steps_per_epoch(tmp_path, accum, steps):
    assert steps == math.ceil(IRIS_BATCHES / accum)
    config = make_config(tmp_path, f"train.grad_accum={accum}", "train.epochs=2")
    end, rec = train(config, tmp_path / "run")
    assert end["status"] == "completed"
    assert rec.of("start")[0]["steps_per_epoch"] == steps
    assert [s["step"] for s in rec.of("step")] == list(range(1, 2 * steps + 1))
    assert [s["epoch"] for s in rec.of("step")] == [1] * steps + [2] * steps
    assert end["global_step"] == 2 * steps
    # Every sample still counts once per epoch.
    assert rec.of("epoch")[0]["samples_per_s"] > 0


def _step_weights(tmp_path, *overrides):
    """Train with a checkpoint after every step; return the weights after each step and the step events."""
    weights = {}

    def hook(event):
        if event["event"] == "checkpoint" and event["kind"] == "last":
            state = torch.load(event["path"], weights_only=True)
            weights[event["step"]] = torch.cat([t.flatten() for t in state["model"].values()])

    config = make_config(
        tmp_path, "optim.name='sgd'", "optim.momentum=0.0", "optim.lr=1.0", "train.checkpoint_every_steps=1", *overrides
    )
    end, rec = train(config, tmp_path / "run", hook=hook)
    assert end["status"] == "completed"
    return weights, {s["step"]: s for s in rec.of("step")}


def test_clip_grad_norm_bounds_each_update(tmp_path):
    max_norm = 0.01
    weights, steps = _step_weights(tmp_path, f"train.clip_grad_norm={max_norm}")
    assert sorted(weights) == list(range(1, IRIS_BATCHES + 1))
    for k in range(2, IRIS_BATCHES + 1):
        update = (weights[k] - weights[k - 1]).norm().item()  # lr = 1, plain SGD: update = clipped gradient
        assert update <= max_norm * 1.001
        assert finite(steps[k]["grad_norm"])
        assert steps[k]["grad_norm"] > max_norm  # the reported norm is the one before clipping


def test_clip_grad_value_bounds_each_update(tmp_path):
    max_value = 0.001
    weights, steps = _step_weights(tmp_path, f"train.clip_grad_value={max_value}")
    for k in range(2, IRIS_BATCHES + 1):
        assert (weights[k] - weights[k - 1]).abs().max().item() <= max_value * 1.001
        assert finite(steps[k]["grad_norm"])


def test_clip_grad_norm_and_value_together(tmp_path):
    end, rec = train(make_config(tmp_path, "train.clip_grad_norm=1.0", "train.clip_grad_value=0.5"), tmp_path / "r")
    assert end["status"] == "completed"
    assert all(finite(s["grad_norm"]) for s in rec.of("step"))


# --------------------------------------------------------------------------- precision
def test_bf16_mixed_on_cpu(tmp_path):
    end, rec = train(make_config(tmp_path, "train.precision='bf16-mixed'"), tmp_path / "run")
    assert end["status"] == "completed"
    assert rec.of("start")[0]["precision"] == "bf16-mixed"
    assert all(finite(s["loss"]) for s in rec.of("step"))
    state = torch.load(tmp_path / "run" / "checkpoints" / "last.ckpt", weights_only=True)
    assert state["scaler"] is None
    assert all(t.dtype == torch.float32 for t in state["model"].values())  # master weights stay fp32


def test_fp16_mixed_on_cpu_uses_a_grad_scaler(tmp_path):
    end, rec = train(
        make_config(tmp_path, "train.precision='fp16-mixed'", "train.clip_grad_norm=1.0"), tmp_path / "run"
    )
    assert end["status"] == "completed"
    assert rec.of("start")[0]["precision"] == "fp16-mixed"
    assert all(finite(s["loss"]) and finite(s["grad_norm"]) for s in rec.of("step"))
    state = torch.load(tmp_path / "run" / "checkpoints" / "last.ckpt", weights_only=True)
    assert state["scaler"] is not None and "scale" in state["scaler"]
    assert all(t.dtype == torch.float32 for t in state["model"].values())


def test_auto_precision_on_cpu_is_fp32(tmp_path):
    _, rec = train(make_config(tmp_path, "train.precision='auto'"), tmp_path / "run")
    assert rec.of("start")[0]["precision"] == "fp32"


# --------------------------------------------------------------------------- early stopping
def test_early_stopping_ends_the_run(tmp_path):
    config = make_config(
        tmp_path,
        "train.early_stopping=true",
        "train.monitor='val_acc'",
        "train.min_delta=1.0",
        "train.patience=1",
        "train.epochs=5",
    )
    end, rec = train(config, tmp_path / "run")
    assert end["status"] == "early_stopped"
    (stop,) = rec.of("early_stop")
    assert stop["epoch"] == 2
    assert stop["monitor"] == "val_acc" and stop["patience"] == 1
    assert "val_acc" in stop["message"]
    epochs = rec.of("epoch")
    assert [e["epoch"] for e in epochs] == [1, 2]
    assert end["epochs_done"] == 2
    assert end["best_metric"] == pytest.approx(epochs[0]["val_acc"])
    assert torch.load(tmp_path / "run" / "checkpoints" / "best.ckpt", weights_only=True)["epoch"] == 1
    assert torch.load(tmp_path / "run" / "checkpoints" / "last.ckpt", weights_only=True)["epoch"] == 2
    assert (tmp_path / "run" / "model.safetensors").is_file()


def test_early_stopping_patience_two(tmp_path):
    config = make_config(
        tmp_path,
        "train.early_stopping=true",
        "train.monitor='val_loss'",
        "train.min_delta=100.0",
        "train.patience=2",
        "train.epochs=6",
    )
    end, rec = train(config, tmp_path / "run")
    assert end["status"] == "early_stopped"
    assert rec.of("early_stop")[0]["epoch"] == 3


def test_without_early_stopping_all_epochs_run(tmp_path):
    config = make_config(
        tmp_path, "train.monitor='val_acc'", "train.min_delta=1.0", "train.patience=1", "train.epochs=3"
    )
    end, rec = train(config, tmp_path / "run")
    assert end["status"] == "completed"
    assert rec.of("early_stop") == []
    assert len(rec.of("epoch")) == 3


# --------------------------------------------------------------------------- NaN / Inf
def test_huge_learning_rate_stops_with_diverged_event(tmp_path):
    config = make_config(tmp_path, "optim.name='sgd'", "optim.lr=1e30", "train.epochs=2")
    end, rec = train(config, tmp_path / "run")
    assert end["status"] == "diverged"
    (nan,) = rec.of("diverged")
    assert "training loss became" in nan["message"]
    assert "No checkpoint was written" in nan["message"]
    assert nan["last_checkpoint"] is None and end["last_checkpoint"] is None
    assert rec.of("epoch") == []
    assert "weights" not in end
    assert not (tmp_path / "run" / "model.safetensors").exists()
    assert read_metrics(tmp_path / "run")[-1]["status"] == "diverged"


class PoisonAfter(nn.Module):
    """Wraps the real loss; from training call ``after + 1`` on it returns ``value`` (NaN or Inf)."""

    def __init__(self, inner: nn.Module, after: int, value: float) -> None:
        super().__init__()
        self.inner, self.after, self.value, self.calls = inner, after, value, 0

    def forward(self, out, target):
        loss = self.inner(out, target)
        if torch.is_grad_enabled():  # validation runs under inference_mode: leave it alone
            self.calls += 1
            if self.calls > self.after:
                return loss * 0 + self.value
        return loss


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")], ids=["nan", "inf", "-inf"])
def test_nan_keeps_last_checkpoint_intact_and_names_it(tmp_path, monkeypatch, value):
    real_build_loss = trainer_module.build_loss
    monkeypatch.setattr(
        trainer_module, "build_loss", lambda *a, **kw: PoisonAfter(real_build_loss(*a, **kw), after=15, value=value)
    )
    snapshot = {}

    def hook(event):
        if event["event"] == "checkpoint" and event["kind"] == "last":
            path = Path(event["path"])
            snapshot.update(step=event["step"], bytes=path.read_bytes(), mtime=path.stat().st_mtime_ns)

    # Epoch 1 ends with a checkpoint at step 8, then one every 2 steps (10, 12, 14); step 15 trains without a
    # checkpoint and the loss of the 16th batch is bad: the last good checkpoint is the one of step 14.
    config = make_config(tmp_path, "train.checkpoint_every_steps=2", "train.epochs=3")
    end, rec = train(config, tmp_path / "run", hook=hook)
    last = tmp_path / "run" / "checkpoints" / "last.ckpt"
    assert end["status"] == "diverged"
    (nan,) = rec.of("diverged")
    assert snapshot["step"] == 14
    assert str(last) in nan["message"]
    assert "untouched" in nan["message"]
    assert nan["last_checkpoint"] == str(last) == end["last_checkpoint"]
    assert nan["epoch"] == 2 and nan["step"] == 15  # optimizer steps done when the bad loss appeared
    # The checkpoint on disk is the one written before the bad step, byte for byte.
    assert last.read_bytes() == snapshot["bytes"]
    assert last.stat().st_mtime_ns == snapshot["mtime"]
    state = torch.load(last, weights_only=True)
    assert state["global_step"] == 14
    assert all(torch.isfinite(t).all() for t in state["model"].values())
    assert [s["step"] for s in rec.of("step")][-1] == 15  # the bad step (16) was never applied
    assert end["global_step"] == 15
    assert "weights" not in end


# --------------------------------------------------------------------------- stop / pause
def _stop_at(step: int, control: TrainControl):
    def hook(event):
        if event["event"] == "step" and event["step"] == step:
            control.request_stop()

    return hook


def test_stop_from_step_event_ends_at_that_step(tmp_path):
    control = TrainControl()
    end, rec = train(make_config(tmp_path, "train.epochs=3"), tmp_path / "run", control, _stop_at(3, control))
    assert end["status"] == "stopped"
    assert end["global_step"] == 3
    assert rec.of("step")[-1]["step"] == 3


def test_stop_is_honoured_within_one_step_and_saves(tmp_path):
    control = TrainControl()
    end, rec = train(make_config(tmp_path, "train.epochs=3"), tmp_path / "run", control, _stop_at(3, control))
    assert end["status"] == "stopped"
    assert end["global_step"] in (3, 4)
    assert rec.of("step")[-1]["step"] == end["global_step"]
    assert rec.of("epoch") == []
    last = tmp_path / "run" / "checkpoints" / "last.ckpt"
    assert end["last_checkpoint"] == str(last)
    state = torch.load(last, weights_only=True)
    assert state["global_step"] == end["global_step"]
    assert state["progress"]["batch"] == end["global_step"]  # mid-epoch position saved for resuming
    checkpoint_events = rec.of("checkpoint")
    assert checkpoint_events[-1]["kind"] == "last" and checkpoint_events[-1]["step"] == end["global_step"]


def test_stop_requested_before_start_runs_at_most_one_step(tmp_path):
    control = TrainControl()
    control.request_stop()
    end, rec = train(make_config(tmp_path), tmp_path / "run", control)
    assert end["status"] == "stopped"
    assert end["global_step"] == 1
    assert len(rec.of("step")) == 1


def test_pause_then_resume_from_another_thread(tmp_path):
    control = TrainControl()
    resumer: list[threading.Thread] = []

    def hook(event):
        if event["event"] == "step" and event["step"] == 2:
            control.pause()
            thread = threading.Thread(target=lambda: (time.sleep(0.3), control.resume()))
            thread.start()
            resumer.append(thread)

    end, rec = train(make_config(tmp_path), tmp_path / "run", control, hook)
    resumer[0].join(5)
    assert end["status"] == "completed"
    steps = {s["step"]: s for s in rec.of("step")}
    assert sorted(steps) == list(range(1, IRIS_BATCHES + 1))
    assert steps[3]["elapsed_s"] - steps[2]["elapsed_s"] >= 0.25
    assert not control.paused


def test_stop_while_paused_ends_the_run(tmp_path):
    control = TrainControl()
    stopper: list[threading.Thread] = []

    def hook(event):
        if event["event"] == "step" and event["step"] == 2:
            control.pause()
            thread = threading.Thread(target=lambda: (time.sleep(0.2), control.request_stop()))
            thread.start()
            stopper.append(thread)

    end, rec = train(make_config(tmp_path, "train.epochs=2"), tmp_path / "run", control, hook)
    stopper[0].join(5)
    assert end["status"] == "stopped"
    assert end["global_step"] == 3
    assert (tmp_path / "run" / "checkpoints" / "last.ckpt").is_file()


# --------------------------------------------------------------------------- TensorBoard
@pytest.mark.filterwarnings("ignore:`torch.jit.trace:FutureWarning")
def test_tensorboard_event_files(tmp_path):
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    end, _ = train(make_config(tmp_path, "train.tensorboard=true", "train.epochs=2"), tmp_path / "run")
    assert end["status"] == "completed"
    folder = tmp_path / "run" / "tensorboard"
    files = list(folder.glob("events.out.tfevents.*"))
    assert files and all(f.stat().st_size > 0 for f in files)
    acc = EventAccumulator(str(folder), size_guidance={"scalars": 0, "histograms": 0}).Reload()
    tags = acc.Tags()
    for scalar in (
        "epoch/train_loss",
        "epoch/val_loss",
        "epoch/val_acc",
        "epoch/lr",
        "step/loss",
        "step/lr",
        "step/grad_norm",
    ):
        assert scalar in tags["scalars"], scalar
    assert len(acc.Scalars("epoch/val_loss")) == 2
    assert len(acc.Scalars("step/loss")) == 2 * IRIS_BATCHES
    assert any(t.startswith("weight/") for t in tags["histograms"])
    assert any(t.startswith("grad/") for t in tags["histograms"])
    assert tags["graph"] is True


def test_no_tensorboard_folder_by_default(tmp_path):
    train(make_config(tmp_path), tmp_path / "run")
    assert not (tmp_path / "run" / "tensorboard").exists()


# --------------------------------------------------------------------------- models
def test_simple_cnn_trains_on_digits(tmp_path):
    config = make_config(tmp_path, "model.arch='simple_cnn'", "model.hidden_sizes=[32]", dataset="digits")
    end, rec = train(config, tmp_path / "run")
    assert end["status"] == "completed"
    assert rec.of("start")[0]["input_shape"] == [1, 8, 8]
    assert 0 <= rec.of("epoch")[0]["val_acc"] <= 1


def test_simple_cnn_on_iris_is_a_model_error(tmp_path):
    rec = Recorder()
    with pytest.raises(ModelError) as info:
        fit(make_config(tmp_path, "model.arch='simple_cnn'"), None, rec, run_dir=tmp_path / "run")
    message = str(info.value)
    assert "simple_cnn" in message and "images" in message and "mlp" in message
    assert "(4,)" in message
    errors = rec.of("error")
    assert len(errors) == 1 and errors[0]["message"] == message


# --------------------------------------------------------------------------- user errors
def test_monitor_val_acc_on_regression(tmp_path):
    config = make_config(tmp_path, "loss.name='mse'", "train.monitor='val_acc'", dataset="diabetes")
    with pytest.raises(ConfigError) as info:
        fit(config, run_dir=tmp_path / "run")
    message = str(info.value)
    assert "train.monitor = 'val_acc'" in message and "regression" in message
    for allowed in ("val_loss", "val_mse", "val_mae"):
        assert allowed in message


def test_classification_loss_on_regression_data(tmp_path):
    with pytest.raises(ConfigError, match="does not fit a regression task"):
        fit(make_config(tmp_path, dataset="diabetes"), run_dir=tmp_path / "run")


def test_class_weights_of_wrong_length(tmp_path):
    with pytest.raises(ConfigError, match="has 2 values but the dataset has 3 classes"):
        fit(make_config(tmp_path, "loss.class_weights=[1.0, 2.0]"), run_dir=tmp_path / "run")


def test_batch_larger_than_training_split(tmp_path):
    with pytest.raises(ConfigError, match="data.batch_size = 500"):
        fit(make_config(tmp_path, "data.batch_size=500"), run_dir=tmp_path / "run")


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
@pytest.mark.parametrize("device", ["cuda", "cuda:1"])
def test_cuda_without_a_gpu_is_a_device_error(tmp_path, device):
    rec = Recorder()
    with pytest.raises(DeviceError) as info:
        fit(make_config(tmp_path, f"train.device='{device}'"), None, rec, run_dir=tmp_path / "run")
    assert f"train.device = {device!r}" in str(info.value)
    assert "cpu" in str(info.value)
    assert rec.of("error")[0]["message"] == str(info.value)


def test_invalid_config_is_rejected_before_training(tmp_path):
    config = make_config(tmp_path)
    config.optim.lr = -0.1  # bypassing the loader: fit validates again
    with pytest.raises(ConfigError, match=re.escape("optim.lr must be > 0, got -0.1")):
        fit(config, run_dir=tmp_path / "run")
    assert not (tmp_path / "run").exists()


# --------------------------------------------------------------------------- run folders
def test_default_run_folder_is_timestamped_under_runs_dir(tmp_path):
    config = make_config(tmp_path, "name='my run/1'")
    first = fit(config)
    second = fit(config)
    runs = sorted(p.name for p in (tmp_path / "runs").iterdir())
    assert len(runs) == 2
    for name in runs:
        assert re.fullmatch(r"\d{8}-\d{6}-my-run-1(-\d+)?", name), name
    assert first["run_dir"] != second["run_dir"]
    assert Path(first["run_dir"]).parent == tmp_path / "runs"


def test_same_seed_gives_the_same_weights(tmp_path):
    config = make_config(tmp_path, "train.epochs=2")
    train(config, tmp_path / "a")
    train(config, tmp_path / "b")
    a = torch.load(tmp_path / "a" / "checkpoints" / "last.ckpt", weights_only=True)["model"]
    b = torch.load(tmp_path / "b" / "checkpoints" / "last.ckpt", weights_only=True)["model"]
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_models_built_on_another_thread_do_not_change_a_training_run(tmp_path):
    """A dialog rebuilding a model (random init) while a run trains must not shift the run's dropout draws."""
    from backend.artifacts.model_io import load_model

    def config() -> RunConfig:
        cfg = RunConfig(name="rng", seed=3)
        cfg.model.dropout = 0.5
        cfg.data.batch_size = 16
        cfg.train.epochs = 2
        return cfg

    reference = fit(config(), run_dir=tmp_path / "reference")
    stop = threading.Event()

    def rebuild_repeatedly() -> None:
        while not stop.is_set():
            load_model(reference["weights"])

    other = threading.Thread(target=rebuild_repeatedly)
    other.start()
    try:
        disturbed = fit(config(), run_dir=tmp_path / "disturbed")
    finally:
        stop.set()
        other.join(timeout=30)
    a = torch.load(Path(reference["last_checkpoint"]), weights_only=True)["model"]
    b = torch.load(Path(disturbed["last_checkpoint"]), weights_only=True)["model"]
    assert all(torch.equal(a[k], b[k]) for k in a)
