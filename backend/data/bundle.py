"""The in-memory dataset handed to the trainer, and the dispatcher over data sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from backend.config import DataConfig
from backend.errors import DataError


@dataclass
class DataBundle:
    """Train and validation tensors with what a model and a predictor need to know about them."""

    name: str
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor
    task: str  # "classification" or "regression"
    class_names: list[str] = field(default_factory=list)
    normalization: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.x_train.shape[1:])

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
        raise DataError(
            f"cannot split {len(targets)} samples with data.val_split = {val_split}: {exc}; "
            "use more data or a different val_split"
        ) from None
    return np.sort(train_idx), np.sort(val_idx)


def standardize(train: np.ndarray, *others: np.ndarray, axis: Any = 0) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Scale by the training split's statistics only (the validation split must not leak into them)."""
    mean = train.mean(axis=axis, keepdims=True)
    std = train.std(axis=axis, keepdims=True)
    std = np.where(std < 1e-8, 1.0, std)
    return [(a - mean) / std for a in (train, *others)], mean, std


def build_data(cfg: DataConfig, seed: int) -> DataBundle:
    if cfg.source == "builtin":
        from backend.data.builtin import load_builtin

        return load_builtin(cfg, seed)
    if cfg.source == "csv":
        from backend.data.csv_table import load_csv

        return load_csv(cfg, seed)
    raise DataError(
        f"data.source = {cfg.source!r} is not available yet; use 'builtin' or 'csv' "
        "(torchvision and image_folder sources come with the dataset catalogue)"
    )
