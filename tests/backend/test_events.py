"""The event kinds of backend/core/events.py: the README lists them, the trainer emits them."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from backend.core.config import RunConfig, apply_overrides
from backend.core.events import COMMON_FIELDS, EVENTS, event_fields, events_markdown
from backend.engine.trainer import fit

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_lists_every_event_with_its_fields():
    assert events_markdown() in README.read_text(encoding="utf-8"), (
        "README.md's Events table differs from backend/core/events.py: paste events_markdown() there"
    )


def test_every_kind_has_a_description_and_its_own_fields():
    for kind, cls in EVENTS.items():
        assert cls.__doc__, kind
        required, optional = event_fields(kind)
        assert not (required & optional) and not (required | optional) & COMMON_FIELDS


def _check(event: dict) -> None:
    kind = event["event"]
    assert kind in EVENTS, f"undeclared event kind {kind!r}"
    required, optional = event_fields(kind)
    keys = set(event) - COMMON_FIELDS
    assert required <= keys, f"{kind} lacks {sorted(required - keys)}"
    assert keys <= required | optional, f"{kind} has undeclared {sorted(keys - required - optional)}"


@pytest.mark.parametrize(
    ("dataset", "extra"),
    [
        (
            "iris",
            ["train.early_stopping=true", "train.patience=1", "train.min_delta=1.0", "train.checkpoint_every_steps=3"],
        ),
        ("diabetes", ["loss.name='mse'", "train.epochs=2"]),
    ],
)
def test_the_trainer_emits_only_declared_events_with_their_fields(tmp_path: Path, dataset: str, extra: list[str]):
    overrides = [
        f"data.name='{dataset}'",
        "model.arch='mlp'",
        "model.hidden_sizes=[8]",
        "train.device='cpu'",
        "train.precision='fp32'",
        "train.epochs=4",
        "data.batch_size=16",
        *extra,
    ]
    events: list[dict] = []
    fit(apply_overrides(RunConfig(name=dataset), overrides), on_event=events.append, run_dir=tmp_path / "run")
    for event in events:
        _check(event)
        assert math.isfinite(event["elapsed_s"])
    kinds = {e["event"] for e in events}
    assert {"start", "step", "epoch", "checkpoint", "end"} <= kinds
    if dataset == "iris":
        assert "early_stop" in kinds  # min_delta 1: nothing improves after the first epoch


def test_a_diverged_run_emits_declared_events(tmp_path: Path):
    overrides = ["data.name='iris'", "model.hidden_sizes=[8]", "train.device='cpu'", "optim.lr=1e9", "train.epochs=2"]
    events: list[dict] = []
    fit(apply_overrides(RunConfig(name="div"), overrides), on_event=events.append, run_dir=tmp_path / "run")
    for event in events:
        _check(event)
    assert "diverged" in {e["event"] for e in events}
