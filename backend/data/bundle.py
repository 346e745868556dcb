"""The in-memory dataset handed to the trainer, and the dispatcher over data sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from backend.core import messages
from backend.core.config import DataConfig
from backend.core.errors import DataError

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]
RESIZE_CHUNK_BYTES = 256 * 2**20


@dataclass
class ImageStream:
    """Image datasets decoded from disk batch by batch (when they do not fit in memory)."""

    train: torch.utils.data.Dataset
    val: torch.utils.data.Dataset
    sample_shape: tuple[int, ...]


@dataclass
class DataBundle:
    """Train and validation data with what a model and a predictor need to know about them.

    ``x_*`` are float features (already normalised) or uint8 images (N, C, H, W) that the batch
    pipeline scales and normalises on the device; with ``stream`` set they are None and the
    images come from disk. Labels are always in memory.
    """

    name: str
    x_train: torch.Tensor | None
    y_train: torch.Tensor
    x_val: torch.Tensor | None
    y_val: torch.Tensor
    task: str  # "classification" or "regression"
    class_names: list[str] = field(default_factory=list)
    normalization: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # something the user may want to fix
    notes: list[str] = field(default_factory=list)  # how the data is handled (cached, streamed)
    stream: ImageStream | None = None
    # x_* memory-mapped from the decoded disk cache (backend/data/decoded_cache.MappedImages).
    mapped: Any = None
    # False: x_* are larger than the memory budget and stay where they are (host memory or the disk
    # cache); batches are gathered there and copied to the device, and the cache's pages released.
    resident: bool = True

    @property
    def input_shape(self) -> tuple[int, ...]:
        return self.stream.sample_shape if self.stream else tuple(self.x_train.shape[1:])

    @property
    def is_image_data(self) -> bool:
        """uint8 images, scaled and normalised batch by batch (and the only data that is augmented)."""
        return self.stream is not None or self.x_train.dtype == torch.uint8

    @property
    def num_outputs(self) -> int:
        if self.task == "classification":
            return len(self.class_names)
        return 1 if self.y_train.dim() == 1 else int(self.y_train.shape[1])

    def metadata(self) -> dict[str, Any]:
        """What a checkpoint stores so that the model can be rebuilt and fed without the dataset."""
        return {
            "dataset": self.name,
            "task": self.task,
            "input_shape": list(self.input_shape),
            "num_outputs": self.num_outputs,
            "class_names": list(self.class_names),
            "normalization": self.normalization,
        }


def split_indices(targets: np.ndarray, val_split: float, seed: int, stratify: bool) -> tuple[np.ndarray, np.ndarray]:
    """A reproducible train/validation split, stratified by class for classification."""
    from sklearn.model_selection import train_test_split

    idx = np.arange(len(targets))
    try:
        train_idx, val_idx = train_test_split(
            idx, test_size=val_split, random_state=seed, stratify=targets if stratify else None
        )
    except ValueError as exc:
        raise DataError(messages.ERR_SPLIT_FAILED.format(count=len(targets), val_split=val_split, error=exc)) from exc
    return np.sort(train_idx), np.sort(val_idx)


def standardize(
    train: np.ndarray, *others: np.ndarray, axis: Any = 0
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Scale by the training split's statistics only (the validation split must not leak into them)."""
    mean = train.mean(axis=axis, keepdims=True)
    std = train.std(axis=axis, keepdims=True)
    std = np.where(std < 1e-8, 1.0, std)
    return [(a - mean) / std for a in (train, *others)], mean, std


def image_normalization(sample: torch.Tensor, mode: str) -> dict[str, Any]:
    """Per-channel mean/std (of pixels scaled to [0, 1]) from uint8 training images, or fixed values."""
    channels = sample.shape[1]
    if mode == "none":
        mean, std = [0.0] * channels, [1.0] * channels
    elif mode == "imagenet":
        if channels != 3:
            raise DataError(messages.ERR_IMAGENET_NEEDS_RGB.format(channels=channels))
        mean, std = IMAGENET_MEAN, IMAGENET_STD
    else:
        # From a histogram of the 256 levels per channel: exact, and no float copy of the images.
        counts = torch.zeros(channels, 256, dtype=torch.float64)
        for chunk in sample.split(4096):
            for c in range(channels):
                counts[c] += torch.bincount(chunk[:, c].reshape(-1), minlength=256)
        levels = torch.arange(256, dtype=torch.float64) / 255
        total = counts.sum(1)
        mean, square = (counts * levels).sum(1) / total, (counts * levels**2).sum(1) / total
        std = (square - mean**2).clamp(min=1e-12).sqrt().clamp(min=1e-3)
        mean, std = mean.tolist(), std.tolist()
    return {"scale": 1 / 255, "mean": mean, "std": std, "source": mode}


def resize_images(x: torch.Tensor, size: int, name: str) -> torch.Tensor:
    """uint8 (N, C, H, W) images of dataset ``name`` resized to size x size (data.image_size); 0 keeps them.

    The result must fit in the free RAM (DataError naming data.image_size otherwise); the float
    copies made while resizing are bounded by RESIZE_CHUNK_BYTES.
    """
    if not size or tuple(x.shape[-2:]) == (size, size):
        return x
    from backend.data.cache import require_ram

    n, channels, height, width = x.shape
    require_ram(n, channels, (size, size), name)
    out = torch.empty((n, channels, size, size), dtype=torch.uint8)
    per_image = channels * max(height * width, size * size) * 4  # float32 pixels of the larger side
    step = max(1, RESIZE_CHUNK_BYTES // per_image)
    for start in range(0, n, step):
        chunk = x[start : start + step].float()
        resized = torch.nn.functional.interpolate(chunk, size=(size, size), mode="bilinear", antialias=True)
        out[start : start + step] = resized.round_().clamp_(0, 255)
    return out


def image_bundle(
    name: str, x: torch.Tensor, y: np.ndarray, classes: list[str], cfg: DataConfig, seed: int
) -> DataBundle:
    """uint8 images (N, C, H, W) in memory with integer labels: resized, split stratified, normalised."""
    x = resize_images(x, cfg.image_size, name)
    train_idx, val_idx = split_indices(y, cfg.val_split, seed, stratify=True)
    y_t = torch.from_numpy(y.astype(np.int64))
    tr, va = torch.from_numpy(train_idx), torch.from_numpy(val_idx)
    return DataBundle(
        name=name,
        x_train=x[tr],
        y_train=y_t[tr],
        x_val=x[va],
        y_val=y_t[va],
        task="classification",
        class_names=classes,
        normalization=image_normalization(x[tr], cfg.normalize),
    )


def check_targets(data: DataBundle) -> None:
    """Training targets a model can learn from: a classifier needs 2 classes among its training labels
    (DataError naming the only one; a class seen only in validation is a warning), a regression a
    target that varies."""
    if len(data.y_train) == 0:
        return
    if data.task == "regression":
        if torch.unique(data.y_train).numel() < 2:
            value = data.normalization.get("target_mean", float(data.y_train.flatten()[0]))
            raise DataError(messages.ERR_CONSTANT_TARGET.format(name=data.name, value=value))
        return

    def label(index: int) -> str:
        return data.class_names[index] if 0 <= index < len(data.class_names) else str(index)

    trained = set(torch.unique(data.y_train).tolist())
    if len(trained) < 2:
        raise DataError(messages.ERR_ONE_CLASS.format(name=data.name, label=label(trained.pop())))
    unseen = sorted(set(torch.unique(data.y_val).tolist()) - trained)
    if unseen:
        data.warnings.append(messages.CLASSES_ONLY_IN_VAL.format(names=", ".join(label(i) for i in unseen)))


def build_data(cfg: DataConfig, seed: int, device: torch.device | None = None) -> DataBundle:
    """Load the configured dataset (any source) and check that it can train a model; ``device`` lets
    the cache decision consider GPU memory."""
    data = _load(cfg, seed, device)
    check_targets(data)
    return data


def _load(cfg: DataConfig, seed: int, device: torch.device | None) -> DataBundle:
    if cfg.source == "builtin":
        from backend.data.builtin import load_builtin

        return load_builtin(cfg, seed)
    if cfg.source == "csv":
        from backend.data.csv_table import load_csv

        return load_csv(cfg, seed)
    if cfg.source == "torchvision":
        from backend.data.torchvision_sets import load_torchvision

        return load_torchvision(cfg, seed)
    from backend.data.image_folder import load_image_folder

    return load_image_folder(cfg, seed, device)
