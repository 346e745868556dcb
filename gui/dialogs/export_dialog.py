"""File > Export…: ONNX, TorchScript or torch.export (.pt2), with a parity and latency report."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QLabel, QPushButton, QSpinBox, QWidget

from gui.backend_text import backend_tr
from gui.dialogs.artifact_base import ArtifactDialog, OutputPath, PathLabel, open_folder, run_standalone

if TYPE_CHECKING:
    from backend.artifacts.progress import TaskHooks
    from gui.dialogs.error_dialog import ErrorDialog


class ExportDialog(ArtifactDialog):
    def __init__(
        self, model: Any = None, parent: QWidget | None = None, error_dialog: ErrorDialog | None = None
    ) -> None:
        super().__init__(model, parent, error_dialog)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export model"))
        self.run_button.setText(self.tr("Export"))
        self.format = QComboBox(self)
        self.format.setObjectName("exportFormat")
        for key, text in (
            ("onnx", self.tr("ONNX (.onnx)")),
            ("torchscript", self.tr("TorchScript (.pt)")),
            ("pt2", self.tr("torch.export program (.pt2)")),
        ):
            self.format.addItem(text, key)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.opset = QSpinBox(self)
        self.opset.setObjectName("exportOpset")
        self.opset.setRange(13, 21)
        self.opset.setValue(18)
        self.method = QComboBox(self)
        self.method.setObjectName("exportMethod")
        self.method.addItem(self.tr("trace"), "trace")
        self.method.addItem(self.tr("script"), "script")
        self.dynamic = QCheckBox(self.tr("Dynamic batch size"), self)
        self.dynamic.setObjectName("exportDynamicBatch")
        self.dynamic.setChecked(True)
        self.out = OutputPath(self.tr("default: <run folder>/exports/<run>-<format>-<date>"), parent=self)
        self.out.setObjectName("exportOut")
        self.options.addRow(self.tr("Format:"), self.format)
        self.options.addRow(self.tr("ONNX opset:"), self.opset)
        self.options.addRow(self.tr("TorchScript by:"), self.method)
        self.options.addRow("", self.dynamic)
        self.options.addRow(self.tr("Output file:"), self.out)

        box = QGroupBox(self.tr("Report"), self)
        form = QFormLayout(box)
        self.file_label = PathLabel("—", box)
        self.file_label.setObjectName("exportFile")
        self.size_label = QLabel("—", box)
        self.size_label.setObjectName("exportSize")
        self.parity_label = QLabel("—", box)
        self.parity_label.setObjectName("exportParity")
        self.parity_label.setWordWrap(True)
        self.latency_label = QLabel("—", box)
        self.latency_label.setObjectName("exportLatency")
        self.notes_label = QLabel("", box)
        self.notes_label.setObjectName("exportNotes")
        self.notes_label.setWordWrap(True)
        self.open_button = QPushButton(self.tr("Open containing folder"), box)
        self.open_button.setObjectName("openFolderButton")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_folder)
        for label, widget in (
            (self.tr("File:"), self.file_label),
            (self.tr("Size:"), self.size_label),
            (self.tr("Parity:"), self.parity_label),
            (self.tr("Latency:"), self.latency_label),
            (self.tr("Notes:"), self.notes_label),
        ):
            form.addRow(label, widget)
        form.addRow("", self.open_button)
        self.results.addWidget(box)
        self.report = None
        self._format_changed()

    def _format_changed(self) -> None:
        fmt = self.format.currentData()
        self.opset.setEnabled(fmt == "onnx")
        self.method.setEnabled(fmt == "torchscript")
        self.dynamic.setEnabled(fmt != "torchscript")

    def make_call(self) -> Callable[[TaskHooks], Any]:
        fmt, opset, method = self.format.currentData(), self.opset.value(), self.method.currentData()
        dynamic, out = self.dynamic.isChecked(), self.out.path() or None

        def call(hooks: TaskHooks) -> Any:  # runs on the worker thread
            from backend.artifacts.export import export_model

            return export_model(self.load(), fmt, out, opset=opset, method=method, dynamic_batch=dynamic, task=hooks)

        return call

    def show_result(self, report: Any) -> None:
        self.report = report
        self.file_label.set_path(report.path)
        self.size_label.setText(
            self.tr("{mb:.3f} MB ({bytes} bytes)").format(mb=report.size_bytes / 1e6, bytes=report.size_bytes)
        )
        verdict = self.tr("OK") if report.parity_ok else self.tr("FAILED")
        self.parity_label.setText(
            self.tr("max abs diff {diff:.3g} in {runtime} (limit {tol:g}): {verdict}").format(
                diff=report.parity_max_abs_diff, runtime=report.runtime, tol=report.tolerance, verdict=verdict
            )
        )
        if report.latency_torch_ms is not None:
            self.latency_label.setText(
                self.tr("batch {b}: PyTorch {t:.3f} ms, {rt} {r:.3f} ms").format(
                    b=report.latency_batch, t=report.latency_torch_ms, rt=report.runtime, r=report.latency_runtime_ms
                )
            )
        notes = [self.tr("exporter: {name}").format(name=report.exporter)] + [backend_tr(n) for n in report.notes]
        self.notes_label.setText("\n".join(notes))
        self.open_button.setEnabled(True)

    def open_folder(self) -> None:
        if self.report is not None:
            open_folder(self.report.path)


if __name__ == "__main__":
    raise SystemExit(run_standalone(ExportDialog))
