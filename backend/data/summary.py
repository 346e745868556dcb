"""A dataset summary for the GUI's dataset panel and the CLI: counts, classes, shape, samples."""

from __future__ import annotations

from typing import Any

import torch

from backend.core import messages
from backend.core.config import DataConfig
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
        "notes": [*data.notes, *data.warnings],
    }
    if data.task == "classification":
        out["train_counts"] = _class_counts(data.y_train, len(data.class_names))
        out["val_counts"] = _class_counts(data.y_val, len(data.class_names))
    n = min(samples, len(data.y_train))
    picks = _every_class(data.y_train.tolist(), n) if data.task == "classification" else list(range(n))
    labels = data.y_train[picks].tolist()
    if data.is_image_data:
        if data.x_train is not None:
            images = data.x_train[picks]
        else:
            images = torch.stack([data.stream.train[i][0] for i in picks])
        out["sample_images"] = images  # uint8 (n, C, H, W)
    else:
        out["feature_names"] = data.normalization.get("features", [])
        out["sample_rows"] = data.x_train[picks].tolist()  # as the model sees them (standardised)
    out["sample_labels"] = [data.class_names[i] for i in labels] if data.task == "classification" else labels
    return out


def _every_class(labels: list[int], n: int) -> list[int]:
    """Up to ``n`` positions taking the classes in turn, so that the samples show every class
    (image folders list their files class by class)."""
    by_class: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        if len(by_class.setdefault(label, [])) < n:
            by_class[label].append(i)
    rounds = zip(*(positions + [None] * (n - len(positions)) for _, positions in sorted(by_class.items())), strict=True)
    return [i for turn in rounds for i in turn if i is not None][:n]


def _image_folder_summary(cfg: DataConfig, seed: int, samples: int) -> dict[str, Any]:
    """Counts from the folder scan, unreadable files among those whose headers were read, and a
    few decoded samples, without decoding the whole folder."""
    from backend.data.image_folder import probe_images, scan_folder, split_files
    from backend.data.image_io import decode_image

    scan = scan_folder(cfg.root)
    train, val = split_files(scan, cfg, seed)
    survey = probe_images(train + val)
    size, mode = survey.size(cfg.image_size), survey.mode
    classes = len(scan.classes)
    picked = [train[i] for i in _every_class([label for _, label in train], samples)]
    decoded = [
        (img, label) for img, label in ((decode_image(p, size, mode), label) for p, label in picked) if img is not None
    ]
    notes = []
    if survey.unreadable:
        notes.append(
            messages.SUMMARY_IMAGES_SKIPPED.format(count=survey.unreadable, checked=survey.checked, root=cfg.root)
        )
    return {
        "name": cfg.root.rstrip("/").rsplit("/", 1)[-1],
        "task": "classification",
        "train_samples": len(train),
        "val_samples": len(val),
        "input_shape": [1 if mode == "L" else 3, *size],
        "classes": scan.classes,
        "notes": notes,
        "train_counts": _class_counts(torch.tensor([label for _, label in train]), classes),
        "val_counts": _class_counts(torch.tensor([label for _, label in val]), classes),
        "sample_images": torch.stack([img for img, _ in decoded]) if decoded else torch.zeros(0, 1, *size),
        "sample_labels": [scan.classes[label] for _, label in decoded],
    }


def dataset_summary(cfg: DataConfig, seed: int = 0, samples: int = SAMPLES) -> dict[str, Any]:
    """What the dataset panel shows; an image folder is scanned, not decoded, so this stays quick."""
    if cfg.source == "image_folder":
        return _image_folder_summary(cfg, seed, samples)
    return summarize(build_data(cfg, seed), samples)
