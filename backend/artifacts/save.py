"""Save a model in the format a user asks for, always atomically and with its metadata.

- ``pth``: ``{"format": "torchdesk-weights/1", "state_dict": ..., "torchdesk_meta": {...}}``, readable
  with ``torch.load(weights_only=True)``;
- ``safetensors``: the tensors, with the metadata as JSON under the header key ``torchdesk``;
- ``ckpt``: the full training checkpoint (model, optimizer, schedule, RNG, config): resumable;
- ``torchscript``: a traced (or scripted) ``.pt`` archive, reloaded and checked;
- ``pickle``: the whole pickled model object. Loading it runs code from the file, so it can only be
  loaded from trusted sources (TorchDesk asks before it does); prefer safetensors for sharing.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch

from backend.artifacts.model_io import PTH_META_KEY, WEIGHTS_FORMAT, LoadedModel, artifact_meta, output_path
from backend.core import messages
from backend.core.atomic import atomic_write_with
from backend.core.errors import CheckpointError, TorchDeskError
from backend.store.checkpoint import save_checkpoint, write_safetensors

SAVE_FORMATS = {
    "pth": ".pth",
    "safetensors": ".safetensors",
    "ckpt": ".ckpt",
    "torchscript": ".pt",
    "pickle": ".pkl.pth",
}
FORMAT_DESCRIPTIONS = {
    "pth": "weights (state_dict) with metadata, PyTorch .pth",
    "safetensors": "weights with metadata, safetensors (safe to share and to load)",
    "ckpt": "full training checkpoint (resumable: optimizer, schedule, RNG, config)",
    "torchscript": "TorchScript archive (.pt), runs without TorchDesk's code",
    "pickle": "whole pickled model: can only be loaded from trusted sources",
}


@dataclass
class SaveResult:
    format: str
    path: str
    size_bytes: int
    notes: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # the TorchScript check, when there is one

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        head = f"saved {self.format} to {self.path} ({self.size_bytes / 1e6:.2f} MB)"
        return [head] + [f"note: {n}" for n in self.notes]


def _state_dict(loaded: LoadedModel) -> dict[str, torch.Tensor]:
    if not loaded.is_plain_module:
        raise CheckpointError(messages.ERR_SAVE_NOT_PLAIN.format(source=loaded.source, format=loaded.format))
    return {k: v.detach().cpu().clone() for k, v in loaded.model.state_dict().items()}


def save_model(
    loaded: LoadedModel,
    fmt: str,
    out: str | Path | None = None,
    *,
    torchscript_method: str = "trace",
    extra_meta: dict[str, Any] | None = None,
) -> SaveResult:
    """Write ``loaded`` as ``fmt`` to ``out`` (default: ``<run>/exports/<run>-<fmt>-<date><ext>``)."""
    if fmt not in SAVE_FORMATS:
        raise TorchDeskError(f"save format must be one of {', '.join(SAVE_FORMATS)}, got {fmt!r}")
    path = output_path(loaded, out, fmt, SAVE_FORMATS[fmt])
    meta = artifact_meta(loaded, **(extra_meta or {}))
    notes: list[str] = []
    details: dict[str, Any] = {}
    if fmt == "pth":
        payload = {"format": WEIGHTS_FORMAT, "state_dict": _state_dict(loaded), PTH_META_KEY: meta}
        atomic_write_with(path, lambda fh: torch.save(payload, fh))
    elif fmt == "safetensors":
        import json

        from backend.artifacts.model_io import META_KEY

        write_safetensors(path, _state_dict(loaded), {META_KEY: json.dumps(meta), "format": WEIGHTS_FORMAT})
    elif fmt == "ckpt":
        if loaded.checkpoint is None:
            raise CheckpointError(messages.ERR_CKPT_NEEDS_CHECKPOINT.format(source=loaded.source))
        state = dict(loaded.checkpoint)
        state["meta"] = {k: v for k, v in meta.items() if k != "config"}
        save_checkpoint(path, state)
    elif fmt == "torchscript":
        from backend.artifacts.export import export_torchscript

        report = export_torchscript(loaded, path, method=torchscript_method)
        details = report.to_dict()
        notes += report.notes
        if not report.parity_ok:
            notes.append(messages.SAVE_TORCHSCRIPT_DIFFERS.format(diff=report.parity_max_abs_diff))
    else:
        _state_dict(loaded)  # refuses TorchScript / .pt2 sources with a clear message
        model = copy.deepcopy(loaded.model).cpu().eval()
        model.torchdesk_meta = meta  # travels with the pickle, so loading it needs no questions
        atomic_write_with(path, lambda fh: torch.save(model, fh))
        notes.append(messages.SAVE_PICKLE_WARNING)
    return SaveResult(fmt, str(path), path.stat().st_size, notes, details)
