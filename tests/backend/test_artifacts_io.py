"""Artifacts: save in every format and load back (same outputs), format detection by content,
load reports (strict / partial / prefixes), and a clear CheckpointError for every bad file."""

from __future__ import annotations

import os
import pickle
import random
import time
from pathlib import Path

import pytest
import torch
from torch import nn

from backend.artifacts.formats import detect_format
from backend.artifacts.load import compare_state_dict, load_weights_into
from backend.artifacts.model_io import LoadedModel, load_model, read_state_dict
from backend.artifacts.save import save_model
from backend.core.errors import CheckpointError

pytestmark = pytest.mark.timeout(300)

# The runs the artifact tests share (trained once per session, whichever test file asks first).


@pytest.fixture(scope="module")
def mlp_run(trained_run):
    return trained_run("digits-mlp")


@pytest.fixture(scope="module")
def cnn_run(trained_run):
    return trained_run("digits-cnn")


@pytest.fixture(scope="module")
def mlp(mlp_run):
    return load_model(mlp_run)


def _inputs(loaded: LoadedModel, n: int = 16) -> torch.Tensor:
    return torch.randn(n, *loaded.input_shape, generator=torch.Generator().manual_seed(1))


def _outputs(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return model(x)


def test_run_folder_loads_best_checkpoint_with_config(mlp, mlp_run):
    assert mlp.source == mlp_run / "checkpoints" / "best.ckpt"
    assert mlp.format == "torch" and mlp.checkpoint is not None
    assert mlp.config is not None and mlp.config.model.hidden_sizes == [1024, 1024]
    assert mlp.class_names == [str(i) for i in range(10)] and mlp.input_shape == (1, 8, 8)
    assert not mlp.model.training


def test_trainer_weights_file_loads_with_the_run_config(mlp, mlp_run):
    weights = load_model(mlp_run / "model.safetensors")
    assert weights.format == "safetensors" and weights.config is not None  # config.toml beside it
    x = _inputs(mlp)
    assert torch.equal(_outputs(weights.model, x), _outputs(mlp.model, x))


@pytest.mark.parametrize("fmt", ["pth", "safetensors", "ckpt", "torchscript"])
def test_save_load_round_trip_gives_the_same_outputs(mlp, tmp_path, fmt):
    result = save_model(mlp, fmt, tmp_path / f"model.{fmt}")
    assert Path(result.path).stat().st_size == result.size_bytes > 1_000_000
    back = load_model(result.path)
    x = _inputs(mlp)
    diff = (_outputs(back.model, x) - _outputs(mlp.model, x)).abs().max().item()
    assert diff <= (1e-6 if fmt == "torchscript" else 0.0)
    assert back.class_names == mlp.class_names and back.config.to_dict() == mlp.config.to_dict()
    assert back.meta["preprocess"]["kind"] == "image"
    assert not list(tmp_path.glob(".*.tmp")), "atomic writes leave no temporary files"


def test_pth_is_a_weights_only_dict_with_metadata(mlp, tmp_path):
    path = Path(save_model(mlp, "pth", tmp_path / "w.pth").path)
    raw = torch.load(path, weights_only=True)
    assert raw["format"] == "torchdesk-weights/1"
    assert raw["torchdesk_meta"]["model"]["arch"] == "mlp"
    assert set(raw["state_dict"]) == set(mlp.model.state_dict())


def test_saved_checkpoint_is_resumable(mlp, tmp_path):
    from backend.store.checkpoint import load_checkpoint

    path = save_model(mlp, "ckpt", tmp_path / "copy.ckpt").path
    state = load_checkpoint(path)
    assert {"optimizer", "rng", "progress", "config"} <= set(state)
    assert state["epoch"] == mlp.checkpoint["epoch"]


def test_ckpt_needs_a_training_checkpoint(mlp, mlp_run, tmp_path):
    weights = load_model(mlp_run / "model.safetensors")
    with pytest.raises(CheckpointError, match="resumable .ckpt needs a training checkpoint"):
        save_model(weights, "ckpt", tmp_path / "x.ckpt")


def test_default_name_has_run_name_and_date(mlp, mlp_run):
    result = save_model(mlp, "safetensors")
    path = Path(result.path)
    assert path.parent == mlp_run / "exports"
    assert path.name.startswith("digits-mlp-safetensors-") and time.strftime("%Y%m%d") in path.name
    assert path.suffix == ".safetensors"


def test_pickled_full_model_needs_trust(mlp, tmp_path):
    result = save_model(mlp, "pickle", tmp_path / "full.pkl.pth")
    assert any("trusted sources" in n for n in result.notes)
    with pytest.raises(CheckpointError, match="trust its source"):
        load_model(result.path)
    with pytest.raises(CheckpointError, match="trust its source"):
        load_weights_into(load_model_copy(mlp), result.path)
    assert load_weights_into(load_model_copy(mlp), result.path, trusted=True).ok
    trusted = load_model(result.path, trusted=True)
    assert trusted.format == "pickle" and trusted.meta["arch"] == "mlp"
    x = _inputs(mlp)
    assert torch.equal(_outputs(trusted.model, x), _outputs(mlp.model, x))


def test_detect_format_by_content_not_extension(mlp, tmp_path):
    files = {
        "torch": save_model(mlp, "pth", tmp_path / "a.bin").path,
        "safetensors": save_model(mlp, "safetensors", tmp_path / "b.bin").path,
        "torchscript": save_model(mlp, "torchscript", tmp_path / "c.bin").path,
    }
    for kind, path in files.items():
        assert detect_format(path) == kind
    assert load_model(files["safetensors"]).format == "safetensors"  # a .bin name does not matter


def test_from_module_works_on_a_copy(mlp):
    live = mlp.model.train()
    wrapped = LoadedModel.from_module(live, mlp.meta, mlp.config)
    assert wrapped.model is not live and not wrapped.model.training
    with torch.no_grad():
        wrapped.model[1].weight.zero_()
    assert live[1].weight.abs().sum() > 0
    mlp.model.eval()


# ----------------------------------------------------------------------------- load reports
def test_strict_load_report_and_prefixes(mlp):
    state = {f"module._orig_mod.{k}": v for k, v in mlp.model.state_dict().items()}
    target = load_model_copy(mlp)
    report = load_weights_into(target, state, strict=True, device="cpu")
    assert report.ok and report.loaded and report.prefixes_removed == ["module."]
    assert len(report.matched) == len(state) and report.device == "cpu"


def load_model_copy(mlp: LoadedModel) -> nn.Module:
    import copy

    model = copy.deepcopy(mlp.model)
    for p in model.parameters():
        p.data.zero_()
    return model


def test_partial_load_lists_missing_unexpected_and_mismatched(mlp):
    state = dict(mlp.model.state_dict())
    state.pop("1.bias")
    state["extra.weight"] = torch.zeros(3)
    state["5.weight"] = torch.zeros(3, 3)
    target = load_model_copy(mlp)
    before = target.state_dict()["1.bias"].clone()
    with pytest.raises(CheckpointError, match="do not fit this model"):
        load_weights_into(target, state, strict=True)
    assert float(target.state_dict()["1.weight"].abs().sum()) == 0, "a refused strict load changes nothing"
    report = load_weights_into(target, state, strict=False)
    assert report.missing == ["1.bias"] and report.unexpected == ["extra.weight"]
    assert [m.key for m in report.mismatched] == ["5.weight"]
    assert report.mismatched[0].file_shape == (3, 3) and report.mismatched[0].model_shape == (10, 1024)
    assert torch.equal(target.state_dict()["1.weight"], mlp.model.state_dict()["1.weight"])  # fitting keys loaded
    assert torch.equal(target.state_dict()["1.bias"], before)  # the missing one kept
    table = report.table()
    assert "shape mismatch" in table and "missing" in table and "unexpected" in table
    assert report.to_dict()["ok"] is False


def test_weights_of_another_architecture(mlp, cnn_run, tmp_path):
    cnn = load_model(cnn_run)
    target = load_model_copy(mlp)
    with pytest.raises(CheckpointError, match="do not fit this model|none of the tensors"):
        load_weights_into(target, cnn_run / "model.safetensors", strict=True)
    assert all(float(p.detach().abs().sum()) == 0 for p in target.parameters()), "a failed load changes nothing"
    # A file whose metadata says mlp but whose tensors are the CNN's
    import json

    from backend.store.checkpoint import write_safetensors

    bad = tmp_path / "mixed.safetensors"
    write_safetensors(bad, cnn.model.state_dict(), {"torchdesk": json.dumps(mlp.meta | {"config": None})})
    with pytest.raises(CheckpointError, match="weights of another architecture"):
        load_model(bad)
    assert compare_state_dict(mlp.model, cnn.model.state_dict()).ok is False


# ----------------------------------------------------------------------------- bad files
def test_missing_empty_and_folder(tmp_path):
    with pytest.raises(CheckpointError, match="does not exist"):
        load_model(tmp_path / "nope.pth")
    (tmp_path / "empty.safetensors").write_bytes(b"")
    with pytest.raises(CheckpointError, match=r"empty \(0 bytes\)"):
        load_model(tmp_path / "empty.safetensors")
    with pytest.raises(CheckpointError, match="holds no checkpoints"):
        load_model(tmp_path)


@pytest.mark.parametrize("fmt", ["pth", "safetensors", "ckpt", "torchscript"])
@pytest.mark.parametrize("fraction", [0.5, 0.02])
def test_truncated_files(mlp, tmp_path, fmt, fraction):
    data = Path(save_model(mlp, fmt, tmp_path / f"full.{fmt}").path).read_bytes()
    path = tmp_path / f"cut.{fmt}"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(CheckpointError, match="truncated|corrupted") as info:
        load_model(path)
    assert str(path) in str(info.value)


def test_random_bytes_and_text(tmp_path):
    escaped = []
    for seed in range(60):
        rng = random.Random(seed)
        path = tmp_path / f"r{seed}.pth"
        payload = rng.randbytes(rng.randint(1, 3000))
        if seed % 4 == 0:
            payload = bytes([0x80]) + payload  # looks like a pickle
        elif seed % 4 == 1:
            payload = b"PK\x03\x04" + payload  # looks like a zip
        elif seed % 4 == 2:
            payload = bytes([0x08]) + payload  # looks like ONNX
        path.write_bytes(payload)
        try:
            load_model(path)
        except CheckpointError:
            continue
        except Exception as exc:  # noqa: BLE001 - collecting what escapes
            escaped.append((seed, type(exc).__name__, str(exc)[:80]))
        else:
            escaped.append((seed, "loaded", ""))
    assert escaped == []
    (tmp_path / "notes.safetensors").write_text("not weights at all\n")
    with pytest.raises(CheckpointError, match="not a model file"):
        load_model(tmp_path / "notes.safetensors")


class _RunsCode:
    """Unpickling this would create a folder (the classic pickle attack, harmless here)."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return os.mkdir, (self.marker,)


@pytest.mark.parametrize("writer", ["torch.save", "pickle.dumps"])
def test_pickle_that_runs_code_is_never_executed(tmp_path, writer):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pth"
    payload = {"state_dict": {"w": torch.zeros(2)}, "x": _RunsCode(str(marker))}
    if writer == "torch.save":
        torch.save(payload, path)
    else:
        path.write_bytes(pickle.dumps(payload, protocol=2))
    for call in (
        lambda: load_model(path),
        lambda: read_state_dict(path),
        lambda: load_weights_into(nn.Linear(2, 2), path, strict=False),
    ):
        with pytest.raises(CheckpointError, match="contains Python code") as info:
            call()
        assert not marker.exists()
    assert str(path) in str(info.value)
    from backend.artifacts.predict import Predictor

    with pytest.raises(CheckpointError):
        Predictor.open(path)
    assert not marker.exists()


def test_plain_state_dict_without_metadata(mlp, tmp_path):
    path = tmp_path / "plain.pth"
    torch.save(mlp.model.state_dict(), path)
    with pytest.raises(CheckpointError, match="no TorchDesk metadata"):
        load_model(path)
    report = load_weights_into(load_model_copy(mlp), path)  # it still loads into a model of that architecture
    assert report.ok
