"""Show the code: the generated plain-PyTorch script compiles, imports no TorchDesk module, holds the
configured parts, refuses what it cannot express, and (slow) reproduces a run's validation accuracy."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from backend.artifacts.script_export import script_config, training_script, unsupported, write_script
from backend.cli.main import main as cli
from backend.core.config import RunConfig, apply_overrides, save_config
from backend.core.errors import ConfigError
from backend.engine.trainer import fit

ALLOWED_ROOTS = {"math", "os", "random", "pathlib", "csv", "functools", "collections", "json"}
ALLOWED_ROOTS |= {"torch", "torchvision", "numpy", "PIL", "sklearn"}
BASE = ["train.device='cpu'", "train.precision='fp32'", "train.epochs=2"]


def _config(*overrides: str) -> RunConfig:
    return apply_overrides(RunConfig(name="script"), [*BASE, *overrides])


def _imports(text: str) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ((), ["class MLP(nn.Module)", "load_digits", "torch.optim.AdamW(", "nn.CrossEntropyLoss("]),
        (
            (
                "model.arch='simple_cnn'",
                "optim.name='sgd'",
                "optim.nesterov=true",
                "schedule.name='onecycle'",
                "data.augment='standard'",
                "model.init='kaiming'",
                "train.grad_accum=2",
                "train.clip_grad_norm=1.0",
                "train.precision='bf16-mixed'",
                "train.early_stopping=true",
            ),
            [
                "class SimpleCNN(nn.Module)",
                "torch.optim.SGD(",
                "nesterov=True",
                "lr_scheduler.OneCycleLR(",
                "v2.RandomResizedCrop(",
                "v2.ColorJitter(",
                "kaiming_normal_",
                "GRAD_ACCUM = 2",
                "CLIP_GRAD_NORM = 1.0",
                "AMP_DTYPE = torch.bfloat16",
                "EARLY_STOPPING = True",
            ],
        ),
        (
            ("data.name='diabetes'", "loss.name='smooth_l1'", "schedule.name='warmup_cosine'"),
            ["load_diabetes", "RegressionLoss(nn.SmoothL1Loss())", "def warmup_cosine", "val_mae"],
        ),
        (
            ("model.arch='tv:resnet18'", "loss.name='focal'", "schedule.name='plateau'", "train.compile=true"),
            ['get_model("resnet18"', "class FocalLoss", "ReduceLROnPlateau(", "torch.compile(model)"],
        ),
        (
            ("data.source='csv'", "data.root='/data/t.csv'", "data.target='y'", "optim.name='rmsprop'"),
            ["def read_table", 'DATA_ROOT = "/data/t.csv"', 'TARGET = "y"', "torch.optim.RMSprop("],
        ),
        (
            ("data.source='image_folder'", "data.root='/data/pics'", "data.normalize='imagenet'"),
            ["datasets.ImageFolder(", "0.485, 0.456, 0.406", 'DATA_ROOT = "/data/pics"'],
        ),
    ],
)
def test_script_compiles_with_the_configured_parts(overrides: tuple[str, ...], expected: list[str]) -> None:
    text = training_script(_config(*overrides))
    compile(text, "train.py", "exec")
    assert _imports(text) <= ALLOWED_ROOTS, _imports(text) - ALLOWED_ROOTS
    assert "backend" not in _imports(text)
    for part in expected:
        assert part in text, part


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ("model.arch='file:net.py:Net'", "model.arch"),
        ("data.name='shapes'", "data.name"),
        ("model.weights='w.safetensors'", "model.weights"),
        ("model.freeze_backbone=true", "model.freeze_backbone"),
    ],
)
def test_what_a_script_cannot_express_is_refused_naming_the_field(override: str, field: str) -> None:
    config = _config(override)
    assert unsupported(config).field == field
    with pytest.raises(ConfigError) as info:
        training_script(config)
    assert info.value.field == field and field in str(info.value)


def test_cli_script_from_a_config_and_a_run_folder(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    config_path = tmp_path / "c.toml"
    save_config(_config("data.name='iris'"), config_path)
    assert cli(["script", str(config_path), "--out", str(tmp_path / "train.py")]) == 0
    assert "load_iris" in (tmp_path / "train.py").read_text()
    assert cli(["script", str(config_path), "--out", str(tmp_path / "train.py")]) == 2  # never overwritten
    assert "--force" in capsys.readouterr().err
    run = tmp_path / "run"
    run.mkdir()
    save_config(_config("data.name='wine'"), run / "config.toml")
    assert script_config(run).data.name == "wine"
    bad = tmp_path / "bad.toml"
    save_config(_config("model.arch='file:net.py:Net'"), bad)
    assert cli(["script", str(bad), "--out", str(tmp_path / "x.py")]) == 2
    assert "model.arch" in capsys.readouterr().err
    assert not (tmp_path / "x.py").exists()


# ----------------------------------------------------------------------------- reproduction (slow)
def _make_images(root: Path) -> None:
    """Three classes of 16x16 PNGs: a bright bar in a class-specific place, on noise."""
    from PIL import Image

    rng = np.random.default_rng(0)
    for label, name in enumerate(("left", "middle", "right")):
        (root / name).mkdir(parents=True)
        for i in range(40):
            pixels = rng.integers(0, 120, (16, 16, 3), dtype=np.uint8)
            pixels[:, 2 + label * 5 : 5 + label * 5] = 230
            Image.fromarray(pixels).save(root / name / f"{i:03}.png")


def _make_csv(path: Path) -> None:
    """The wine table with a text column and a few missing cells."""
    from sklearn.datasets import load_wine

    raw = load_wine()
    lines = [",".join([*raw.feature_names, "cellar", "cultivar"])]
    for i, (row, target) in enumerate(zip(raw.data, raw.target, strict=True)):
        cells = [f"{v:g}" for v in row]
        if i % 17 == 0:
            cells[3] = ""
        lines.append(",".join([*cells, ("north", "south", "")[i % 3], f"c{target}"]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _last_val_acc(run_dir: Path) -> float:
    lines = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    return [e for e in lines if e["event"] == "epoch"][-1]["val_acc"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["builtin", "image_folder", "csv"])
def test_generated_script_reaches_the_runs_validation_accuracy(kind: str, tmp_path: Path) -> None:
    overrides = {
        "builtin": ["data.name='digits'", "train.epochs=3"],
        "image_folder": ["data.source='image_folder'", "model.arch='simple_cnn'", "data.batch_size=16"],
        "csv": ["data.source='csv'", "data.target='cultivar'", "data.batch_size=16", "train.epochs=4"],
    }[kind]
    if kind == "image_folder":
        _make_images(tmp_path / "pics")
        overrides.append(f"data.root='{tmp_path / 'pics'}'")
    if kind == "csv":
        _make_csv(tmp_path / "wine.csv")
        overrides.append(f"data.root='{tmp_path / 'wine.csv'}'")
    config = _config(*overrides)
    end = fit(config, run_dir=tmp_path / "run")
    assert end["status"] == "completed"
    folder = tmp_path / "empty"
    folder.mkdir()
    write_script(config, folder / "train.py")
    done = subprocess.run(
        [sys.executable, "train.py"], cwd=folder, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    name, value = done.stdout.strip().splitlines()[-1].split()
    assert name == "val_acc"
    assert abs(float(value) - _last_val_acc(tmp_path / "run")) <= 0.01
    assert (folder / "checkpoints" / "last.pt").is_file()
