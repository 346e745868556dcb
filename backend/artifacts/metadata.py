"""The TorchDesk metadata of a model file, checked in one place for every reader.

Every format carries it (see model_io): as JSON text (the safetensors header, the TorchScript or
``.pt2`` extra file, the ONNX property) or as a dict (``.pth`` weights, checkpoints). The values the
engine uses (shapes, output count, model options, class names, preprocessing) are checked here, so a
damaged or hand-edited file is one CheckpointError naming the field, never an internal error later.
Keys this version does not know are kept as they are (a newer TorchDesk may add some).
"""

from __future__ import annotations

import dataclasses
import json
import math
import numbers
from pathlib import Path
from typing import Any, NoReturn

from backend.core import messages
from backend.core.config import ModelConfig
from backend.core.errors import CheckpointError, ConfigError, first_line

REBUILD_KEYS = ("input_shape", "num_outputs", "model")  # what rebuilding the model needs
PREDICT_KEYS = ("input_shape",)  # what feeding an ONNX model needs
TASKS = ("classification", "regression")
STRING_KEYS = ("run_name", "arch", "dataset", "weights_dtype", "saved", "torch", "exported_format")
SHOWN_CHARS = 60


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 3] + "..."


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def _is_list(value: Any) -> bool:
    return isinstance(value, (list, tuple))  # a .pth or checkpoint may hold tuples where JSON has lists


def _positive_int(value: Any) -> bool:
    return _is_int(value) and value > 0


def _numbers(value: Any) -> bool:
    return _is_list(value) and all(_is_number(v) for v in value)


def _strings(value: Any) -> bool:
    return _is_list(value) and all(isinstance(v, str) for v in value)


class _Check:
    """Checks one file's metadata; every failure is ERR_METADATA_DAMAGED naming the field."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, what: str) -> NoReturn:
        raise CheckpointError(messages.ERR_METADATA_DAMAGED.format(path=self.path, what=what))

    def value(self, table: dict[str, Any], key: str, ok: Any, expected: str, prefix: str = "") -> None:
        """``table[key]``, when present, satisfies ``ok`` (a predicate)."""
        if key in table and not ok(table[key]):
            self.fail(messages.METADATA_BAD_VALUE.format(key=prefix + key, value=_show(table[key]), expected=expected))

    def table(self, table: dict[str, Any], key: str, prefix: str = "") -> dict[str, Any]:
        """``table[key]``: a table, or null/absent (read as empty)."""
        self.value(table, key, lambda v: v is None or isinstance(v, dict), messages.META_TABLE, prefix)
        return table.get(key) or {}

    def count(self, key: str, values: list[Any], expected: int, what: str) -> None:
        if len(values) != expected:
            self.fail(messages.METADATA_COUNT.format(key=key, count=len(values), expected=expected, what=what))

    def stats(self, table: dict[str, Any], prefix: str, width: int | None) -> None:
        """mean/std: null or one number per input channel/feature; target scaling numbers."""
        for key in ("mean", "std"):
            self.value(table, key, lambda v: v is None or _numbers(v), messages.META_NUMBERS, prefix)
            if width is not None and table.get(key) is not None:
                self.count(prefix + key, table[key], width, messages.META_CHANNELS_OR_FEATURES)
        for key in ("scale", "target_mean", "target_std"):
            self.value(table, key, _is_number, messages.META_NUMBER, prefix)

    def columns(self, table: dict[str, Any], prefix: str, width: int | None) -> None:
        """A CSV model's columns: name, kind and its scaling or categories; their width is the input's."""
        if "columns" not in table:
            return
        self.value(table, "columns", _is_list, messages.META_TABLE, prefix)
        total = 0
        for i, column in enumerate(table["columns"]):
            where = f"{prefix}columns[{i}]."
            if not isinstance(column, dict):
                self.fail(
                    messages.METADATA_BAD_VALUE.format(
                        key=where[:-1], value=_show(column), expected=messages.META_TABLE
                    )
                )
            kinds = messages.META_CHOICE.format(names="'numeric', 'categorical'")
            for key in ("name", "kind"):
                if key not in column:
                    self.fail(messages.METADATA_MISSING.format(key=where + key))
            self.value(column, "name", lambda v: isinstance(v, str), messages.META_STRING, where)
            self.value(column, "kind", lambda v: v in ("numeric", "categorical"), kinds, where)
            if column["kind"] == "numeric":
                for key in ("mean", "std", "fill"):
                    if key not in column:
                        self.fail(messages.METADATA_MISSING.format(key=where + key))
                    self.value(column, key, _is_number, messages.META_NUMBER, where)
                total += 1
            else:
                if "categories" not in column:
                    self.fail(messages.METADATA_MISSING.format(key=where + "categories"))
                self.value(column, "categories", _strings, messages.META_STRINGS, where)
                total += len(column["categories"])
        if width is not None and total != width:
            self.fail(
                messages.METADATA_COUNT.format(
                    key=prefix + "columns", count=total, expected=width, what=messages.META_CHANNELS_OR_FEATURES
                )
            )
        self.value(table, "features", _strings, messages.META_STRINGS, prefix)
        self.value(table, "feature_names", _strings, messages.META_STRINGS, prefix)

    def preprocess(self, spec: dict[str, Any], shape: list[int] | None) -> None:
        prefix = "preprocess."
        kinds = messages.META_CHOICE.format(names="'image', 'table'")
        if "kind" not in spec:
            self.fail(messages.METADATA_MISSING.format(key=prefix + "kind"))
        self.value(spec, "kind", lambda v: v in ("image", "table"), kinds, prefix)
        width = shape[0] if shape else None
        if spec["kind"] == "image":
            for key in ("channels", "resize", "scale", "mean", "std"):
                if key not in spec:
                    self.fail(messages.METADATA_MISSING.format(key=prefix + key))
            self.value(spec, "channels", lambda v: v in (1, 3) and _is_int(v), messages.META_CHANNELS, prefix)
            self.value(spec, "resize", lambda v: _numbers(v) and len(v) == 2 and all(_positive_int(s) for s in v),
                       messages.META_SIZE, prefix)  # fmt: skip
            self.value(spec, "center_crop", lambda v: v is None or _positive_int(v), messages.META_OPTIONAL_INT, prefix)
            for key in ("mean", "std"):
                self.value(spec, key, _numbers, messages.META_NUMBERS, prefix)
            self.stats(spec, prefix, spec["channels"])
        else:
            self.value(spec, "features", _positive_int, messages.META_POSITIVE_INT, prefix)
            self.stats(spec, prefix, width)
            self.columns(spec, prefix, width)
            self.value(spec, "target", lambda v: isinstance(v, str), messages.META_STRING, prefix)

    def normalization(self, norm: dict[str, Any], shape: list[int] | None) -> None:
        prefix = "normalization."
        image = shape is not None and len(shape) == 3 and "scale" in norm
        width = shape[0] if shape and (image or len(shape) == 1) else None
        self.stats(norm, prefix, width)
        self.columns(norm, prefix, width)
        self.value(norm, "source", lambda v: isinstance(v, str), messages.META_STRING, prefix)


def model_config(raw: dict[str, Any], path: Path) -> ModelConfig:
    """The ModelConfig in the metadata's ``model`` table (its options checked like a config's);
    ``weights`` is emptied: the file itself holds the weights."""
    from backend.core.config import config_from_dict

    known = {f.name for f in dataclasses.fields(ModelConfig)}
    values = {k: v for k, v in raw.items() if k in known and k != "weights"}
    try:
        return config_from_dict({"model": values}).model
    except ConfigError as exc:
        _Check(path).fail(messages.METADATA_MODEL.format(error=exc))


def check_metadata(meta: Any, path: str | Path, required: tuple[str, ...] = REBUILD_KEYS) -> dict[str, Any] | None:
    """``meta`` when it is well-formed TorchDesk metadata holding ``required``; None when the file has
    none (nothing, or a foreign table without any of the required keys); else ERR_METADATA_DAMAGED."""
    check = _Check(Path(path))
    if meta is None:
        return None
    if not isinstance(meta, dict):
        check.fail(messages.METADATA_NOT_TABLE.format(value=_show(meta)))
    if not any(key in meta for key in required):
        return None
    for key in required:
        if key not in meta:
            check.fail(messages.METADATA_MISSING.format(key=key))
    shape_ok = lambda v: _is_list(v) and 1 <= len(v) <= 4 and all(_positive_int(s) for s in v)  # noqa: E731
    check.value(meta, "input_shape", shape_ok, messages.META_SHAPE)
    check.value(meta, "num_outputs", _positive_int, messages.META_POSITIVE_INT)
    check.value(meta, "task", lambda v: v in TASKS, messages.META_CHOICE.format(names="'classification', 'regression'"))
    check.value(meta, "class_names", _strings, messages.META_STRINGS)
    for key in STRING_KEYS:
        check.value(meta, key, lambda v: isinstance(v, str), messages.META_STRING)
    check.table(meta, "config")
    if "model" in meta:
        check.value(meta, "model", lambda v: isinstance(v, dict), messages.META_TABLE)
        model = meta["model"]
        if "arch" not in model:
            check.fail(messages.METADATA_MISSING.format(key="model.arch"))
        model_config(model, Path(path))
    names, outputs = meta.get("class_names") or [], meta.get("num_outputs")
    if names and outputs is not None and meta.get("task", "classification") == "classification":
        check.count("class_names", names, outputs, messages.META_OUTPUTS)
    shape = meta.get("input_shape")
    check.normalization(check.table(meta, "normalization"), shape)
    if meta.get("preprocess"):
        check.preprocess(check.table(meta, "preprocess"), shape)
    return meta


def parse_metadata_json(text: str | bytes, path: str | Path) -> Any:
    """The value of a metadata JSON text; ERR_METADATA_DAMAGED when it is not JSON."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        _Check(Path(path)).fail(messages.METADATA_NOT_JSON.format(error=first_line(exc)))
