"""Exact resume: a deterministic CPU run killed with SIGKILL at any point and resumed from its
last checkpoint ends with weights bitwise identical to an uninterrupted run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch

from backend.core.config import RunConfig, save_config
from backend.store.runs import read_metrics

pytestmark = pytest.mark.timeout(300)

# Runs fit() in a child process and SIGKILLs itself when the chosen event arrives, or in the
# middle of writing a checkpoint ("torn-write"), which must leave the previous one readable.
KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from backend.core.config import load_config
    from backend.engine import trainer
    from backend.store import checkpoint
    from backend.engine.trainer import fit

    config_path, run_dir, when = sys.argv[1], sys.argv[2], sys.argv[3]
    kind, _, number = when.partition(":")
    number = int(number)

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    if kind == "torn-write":
        import torch
        real_save = torch.save
        writes = []
        def half_save(obj, fh, *a, **k):
            writes.append(1)
            if len(writes) == number:
                fh.write(b"PK\\x03\\x04 half a checkpoint")
                fh.flush()
                die()
            return real_save(obj, fh, *a, **k)
        torch.save = half_save

    def on_event(event):
        if event["event"] == kind and event["epoch" if kind == "epoch" else "step"] == number:
            die()

    fit(load_config(config_path), on_event=on_event, run_dir=run_dir)
    """
)


def _config(tmp_path: Path) -> Path:
    cfg = RunConfig(name="resume", seed=7)
    cfg.model.dropout = 0.3  # dropout draws from the global RNG: its state must be restored too
    cfg.model.batch_norm = True
    cfg.optim.name = "sgd"
    cfg.optim.lr = 0.05
    cfg.schedule.name = "onecycle"  # a per-step schedule whose position must be restored
    cfg.train.epochs = 3
    cfg.train.grad_accum = 2
    cfg.train.deterministic = True
    cfg.train.checkpoint_every_steps = 4
    path = tmp_path / "config.toml"
    save_config(cfg, path)
    return path


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    return env


def _final_weights(run_dir: Path) -> dict[str, torch.Tensor]:
    return torch.load(run_dir / "checkpoints" / "last.ckpt", weights_only=True)["model"]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("reference")
    config = _config(tmp)
    run = tmp / "run"
    subprocess.run(
        [sys.executable, "-m", "backend.cli", "train", str(config), "--run-dir", str(run)],
        check=True,
        env=_env(),
        capture_output=True,
        timeout=240,
    )
    return config, run


@pytest.mark.parametrize(
    "when",
    [
        "step:3",  # mid-epoch, before the first step checkpoint (resumes from nothing: restart)
        "step:6",  # mid-epoch, two steps after a step checkpoint
        "epoch:1",  # right after validation, before the epoch-end checkpoint is written
        "checkpoint:12",  # just after the epoch-end checkpoint of epoch 1
        "torn-write:3",  # killed half-way through writing a checkpoint
    ],
)
def test_killed_and_resumed_run_matches_uninterrupted(tmp_path: Path, reference: tuple[Path, Path], when: str) -> None:
    config, ref_run = reference
    run = tmp_path / "run"
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, str(config), str(run), when], env=_env(), capture_output=True, timeout=240
    )
    assert killed.returncode == -9, killed.stderr.decode()[-2000:]
    last = run / "checkpoints" / "last.ckpt"
    if last.exists():
        torch.load(last, weights_only=True)  # whatever the kill interrupted, the checkpoint is readable
        cmd = ["resume", str(run)]
    else:
        # Killed before any checkpoint: start again (the killed run's files are moved aside, never overwritten).
        cmd = ["train", str(config), "--run-dir", str(run), "--overwrite"]
    resumed = subprocess.run([sys.executable, "-m", "backend.cli", *cmd], env=_env(), capture_output=True, timeout=240)
    assert resumed.returncode == 0, resumed.stderr.decode()[-2000:]

    expected, got = _final_weights(ref_run), _final_weights(run)
    assert expected.keys() == got.keys()
    for key in expected:
        assert torch.equal(expected[key], got[key]), f"{key} differs after resume ({when})"

    # The replayed metrics hold each step once, and the same epoch results as the reference.
    events = read_metrics(run)
    steps = [e["step"] for e in events if e["event"] == "step"]
    assert steps == sorted(set(steps)), "metrics.jsonl repeats or skips steps after resume"
    ref_epochs = [(e["epoch"], e["val_loss"]) for e in read_metrics(ref_run) if e["event"] == "epoch"]
    assert [(e["epoch"], e["val_loss"]) for e in events if e["event"] == "epoch"] == ref_epochs
