"""model_summary: layers table, parameter counts, output shape, memory estimate, and the
dataset/model mismatches it reports before training."""

from __future__ import annotations

import pytest
import torch
from torch import nn

import backend.models.registry as registry
from backend.core.config import RunConfig, apply_overrides
from backend.core.errors import ModelError
from backend.engine.model_summary import format_summary, model_summary

pytestmark = pytest.mark.timeout(120)
MB = 2**20


def make_config(*overrides: str) -> RunConfig:
    return apply_overrides(RunConfig(name="summary"), ["model.width=8", "model.hidden_sizes=[16]", *overrides])


def _built(config: RunConfig, shape, outputs) -> nn.Module:
    torch.manual_seed(0)
    return registry.build_model(config.model, shape, outputs)


@pytest.mark.parametrize(
    ("arch", "shape", "outputs"),
    [
        ("mlp", (4,), 3),
        ("simple_cnn", (1, 8, 8), 10),
        ("vgg_small", (3, 32, 32), 100),
        ("resnet18_small", (1, 28, 28), 10),
        ("tv:mobilenet_v3_small", (1, 28, 28), 10),
        ("tv:vit_b_32", (3, 32, 32), 7),
    ],
)
def test_parameter_counts_and_output_shape(arch, shape, outputs):
    config = make_config(f"model.arch='{arch}'")
    summary = model_summary(config, shape, outputs)
    model = _built(config, shape, outputs)
    total = sum(p.numel() for p in model.parameters())
    assert summary["total_params"] == total
    assert summary["trainable_params"] == total and summary["frozen_params"] == 0
    assert sum(row["params"] for row in summary["layers"]) == total  # every parameter sits in exactly one row
    assert summary["output_shape"] == [outputs]
    assert summary["input_shape"] == list(shape)
    assert summary["layers"][-1]["output_shape"] in ([-1, outputs], None)
    assert all({"name", "type", "output_shape", "params"} <= set(row) for row in summary["layers"])


def test_layers_table_follows_the_forward():
    summary = model_summary(make_config("model.arch='simple_cnn'"), (1, 8, 8), 10)
    rows = [(r["name"], r["type"], r["output_shape"], r["params"]) for r in summary["layers"]]
    assert rows[0] == ("features.0", "Conv2d", [-1, 32, 8, 8], 1 * 32 * 9 + 32)
    assert rows[1] == ("features.1", "MaxPool2d", [-1, 32, 4, 4], 0)  # ReLU's pool goes first: see activation_pool
    assert rows[-1] == ("classifier.4", "Linear", [-1, 10], 16 * 10 + 10)


def test_vit_rows_include_embeddings_and_the_resize():
    summary = model_summary(make_config("model.arch='tv:vit_b_32'"), (1, 28, 28), 10)
    assert summary["resize_to"] == [32, 32]
    types = {row["name"]: row["type"] for row in summary["layers"]}
    assert types["net.encoder"] == "Encoder"  # holds the position embedding itself
    assert types["net.heads.head"] == "Linear"


def test_memory_estimate_counts_params_grads_optimizer_and_activations():
    config = make_config("model.arch='mlp'", "data.batch_size=64", "optim.name='adamw'")
    summary = model_summary(config, (4,), 3)
    mem = summary["memory_mb"]
    total = summary["total_params"]
    assert mem["params"] == pytest.approx(total * 4 / MB, rel=1e-3)
    assert mem["grads"] == pytest.approx(total * 4 / MB, rel=1e-3)
    assert mem["optimizer"] == pytest.approx(2 * total * 4 / MB, rel=1e-3)  # AdamW: two moments
    assert mem["batch"] == pytest.approx(64 * 4 * 4 / MB, rel=1e-3)
    assert mem["activations"] > 0
    assert mem["total"] == pytest.approx(sum(v for k, v in mem.items() if k != "total"), abs=0.01)
    sgd = model_summary(make_config("model.arch='mlp'", "optim.name='sgd'", "optim.momentum=0.0"), (4,), 3)
    assert sgd["memory_mb"]["optimizer"] == 0


def test_activations_scale_with_the_batch_size():
    small = model_summary(make_config("model.arch='vgg_small'", "data.batch_size=32"), (3, 32, 32), 10)
    large = model_summary(make_config("model.arch='vgg_small'", "data.batch_size=128"), (3, 32, 32), 10)
    assert large["memory_mb"]["activations"] == pytest.approx(4 * small["memory_mb"]["activations"], rel=1e-6)
    # Saved activations of a conv net at 32x32 dwarf a 128-sample input batch.
    assert large["memory_mb"]["activations"] > 10 * large["memory_mb"]["batch"]


def test_frozen_backbone_is_counted():
    summary = model_summary(make_config("model.arch='resnet18_small'", "model.freeze_backbone=true"), (1, 8, 8), 10)
    head = 8 * 8 * 10 + 10  # fc: 64 features -> 10 classes
    assert summary["head_params"] == head
    assert summary["trainable_params"] == head
    assert summary["frozen_params"] == summary["total_params"] - head
    assert summary["memory_mb"]["grads"] == pytest.approx(head * 4 / MB, rel=1e-3)


def test_weights_report_is_included(tmp_path):
    config = make_config("model.arch='mlp'")
    torch.save(_built(config, (4,), 3).state_dict(), tmp_path / "w.pth")
    summary = model_summary(make_config("model.arch='mlp'", f"model.weights='{tmp_path / 'w.pth'}'"), (4,), 5)
    assert summary["weights"]["loaded"] == 2  # the hidden layer; the head has 5 outputs now
    assert "the new head keeps its initialisation" in summary["weights"]["message"]


def test_image_model_on_tabular_data_names_model_and_shape():
    with pytest.raises(ModelError) as info:
        model_summary(make_config("model.arch='simple_cnn'", "data.name='iris'"), (4,), 3)
    assert "simple_cnn" in str(info.value) and "(4,)" in str(info.value)


def test_forward_failure_names_model_and_dataset(monkeypatch):
    monkeypatch.setattr(registry, "build_model", lambda cfg, shape, n: nn.Linear(5, n))
    with pytest.raises(ModelError) as info:
        model_summary(make_config("data.name='iris'"), (4,), 3)
    assert str(info.value).startswith("model mlp cannot process samples of shape (4,) from dataset 'iris': ")


def test_wrong_number_of_outputs_names_both(monkeypatch):
    monkeypatch.setattr(registry, "build_model", lambda cfg, shape, n: nn.Linear(4, 2))
    with pytest.raises(ModelError) as info:
        model_summary(make_config("data.name='iris'"), (4,), 3)
    assert str(info.value) == (
        "model mlp outputs shape (2,) per sample for samples of shape (4,) from dataset "
        "'iris', which needs 3 output(s) per sample"
    )


def test_format_summary_is_a_readable_table():
    text = format_summary(model_summary(make_config("model.arch='mlp'"), (4,), 3))
    assert text.splitlines()[0].split() == ["layer", "type", "output", "shape", "params"]
    assert "parameters: " in text and "memory for one training step at batch 64" in text
