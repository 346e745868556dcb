"""Device panel: where to train (one device, a set of GPUs, all GPUs) and with which numeric precision."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from backend.core import messages
from gui.backend_text import backend_tr
from gui.catalog import Catalog
from gui.panels.base import ConfigPanel, run_standalone
from gui.tasks import Task, TaskState
from gui.widgets import combo_key, set_combo_key, set_item_enabled, sync_combo_tooltip

if TYPE_CHECKING:
    from backend.core.config import RunConfig
    from backend.engine.launch import LaunchPlan
    from backend.engine.precision_cost import PrecisionCost
    from backend.engine.probe_step import Workload

ALL_GPUS, CHOSEN_GPUS, CPU_PROCESSES = "gpus:all", "gpus:chosen", "cpu:processes"
CPU_TEST_PROCESSES = 2  # the multi-process path on a machine without a GPU (gloo): for testing it
MEASURE_DELAY_MS = 1500  # after the last change of model, shape or device, what each precision costs is measured


def measure_costs(state: TaskState, workload: Workload, device: str) -> tuple[str, dict[str, PrecisionCost]]:
    """(device, {precision: cost}): a few training steps of the workload per precision (on a Task)."""
    import torch

    from backend.engine.precision_cost import measure_precision_costs

    return device, measure_precision_costs(workload, torch.device(device), should_stop=lambda: state.cancelled)


def find_largest_batch(state: TaskState, workload: Workload, device: str, precision: str, limit: int) -> tuple:
    """(BatchProbe, device, precision used): the largest batch that trains on ``device`` (on a Task);
    each size tried is a partial result (its text)."""
    import torch

    from backend.engine import batch_probe
    from backend.engine.device import resolve_precision

    where = torch.device(device)
    name = resolve_precision(precision, where).name
    probe = batch_probe.probe_batch(
        workload,
        where,
        name,
        limit,
        should_stop=lambda: state.cancelled,
        on_progress=lambda fraction, text: state.report_partial(text),
    )
    return probe, device, name


class DevicePanel(ConfigPanel):
    """Detected devices with name and memory, and the multi-process choices: all GPUs, a chosen set,
    or (without a GPU) 2 CPU processes. GPUs this PyTorch cannot use are listed, disabled, with the
    reason; precisions the device cannot run are disabled and each one says what it costs here:
    detected from the hardware at once, then measured on the current model (``set_workload``). On a
    CUDA device, "Find largest batch" grows the batch until the GPU's memory runs out."""

    sig_fix = Signal(object)
    """(config key, value): a setting to apply through the panels (the probe's batch size)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Device"), parent)
        self._precision_help = {
            "auto": self.tr("Mixed precision on a GPU that computes it natively, fp32 elsewhere (never slower)"),
            "fp32": self.tr("Full 32-bit precision: slowest on a GPU, always correct"),
            "bf16-mixed": self.tr("Mixed precision with bfloat16: fast on recent GPUs, no loss scaling"),
            "fp16-mixed": self.tr("Mixed precision with float16 and loss scaling"),
        }
        self.device = QComboBox(self)
        self.device.setObjectName("deviceChoice")
        self.device.addItem(self.tr("auto (detecting devices…)"), "auto")
        self.gpu_set = QWidget(self)
        self.gpu_set.setObjectName("gpuSet")
        self._gpu_boxes: dict[str, QCheckBox] = {}
        QHBoxLayout(self.gpu_set).setContentsMargins(0, 0, 0, 0)
        self.precision = QComboBox(self)
        self.precision.setObjectName("precisionChoice")
        self.channels_last = QCheckBox(self)
        self.compile = QCheckBox(self)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.add_field("train.device", self.device)
        self.add_row(self.tr("GPUs"), self.gpu_set, self.tr("The GPUs to train on, one process each"))
        self.add_field("train.precision", self.precision)
        self.add_check_field("train.channels_last", self.channels_last)
        self.add_check_field("train.compile", self.compile)
        self.form.addRow(self.details)
        self.note = self.add_note()
        self.note.setObjectName("deviceNote")
        self._build_probe_row()
        self.show_row(self.gpu_set, False)
        self._workload: Workload | None = None  # the model and data shape costs and the probe run on
        self._samples = 0  # training samples: the largest batch there can be
        self._costs: dict[str, PrecisionCost] = {}  # measured on self._costs_key's device and workload
        self._costs_key: tuple[str, str] | None = None
        self._run_active = False  # nothing is measured or probed while a run trains
        self._cost_task = Task(self, name="PrecisionCost")
        self._cost_task.sig_result.connect(self._on_costs)
        self._cost_task.sig_finished.connect(self._update_note)
        self._cost_timer = QTimer(self)  # measured once the settings have stopped changing
        self._cost_timer.setSingleShot(True)
        self._cost_timer.setInterval(MEASURE_DELAY_MS)
        self._cost_timer.timeout.connect(self._start_measuring)
        self.channels_last.toggled.connect(self.config_changed)
        self.compile.toggled.connect(self.config_changed)
        self.device.currentIndexChanged.connect(self._update_precisions)
        self.device.currentIndexChanged.connect(self.config_changed)
        self.precision.currentIndexChanged.connect(self.config_changed)
        self.precision.currentIndexChanged.connect(self._update_note)

    def _build_probe_row(self) -> None:
        self.probe_row = QWidget(self)
        row = QHBoxLayout(self.probe_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.probe_button = QPushButton(self.tr("Find largest batch"), self.probe_row)
        self.probe_button.setObjectName("probeBatch")
        self.probe_cancel = QPushButton(self.tr("Cancel"), self.probe_row)
        self.probe_use = QPushButton(self.probe_row)
        self.probe_use.setObjectName("probeUse")
        for button in (self.probe_button, self.probe_cancel, self.probe_use):
            row.addWidget(button)
        row.addStretch(1)
        self.add_row(
            self.tr("Largest batch"),
            self.probe_row,
            self.tr(
                "Trains single steps of this model with growing batches on the GPU until its memory runs out, "
                "then offers 90% of the largest batch that fitted"
            ),
        )
        self.probe_status = self.add_note()
        self.probe_status.setObjectName("probeStatus")
        self.probe_cancel.hide()
        self.probe_use.hide()
        self._suggested_batch = 0
        self._probe_task = Task(self, name="BatchProbe")
        self._probe_task.sig_partial.connect(self._on_probe_partial)
        self._probe_task.sig_result.connect(self._on_probe_result)
        self._probe_task.sig_failed.connect(self._on_probe_failed)
        self._probe_task.sig_cancelled.connect(self._on_probe_cancelled)
        self._probe_task.sig_finished.connect(self._update_probe_row)
        self.probe_button.clicked.connect(self._start_probe)
        self.probe_cancel.clicked.connect(self._probe_task.cancel)
        self.probe_use.clicked.connect(self._use_probed_batch)

    def stop(self) -> None:
        """Cancel and wait for the measurement and the probe (the window closes)."""
        self._cost_task.shutdown()
        self._probe_task.shutdown()

    # ----------------------------------------------------------------- devices
    def _usable_gpus(self) -> list[dict]:
        if self.catalog is None:
            return []
        return [d for d in self.catalog.devices if d["device"].startswith("cuda") and not d.get("problem")]

    def set_catalog(self, catalog: Catalog) -> None:
        super().set_catalog(catalog)
        current = combo_key(self.device)
        self.device.blockSignals(True)
        self.device.clear()
        auto = catalog.device_entry("auto")
        self.device.addItem(self.tr("auto ({name})").format(name=auto.get("name", "")), "auto")
        self.device.setItemData(
            0, self.tr("The fastest device found: CUDA, then MPS, then the CPU"), Qt.ItemDataRole.ToolTipRole
        )
        for entry in catalog.devices:
            label = f"{entry['device']} — {entry.get('name', '')}"
            if entry.get("memory_gib"):
                label += self.tr(" ({mem} GiB)").format(mem=entry["memory_gib"])
            if entry.get("problem"):
                label += self.tr(" — cannot be used")
            self.device.addItem(label, entry["device"])
            if entry.get("problem"):
                set_item_enabled(self.device, self.device.count() - 1, False, backend_tr(entry["problem"]))
        gpus = self._usable_gpus()
        if len(gpus) > 1:
            self.device.addItem(self.tr("All {n} GPUs (one process each)").format(n=len(gpus)), ALL_GPUS)
            self.device.setItemData(
                self.device.count() - 1,
                self.tr("DistributedDataParallel: TorchDesk starts torchrun with one process per GPU"),
                Qt.ItemDataRole.ToolTipRole,
            )
            self.device.addItem(self.tr("Chosen GPUs (one process each)…"), CHOSEN_GPUS)
            self.device.setItemData(
                self.device.count() - 1, self.tr("Tick the GPUs to train on below"), Qt.ItemDataRole.ToolTipRole
            )
        elif not gpus:
            self.device.addItem(self.tr("{n} processes (CPU, for testing)").format(n=CPU_TEST_PROCESSES), CPU_PROCESSES)
            self.device.setItemData(
                self.device.count() - 1,
                self.tr(
                    "Tries the multi-GPU path on this machine: {n} processes under torchrun share the CPU "
                    "(gloo backend). Slower than one process; for testing only"
                ).format(n=CPU_TEST_PROCESSES),
                Qt.ItemDataRole.ToolTipRole,
            )
        self._fill_gpu_set(gpus)
        index = self.device.findData(current)
        self.device.setCurrentIndex(max(index, 0))
        self.device.blockSignals(False)
        self.compile.setEnabled(not catalog.compile_problem)
        if catalog.compile_problem:
            self.compile.setChecked(False)
            self.compile.setToolTip(backend_tr(catalog.compile_problem))
        for key in catalog.precisions:  # a config applied before the catalogue may have added one already
            if self.precision.findData(key) < 0:
                self.precision.addItem(key, key)
        self._update_precisions()

    def _fill_gpu_set(self, gpus: list[dict]) -> None:
        layout = self.gpu_set.layout()
        for box in self._gpu_boxes.values():
            layout.removeWidget(box)
            box.deleteLater()
        self._gpu_boxes = {}
        for entry in gpus:
            box = QCheckBox(entry["device"], self.gpu_set)
            box.setToolTip(entry.get("name", ""))
            box.setChecked(True)
            box.toggled.connect(self.config_changed)
            box.toggled.connect(self._update_note)
            layout.addWidget(box)
            self._gpu_boxes[entry["device"]] = box
        layout.addStretch(1)

    def chosen_gpus(self) -> list[int]:
        """The GPU numbers a multi-GPU choice trains on (all usable ones, or the ticked ones)."""
        key = combo_key(self.device)
        if key == ALL_GPUS:
            return [int(d["device"].split(":")[1]) for d in self._usable_gpus()]
        if key == CHOSEN_GPUS:
            return [int(name.split(":")[1]) for name, box in self._gpu_boxes.items() if box.isChecked()]
        return []

    def launch_plan(self) -> LaunchPlan | None:
        """How many processes the chosen device asks for: None for one process (trained in the GUI's
        own process), else a LaunchPlan (child processes under torchrun)."""
        from backend.engine.launch import LaunchPlan

        key = combo_key(self.device)
        if key == CPU_PROCESSES:
            return LaunchPlan(nproc=CPU_TEST_PROCESSES)
        gpus = self.chosen_gpus()
        if key == ALL_GPUS and len(gpus) > 1:
            return LaunchPlan(nproc=len(gpus))  # every GPU: no CUDA_VISIBLE_DEVICES needed
        if key == CHOSEN_GPUS and len(gpus) > 1:
            return LaunchPlan(nproc=len(gpus), gpus=tuple(gpus))
        return None

    def _train_device(self) -> str:
        """The config's train.device for the current choice."""
        key = combo_key(self.device)
        if key in (ALL_GPUS, CHOSEN_GPUS):
            gpus = self.chosen_gpus()
            # One ticked GPU trains in this process, on that GPU; several are one per process.
            return f"cuda:{gpus[0]}" if len(gpus) == 1 else "cuda"
        if key == CPU_PROCESSES:
            return "cpu"
        return key

    def _entry_key(self) -> str:
        """The device whose capabilities the precision list shows (the first GPU of a set)."""
        device = self._train_device()
        return "cuda:0" if device == "cuda" else device

    # ----------------------------------------------------------------- precisions
    def _update_precisions(self) -> None:
        """Disable precisions this device cannot run, and say what each one costs here."""
        sync_combo_tooltip(self.device)
        self.show_row(self.gpu_set, combo_key(self.device) == CHOSEN_GPUS)
        if self.catalog is None:
            return
        device = self._entry_key()
        entry = self.catalog.device_entry(device)
        supported = set(self.catalog.device_precisions(device))
        notes = entry.get("precision_notes", {})
        native = entry.get("precision_native", {})
        on_gpu = device.startswith("cuda")
        for i in range(self.precision.count()):
            key = self.precision.itemData(i)
            ok = key == "auto" or key in supported
            why = backend_tr(notes[key]) if key in notes else self._precision_help.get(key, "")
            if not ok:
                why = self.tr("{precision} is not supported on {device}").format(
                    precision=key, device=entry.get("name", device)
                )
            label = key
            cost = self._costs.get(key)
            if ok and cost is not None and key != "fp32":
                label = backend_tr(cost.text())  # "bf16-mixed: 9.8x slower than fp32 here (measured)"
            elif ok and key == "auto" and self._costs:
                label = self.tr("auto — {precision} here (measured)").format(precision=self._measured_auto())
            elif ok and key in native:
                if on_gpu:
                    cost = self.tr("tensor cores") if native[key] else self.tr("no tensor cores: no faster")
                else:
                    cost = self.tr("native here") if native[key] else self.tr("emulated: much slower here")
                label = f"{key} — {cost}"
            self.precision.setItemText(i, label)
            set_item_enabled(self.precision, i, ok, why)
        if combo_key(self.precision) not in supported | {"auto"}:
            set_combo_key(self.precision, "auto")
        parts = [entry.get("name", device)]
        if entry.get("memory_gib"):
            parts.append(self.tr("{mem} GiB memory").format(mem=entry["memory_gib"]))
        if entry.get("threads"):
            parts.append(self.tr("{n} threads").format(n=entry["threads"]))
        parts.append(self.tr("precisions: {p}").format(p=", ".join(sorted(supported))))
        self.details.setText(" · ".join(str(p) for p in parts))
        self._measure_costs()
        self._update_probe_row()
        self._update_note()

    def _update_note(self) -> None:
        """What the choice means: processes, the chosen precision's cost, GPUs that cannot be used."""
        sync_combo_tooltip(self.precision)
        if self.catalog is None:
            return
        lines = []
        plan = self.launch_plan()
        key = combo_key(self.device)
        if key == CPU_PROCESSES:
            lines.append(
                self.tr("{n} processes on the CPU (gloo): to test the multi-GPU path here, not for speed.").format(
                    n=plan.nproc
                )
            )
        elif plan is not None:
            lines.append(
                self.tr("{n} processes, one per GPU, started under torchrun (DistributedDataParallel).").format(
                    n=plan.nproc
                )
            )
        elif key == CHOSEN_GPUS:
            lines.append(self.tr("Tick at least two GPUs for several processes; one GPU trains in this process."))
        notes = self.catalog.device_entry(self._entry_key()).get("precision_notes", {})
        precision = combo_key(self.precision)
        if self._cost_task.is_running():
            lines.append(backend_tr(messages.PRECISION_MEASURING))
        elif precision in self._costs and precision != "fp32":
            lines.append(backend_tr(self._costs[precision].text()))
        elif precision == "auto" and self._costs:
            lines.append(
                self.tr("auto trains with {precision} here: never a precision measured slower than fp32").format(
                    precision=self._measured_auto()
                )
            )
        elif precision in notes:
            lines.append(backend_tr(notes[precision]))
        for entry in self.catalog.devices:
            if entry.get("problem"):
                lines.append(
                    self.tr("{device} ({name}) cannot be used: {problem}").format(
                        device=entry["device"], name=entry.get("name", ""), problem=backend_tr(entry["problem"])
                    )
                )
        self.note.setText("\n".join(lines))
        self.show_row(self.note, bool(lines))

    # ----------------------------------------------------------------- config
    def apply_config(self, config: RunConfig) -> None:
        t = config.train
        # A multi-process choice is not part of the config: it stays while the config's device agrees with it.
        if self._train_device() != t.device or combo_key(self.device) not in (ALL_GPUS, CHOSEN_GPUS, CPU_PROCESSES):
            set_combo_key(self.device, t.device, add_missing=True)
        # The panel's own measured auto coming back (e.g. after "Use batch size") leaves auto chosen.
        if not self._auto_resolved(t.precision) and not set_combo_key(self.precision, t.precision):
            self.precision.addItem(t.precision, t.precision)
            self.precision.setCurrentIndex(self.precision.count() - 1)
        self.channels_last.setChecked(t.channels_last)
        self.compile.setChecked(t.compile and self.compile.isEnabled())
        self._update_precisions()

    def _auto_resolved(self, precision: str) -> bool:
        """Whether ``precision`` is what the chosen ``auto`` became once measured (``update_config``)."""
        if combo_key(self.precision) != "auto" or not self._costs:
            return False
        return precision == self._measured_auto() != self._detected_auto()

    def update_config(self, config: RunConfig) -> None:
        config.train.device = self._train_device()
        precision = combo_key(self.precision) or "auto"
        if precision == "auto" and self._costs and self._measured_auto() != self._detected_auto():
            # The engine's auto goes by the hardware alone: the run gets the measured choice as is.
            precision = self._measured_auto()
        config.train.precision = precision
        config.train.channels_last = self.channels_last.isChecked()
        config.train.compile = self.compile.isChecked()

    # ----------------------------------------------------------------- measured costs
    def set_workload(self, config: RunConfig, inspection: dict[str, Any]) -> None:
        """The current model and data (the inspector's summaries): what each precision costs is measured
        on them, and the batch probe runs them."""
        from backend.engine.probe_step import workload_from_summary

        data, model = inspection.get("data"), inspection.get("model")
        self._workload = workload_from_summary(config, data, model) if data and model else None
        self._samples = int(data.get("train_samples", 0)) if data else 0
        self._measure_costs()
        self._update_probe_row()

    def _usable_device(self) -> str:
        """The device whose precisions are shown, when this PyTorch can train on it ("" otherwise)."""
        device = self._entry_key()
        return device if self.catalog is not None and self.catalog.device_precisions(device) else ""

    def _measurable(self) -> str:
        """The device whose precisions are measured now ("" when none: no workload, one precision only)."""
        device = self._usable_device()
        if not device or self._workload is None or len(self.catalog.device_precisions(device)) < 2:
            return ""
        return device

    def _measure_costs(self) -> None:
        device = self._measurable()
        if not device:
            self._costs_key, self._costs = None, {}  # what was measured belongs to another device or model
            return
        key = (device, self._workload.key(device, self._workload.config.data.batch_size))
        if key == self._costs_key:
            return
        self._costs_key, self._costs = key, {}
        self._cost_task.discard()  # the answer for the previous settings is no longer wanted
        self._cost_timer.start()

    @Slot()
    def _start_measuring(self) -> None:
        device = self._measurable()
        if self._run_active:
            self._costs_key = None  # measured when the run has ended
        elif device and self._costs_key is not None and self._costs_key[0] == device:
            self._cost_task.start(measure_costs, self._workload, device)
            self._update_note()

    def set_run_active(self, active: bool) -> None:
        """A run trains (True): measurements and probes stop and wait, so they neither slow it down nor
        take its GPU memory; once it has ended, what was not measured is measured."""
        self._run_active = active
        if active:
            self._cost_timer.stop()
            self._cost_task.discard()
            self._probe_task.cancel()
            if not self._costs:
                self._costs_key = None  # cut short: measured again when the run has ended
        else:
            self._measure_costs()
        self._update_probe_row()

    @Slot(object)
    def _on_costs(self, result: tuple) -> None:
        device, costs = result
        if self._costs_key is not None and device == self._costs_key[0]:
            self._costs = costs
            self.precision.blockSignals(True)  # the labels change, not the choice
            self._update_precisions()
            self.precision.blockSignals(False)
            self.config_changed.emit()  # what auto means may have changed

    def _auto(self, measured: dict[str, float] | None) -> str:
        """What ``auto`` trains with on the shown device (backend.engine.device.auto_precision)."""
        from backend.engine.device import auto_choice

        if not self._entry_key().startswith("cuda") or self.catalog is None:
            return "fp32"
        return auto_choice(self.catalog.device_entry(self._entry_key()).get("precision_native", {}), measured)

    def _measured_auto(self) -> str:
        from backend.engine.precision_cost import ratios

        return self._auto(ratios(self._costs))

    def _detected_auto(self) -> str:
        return self._auto(None)

    # ----------------------------------------------------------------- largest batch
    def _update_probe_row(self) -> None:
        """Shown with a usable CUDA device; enabled once the model and data are known."""
        on_cuda = self._usable_device().startswith("cuda")
        running = self._probe_task.is_running()
        self.show_row(self.probe_row, on_cuda)
        self.show_row(self.probe_status, on_cuda and bool(self.probe_status.text()))
        self.probe_button.setVisible(not running)
        self.probe_cancel.setVisible(running)
        self.probe_button.setEnabled(self._workload is not None and not self._run_active)
        self.probe_button.setToolTip(
            "" if self._workload is not None else self.tr("Waiting for the dataset and the model to be checked")
        )

    @Slot()
    def _start_probe(self) -> None:
        if self._workload is None:
            return
        config = self._workload.config
        self.update_config(config)  # the precision chosen now
        self.probe_use.hide()
        self.probe_status.setText(self.tr("Looking for the largest batch…"))
        self._probe_task.start(
            find_largest_batch, self._workload, self._entry_key(), config.train.precision, self._samples
        )
        self._update_probe_row()

    @Slot(list)
    def _on_probe_partial(self, texts: list) -> None:
        self.probe_status.setText(backend_tr(texts[-1]))

    @Slot(object)
    def _on_probe_result(self, result: tuple) -> None:
        probe, device, precision = result
        if probe.cancelled:
            self._on_probe_cancelled()
            return
        self.probe_status.setText(backend_tr(probe.text(device, precision)))
        self._suggested_batch = probe.suggested
        self.probe_use.setText(self.tr("Use batch size {n}").format(n=probe.suggested))
        self.probe_use.show()

    @Slot(object, str)
    def _on_probe_failed(self, message: object, details: str) -> None:
        self.probe_status.setText(backend_tr(message))

    @Slot()
    def _on_probe_cancelled(self) -> None:
        self.probe_status.setText(self.tr("Cancelled."))

    @Slot()
    def _use_probed_batch(self) -> None:
        self.sig_fix.emit(("data.batch_size", self._suggested_batch))
        self.probe_use.hide()


if __name__ == "__main__":
    raise SystemExit(run_standalone(DevicePanel))
