"""A separate test set, in the run's own data format, prepared exactly like its validation split.

Used to evaluate a trained model on data it never saw: an image folder of the same classes,
torchvision's official test files, or a CSV file with the same columns. Scaling, encoding and
normalisation come from the model's metadata (the training statistics), never from the test data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from backend.core import messages
from backend.core.config import DataConfig
from backend.core.errors import DataError
from backend.data.bundle import DataBundle, resize_images


def _bundle(name: str, x: torch.Tensor, y: torch.Tensor, meta: dict[str, Any], task: str) -> DataBundle:
    # The test samples fill both splits: evaluation walks the validation split, shape checks the training one.
    return DataBundle(
        name=name,
        x_train=x,
        y_train=y,
        x_val=x,
        y_val=y,
        task=task,
        class_names=list(meta.get("class_names") or []),
        normalization=meta.get("normalization") or {},
    )


def _class_index(names: list[str], known: list[str], where: str) -> dict[str, int]:
    unknown = [n for n in names if n not in known]
    if unknown:
        raise DataError(
            messages.ERR_TEST_UNKNOWN_CLASSES.format(where=where, unknown=", ".join(unknown), known=", ".join(known))
        )
    return {n: known.index(n) for n in names}


def _image_folder(cfg: DataConfig, root: str, meta: dict[str, Any]) -> DataBundle:
    from backend.data.cache import require_ram
    from backend.data.image_folder import _decode_all, probe_images, scan_folder

    scan = scan_folder(root)
    files = scan.train + (scan.val or [])
    index = _class_index(scan.classes, list(meta["class_names"]), root)
    files = [(path, index[scan.classes[label]]) for path, label in files]
    channels = int(meta["input_shape"][0])
    size = probe_images(files).size(cfg.image_size)
    require_ram(len(files), channels, size, Path(root).name)
    x, y, skipped = _decode_all(files, size, "L" if channels == 1 else "RGB")
    bundle = _bundle(Path(root).name, x, y, meta, "classification")
    if skipped:
        bundle.warnings.append(messages.TEST_IMAGES_SKIPPED.format(count=skipped, root=root))
    return bundle


def _torchvision(cfg: DataConfig, root: str, meta: dict[str, Any]) -> DataBundle:
    from backend.data.torchvision_sets import TORCHVISION_SETS, expected_files, load_files

    spec = TORCHVISION_SETS[cfg.name]
    try:
        images, labels, _ = load_files(spec, Path(root).expanduser(), split="test")
    except FileNotFoundError:
        files = expected_files(spec, Path(root), "test")
        raise DataError(messages.ERR_TEST_TV_MISSING.format(name=spec.name, files=files)) from None
    except (ValueError, KeyError, EOFError, OSError) as exc:
        raise DataError(messages.ERR_TEST_TV_DAMAGED.format(name=spec.name, root=root, error=exc)) from exc
    x = resize_images(torch.from_numpy(np.ascontiguousarray(images)), cfg.image_size, f"{spec.name}-test")
    return _bundle(f"{spec.name}-test", x, torch.from_numpy(labels), meta, "classification")


def _csv(cfg: DataConfig, root: str, meta: dict[str, Any]) -> DataBundle:
    from backend.artifacts.predict import encode_csv_rows
    from backend.data.csv_table import header_of, parse_column, read_csv_records, refuse_non_finite

    path = Path(root).expanduser()
    if not path.is_file():
        raise DataError(messages.ERR_TEST_CSV_MISSING.format(path=path))
    records = read_csv_records(path)
    header = header_of(path, records)
    if cfg.target not in header:
        raise DataError(messages.ERR_TEST_CSV_NO_TARGET.format(name=path.name, column=cfg.target))
    t = header.index(cfg.target)
    body = records[1:]
    cells = [r.cells[t].strip() if len(r.cells) > t else "" for r in body]
    target = parse_column(cells)
    if meta["task"] == "regression":
        refuse_non_finite(target, cells, body, cfg.target, path.name)
        if target.text.any():
            raise DataError(messages.ERR_TEST_CSV_TEXT_TARGET.format(column=cfg.target, name=path.name))
    keep = ~(target.missing | target.non_finite)  # as in training: "nan" in a text column marks a missing label
    body = [r for r, k in zip(body, keep, strict=True) if k]
    if not body:
        raise DataError(messages.ERR_TEST_CSV_NO_VALUES.format(name=path.name, column=cfg.target))
    x = torch.stack([features for _, features in encode_csv_rows(path, [records[0], *body], meta["normalization"])])
    if meta["task"] == "classification":
        targets = [c for c, k in zip(cells, keep, strict=True) if k]
        index = _class_index(sorted(set(targets)), list(meta["class_names"]), path.name)
        y = torch.tensor([index[v] for v in targets], dtype=torch.int64)
    else:
        norm = meta["normalization"]
        values = target.values[keep]
        y = torch.from_numpy(((values - norm["target_mean"]) / norm["target_std"]).astype(np.float32))
    return _bundle(path.stem, x, y, meta, meta["task"])


def load_test_set(cfg: DataConfig, root: str, meta: dict[str, Any]) -> DataBundle:
    """The test set at ``root`` (for torchvision data, "" means the run's own folder)."""
    if cfg.source == "image_folder":
        if not root:
            raise DataError(messages.ERR_TEST_FOLDER_NEEDED)
        return _image_folder(cfg, root, meta)
    if cfg.source == "torchvision":
        return _torchvision(cfg, root or cfg.root, meta)
    if cfg.source == "csv":
        if not root:
            raise DataError(messages.ERR_TEST_CSV_NEEDED.format(column=cfg.target))
        return _csv(cfg, root, meta)
    raise DataError(messages.ERR_TEST_BUILTIN)
