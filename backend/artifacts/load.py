"""Loading weights into an existing model, with a report of what fits and what does not.

``compare_state_dict`` only looks; ``load_weights_into`` loads strictly (all keys must fit, else a
CheckpointError and the model is unchanged) or partially (the fitting tensors only, the seeds'
``strict=False``). ``module.`` (DDP/DataParallel) and ``_orig_mod.`` (torch.compile) prefixes are removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

from backend.core import messages
from backend.core.config import RunConfig
from backend.core.errors import CheckpointError, UntrustedCodeError
from backend.core.message_text import join_messages
from backend.store.checkpoint import WRAPPER_PREFIXES, strip_wrapper_prefixes


@dataclass
class ShapeMismatch:
    key: str
    file_shape: tuple[int, ...]
    model_shape: tuple[int, ...]


@dataclass
class LoadReport:
    source: str
    matched: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # in the model, not in the file
    unexpected: list[str] = field(default_factory=list)  # in the file, not in the model
    mismatched: list[ShapeMismatch] = field(default_factory=list)
    prefixes_removed: list[str] = field(default_factory=list)
    strict: bool = True
    loaded: bool = False
    device: str = "cpu"

    @property
    def ok(self) -> bool:
        """Every tensor of the model is in the file with the right shape, and nothing else is."""
        return not (self.missing or self.unexpected or self.mismatched)

    def summary(self) -> str:
        parts = [messages.LOAD_FIT.format(count=len(self.matched))]
        if self.missing:
            parts.append(messages.LOAD_MISSING.format(count=len(self.missing), keys=", ".join(self.missing[:3])))
        if self.unexpected:
            parts.append(
                messages.LOAD_UNEXPECTED.format(count=len(self.unexpected), keys=", ".join(self.unexpected[:3]))
            )
        if self.mismatched:
            m = self.mismatched[0]
            parts.append(
                messages.LOAD_MISMATCHED.format(
                    count=len(self.mismatched),
                    key=m.key,
                    file_shape=list(m.file_shape),
                    model_shape=list(m.model_shape),
                )
            )
        return join_messages(parts)

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(key, status, shape in the file, shape in the model) for a table; problems first."""
        out = [(m.key, "shape mismatch", str(list(m.file_shape)), str(list(m.model_shape))) for m in self.mismatched]
        out += [(k, "missing", "", "") for k in self.missing]
        out += [(k, "unexpected", "", "") for k in self.unexpected]
        out += [(k, "ok", "", "") for k in self.matched]
        return out

    def table(self, limit: int = 40) -> str:
        rows = self.rows()
        width = max([len(r[0]) for r in rows[:limit]] + [3])
        lines = [f"{'key':{width}}  {'status':14}  {'file':16}  model"]
        lines += [f"{k:{width}}  {s:14}  {f:16}  {m}" for k, s, f, m in rows[:limit]]
        if len(rows) > limit:
            lines.append(f"... and {len(rows) - limit} more")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "ok": self.ok,
            "loaded": self.loaded,
            "strict": self.strict,
            "device": self.device,
            "matched": self.matched,
            "missing": self.missing,
            "unexpected": self.unexpected,
            "prefixes_removed": self.prefixes_removed,
            "mismatched": [
                {"key": m.key, "file_shape": list(m.file_shape), "model_shape": list(m.model_shape)}
                for m in self.mismatched
            ],
            "summary": self.summary(),
        }


def _prefixes(keys: list[str]) -> list[str]:
    return sorted({p for k in keys for p in WRAPPER_PREFIXES if k.startswith(p)})


def compare_state_dict(model: nn.Module, state_dict: dict[str, torch.Tensor], source: str = "") -> LoadReport:
    """What loading ``state_dict`` into ``model`` would do (the model is not changed)."""
    report = LoadReport(source=source, prefixes_removed=_prefixes(list(state_dict)))
    state_dict = strip_wrapper_prefixes(state_dict)
    target = model.state_dict()
    for key, value in state_dict.items():
        if key not in target:
            report.unexpected.append(key)
        elif tuple(value.shape) != tuple(target[key].shape):
            report.mismatched.append(ShapeMismatch(key, tuple(value.shape), tuple(target[key].shape)))
        else:
            report.matched.append(key)
    report.missing = [k for k in target if k not in state_dict]
    return report


def load_weights_into(
    model: nn.Module,
    source: str | Path | dict[str, torch.Tensor],
    *,
    strict: bool = True,
    device: str | torch.device | None = None,
    trusted: bool = False,
) -> LoadReport:
    """Load a weights/checkpoint file (or a state dict) into ``model``.

    Strict: any missing, unexpected or mis-shaped key raises CheckpointError and changes nothing.
    Partial: the fitting tensors are loaded, the rest is listed in the report. ``device`` moves the
    model there afterwards (tensors are read on the CPU first, so a GPU file loads on a CPU-only machine).
    ``trusted=True`` also takes the weights of a pickled full model (unpickling runs code from the file).
    """
    from backend.artifacts.readers import load_trusted_pickle, read_state_dict

    if isinstance(source, dict):
        state, name = source, "<state dict>"
    else:
        name = str(source)
        try:
            state, _, _ = read_state_dict(source)
        except UntrustedCodeError:
            if not trusted:
                raise
            state = load_trusted_pickle(Path(source))[0].state_dict()
    report = compare_state_dict(model, state, name)
    report.strict = strict
    if strict and not report.ok:
        raise CheckpointError(messages.ERR_LOAD_STRICT.format(name=name, summary=report.summary()))
    if not report.matched:
        raise CheckpointError(messages.ERR_LOAD_NONE_FIT.format(name=name, summary=report.summary()))
    clean = strip_wrapper_prefixes(state)
    target = model.state_dict()
    subset = {k: clean[k].to(dtype=target[k].dtype) for k in report.matched}
    with torch.no_grad():
        model.load_state_dict(subset, strict=False)
    if device is not None:
        model.to(device)
    report.loaded = True
    report.device = str(device) if device is not None else str(next(model.parameters(), torch.empty(0)).device)
    return report


def checkpoint_config(path: str | Path, *, trusted: bool = False) -> RunConfig:
    """The full configuration saved in a training checkpoint (to restore the panels, or resume); a
    ``file:`` model in it needs ``trusted`` (see backend.store.trust.check_model_trust)."""
    from backend.engine.trainer import config_from_checkpoint

    return config_from_checkpoint(path, trusted=trusted)
