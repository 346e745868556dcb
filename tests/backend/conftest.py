"""Fixtures shared by the backend tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from backend.core.config import RunConfig, apply_overrides
from backend.engine.trainer import fit

# Small trained runs that the artifact tests share (each trained once per session, on first use).
ARTIFACT_RUNS = {
    "digits-mlp": ["data.name='digits'", "model.arch='mlp'", "model.hidden_sizes=[1024, 1024]"],
    "digits-cnn": ["data.name='digits'", "model.arch='simple_cnn'", "model.hidden_sizes=[64]"],
    "diabetes": [
        "data.name='diabetes'",
        "model.arch='mlp'",
        "model.hidden_sizes=[32]",
        "loss.name='mse'",
        "train.epochs=5",
        "optim.lr=0.01",
    ],
    "iris": ["data.name='iris'", "model.arch='mlp'", "model.hidden_sizes=[16]", "data.batch_size=16"],
}


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``trained_run(name, overrides=None)`` -> the run folder of ARTIFACT_RUNS[name] (or of the given
    ``--set`` style overrides), trained on first use."""

    def get(name: str, overrides: list[str] | None = None) -> Path:
        run = tmp_path_factory.getbasetemp() / "artifact-runs" / name
        if not (run / "checkpoints" / "best.ckpt").exists():
            base = [
                "train.epochs=2",
                "train.device='cpu'",
                "train.precision='fp32'",
                "data.batch_size=64",
                "optim.lr=0.002",
            ]
            config = apply_overrides(RunConfig(name=name), base + ARTIFACT_RUNS.get(name, []) + (overrides or []))
            assert fit(config, run_dir=run)["status"] == "completed"
        return run

    return get


@pytest.fixture
def one_thread() -> Iterator[None]:
    """One intra-op thread for a timed or many-step test (W2: precision cost, batch probe): on a CPU shared
    with other work, two threads' barrier waits, not the arithmetic, set a small step's time (0.45 s for fp32
    and bf16 alike, measured), so ratios say nothing and tiny steps take long."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
