"""A run's whole history: pause and resume events, an ETA without the pause, a resumed run's earlier
epochs, final and best metrics, the runs list's comparison facts and TensorBoard's hparams summary."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from backend.core.config import RunConfig, apply_overrides
from backend.core.errors import ConfigError
from backend.engine.control import TrainControl
from backend.engine.trainer import fit
from backend.store.runs import (
    differing_params,
    epoch_metrics,
    is_finished,
    read_metrics,
    run_summary,
    seed_groups,
    shown_metrics,
)

IRIS = [
    "data.name='iris'",
    "model.arch='mlp'",
    "model.hidden_sizes=[8]",
    "train.device='cpu'",
    "train.precision='fp32'",
    "data.batch_size=32",
    "train.epochs=2",
]


def _config(*extra: str) -> RunConfig:
    return apply_overrides(RunConfig(name="history"), [*IRIS, *extra])


@pytest.fixture(scope="module")
def two_epoch_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run = tmp_path_factory.mktemp("history") / "run"
    assert fit(_config(), run_dir=run)["status"] == "completed"
    return run


def test_epoch_metrics_final_and_best():
    epochs = [
        {"val_acc": 0.5, "val_loss": 1.0, "confusion": [[1]]},
        {"val_acc": 0.9, "val_loss": 0.4},
        {"val_acc": 0.8, "val_loss": float("nan")},
    ]
    got = epoch_metrics(epochs)
    assert got["final"] == {"val_acc": 0.8}  # a NaN is no final value, a confusion matrix no metric
    assert got["best"] == {"val_acc": 0.9, "val_loss": 0.4}  # accuracy upwards, loss downwards
    assert shown_metrics("classification", got["final"], got["best"]) == [("val_acc", 0.8, 0.9)]
    assert shown_metrics("regression", {"val_mae": 2.0, "val_loss": 1.0}, {}) == [
        ("val_mae", 2.0, None),
        ("val_loss", 1.0, None),
    ]


def test_differing_params_and_seed_groups():
    runs = [
        {"run_dir": "a", "params": {"seed": 1, "optim.lr": 0.1, "data.name": "iris"}},
        {"run_dir": "b", "params": {"seed": 2, "optim.lr": 0.1, "data.name": "iris"}},
        {"run_dir": "c", "params": {"seed": 1, "optim.lr": 0.01, "data.name": "iris"}},
        {"run_dir": "d", "params": {"seed": 1, "optim.lr": 0.01, "data.name": "iris", "model.dropout": 0.2}},
    ]
    assert differing_params(runs) == ["model.dropout", "optim.lr", "seed"]
    assert differing_params(runs[:2]) == ["seed"]
    assert differing_params(runs[:1]) == []
    assert [[r["run_dir"] for r in group] for group in seed_groups(runs)] == [["a", "b"]]


def test_pause_and_resume_are_events_and_the_eta_leaves_the_pause_out(tmp_path: Path):
    control = TrainControl()
    timer = threading.Timer(0.6, control.resume)
    events: list[dict] = []

    def on_event(event: dict) -> None:
        events.append(event)
        if event["event"] == "step" and event["step"] == 1:  # paused after the first step for 0.6 s
            control.pause()
            timer.start()

    try:
        fit(_config(), control, on_event, run_dir=tmp_path / "run")
    finally:
        timer.cancel()
    kinds = [e["event"] for e in events]
    assert kinds.index("step") < kinds.index("paused") < kinds.index("resumed") < kinds.index("epoch")
    paused_s = next(e for e in events if e["event"] == "resumed")["paused_s"]
    assert paused_s >= 0.5
    first = next(e for e in events if e["event"] == "epoch")
    assert first["epoch_time_s"] < first["elapsed_s"] - 0.5  # the pause is no training time
    # One epoch of two done: the ETA is the time spent without the pause, not with it.
    assert first["eta_s"] == pytest.approx(first["elapsed_s"] - paused_s, abs=0.1)
    assert [e["event"] for e in read_metrics(tmp_path / "run")].count("paused") == 1


def test_a_resumed_run_keeps_its_history_and_reports_final_and_best(two_epoch_run: Path, tmp_path: Path):
    import shutil

    run = tmp_path / "run"
    shutil.copytree(two_epoch_run, run)
    summary = run_summary(run)
    assert is_finished(summary) and summary["epochs_done"] == 2
    with pytest.raises(ConfigError) as caught:  # a finished run says so instead of training nothing
        fit(_config(), resume_from=run / "checkpoints" / "last.ckpt")
    assert caught.value.field == "train.epochs" and "--epochs 4" in str(caught.value)

    events: list[dict] = []
    end = fit(_config("train.epochs=3"), on_event=events.append, resume_from=run / "checkpoints" / "last.ckpt")
    start = next(e for e in events if e["event"] == "start")
    assert start["start_epoch"] == 3 and start["history_lines"] > 0
    history = read_metrics(run, start["history_lines"])
    assert [e["epoch"] for e in history if e["event"] == "epoch"] == [1, 2]  # what the plots draw first
    all_epochs = [e for e in read_metrics(run) if e["event"] == "epoch"]
    assert [e["epoch"] for e in all_epochs] == [1, 2, 3]
    assert end["best"]["val_acc"] == max(e["val_acc"] for e in all_epochs)
    assert end["best"]["val_loss"] == min(e["val_loss"] for e in all_epochs)
    assert end["final"]["val_acc"] == all_epochs[-1]["val_acc"]
    summary = run_summary(run)
    assert summary["final"] == end["final"] and summary["best"] == end["best"]
    assert summary["epochs_planned"] == 3 and is_finished(summary)
    assert summary["params"]["train.epochs"] == 3 and "name" not in summary["params"]


def test_tensorboard_runs_write_the_hparams_summary(tmp_path: Path):
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    end = fit(_config("train.tensorboard=true", "train.epochs=1"), run_dir=tmp_path / "run")
    accumulator = EventAccumulator(str(tmp_path / "run" / "tensorboard"))
    accumulator.Reload()
    session = accumulator.PluginTagToContent("hparams")["_hparams_/session_start_info"]
    assert b"optim.lr" in session and b"data.name" in session  # the run's options, flat
    scalars = accumulator.Tags()["scalars"]
    assert "hparams/val_acc" in scalars
    assert accumulator.Scalars("hparams/val_acc")[-1].value == pytest.approx(end["final"]["val_acc"])
