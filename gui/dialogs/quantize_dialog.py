"""File > Quantize…: compare the quantization methods with fp32, pick one and save it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)

from gui.backend_text import backend_tr
from gui.dialogs.artifact_base import ArtifactDialog, compact_rows, run_standalone

COLUMNS = ("method", "size MB", "smaller", "b1 ms", "b32 ms", "speed b32", "metric", "delta", "max diff", "note")


def _fmt(value: Any, pattern: str) -> str:
    return "" if value is None else pattern.format(value)


class QuantizeDialog(ArtifactDialog):
    def __init__(self, model: Any = None, parent=None, error_dialog=None) -> None:  # noqa: ANN001
        super().__init__(model, parent, error_dialog)
        self.setObjectName("quantizeDialog")
        self.setWindowTitle(self.tr("Quantize model"))
        self.setMinimumSize(1000, 420)
        self.run_button.setText(self.tr("Compare methods"))
        headers = [
            self.tr("Method"),
            self.tr("Size MB"),
            self.tr("Smaller"),
            self.tr("Batch 1 ms"),
            self.tr("Batch 32 ms"),
            self.tr("Speed-up 32"),
            self.tr("Metric"),
            self.tr("Δ vs fp32"),
            self.tr("Max diff"),
            self.tr("Note"),
        ]
        self.table = QTableWidget(0, len(headers), self)
        self.table.setObjectName("quantTable")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        compact_rows(self.table)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(220)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.notes = QLabel("", self)
        self.notes.setObjectName("quantNotes")
        self.notes.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save selected…"), self)
        self.save_button.setObjectName("saveQuantButton")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save_selected)
        self.results.addWidget(self.table, 1)
        self.results.addWidget(self.notes)
        self.results.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        self.report = None

    def make_call(self):  # noqa: ANN201
        self._close_report()
        loading = self.tr("loading the model")

        def call(hooks):  # noqa: ANN001, ANN202 - runs on the worker thread
            from backend.artifacts.quantize import compare_methods

            hooks.step(0.0, loading)
            return compare_methods(self.load(), task=hooks)

        return call

    def show_result(self, report: Any) -> None:
        self.report = report
        acc = report.metric_name == "accuracy"
        metric = "{:.2%}" if acc else "{:.4g}"
        self.table.setRowCount(0)
        rows = [["fp32", "", "1.00x", "", "", "1.00x", _fmt(report.fp32_metric, metric), "", "", self.tr("baseline")]]
        # The method's title and what it does (or why it does not apply) on its name.
        tips = {r.method: f"{backend_tr(r.title)}\n{backend_tr(r.reason)}" for r in report.rows}
        separator = self.tr("; ", "between the parts of a note")
        for r in report.rows:
            if not r.ok:
                rows.append([r.method] + [""] * 8 + [backend_tr(r.error or r.reason)])
                continue
            delta = r.metric_delta
            rows.append(
                [
                    r.method,
                    _fmt(r.size_bytes / 1e6 if r.size_bytes else None, "{:.3f}"),
                    _fmt(r.size_ratio, "{:.2f}x"),
                    _fmt(r.latency_b1_ms, "{:.3f}"),
                    _fmt(r.latency_b32_ms, "{:.3f}"),
                    _fmt(r.speedup_b32, "{:.2f}x"),
                    _fmt(r.metric, metric),
                    _fmt(None if delta is None else delta * (100 if acc else 1), "{:+.2f}pt" if acc else "{:+.3g}"),
                    _fmt(r.max_abs_diff, "{:.3g}"),
                    separator.join([backend_tr(r.title), r.runtime] + [backend_tr(n) for n in r.notes]),
                ]
            )
        for values in rows:
            row = self.table.rowCount()
            self.table.insertRow(row)
            for col, text in enumerate(values):
                item = QTableWidgetItem(str(text))
                item.setData(Qt.ItemDataRole.UserRole, values[0])
                item.setToolTip(tips.get(text, str(text)) if col == 0 else str(text))
                if 0 < col < 9:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.notes.setText("\n".join(backend_tr(note) for note in report.notes))

    def selected_method(self) -> str | None:
        items = self.table.selectedItems()
        method = items[0].data(Qt.ItemDataRole.UserRole) if items else None
        if self.report is None or method in (None, "fp32"):
            return None
        return method if self.report.row(method).ok else None

    def _selection_changed(self) -> None:
        self.save_button.setEnabled(self.selected_method() is not None)

    def save_selected(self, path: str | None = None) -> str | None:
        """Save the selected method's model (``path`` skips the file dialog); returns the path."""
        method = self.selected_method()
        if method is None:
            return None
        row = self.report.row(method)
        if not path:
            from pathlib import Path

            suffix = Path(row.path).suffix
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save quantized model"), f"{method}{suffix}")
        if not path:
            return None
        try:
            out = self.report.save(method, path)  # a file copy: short enough for the GUI thread
        except Exception as exc:  # noqa: BLE001 - shown in the error dialog
            self.show_error(str(exc))
            return None
        self.status.setText(self.tr("Saved {method} to {path}").format(method=method, path=out))
        return str(out)

    def _close_report(self) -> None:
        if self.report is not None:
            self.report.close()
            self.report = None

    def done(self, result: int) -> None:  # noqa: D401 - Qt override
        super().done(result)
        self._close_report()


if __name__ == "__main__":
    raise SystemExit(run_standalone(QuantizeDialog))
