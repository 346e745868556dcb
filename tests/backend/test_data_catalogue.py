"""The dataset catalogue: torchvision layouts, image folders, augmentation, sampling and caching."""

from __future__ import annotations

import gzip
import pickle
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from backend.core.config import DataConfig, RunConfig
from backend.core.errors import ConfigError, DataError
from backend.core.transform_specs import PRESETS, TRANSFORMS, parse_transforms
from backend.data import build_data
from backend.data.augment import BatchAugment
from backend.data.builtin import BUILTIN_DATASETS
from backend.data.cache import decide_cache
from backend.data.pipeline import BatchPipeline
from backend.data.registry import DATA_SOURCES
from backend.data.summary import dataset_summary
from backend.data.torchvision_sets import TORCHVISION_SETS
from backend.engine.sampler import epoch_order, index_batches
from backend.engine.trainer import fit

pytestmark = pytest.mark.timeout(180)


# --------------------------------------------------------------------------- files the tests write
def write_idx(path: Path, array: np.ndarray, compress: bool = False) -> None:
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    data = header + array.astype(np.uint8).tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    if compress:
        with gzip.open(str(path) + ".gz", "wb") as fh:
            fh.write(data)
    else:
        path.write_bytes(data)


def write_mnist_like(root: Path, name: str, n: int = 200, compress: bool = False) -> None:
    rng = np.random.default_rng(0)
    labels = np.arange(n) % 10
    images = np.zeros((n, 28, 28), dtype=np.uint8)
    for i, label in enumerate(labels):  # a learnable pattern: a bright bar whose row encodes the class
        images[i, 2 + label * 2 : 4 + label * 2, 4:24] = 255
        images[i] = np.maximum(images[i], rng.integers(0, 40, (28, 28)))
    write_idx(root / name / "raw" / "train-images-idx3-ubyte", images, compress)
    write_idx(root / name / "raw" / "train-labels-idx1-ubyte", labels, compress)


def write_cifar_like(root: Path, hundred: bool = False, per_batch: int = 40) -> None:
    rng = np.random.default_rng(1)
    if hundred:
        folder = root / "cifar-100-python"
        folder.mkdir(parents=True)
        labels = list(np.arange(per_batch) % 100)
        with open(folder / "train", "wb") as fh:
            pickle.dump({b"data": rng.integers(0, 255, (per_batch, 3072), dtype=np.uint8), b"fine_labels": labels}, fh)
        with open(folder / "meta", "wb") as fh:
            pickle.dump({b"fine_label_names": [f"c{i}" for i in range(100)]}, fh)
        return
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    for i in range(1, 6):
        with open(folder / f"data_batch_{i}", "wb") as fh:
            pickle.dump(
                {
                    b"data": rng.integers(0, 255, (per_batch, 3072), dtype=np.uint8),
                    b"labels": list(np.arange(per_batch) % 10),
                },
                fh,
            )
    with open(folder / "batches.meta", "wb") as fh:
        pickle.dump(
            {
                b"label_names": [
                    "airplane",
                    "automobile",
                    "bird",
                    "cat",
                    "deer",
                    "dog",
                    "frog",
                    "horse",
                    "ship",
                    "truck",
                ]
            },
            fh,
        )


def write_image_tree(
    root: Path, per_class: int = 12, classes: tuple[str, ...] = ("cat", "dog", "fox"), size: int = 16, mode: str = "RGB"
) -> None:
    rng = np.random.default_rng(2)
    for c, name in enumerate(classes):
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            shape = (size, size, 3) if mode == "RGB" else (size, size)
            pixels = rng.integers(0, 80, shape, dtype=np.uint8) + np.uint8(c * 60)
            Image.fromarray(pixels, mode=mode).save(folder / f"{i}.png")


# --------------------------------------------------------------------------- torchvision layouts
@pytest.mark.parametrize("name", ["MNIST", "FashionMNIST", "KMNIST"])
@pytest.mark.parametrize("compress", [False, True])
def test_idx_datasets_load_from_torchvision_layout(tmp_path: Path, name: str, compress: bool) -> None:
    write_mnist_like(tmp_path, name, compress=compress)
    data = build_data(DataConfig(source="torchvision", name=name, root=str(tmp_path), val_split=0.2), seed=0)
    assert data.input_shape == (1, 28, 28) and data.x_train.dtype == torch.uint8
    assert len(data.y_train) == 160 and len(data.y_val) == 40
    assert data.class_names == list(TORCHVISION_SETS[name].classes)
    assert len(data.normalization["mean"]) == 1


@pytest.mark.parametrize("hundred", [False, True])
def test_cifar_batches_load_with_class_names(tmp_path: Path, hundred: bool) -> None:
    write_cifar_like(tmp_path, hundred=hundred, per_batch=200 if hundred else 40)
    name = "CIFAR100" if hundred else "CIFAR10"
    data = build_data(DataConfig(source="torchvision", name=name, root=str(tmp_path), val_split=0.5), seed=0)
    assert data.input_shape == (3, 32, 32)
    assert len(data.class_names) == (100 if hundred else 10)
    assert len(data.y_train) + len(data.y_val) == 200


def test_missing_torchvision_files_say_where_to_put_them(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        build_data(DataConfig(source="torchvision", name="MNIST", root=str(tmp_path)), seed=0)
    message = str(info.value)
    assert str(tmp_path / "MNIST" / "raw") in message and "train-images-idx3-ubyte" in message
    assert "data.download = true" in message


def test_download_offline_fails_with_advice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import torchvision.datasets as tvd

    def offline(*args: object, **kwargs: object) -> None:
        raise OSError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(tvd, "MNIST", offline)
    with pytest.raises(DataError, match="may be offline: put .*train-images-idx3-ubyte"):
        build_data(DataConfig(source="torchvision", name="MNIST", root=str(tmp_path), download=True), seed=0)


def test_truncated_idx_and_code_running_cifar_pickle_are_refused(tmp_path: Path) -> None:
    write_mnist_like(tmp_path, "MNIST")
    images = tmp_path / "MNIST" / "raw" / "train-images-idx3-ubyte"
    images.write_bytes(images.read_bytes()[:1000])
    with pytest.raises(DataError, match="damaged.*truncated"):
        build_data(DataConfig(source="torchvision", name="MNIST", root=str(tmp_path)), seed=0)

    class Evil:
        def __reduce__(self):  # noqa: ANN204
            return (Path.touch, (tmp_path / "pwned",))

    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    for i in range(1, 6):
        (folder / f"data_batch_{i}").write_bytes(pickle.dumps(Evil()))
    with pytest.raises(DataError, match="damaged"):
        build_data(DataConfig(source="torchvision", name="CIFAR10", root=str(tmp_path)), seed=0)
    assert not (tmp_path / "pwned").exists()


def test_mnist_trains_one_epoch_on_written_idx_files(tmp_path: Path) -> None:
    write_mnist_like(tmp_path / "data", "MNIST", n=300)
    cfg = RunConfig(name="tv")
    cfg.data.source, cfg.data.name, cfg.data.root, cfg.data.batch_size = (
        "torchvision",
        "MNIST",
        str(tmp_path / "data"),
        32,
    )
    cfg.model.arch = "simple_cnn"
    cfg.train.epochs = 1
    end = fit(cfg, run_dir=tmp_path / "run")
    assert end["status"] == "completed"


# --------------------------------------------------------------------------- image folders
def test_image_folder_split_is_stratified_and_shapes_follow_the_images(tmp_path: Path) -> None:
    write_image_tree(tmp_path, per_class=10)
    data = build_data(DataConfig(source="image_folder", root=str(tmp_path), val_split=0.2), seed=0)
    assert data.class_names == ["cat", "dog", "fox"]
    assert data.input_shape == (3, 16, 16)
    assert torch.bincount(data.y_val).tolist() == [2, 2, 2]


def test_image_folder_with_train_and_val_folders_and_grey_images(tmp_path: Path) -> None:
    write_image_tree(tmp_path / "train", per_class=6, mode="L")
    write_image_tree(tmp_path / "val", per_class=2, mode="L")
    data = build_data(DataConfig(source="image_folder", root=str(tmp_path), image_size=8), seed=0)
    assert data.input_shape == (1, 8, 8)
    assert len(data.y_train) == 18 and len(data.y_val) == 6


def test_corrupt_images_are_skipped_and_counted(tmp_path: Path) -> None:
    write_image_tree(tmp_path, per_class=8)
    (tmp_path / "cat" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (tmp_path / "dog" / "empty.jpg").write_bytes(b"")
    for cache in ("memory", "off"):
        data = build_data(DataConfig(source="image_folder", root=str(tmp_path), cache=cache), seed=0)
        if cache == "off":  # streamed: found and counted while training (tests/backend/test_data_speed.py)
            assert len(data.y_train) + len(data.y_val) == 26 and not data.warnings
            continue
        assert len(data.y_train) + len(data.y_val) == 24
        assert any("2 unreadable or corrupt image file(s)" in w for w in data.warnings), data.warnings
        # How the images are held is a note, not a warning: nothing for the user to fix.
        assert len(data.notes) == 1 and data.notes[0].startswith(f"image data: data.cache = '{cache}'")
        assert not any(w.startswith("image data:") for w in data.warnings)


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        ("missing", "does not exist"),
        ("no_classes", "has no class sub-folders"),
        ("empty_class", "has no images"),
        ("mismatch", "must hold the same class folders"),
    ],
)
def test_bad_image_folders_give_clear_errors(tmp_path: Path, layout: str, expected: str) -> None:
    root = tmp_path / "data"
    if layout == "no_classes":
        root.mkdir()
        (root / "loose.png").write_bytes(b"")
    elif layout == "empty_class":
        write_image_tree(root, per_class=3)
        (root / "zebra").mkdir()
    elif layout == "mismatch":
        write_image_tree(root / "train", per_class=3)
        write_image_tree(root / "val", per_class=1, classes=("cat", "dog"))
    with pytest.raises(DataError, match=expected):
        build_data(DataConfig(source="image_folder", root=str(root)), seed=0)


def test_streaming_and_memory_paths_train_to_identical_weights(tmp_path: Path) -> None:
    write_image_tree(tmp_path / "data", per_class=16)
    weights = {}
    for cache in ("memory", "off"):
        cfg = RunConfig(name=cache, seed=3)
        cfg.data.source, cfg.data.root, cfg.data.cache, cfg.data.batch_size = (
            "image_folder",
            str(tmp_path / "data"),
            cache,
            8,
        )
        cfg.data.augment = "standard"
        cfg.model.arch = "simple_cnn"
        cfg.train.epochs = 2
        cfg.train.deterministic = True
        fit(cfg, run_dir=tmp_path / cache)
        weights[cache] = torch.load(tmp_path / cache / "checkpoints" / "last.ckpt", weights_only=True)["model"]
    for key, value in weights["memory"].items():
        assert torch.allclose(value, weights["off"][key], atol=1e-6), key


# --------------------------------------------------------------------------- augmentation
@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_every_transform_keeps_batches_valid_and_is_seeded(name: str) -> None:
    spec = f"{name}:12" if name == "center_crop" else name
    augment = BatchAugment(parse_transforms([spec]))
    x = torch.rand(6, 3, 16, 16)
    a = augment(x, torch.Generator().manual_seed(1))
    b = augment(x, torch.Generator().manual_seed(1))
    assert torch.equal(a, b), "the same seed gives the same augmentation"
    expected = (12, 12) if name == "center_crop" else (16, 16)
    assert a.shape == (6, 3, *expected) and a.min() >= 0 and a.max() <= 1 + 1e-6
    if name not in ("center_crop",):
        c = augment(x, torch.Generator().manual_seed(2))
        assert not torch.equal(a, c), f"{name} changes with the seed"


def test_flip_mirrors_and_presets_parse() -> None:
    x = torch.arange(16.0).view(1, 1, 4, 4).repeat(8, 1, 1, 1) / 16
    out = BatchAugment(parse_transforms(["hflip:1"]))(x, torch.Generator().manual_seed(0))
    assert torch.equal(out, x.flip(-1))
    for preset in PRESETS.values():
        parse_transforms(preset)


@pytest.mark.parametrize(
    ("specs", "expected"),
    [
        (["sharpen"], "unknown transform 'sharpen'"),
        (["rotation:abc"], "non-numeric argument"),
        (["hflip:0.5,2"], "at most 1 argument"),
        (["center_crop"], "needs a size"),
        (["vflip:3"], "probability must be in"),
    ],
)
def test_bad_transform_lists_are_config_errors(specs: list[str], expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        parse_transforms(specs)


def test_validation_is_never_augmented() -> None:
    cfg = DataConfig(source="builtin", name="shapes", augment="custom", transforms=["hflip:1", "color_jitter:0.9"])
    data = build_data(cfg, seed=0)
    pipeline = BatchPipeline(data, cfg, torch.device("cpu"), seed=0)
    plain = BatchPipeline(data, DataConfig(source="builtin", name="shapes"), torch.device("cpu"), seed=0)
    idx = torch.arange(len(data.y_val))
    got = torch.cat([x for x, _ in pipeline.eval_batches(idx, 64)])
    expected = torch.cat([x for x, _ in plain.eval_batches(idx, 64)])
    assert torch.equal(got, expected)
    train = next(pipeline.train_batches([torch.arange(8)], 0, 0))[1][0]
    assert not torch.equal(train, next(plain.train_batches([torch.arange(8)], 0, 0))[1][0])


def test_augmentation_of_tabular_data_is_refused() -> None:
    cfg = DataConfig(source="builtin", name="iris", augment="light")
    with pytest.raises(ConfigError, match="applies to images"):
        BatchPipeline(build_data(cfg, 0), cfg, torch.device("cpu"), 0)


def test_custom_transforms_need_custom_preset() -> None:
    from backend.core.config import validate

    cfg = RunConfig()
    cfg.data.transforms = ["hflip"]
    with pytest.raises(ConfigError, match="only used with data.augment = 'custom'"):
        validate(cfg)


# --------------------------------------------------------------------------- sampling and caching
def test_balanced_sampling_draws_classes_equally_and_reproducibly() -> None:
    labels = torch.tensor([0] * 900 + [1] * 100)
    order = epoch_order(5, 0, len(labels), balance_labels=labels)
    share = (labels[order] == 1).float().mean().item()
    assert 0.4 < share < 0.6
    assert torch.equal(order, epoch_order(5, 0, len(labels), balance_labels=labels))


def test_drop_last_and_single_sample_batches() -> None:
    assert [len(b) for b in index_batches(torch.arange(10), 4)] == [4, 4, 2]
    assert [len(b) for b in index_batches(torch.arange(10), 4, drop_last=True)] == [4, 4]
    assert [len(b) for b in index_batches(torch.arange(9), 4)] == [4, 4]


def test_cache_decisions() -> None:
    assert decide_cache("auto", 10 * 2**20).in_memory
    assert not decide_cache("auto", 2**60).in_memory
    assert not decide_cache("off", 10).in_memory
    with pytest.raises(DataError, match="larger than the free RAM"):
        decide_cache("memory", 2**60)


def test_shapes_set_trains_with_standard_augmentation(tmp_path: Path) -> None:
    cfg = RunConfig(name="shapes")
    cfg.data.name, cfg.data.augment, cfg.data.balanced = "shapes", "standard", True
    cfg.model.arch = "simple_cnn"
    cfg.train.epochs = 1
    end = fit(cfg, run_dir=tmp_path / "run")
    assert end["status"] == "completed"


# --------------------------------------------------------------------------- registry and summary
def test_registry_lists_every_source_with_options() -> None:
    from backend.core.schema import DATA_SOURCES as CONFIG_SOURCES

    assert set(DATA_SOURCES) == set(CONFIG_SOURCES)
    for spec in DATA_SOURCES.values():
        assert spec.description and spec.options
        for option in spec.options:
            assert option in DataConfig.__dataclass_fields__


def test_summary_of_images_and_tables(tmp_path: Path) -> None:
    digits = dataset_summary(DataConfig(source="builtin", name="digits"))
    assert digits["input_shape"] == [1, 8, 8] and sum(digits["train_counts"]) == digits["train_samples"]
    assert digits["sample_images"].shape[0] == 16 and digits["sample_images"].dtype == torch.uint8
    iris = dataset_summary(DataConfig(source="builtin", name="iris"))
    assert len(iris["sample_rows"]) == 16 and len(iris["sample_rows"][0]) == 4
    assert iris["classes"] == ["setosa", "versicolor", "virginica"]


def test_epoch_events_list_misclassified_validation_samples(tmp_path: Path) -> None:
    cfg = RunConfig(name="gallery")
    cfg.train.epochs = 1
    cfg.optim.lr = 1e-4  # barely trained: plenty of mistakes
    events: list[dict] = []
    fit(cfg, on_event=events.append, run_dir=tmp_path / "run")
    epoch = next(e for e in events if e["event"] == "epoch")
    wrong = epoch["misclassified"]
    assert 0 < len(wrong) <= 32
    y_val = build_data(cfg.data, cfg.seed).y_val
    for item in wrong:
        assert item["true"] == int(y_val[item["index"]]) and item["pred"] != item["true"]
    assert len({w["index"] for w in wrong}) == len(wrong)


def test_image_folder_summary_scans_without_decoding_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backend.data import image_io

    write_image_tree(tmp_path, per_class=10)
    calls = []
    real = image_io.decode_image
    monkeypatch.setattr(image_io, "decode_image", lambda *a: calls.append(1) or real(*a))
    summary = dataset_summary(DataConfig(source="image_folder", root=str(tmp_path), val_split=0.2), samples=4)
    assert summary["train_samples"] == 24 and summary["val_samples"] == 6
    assert summary["train_counts"] == [8, 8, 8] and summary["input_shape"] == [3, 16, 16]
    assert summary["sample_images"].shape == (4, 3, 16, 16) and len(calls) == 4
    # The folder lists its files class by class; the samples still show every class.
    assert sorted(set(summary["sample_labels"])) == ["cat", "dog", "fox"], summary["sample_labels"]
    iris = dataset_summary(DataConfig(source="builtin", name="iris"), samples=3)
    assert sorted(iris["sample_labels"]) == ["setosa", "versicolor", "virginica"]


@pytest.mark.parametrize("name", sorted(BUILTIN_DATASETS))
def test_every_builtin_dataset_trains_one_epoch(tmp_path: Path, name: str) -> None:
    cfg = RunConfig(name=name)
    cfg.data.name, cfg.data.batch_size = name, 32
    cfg.loss.name = "mse" if name == "diabetes" else "cross_entropy"
    cfg.train.epochs = 1
    assert fit(cfg, run_dir=tmp_path / "run")["status"] == "completed"


@pytest.mark.parametrize("preset", [p for p in PRESETS if p != "none"])
def test_every_augmentation_preset_trains_one_epoch(tmp_path: Path, preset: str) -> None:
    cfg = RunConfig(name=preset)
    cfg.data.name, cfg.data.augment = "shapes", preset
    cfg.model.arch = "simple_cnn"
    cfg.train.epochs = 1
    assert fit(cfg, run_dir=tmp_path / "run")["status"] == "completed"
