"""torchdesk-cli: exit codes, one-line errors, progress output, Ctrl-C, resume and info."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from backend.cli.main import main
from backend.core.config import RunConfig, save_config
from backend.store.runs import read_metrics

pytestmark = pytest.mark.timeout(180)
EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "configs"


def _write(tmp_path: Path, **train: object) -> Path:
    cfg = RunConfig(name="cli")
    cfg.train.epochs = 2
    cfg.train.runs_dir = str(tmp_path / "runs")
    for key, value in train.items():
        setattr(cfg.train, key, value)
    path = tmp_path / "config.toml"
    save_config(cfg, path)
    return path


def _error_line(capsys: pytest.CaptureFixture) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_train_writes_run_dir_and_prints_plain_lines(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    run = tmp_path / "my-run"
    code = main(
        ["train", str(_write(tmp_path)), "--run-dir", str(run), "--set", "optim.lr=0.01", "--set", "train.epochs=3"]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "\r" not in out, "plain lines when stdout is not a terminal"
    assert out.count("\nepoch ") + out.startswith("epoch ") == 3
    assert "completed after 3 epoch(s)" in out
    assert (run / "checkpoints" / "last.ckpt").exists() and (run / "model.safetensors").exists()
    assert "lr = 0.01" in (run / "config.toml").read_text()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["train", "missing.toml"], "config file missing.toml does not exist"),
        (["train", "{cfg}", "--set", "optim.lr=-0.1"], "optim.lr must be > 0, got -0.1"),
        (["train", "{cfg}", "--set", "optim.lr"], "must look like section.key=value"),
        (["train", "{cfg}", "--set", "optimizer.lr=1"], "unknown section 'optimizer'"),
        (["train", "{cfg}", "--set", "train.colour=1"], "unknown key train.colour"),
        (["train", "{cfg}", "--set", "train.device='cuda:3'"], "no CUDA device is available"),
        (["train", "{cfg}", "--set", "data.name='mnist'"], "data.name must be one of digits"),
        (
            ["train", "{cfg}", "--set", "model.arch='simple_cnn'", "--set", "data.name='iris'"],
            "simple_cnn needs images",
        ),
        (["resume", "{tmp}/nowhere"], "does not exist"),
        (["resume", "{tmp}"], "has no checkpoints/last.ckpt"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture, args: list[str], expected: str
) -> None:
    cfg = _write(tmp_path)
    args = [a.format(cfg=cfg, tmp=tmp_path) for a in args]
    assert main(args) == 2
    assert expected in _error_line(capsys)


def test_invalid_toml_and_unreadable_checkpoint(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("name = [unclosed\n")
    assert main(["train", str(bad)]) == 2
    assert "is not valid TOML" in _error_line(capsys)
    junk = tmp_path / "junk.ckpt"
    junk.write_bytes(os.urandom(300))
    assert main(["resume", str(junk)]) == 2
    assert "not a readable PyTorch checkpoint" in _error_line(capsys)


# fast: a one-cycle schedule; both it and cosine are shaped by the run's length, and stretched to the new one
@pytest.mark.parametrize(("preset", "schedule"), [("default", "none"), ("fast", "onecycle"), ("default", "cosine")])
def test_resume_continues_a_finished_run_with_more_epochs(
    tmp_path: Path, capsys: pytest.CaptureFixture, preset: str, schedule: str
) -> None:
    run = tmp_path / "run"
    config = str(_write(tmp_path, preset=preset))
    assert main(["train", config, "--run-dir", str(run), "--set", f"schedule.name='{schedule}'"]) == 0
    assert "val_acc " in capsys.readouterr().out.splitlines()[-1]  # the end line: final (and best) accuracy
    assert main(["resume", str(run)]) == 2  # nothing left to train: says so, and how to train further
    line = _error_line(capsys)
    assert "already trained all its 2 epoch(s)" in line and "--epochs 4" in line
    assert main(["resume", str(run), "--epochs", "4"]) == 0
    assert "resuming at epoch 3" in capsys.readouterr().out
    epochs = [e for e in read_metrics(run) if e["event"] == "epoch"]
    assert [e["epoch"] for e in epochs] == [1, 2, 3, 4]
    if schedule == "onecycle":  # the cycle had ended (lr near 0); stretched over 4 epochs it rises again, then ends
        assert epochs[2]["lr"] > 100 * epochs[1]["lr"] and epochs[3]["lr"] < epochs[2]["lr"] / 100
    if schedule == "cosine":  # epochs 3 and 4 on the 4-epoch cosine, not the 2-epoch one's next period
        base = epochs[0]["lr"]
        assert [e["lr"] for e in epochs[2:]] == pytest.approx(
            [base * (1 + math.cos(math.pi * t / 4)) / 2 for t in (2, 3)]
        )


def test_nan_exits_1_and_names_the_checkpoint(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    cfg = _write(tmp_path, epochs=3)
    code = main(
        [
            "train",
            str(cfg),
            "--run-dir",
            str(tmp_path / "run"),
            "--set",
            "optim.name='sgd'",
            "--set",
            "optim.lr=1e6",
            "--set",
            "optim.momentum=0.0",
        ]
    )
    assert code == 1
    out = capsys.readouterr().out
    assert "diverged: the training loss" in out


def test_info_lists_versions_and_devices(capsys: pytest.CaptureFixture) -> None:
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "torch" in out and "cpu" in out and "bf16-mixed" in out
    assert main(["info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["devices"][0]["device"] == "cpu"


@pytest.mark.parametrize("name", ["digits-mlp", "digits-cnn", "iris-csv"])
def test_example_configs_run_as_they_are(tmp_path: Path, name: str) -> None:
    code = main(["train", str(EXAMPLES / f"{name}.toml"), "--run-dir", str(tmp_path / name), "--set", "train.epochs=2"])
    assert code == 0
    epochs = [e for e in read_metrics(tmp_path / name) if e["event"] == "epoch"]
    assert len(epochs) == 2 and epochs[-1]["val_acc"] > 0.5


def test_ctrl_c_saves_a_checkpoint_and_exits_130(tmp_path: Path) -> None:
    cfg = _write(tmp_path, epochs=200)
    run = tmp_path / "run"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend.cli", "train", str(cfg), "--run-dir", str(run)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (run / "checkpoints" / "last.ckpt").exists():
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert b"Traceback" not in err
    events = read_metrics(run)
    assert events[-1]["event"] == "end" and events[-1]["status"] == "stopped"
    last_step = max(e["step"] for e in events if e["event"] == "step")
    checkpoints = [e for e in events if e["event"] == "checkpoint"]
    assert checkpoints[-1]["step"] == last_step, "the stop checkpoint holds the last step done"
