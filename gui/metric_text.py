"""How a run's metrics read in the interface: "accuracy 95.3% (best 96.1%), val loss 0.123"."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from backend.store.runs import shown_metrics


def metric_name(key: str) -> str:
    """The interface name of an epoch metric (the key itself for one without a name here)."""
    translate = QCoreApplication.translate
    names = {
        "val_acc": translate("MetricText", "accuracy"),
        "val_top5": translate("MetricText", "top-5 accuracy"),
        "val_mae": translate("MetricText", "MAE"),
        "val_mse": translate("MetricText", "MSE"),
        "val_loss": translate("MetricText", "val loss"),
        "train_loss": translate("MetricText", "train loss"),
        "train_acc": translate("MetricText", "train accuracy"),
    }
    return names.get(key, key)


def metric_value(key: str, value: float) -> str:
    """Accuracies as percentages, the rest with four significant digits (a tiny loss is not 0.0000)."""
    return f"{100 * value:.1f}%" if key.endswith(("_acc", "_top5")) else f"{value:.4g}"


def metrics_text(task: str, final: dict, best: dict) -> str:
    """The final value of the task's metric and of the validation loss, each with its best when it differs."""
    parts = []
    for key, value, top in shown_metrics(task, final, best):
        text = f"{metric_name(key)} {metric_value(key, value)}"
        if top is not None and top != value:
            text += QCoreApplication.translate("MetricText", " (best {value})").format(value=metric_value(key, top))
        parts.append(text)
    return ", ".join(parts)
