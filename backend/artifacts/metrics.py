"""Classification metrics from predictions, in NumPy, following scikit-learn's definitions.

Kept here (rather than calling sklearn.metrics in a loop) so that one pass over the predictions
gives every number and curve; the tests check them against sklearn.metrics.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> np.ndarray:
    """Rows: true class, columns: predicted class."""
    return np.bincount(y_true * num_classes + y_pred, minlength=num_classes**2).reshape(num_classes, num_classes)


def _safe_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.zeros_like(a, dtype=np.float64)
    np.divide(a, b, out=out, where=b != 0)
    return out


def precision_recall_f1(confusion: np.ndarray) -> dict[str, np.ndarray]:
    """Per class; 0 where a ratio is undefined (sklearn's zero_division=0)."""
    tp = np.diag(confusion).astype(np.float64)
    predicted = confusion.sum(axis=0).astype(np.float64)
    support = confusion.sum(axis=1).astype(np.float64)
    precision = _safe_div(tp, predicted)
    recall = _safe_div(tp, support)
    f1 = _safe_div(2 * precision * recall, precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1, "support": support.astype(np.int64)}


def averages(per_class: dict[str, np.ndarray]) -> dict[str, dict[str, float]]:
    support = per_class["support"].astype(np.float64)
    weights = support / support.sum() if support.sum() else np.zeros_like(support)
    keys = ("precision", "recall", "f1")
    return {
        "macro": {k: float(per_class[k].mean()) for k in keys},
        "weighted": {k: float((per_class[k] * weights).sum()) for k in keys},
    }


def _binary_curve(y_true: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """False and true positive counts at each distinct score, descending (sklearn's _binary_clf_curve)."""
    order = np.argsort(score, kind="mergesort")[::-1]
    score, y_true = score[order], y_true[order]
    distinct = np.where(np.diff(score))[0]
    idx = np.r_[distinct, y_true.size - 1]
    tps = np.cumsum(y_true, dtype=np.float64)[idx]
    fps = 1 + idx - tps
    return fps, tps, score[idx]


def roc_curve(y_true: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(fpr, tpr, thresholds) with collinear points dropped, as sklearn.metrics.roc_curve."""
    fps, tps, thresholds = _binary_curve(y_true, score)
    if len(fps) > 2:
        keep = np.where(np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True])[0]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    fps, tps, thresholds = np.r_[0, fps], np.r_[0, tps], np.r_[np.inf, thresholds]
    return fps / fps[-1], tps / tps[-1], thresholds


def precision_recall_curve(y_true: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(precision, recall, thresholds) as sklearn.metrics.precision_recall_curve."""
    fps, tps, thresholds = _binary_curve(y_true, score)
    precision = _safe_div(tps, tps + fps)
    recall = np.ones_like(tps) if tps[-1] == 0 else tps / tps[-1]
    return np.r_[precision[::-1], 1], np.r_[recall[::-1], 0], thresholds[::-1]


def auc(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.trapezoid(y, x)) if hasattr(np, "trapezoid") else float(np.trapz(y, x))


def one_vs_rest_curves(y_true: np.ndarray, probs: np.ndarray, class_names: list[str]) -> tuple[list, list]:
    """ROC and precision-recall curves of each class against the rest (lists for JSON and plots)."""
    roc, pr = [], []
    for c, name in enumerate(class_names):
        positive = (y_true == c).astype(np.int64)
        score = probs[:, c]
        if positive.sum() == 0 or positive.sum() == len(positive):
            why = "no samples of this class" if positive.sum() == 0 else "only samples of this class"
            roc.append({"class": name, "fpr": [], "tpr": [], "thresholds": [], "auc": None, "note": why})
            pr.append(
                {"class": name, "precision": [], "recall": [], "thresholds": [], "average_precision": None, "note": why}
            )
            continue
        fpr, tpr, thr = roc_curve(positive, score)
        precision, recall, pthr = precision_recall_curve(positive, score)
        roc.append(
            {
                "class": name,
                "fpr": fpr.tolist(),
                "tpr": tpr.tolist(),
                "thresholds": [float(t) if np.isfinite(t) else None for t in thr],
                "auc": auc(fpr, tpr),
            }
        )
        pr.append(
            {
                "class": name,
                "precision": precision.tolist(),
                "recall": recall.tolist(),
                "thresholds": pthr.tolist(),
                "average_precision": float(-np.sum(np.diff(recall) * precision[:-1])),
            }
        )
    return roc, pr


def classification_summary(y_true: np.ndarray, probs: np.ndarray, class_names: list[str]) -> dict[str, Any]:
    """Every classification number TorchDesk reports, from labels and class probabilities."""
    n = len(class_names)
    y_pred = probs.argmax(axis=1)
    confusion = confusion_matrix(y_true, y_pred, n)
    per_class = precision_recall_f1(confusion)
    roc, pr = one_vs_rest_curves(y_true, probs, class_names)
    return {
        "accuracy": float((y_pred == y_true).mean()) if len(y_true) else 0.0,
        "per_class": [
            {
                "class": class_names[c],
                "precision": float(per_class["precision"][c]),
                "recall": float(per_class["recall"][c]),
                "f1": float(per_class["f1"][c]),
                "support": int(per_class["support"][c]),
            }
            for c in range(n)
        ],
        **averages(per_class),
        "confusion": confusion.tolist(),
        "roc": roc,
        "pr": pr,
    }
