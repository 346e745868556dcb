"""Checkpoint loading refuses every bad file with a CheckpointError; wrapper prefixes; atomic writes."""

from __future__ import annotations

import io
import os
import pickle
import random

import pytest
import torch
from torch import nn

from backend.core.atomic import atomic_open, atomic_write_text, atomic_write_with
from backend.core.config import ModelConfig, RunConfig
from backend.core.errors import CheckpointError, TorchDeskError
from backend.engine.trainer import config_from_checkpoint, fit
from backend.models.registry import build_model
from backend.store.checkpoint import (
    load_checkpoint,
    load_model_state,
    save_checkpoint,
    strip_wrapper_prefixes,
    write_safetensors,
)

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def real_checkpoint(tmp_path_factory):
    """A checkpoint written by a real (tiny) run."""
    config = RunConfig(name="ckpt")
    config.data.name = "iris"
    config.data.batch_size = 16
    config.train.epochs = 1
    config.train.device = "cpu"
    config.train.precision = "fp32"
    run_dir = tmp_path_factory.mktemp("ckpt") / "run"
    end = fit(config, run_dir=run_dir)
    assert end["status"] == "completed"
    path = run_dir / "checkpoints" / "last.ckpt"
    assert path.stat().st_size > 1000
    return path


def test_real_checkpoint_loads(real_checkpoint):
    state = load_checkpoint(real_checkpoint)
    assert {"model", "config", "optimizer"} <= set(state)
    assert config_from_checkpoint(real_checkpoint).data.name == "iris"


def test_missing_file(tmp_path):
    path = tmp_path / "nope.ckpt"
    with pytest.raises(CheckpointError) as info:
        load_checkpoint(path)
    assert str(path) in str(info.value) and "does not exist" in str(info.value)


def test_folder_is_not_a_checkpoint(tmp_path):
    with pytest.raises(CheckpointError, match="does not exist"):
        load_checkpoint(tmp_path)


def test_zero_byte_file(tmp_path):
    path = tmp_path / "empty.ckpt"
    path.write_bytes(b"")
    with pytest.raises(CheckpointError, match=r"empty \(0 bytes\)"):
        load_checkpoint(path)


@pytest.mark.parametrize("fraction", [0.5, 0.1, 0.9, 0.99])
def test_truncated_real_checkpoint(real_checkpoint, tmp_path, fraction):
    data = real_checkpoint.read_bytes()
    path = tmp_path / "cut.ckpt"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(CheckpointError) as info:
        load_checkpoint(path)
    assert str(path) in str(info.value)
    assert "not a readable PyTorch checkpoint" in str(info.value)


def test_random_bytes(tmp_path):
    path = tmp_path / "random.ckpt"
    path.write_bytes(random.Random(0).randbytes(4096))
    with pytest.raises(CheckpointError) as info:
        load_checkpoint(path)
    assert str(path) in str(info.value)


def test_text_file_starting_with_a_non_opcode(tmp_path):
    path = tmp_path / "notes.ckpt"
    path.write_text("garbage text, not weights\n", encoding="utf-8")
    with pytest.raises(CheckpointError):
        load_checkpoint(path)


@pytest.mark.parametrize(
    "payload",
    [b".", b"h\x05.", b"\x80\x02h\x05.", b"these are not weights\n"],
    ids=["stop", "binget", "proto-binget", "text-file"],
)
def test_corrupt_pickle_opcodes_give_checkpoint_error(tmp_path, payload):
    path = tmp_path / "corrupt.ckpt"
    path.write_bytes(payload)
    with pytest.raises(CheckpointError):
        load_checkpoint(path)


def test_many_random_files_give_checkpoint_error(tmp_path):
    escaped = []
    for seed in range(300):
        rng = random.Random(seed)
        path = tmp_path / f"r{seed}.ckpt"
        path.write_bytes(rng.randbytes(rng.randint(1, 2000)))
        try:
            load_checkpoint(path)
        except CheckpointError:
            pass
        except Exception as exc:  # noqa: BLE001 - collecting what escapes
            escaped.append((seed, type(exc).__name__))
        else:
            escaped.append((seed, "loaded"))
    assert escaped == []


class _RunsCode:
    """Unpickling this would run a shell command (the classic pickle attack)."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def _evil_plain_pickle(path, marker):
    path.write_bytes(pickle.dumps({"model": {}, "config": {}, "x": _RunsCode(str(marker))}, protocol=2))


def _evil_torch_save(path, marker):
    torch.save({"model": {"w": torch.zeros(2)}, "config": {}, "payload": _RunsCode(str(marker))}, path)


@pytest.mark.parametrize("write", [_evil_plain_pickle, _evil_torch_save], ids=["plain-pickle", "torch-save"])
def test_pickle_that_runs_code_is_refused_without_running_it(tmp_path, write):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.ckpt"
    write(path, marker)
    assert not marker.exists()  # writing it does not run it
    with pytest.raises(CheckpointError) as info:
        load_checkpoint(path)
    assert str(path) in str(info.value)
    assert not marker.exists()


@pytest.mark.parametrize("write", [_evil_plain_pickle, _evil_torch_save], ids=["plain-pickle", "torch-save"])
def test_pickle_that_runs_code_is_reported_as_unsafe_not_corrupt(tmp_path, write):
    path = tmp_path / "evil.ckpt"
    write(path, tmp_path / "pwned")
    with pytest.raises(CheckpointError) as info:
        load_checkpoint(path)
    message = str(info.value)
    assert "contains Python code" in message and f"{os.system.__module__}.system" in message
    assert "refused" in message


def test_arbitrary_class_is_refused(tmp_path):
    path = tmp_path / "module.ckpt"
    torch.save({"model": nn.Linear(2, 2), "config": {}}, path)  # a whole module, not a state_dict
    with pytest.raises(CheckpointError, match="contains Python code"):
        load_checkpoint(path)


@pytest.mark.parametrize(
    "obj",
    [{"weights": torch.zeros(1)}, {"model": {}}, {"config": {}}, [1, 2, 3], torch.zeros(3)],
    ids=["no-model", "no-config", "no-model-2", "list", "tensor"],
)
def test_not_a_torchdesk_checkpoint(tmp_path, obj):
    path = tmp_path / "foreign.ckpt"
    torch.save(obj, path)
    with pytest.raises(CheckpointError, match="not a TorchDesk checkpoint"):
        load_checkpoint(path)


def test_checkpoint_errors_are_torchdesk_errors(tmp_path):
    with pytest.raises(TorchDeskError):
        load_checkpoint(tmp_path / "x.ckpt")


# --------------------------------------------------------------------------- wrapper prefixes
def _mlp() -> nn.Module:
    torch.manual_seed(0)
    return build_model(ModelConfig(hidden_sizes=[8]), (4,), 3)


@pytest.mark.parametrize("prefix", ["module.", "_orig_mod.", "_orig_mod.module.", "module._orig_mod."])
def test_wrapper_prefixes_load_into_a_plain_model(prefix):
    source = _mlp()
    wrapped = {prefix + k: v.clone() + 1 for k, v in source.state_dict().items()}
    assert all(k.startswith(prefix) for k in wrapped)
    stripped = strip_wrapper_prefixes(wrapped)
    assert set(stripped) == set(source.state_dict())
    target = _mlp()
    load_model_state(target, wrapped, "test")
    for key, value in target.state_dict().items():
        assert torch.equal(value, source.state_dict()[key] + 1)


def test_real_wrappers_load_into_a_plain_model():
    source = _mlp()
    data_parallel = nn.DataParallel(source)  # keys 'module.*' (works on the CPU without GPUs)
    assert all(k.startswith("module.") for k in data_parallel.state_dict())
    target = build_model(ModelConfig(hidden_sizes=[8]), (4,), 3)
    load_model_state(target, data_parallel.state_dict(), "dp")
    x = torch.randn(5, 4)
    assert torch.equal(target(x), source(x))


def test_strip_keeps_unprefixed_keys_and_inner_names():
    sd = {"0.weight": torch.zeros(1), "module.features.module.x": torch.ones(1)}
    assert set(strip_wrapper_prefixes(sd)) == {"0.weight", "features.module.x"}


def test_foreign_weights_give_a_readable_error():
    other = build_model(ModelConfig(hidden_sizes=[16, 16]), (4,), 3)
    with pytest.raises(CheckpointError) as info:
        load_model_state(_mlp(), other.state_dict(), "other.ckpt")
    assert "other.ckpt" in str(info.value) and "do not fit this model" in str(info.value)


# --------------------------------------------------------------------------- atomic writes
def test_atomic_write_keeps_old_file_when_writer_raises(tmp_path):
    path = tmp_path / "state.bin"
    path.write_bytes(b"old contents")

    def writer(fh):
        fh.write(b"new contents, half written")
        fh.flush()
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        atomic_write_with(path, writer)
    assert path.read_bytes() == b"old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.bin"]  # no temporary left behind


def test_atomic_text_write_keeps_old_file_on_keyboard_interrupt(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("old = 1\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), atomic_open(path, "w") as fh:
        fh.write("new = 2\n")
        raise KeyboardInterrupt
    assert path.read_text(encoding="utf-8") == "old = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


def test_save_checkpoint_failing_midway_keeps_previous_checkpoint(real_checkpoint, tmp_path):
    path = tmp_path / "last.ckpt"
    path.write_bytes(real_checkpoint.read_bytes())
    before = path.read_bytes()
    # torch.save starts writing the archive and then fails on an object it cannot pickle.
    bad_state = {"model": {"w": torch.randn(1000)}, "config": {}, "oops": lambda: None}
    with pytest.raises(Exception):  # noqa: B017 - pickling error type depends on the Python version
        save_checkpoint(path, bad_state)
    assert path.read_bytes() == before
    assert load_checkpoint(path)["config"]["data"]["name"] == "iris"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["last.ckpt"]


def test_atomic_write_replaces_and_keeps_mode(tmp_path):
    path = tmp_path / "x.txt"
    atomic_write_text(path, "one")
    assert path.read_text(encoding="utf-8") == "one"
    os.chmod(path, 0o640)
    atomic_write_text(path, "two")
    assert path.read_text(encoding="utf-8") == "two"
    assert path.stat().st_mode & 0o777 == 0o640


def test_atomic_write_creates_parent_folders(tmp_path):
    path = tmp_path / "a" / "b" / "c.bin"
    atomic_write_with(path, lambda fh: fh.write(b"ok"))
    assert path.read_bytes() == b"ok"


def test_save_and_load_round_trip(tmp_path):
    model = _mlp()
    state = {"model": model.state_dict(), "config": RunConfig().to_dict(), "epoch": 3}
    path = tmp_path / "ckpts" / "c.ckpt"
    save_checkpoint(path, state)
    loaded = load_checkpoint(path)
    assert loaded["epoch"] == 3
    assert all(torch.equal(loaded["model"][k], v) for k, v in model.state_dict().items())
    # weights_only=True reads it directly as well.
    assert torch.load(path, weights_only=True)["epoch"] == 3


def test_write_safetensors_with_metadata(tmp_path):
    from safetensors import safe_open

    model = _mlp()
    path = tmp_path / "model.safetensors"
    write_safetensors(path, model.state_dict(), {"torchdesk": '{"arch": "mlp"}'})
    with safe_open(str(path), framework="pt") as fh:
        assert fh.metadata() == {"torchdesk": '{"arch": "mlp"}'}
        assert set(fh.keys()) == set(model.state_dict())
        for key, value in model.state_dict().items():
            assert torch.equal(fh.get_tensor(key), value)


def test_load_checkpoint_map_location_cpu(real_checkpoint):
    state = load_checkpoint(real_checkpoint, map_location="cpu")
    assert all(t.device.type == "cpu" for t in state["model"].values())


def test_io_bytes_checkpoint_is_loadable_by_plain_torch(real_checkpoint):
    state = torch.load(io.BytesIO(real_checkpoint.read_bytes()), weights_only=True)
    assert isinstance(state["model"], dict)
