"""Predict from image files or CSV rows with a saved model and the model's own preprocessing.

Works with a checkpoint or weights file (.ckpt/.pth/.safetensors), an ONNX model (ONNX Runtime)
or a TorchScript/.pt2 archive written by TorchDesk: all carry the metadata that says how an input
is prepared (image size, crop, normalisation; CSV columns and their scaling) and what the outputs mean.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from backend.artifacts import runtime
from backend.artifacts.formats import detect_format
from backend.artifacts.metadata import PREDICT_KEYS, check_metadata, parse_metadata_json
from backend.artifacts.model_io import (
    META_KEY,
    ModelMeta,
    config_from_meta,
    load_model,
    preprocess_spec,
    resolve_model_path,
)
from backend.core import messages
from backend.core.errors import CheckpointError, DataError
from backend.data.csv_table import (
    CsvRecord,
    finite_number,
    header_of,
    is_missing,
    parse_number,
    read_csv_records,
)

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".ppm", ".pgm"}
CHUNK = 64
GRAY_MODES = {"1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "F"}  # PIL modes with one colour channel


@dataclass
class Prediction:
    input: str
    top: list[tuple[str, float]] = field(default_factory=list)  # classification: (class, probability), best first
    values: list[float] = field(default_factory=list)  # regression: predictions in the target's units
    error: str | None = None
    warnings: list[str] = field(default_factory=list)  # the input differs from the training data (size, mode)
    image: np.ndarray | None = field(default=None, repr=False)  # an image input as the model saw it: uint8 (C, H, W)

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "top": [{"class": c, "probability": p} for c, p in self.top],
            "values": self.values,
            "warnings": [str(w) for w in self.warnings],
            "error": self.error,
        }

    def line(self) -> str:
        if self.error:
            return f"{self.input}: error: {self.error}"
        if self.top:
            return f"{self.input}: " + ", ".join(f"{c} ({p:.1%})" for c, p in self.top)
        return f"{self.input}: " + ", ".join(f"{v:.6g}" for v in self.values)


class Predictor(ModelMeta):
    """A model ready to predict, whatever file it came from."""

    def __init__(self, run: runtime.Runner, meta: dict[str, Any], source: Path, runtime_name: str) -> None:
        self.run, self.meta, self.source, self.runtime_name = run, meta, source, runtime_name
        self.spec = meta.get("preprocess") or preprocess_spec(meta, config_from_meta(meta, source))

    @classmethod
    def open(cls, path: str | Path, *, trusted: bool = False) -> Predictor:
        path = resolve_model_path(path)
        kind = detect_format(path)
        if kind == "onnx":
            session = runtime.ort_session(path)
            raw = session.get_modelmeta().custom_metadata_map.get(META_KEY)
            meta = _meta_or_fail(parse_metadata_json(raw, path) if raw else None, path)
            return cls(runtime.ort_runner(session), meta, path, "ONNX Runtime")
        loaded = load_model(path, trusted=trusted)
        name = {"torchscript": "TorchScript", "pt2": "torch.export"}.get(loaded.format, "PyTorch")
        return cls(runtime.torch_runner(loaded.model), _meta_or_fail(loaded.meta, path), path, name)

    # ------------------------------------------------------------------ inputs
    def _image(self, path: Path, label: str) -> _Input:
        from backend.data.image_io import load_image, open_image

        spec = self.spec
        if spec["kind"] != "image":
            raise DataError(messages.ERR_PREDICT_IMAGE_FOR_TABLE.format(name=path.name))
        with open_image(path) as img:  # the header only: the size and mode as stored in the file
            size, mode = (img.height, img.width), img.mode
        warnings = input_mismatch(path.name, size, mode, spec)
        image, x = self.model_input(load_image(path, tuple(spec["resize"]), "L" if spec["channels"] == 1 else "RGB"))
        return _Input(label, x, warnings, image.numpy())

    def model_input(self, image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """A uint8 (C, H, W) image at the training size -> (the image as the model sees it, after any
        center crop; its normalised model input). Files (above) and validation images (explanations) alike."""
        from backend.data.augment import center_crop

        spec = self.spec
        x = image.float() * float(spec["scale"])
        if spec.get("center_crop"):
            crop = int(spec["center_crop"])
            x, image = center_crop(x, crop), center_crop(image, crop)
        mean = torch.tensor(spec["mean"], dtype=torch.float32).view(-1, 1, 1)
        std = torch.tensor(spec["std"], dtype=torch.float32).view(-1, 1, 1)
        return image, (x - mean) / std

    def _csv_rows(self, path: Path) -> list[tuple[str, torch.Tensor]]:
        spec = self.spec
        if spec["kind"] != "table":
            raise DataError(messages.ERR_PREDICT_TABLE_FOR_IMAGES.format(name=path.name))
        rows = read_csv_records(path)
        if not rows:
            raise DataError(messages.ERR_PREDICT_EMPTY.format(name=path.name))
        if "columns" in spec:
            return _encode_named(path, rows, spec)
        return _encode_plain(path, rows, spec)

    def _inputs(self, item: str | Path) -> list[_Input]:
        path = Path(item).expanduser()
        if path.is_dir():
            pattern = "*.csv" if self.spec["kind"] == "table" else "*.png"
            return [_Input(str(item), messages.PREDICT_IS_FOLDER.format(example=path / pattern))]
        if not path.is_file():
            return [_Input(str(item), messages.PREDICT_FILE_NOT_FOUND)]
        try:
            if path.suffix.lower() == ".csv":
                return [_Input(label, x) for label, x in self._csv_rows(path)]
            return [self._image(path, str(item))]
        except DataError as exc:
            return [_Input(str(item), str(exc))]

    # ------------------------------------------------------------------ outputs
    def predict_tensor(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.run(chunk) for chunk in x.split(CHUNK)])

    def _result(self, label: str, out: torch.Tensor, top_k: int) -> Prediction:
        if not torch.isfinite(out).all():  # never "setosa (nan%)"
            return Prediction(label, error=messages.ERR_PREDICT_OUTPUT_NOT_FINITE)
        if self.task == "classification":
            probs = out.softmax(dim=0)
            k = min(top_k, len(probs))
            values, idx = probs.topk(k)
            names = self.class_names or [str(i) for i in range(len(probs))]
            if len(names) != len(probs):  # a model whose outputs disagree with its metadata
                count = messages.METADATA_COUNT.format(
                    key="class_names", count=len(names), expected=len(probs), what=messages.META_OUTPUTS
                )
                raise CheckpointError(messages.ERR_METADATA_DAMAGED.format(path=self.source, what=count))
            top = [(names[i], float(v)) for v, i in zip(values.tolist(), idx.tolist(), strict=True)]
            return Prediction(label, top=top)
        norm = self.meta.get("normalization") or {}
        values = out.double() * float(norm.get("target_std", 1.0)) + float(norm.get("target_mean", 0.0))
        return Prediction(label, values=[float(v) for v in values.reshape(-1)])

    def predict(self, inputs: list[str | Path], top_k: int = 5) -> list[Prediction]:
        """One Prediction per image file or CSV row; unreadable inputs get a Prediction with an error."""
        if top_k < 1:
            raise DataError(f"top-k must be at least 1, got {top_k}")
        items = [one for item in inputs for one in self._inputs(item)]
        ready = [i.x for i in items if isinstance(i.x, torch.Tensor)]
        outputs = iter(self.predict_tensor(torch.stack(ready)) if ready else [])
        results = []
        for i in items:
            if isinstance(i.x, torch.Tensor):
                result = self._result(i.label, next(outputs), top_k)
            else:
                result = Prediction(i.label, error=i.x)
            result.warnings, result.image = i.warnings, i.image
            results.append(result)
        return results


@dataclass
class _Input:
    """One model input (or why there is none), with what the predictions will carry along."""

    label: str
    x: torch.Tensor | str  # the prepared input, or the error text
    warnings: list[str] = field(default_factory=list)
    image: np.ndarray | None = None


def input_mismatch(name: str, size: tuple[int, int], mode: str, spec: dict[str, Any]) -> list[str]:
    """Warnings for an image whose size (H, W) or colour mode (a PIL mode) differs from the training images."""
    warnings = []
    train_h, train_w = (int(s) for s in spec["resize"])
    if tuple(size) != (train_h, train_w):
        warnings.append(
            messages.PREDICT_WARN_SIZE.format(
                name=name, width=size[1], height=size[0], train_width=train_w, train_height=train_h
            )
        )
    gray = mode in GRAY_MODES
    if gray != (int(spec["channels"]) == 1):
        words = (messages.PREDICT_MODE_GRAY, messages.PREDICT_MODE_COLOUR)
        found, trained = words if gray else words[::-1]
        warnings.append(messages.PREDICT_WARN_MODE.format(name=name, mode=found, train_mode=trained))
    return warnings


def predictions_csv(predictions: list[Prediction]) -> str:
    """The predictions as CSV text: one row per input, its top-k classes (or values), warnings and error."""
    width = max((len(p.top) or len(p.values) for p in predictions), default=0)
    classify = any(p.top for p in predictions)
    if classify:
        header = [f"{name}_{i}" for i in range(1, width + 1) for name in ("class", "probability")]
    else:
        header = [f"value_{i}" for i in range(1, width + 1)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["input", *header, "warnings", "error"])
    for p in predictions:
        cells: list[Any] = [c for name, prob in p.top for c in (name, f"{prob:.6f}")] if classify else list(p.values)
        cells += [""] * (len(header) - len(cells))
        writer.writerow([p.input, *cells, "; ".join(str(w) for w in p.warnings), p.error or ""])
    return out.getvalue()


def save_predictions_csv(predictions: list[Prediction], path: str | Path) -> Path:
    """Write ``predictions_csv`` atomically to ``path`` (the caller has the user's word to replace it)."""
    from backend.core.atomic import atomic_write_text

    atomic_write_text(Path(path), predictions_csv(predictions))
    return Path(path)


def _meta_or_fail(meta: Any, path: Path) -> dict[str, Any]:
    checked = check_metadata(meta, path, PREDICT_KEYS)
    if checked is None:
        raise CheckpointError(messages.ERR_PREDICT_NO_METADATA.format(path=path))
    return checked


def _number(path: Path, line: int, row: int, column: str, value: str) -> float:
    """A cell of a model input as a finite number; text or inf/nan/1e999 is a DataError naming the cell."""
    number = parse_number(value)
    if number is None:
        raise DataError(messages.ERR_PREDICT_NOT_NUMBER.format(name=path.name, line=line))
    if not finite_number(number):
        raise DataError(
            messages.ERR_PREDICT_NOT_FINITE.format(name=path.name, line=line, row=row, column=column, value=value)
        )
    return number


def _encode_plain(path: Path, rows: list[CsvRecord], spec: dict[str, Any]) -> list[tuple[str, torch.Tensor]]:
    """Tables without named columns (the built-in ones): numbers in the training order."""
    has_header = any(parse_number(v) is None for v in rows[0].cells)
    n = spec["features"]
    names = [h.strip() for h in rows[0].cells] if has_header else []
    columns = [repr(names[i]) if i < len(names) else str(i + 1) for i in range(n)]  # named, else numbered from 1
    mean = np.asarray(spec.get("mean") or [0.0] * n, dtype=np.float64)
    std = np.asarray(spec.get("std") or [1.0] * n, dtype=np.float64)
    out = []
    for index, record in enumerate(rows[1:] if has_header else rows, start=1):
        if len(record.cells) != n:
            raise DataError(
                messages.ERR_PREDICT_ROW_VALUES.format(
                    name=path.name, line=record.line, count=len(record.cells), features=n
                )
            )
        values = [_number(path, record.line, index, column, v) for column, v in zip(columns, record.cells, strict=True)]
        x = (np.asarray(values) - mean) / std
        out.append((f"{path}:row {index}", torch.tensor(x, dtype=torch.float32)))
    return out


def _encode_named(path: Path, rows: list[CsvRecord], spec: dict[str, Any]) -> list[tuple[str, torch.Tensor]]:
    """CSV-trained models: columns matched by header name, scaled and one-hot encoded as in training."""
    header = header_of(path, rows)
    columns = spec["columns"]
    absent = [c["name"] for c in columns if c["name"] not in header]
    if absent:
        raise DataError(messages.ERR_PREDICT_COLUMNS.format(name=path.name, columns=", ".join(absent)))
    where = {name: i for i, name in enumerate(header)}
    out = []
    for record in rows[1:]:
        if len(record.cells) != len(header):
            raise DataError(
                messages.ERR_PREDICT_ROW_LENGTH.format(
                    name=path.name, line=record.line, count=len(record.cells), expected=len(header)
                )
            )
        features: list[float] = []
        for col in columns:
            value = record.cells[where[col["name"]]].strip()
            if col["kind"] == "numeric":
                number = (
                    col["fill"]
                    if is_missing(value)
                    else _number(path, record.line, record.row, repr(col["name"]), value)
                )
                features.append((number - col["mean"]) / col["std"])
            else:
                features += [1.0 if value == cat else 0.0 for cat in col["categories"]]
        out.append((f"{path}:row {record.row}", torch.tensor(features, dtype=torch.float32)))
    return out


def encode_csv_rows(path: Path, rows: list[CsvRecord], normalization: dict[str, Any]) -> list[tuple[str, torch.Tensor]]:
    """Records of a CSV file (header first) encoded like the table a model was trained on."""
    return _encode_named(path, rows, {"columns": normalization["columns"]})


def predict_files(
    model_path: str | Path, inputs: list[str | Path], top_k: int = 5, *, trusted: bool = False
) -> list[Prediction]:
    """Open ``model_path`` and predict every image file or CSV row in ``inputs``."""
    return Predictor.open(model_path, trusted=trusted).predict(inputs, top_k)
