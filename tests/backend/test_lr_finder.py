"""The learning-rate range test: a sane suggestion on the digits MLP, the user's RNG untouched, the
suggestion rules, cancel, and ``torchdesk-cli lr-find`` (lr_find.csv, lr_find.png, the last line)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import numpy as np
import pytest
import sklearn.model_selection  # noqa: F401 - its import draws from Python's RNG: done before the states are taken
import torch

from backend.cli.main import main as cli
from backend.core.config import RunConfig, save_config
from backend.core.errors import ConfigError
from backend.engine.control import TrainControl
from backend.engine.lr_finder import MINIMUM, STEEPEST, loss_view, lr_range_test, suggest


def _config() -> RunConfig:
    config = RunConfig(name="lr")
    config.train.device, config.train.precision = "cpu", "fp32"
    return config


def test_digits_mlp_suggestion_is_sane_and_the_rng_is_untouched() -> None:
    torch.manual_seed(123)
    random.seed(123)
    np.random.seed(123)
    before = torch.get_rng_state(), random.getstate(), np.random.get_state()[1].copy()
    result = lr_range_test(_config())
    assert torch.equal(before[0], torch.get_rng_state())
    assert before[1] == random.getstate()
    assert np.array_equal(before[2], np.random.get_state()[1])
    assert 1e-4 <= result.suggestion <= 1.0
    assert result.rule == STEEPEST and "steepest" in result.rule_text
    assert "4 times" in result.stop_reason  # the loss diverged before lr 10
    assert len(result.lrs) == len(result.losses) == len(result.smoothed) > 20
    assert all(a < b for a, b in zip(result.lrs, result.lrs[1:], strict=False))


def test_suggestion_rules_on_made_up_curves() -> None:
    lrs = list(np.logspace(-6, 0, 13))
    falling = [2.0, 2.0, 1.99, 1.9, 1.5, 0.8, 0.5, 0.45, 0.44, 0.6, 1.5, 3.0, 9.0]
    lr, rule = suggest(lrs, falling)
    assert rule == STEEPEST and lr == lrs[4]  # where the smoothed loss falls fastest (central differences)
    lr, rule = suggest(lrs[:3], [1.0, 0.5, 3.0])
    assert rule == MINIMUM and lr == pytest.approx(lrs[1] / 10)
    low, high = loss_view(falling, falling)
    assert low < 0.44 and 2.0 < high < 9.0  # the blow-up at the end is left out of view


def test_cancel_and_bad_ranges() -> None:
    control = TrainControl()
    seen = []

    def on_point(point: dict) -> None:
        seen.append(point)
        if len(seen) == 3:
            control.request_stop()

    result = lr_range_test(_config(), steps=50, control=control, on_point=on_point)
    assert result.cancelled and len(result.lrs) == 3
    with pytest.raises(ConfigError, match="must rise"):
        lr_range_test(_config(), start_lr=1.0, end_lr=0.1)
    with pytest.raises(ConfigError, match="at least"):
        lr_range_test(_config(), steps=2)


def test_cli_lr_find_writes_the_curve_and_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    config = tmp_path / "c.toml"
    save_config(_config(), config)
    out = tmp_path / "out"
    assert cli(["lr-find", str(config), "--out", str(out), "--steps", "30", "--end-lr", "1"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("suggested lr: ") and float(last.split(": ")[1]) > 0
    rows = list(csv.DictReader((out / "lr_find.csv").open()))
    assert list(rows[0]) == ["step", "lr", "loss", "smoothed_loss"] and len(rows) >= 5
    assert (out / "lr_find.png").read_bytes().startswith(b"\x89PNG")
    assert cli(["lr-find", str(config), "--out", str(out)]) == 2
    assert "nothing is overwritten" in capsys.readouterr().err
