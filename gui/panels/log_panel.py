"""The events log: one readable line per start, epoch, checkpoint, warning and end."""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

MAX_LINES = 5000


def describe_event(event: dict) -> str | None:
    """A one-line summary, or None for events too frequent to log (steps)."""
    kind = event.get("event")
    if kind == "start":
        return (
            f"Started: {event.get('epochs')} epochs × {event.get('steps_per_epoch')} steps on "
            f"{event.get('device')} ({event.get('precision')}), {event.get('task')}; run folder {event.get('run_dir')}"
        )
    if kind == "epoch":
        parts = [f"Epoch {event.get('epoch')}", f"train loss {event.get('train_loss', float('nan')):.4f}"]
        if event.get("val_loss") is not None:
            parts.append(f"val loss {event['val_loss']:.4f}")
        if event.get("val_acc") is not None:
            parts.append(f"val acc {100 * event['val_acc']:.2f}%")
        if event.get("val_mae") is not None:
            parts.append(f"val MAE {event['val_mae']:.4g}")
        if event.get("lr") is not None:
            parts.append(f"lr {event['lr']:.3g}")
        if event.get("epoch_time_s") is not None:
            seconds = event["epoch_time_s"]
            parts.append(f"{seconds:.1f} s" if seconds >= 1 else f"{1000 * seconds:.0f} ms")
        return ", ".join(parts)
    if kind == "checkpoint":
        return f"Saved {event.get('kind')} checkpoint (epoch {event.get('epoch')}, step {event.get('step')}): {event.get('path')}"
    if kind == "early_stop":
        return "Early stopping: the monitored metric stopped improving"
    if kind in ("warning", "nan", "error"):
        return f"{kind.capitalize()}: {event.get('message')}"
    if kind == "end":
        best = event.get("best_metric")
        best_text = f", best {event.get('monitor')} {best:.4g}" if isinstance(best, (int, float)) else ""
        return f"Finished: {event.get('status')}{best_text}"
    return None


class LogPanel(QPlainTextEdit):
    """Read-only, bounded log of run events and app messages."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventLog")
        self.setReadOnly(True)
        self.setMaximumBlockCount(MAX_LINES)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setPlaceholderText(self.tr("Run events appear here."))

    def add_line(self, text: str) -> None:
        self.appendPlainText(f"{time.strftime('%H:%M:%S')}  {text}")

    @Slot(list)
    def add_events(self, events: list) -> None:
        for event in events:
            line = describe_event(event)
            if line:
                self.add_line(line)


if __name__ == "__main__":
    app = QApplication.instance() or QApplication(sys.argv)
    log = LogPanel()
    log.add_events([{"event": "epoch", "epoch": 1, "train_loss": 0.5, "val_loss": 0.4, "val_acc": 0.9, "lr": 1e-3}])
    log.show()
    raise SystemExit(app.exec())
