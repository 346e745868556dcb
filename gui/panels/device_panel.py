"""Device panel: where to train and with which numeric precision."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QWidget

from gui.backend_text import backend_tr
from gui.catalog import Catalog
from gui.panels.base import ConfigPanel, run_standalone
from gui.widgets import combo_key, set_combo_key, set_item_enabled, sync_combo_tooltip


class DevicePanel(ConfigPanel):
    """Detected devices with name and memory; precisions the device cannot run are disabled."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Device"), parent)
        self._precision_help = {
            "auto": self.tr("bf16 or fp16 mixed precision on a GPU, fp32 on the CPU"),
            "fp32": self.tr("Full 32-bit precision: slowest on a GPU, always correct"),
            "bf16-mixed": self.tr("Mixed precision with bfloat16: fast on recent GPUs, no loss scaling"),
            "fp16-mixed": self.tr("Mixed precision with float16 and loss scaling"),
        }
        self.device = QComboBox(self)
        self.device.setObjectName("deviceChoice")
        self.device.addItem(self.tr("auto (detecting devices…)"), "auto")
        self.precision = QComboBox(self)
        self.precision.setObjectName("precisionChoice")
        self.channels_last = QCheckBox(self.tr("channels_last memory layout"), self)
        self.compile = QCheckBox(self.tr("torch.compile the model"), self)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.add_row(self.tr("Device"), self.device, self.tr("Where the model trains"))
        self.add_row(
            self.tr("Precision"), self.precision, self.tr("Numeric precision of the forward and backward passes")
        )
        self.add_row("", self.channels_last, self.tr("NHWC layout for image models; often faster on GPUs"))
        self.add_row(
            "", self.compile, self.tr("Compile the model for speed; the first steps are slow while it compiles")
        )
        self.form.addRow(self.details)
        self.channels_last.toggled.connect(self.config_changed)
        self.compile.toggled.connect(self.config_changed)
        self.device.currentIndexChanged.connect(self._update_precisions)
        self.device.currentIndexChanged.connect(self.config_changed)
        self.precision.currentIndexChanged.connect(self.config_changed)
        self.precision.currentIndexChanged.connect(self._sync_precision_tooltip)

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
            self.device.addItem(label, entry["device"])
        index = self.device.findData(current)
        self.device.setCurrentIndex(max(index, 0))
        self.device.blockSignals(False)
        self.compile.setEnabled(not catalog.compile_problem)
        if catalog.compile_problem:
            self.compile.setChecked(False)
            self.compile.setToolTip(backend_tr(catalog.compile_problem))
        if self.precision.count() == 0:
            for key in catalog.precisions:
                self.precision.addItem(key, key)
        self._update_precisions()

    def _sync_precision_tooltip(self) -> None:
        sync_combo_tooltip(self.precision)

    def _update_precisions(self) -> None:
        """Disable precisions this device cannot run, with a tooltip saying why."""
        sync_combo_tooltip(self.device)
        if self.catalog is None:
            return
        device = combo_key(self.device)
        entry = self.catalog.device_entry(device)
        supported = set(self.catalog.device_precisions(device))
        for i in range(self.precision.count()):
            key = self.precision.itemData(i)
            ok = key == "auto" or key in supported
            why = self._precision_help.get(key, "")
            if not ok:
                why = self.tr("{precision} is not supported on {device}").format(
                    precision=key, device=entry.get("name", device)
                )
            set_item_enabled(self.precision, i, ok, why)
        if combo_key(self.precision) not in supported | {"auto"}:
            set_combo_key(self.precision, "auto")
        sync_combo_tooltip(self.precision)
        parts = [entry.get("name", device)]
        if entry.get("memory_gib"):
            parts.append(self.tr("{mem} GiB memory").format(mem=entry["memory_gib"]))
        if entry.get("threads"):
            parts.append(self.tr("{n} threads").format(n=entry["threads"]))
        parts.append(self.tr("precisions: {p}").format(p=", ".join(sorted(supported))))
        self.details.setText(" · ".join(str(p) for p in parts))

    def apply_config(self, config) -> None:  # noqa: ANN001
        t = config.train
        set_combo_key(self.device, t.device, add_missing=True)
        if not set_combo_key(self.precision, t.precision):
            self.precision.addItem(t.precision, t.precision)
            self.precision.setCurrentIndex(self.precision.count() - 1)
        self.channels_last.setChecked(t.channels_last)
        self.compile.setChecked(t.compile and self.compile.isEnabled())
        self._update_precisions()

    def update_config(self, config) -> None:  # noqa: ANN001
        config.train.device = combo_key(self.device)
        config.train.precision = combo_key(self.precision) or "auto"
        config.train.channels_last = self.channels_last.isChecked()
        config.train.compile = self.compile.isChecked()


if __name__ == "__main__":
    raise SystemExit(run_standalone(DevicePanel))
