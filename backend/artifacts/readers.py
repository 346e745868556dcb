"""Reading model files safely: state dicts and metadata, TorchScript and .pt2 archives.

``torch.load`` always runs with ``weights_only=True``; a pickle that holds code is refused with
UntrustedCodeError (never executed) unless the caller passes through ``load_trusted_pickle`` after
the user confirmed. The metadata each format carries is checked by backend.artifacts.metadata.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import torch
from torch import nn

from backend.artifacts.formats import KIND_NAMES, detect_format, read_safetensors_metadata
from backend.artifacts.metadata import parse_metadata_json
from backend.core import messages
from backend.core.errors import CheckpointError, TorchDeskError, first_line
from backend.store.trust import load_weights_only, refuse_pickled_code

META_KEY = "torchdesk"  # safetensors header key and ONNX metadata property
PTH_META_KEY = "torchdesk_meta"
EXTRA_FILE = "torchdesk.json"  # TorchScript / .pt2 extra file
_NESTED = ("state_dict", "model_state_dict", "model")


def torch_load_safe(path: Path) -> Any:
    """``torch.load(weights_only=True)``; a pickle holding code is refused (UntrustedCodeError), never executed."""
    try:
        return load_weights_only(path)
    except TorchDeskError:
        raise
    except pickle.UnpicklingError:
        raise CheckpointError(messages.ERR_PYTORCH_UNREADABLE.format(path=path)) from None
    except Exception as exc:  # noqa: BLE001 - torch raises many types on foreign or cut bytes
        raise CheckpointError(messages.ERR_PYTORCH_UNREADABLE_DETAIL.format(path=path, error=first_line(exc))) from exc


def _nested_state(obj: dict[str, Any]) -> dict[str, torch.Tensor] | None:
    for key in _NESTED:
        inner = obj.get(key)
        if isinstance(inner, dict) and inner and all(isinstance(v, torch.Tensor) for v in inner.values()):
            return inner
    if obj and all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in obj.items()):
        return obj
    return None


def read_safetensors(path: Path) -> tuple[dict[str, torch.Tensor], Any]:
    from safetensors.torch import load_file

    header = read_safetensors_metadata(path)
    try:
        tensors = load_file(str(path), device="cpu")
    except Exception as exc:  # noqa: BLE001 - SafetensorError, OSError
        raise CheckpointError(messages.ERR_SAFETENSORS_CORRUPTED.format(path=path, error=first_line(exc))) from exc
    meta = parse_metadata_json(header[META_KEY], path) if META_KEY in header else None
    return tensors, meta


def read_state_dict(path: str | Path) -> tuple[dict[str, torch.Tensor], Any, dict[str, Any] | None]:
    """(state dict, TorchDesk metadata as stored (None if none; checked by metadata.check_metadata),
    the whole checkpoint or None) of a weights/checkpoint file."""
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
    if PTH_META_KEY in obj:  # TorchDesk's own key: whatever it holds is checked as metadata
        meta = obj[PTH_META_KEY]
    else:  # a checkpoint's "meta"; another program's "meta" of another kind is no metadata at all
        meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else None
    if is_checkpoint and isinstance(meta, dict):
        meta = {**meta, "config": obj["config"]}
    return state, meta, obj if is_checkpoint else None


def _extra_meta(raw: str | bytes | None, path: Path) -> Any:
    return parse_metadata_json(raw, path) if raw else None


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


def load_torchscript(path: Path) -> tuple[torch.jit.ScriptModule, Any]:
    extra = {EXTRA_FILE: ""}
    try:
        with warnings.catch_warnings(), _native_warnings_silenced():
            warnings.simplefilter("ignore")  # torch.jit is deprecated in favour of torch.export; it still works
            module = torch.jit.load(str(path), map_location="cpu", _extra_files=extra)
    except Exception as exc:  # noqa: BLE001
        raise CheckpointError(messages.ERR_TORCHSCRIPT_UNREADABLE.format(path=path, error=first_line(exc))) from exc
    return module.eval(), _extra_meta(extra[EXTRA_FILE], path)


def load_pt2(path: Path, *, trusted: bool = False) -> tuple[nn.Module, Any]:
    """A torch.export program; torch unpickles some of its members without ``weights_only``, so an
    archive holding pickled code is refused (UntrustedCodeError) unless ``trusted``."""
    if not trusted:
        refuse_pickled_code(path)
    extra = {EXTRA_FILE: ""}
    try:
        program = torch.export.load(str(path), extra_files=extra)
    except Exception as exc:  # noqa: BLE001
        raise CheckpointError(messages.ERR_PT2_UNREADABLE.format(path=path, error=first_line(exc))) from exc
    return program.module(), _extra_meta(extra[EXTRA_FILE], path)


def load_trusted_pickle(path: Path) -> tuple[nn.Module, Any]:
    try:
        with Path(path).open("rb") as fh:  # opened: torch would read a pickle named .safetensors as safetensors
            obj = torch.load(fh, map_location="cpu", weights_only=False)  # the user confirmed the file is trusted
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - code from the file: report anything it raises
        error = f"{type(exc).__name__}: {first_line(exc)}"
        raise CheckpointError(messages.ERR_UNPICKLE_FAILED.format(path=path, error=error)) from exc
    if not isinstance(obj, nn.Module):
        raise CheckpointError(messages.ERR_NOT_A_MODEL.format(path=path, kind=type(obj).__name__))
    return obj, getattr(obj, "torchdesk_meta", None)
