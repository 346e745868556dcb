"""Validation: loss, accuracy, top-5, per-class accuracy and confusion matrix, or MSE/MAE for regression."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

import torch
from torch import nn

from backend.engine.device import Precision
from backend.engine.distributed import DistContext

MAX_MISCLASSIFIED = 32
CELL_SAMPLES = 8  # validation samples kept per confusion-matrix cell (shown when the cell is clicked)
MAX_CELL_SAMPLES = 400  # in all: an epoch event stays small whatever the number of classes


def autocast_context(device: torch.device, precision: Precision) -> contextlib.AbstractContextManager:
    if precision.autocast_dtype is None:
        return contextlib.nullcontext()
    return torch.autocast(device_type=device.type, dtype=precision.autocast_dtype)


def shard(n: int, ctx: DistContext) -> torch.Tensor:
    """This rank's share of the validation indices (every sample counted exactly once)."""
    return torch.arange(ctx.rank, n, ctx.world)


def evaluate(
    model: nn.Module,
    batches: Iterable[tuple[torch.Tensor, torch.Tensor]],
    loss_fn: nn.Module,
    *,
    task: str,
    num_classes: int,
    device: torch.device,
    precision: Precision,
    ctx: DistContext,
    target_std: float = 1.0,
    indices: torch.Tensor | None = None,
) -> dict[str, Any]:
    """Metrics over this rank's batches, summed across ranks. ``model`` is put back in train mode.

    With ``indices`` (the split positions the batches walk through, in order), classification
    results also list up to MAX_MISCLASSIFIED wrong predictions of this rank for a gallery, and
    ``cell_samples``: up to CELL_SAMPLES samples per confusion-matrix cell (the most confident
    mistakes, the least confident correct answers), each ``{"index", "true", "pred", "confidence"}``.
    """
    model.eval()
    classification = task == "classification"
    c = num_classes
    loss_sum = torch.zeros((), dtype=torch.float64, device=device)
    count = torch.zeros((), dtype=torch.float64, device=device)
    confusion = torch.zeros(c * c, dtype=torch.int64, device=device) if classification else None
    top5 = torch.zeros((), dtype=torch.int64, device=device)
    abs_err = torch.zeros((), dtype=torch.float64, device=device)
    sq_err = torch.zeros((), dtype=torch.float64, device=device)
    with torch.inference_mode(), autocast_context(device, precision):
        seen = 0
        answers: list[torch.Tensor] = []  # per sample: true, predicted, confidence (on the device)
        for xb, yb in batches:
            out = model(xb)
            loss_sum += loss_fn(out, yb).double() * len(yb)
            count += len(yb)
            if classification:
                confidence, pred = out.float().softmax(dim=1).max(dim=1)
                confusion += torch.bincount(yb * c + pred, minlength=c * c)
                if indices is not None:
                    answers.append(torch.stack([yb.float(), pred.float(), confidence], dim=1))  # MPS: no float64
                if c > 5:
                    top5 += (out.topk(5, dim=1).indices == yb[:, None]).any(dim=1).sum()
            seen += len(yb)
            if not classification:
                diff = out.float().reshape(yb.shape) - yb
                abs_err += diff.abs().sum().double()
                sq_err += (diff**2).sum().double()
    model.train()
    totals = torch.stack([loss_sum, count, top5.double(), abs_err, sq_err])
    ctx.all_reduce_sum(totals)
    loss_total, count, top5_total, abs_total, sq_total = totals.tolist()
    metrics: dict[str, Any] = {"val_loss": loss_total / count}
    if classification:
        ctx.all_reduce_sum(confusion)
        metrics.update(classification_metrics(confusion.view(c, c).cpu()))
        if indices is not None:
            metrics.update(_samples(torch.cat(answers).double().cpu() if answers else torch.zeros(0, 3), indices, c))
        if c > 5:
            metrics["val_top5"] = top5_total / count
    else:
        # Errors in the target's own units (the trainer sees a standardised target).
        metrics["val_mae"] = abs_total / count * target_std
        metrics["val_mse"] = sq_total / count * target_std**2
    return metrics


def _samples(answers: torch.Tensor, indices: torch.Tensor, c: int) -> dict[str, list[dict[str, Any]]]:
    """The gallery's first mistakes and each confusion cell's samples, from (true, pred, confidence) rows."""

    def entry(position: int) -> dict[str, Any]:
        true, pred, confidence = answers[position].tolist()
        return {
            "index": int(indices[position]),
            "true": int(true),
            "pred": int(pred),
            "confidence": round(confidence, 4),
        }

    true, pred, confidence = answers.T
    wrong = (true != pred).nonzero().flatten()
    # Within a cell, mistakes by falling confidence and correct answers by rising confidence.
    cell = (true * c + pred).long()
    key = torch.where(true == pred, confidence, -confidence)
    order = torch.argsort(cell.double() * 4 + key, stable=True)
    sorted_cells = cell[order]
    rank = torch.arange(len(order)) - torch.searchsorted(sorted_cells, sorted_cells)
    chosen = order[rank < CELL_SAMPLES]
    chosen = chosen[torch.argsort((true[chosen] == pred[chosen]).long(), stable=True)][:MAX_CELL_SAMPLES]
    return {
        "misclassified": [entry(int(p)) for p in wrong[:MAX_MISCLASSIFIED]],
        "cell_samples": [entry(int(p)) for p in chosen],
    }


def classification_metrics(confusion: torch.Tensor) -> dict[str, Any]:
    """Accuracy (a fraction), per-class accuracy (recall) and the matrix (rows: true, columns: predicted)."""
    per_class_total = confusion.sum(dim=1).clamp(min=1)
    return {
        "val_acc": float(confusion.diag().sum()) / max(1, int(confusion.sum())),
        "per_class_acc": (confusion.diag().double() / per_class_total).tolist(),
        "confusion": confusion.tolist(),
    }
