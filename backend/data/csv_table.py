"""Tabular data from a CSV file with a header: numeric columns standardised, text columns one-hot."""

from __future__ import annotations

import codecs
import csv
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TextIO

import numpy as np
import torch

from backend.core import messages
from backend.core.config import DataConfig
from backend.core.errors import DataError
from backend.data.bundle import DataBundle, split_indices, standardize

# Markers of a missing cell. "nan" is not one: it reads as a number that is not finite, which a
# number column refuses (an empty cell is the way to leave a value out).
MISSING = {"", "na", "null", "none", "?"}
MAX_CLASSES_FOR_NUMERIC_TARGET = 20
FLOAT32_MAX = float(np.finfo(np.float32).max)  # larger numbers become inf in a float32 tensor
SHOWN_CELLS = 5  # offending cells quoted in a message
DECIMAL_COMMA = re.compile(r"[-+]?\d*,\d+")
OTHER_DELIMITERS = ";\t|"  # separators recognised when the first line holds no comma


class CsvRecord(NamedTuple):
    """One non-blank record of a CSV file: where it starts in the file, and its place among the data rows."""

    line: int  # line of the file (the header is line 1, as a spreadsheet numbers its rows)
    row: int  # data row, 1-based (the header is row 0)
    cells: list[str]


def is_missing(value: str) -> bool:
    return value.strip().lower() in MISSING


def parse_number(value: str) -> float | None:
    """The cell as a float (inf and nan included), or None if it is not a number."""
    try:
        return float(value)
    except ValueError:
        return None


def finite_number(value: float) -> bool:
    """A number a float32 tensor holds as a finite value: not inf, not nan, not beyond +-3.4e38."""
    return math.isfinite(value) and abs(value) <= FLOAT32_MAX


def _delimiter(fh: TextIO) -> str:
    """The separator of the file: a comma when its first non-blank line holds one, else the most frequent
    of ``;``, tab and ``|`` in that line (spreadsheets where the decimal mark is a comma write ``;``)."""
    first = next((line for line in fh if line.strip()), "")
    fh.seek(0)
    if "," in first:
        return ","
    counts = {d: first.count(d) for d in OTHER_DELIMITERS}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _records(fh: TextIO) -> Iterator[CsvRecord]:
    reader = csv.reader(fh, delimiter=_delimiter(fh))
    line, row = 1, 0
    for cells in reader:
        if any(c.strip() for c in cells):
            yield CsvRecord(line, row, cells)
            row += 1
        line = reader.line_num + 1  # a quoted cell may span lines


def _first_bad_byte(path: Path) -> int:
    """The file offset of the first byte that is not UTF-8 (a text reader's error counts from its buffer)."""
    decoder, offset = codecs.getincrementaldecoder("utf-8")(), 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            pending = len(decoder.getstate()[0])  # bytes of a character split across two chunks
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return offset - pending + exc.start
            offset += len(chunk)
    return offset


def read_csv_records(path: Path) -> list[CsvRecord]:
    """The non-blank records of a CSV text file (a BOM is ignored); unreadable text is a DataError."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            return list(_records(fh))
    except UnicodeDecodeError as exc:
        raise DataError(messages.ERR_CSV_NOT_UTF8.format(path=path, position=_first_bad_byte(path))) from exc
    except (OSError, csv.Error) as exc:
        raise DataError(messages.ERR_CSV_UNREADABLE.format(path=path, error=exc)) from exc


def header_of(path: Path, records: list[CsvRecord]) -> list[str]:
    """The column names in the first record of ``path``; two columns of one name are refused (a
    column looked up by name would silently be the other one)."""
    header = [h.strip() for h in records[0].cells] if records else []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise DataError(messages.ERR_CSV_DUPLICATE_COLUMN.format(path=path, column=name))
        seen.add(name)
    return header


def csv_header(path: Path) -> list[str]:
    """The column names of a CSV file, read from its first line only; [] if it cannot be read
    (loading the file reports why)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            first = next(_records(fh), None)
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    return [h.strip() for h in first.cells] if first else []


def _read_rows(path: Path) -> tuple[list[str], list[CsvRecord]]:
    if not path.is_file():
        raise DataError(messages.ERR_CSV_MISSING.format(path=path))
    records = read_csv_records(path)
    if not records:
        raise DataError(messages.ERR_CSV_EMPTY.format(path=path))
    header = header_of(path, records)
    body = records[1:]
    if not body:
        raise DataError(messages.ERR_CSV_NO_ROWS.format(path=path))
    for record in body:
        if len(record.cells) != len(header):
            raise DataError(
                messages.ERR_CSV_ROW_LENGTH.format(
                    path=path, line=record.line, count=len(record.cells), expected=len(header)
                )
            )
    return header, body


@dataclass
class ParsedColumn:
    """A column's cells read as numbers, with the masks of the cells that are not usable numbers."""

    values: np.ndarray  # float64; NaN where the cell is missing, text or not finite
    missing: np.ndarray  # bool: empty or a MISSING marker
    text: np.ndarray  # bool: not a number
    non_finite: np.ndarray  # bool: a number that is not finite (inf, nan, 1e999, beyond float32)

    @property
    def present(self) -> int:
        return int((~self.missing).sum())

    @property
    def is_numeric(self) -> bool:
        """Most present cells are numbers: one stray word does not turn a number column into categories."""
        return self.present > 0 and int(self.text.sum()) * 2 < self.present


def parse_column(cells: list[str]) -> ParsedColumn:
    n = len(cells)
    parsed = ParsedColumn(np.full(n, np.nan), np.zeros(n, bool), np.zeros(n, bool), np.zeros(n, bool))
    for i, cell in enumerate(cells):
        if is_missing(cell):
            parsed.missing[i] = True
        elif (number := parse_number(cell)) is None:
            parsed.text[i] = True
        elif not finite_number(number):
            parsed.non_finite[i] = True
        else:
            parsed.values[i] = number
    return parsed


def _located(mask: np.ndarray, cells: list[str], records: list[CsvRecord]) -> dict[str, object]:
    """The {count}, {lines}, {rows} and {values} of a message about the cells in ``mask``."""
    where = np.flatnonzero(mask)
    first = where[:SHOWN_CELLS]
    return {
        "count": len(where),
        "lines": ", ".join(str(records[i].line) for i in first),
        "rows": ", ".join(str(records[i].row) for i in first),
        "values": ", ".join(repr(cells[i]) for i in first),
    }


def refuse_non_finite(parsed: ParsedColumn, cells: list[str], records: list[CsvRecord], column: str, name: str) -> None:
    """A DataError naming the column and the first cells that are not finite numbers, if there are any."""
    if parsed.non_finite.any():
        located = _located(parsed.non_finite, cells, records)
        raise DataError(messages.ERR_CSV_NOT_FINITE.format(column=column, name=name, **located))


def refuse_decimal_comma(
    parsed: ParsedColumn, cells: list[str], records: list[CsvRecord], column: str, name: str
) -> None:
    """Refuse a column of numbers written with a decimal comma (5,1): read as text they would silently
    become dozens of one-hot categories instead of one number."""
    comma = np.array([bool(parsed.text[i] and DECIMAL_COMMA.fullmatch(cell)) for i, cell in enumerate(cells)])
    if comma.any() and int(comma.sum()) * 2 >= parsed.present:
        raise DataError(
            messages.ERR_CSV_DECIMAL_COMMA.format(column=column, name=name, **_located(comma, cells, records))
        )


def _infer_task(cfg: DataConfig, numeric: np.ndarray | None) -> str:
    if cfg.task != "auto":
        return cfg.task
    if numeric is None:
        return "classification"
    whole = np.all(np.mod(numeric, 1) == 0)
    return "classification" if whole and len(np.unique(numeric)) <= MAX_CLASSES_FOR_NUMERIC_TARGET else "regression"


def _read_target(
    cfg: DataConfig, name: str, records: list[CsvRecord], column: int, warnings: list[str]
) -> tuple[np.ndarray, np.ndarray | None]:
    """Which rows have a target value, and the values as numbers when the column holds numbers.

    Non-finite numbers are refused; stray text in a number column is missing (unless data.task says
    classification, where any text is a label); rows without a target are dropped with a warning.
    """
    cells = [r.cells[column].strip() for r in records]
    parsed = parse_column(cells)
    if parsed.is_numeric:
        refuse_non_finite(parsed, cells, records, cfg.target, name)
    elif cfg.task == "regression":
        raise DataError(messages.ERR_CSV_REGRESSION_TEXT.format(column=cfg.target))
    numeric = parsed.is_numeric and cfg.task != "classification"
    drop = parsed.missing | parsed.non_finite  # "nan" in a text column marks a missing label
    if numeric and parsed.text.any():
        warnings.append(messages.CSV_TEXT_IN_NUMBERS.format(column=cfg.target, **_located(parsed.text, cells, records)))
        drop |= parsed.text
    if drop.any():
        warnings.append(messages.CSV_ROWS_DROPPED.format(count=int(drop.sum()), column=cfg.target))
    if (~drop).sum() < 2:
        raise DataError(messages.ERR_CSV_TOO_FEW_ROWS.format(name=name, column=cfg.target))
    return ~drop, parsed.values[~drop] if numeric else None


@dataclass
class _Features:
    train: list[np.ndarray] = field(default_factory=list)
    val: list[np.ndarray] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    columns: list[dict[str, Any]] = field(default_factory=list)  # how each column is encoded (for prediction)


def _encode_features(
    header: list[str],
    target: int,
    records: list[CsvRecord],
    split: tuple[np.ndarray, np.ndarray],
    file_name: str,
    warnings: list[str],
) -> _Features:
    """Number columns standardised (missing cells filled with the training mean), text columns one-hot."""
    train_idx, val_idx = split
    out = _Features()
    for c, name in enumerate(header):
        if c == target:
            continue
        cells = [r.cells[c].strip() for r in records]
        parsed = parse_column(cells)
        if not parsed.present:
            warnings.append(messages.CSV_EMPTY_COLUMN.format(column=name))
        elif parsed.is_numeric:
            refuse_non_finite(parsed, cells, records, name, file_name)
            if parsed.text.any():
                warnings.append(
                    messages.CSV_TEXT_IN_NUMBERS.format(column=name, **_located(parsed.text, cells, records))
                )
            numeric = parsed.values
            missing = int(np.isnan(numeric).sum())
            fill = float(np.nanmean(numeric[train_idx])) if not np.all(np.isnan(numeric[train_idx])) else 0.0
            numeric = np.where(np.isnan(numeric), fill, numeric)
            (tr, va), mean, std = standardize(numeric[train_idx, None], numeric[val_idx, None])
            out.train.append(tr)
            out.val.append(va)
            out.names.append(name)
            out.columns.append(
                {"name": name, "kind": "numeric", "mean": float(mean.item()), "std": float(std.item()), "fill": fill}
            )
            if missing:
                warnings.append(messages.CSV_FILLED_WITH_MEAN.format(column=name, count=missing, fill=fill))
        else:
            refuse_decimal_comma(parsed, cells, records, name, file_name)
            blank = parsed.missing | parsed.non_finite  # "nan" in a text column marks a missing value
            categories = sorted({v for v, b in zip(cells, blank, strict=True) if not b})
            if len(categories) > 100:
                raise DataError(messages.ERR_CSV_FREE_TEXT.format(column=name, name=file_name, count=len(categories)))
            onehot = np.array([[v == cat for cat in categories] for v in cells], dtype=np.float32)
            out.train.append(onehot[train_idx])
            out.val.append(onehot[val_idx])
            out.names += [f"{name}={cat}" for cat in categories]
            out.columns.append({"name": name, "kind": "categorical", "categories": categories})
            if blank.any():
                warnings.append(messages.CSV_MISSING_ONE_HOT.format(column=name, count=int(blank.sum())))
    return out


def load_csv(cfg: DataConfig, seed: int) -> DataBundle:
    if not cfg.root:
        raise DataError(messages.ERR_CSV_ROOT_EMPTY)
    path = Path(cfg.root).expanduser()
    header, records = _read_rows(path)
    if not cfg.target:
        raise DataError(messages.ERR_CSV_TARGET_EMPTY.format(name=path.name, columns=", ".join(header)))
    if cfg.target not in header:
        raise DataError(
            messages.ERR_CSV_TARGET_UNKNOWN.format(target=cfg.target, name=path.name, columns=", ".join(header))
        )
    t_col = header.index(cfg.target)
    warnings: list[str] = []
    keep, target_num = _read_target(cfg, path.name, records, t_col, warnings)
    records = [r for r, k in zip(records, keep, strict=True) if k]
    task = _infer_task(cfg, target_num)
    if task == "classification":
        target_raw = [r.cells[t_col].strip() for r in records]
        class_names = sorted(set(target_raw), key=lambda s: (parse_number(s) is None, parse_number(s) or 0.0, s))
        lookup = {name: i for i, name in enumerate(class_names)}
        y = np.array([lookup[v] for v in target_raw], dtype=np.int64)
    else:
        class_names = []
        y = target_num  # float64 until standardised: a float32 sum of large targets would overflow
    train_idx, val_idx = split_indices(y, cfg.val_split, seed, stratify=task == "classification")

    features = _encode_features(header, t_col, records, (train_idx, val_idx), path.name, warnings)
    if not features.train:
        raise DataError(messages.ERR_CSV_NO_FEATURES.format(name=path.name, column=cfg.target))
    normalization: dict[str, Any] = {"columns": features.columns}
    x_tr = np.concatenate(features.train, axis=1).astype(np.float32)
    x_va = np.concatenate(features.val, axis=1).astype(np.float32)
    if task == "regression":
        (t_tr, t_va), t_mean, t_std = standardize(y[train_idx], y[val_idx])
        normalization.update(target_mean=float(t_mean.item()), target_std=float(t_std.item()))
        y_tr, y_va = torch.from_numpy(t_tr.astype(np.float32)), torch.from_numpy(t_va.astype(np.float32))
    else:
        y_tr, y_va = torch.from_numpy(y[train_idx]), torch.from_numpy(y[val_idx])
    normalization["features"] = features.names
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
