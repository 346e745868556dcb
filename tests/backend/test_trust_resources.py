"""Resource bombs: decompression-bomb images, huge images among small ones, models and sizes
that cannot fit in memory. Each is refused with a message naming the file or the field, before
anything big is allocated, and never shows up as an internal error."""

from __future__ import annotations

import resource
import struct
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from backend.cli.main import main
from backend.core import messages
from backend.core.config import ModelConfig, RunConfig, apply_overrides
from backend.core.errors import ConfigError, DataError, ModelError
from backend.data import build_data
from backend.data.image_io import AUTO_IMAGE_SIDE_MAX, MAX_IMAGE_PIXELS, load_image
from backend.data.summary import dataset_summary
from backend.models.registry import build_model


def forged_png(path: Path, width: int, height: int) -> Path:
    """A PNG whose header declares width x height grey pixels, with a few rows of real data (a
    decompression bomb needs nothing more to be refused at open; the file stays a few hundred bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = zlib.compress(b"\x00" * (width + 1) * 4, 9)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b""))
    return path


def image_folder(root: Path, per_class: int = 12, size: int = 28) -> Path:
    rng = np.random.default_rng(0)
    for c, name in enumerate(("a", "b")):
        (root / name).mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            pixels = rng.integers(0, 100, (size, size), dtype=np.uint8) + np.uint8(c * 120)
            Image.fromarray(pixels, mode="L").save(root / name / f"{i:03d}.png")
    return root


def config_file(tmp_path: Path, root: Path, **extra: str) -> Path:
    lines = [
        'name = "bombs"',
        "[data]",
        'source = "image_folder"',
        f'root = "{root.as_posix()}"',
        "batch_size = 8",
        "[model]",
        'arch = "mlp"',
        "hidden_sizes = [16]",
        "[train]",
        "epochs = 1",
        f'runs_dir = "{(tmp_path / "runs").as_posix()}"',
    ]
    path = tmp_path / "run.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def bomb(tmp_path: Path) -> Path:
    path = forged_png(tmp_path / "bomb.png", 20000, 20000)
    assert path.stat().st_size < 2000
    with pytest.raises(Image.DecompressionBombError):  # a real bomb for PIL, not just a broken file
        Image.open(path)
    return path


def test_pil_only_warns_between_its_limit_and_twice_it_but_we_refuse(tmp_path: Path) -> None:
    big = forged_png(tmp_path / "big.png", 12000, 12000)
    with pytest.warns(Image.DecompressionBombWarning), Image.open(big):
        pass
    with pytest.raises(DataError) as info:
        load_image(big, (28, 28), "L")
    assert str(info.value) == messages.ERR_IMAGE_TOO_LARGE.format(
        name="big.png", width=12000, height=12000, megapixels=144.0, limit=MAX_IMAGE_PIXELS / 1e6
    )
    assert "12000x12000 pixels (144.0 MP), above the 89.5 MP limit" in str(info.value)


def test_bomb_is_refused_with_its_declared_size(bomb: Path) -> None:
    with pytest.raises(DataError, match=r"bomb.png is 20000x20000 pixels \(400.0 MP\), above the 89.5 MP limit"):
        load_image(bomb, None, "RGB")
    assert Image.MAX_IMAGE_PIXELS is not None  # PIL's own guard is left in place


def test_training_skips_and_counts_bombs_and_picks_the_common_size(
    tmp_path: Path, bomb: Path, capsys: pytest.CaptureFixture
) -> None:
    root = image_folder(tmp_path / "images")
    bomb.rename(root / "a" / "bomb.png")
    forged_png(root / "b" / "huge.png", 12000, 12000)
    # First in sorted order, and legal: it must not set the size of every image.
    Image.new("L", (300, 200), 50).save(root / "a" / "000-first.png")
    data = build_data(
        apply_overrides(RunConfig(), [f"data.root='{root.as_posix()}'", "data.source='image_folder'"]).data, 0
    )
    assert data.input_shape == (1, 28, 28)
    assert len(data.y_train) + len(data.y_val) == 25  # 24 small + the 300x200 one, resized
    assert data.warnings == [messages.IMAGES_SKIPPED.format(count=2, root=root.as_posix())]

    code = main(["train", str(config_file(tmp_path, root)), "--run-dir", str(tmp_path / "run")])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "2 unreadable or corrupt image file(s)" in out and "internal error" not in err
    assert (tmp_path / "run" / "model.safetensors").is_file()

    summary = dataset_summary(
        apply_overrides(RunConfig(), [f"data.root='{root.as_posix()}'", "data.source='image_folder'"]).data
    )
    assert summary["input_shape"] == [1, 28, 28]
    assert summary["notes"] == [messages.SUMMARY_IMAGES_SKIPPED.format(count=2, checked=27, root=root.as_posix())]

    # Predicting on the bomb: one line naming the file and its size, exit 2; a good image still works.
    good = root / "a" / "001.png"
    assert main(["predict", str(tmp_path / "run"), str(good)]) == 0
    capsys.readouterr()
    assert main(["predict", str(tmp_path / "run"), str(root / "a" / "bomb.png")]) == 2
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and err.startswith("torchdesk-cli: error: ")
    assert "bomb.png is 20000x20000 pixels (400.0 MP), above the 89.5 MP limit for images; resize it" in err


def test_a_folder_of_only_bombs_is_a_data_error(tmp_path: Path, bomb: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / "only" / name).mkdir(parents=True)
        for i in range(3):
            forged_png(tmp_path / "only" / name / f"{i}.png", 30000, 30000)
    cfg = apply_overrides(RunConfig(), [f"data.root='{(tmp_path / 'only').as_posix()}'", "data.source='image_folder'"])
    with pytest.raises(DataError, match="none of the first images"):
        build_data(cfg.data, 0)
    with pytest.raises(DataError, match="none of the first images"):
        dataset_summary(cfg.data)


def test_automatic_size_is_the_most_common_one_capped(tmp_path: Path) -> None:
    root = tmp_path / "wide"
    for name in ("a", "b"):
        (root / name).mkdir(parents=True)
        for i in range(3):
            Image.new("L", (2000, 1000), i * 40).save(root / name / f"{i}.png")
    cfg = apply_overrides(RunConfig(), [f"data.root='{root.as_posix()}'", "data.source='image_folder'"])
    data = build_data(cfg.data, 0)
    assert data.input_shape == (1, AUTO_IMAGE_SIDE_MAX // 2, AUTO_IMAGE_SIDE_MAX)  # aspect kept


@pytest.mark.parametrize("key", ["data.image_size", "model.input_size"])
@pytest.mark.parametrize("value", [-1, 1025, 100000])
def test_image_sides_are_bounded(key: str, value: int) -> None:
    with pytest.raises(ConfigError) as info:
        apply_overrides(RunConfig(), [f"{key}={value}"])
    assert str(info.value) == messages.ERR_SIZE_RANGE.format(path=key, max=1024, value=value)
    assert apply_overrides(RunConfig(), [f"{key}=1024"])


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_giant_hidden_sizes_are_refused_quickly_without_allocating(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    before = peak_rss_mib()
    start = time.perf_counter()
    with pytest.raises(ModelError) as info:
        build_model(ModelConfig(arch="mlp", hidden_sizes=[4_000_000_000]), (1, 8, 8), 10)
    assert time.perf_counter() - start < 5
    assert str(info.value).startswith("model.hidden_sizes: model mlp has 300,000,000,010 parameters")
    assert "make model.hidden_sizes smaller" in str(info.value)

    config = tmp_path / "digits.toml"
    config.write_text('name = "giant"\n[train]\nepochs = 1\n', encoding="utf-8")
    code = main(["train", str(config), "--set", "model.hidden_sizes=[4000000000]", "--run-dir", str(tmp_path / "run")])
    _out, err = capsys.readouterr()
    assert code == 2 and err.startswith("torchdesk-cli: error: model.hidden_sizes: ") and err.count("\n") == 1
    assert peak_rss_mib() - before < 500  # nothing near the 1.1 TiB was touched
    assert not (tmp_path / "run" / "model.safetensors").exists()


def test_the_model_summary_refuses_the_same_way(monkeypatch: pytest.MonkeyPatch) -> None:
    from backend.engine.model_summary import model_summary
    from backend.models import footprint

    # model.width is at most 1024 (the schema); a machine with 1 MiB free cannot hold even that.
    monkeypatch.setattr(footprint, "available_ram", lambda: 1 << 20)
    config = apply_overrides(RunConfig(), ["model.arch='vgg_small'", "model.width=1024"])
    with pytest.raises(ModelError, match=r"^model.width and model.hidden_sizes: model vgg_small has"):
        model_summary(config, (3, 32, 32), 10)


def test_training_footprint_counts_gradients_and_optimizer_state(monkeypatch: pytest.MonkeyPatch) -> None:
    from backend.models import footprint

    cfg = ModelConfig(arch="mlp", hidden_sizes=[1000])
    weights = footprint.estimate(cfg, (1, 8, 8), 10).weight_bytes
    target = footprint.TrainingTarget(torch.device("cpu"), optimizer_states=2)
    # Room for the weights, not for weights + gradients + two Adam states.
    monkeypatch.setattr(footprint, "available_ram", lambda: weights * 3)
    footprint.check_model_memory(cfg, (1, 8, 8), 10)
    with pytest.raises(ModelError, match="for training \\(weights, gradients and optimizer state\\)"):
        footprint.check_model_memory(cfg, (1, 8, 8), 10, target)


def test_a_batch_whose_activations_cannot_fit_names_data_batch_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from backend.models import footprint

    monkeypatch.setattr(footprint, "available_ram", lambda: 300 * 2**20)
    config = tmp_path / "digits.toml"
    config.write_text('name = "wide"\n[train]\nepochs = 1\n', encoding="utf-8")
    # 100,000 hidden units: 26 MB of weights (52 MB with gradients) fit in 300 MiB; 1,000 samples
    # of about 0.8 MB of activations each do not.
    args = ["--set", "model.hidden_sizes=[100000]", "--set", "data.batch_size=1000", "--set", "optim.name='sgd'"]
    args += ["--set", "optim.momentum=0.0", "--run-dir", str(tmp_path / "run")]
    assert main(["train", str(config), *args]) == 2
    _out, err = capsys.readouterr()
    assert (
        err.startswith("torchdesk-cli: error: data.batch_size = 1000: a training step of mlp") and "internal" not in err
    )


def test_a_gzip_idx_file_declaring_more_than_memory_is_refused_unread(tmp_path: Path) -> None:
    import gzip

    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    # 2**20 x 1024 x 1024 images: 1 TiB declared in a file of a few dozen bytes.
    header = bytes([0, 0, 8, 3]) + b"".join(n.to_bytes(4, "big") for n in (2**20, 1024, 1024))
    (raw / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(header + b"\0" * 1000))
    (raw / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(bytes([0, 0, 8, 1, 0, 0, 0, 1, 0])))
    cfg = apply_overrides(
        RunConfig(), [f"data.root='{tmp_path.as_posix()}'", "data.source='torchvision'", "data.name='MNIST'"]
    )
    with pytest.raises(DataError, match="declares 1,099,511,627,776 values, more than the free RAM"):
        build_data(cfg.data, 0)


def test_in_memory_images_resized_beyond_ram_name_data_image_size(monkeypatch: pytest.MonkeyPatch) -> None:
    from backend.data import cache

    monkeypatch.setattr(cache, "available_ram", lambda: 50 * 2**20)
    cfg = apply_overrides(RunConfig(), ["data.image_size=1024"])  # 1,797 digits of 1024x1024: 1.8 GB
    with pytest.raises(DataError, match=r"^1797 images of digits at 1024x1024 pixels need 1.8 GiB .*data.image_size$"):
        build_data(cfg.data, 0)
    assert build_data(apply_overrides(RunConfig(), ["data.image_size=64"]).data, 0).input_shape == (1, 64, 64)


def test_loader_workers_are_bounded() -> None:
    with pytest.raises(ConfigError) as info:
        apply_overrides(RunConfig(), ["data.num_workers=100000"])
    assert str(info.value) == messages.ERR_WORKERS_TOO_MANY.format(max=64, value=100000)
    assert apply_overrides(RunConfig(), ["data.num_workers=64"]).data.num_workers == 64
