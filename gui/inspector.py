"""Background checks of the configuration shown in the panels, before anything is started.

When a panel changes, the main window asks (debounced) for: the dataset summary (counts,
classes, shape, samples), the model summary (layers, parameters, output shape, memory) and
the planned learning rate. Loading data and building a model take time, so one
``InspectWorker`` does it on its own QThread; a newer request makes older ones obsolete.
Problems found here (a missing file, a model that does not fit the data) are shown before
Start, and Start reports them instead of launching a run that would fail.
"""

from __future__ import annotations

import dataclasses
import json
import math
import traceback
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

MAX_LR_POINTS = 4000  # the lr preview is computed at this resolution at most
DEBOUNCE_MS = 400


class InspectWorker(QObject):
    """Lives on the inspector thread; every slot runs there."""

    sig_result = Signal(dict)
    """{"generation", "data", "data_error", "model", "model_error", "lrs", "epochs"}."""

    def __init__(self) -> None:
        super().__init__()
        self.latest = 0  # written by the GUI thread: requests older than this are skipped
        self._data_key: str | None = None
        self._bundle: Any = None
        self._data_summary: dict | None = None
        self._data_error = ""

    @Slot(int, object)
    def inspect(self, generation: int, config: Any) -> None:
        if generation != self.latest:
            return  # a newer request is queued behind this one
        result: dict[str, Any] = {
            "generation": generation,
            "data": None,
            "data_error": "",
            "model": None,
            "model_error": "",
            "lrs": None,
            "epochs": config.train.epochs,
        }
        try:
            self._inspect_data(config, result)
            if generation == self.latest and self._bundle is not None:
                self._inspect_model(config, result)
            if generation == self.latest:
                self._inspect_schedule(config, result)
        except Exception as exc:  # noqa: BLE001 - a bug here must not kill the thread
            result["model_error"] = result["model_error"] or f"{type(exc).__name__}: {exc}"
            result["details"] = traceback.format_exc()
        if generation == self.latest:
            self.sig_result.emit(result)

    def _inspect_data(self, config: Any, result: dict) -> None:
        from backend.core.errors import TorchDeskError
        from backend.data import build_data
        from backend.data.summary import summarize

        key = json.dumps([dataclasses.asdict(config.data), config.seed], sort_keys=True, default=str)
        if key != self._data_key:
            self._data_key, self._bundle, self._data_summary = key, None, None
            try:
                self._bundle = build_data(config.data, config.seed)
                summary = summarize(self._bundle)
                images = summary.get("sample_images")
                if images is not None:
                    summary["sample_images"] = images.numpy()  # plain uint8 (n, C, H, W) for the GUI
                self._data_summary = summary
            except TorchDeskError as exc:
                self._data_error = str(exc)
            except Exception as exc:  # noqa: BLE001 - unreadable data of any kind is reported
                self._data_error = f"{type(exc).__name__}: {exc}"
            else:
                self._data_error = ""
        result["data"], result["data_error"] = self._data_summary, self._data_error

    def _inspect_model(self, config: Any, result: dict) -> None:
        from backend.core.errors import TorchDeskError
        from backend.engine.model_summary import model_summary

        try:
            result["model"] = model_summary(config, self._bundle.input_shape, self._bundle.num_outputs)
        except TorchDeskError as exc:
            result["model_error"] = str(exc)
        except Exception as exc:  # noqa: BLE001 - reported as a model problem
            result["model_error"] = f"{type(exc).__name__}: {exc}"

    def _inspect_schedule(self, config: Any, result: dict) -> None:
        from backend.engine.optim import planned_lrs

        epochs = max(config.train.epochs, 1)
        steps = 50
        if self._bundle is not None:
            batches = len(self._bundle.y_train) / max(config.data.batch_size, 1)
            batches = math.floor(batches) if config.data.drop_last else math.ceil(batches)
            steps = max(math.ceil(max(batches, 1) / max(config.train.grad_accum, 1)), 1)
        # The curve's shape, in epochs, is the same at a coarser step resolution.
        steps = max(1, min(steps, MAX_LR_POINTS // epochs))
        try:
            result["lrs"] = planned_lrs(config.schedule, config.optim, epochs, steps)
        except Exception:  # noqa: BLE001 - an invalid schedule is reported by validation instead
            result["lrs"] = None


class Inspector(QObject):
    """GUI-thread owner of the inspector thread; debounces requests and relays results."""

    sig_result = Signal(dict)
    """The newest inspection result (see InspectWorker.sig_result)."""
    _sig_request = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: InspectWorker | None = None
        self.generation = 0
        self._answered = 0
        self._pending: Any = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._send)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._worker = InspectWorker()
        self._thread = QThread(self)
        self._thread.setObjectName("InspectorThread")
        self._worker.moveToThread(self._thread)
        self._sig_request.connect(self._worker.inspect)
        self._worker.sig_result.connect(self._on_result)
        self._thread.start()

    def request(self, config: Any, immediately: bool = False) -> None:
        """Inspect ``config`` (a private copy) after a short pause in the user's edits."""
        self._pending = config
        if immediately:
            self._send()
        else:
            self._timer.start()

    def cancel_pending(self) -> None:
        """Drop a debounced request that has not been sent (a run is starting: its model building
        must not overlap the run's seeded initialisation, see backend.engine.rng)."""
        self._timer.stop()
        self._pending = None

    def busy(self) -> bool:
        """True while the newest config has not been inspected yet."""
        return self._timer.isActive() or self._pending is not None or self._answered != self.generation

    @Slot()
    def _send(self) -> None:
        self._timer.stop()
        if self._worker is None or self._pending is None:
            return
        self.generation += 1
        self._worker.latest = self.generation
        config, self._pending = self._pending, None
        self._sig_request.emit(self.generation, config)

    @Slot(dict)
    def _on_result(self, result: dict) -> None:
        if result.get("generation") == self.generation:
            self._answered = self.generation
            self.sig_result.emit(result)

    def stop(self) -> None:
        """Quit and wait (a summary being computed is finished first)."""
        self._timer.stop()
        if self._thread is not None:
            if self._worker is not None:
                self._worker.latest = -1  # skip anything still queued
            self._thread.quit()
            self._thread.wait()
            self._thread.deleteLater()
        self._thread = None
        self._worker = None
