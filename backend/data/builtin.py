"""Datasets bundled with scikit-learn, loaded offline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from backend.core import messages
from backend.core.config import DataConfig
from backend.core.errors import DataError
from backend.data.bundle import DataBundle, image_bundle, split_indices, standardize


@dataclass(frozen=True)
class BuiltinDataset:
    name: str
    description: str
    task: str
    loader: str  # name of the sklearn.datasets function


BUILTIN_DATASETS: dict[str, BuiltinDataset] = {
    d.name: d
    for d in (
        BuiltinDataset(
            "digits", "Handwritten digits 0-9: 1,797 grey 8x8 images, 10 classes", "classification", "load_digits"
        ),
        BuiltinDataset("iris", "Iris flowers: 150 samples, 4 measurements, 3 species", "classification", "load_iris"),
        BuiltinDataset(
            "wine", "Wine cultivars: 178 samples, 13 chemical features, 3 classes", "classification", "load_wine"
        ),
        BuiltinDataset(
            "breast_cancer",
            "Breast cancer diagnosis: 569 samples, 30 features, benign or malignant",
            "classification",
            "load_breast_cancer",
        ),
        BuiltinDataset(
            "shapes", "Coloured shapes on noise: 2,400 colour 32x32 images, 4 classes (generated)", "classification", ""
        ),
        BuiltinDataset(
            "diabetes",
            "Diabetes progression: 442 patients, 10 features, a continuous target (regression)",
            "regression",
            "load_diabetes",
        ),
    )
}


def _sklearn_loader(name: str) -> Callable:
    import sklearn.datasets

    return getattr(sklearn.datasets, name)


def _load_shapes(cfg: DataConfig, seed: int) -> DataBundle:
    from backend.data.shapes import CLASSES, make_shapes

    images, labels = make_shapes(seed)
    return image_bundle("shapes", torch.from_numpy(images), labels, list(CLASSES), cfg, seed)


def load_builtin(cfg: DataConfig, seed: int) -> DataBundle:
    try:
        spec = BUILTIN_DATASETS[cfg.name]
    except KeyError:
        raise DataError(messages.ERR_BUILTIN_NAME.format(names=", ".join(BUILTIN_DATASETS), name=cfg.name)) from None
    if cfg.task not in ("auto", spec.task):
        raise DataError(messages.ERR_BUILTIN_TASK.format(name=spec.name, task=spec.task, value=spec.task))
    if spec.name == "shapes":
        return _load_shapes(cfg, seed)
    raw = _sklearn_loader(spec.loader)()
    y = np.asarray(raw.target)
    if spec.name == "digits":
        # 8x8 images with values 0..16, kept as uint8 images so that they are augmented like any image set.
        x = torch.from_numpy(np.round(np.asarray(raw.data).reshape(-1, 1, 8, 8) * (255 / 16)).astype(np.uint8))
        return image_bundle("digits", x, y, [str(n) for n in raw.target_names], cfg, seed)
    x = np.asarray(raw.data, dtype=np.float32)
    classification = spec.task == "classification"
    train_idx, val_idx = split_indices(y, cfg.val_split, seed, stratify=classification)
    (x_tr, x_va), mean, std = standardize(x[train_idx], x[val_idx], axis=0)
    normalization: dict = {"mean": mean.ravel().tolist(), "std": std.ravel().tolist()}
    if classification:
        names = [str(n) for n in raw.target_names]
        y_tr, y_va = torch.from_numpy(y[train_idx].astype(np.int64)), torch.from_numpy(y[val_idx].astype(np.int64))
    else:
        names = []
        (t_tr, t_va), t_mean, t_std = standardize(y[train_idx].astype(np.float32), y[val_idx].astype(np.float32))
        normalization.update(target_mean=float(t_mean.item()), target_std=float(t_std.item()))
        y_tr, y_va = torch.from_numpy(t_tr.astype(np.float32)), torch.from_numpy(t_va.astype(np.float32))
    return DataBundle(
        name=spec.name,
        x_train=torch.from_numpy(np.ascontiguousarray(x_tr, dtype=np.float32)),
        y_train=y_tr,
        x_val=torch.from_numpy(np.ascontiguousarray(x_va, dtype=np.float32)),
        y_val=y_va,
        task=spec.task,
        class_names=names,
        normalization=normalization,
    )
