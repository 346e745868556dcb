"""Starting weights from a local file (``model.weights``): never downloaded, read safely.

Accepted: a state dict saved with ``torch.save`` (read with ``weights_only=True``), a
``.safetensors`` file, a TorchDesk checkpoint or run's ``model.safetensors``, or a training
checkpoint holding a state dict under ``state_dict`` / ``model_state_dict`` / ``model``.
``module.`` (DataParallel/DDP) and ``_orig_mod.`` (torch.compile) prefixes are stripped, and
torchvision's own files (``conv1.weight``) fit TorchDesk's wrapper (``net.conv1.weight``).

Tensors whose shapes do not fit are adapted where that is meaningful (the stem convolution for
another number of input channels, a ViT's position embedding for another image size) and
otherwise skipped: the new classifier head for a different number of classes keeps its
initialisation. The report of what was adapted, skipped or missing is kept on the model.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from backend.core import messages
from backend.core.errors import CheckpointError, TorchDeskError, first_line
from backend.core.message_text import join_messages
from backend.store.checkpoint import strip_wrapper_prefixes
from backend.store.trust import load_weights_only, refuse_pickled_code

REPORT_ATTR = "torchdesk_weights_report"
_NESTED_KEYS = ("state_dict", "model_state_dict", "model", "net", "module")
WRAPPER_KEY = "net."  # TorchvisionClassifier holds the torchvision network as ``net``
SHOWN = 8  # entries of each list named in the report; the rest are counted


@dataclass
class WeightsReport:
    path: str
    total: int = 0  # tensors in the file
    loaded: list[str] = field(default_factory=list)  # model keys filled from the file
    adapted: list[tuple[str, str]] = field(default_factory=list)  # (model key, how)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file key, why)
    missing: list[str] = field(default_factory=list)  # model keys the file does not provide

    def message(self) -> str:
        """One readable paragraph for a warning event or a dialog (made of messages.WEIGHTS_*)."""
        text = messages.WEIGHTS_LOADED.format(loaded=len(self.loaded), path=self.path)
        text += _entries(messages.WEIGHTS_ADAPTED, self.adapted)
        text += _entries(messages.WEIGHTS_SKIPPED, self.skipped)
        if self.missing:
            text += messages.WEIGHTS_KEPT.format(keys=", ".join(self.missing[:SHOWN])) + _more(len(self.missing))
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "total": self.total,
            "loaded": len(self.loaded),
            "adapted": [list(a) for a in self.adapted],
            "skipped": [list(s) for s in self.skipped],
            "missing": list(self.missing),
            "message": self.message(),
        }


def _more(count: int) -> str:
    return messages.WEIGHTS_MORE.format(count=count - SHOWN) if count > SHOWN else ""


def _entries(first: str, entries: list[tuple[str, str]]) -> str:
    """(key, reason) entries: ``first`` names the list, messages.WEIGHTS_NEXT continues it."""
    parts = [
        (first if i == 0 else messages.WEIGHTS_NEXT).format(key=key, reason=reason)
        for i, (key, reason) in enumerate(entries[:SHOWN])
    ]
    return join_messages(parts) + _more(len(entries))


def weights_report(model: nn.Module) -> WeightsReport | None:
    """The report of the weights file loaded into ``model`` by build_model, or None."""
    from backend.models.finetune import unwrap

    return getattr(unwrap(model), REPORT_ATTR, None)


def _tensors_in(obj: Any) -> dict[str, torch.Tensor] | None:
    if not isinstance(obj, dict):
        return None
    for key in _NESTED_KEYS:
        if isinstance(obj.get(key), dict):
            found = _tensors_in(obj[key])
            if found:
                return found
    tensors = {k: v for k, v in obj.items() if isinstance(k, str) and isinstance(v, torch.Tensor)}
    return tensors or None


def read_state_dict(path: str | Path) -> dict[str, torch.Tensor]:
    """The tensors of a local weights file; every failure is a CheckpointError that says what is wrong."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise CheckpointError(messages.ERR_WEIGHTS_MISSING.format(path=path))
    if path.stat().st_size == 0:
        raise CheckpointError(messages.ERR_WEIGHTS_EMPTY.format(path=path))
    # Starting weights are tensors only: a file holding pickled code is refused, even when trusted.
    obj: Any = None
    if path.suffix.lower() == ".safetensors":
        obj = _read_safetensors(path, quiet=True)
        if obj is None:
            refuse_pickled_code(path, trust_helps=False)  # a pickle named .safetensors
            obj = _read_safetensors(path)
    else:
        try:
            obj = load_weights_only(path, trust_helps=False)
        except TorchDeskError:
            raise
        except Exception:  # noqa: BLE001 - torch raises many types on foreign bytes
            obj = _read_safetensors(path, quiet=True)
        if obj is None:
            raise CheckpointError(messages.ERR_WEIGHTS_UNREADABLE.format(path=path))
    tensors = _tensors_in(obj)
    if not tensors:
        keys = ", ".join(repr(k) for k in _NESTED_KEYS)
        raise CheckpointError(messages.ERR_WEIGHTS_NO_TENSORS.format(path=path, keys=keys))
    return strip_wrapper_prefixes(tensors)


def _read_safetensors(path: Path, quiet: bool = False) -> dict[str, torch.Tensor] | None:
    from safetensors.torch import load_file

    try:
        return load_file(str(path), device="cpu")
    except Exception as exc:  # noqa: BLE001 - SafetensorError, OSError, ...
        if quiet:
            return None
        raise CheckpointError(messages.ERR_SAFETENSORS_UNREADABLE.format(path=path, error=first_line(exc))) from exc


def adapt_conv_weight(weight: torch.Tensor, channels: int) -> torch.Tensor:
    """Pretrained stem filters for ``channels`` input channels instead of ``weight.shape[1]`` (3, RGB).

    One channel: the RGB filters averaged and scaled by 3 (their sum), so a grey image gets the
    response its grey RGB copy would. Other counts: the filters cycled and scaled by 3/channels.
    """
    source = weight.shape[1]
    if channels == 1:
        return weight.mean(dim=1, keepdim=True) * source
    idx = [i % source for i in range(channels)]
    return weight[:, idx] * (source / channels)


def resize_position_embedding(src: torch.Tensor, shape: torch.Size) -> torch.Tensor | None:
    """A ViT position embedding (1, 1 + g*g, D) resized bicubically to another grid, class token kept."""
    if src.dim() != 3 or len(shape) != 3 or src.shape[0] != 1 or src.shape[2] != shape[2]:
        return None
    n_src, n_dst = src.shape[1] - 1, shape[1] - 1
    g_src, g_dst = math.isqrt(n_src), math.isqrt(n_dst)
    if g_src * g_src != n_src or g_dst * g_dst != n_dst:
        return None
    cls, grid = src[:, :1], src[:, 1:]
    grid = grid.reshape(1, g_src, g_src, -1).permute(0, 3, 1, 2).float()
    grid = F.interpolate(grid, size=(g_dst, g_dst), mode="bicubic", align_corners=False)
    grid = grid.permute(0, 2, 3, 1).reshape(1, g_dst * g_dst, -1).to(src.dtype)
    return torch.cat([cls, grid], dim=1)


def _stem_weight_key(model: nn.Module) -> str | None:
    stem = getattr(model, "torchdesk_stem", None)
    if stem is None:
        stem = next((name for name, m in model.named_modules() if isinstance(m, nn.Conv2d)), None)
    return f"{stem}.weight" if stem is not None else None


def _key_mapper(source: dict[str, torch.Tensor], target: dict[str, torch.Tensor]) -> Callable[[str], str]:
    """Pick the renaming (none, add ``net.``, drop ``net.``) under which most file keys fit the model."""

    def same(k: str) -> str:
        return k

    def add(k: str) -> str:
        return WRAPPER_KEY + k

    def drop(k: str) -> str:
        return k[len(WRAPPER_KEY) :] if k.startswith(WRAPPER_KEY) else k

    return max((same, add, drop), key=lambda f: sum(f(k) in target for k in source))


def load_weights_file(model: nn.Module, path: str | Path, arch: str = "") -> WeightsReport:
    """Copy the fitting tensors of ``path`` into ``model``; returns (and keeps on the model) the report."""
    from backend.models.finetune import head_parameter_names, unwrap

    model = unwrap(model)
    source = read_state_dict(path)
    target = model.state_dict()
    rename = _key_mapper(source, target)
    stem_key = _stem_weight_key(model)
    head = set(head_parameter_names(model))
    report = WeightsReport(path=str(path), total=len(source))
    new: dict[str, torch.Tensor] = {}
    for key, value in source.items():
        tkey = rename(key)
        if tkey not in target:
            report.skipped.append((key, messages.WEIGHTS_NOT_IN_MODEL))
            continue
        want = target[tkey]
        if value.shape == want.shape:
            new[tkey] = value
            continue
        adapted = None
        if (
            tkey == stem_key
            and value.dim() == 4
            and want.dim() == 4
            and value.shape[0] == want.shape[0]
            and value.shape[2:] == want.shape[2:]
        ):
            adapted = adapt_conv_weight(value, want.shape[1])
            how = messages.WEIGHTS_CHANNELS.format(
                file_channels=value.shape[1],
                model_channels=want.shape[1],
                how=messages.WEIGHTS_RGB_AVERAGED if want.shape[1] == 1 else messages.WEIGHTS_FILTERS_CYCLED,
            )
        elif tkey.endswith("pos_embedding"):
            adapted = resize_position_embedding(value, want.shape)
            how = messages.WEIGHTS_POSITIONS.format(file_tokens=value.shape[1], model_tokens=want.shape[1])
        if adapted is not None:
            new[tkey] = adapted
            report.adapted.append((tkey, how))
            continue
        why = messages.WEIGHTS_SHAPES.format(file_shape=tuple(value.shape), model_shape=tuple(want.shape))
        if tkey in head:
            why += messages.WEIGHTS_NEW_HEAD
        report.skipped.append((key, why))
    if not new:
        file_keys = ", ".join(list(source)[:3])
        model_keys = ", ".join(list(target)[:3])
        raise CheckpointError(
            messages.ERR_WEIGHTS_NONE_FIT.format(
                count=len(source),
                path=path,
                arch=arch or type(model).__name__,
                file_keys=file_keys,
                model_keys=model_keys,
            )
        )
    model.load_state_dict(new, strict=False)
    report.loaded = sorted(new)
    report.missing = [k for k in target if k not in new and not k.endswith("num_batches_tracked")]
    setattr(model, REPORT_ATTR, report)
    return report
