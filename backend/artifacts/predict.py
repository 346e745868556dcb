"""Predict from image files or CSV rows with a saved model and the model's own preprocessing.

Works with a checkpoint or weights file (.ckpt/.pth/.safetensors), an ONNX model (ONNX Runtime)
or a TorchScript/.pt2 archive written by TorchDesk: all carry the metadata that says how an input
is prepared (image size, crop, normalisation; CSV columns and their scaling) and what the outputs mean.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from backend import messages
from backend.artifacts import runtime
from backend.artifacts.formats import detect_format
from backend.artifacts.model_io import (
    META_KEY,
    ModelMeta,
    config_from_meta,
    load_model,
    preprocess_spec,
    resolve_model_path,
)
from backend.data.csv_table import read_csv_rows
from backend.errors import CheckpointError, DataError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".ppm", ".pgm"}
CHUNK = 64


@dataclass
class Prediction:
    input: str
    top: list[tuple[str, float]] = field(default_factory=list)  # classification: (class, probability), best first
    values: list[float] = field(default_factory=list)  # regression: predictions in the target's units
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "top": [{"class": c, "probability": p} for c, p in self.top],
            "values": self.values,
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
            meta = _meta_or_fail(json.loads(raw) if raw else None, path)
            return cls(runtime.ort_runner(session), meta, path, "ONNX Runtime")
        loaded = load_model(path, trusted=trusted)
        name = {"torchscript": "TorchScript", "pt2": "torch.export"}.get(loaded.format, "PyTorch")
        return cls(runtime.torch_runner(loaded.model), _meta_or_fail(loaded.meta, path), path, name)

    # ------------------------------------------------------------------ inputs
    def _image(self, path: Path) -> torch.Tensor:
        from backend.data.augment import center_crop
        from backend.data.image_folder import decode_image

        spec = self.spec
        if spec["kind"] != "image":
            raise DataError(messages.ERR_PREDICT_IMAGE_FOR_TABLE.format(name=path.name))
        image = decode_image(path, tuple(spec["resize"]), "L" if spec["channels"] == 1 else "RGB")
        if image is None:
            raise DataError(messages.ERR_PREDICT_NOT_IMAGE.format(name=path.name))
        x = image.float() * float(spec["scale"])
        if spec.get("center_crop"):
            x = center_crop(x, int(spec["center_crop"]))
        mean = torch.tensor(spec["mean"], dtype=torch.float32).view(-1, 1, 1)
        std = torch.tensor(spec["std"], dtype=torch.float32).view(-1, 1, 1)
        return (x - mean) / std

    def _csv_rows(self, path: Path) -> list[tuple[str, torch.Tensor]]:
        spec = self.spec
        if spec["kind"] != "table":
            raise DataError(messages.ERR_PREDICT_TABLE_FOR_IMAGES.format(name=path.name))
        rows = read_csv_rows(path)
        if not rows:
            raise DataError(messages.ERR_PREDICT_EMPTY.format(name=path.name))
        if "columns" in spec:
            return _encode_named(path, rows, spec)
        return _encode_plain(path, rows, spec)

    def _inputs(self, item: str | Path) -> list[tuple[str, torch.Tensor | str]]:
        path = Path(item).expanduser()
        if not path.is_file():
            return [(str(item), messages.PREDICT_FILE_NOT_FOUND)]
        try:
            if path.suffix.lower() == ".csv":
                return list(self._csv_rows(path))
            return [(str(item), self._image(path))]
        except DataError as exc:
            return [(str(item), str(exc))]

    # ------------------------------------------------------------------ outputs
    def predict_tensor(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.run(chunk) for chunk in x.split(CHUNK)])

    def _result(self, label: str, out: torch.Tensor, top_k: int) -> Prediction:
        if self.task == "classification":
            probs = out.softmax(dim=0)
            k = min(top_k, len(probs))
            values, idx = probs.topk(k)
            names = self.class_names or [str(i) for i in range(len(probs))]
            top = [(names[i], float(v)) for v, i in zip(values.tolist(), idx.tolist(), strict=True)]
            return Prediction(label, top=top)
        norm = self.meta.get("normalization") or {}
        values = out.double() * float(norm.get("target_std", 1.0)) + float(norm.get("target_mean", 0.0))
        return Prediction(label, values=[float(v) for v in values.reshape(-1)])

    def predict(self, inputs: list[str | Path], top_k: int = 5) -> list[Prediction]:
        """One Prediction per image file or CSV row; unreadable inputs get a Prediction with an error."""
        if top_k < 1:
            raise DataError(f"top-k must be at least 1, got {top_k}")
        items = [pair for item in inputs for pair in self._inputs(item)]
        ready = [x for _, x in items if isinstance(x, torch.Tensor)]
        outputs = iter(self.predict_tensor(torch.stack(ready)) if ready else [])
        return [
            self._result(label, next(outputs), top_k) if isinstance(x, torch.Tensor) else Prediction(label, error=x)
            for label, x in items
        ]


def _meta_or_fail(meta: dict[str, Any] | None, path: Path) -> dict[str, Any]:
    if not meta or "input_shape" not in meta:
        raise CheckpointError(messages.ERR_PREDICT_NO_METADATA.format(path=path))
    return meta


def _floats(values: list[str], path: Path, line: int) -> list[float]:
    try:
        return [float(v) for v in values]
    except ValueError:
        raise DataError(messages.ERR_PREDICT_NOT_NUMBER.format(name=path.name, line=line)) from None


def _encode_plain(path: Path, rows: list[list[str]], spec: dict[str, Any]) -> list[tuple[str, torch.Tensor]]:
    """Tables without named columns (the built-in ones): numbers in the training order."""
    start = 1 if any(_not_number(v) for v in rows[0]) else 0  # a header line
    n = spec["features"]
    mean = np.asarray(spec.get("mean") or [0.0] * n, dtype=np.float64)
    std = np.asarray(spec.get("std") or [1.0] * n, dtype=np.float64)
    out = []
    for line, row in enumerate(rows[start:], start=start + 1):
        if len(row) != n:
            raise DataError(
                messages.ERR_PREDICT_ROW_VALUES.format(name=path.name, line=line, count=len(row), features=n)
            )
        x = (np.asarray(_floats(row, path, line)) - mean) / std
        out.append((f"{path}:row {line - start}", torch.tensor(x, dtype=torch.float32)))
    return out


def _not_number(value: str) -> bool:
    try:
        float(value)
        return False
    except ValueError:
        return True


def _encode_named(path: Path, rows: list[list[str]], spec: dict[str, Any]) -> list[tuple[str, torch.Tensor]]:
    """CSV-trained models: columns matched by header name, scaled and one-hot encoded as in training."""
    from backend.data.csv_table import MISSING

    header = [h.strip() for h in rows[0]]
    columns = spec["columns"]
    absent = [c["name"] for c in columns if c["name"] not in header]
    if absent:
        raise DataError(messages.ERR_PREDICT_COLUMNS.format(name=path.name, columns=", ".join(absent)))
    where = {name: i for i, name in enumerate(header)}
    out = []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise DataError(
                messages.ERR_PREDICT_ROW_LENGTH.format(name=path.name, line=line, count=len(row), expected=len(header))
            )
        features: list[float] = []
        for col in columns:
            value = row[where[col["name"]]].strip()
            if col["kind"] == "numeric":
                number = col["fill"] if value.lower() in MISSING else _floats([value], path, line)[0]
                features.append((number - col["mean"]) / col["std"])
            else:
                features += [1.0 if value == cat else 0.0 for cat in col["categories"]]
        out.append((f"{path}:row {line - 1}", torch.tensor(features, dtype=torch.float32)))
    return out


def encode_csv_rows(path: Path, rows: list[list[str]], normalization: dict[str, Any]) -> list[tuple[str, torch.Tensor]]:
    """Rows of a CSV file (header first) encoded like the table a model was trained on."""
    return _encode_named(path, rows, {"columns": normalization["columns"]})


def predict_files(
    model_path: str | Path, inputs: list[str | Path], top_k: int = 5, *, trusted: bool = False
) -> list[Prediction]:
    """Open ``model_path`` and predict every image file or CSV row in ``inputs``."""
    return Predictor.open(model_path, trusted=trusted).predict(inputs, top_k)
