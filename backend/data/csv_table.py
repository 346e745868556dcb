"""Tabular data from a CSV file with a header: numeric columns standardised, text columns one-hot."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import torch

from backend import messages
from backend.config import DataConfig
from backend.data.bundle import DataBundle, split_indices, standardize
from backend.errors import DataError

MISSING = {"", "na", "nan", "null", "none", "?"}
MAX_CLASSES_FOR_NUMERIC_TARGET = 20


def _is_missing(value: str) -> bool:
    return value.strip().lower() in MISSING


def _as_float(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _non_blank_rows(fh: Iterable[str]) -> Iterator[list[str]]:
    return (r for r in csv.reader(fh) if any(c.strip() for c in r))


def read_csv_rows(path: Path) -> list[list[str]]:
    """The non-blank rows of a CSV text file (a BOM is ignored); unreadable text is a DataError."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            return list(_non_blank_rows(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(messages.ERR_CSV_UNREADABLE.format(path=path, error=exc)) from None


def csv_header(path: Path) -> list[str]:
    """The column names of a CSV file, read from its first line only; [] if it cannot be read
    (loading the file reports why)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            return [h.strip() for h in next(_non_blank_rows(fh), [])]
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    if not path.is_file():
        raise DataError(messages.ERR_CSV_MISSING.format(path=path))
    rows = read_csv_rows(path)
    if not rows:
        raise DataError(messages.ERR_CSV_EMPTY.format(path=path))
    header = [h.strip() for h in rows[0]]
    body = rows[1:]
    if not body:
        raise DataError(messages.ERR_CSV_NO_ROWS.format(path=path))
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise DataError(
                messages.ERR_CSV_ROW_LENGTH.format(path=path, line=line, count=len(row), expected=len(header))
            )
    return header, body


def _numeric(column: list[str]) -> np.ndarray | None:
    """The column as floats (NaN where missing), or None if any present value is not a number."""
    out = np.empty(len(column), dtype=np.float64)
    for i, v in enumerate(column):
        if _is_missing(v):
            out[i] = np.nan
        else:
            f = _as_float(v)
            if f is None:
                return None
            out[i] = f
    return out


def _infer_task(cfg: DataConfig, target: list[str], numeric: np.ndarray | None) -> str:
    if cfg.task != "auto":
        return cfg.task
    if numeric is None:
        return "classification"
    whole = np.all(np.mod(numeric, 1) == 0)
    return "classification" if whole and len(np.unique(numeric)) <= MAX_CLASSES_FOR_NUMERIC_TARGET else "regression"


def load_csv(cfg: DataConfig, seed: int) -> DataBundle:
    if not cfg.root:
        raise DataError(messages.ERR_CSV_ROOT_EMPTY)
    path = Path(cfg.root).expanduser()
    header, body = _read_rows(path)
    if not cfg.target:
        raise DataError(messages.ERR_CSV_TARGET_EMPTY.format(name=path.name, columns=", ".join(header)))
    if cfg.target not in header:
        raise DataError(
            messages.ERR_CSV_TARGET_UNKNOWN.format(target=cfg.target, name=path.name, columns=", ".join(header))
        )
    t_col = header.index(cfg.target)
    target_raw = [row[t_col].strip() for row in body]
    keep = [i for i, v in enumerate(target_raw) if not _is_missing(v)]
    warnings: list[str] = []
    if len(keep) < len(body):
        warnings.append(messages.CSV_ROWS_DROPPED.format(count=len(body) - len(keep), column=cfg.target))
    if len(keep) < 2:
        raise DataError(messages.ERR_CSV_TOO_FEW_ROWS.format(name=path.name, column=cfg.target))
    body = [body[i] for i in keep]
    target_raw = [target_raw[i] for i in keep]
    target_num = _numeric(target_raw)
    task = _infer_task(cfg, target_raw, target_num)
    if task == "regression" and target_num is None:
        raise DataError(messages.ERR_CSV_REGRESSION_TEXT.format(column=cfg.target))

    if task == "classification":
        class_names = sorted(set(target_raw), key=lambda s: (_as_float(s) is None, _as_float(s) or 0.0, s))
        lookup = {name: i for i, name in enumerate(class_names)}
        y = np.array([lookup[v] for v in target_raw], dtype=np.int64)
    else:
        class_names = []
        y = target_num.astype(np.float32)
    train_idx, val_idx = split_indices(y, cfg.val_split, seed, stratify=task == "classification")

    blocks_tr, blocks_va, feature_names = [], [], []
    normalization: dict = {"columns": []}
    for c, name in enumerate(header):
        if c == t_col:
            continue
        column = [row[c].strip() for row in body]
        numeric = _numeric(column)
        missing = sum(_is_missing(v) for v in column)
        if numeric is not None:
            if np.all(np.isnan(numeric)):
                warnings.append(messages.CSV_EMPTY_COLUMN.format(column=name))
                continue
            fill = float(np.nanmean(numeric[train_idx])) if not np.all(np.isnan(numeric[train_idx])) else 0.0
            numeric = np.where(np.isnan(numeric), fill, numeric)
            (tr, va), mean, std = standardize(numeric[train_idx, None], numeric[val_idx, None])
            blocks_tr.append(tr)
            blocks_va.append(va)
            feature_names.append(name)
            normalization["columns"].append(
                {"name": name, "kind": "numeric", "mean": float(mean.item()), "std": float(std.item()), "fill": fill}
            )
            if missing:
                warnings.append(messages.CSV_FILLED_WITH_MEAN.format(column=name, count=missing, fill=fill))
        else:
            categories = sorted({v for v in column if not _is_missing(v)})
            if len(categories) > 100:
                raise DataError(messages.ERR_CSV_FREE_TEXT.format(column=name, name=path.name, count=len(categories)))
            onehot = np.array([[v == cat for cat in categories] for v in column], dtype=np.float32)
            blocks_tr.append(onehot[train_idx])
            blocks_va.append(onehot[val_idx])
            feature_names += [f"{name}={cat}" for cat in categories]
            normalization["columns"].append({"name": name, "kind": "categorical", "categories": categories})
            if missing:
                warnings.append(messages.CSV_MISSING_ONE_HOT.format(column=name, count=missing))
    if not blocks_tr:
        raise DataError(messages.ERR_CSV_NO_FEATURES.format(name=path.name, column=cfg.target))

    x_tr = np.concatenate(blocks_tr, axis=1).astype(np.float32)
    x_va = np.concatenate(blocks_va, axis=1).astype(np.float32)
    if task == "regression":
        (t_tr, t_va), t_mean, t_std = standardize(y[train_idx], y[val_idx])
        normalization.update(target_mean=float(t_mean.item()), target_std=float(t_std.item()))
        y_tr, y_va = torch.from_numpy(t_tr.astype(np.float32)), torch.from_numpy(t_va.astype(np.float32))
    else:
        y_tr, y_va = torch.from_numpy(y[train_idx]), torch.from_numpy(y[val_idx])
    normalization["features"] = feature_names
    return DataBundle(
        name=path.stem,
        x_train=torch.from_numpy(x_tr),
        y_train=y_tr,
        x_val=torch.from_numpy(x_va),
        y_val=y_va,
        task=task,
        class_names=class_names,
        normalization=normalization,
        warnings=warnings,
    )
