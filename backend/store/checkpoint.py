"""Checkpoint files: written atomically, read with weights_only=True.

What a checkpoint holds is assembled and restored in one place, backend/engine/checkpointing.py.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import torch

from backend.core import messages
from backend.core.atomic import atomic_write_with
from backend.core.errors import CheckpointError, TorchDeskError, first_line
from backend.store.trust import load_weights_only

WRAPPER_PREFIXES = ("module.", "_orig_mod.")  # DataParallel/DDP and torch.compile


def save_checkpoint(path: Path, state: dict[str, Any]) -> None:
    atomic_write_with(Path(path), lambda fh: torch.save(state, fh))


def load_checkpoint(path: str | Path, map_location: str | torch.device = "cpu") -> dict[str, Any]:
    """Read a checkpoint safely; every failure is a CheckpointError that says what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(messages.ERR_CKPT_MISSING.format(path=path))
    if path.stat().st_size == 0:
        raise CheckpointError(messages.ERR_CKPT_EMPTY.format(path=path))
    try:
        # A checkpoint is tensors and plain data: one holding pickled code is refused even when trusted.
        state = load_weights_only(path, map_location, trust_helps=False)
    except TorchDeskError:
        raise
    except pickle.UnpicklingError:  # not a pickle we understand at all: random bytes, another format
        raise CheckpointError(messages.ERR_CKPT_NOT_PYTORCH.format(path=path)) from None
    except Exception as exc:  # noqa: BLE001 - torch raises many types on foreign bytes (IndexError, KeyError, ...)
        error = (str(exc).strip().splitlines() or [type(exc).__name__])[0]  # EOFError() has no text
        raise CheckpointError(messages.ERR_CKPT_UNREADABLE.format(path=path, error=error)) from exc
    if not isinstance(state, dict) or "model" not in state or "config" not in state:
        raise CheckpointError(messages.ERR_CKPT_NOT_TORCHDESK.format(path=path))
    return state


def strip_wrapper_prefixes(state_dict: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Keys saved from DDP/DataParallel ('module.') or torch.compile ('_orig_mod.') load into a plain model."""
    out = {}
    for key, value in state_dict.items():
        changed = True
        while changed:
            changed = False
            for prefix in WRAPPER_PREFIXES:
                if key.startswith(prefix):
                    key, changed = key[len(prefix) :], True
        out[key] = value
    return out


def load_model_state(model: torch.nn.Module, state_dict: dict[str, torch.Tensor], source: str) -> None:
    """Strict load with wrapper prefixes removed and a readable error for a foreign architecture."""
    try:
        model.load_state_dict(strip_wrapper_prefixes(state_dict), strict=True)
    except RuntimeError as exc:
        raise CheckpointError(messages.ERR_CKPT_WEIGHTS_MISFIT.format(source=source, error=first_line(exc))) from exc


def state_dict_bytes(state_dict: dict[str, torch.Tensor], metadata: dict[str, str]) -> bytes:
    from safetensors.torch import save

    tensors = {k: v.detach().cpu().contiguous() for k, v in state_dict.items()}
    return save(tensors, metadata=metadata)


def write_safetensors(path: Path, state_dict: dict[str, torch.Tensor], metadata: dict[str, str]) -> None:
    data = state_dict_bytes(state_dict, metadata)
    atomic_write_with(Path(path), lambda fh: fh.write(data))
