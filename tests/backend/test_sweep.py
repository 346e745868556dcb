"""Sweeps on Optuna (backend/engine/sweep.py, torchdesk-cli sweep): --param checks, pruning, resuming
after a kill, and several processes sharing one study."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import optuna
import pytest

from backend.core.config import RunConfig, apply_overrides, load_config
from backend.core.errors import ConfigError
from backend.engine.sweep import (
    Sweep,
    open_storage,
    open_study,
    parse_params,
    recover_stale_trials,
    worker_lock,
)
from backend.store.runs import read_metrics

ROOT = Path(__file__).resolve().parents[2]
BASE = ["train.device='cpu'", "train.precision='fp32'", "model.hidden_sizes=[32]", "train.epochs=2"]
PARAMS = ["optim.lr=log:1e-5:1e-1", "model.dropout=float:0:0.5"]


def base_config() -> RunConfig:
    return apply_overrides(load_config(ROOT / "resources/configs/digits-mlp.toml"), BASE)


@pytest.mark.parametrize(
    ("item", "words"),
    [
        ("optim.lr", "must look like KEY=SPEC"),
        ("optim.nme=log:1e-3:1e-1", "not a config key"),
        ("optim.lr=log:0:1e-1", "log range needs LOW above 0"),
        ("optim.lr=float:-1:0.1", "optim.lr must be > 0"),
        ("optim.lr=log:1e-1:1e-3", "LOW must be below HIGH"),
        ("optim.lr=int:1:3", "takes float values"),
        ("model.dropout=float:0:1.5", "model.dropout"),
        ("optim.name=adam,foo", "must be one of"),
        ("optim.momentum=float:0:0.9", "no effect unless optim.name is sgd or rmsprop"),
    ],
)
def test_bad_param_is_a_clear_error_naming_it(item: str, words: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_params([item], base_config())
    assert words in str(info.value)
    assert str(info.value).startswith("--param") or "KEY=SPEC" in str(info.value)


def test_param_specs_accept_ranges_and_choices() -> None:
    specs = parse_params(
        ["optim.lr=log:1e-4:1e-1", "data.batch_size=int:16:128", "optim.name=adam,sgd", "optim.momentum=0.0,0.9"],
        base_config(),
    )
    assert [s.text() for s in specs] == [
        "optim.lr=log:0.0001:0.1",
        "data.batch_size=int:16:128",
        "optim.name=adam,sgd",
        "optim.momentum=0.0,0.9",  # applies: optim.name is swept too
    ]
    with pytest.raises(ConfigError, match="given twice"):
        parse_params(["optim.lr=log:1e-4:1e-1", "optim.lr=0.1,0.01"], base_config())


def test_four_trials_with_pruning_then_continue(tmp_path: Path) -> None:
    base = base_config()
    events: list[dict] = []
    result = Sweep(base, parse_params(PARAMS, base), tmp_path, trials=4, on_event=events.append).run()
    states = [r.state for r in result.rows]
    assert len(states) == 4 and set(states) <= {"COMPLETE", "PRUNED"}
    assert "PRUNED" in states and "COMPLETE" in states
    assert result.best is not None and result.best.state == "COMPLETE"
    assert result.best.value == min(r.value for r in result.rows if r.state == "COMPLETE")
    for row in result.rows:  # every trial is an ordinary run folder named after it, with its values
        run = Path(row.run_dir)
        assert run.parent == tmp_path.resolve() and f"trial{row.number:03d}" in run.name
        saved = load_config(run / "config.toml")
        assert saved.optim.lr == pytest.approx(row.params["optim.lr"])
        end = [e for e in read_metrics(run) if e["event"] == "end"][-1]
        assert end["status"] == ("stopped" if row.state == "PRUNED" else "completed")
        assert (run / "checkpoints" / "last.ckpt").is_file()  # a pruned trial stopped cleanly
    pruned = [r for r in result.rows if r.state == "PRUNED"]
    assert all(r.epochs < base.train.epochs for r in pruned)
    assert any(e["event"] == "note" and "pruned after epoch" in e["message"] for e in events)
    assert {e["trial"] for e in events if e["event"] == "epoch"} == {0, 1, 2, 3}

    # The same folder and study continue: 4 are done, one more trial makes 5.
    again = Sweep(base, parse_params(PARAMS, base), tmp_path, trials=5).run()
    assert [r.number for r in again.rows] == [0, 1, 2, 3, 4]
    assert again.rows[4].params != result.rows[0].params  # a continued sweep draws new values


def test_trial_of_a_dead_process_is_failed_and_queued_again(tmp_path: Path) -> None:
    base = base_config()
    storage = open_storage(None, tmp_path)
    study = open_study(base, storage, "s", str(tmp_path), 0, 2)
    dead = tmp_path / ".workers" / "host-1"
    dead.mkdir(parents=True)  # a worker folder whose lock nobody holds: its process has ended
    trial = study.ask({"optim.lr": optuna.distributions.FloatDistribution(1e-4, 1e-1, log=True)})
    trial.set_user_attr("worker", "host-1")
    with worker_lock(tmp_path) as alive:
        live = study.ask()
        live.set_user_attr("worker", alive)  # a trial of a running process is left alone
        assert recover_stale_trials(study, storage, tmp_path) == [trial.number]
    states = {t.number: t.state for t in study.get_trials()}
    assert states[trial.number] == optuna.trial.TrialState.FAIL
    assert states[live.number] == optuna.trial.TrialState.RUNNING
    waiting = study.get_trials(states=(optuna.trial.TrialState.WAITING,))
    assert len(waiting) == 1 and waiting[0].user_attrs["retry_of"] == trial.number
    assert waiting[0].system_attrs["fixed_params"] == trial.params
    assert not dead.exists()


def test_direction_of_an_existing_study_must_match(tmp_path: Path) -> None:
    base = base_config()
    storage = open_storage(None, tmp_path)
    open_study(base, storage, "s", "here", 0, 2)
    maximise = apply_overrides(base, ["train.monitor='val_acc'"])
    with pytest.raises(ConfigError, match="is set to minimise its metric, but this config wants to maximise val_acc"):
        open_study(maximise, storage, "s", "here", 0, 2)


def _cli(out: Path, trials: int, *extra: str) -> list[str]:
    sets = [f"--set={s}" for s in BASE[:3]]
    return [
        sys.executable, "-m", "backend.cli", "sweep", str(ROOT / "resources/configs/digits-mlp.toml"),
        "--trials", str(trials), "--out", str(out), *[f"--param={p}" for p in PARAMS], *sets, *extra,
    ]  # fmt: skip


def _finished(out: Path) -> list[optuna.trial.FrozenTrial]:
    study = optuna.load_study(study_name="sweep", storage=open_storage(None, out))
    return study.get_trials(states=(optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED))


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_resume_after_kill(tmp_path: Path) -> None:
    """A sweep killed during a trial continues: that trial is failed and retried, N trials in total."""
    cmd = _cli(tmp_path, 3, "--set=train.epochs=12")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in proc.stdout:  # killed during the second trial, after some epochs of it
        if line.startswith("epoch 3 ") and (tmp_path / "study.journal").exists() and len(_finished(tmp_path)) == 1:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=500)
    assert done.returncode == 0, done.stderr
    assert "was left running by a process that has ended" in done.stdout
    study = optuna.load_study(study_name="sweep", storage=open_storage(None, tmp_path))
    states = [t.state.name for t in study.get_trials()]
    assert states.count("FAIL") == 1 and "RUNNING" not in states
    assert len(_finished(tmp_path)) == 3
    failed = next(t for t in study.get_trials() if t.state.name == "FAIL")
    retry = next(t for t in study.get_trials() if t.user_attrs.get("retry_of") == failed.number)
    assert retry.params == failed.params


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_two_processes_share_one_study(tmp_path: Path) -> None:
    procs = [
        subprocess.Popen(_cli(tmp_path, 4, f"--seed={seed}"), cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for seed in (1, 2)
    ]
    outputs = [p.communicate(timeout=500)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    finished = _finished(tmp_path)
    # Each process stops once the study holds 4 finished trials; one still running then may add a fifth.
    assert 4 <= len(finished) <= 5
    assert len({t.number for t in finished}) == len(finished)
    assert all("trial " in out for out in outputs)  # both processes ran trials of the one study
    workers = {t.user_attrs["worker"] for t in finished}
    assert len(workers) == 2
    assert not any((tmp_path / ".workers").iterdir())  # both released their worker folders
