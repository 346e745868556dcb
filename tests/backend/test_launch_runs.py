"""``torchdesk-cli train/resume --nproc``: TorchDesk as its own torchrun launcher, with gloo on the CPU.

Each run starts several Python processes that import torch: slow (``make test-slow`` / ``make test-dist``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from backend.core.config import RunConfig, save_config
from backend.store import checkpoint as ckpt
from backend.store.runs import read_metrics

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]
ROOT = Path(__file__).resolve().parents[2]


def _cli(args: list[str], cwd: Path, **popen: object) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "backend.cli", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def _finish(process: subprocess.Popen, timeout: float = 400) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def _config(folder: Path, epochs: int, runs: str = "runs") -> Path:
    cfg = RunConfig(name="ddp")
    cfg.train.device = "cpu"
    cfg.train.epochs = epochs
    cfg.train.runs_dir = str(folder / runs)
    path = folder / f"{runs}.toml"
    save_config(cfg, path)
    return path


def _only_run(runs: Path) -> Path:
    (run,) = list(runs.iterdir())
    return run


def test_nproc_2_trains_and_a_resumed_run_ends_where_an_uninterrupted_one_does(tmp_path: Path) -> None:
    whole = _cli(["train", str(_config(tmp_path, 2, "whole")), "--nproc", "2"], tmp_path)
    half = _cli(["train", str(_config(tmp_path, 1, "half")), "--nproc", "2"], tmp_path)
    code, out, err = _finish(whole)
    assert code == 0, err[-3000:]
    assert "epoch 2" in out and "completed after 2 epoch(s)" in out  # rank 0 prints, once
    assert out.count("epoch 1 ") == 1
    code, _, err = _finish(half)
    assert code == 0, err[-3000:]
    run_whole, run_half = _only_run(tmp_path / "whole"), _only_run(tmp_path / "half")
    assert read_metrics(run_whole)[0]["world_size"] == 2

    code, _, err = _finish(_cli(["resume", str(run_half), "--nproc", "2", "--epochs", "2"], tmp_path))
    assert code == 0, err[-3000:]
    epochs = [e for e in read_metrics(run_half) if e["event"] == "epoch"]
    assert [e["epoch"] for e in epochs] == [1, 2]
    final_whole = [e for e in read_metrics(run_whole) if e["event"] == "epoch"][-1]
    assert epochs[-1]["val_loss"] == final_whole["val_loss"] and epochs[-1]["val_acc"] == final_whole["val_acc"]
    a = ckpt.load_checkpoint(run_whole / "checkpoints" / "last.ckpt")["model"]
    b = ckpt.load_checkpoint(run_half / "checkpoints" / "last.ckpt")["model"]
    assert all(torch.equal(a[k], b[k]) for k in a), "the resumed weights are bitwise those of the whole run"


def test_a_rank_error_is_the_launcher_exit_2_with_its_message(tmp_path: Path) -> None:
    config = _config(tmp_path, 1)
    code, _, err = _finish(_cli(["train", str(config), "--nproc", "2", "--set", "data.batch_size=5000"], tmp_path))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("torchdesk-cli: error: data.batch_size = 5000 is larger than")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_nodes_on_localhost_meet_at_one_endpoint(tmp_path: Path) -> None:
    config = _config(tmp_path, 1)
    endpoint = f"127.0.0.1:{_free_port()}"
    nodes = [
        _cli(
            ["train", str(config), "--nproc", "1", "--nnodes", "2", "--node-rank", str(r), "--rdzv-endpoint", endpoint],
            tmp_path,
        )
        for r in (0, 1)
    ]
    results = [_finish(node) for node in nodes]
    assert [r[0] for r in results] == [0, 0], [r[2][-2000:] for r in results]
    assert "completed after 1 epoch(s)" in results[0][1] and not results[1][1].strip(), "node 0 holds rank 0"
    start = read_metrics(_only_run(tmp_path / "runs"))[0]
    assert start["world_size"] == 2


def test_ctrl_c_stops_every_rank_after_a_checkpoint(tmp_path: Path) -> None:
    config = _config(tmp_path, 50)
    launcher = _cli(["train", str(config), "--nproc", "2", "--set", "data.batch_size=8"], tmp_path)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        runs = list((tmp_path / "runs").glob("*/metrics.jsonl"))
        if runs and runs[0].read_text().count('"step"') >= 3:
            break
        time.sleep(0.5)
    launcher.send_signal(signal.SIGINT)
    code, _, err = _finish(launcher)
    assert code == 130, err[-3000:]
    run = _only_run(tmp_path / "runs")
    end = read_metrics(run)[-1]
    assert end["event"] == "end" and end["status"] == "stopped"
    assert ckpt.load_checkpoint(run / "checkpoints" / "last.ckpt")["progress"]["global_step"] >= 3


def _ranks_in(folder: Path) -> dict[int, int]:
    """{rank: pid} of the training processes started in ``folder`` (Linux /proc)."""
    ranks = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if proc.joinpath("cwd").resolve() != folder.resolve():
                continue
            env = dict(
                item.split(b"=", 1) for item in proc.joinpath("environ").read_bytes().split(b"\0") if b"=" in item
            )
        except OSError:
            continue
        if b"TORCHDESK_LAUNCH_DIR" in env and b"RANK" in env:
            ranks[int(env[b"RANK"])] = int(proc.name)
    return ranks


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="finds the ranks through /proc")
def test_a_crashed_rank_ends_the_run_and_leaves_no_process(tmp_path: Path) -> None:
    config = _config(tmp_path, 50)
    launcher = _cli(["train", str(config), "--nproc", "2", "--set", "data.batch_size=8"], tmp_path)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not list((tmp_path / "runs").glob("*/checkpoints/last.ckpt")):
        time.sleep(0.5)
    ranks = _ranks_in(tmp_path)
    assert set(ranks) == {0, 1}
    os.kill(ranks[1], signal.SIGKILL)
    code, _, err = _finish(launcher)
    assert code == 1 and "without reporting an error" in err
    assert not _ranks_in(tmp_path), "torchrun ended the other rank"
