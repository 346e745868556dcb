"""The events log: one readable line per start, epoch, checkpoint, warning and end."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtGui import QFontDatabase, QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from backend.store.runs import is_diverged
from gui.backend_text import backend_tr, engine_word
from gui.metric_text import metrics_text
from gui.panels.run_bar import format_duration

MAX_LINES = 5000


def describe_event(event: dict, task: str = "classification") -> str | None:
    """A one-line summary in the interface language, or None for events too frequent to log (steps).
    ``task`` (from the run's start event) chooses the metric of the end line."""
    # A module function has no self.tr: lupdate files these literal "LogPanel" calls under that context.
    translate = QCoreApplication.translate
    kind = event.get("event")
    if kind == "start":
        return translate(
            "LogPanel",
            "Started: {epochs} epochs × {steps} steps on {device} ({precision}), {task}; run folder {run_dir}",
        ).format(
            epochs=event.get("epochs"),
            steps=event.get("steps_per_epoch"),
            device=event.get("device"),
            precision=event.get("precision"),
            task=engine_word(str(event.get("task"))),
            run_dir=event.get("run_dir"),
        )
    if kind == "epoch":
        return translate("LogPanel", ", ", "separator of the parts of an epoch line").join(_epoch_parts(event))
    if kind == "checkpoint":  # the run folder is on the start line: the file's name is enough
        return translate("LogPanel", "Checkpoint saved at step {step}: {file}").format(
            step=event.get("step"), file=Path(str(event.get("path"))).name
        )
    if kind == "paused":
        return translate("LogPanel", "Paused at epoch {epoch}, step {step}").format(
            epoch=event.get("epoch"), step=event.get("step")
        )
    if kind == "resumed":
        return translate("LogPanel", "Resumed after a pause of {time}").format(
            time=format_duration(event.get("paused_s"))
        )
    if kind == "early_stop":
        if event.get("message"):
            return translate("LogPanel", "Early stopping: {message}").format(message=backend_tr(event["message"]))
        return translate("LogPanel", "Early stopping: the monitored metric stopped improving")
    if kind == "note":
        return backend_tr(str(event.get("message")))
    if kind in ("warning", "diverged", "nan", "error"):
        diverged = translate("LogPanel", "Diverged: {message}")
        labels = {
            "warning": translate("LogPanel", "Warning: {message}"),
            "diverged": diverged,
            "nan": diverged,  # the event's name in older logs
            "error": translate("LogPanel", "Error: {message}"),
        }
        return labels[kind].format(message=backend_tr(str(event.get("message"))))
    if kind == "end":
        status, best = engine_word(str(event.get("status"))), event.get("best_metric")
        text = translate("LogPanel", "Finished: {status}").format(status=status)
        metrics = metrics_text(task, event.get("final") or {}, event.get("best") or {})
        if metrics:
            text += translate("LogPanel", ", ", "separator of the parts of an epoch line") + metrics
        monitor = str(event.get("monitor"))
        shown = monitor in (event.get("final") or {})  # its best is in the metrics already
        if isinstance(best, (int, float)) and not is_diverged(event.get("status")) and not shown:
            text += translate("LogPanel", ", best {monitor} {best:.4g}").format(monitor=monitor, best=best)
        return text
    return None


def _epoch_parts(event: dict) -> list[str]:
    translate = QCoreApplication.translate
    parts = [
        translate("LogPanel", "Epoch {epoch}").format(epoch=event.get("epoch")),
        translate("LogPanel", "train loss {loss:.4f}").format(loss=event.get("train_loss", float("nan"))),
    ]
    if event.get("val_loss") is not None:
        parts.append(translate("LogPanel", "val loss {loss:.4f}").format(loss=event["val_loss"]))
    if event.get("val_acc") is not None:
        parts.append(translate("LogPanel", "val acc {acc:.2f}%").format(acc=100 * event["val_acc"]))
    if event.get("val_mae") is not None:
        parts.append(translate("LogPanel", "val MAE {mae:.4g}").format(mae=event["val_mae"]))
    if event.get("lr") is not None:
        parts.append(translate("LogPanel", "lr {lr:.3g}").format(lr=event["lr"]))
    if event.get("epoch_time_s") is not None:
        seconds = event["epoch_time_s"]
        if seconds >= 1:
            parts.append(translate("LogPanel", "{s:.1f} s").format(s=seconds))
        else:
            parts.append(translate("LogPanel", "{ms:.0f} ms").format(ms=1000 * seconds))
    return parts


class LogPanel(QPlainTextEdit):
    """Read-only, bounded log of run events and app messages."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventLog")
        self.setReadOnly(True)
        self.setMaximumBlockCount(MAX_LINES)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setPlaceholderText(self.tr("Run events appear here."))
        self._task = "classification"
        self._checkpoint_step = None  # the step of the checkpoint line last written
        self._stop_reasons: set[str] = set()  # the run's divergence and error messages, already logged

    def add_line(self, text: str) -> None:
        self.appendPlainText(f"{time.strftime('%H:%M:%S')}  {text}")

    @Slot(object)
    def add_events(self, events: list) -> None:
        for event in events:
            kind = event.get("event")
            if kind == "start":
                self._task = str(event.get("task") or "classification")
                self._checkpoint_step = None
                self._stop_reasons = set()
            if kind in ("diverged", "nan", "error"):
                self._stop_reasons.add(str(event.get("message")))
            line = describe_event(event, self._task)
            if not line:
                continue
            if kind == "checkpoint":
                at = event.get("step")
                if at == self._checkpoint_step:  # best.ckpt copies the last.ckpt just logged: one line for both
                    self._amend_last_line(Path(str(event.get("path"))).name)
                    continue
                self._checkpoint_step = at
            self.add_line(line)

    def logged_stop_reason(self, message: str) -> bool:
        """Whether the run's events already logged ``message`` (a run's failure) as a divergence or error."""
        return str(message) in self._stop_reasons

    def _amend_last_line(self, file: str) -> None:
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(self.tr(", {file} (the best so far)").format(file=file))


if __name__ == "__main__":
    app = QApplication.instance() or QApplication(sys.argv)
    log = LogPanel()
    log.add_events([{"event": "epoch", "epoch": 1, "train_loss": 0.5, "val_loss": 0.4, "val_acc": 0.9, "lr": 1e-3}])
    log.show()
    raise SystemExit(app.exec())
