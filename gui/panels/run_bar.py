"""The run bar: Start, Pause/Resume, Stop; epoch and run progress; ETA, speed, lr and memory."""

from __future__ import annotations

import sys

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QApplication, QGridLayout, QLabel, QProgressBar, QPushButton, QWidget

from gui.backend_text import engine_word
from gui.theme import media_icon


def format_duration(seconds: float | None) -> str:
    if seconds is None or seconds != seconds or seconds < 0:
        return "—"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class RunBar(QWidget):
    """Buttons and progress of the current run; the status-bar labels are created here too."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start_button = QPushButton(self.tr("Start"), self)
        self.start_button.setObjectName("startButton")
        self.pause_button = QPushButton(self.tr("Pause"), self)
        self.pause_button.setObjectName("pauseButton")
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.setObjectName("stopButton")
        # Drawn in the palette's text colour: the style's media icons are black on a dark theme.
        self.start_button.setIcon(media_icon("play"))
        self.pause_button.setIcon(media_icon("pause"))
        self.stop_button.setIcon(media_icon("stop"))
        self.start_button.setToolTip(self.tr("Start training (F5)"))
        self.pause_button.setToolTip(self.tr("Pause or resume the run (F6)"))
        self.stop_button.setToolTip(self.tr("Stop after the current step and save a checkpoint (Shift+F5)"))
        for button in (self.start_button, self.pause_button, self.stop_button):
            button.setMinimumWidth(96)
        self.epoch_progress = QProgressBar(self)
        self.epoch_progress.setObjectName("epochProgress")
        self.run_progress = QProgressBar(self)
        self.run_progress.setObjectName("runProgress")
        self.epoch_label = QLabel(self.tr("Epoch"), self)
        self.run_label = QLabel(self.tr("Run"), self)

        # Shown in the main window's status bar.
        self.eta_label = QLabel(self)
        self.eta_label.setObjectName("etaLabel")
        self.speed_label = QLabel(self)
        self.speed_label.setObjectName("speedLabel")
        self.lr_label = QLabel(self)
        self.lr_label.setObjectName("lrLabel")
        self.memory_label = QLabel(self)
        self.memory_label.setObjectName("memoryLabel")
        self.memory_label.setToolTip(
            self.tr("The most memory used so far: on a GPU the device's, on the CPU this process's (RAM)")
        )

        grid = QGridLayout(self)
        grid.setContentsMargins(6, 6, 6, 6)
        grid.addWidget(self.start_button, 0, 0)
        grid.addWidget(self.pause_button, 0, 1)
        grid.addWidget(self.stop_button, 0, 2)
        grid.addWidget(self.epoch_label, 0, 3)
        grid.addWidget(self.epoch_progress, 0, 4)
        grid.addWidget(self.run_label, 0, 5)
        grid.addWidget(self.run_progress, 0, 6)
        grid.setColumnStretch(4, 1)
        grid.setColumnStretch(6, 2)
        self.reset()

    def status_widgets(self) -> list[QLabel]:
        return [self.eta_label, self.speed_label, self.lr_label, self.memory_label]

    def reset(self) -> None:
        self._epochs = 0
        self._steps_per_epoch = 0
        self._total = 0
        self._first: tuple[int, float] | None = None
        for bar in (self.epoch_progress, self.run_progress):
            bar.setRange(0, 1)
            bar.setValue(0)
            bar.setFormat(self.tr("idle"))
        self.eta_label.setText(self.tr("ETA —"))
        self.speed_label.setText(self.tr("— samples/s"))
        self.lr_label.setText(self.tr("lr —"))
        self.memory_label.setText("")
        self.memory_label.setVisible(False)

    def set_paused(self, paused: bool) -> None:
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        self.pause_button.setIcon(media_icon("play" if paused else "pause"))

    @Slot(object)
    def add_events(self, events: list) -> None:
        """Update progress and read-outs from a batch of trainer events (GUI thread)."""
        last_step, end = None, None
        for event in events:
            kind = event.get("event")
            if kind == "start":
                self._epochs = int(event.get("epochs") or 0)
                self._steps_per_epoch = max(int(event.get("steps_per_epoch") or 0), 1)
                self._total = max(int(event.get("total_steps") or 0), 1)
                self.run_progress.setRange(0, self._total)
                self.epoch_progress.setRange(0, self._steps_per_epoch)
                self.run_progress.setFormat(self.tr("%p% (step %v of %m)"))
                self.epoch_progress.setFormat(self.tr("epoch 1 of {n}").format(n=self._epochs))
            elif kind == "step":
                last_step = event
            elif kind == "epoch":
                if event.get("peak_mem_mb") is not None:  # on the GPU
                    self.memory_label.setVisible(True)
                    self.memory_label.setText(self.tr("peak memory {mb:.0f} MB").format(mb=event["peak_mem_mb"]))
                elif event.get("peak_ram_mb") is not None:  # on the CPU: this process's resident memory
                    self.memory_label.setVisible(True)
                    self.memory_label.setText(self.tr("peak RAM {mb:.0f} MB").format(mb=event["peak_ram_mb"]))
            elif kind == "resumed" and self._first is not None:
                # A pause is no progress: the ETA's rate leaves it out.
                self._first = (self._first[0], self._first[1] + float(event.get("paused_s") or 0.0))
            elif kind == "end":
                end = event
        if last_step is not None:
            self._show_step(last_step)
        if end is not None:
            status = engine_word(str(end.get("status", "")))
            self.run_progress.setFormat(self.tr("%p% — {status}").format(status=status))
            self.eta_label.setText(self.tr("ETA —"))

    def _show_step(self, event: dict) -> None:
        step = int(event.get("step") or 0)
        epoch = int(event.get("epoch") or 1)
        elapsed = float(event.get("elapsed_s") or 0.0)
        self.run_progress.setValue(min(step, self.run_progress.maximum()))
        in_epoch = step - (epoch - 1) * self._steps_per_epoch
        self.epoch_progress.setValue(max(0, min(in_epoch, self.epoch_progress.maximum())))
        self.epoch_progress.setFormat(self.tr("epoch {e} of {n}").format(e=epoch, n=self._epochs))
        if self._first is None:
            self._first = (step, elapsed)
        done, seconds = step - self._first[0], elapsed - self._first[1]
        if done > 0 and seconds > 0:
            self.eta_label.setText(self.tr("ETA {t}").format(t=format_duration((self._total - step) * seconds / done)))
        if event.get("samples_per_s") is not None:
            self.speed_label.setText(self.tr("{n:,.0f} samples/s").format(n=event["samples_per_s"]))
        if event.get("lr") is not None:
            self.lr_label.setText(self.tr("lr {lr:.3g}").format(lr=event["lr"]))


if __name__ == "__main__":
    app = QApplication.instance() or QApplication(sys.argv)
    bar = RunBar()
    bar.add_events(
        [
            {"event": "start", "epochs": 5, "steps_per_epoch": 20, "total_steps": 100, "elapsed_s": 0},
            {"event": "step", "epoch": 2, "step": 30, "loss": 0.5, "lr": 1e-3, "samples_per_s": 5000, "elapsed_s": 3.0},
        ]
    )
    bar.show()
    raise SystemExit(app.exec())
