"""Device panel: where to train (one device, a set of GPUs, all GPUs) and with which numeric precision."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QWidget

from gui.backend_text import backend_tr
from gui.catalog import Catalog
from gui.panels.base import ConfigPanel, run_standalone
from gui.widgets import combo_key, set_combo_key, set_item_enabled, sync_combo_tooltip

if TYPE_CHECKING:
    from backend.core.config import RunConfig
    from backend.engine.launch import LaunchPlan

ALL_GPUS, CHOSEN_GPUS, CPU_PROCESSES = "gpus:all", "gpus:chosen", "cpu:processes"
CPU_TEST_PROCESSES = 2  # the multi-process path on a machine without a GPU (gloo): for testing it


class DevicePanel(ConfigPanel):
    """Detected devices with name and memory, and the multi-process choices: all GPUs, a chosen set,
    or (without a GPU) 2 CPU processes. GPUs this PyTorch cannot use are listed, disabled, with the
    reason; precisions the device cannot run are disabled and each one says what it costs here."""

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
        self.show_row(self.gpu_set, False)
        self.channels_last.toggled.connect(self.config_changed)
        self.compile.toggled.connect(self.config_changed)
        self.device.currentIndexChanged.connect(self._update_precisions)
        self.device.currentIndexChanged.connect(self.config_changed)
        self.precision.currentIndexChanged.connect(self.config_changed)
        self.precision.currentIndexChanged.connect(self._update_note)

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
            if ok and key in native:
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
        if precision in notes:
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
        if not set_combo_key(self.precision, t.precision):
            self.precision.addItem(t.precision, t.precision)
            self.precision.setCurrentIndex(self.precision.count() - 1)
        self.channels_last.setChecked(t.channels_last)
        self.compile.setChecked(t.compile and self.compile.isEnabled())
        self._update_precisions()

    def update_config(self, config: RunConfig) -> None:
        config.train.device = self._train_device()
        config.train.precision = combo_key(self.precision) or "auto"
        config.train.channels_last = self.channels_last.isChecked()
        config.train.compile = self.compile.isChecked()


if __name__ == "__main__":
    raise SystemExit(run_standalone(DevicePanel))
