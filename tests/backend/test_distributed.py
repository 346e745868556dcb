"""DistributedDataParallel under torchrun: gloo backend, 2 processes on the CPU."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from backend.core.config import RunConfig, save_config
from backend.store.runs import read_metrics

pytestmark = pytest.mark.timeout(300)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _torchrun(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    cmd = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--nproc_per_node=2",
        "--master_addr=127.0.0.1",
        f"--master_port={_free_port()}",
        "-m",
        "backend.cli",
        *args,
    ]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, timeout=240)


def test_torchrun_two_processes_train_one_run_folder(tmp_path: Path) -> None:
    cfg = RunConfig(name="ddp")
    cfg.train.epochs = 2
    cfg.train.device = "cpu"
    cfg.train.runs_dir = str(tmp_path / "runs")
    cfg.train.grad_accum = 2
    save_config(cfg, tmp_path / "config.toml")

    result = _torchrun(["train", str(tmp_path / "config.toml")], tmp_path)
    assert result.returncode == 0, result.stderr.decode()[-3000:]

    runs = list((tmp_path / "runs").iterdir())
    assert len(runs) == 1, "rank 0 alone writes the run folder"
    events = read_metrics(runs[0])
    start = events[0]
    assert start["event"] == "start" and start["world_size"] == 2
    # Each rank sees half the 1,437 training samples: 719 -> 12 batches of 64 -> 6 steps of 2 batches.
    assert start["steps_per_epoch"] == 6
    epochs = [e for e in events if e["event"] == "epoch"]
    assert [e["epoch"] for e in epochs] == [1, 2]
    assert sum(map(sum, epochs[-1]["confusion"])) == start["val_samples"], "validation counts every sample once"
    assert events[-1]["event"] == "end" and events[-1]["status"] == "completed"
    state = torch.load(runs[0] / "checkpoints" / "last.ckpt", weights_only=True)
    assert not any(k.startswith("module.") for k in state["model"]), "checkpoints hold the unwrapped model"
    assert (runs[0] / "model.safetensors").exists()

    # The same run resumes under torchrun from its folder.
    resumed = _torchrun(["resume", str(runs[0]), "--set", "train.epochs=3"], tmp_path)
    assert resumed.returncode == 0, resumed.stderr.decode()[-3000:]
    epochs = [e["epoch"] for e in read_metrics(runs[0]) if e["event"] == "epoch"]
    assert epochs == [1, 2, 3]
