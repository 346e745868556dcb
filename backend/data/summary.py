"""A dataset summary for the GUI's dataset panel and the CLI: counts, classes, shape, samples."""

from __future__ import annotations

from typing import Any

import torch

from backend.config import DataConfig
from backend.data.bundle import DataBundle, build_data

SAMPLES = 16


def _class_counts(labels: torch.Tensor, classes: int) -> list[int]:
    return torch.bincount(labels, minlength=classes).tolist()


def summarize(data: DataBundle, samples: int = SAMPLES) -> dict[str, Any]:
    """Counts per split and class, input shape and a few samples (uint8 images or feature rows)."""
    out: dict[str, Any] = {
        "name": data.name,
        "task": data.task,
        "train_samples": len(data.y_train),
        "val_samples": len(data.y_val),
        "input_shape": list(data.input_shape),
        "classes": data.class_names,
        "warnings": list(data.warnings),
    }
    if data.task == "classification":
        out["train_counts"] = _class_counts(data.y_train, len(data.class_names))
        out["val_counts"] = _class_counts(data.y_val, len(data.class_names))
    n = min(samples, len(data.y_train))
    labels = data.y_train[:n].tolist()
    if data.is_image_data:
        if data.x_train is not None:
            images = data.x_train[:n]
        else:
            images = torch.stack([data.stream.train[i][0] for i in range(n)])
        out["sample_images"] = images  # uint8 (n, C, H, W)
    else:
        out["feature_names"] = data.normalization.get("features", [])
        out["sample_rows"] = data.x_train[:n].tolist()  # as the model sees them (standardised)
    out["sample_labels"] = [data.class_names[i] for i in labels] if data.task == "classification" else labels
    return out


def dataset_summary(cfg: DataConfig, seed: int = 0) -> dict[str, Any]:
    return summarize(build_data(cfg, seed))
