"""Rebuild a model from any TorchDesk artifact, with the metadata needed to feed it.

Weights files written by TorchDesk carry that metadata, so loading needs no questions:
``.pth`` = ``{"format": "torchdesk-weights/1", "state_dict": ..., "torchdesk_meta": {...}}`` (readable
with ``weights_only=True``), ``.safetensors`` = the JSON string under the header key ``torchdesk``,
TorchScript and ``.pt2`` archives = the extra file ``torchdesk.json``, ONNX = the metadata property
``torchdesk``. The metadata is the checkpoint's ``meta`` plus ``config`` (the run's RunConfig as a
dict), ``run_name`` and ``preprocess`` (see ``preprocess_spec``).
"""

from __future__ import annotations

import copy
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

from backend.artifacts.formats import detect_format
from backend.artifacts.metadata import check_metadata, model_config
from backend.artifacts.readers import (  # noqa: F401 - META_KEY etc. are part of this module's interface
    EXTRA_FILE,
    META_KEY,
    PTH_META_KEY,
    load_pt2,
    load_torchscript,
    load_trusted_pickle,
    read_state_dict,
)
from backend.core import messages
from backend.core.config import RunConfig, config_from_dict, resolve_config_paths
from backend.core.errors import CheckpointError, ConfigError, TorchDeskError, UntrustedCodeError
from backend.core.os_errors import check_output_file
from backend.store.checkpoint import strip_wrapper_prefixes
from backend.store.trust import check_model_trust, metadata_folder

WEIGHTS_FORMAT = "torchdesk-weights/1"
EXPORT_DIR = "exports"


class ModelMeta:
    """What a model's metadata says about its outputs (LoadedModel and Predictor share it)."""

    meta: dict[str, Any]

    @property
    def task(self) -> str:
        return self.meta.get("task", "classification")

    @property
    def class_names(self) -> list[str]:
        return list(self.meta.get("class_names") or [])


@dataclass
class LoadedModel(ModelMeta):
    """A model on the CPU (eval mode) and what is known about it."""

    model: nn.Module
    meta: dict[str, Any]
    config: RunConfig | None
    source: Path
    format: str  # torch, safetensors, torchscript, pt2, pickle (a trusted full model)
    checkpoint: dict[str, Any] | None = None  # the whole training checkpoint when the source is one
    notes: list[str] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict, repr=False)  # data bundle etc., built on demand

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(int(s) for s in self.meta["input_shape"])

    @property
    def run_name(self) -> str:
        return self.meta.get("run_name") or (self.config.name if self.config else "") or self.source.stem

    @property
    def is_plain_module(self) -> bool:
        """A regular nn.Module (rebuilt from weights) that export and quantization can work on."""
        return self.format in ("torch", "safetensors", "pickle", "module")

    @classmethod
    def from_module(
        cls, model: nn.Module, meta: dict[str, Any], config: RunConfig | None = None, name: str = "model"
    ) -> LoadedModel:
        """Wrap a model from the GUI: a CPU deep copy in eval mode, so the live model is never touched."""
        from backend.models.finetune import unwrap

        clone = copy.deepcopy(unwrap(model)).cpu().float().eval()
        meta = {**meta, "run_name": meta.get("run_name") or (config.name if config else name)}
        return cls(clone, meta, config, Path(f"<{name}>"), "module")


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "model"


def run_folder_of(source: Path) -> Path | None:
    """The run folder a file belongs to (``<run>/checkpoints/x.ckpt`` or ``<run>/model.safetensors``)."""
    if source.parent.name == "checkpoints" and (source.parent.parent / "config.toml").exists():
        return source.parent.parent
    if (source.parent / "config.toml").exists() and (source.parent / "metrics.jsonl").exists():
        return source.parent
    return None


def default_output_path(loaded: LoadedModel, kind: str, suffix: str, folder: str | Path | None = None) -> Path:
    """``<run folder>/exports/<run name>-<kind>-<YYYYmmdd-HHMMSS><suffix>`` (or next to the source)."""
    if folder is None:
        run = run_folder_of(loaded.source) if loaded.source.exists() else None
        folder = run / EXPORT_DIR if run else (loaded.source.parent if loaded.source.exists() else Path.cwd())
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return Path(folder) / f"{_slug(loaded.run_name)}-{kind}-{stamp}{suffix}"


def output_path(loaded: LoadedModel, out: str | Path | None, kind: str, suffix: str) -> Path:
    """The file an action writes: ``out``, else ``default_output_path``; refused at once when it cannot
    be a file (a folder, or under a file), before any long work."""
    if not out:
        return default_output_path(loaded, kind, suffix)
    return check_output_file(out, default_output_path(loaded, kind, suffix, folder=".").name)


def resolve_model_path(target: str | Path) -> Path:
    """A run folder means its best checkpoint (else last.ckpt, else model.safetensors)."""
    path = Path(target).expanduser()
    if path.is_dir():
        for candidate in ("checkpoints/best.ckpt", "checkpoints/last.ckpt", "model.safetensors"):
            if (path / candidate).is_file():
                return path / candidate
        raise CheckpointError(messages.ERR_RUN_FOLDER_NO_MODEL.format(path=path))
    return path


# ----------------------------------------------------------------------------- metadata
def preprocess_spec(meta: dict[str, Any], config: RunConfig | None) -> dict[str, Any]:
    """How a raw input (image file or CSV row) becomes a model input, from the metadata and config."""
    shape = [int(s) for s in meta.get("input_shape", [])]
    norm = meta.get("normalization") or {}
    if len(shape) == 3 and "scale" in norm:
        crop = None
        resize = None
        if config is not None:
            from backend.core.transform_specs import preset_specs

            try:
                crops = [
                    int(s.args[0])
                    for s in preset_specs(config.data.augment, config.data.transforms)
                    if s.name == "center_crop"
                ]
            except ConfigError:
                crops = []
            crop = crops[-1] if crops else None
            if config.data.image_size:
                resize = [config.data.image_size, config.data.image_size]
        if resize is None or crop is None:
            resize, crop = shape[1:], None  # size before a crop unknown: resize straight to the model input
        return {
            "kind": "image",
            "channels": shape[0],
            "resize": resize,
            "center_crop": crop,
            "scale": norm["scale"],
            "mean": list(norm["mean"]),
            "std": list(norm["std"]),
        }
    spec: dict[str, Any] = {"kind": "table", "features": int(shape[0]) if shape else 0}
    if "columns" in norm:
        spec["columns"] = norm["columns"]
        spec["feature_names"] = norm.get("features", [])
    else:
        spec["mean"], spec["std"] = norm.get("mean"), norm.get("std")
    for key in ("target_mean", "target_std"):
        if key in norm:
            spec[key] = norm[key]
    if config is not None and config.data.target:
        spec["target"] = config.data.target
    return spec


def artifact_meta(loaded: LoadedModel, **extra: Any) -> dict[str, Any]:
    """The metadata written into every artifact: enough to rebuild, feed and label the model."""
    meta = {k: v for k, v in loaded.meta.items() if k != "config"}
    meta["run_name"] = loaded.run_name
    if loaded.config is not None:
        meta["config"] = loaded.config.to_dict()
    meta["preprocess"] = preprocess_spec(loaded.meta, loaded.config)
    meta["saved"] = time.strftime("%Y-%m-%d %H:%M:%S")
    meta.update(extra)
    return meta


def config_from_meta(meta: dict[str, Any], source: Path) -> RunConfig | None:
    raw = meta.get("config")
    if raw is None:
        run = run_folder_of(source)
        if run is None:
            return None
        from backend.core.config import load_config

        try:
            return load_config(run / "config.toml")
        except TorchDeskError:
            return None
    try:
        config = config_from_dict(raw)
    except TorchDeskError:
        return None
    resolve_config_paths(config, metadata_folder(source))  # relative to the file, never to the current folder
    return config


def _check_meta(meta: Any, source: Path) -> dict[str, Any]:
    checked = check_metadata(meta, source)
    if checked is None:
        raise CheckpointError(messages.ERR_NO_METADATA.format(source=source))
    return checked


def rebuild_model(
    meta: dict[str, Any], state_dict: dict[str, torch.Tensor], source: Path, *, trusted: bool = False
) -> nn.Module:
    """Build the architecture the metadata names and load the weights strictly.

    A ``file:`` model named there is imported only when ``trusted`` (see backend.store.trust).
    """
    from backend.artifacts.load import compare_state_dict
    from backend.engine.rng import rng_neutral
    from backend.models.registry import build_model

    model_cfg = model_config(meta["model"], source)
    check_model_trust(model_cfg, source, trusted=trusted)
    try:
        with rng_neutral():  # its random initial weights are overwritten; a run training meanwhile is unaffected
            model = build_model(model_cfg, tuple(meta["input_shape"]), int(meta["num_outputs"]))
    except TorchDeskError as exc:
        raise CheckpointError(messages.ERR_REBUILD_FAILED.format(source=source, error=exc)) from exc
    state_dict = {k: v.float() if v.is_floating_point() else v for k, v in strip_wrapper_prefixes(state_dict).items()}
    report = compare_state_dict(model, state_dict, str(source))
    if not report.ok:
        raise CheckpointError(
            messages.ERR_REBUILD_MISFIT.format(source=source, arch=model_cfg.arch, summary=report.summary())
        )
    model.load_state_dict(state_dict, strict=True)
    return model.eval()


def load_model(path: str | Path, *, trusted: bool = False) -> LoadedModel:
    """Rebuild the model stored in ``path`` (a run folder, checkpoint, weights, TorchScript or .pt2 file).

    ``trusted=True`` allows code the file brings: a pickled full model (unpickling runs code from the
    file) or a ``file:`` model named in its metadata (importing it runs that Python file); without it
    both raise UntrustedCodeError. ONNX files are not PyTorch models: use ``predict.Predictor`` for them.
    """
    path = resolve_model_path(path)
    kind = detect_format(path)
    if kind == "onnx":
        raise CheckpointError(messages.ERR_ONNX_NOT_PYTORCH.format(path=path))
    if kind == "torchscript":
        module, meta = load_torchscript(path)
        return LoadedModel(module, _check_meta(meta, path), config_from_meta(meta, path), path, kind)
    if kind == "pt2":
        module, meta = load_pt2(path, trusted=trusted)
        return LoadedModel(module, _check_meta(meta, path), config_from_meta(meta, path), path, kind)
    if kind == "torch":
        try:
            state, meta, checkpoint = read_state_dict(path)
        except UntrustedCodeError:
            if not trusted:
                raise
            module, meta = load_trusted_pickle(path)
            meta = _check_meta(meta, path)
            return LoadedModel(
                module.cpu().float().eval(),
                meta,
                config_from_meta(meta, path),
                path,
                "pickle",
                notes=["loaded a pickled full model (trusted by the user)"],
            )
    else:
        state, meta, checkpoint = read_state_dict(path)
    meta = _check_meta(meta, path)
    model = rebuild_model(meta, state, path, trusted=trusted)
    config = config_from_meta(meta, path)
    notes = []
    dtype = meta.get("weights_dtype")
    if dtype and dtype != "float32":
        notes.append(f"the file holds {dtype} weights; the model computes in float32 with those rounded weights")
    return LoadedModel(model, meta, config, path, kind, checkpoint=checkpoint, notes=notes)
