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
        reason = f"it needs {found.group(1)}" if found else None
        if reason is None:
            raise CheckpointError(f"{path} is not a readable PyTorch file (truncated or corrupted)") from None
        raise CheckpointError(
            f"{path} holds Python objects, not only tensors (a pickled full model or other code), so it was not "
            f"loaded: unpickling it can run arbitrary code. Load it only if you trust its source (the 'trusted' "
            f"option, --trusted on the command line); otherwise ask for a .safetensors or .pth weights file "
            f"({reason})"
        ) from None
    except Exception as exc:  # noqa: BLE001 - torch raises many types on foreign or cut bytes
        raise CheckpointError(
            f"{path} is not a readable PyTorch file (truncated or corrupted?): {_first_line(exc)}"
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
            f"{path} is not a readable safetensors file (truncated or corrupted?): {str(exc).splitlines()[0]}"
        ) from None
    meta = None
    if META_KEY in header:
        try:
            meta = json.loads(header[META_KEY])
        except json.JSONDecodeError:
            raise CheckpointError(
                f"{path} has corrupted TorchDesk metadata in its header; save the weights again"
            ) from None
    return tensors, meta


def read_state_dict(path: str | Path) -> tuple[dict[str, torch.Tensor], dict[str, Any] | None, dict[str, Any] | None]:
    """(state dict, TorchDesk metadata or None, the whole checkpoint or None) of a weights/checkpoint file."""
    path = Path(path).expanduser()
    kind = detect_format(path)
    if kind == "safetensors":
        tensors, meta = read_safetensors(path)
        return tensors, meta, None
    if kind != "torch":
        raise CheckpointError(
            f"{path} is a {KIND_NAMES[kind]}, not a weights file; weights come from a .pth, .safetensors or .ckpt file"
        )
    obj = torch_load_safe(path)
    if not isinstance(obj, dict):
        raise CheckpointError(f"{path} holds a {type(obj).__name__}, not a state dict or a checkpoint")
    state = _nested_state(obj)
    if state is None:
        raise CheckpointError(
            f"{path} holds no tensors (no state dict at the top level or under {', '.join(repr(k) for k in _NESTED)})"
        )
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
        raise CheckpointError(
            f"{path} is not a loadable TorchScript archive (truncated or corrupted?): {_first_line(exc)}"
        ) from None
    return module.eval(), _extra_meta(extra[EXTRA_FILE])


def load_pt2(path: Path) -> tuple[nn.Module, dict[str, Any]]:
    extra = {EXTRA_FILE: ""}
    try:
        program = torch.export.load(str(path), extra_files=extra)
    except Exception as exc:  # noqa: BLE001
        raise CheckpointError(
            f"{path} is not a loadable torch.export program (truncated, corrupted or from an "
            f"incompatible PyTorch?): {_first_line(exc)}"
        ) from None
    return program.module(), _extra_meta(extra[EXTRA_FILE])


def load_trusted_pickle(path: Path) -> tuple[nn.Module, dict[str, Any]]:
    try:
        obj = torch.load(path, map_location="cpu", weights_only=False)  # the user confirmed the file is trusted
    except Exception as exc:  # noqa: BLE001
        raise CheckpointError(
            f"{path} could not be unpickled ({type(exc).__name__}: {_first_line(exc)}); "
            "the classes it needs may be missing"
        ) from None
    if not isinstance(obj, nn.Module):
        raise CheckpointError(f"{path} holds a {type(obj).__name__}, not a model")
    return obj, dict(getattr(obj, "torchdesk_meta", None) or {})
