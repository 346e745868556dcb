"""Background checks of the configuration shown in the panels, before anything is started.

When a panel changes, the main window asks (debounced) for: the dataset summary (counts,
classes, shape, samples), the model summary (layers, parameters, output shape, memory) and
the planned learning rate. Loading data and building a model take time, so ``Inspection`` does
it on a ``gui.tasks.Task``; a newer request supersedes the one under way.
Problems found here (a missing file, a model that does not fit the data) are shown before
Start, and Start reports them instead of launching a run that would fail.
"""

from __future__ import annotations

import dataclasses
import json
import math
import traceback
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from backend.artifacts.progress import Cancelled
from gui.tasks import Task, TaskState, failure_text

MAX_LR_POINTS = 4000  # the lr preview is computed at this resolution at most
DEBOUNCE_MS = 400


class Inspection:
    """Plain Python, run on the inspector's ``Task``; keeps the last dataset between calls (calls never overlap)."""

    def __init__(self) -> None:
        self._data_key: str | None = None
        self._bundle: Any = None
        self._data_summary: dict | None = None
        self._data_error = ""
        self._data_field = ""  # the config key the data error names ("" when none)

    def run(self, state: TaskState, config: Any) -> dict:
        """{"data", "data_error", "data_field", "model", "model_error", "model_field", "lrs", "epochs"}; stops
        early when superseded (``*_field``: the config key an error names, "" when none)."""
        result: dict[str, Any] = {
            "data": None,
            "data_error": "",
            "model": None,
            "model_error": "",
            "lrs": None,
            "epochs": config.train.epochs,
        }
        try:
            self._inspect_data(config, result)
            state.check()  # a newer request supersedes this one: raises Cancelled
            if self._bundle is not None:
                self._inspect_model(config, result)
            state.check()
            self._inspect_schedule(config, result)
        except Cancelled:
            raise
        except Exception as exc:  # noqa: BLE001 - a bug here is shown as a model problem
            result["model_error"] = result["model_error"] or failure_text(exc)
            result["details"] = traceback.format_exc()
        return result

    def _inspect_data(self, config: Any, result: dict) -> None:
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
            except Exception as exc:  # noqa: BLE001 - unreadable data of any kind is reported
                self._data_error = failure_text(exc)
                self._data_field = getattr(exc, "field", None) or ""
                self._data_key = None  # read again next time: the folder or file may have been fixed
            else:
                self._data_error, self._data_field = "", ""
        result["data"], result["data_error"] = self._data_summary, self._data_error
        result["data_field"] = self._data_field

    def _inspect_model(self, config: Any, result: dict) -> None:
        from backend.engine.model_summary import model_summary

        try:
            result["model"] = model_summary(config, self._bundle.input_shape, self._bundle.num_outputs)
        except Exception as exc:  # noqa: BLE001 - reported as a model problem
            result["model_error"] = failure_text(exc)
            result["model_field"] = getattr(exc, "field", None) or ""

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
    """GUI-thread owner of the inspection task; debounces requests and relays the newest result."""

    sig_result = Signal(object)  # a dict; object keeps its Message values
    """The newest inspection result (see Inspection.run)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task = Task(self, name="Inspector")
        self._task.sig_result.connect(self._on_result)
        self._inspection: Inspection | None = None
        self._pending: Any = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._send)

    def start(self) -> None:
        """Accept requests from now on (the catalogue is loaded)."""
        if self._inspection is None:
            self._inspection = Inspection()

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
        return self._timer.isActive() or self._pending is not None or self._task.is_running()

    @Slot()
    def _send(self) -> None:
        self._timer.stop()
        if self._inspection is None or self._pending is None:
            return
        config, self._pending = self._pending, None
        self._task.start(self._inspection.run, config)

    @Slot(object)
    def _on_result(self, result: object) -> None:
        self.sig_result.emit(result)

    def stop(self) -> None:
        """Cancel and wait (a step under way, such as loading the data, is finished first)."""
        self._timer.stop()
        self._pending = None
        self._task.shutdown()
        self._inspection = None
