"""End to end on real data: MNIST digits (shared/data/mnist-t10k) as an ImageFolder tree of
PNGs, trained from the command line the way a user would."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from backend.core.config import RunConfig, save_config
from backend.store.runs import read_metrics

pytestmark = pytest.mark.timeout(300)
MNIST = Path(__file__).resolve().parents[3] / "shared" / "data" / "mnist-t10k"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def png_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not MNIST.is_dir():
        pytest.skip(f"real MNIST files not found at {MNIST}")
    with gzip.open(MNIST / "t10k-images-idx3-ubyte.gz", "rb") as fh:
        images = np.frombuffer(fh.read(), dtype=np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(MNIST / "t10k-labels-idx1-ubyte.gz", "rb") as fh:
        labels = np.frombuffer(fh.read(), dtype=np.uint8, offset=8)
    root = tmp_path_factory.mktemp("mnist-png")
    for i in range(1500):
        split = "train" if i < 1200 else "val"
        folder = root / split / str(labels[i])
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(images[i], mode="L").save(folder / f"{i:05d}.png")
    return root


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "backend.cli", *args], cwd=REPO, capture_output=True, text=True, timeout=240
    )


def test_train_resume_and_inspect_real_digits(png_tree: Path, tmp_path: Path) -> None:
    cfg = RunConfig(name="mnist-e2e")
    cfg.data.source, cfg.data.root, cfg.data.batch_size = "image_folder", str(png_tree), 32
    cfg.data.augment = "light"
    cfg.model.arch, cfg.model.hidden_sizes = "simple_cnn", [64]
    cfg.optim.name, cfg.optim.lr = "adamw", 0.003
    cfg.train.epochs = 3
    config = tmp_path / "mnist.toml"
    save_config(cfg, config)
    run = tmp_path / "run"

    trained = _cli("train", str(config), "--run-dir", str(run))
    assert trained.returncode == 0, trained.stderr
    assert "completed after 3 epoch(s)" in trained.stdout
    epochs = [e for e in read_metrics(run) if e["event"] == "epoch"]
    assert epochs[-1]["val_acc"] > 0.85, f"real digits should be learnt: {epochs[-1]['val_acc']:.3f}"
    assert epochs[-1]["val_loss"] < epochs[0]["val_loss"]
    assert len(epochs[-1]["confusion"]) == 10

    resumed = _cli("resume", str(run), "--set", "train.epochs=4")
    assert resumed.returncode == 0, resumed.stderr
    assert [e["epoch"] for e in read_metrics(run) if e["event"] == "epoch"] == [1, 2, 3, 4]

    info = _cli("info", "--json")
    assert info.returncode == 0 and json.loads(info.stdout)["devices"][0]["device"] == "cpu"
