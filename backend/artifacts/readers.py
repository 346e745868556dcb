"""Reading model files safely: state dicts and metadata, TorchScript and .pt2 archives.

``torch.load`` always runs with ``weights_only=True``; a pickled object is refused with a message
(never executed) unless the caller passes through ``load_trusted_pickle`` after the user confirmed.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import re
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import torch
from torch import nn

from backend import messages
from backend.artifacts.formats import KIND_NAMES, detect_format, read_safetensors_metadata
from backend.errors import CheckpointError

META_KEY = "torchdesk"  # safetensors header key and ONNX metadata property
PTH_META_KEY = "torchdesk_meta"
EXTRA_FILE = "torchdesk.json"  # TorchScript / .pt2 extra file
_NESTED = ("state_dict", "model_state_dict", "model")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def torch_load_safe(path: Path) -> Any:
    """``torch.load(weights_only=True)``; a pickled object is refused with a message, never executed."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # foreign bytes make torch warn about odd pickle protocols first
            return torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        found = re.search(r"Unsupported global: GLOBAL ([\w.]+)", str(exc))
        if found is None:
            raise CheckpointError(messages.ERR_PYTORCH_UNREADABLE.format(path=path)) from None
        reason = messages.READER_NEEDS.format(name=found.group(1))
        raise CheckpointError(messages.ERR_PICKLED_MODEL.format(path=path, reason=reason)) from None
    except Exception as exc:  # noqa: BLE001 - torch raises many types on foreign or cut bytes
        raise CheckpointError(
            messages.ERR_PYTORCH_UNREADABLE_DETAIL.format(path=path, error=_first_line(exc))
        ) from None


def _nested_state(obj: dict[str, Any]) -> dict[str, torch.Tensor] | None:
    for key in _NESTED:
        inner = obj.get(key)
        if isinstance(inner, dict) and inner and all(isinstance(v, torch.Tensor) for v in inner.values()):
            return inner
    if obj and all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in obj.items()):
        return obj
    return None


def read_safetensors(path: Path) -> tuple[dict[str, torch.Tensor], dict[str, Any] | None]:
    from safetensors.torch import load_file

    header = read_safetensors_metadata(path)
    try:
        tensors = load_file(str(path), device="cpu")
    except Exception as exc:  # noqa: BLE001 - SafetensorError, OSError
        raise CheckpointError(
            messages.ERR_SAFETENSORS_CORRUPTED.format(path=path, error=str(exc).splitlines()[0])
        ) from None
    meta = None
    if META_KEY in header:
        try:
            meta = json.loads(header[META_KEY])
        except json.JSONDecodeError:
            raise CheckpointError(messages.ERR_METADATA_CORRUPTED.format(path=path)) from None
    return tensors, meta


def read_state_dict(path: str | Path) -> tuple[dict[str, torch.Tensor], dict[str, Any] | None, dict[str, Any] | None]:
    """(state dict, TorchDesk metadata or None, the whole checkpoint or None) of a weights/checkpoint file."""
    path = Path(path).expanduser()
    kind = detect_format(path)
    if kind == "safetensors":
        tensors, meta = read_safetensors(path)
        return tensors, meta, None
    if kind != "torch":
        raise CheckpointError(messages.ERR_NOT_WEIGHTS.format(path=path, kind=KIND_NAMES[kind]))
    obj = torch_load_safe(path)
    if not isinstance(obj, dict):
        raise CheckpointError(messages.ERR_NOT_STATE_DICT.format(path=path, kind=type(obj).__name__))
    state = _nested_state(obj)
    if state is None:
        keys = ", ".join(repr(k) for k in _NESTED)
        raise CheckpointError(messages.ERR_NO_TENSORS_NESTED.format(path=path, keys=keys))
    is_checkpoint = "config" in obj and "model" in obj and isinstance(obj.get("meta"), dict)
    meta = obj.get(PTH_META_KEY) if isinstance(obj.get(PTH_META_KEY), dict) else obj.get("meta")
    if is_checkpoint and isinstance(meta, dict):
        meta = {**meta, "config": obj["config"]}
    return state, meta if isinstance(meta, dict) else None, obj if is_checkpoint else None


def _extra_meta(raw: str | bytes | None) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        meta = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return meta if isinstance(meta, dict) else {}


@contextlib.contextmanager
def _native_warnings_silenced() -> Iterator[None]:
    """Silence what C++ code prints on stderr (fd 2) meanwhile.

    Loading a quantized TorchScript archive prints a deprecation warning for quantized tensors from
    C++, outside Python's warnings machinery; the CLI promises clean stderr, so it is dropped here.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real stderr (frozen GUI app): nothing to silence
        yield
        return
    try:
        with open(os.devnull, "wb") as sink:
            os.dup2(sink.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def load_torchscript(path: Path) -> tuple[torch.jit.ScriptModule, dict[str, Any]]:
    extra = {EXTRA_FILE: ""}
    try:
        with warnings.catch_warnings(), _native_warnings_silenced():
            warnings.simplefilter("ignore")  # torch.jit is deprecated in favour of torch.export; it still works
            module = torch.jit.load(str(path), map_location="cpu", _extra_files=extra)
    except Exception as exc:  # noqa: BLE001
        raise CheckpointError(messages.ERR_TORCHSCRIPT_UNREADABLE.format(path=path, error=_first_line(exc))) from None
    return module.eval(), _extra_meta(extra[EXTRA_FILE])


def load_pt2(path: Path) -> tuple[nn.Module, dict[str, Any]]:
    extra = {EXTRA_FILE: ""}
    try:
        program = torch.export.load(str(path), extra_files=extra)
    except Exception as exc:  # noqa: BLE001
        raise CheckpointError(messages.ERR_PT2_UNREADABLE.format(path=path, error=_first_line(exc))) from None
    return program.module(), _extra_meta(extra[EXTRA_FILE])


def load_trusted_pickle(path: Path) -> tuple[nn.Module, dict[str, Any]]:
    try:
        obj = torch.load(path, map_location="cpu", weights_only=False)  # the user confirmed the file is trusted
    except Exception as exc:  # noqa: BLE001
        error = f"{type(exc).__name__}: {_first_line(exc)}"
        raise CheckpointError(messages.ERR_UNPICKLE_FAILED.format(path=path, error=error)) from None
    if not isinstance(obj, nn.Module):
        raise CheckpointError(messages.ERR_NOT_A_MODEL.format(path=path, kind=type(obj).__name__))
    return obj, dict(getattr(obj, "torchdesk_meta", None) or {})
