"""torchvision's classic datasets from a local folder in torchvision's own layout.

The files are read here (IDX, gzip or not; CIFAR's pickled batches through a restricted
unpickler that only rebuilds numpy arrays), so any copy in torchvision's layout works offline.
``download = true`` asks torchvision to fetch the files first, which needs a network.
"""

from __future__ import annotations

import gzip
import math
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from backend.core import messages
from backend.core.config import DataConfig
from backend.core.errors import DataError, first_line
from backend.data.bundle import DataBundle, image_bundle


@dataclass(frozen=True)
class TorchvisionSet:
    name: str
    description: str
    kind: str  # "idx" or "cifar"
    classes: tuple[str, ...] = ()


TORCHVISION_SETS: dict[str, TorchvisionSet] = {
    s.name: s
    for s in (
        TorchvisionSet(
            "MNIST", "Handwritten digits: 60,000 grey 28x28 images, 10 classes", "idx", tuple(str(i) for i in range(10))
        ),
        TorchvisionSet(
            "FashionMNIST",
            "Clothing items: 60,000 grey 28x28 images, 10 classes",
            "idx",
            ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
        ),
        TorchvisionSet(
            "KMNIST",
            "Kuzushiji (cursive Japanese) characters: 60,000 grey 28x28 images, 10 classes",
            "idx",
            ("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"),
        ),
        TorchvisionSet("CIFAR10", "Objects: 50,000 colour 32x32 images, 10 classes", "cifar"),
        TorchvisionSet("CIFAR100", "Objects: 50,000 colour 32x32 images, 100 classes", "cifar"),
    )
}
CIFAR_FOLDERS = {"CIFAR10": "cifar-10-batches-py", "CIFAR100": "cifar-100-python"}


def expected_files(spec: TorchvisionSet, root: Path, split: str = "train") -> str:
    """Where torchvision's layout keeps the ``split`` ("train" or "test") files, for messages."""
    if spec.kind == "idx":
        prefix = "train" if split == "train" else "t10k"
        return messages.TV_FILES_IDX.format(folder=root / spec.name / "raw", prefix=prefix)
    if spec.name == "CIFAR10":
        files = "data_batch_1 ... data_batch_5" if split == "train" else "test_batch"
        return messages.TV_FILES_CIFAR10.format(folder=root / CIFAR_FOLDERS[spec.name], files=files)
    return messages.TV_FILES_CIFAR100.format(folder=root / CIFAR_FOLDERS[spec.name], split=split)


def _read_idx(path: Path) -> np.ndarray:
    """An IDX file (unsigned bytes), plain or gzip-compressed."""
    candidates = [path, path.with_name(path.name + ".gz")]
    found = next((p for p in candidates if p.is_file()), None)
    if found is None:
        raise FileNotFoundError(path)
    from backend.core.host_memory import available_ram

    opener = gzip.open if found.suffix == ".gz" else open
    with opener(found, "rb") as fh:
        head = fh.read(4)
        if len(head) < 4 or head[:3] != b"\x00\x00\x08":
            raise ValueError(f"{found} is not an IDX file of unsigned bytes")
        shape = tuple(int.from_bytes(fh.read(4), "big") for _ in range(head[3]))
        count = math.prod(shape)
        # A small .gz file can inflate to any size (a decompression bomb): read only what the
        # header declares, and only when that fits in memory.
        if count > available_ram():
            raise ValueError(f"{found} declares {count:,} values, more than the free RAM")
        data = np.frombuffer(fh.read(count + 1), dtype=np.uint8)
    if data.size != count:
        raise ValueError(f"{found} is truncated: expected {count} values, found {data.size}")
    return data.reshape(shape).copy()  # frombuffer is read-only; torch wants writable memory


class _ArrayUnpickler(pickle.Unpickler):
    """Loads CIFAR's batches without running arbitrary code: only numpy arrays and plain data."""

    ALLOWED = {
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "scalar"),
        ("numpy._core.multiarray", "scalar"),
    }

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a CIFAR batch file")


def _read_pickle(path: Path) -> dict:
    with path.open("rb") as fh:
        data = _ArrayUnpickler(fh, encoding="latin1").load()
    if not isinstance(data, dict):
        raise ValueError(f"{path} does not hold a CIFAR batch")
    return {k.decode() if isinstance(k, bytes) else k: v for k, v in data.items()}


def load_files(spec: TorchvisionSet, root: Path, split: str = "train") -> tuple[np.ndarray, np.ndarray, list[str]]:
    """uint8 images (N, C, H, W), labels and class names of the ``split`` ("train" or "test") files."""
    if spec.kind == "idx":
        raw = root / spec.name / "raw"
        prefix = "train" if split == "train" else "t10k"
        images = _read_idx(raw / f"{prefix}-images-idx3-ubyte")
        labels = _read_idx(raw / f"{prefix}-labels-idx1-ubyte").astype(np.int64)
        return images[:, None], labels, list(spec.classes)
    folder = root / CIFAR_FOLDERS[spec.name]
    if spec.name == "CIFAR10":
        names = [f"data_batch_{i}" for i in range(1, 6)] if split == "train" else ["test_batch"]
        batches = [_read_pickle(folder / name) for name in names]
        names = _read_pickle(folder / "batches.meta")["label_names"]
        label_key = "labels"
    else:
        batches = [_read_pickle(folder / split)]
        names = _read_pickle(folder / "meta")["fine_label_names"]
        label_key = "fine_labels"
    images = np.concatenate([np.asarray(b["data"], dtype=np.uint8) for b in batches]).reshape(-1, 3, 32, 32)
    labels = np.concatenate([np.asarray(b[label_key], dtype=np.int64) for b in batches])
    return images, labels, [str(n) for n in names]


def _download(spec: TorchvisionSet, root: Path) -> None:
    import torchvision.datasets as tvd

    try:
        getattr(tvd, spec.name)(str(root), train=True, download=True)
    except Exception as exc:  # noqa: BLE001 - any network or disk failure gets the same advice
        raise DataError(
            messages.ERR_TV_DOWNLOAD_FAILED.format(
                name=spec.name, error=first_line(exc), files=expected_files(spec, root)
            )
        ) from exc


def load_torchvision(cfg: DataConfig, seed: int) -> DataBundle:
    spec = TORCHVISION_SETS.get(cfg.name)
    if spec is None:
        raise DataError(messages.ERR_TV_NAME.format(names=", ".join(TORCHVISION_SETS), name=cfg.name))
    if not cfg.root:
        raise DataError(messages.ERR_TV_ROOT_EMPTY.format(name=cfg.name))
    root = Path(cfg.root).expanduser()
    if cfg.download:
        _download(spec, root)
    try:
        images, labels, classes = load_files(spec, root)
    except FileNotFoundError:
        raise DataError(
            messages.ERR_TV_FILES_MISSING.format(name=spec.name, files=expected_files(spec, root))
        ) from None
    except (ValueError, KeyError, EOFError, OSError, pickle.UnpicklingError) as exc:
        raise DataError(messages.ERR_TV_DAMAGED.format(name=spec.name, root=root, error=exc)) from exc
    if len(images) != len(labels):
        raise DataError(
            messages.ERR_TV_COUNTS.format(name=spec.name, root=root, images=len(images), labels=len(labels))
        )
    if labels.size and (labels.min() < 0 or labels.max() >= len(classes)):
        raise DataError(messages.ERR_TV_LABELS.format(name=spec.name, root=root, last=len(classes) - 1))
    return image_bundle(spec.name, torch.from_numpy(np.ascontiguousarray(images)), labels, classes, cfg, seed)
