"""Evaluate a trained model on the run's validation (or training) split.

Classification: accuracy, precision/recall/F1 per class and macro/weighted averages, the confusion
matrix, one-vs-rest ROC and precision-recall curves, and the seeds' robustness checks: accuracy
under Gaussian noise and under an FGSM attack. Regression: MSE, MAE and R^2 in the target's units.

Noise and FGSM act where the data lives: for images in pixel space ([0, 1], clamped, then
normalised again as the model expects), for tables in standardised feature units.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from backend.artifacts import data as artifact_data
from backend.artifacts.metrics import classification_summary
from backend.artifacts.model_io import LoadedModel
from backend.artifacts.progress import TaskHooks, hooks
from backend.core import messages
from backend.core.atomic import atomic_write_text
from backend.core.errors import TorchDeskError


@dataclass
class EvaluationReport:
    task: str
    split: str
    samples: int
    class_names: list[str]
    metrics: dict[str, Any]  # see classification_summary, or mse/mae/r2 for regression
    robustness: dict[str, Any] = field(default_factory=dict)
    y_true: np.ndarray | None = field(default=None, repr=False)
    outputs: np.ndarray | None = field(default=None, repr=False)  # probabilities, or predictions in target units

    @property
    def accuracy(self) -> float | None:
        return self.metrics.get("accuracy")

    def to_dict(self, curves: bool = True) -> dict[str, Any]:
        metrics = dict(self.metrics)
        if not curves:
            metrics.pop("roc", None)
            metrics.pop("pr", None)
        return {
            "task": self.task,
            "split": self.split,
            "samples": self.samples,
            "class_names": self.class_names,
            "metrics": metrics,
            "robustness": self.robustness,
        }

    def write_json(self, path: str | Path) -> None:
        atomic_write_text(Path(path), json.dumps(self.to_dict(), indent=2))

    def table_rows(self) -> list[list[Any]]:
        """The table the dialog shows and the CSV holds: a header, then one row per class or metric."""
        if self.task != "classification":
            rows = [["metric", "value"]] + [[k, self.metrics[k]] for k in ("mse", "mae", "r2")]
            rows += [[f"{k} ({v['parameter']} {v['value']})", v["mse"]] for k, v in self.robustness.items()]
            return rows
        m = self.metrics
        auc = {r["class"]: r["auc"] for r in m["roc"]}
        ap = {r["class"]: r["average_precision"] for r in m["pr"]}
        rows = [["class", "precision", "recall", "f1", "support", "roc_auc", "average_precision"]]
        for r in m["per_class"]:
            name = r["class"]
            rows.append([name, r["precision"], r["recall"], r["f1"], r["support"], auc[name], ap[name]])
        for avg in ("macro", "weighted"):
            a = m[avg]
            rows.append([f"{avg} avg", a["precision"], a["recall"], a["f1"], self.samples, "", ""])
        rows.append(["accuracy", "", "", m["accuracy"], self.samples, "", ""])
        for key, value in self.robustness.items():
            rows.append(
                [
                    messages.EVAL_ROW_ACCURACY_UNDER.format(
                        attack=key, parameter=value["parameter"], value=value["value"]
                    ),
                    "",
                    "",
                    value["accuracy"],
                    self.samples,
                    "",
                    "",
                ]
            )
        return rows

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for row in self.table_rows():
            writer.writerow(["" if v is None else (f"{v:.6g}" if isinstance(v, float) else v) for v in row])
        return buffer.getvalue()

    def save_csv(self, path: str | Path) -> None:
        atomic_write_text(Path(path), self.to_csv())

    def lines(self) -> list[str]:
        m = self.metrics
        if self.task != "classification":
            out = [
                messages.EVAL_REGRESSION.format(
                    split=self.split, samples=self.samples, mse=m["mse"], mae=m["mae"], r2=m["r2"]
                )
            ]
            out += [
                messages.EVAL_MSE_UNDER.format(attack=k, parameter=v["parameter"], value=v["value"], mse=v["mse"])
                for k, v in self.robustness.items()
            ]
            return out
        out = [
            messages.EVAL_CLASSIFICATION.format(
                split=self.split,
                samples=self.samples,
                accuracy=m["accuracy"],
                macro_f1=m["macro"]["f1"],
                weighted_f1=m["weighted"]["f1"],
            )
        ]
        width = max(len(str(c)) for c in self.class_names + ["class"])
        out.append(f"{'class':{width}}  precision  recall      f1  support      auc")
        auc = {r["class"]: r["auc"] for r in m["roc"]}
        for r in m["per_class"]:
            a = auc[r["class"]]
            out.append(
                f"{r['class']:{width}}  {r['precision']:9.4f}  {r['recall']:6.4f}  {r['f1']:6.4f}  "
                f"{r['support']:7d}  {'' if a is None else f'{a:7.4f}'}"
            )
        out.append("confusion matrix (rows: true, columns: predicted):")
        out += ["  " + " ".join(f"{v:5d}" for v in row) for row in m["confusion"]]
        for key, value in self.robustness.items():
            out.append(
                messages.EVAL_ACCURACY_UNDER.format(
                    attack=key,
                    parameter=value["parameter"],
                    value=value["value"],
                    accuracy=value["accuracy"],
                    change=value["accuracy"] - m["accuracy"],
                )
            )
        return out


class _InputSpace:
    """Moves model inputs to the space where perturbations are meaningful and back."""

    def __init__(self, loaded: LoadedModel) -> None:
        norm = loaded.meta.get("normalization") or {}
        self.images = len(loaded.input_shape) == 3 and "scale" in norm
        if self.images:
            shape = (1, -1, 1, 1)
            self.mean = torch.tensor(norm["mean"], dtype=torch.float32).view(shape)
            self.std = torch.tensor(norm["std"], dtype=torch.float32).view(shape)

    def perturb(self, x: torch.Tensor, delta: torch.Tensor) -> torch.Tensor:
        """``x`` (model input) moved by ``delta`` in pixel units for images, feature units for tables."""
        if not self.images:
            return x + delta
        pixels = (x * self.std + self.mean + delta).clamp(0, 1)
        return (pixels - self.mean) / self.std


def _loss(task: str, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if task == "classification":
        return F.cross_entropy(out, y)
    return F.mse_loss(out.reshape(y.shape), y)


def _fgsm(
    model: torch.nn.Module, task: str, space: _InputSpace, x: torch.Tensor, y: torch.Tensor, epsilon: float
) -> torch.Tensor:
    """The seeds' fgsm_attack: one signed-gradient step of size epsilon that increases the loss."""
    x = x.clone().requires_grad_(True)
    with torch.enable_grad():
        loss = _loss(task, model(x), y)
        (grad,) = torch.autograd.grad(loss, x)  # no .grad accumulates in the model's parameters
    # The pixel-space gradient is grad * std (std > 0), so its sign equals the sign of grad.
    return space.perturb(x.detach(), epsilon * grad.sign())


def evaluate_model(
    loaded: LoadedModel,
    *,
    split: str = "val",
    noise_std: float | None = None,
    fgsm_epsilon: float | None = None,
    batch_size: int = 256,
    seed: int = 0,
    task: TaskHooks | None = None,
    test_root: str = "",
) -> EvaluationReport:
    """Metrics of ``loaded`` on the run's ``split``; optional robustness under noise and FGSM.

    ``split = "test"`` evaluates on a separate set at ``test_root`` in the run's own format (an
    image folder, a CSV file; for torchvision data its official test files, "" meaning the run's folder).
    """
    for name, value in (("noise std", noise_std), ("FGSM epsilon", fgsm_epsilon)):
        if value is not None and not (value >= 0 and np.isfinite(value)):
            raise TorchDeskError(f"{name} must be a number >= 0, got {value}")
    t = hooks(task)
    if split == "test":
        t.step(0.0, messages.PROGRESS_TEST_SET)
        artifact_data.use_test_set(loaded, test_root)
    model = loaded.model.eval()
    kind = loaded.task
    space = _InputSpace(loaded)
    generator = torch.Generator().manual_seed(seed)
    total = max(1, artifact_data.split_size(loaded, split))
    outs, ys, noisy, attacked = [], [], [], []
    seen = 0
    for xb, yb in artifact_data.batches(loaded, split, batch_size):
        t.step(seen / total, messages.PROGRESS_EVALUATING.format(split=split))
        xb = xb.float()
        with torch.inference_mode():
            outs.append(model(xb).float())
            if noise_std is not None:
                delta = torch.randn(xb.shape, generator=generator) * noise_std
                noisy.append(model(space.perturb(xb, delta)).float())
        if fgsm_epsilon is not None:
            x_adv = _fgsm(model, kind, space, xb, yb, fgsm_epsilon)
            with torch.inference_mode():
                attacked.append(model(x_adv).float())
        ys.append(yb)
        seen += len(yb)
    t.step(1.0, messages.PROGRESS_METRICS)
    y = torch.cat(ys)
    out = torch.cat(outs)
    robustness: dict[str, Any] = {}
    if kind == "classification":
        probs = out.softmax(dim=1).numpy()
        y_np = y.numpy().astype(np.int64)
        metrics = classification_summary(y_np, probs, loaded.class_names)
        for key, results, parameter, value in (
            ("gaussian_noise", noisy, "std", noise_std),
            ("fgsm", attacked, "epsilon", fgsm_epsilon),
        ):
            if results:
                accuracy = float((torch.cat(results).argmax(1) == y).double().mean())
                robustness[key] = {"parameter": parameter, "value": value, "accuracy": accuracy}
        return EvaluationReport(kind, split, len(y), loaded.class_names, metrics, robustness, y_np, probs)
    norm = loaded.meta.get("normalization") or {}
    std, mean = float(norm.get("target_std", 1.0)), float(norm.get("target_mean", 0.0))
    pred = out.reshape(y.shape) * std + mean
    truth = y * std + mean
    metrics = _regression(pred, truth)
    for key, results, parameter, value in (
        ("gaussian_noise", noisy, "std", noise_std),
        ("fgsm", attacked, "epsilon", fgsm_epsilon),
    ):
        if results:
            robustness[key] = {
                "parameter": parameter,
                "value": value,
                "mse": _regression(torch.cat(results).reshape(y.shape) * std + mean, truth)["mse"],
            }
    return EvaluationReport(kind, split, len(y), [], metrics, robustness, truth.numpy(), pred.numpy())


def _regression(pred: torch.Tensor, truth: torch.Tensor) -> dict[str, float]:
    diff = (pred - truth).double()
    total = ((truth.double() - truth.double().mean()) ** 2).sum()
    return {
        "mse": float((diff**2).mean()),
        "mae": float(diff.abs().mean()),
        "r2": float(1 - (diff**2).sum() / total) if total > 0 else 0.0,
    }
