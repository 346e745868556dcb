"""Data at speed (H8): the decoded disk cache, lazy checks when streaming, and the fast preset."""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from backend.core.cache_files import cache_folder, cache_size, clear_cache
from backend.core.config import RunConfig
from backend.data import decoded_cache, image_io
from backend.data.bundle import DataBundle
from backend.data.image_folder import _decode_all, load_image_folder, scan_folder
from backend.data.pipeline import BatchPipeline
from backend.engine.presets import LARGE_SET, apply_preset, fast_settings, preset_note
from backend.engine.trainer import fit


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two classes of 12 small grey PNGs each, all different."""
    root = tmp_path_factory.mktemp("speed-folder")
    rng = np.random.default_rng(0)
    for label in ("a", "b"):
        (root / label).mkdir()
        for i in range(12):
            pixels = rng.integers(0, 256, (8, 8), dtype=np.uint8)
            Image.fromarray(pixels, mode="L").save(root / label / f"{i:02d}.png")
    return root


def _config(root: Path, cache_dir: Path, cache: str = "auto") -> RunConfig:
    cfg = RunConfig(name="speed")
    cfg.data.source, cfg.data.root, cfg.data.cache, cfg.data.cache_dir = (
        "image_folder",
        str(root),
        cache,
        str(cache_dir),
    )
    cfg.data.val_split, cfg.data.batch_size = 0.25, 6
    return cfg


def _entries(cache_dir: Path) -> list[Path]:
    folder = cache_folder(str(cache_dir))
    return sorted(p for p in folder.iterdir() if decoded_cache.PARTIAL not in p.name) if folder.is_dir() else []


def test_cache_is_reused_and_invalidated_by_a_touched_file(folder: Path, tmp_path: Path) -> None:
    cfg = _config(folder, tmp_path)
    first = load_image_folder(cfg.data, 0)
    assert first.mapped.created and len(_entries(tmp_path)) == 1
    second = load_image_folder(cfg.data, 0)
    assert not second.mapped.created and second.mapped.path == first.mapped.path
    touched = folder / "a" / "03.png"
    stat = touched.stat()
    os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    third = load_image_folder(cfg.data, 0)
    assert third.mapped.created and third.mapped.path != first.mapped.path
    assert _entries(tmp_path) == [third.mapped.path]  # the folder's older entry is gone
    assert cache_size(str(tmp_path)) > 0
    assert clear_cache(str(tmp_path)) > 0 and cache_size(str(tmp_path)) == 0


def test_mapped_cache_equals_the_in_memory_decode(folder: Path, tmp_path: Path) -> None:
    mapped = load_image_folder(_config(folder, tmp_path).data, 0)
    memory = load_image_folder(_config(folder, tmp_path, cache="memory").data, 0)
    assert mapped.mapped is not None and memory.mapped is None
    for name in ("x_train", "y_train", "x_val", "y_val"):
        assert torch.equal(getattr(mapped, name), getattr(memory, name)), name
    assert mapped.normalization["mean"] == pytest.approx(memory.normalization["mean"])
    assert mapped.normalization["std"] == pytest.approx(memory.normalization["std"])


def test_an_interrupted_write_leaves_no_valid_looking_entry(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = _config(folder, tmp_path)

    def crash(*_args: object) -> tuple[list[float], list[float]]:  # after both splits are written
        raise KeyboardInterrupt

    monkeypatch.setattr(decoded_cache, "_dataset_stats", crash)
    with pytest.raises(KeyboardInterrupt):
        load_image_folder(cfg.data, 0)
    cache = cache_folder(str(tmp_path))
    assert not any(cache.iterdir())  # neither an entry nor the partial write remains
    monkeypatch.undo()
    assert load_image_folder(cfg.data, 0).mapped.created  # decoded again, not read from a half-written entry


def test_an_entry_without_its_metadata_is_never_read(folder: Path, tmp_path: Path) -> None:
    cfg = _config(folder, tmp_path)
    entry = load_image_folder(cfg.data, 0).mapped.path
    (entry / "meta.json").unlink()  # as a crash between the data files and the metadata would leave it
    assert load_image_folder(cfg.data, 0).mapped.created


def test_streaming_skips_and_counts_bad_files_without_a_verify_pass(folder: Path, tmp_path: Path) -> None:
    root = tmp_path / "folder"
    for label in ("a", "b"):
        (root / label).mkdir(parents=True)
        for src in sorted((folder / label).iterdir()):
            (root / label / src.name).write_bytes(src.read_bytes())
    (root / "a" / "05.png").write_bytes(b"not an image")
    (root / "b" / "07.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    cfg = _config(root, tmp_path, cache="off")
    data = load_image_folder(cfg.data, 0)
    assert data.stream is not None and not data.warnings  # nothing opened every file beforehand
    warnings: list[str] = []
    pipeline = BatchPipeline(data, cfg.data, torch.device("cpu"), 0, on_warning=warnings.append)
    batches = list(torch.arange(len(data.y_train)).split(6))
    seen = sum(len(yb) for _, (_xb, yb) in pipeline.train_batches(batches, 0, 0))
    list(pipeline.eval_batches(torch.arange(len(data.y_val)), 6))
    scan = scan_folder(str(root))
    bad = {str(root / "a" / "05.png"), str(root / "b" / "07.png")}
    train_bad = sum(str(path) in bad for path, _ in data.stream.train.files)
    assert seen == len(data.y_train) - train_bad
    assert len(pipeline.skipped) == 2 == sum(str(p) in bad for p, _ in scan.train)
    assert warnings and "2 unreadable" in warnings[-1]
    _x, _y, skipped = _decode_all(scan.train, (8, 8), "L")  # in memory, the same files are skipped
    assert skipped == 2


def _bundle(samples: int, channels: int = 1, task: str = "classification") -> DataBundle:
    x = torch.zeros((samples, channels, 8, 8), dtype=torch.uint8)
    y = torch.zeros(samples, dtype=torch.int64)
    return DataBundle("d", x, y, x[:2], y[:2], task, class_names=["a", "b"])


@pytest.mark.parametrize(
    ("samples", "channels", "device", "epochs", "batch", "augment"),
    [
        (8000, 1, "cpu", 2, 64, "none"),  # about STEPS_PER_EPOCH steps an epoch
        (8000, 1, "cpu", 10, 64, "none"),
        (8000, 1, "cpu", 1, 32, "none"),  # a one-epoch run still takes about RUN_STEPS steps
        (100, 1, "cpu", 2, 12, "none"),  # small sets keep MIN_STEPS steps an epoch
        (LARGE_SET, 1, "cpu", 2, 128, "light"),
        (3 * LARGE_SET, 3, "cpu", 2, 256, "standard"),  # at most CPU_BATCH's largest
        (LARGE_SET, 3, "cuda", 1, 512, "standard"),
    ],
)
def test_fast_settings_follow_the_data_size_run_length_and_device(
    samples: int, channels: int, device: str, epochs: int, batch: int, augment: str
) -> None:
    settings = fast_settings(_bundle(samples, channels), torch.device(device), epochs)
    assert settings["data.batch_size"] == batch and settings["data.augment"] == augment
    assert settings["schedule.name"] == "onecycle" and settings["loss.label_smoothing"] == 0.1
    assert ("train.precision" in settings) == (device == "cuda")


def test_fast_preset_leaves_regression_losses_unsmoothed_and_lists_its_changes() -> None:
    cfg = RunConfig()
    cfg.loss.name, cfg.train.preset = "mse", "fast"
    data = DataBundle("d", torch.zeros(50, 3), torch.zeros(50), torch.zeros(5, 3), torch.zeros(5), "regression")
    changes = apply_preset(cfg, data, torch.device("cpu"))
    keys = {c.key for c in changes}
    assert "loss.label_smoothing" not in keys and "data.augment" not in keys
    assert cfg.schedule.name == "onecycle" and "schedule.name" in keys
    assert "schedule.name none -> onecycle" in preset_note(cfg, changes)
    assert apply_preset(cfg, data, torch.device("cpu")) == []  # applied once: nothing left to change
    cfg.train.preset = "default"
    assert preset_note(cfg, []) is None


def test_fast_preset_in_a_tiny_run(tmp_path: Path) -> None:
    cfg = RunConfig(name="fast")
    cfg.data.name, cfg.model.arch, cfg.model.hidden_sizes = "iris", "mlp", [8]
    cfg.train.epochs, cfg.train.device, cfg.train.preset = 1, "cpu", "fast"
    events: list[dict] = []
    fit(cfg, on_event=events.append, run_dir=tmp_path / "run")
    notes = [e["message"] for e in events if e["event"] == "note"]
    assert any("train.preset = 'fast' replaced" in n and "schedule.name none -> onecycle" in n for n in notes)
    saved = (tmp_path / "run" / "config.toml").read_text()
    assert 'preset = "fast"' in saved and 'name = "onecycle"' in saved  # the values used, in the run's config


def test_the_process_pool_decodes_the_same_rows(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scan = scan_folder(str(folder))
    paths = [path for path, _ in scan.train] + [str(folder / "a" / "missing.png")]
    serial = list(decoded_cache.decode_rows(paths, (8, 8), "L"))
    monkeypatch.setattr(decoded_cache, "PROBE_FILES", 3)
    monkeypatch.setattr(decoded_cache, "CHUNK_BYTES", 5 * 64)  # 5 images a chunk at most
    monkeypatch.setattr(decoded_cache, "pool_workers", lambda _seconds: 2)
    pooled = list(decoded_cache.decode_rows(paths, (8, 8), "L"))
    assert [len(ok) for _, ok in pooled] == [3] + [3] * 7 + [1]  # the probe, then 4 chunks per worker
    assert np.array_equal(np.concatenate([r for r, _ in serial]), np.concatenate([r for r, _ in pooled]))
    assert np.array_equal(np.concatenate([ok for _, ok in serial]), np.concatenate([ok for _, ok in pooled]))
    assert not pooled[-1][1][-1]  # the missing file, left out and marked


def test_pool_workers_follow_the_time_left_and_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decoded_cache, "usable_cores", lambda: 2)
    monkeypatch.setattr(decoded_cache, "start_method", lambda: "fork")
    assert decoded_cache.pool_workers(1.0) == 2  # forking costs milliseconds: even a second is worth it
    assert decoded_cache.pool_workers(0.05) == 1
    monkeypatch.setattr(decoded_cache, "start_method", lambda: "spawn")
    assert decoded_cache.pool_workers(1.0) == 1  # a new interpreter per worker costs about a second
    assert decoded_cache.pool_workers(100.0) == 2
    monkeypatch.setattr(decoded_cache, "usable_cores", lambda: 16)
    assert decoded_cache.pool_workers(100.0) == decoded_cache.POOL_MAX_WORKERS
    monkeypatch.setattr(decoded_cache, "usable_cores", lambda: 1)
    assert decoded_cache.pool_workers(100.0) == 1


def _png(path: Path, pixels: np.ndarray, palette: int = 0, **save: object) -> Path:
    image = Image.fromarray(pixels)
    (image.quantize(palette) if palette else image).save(path, **save)
    return path


def _interlaced(path: Path) -> Path:
    """``path`` marked interlaced in its header (PIL does not write interlaced PNGs; it reads them)."""
    data = bytearray(path.read_bytes())
    data[28] = 1
    data[29:33] = zlib.crc32(data[12:29]).to_bytes(4, "big")
    path.write_bytes(data)
    return path


def test_plain_pngs_decode_as_pil_decodes_them(tmp_path: Path) -> None:
    """The PNG fast path gives PIL's pixels, leaves every other kind of PNG to PIL, and refuses a damaged file."""
    rng = np.random.default_rng(1)
    grey = rng.integers(0, 256, (9, 7), dtype=np.uint8)
    rgb = rng.integers(0, 256, (9, 7, 3), dtype=np.uint8)
    cases = {
        "grey": (_png(tmp_path / "g.png", grey), "L", True),
        "rgb": (_png(tmp_path / "c.png", rgb), "RGB", True),
        "rgb as grey": (tmp_path / "c.png", "L", None),
        "transparent": (_png(tmp_path / "t.png", grey, transparency=3), "L", None),
        "palette": (_png(tmp_path / "p.png", rgb, palette=4), "RGB", None),
        "16-bit": (_png(tmp_path / "w.png", grey.astype(np.uint16) * 7), "L", None),
    }
    for name, (path, mode, fast) in cases.items():
        out = np.zeros((1 if mode == "L" else 3, 9, 7), dtype=np.uint8)
        assert image_io._decode_plain_png(path.read_bytes(), out, mode) is fast, name
        assert image_io.decode_into(str(path), out, mode), name
        with Image.open(path) as img:
            expected = np.asarray(img.convert(mode))
        assert np.array_equal(out, expected[None] if mode == "L" else expected.transpose(2, 0, 1)), name
    out = np.zeros((3, 9, 7), dtype=np.uint8)
    assert image_io._decode_plain_png(_interlaced(_png(tmp_path / "i.png", rgb)).read_bytes(), out, "RGB") is None
    data = (tmp_path / "c.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    assert image_io._decode_plain_png(data[: len(data) // 2], out, "RGB") is False
    assert not image_io.decode_into(str(tmp_path / "cut.png"), out, "RGB")
