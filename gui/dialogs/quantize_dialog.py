"""File > Quantize…: compare the quantization methods with fp32, pick one and save it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from gui.backend_text import backend_tr
from gui.dialogs.artifact_base import ArtifactDialog, compact_rows, run_standalone
from gui.theme import warning_color

if TYPE_CHECKING:
    from backend.artifacts.progress import TaskHooks
    from gui.dialogs.error_dialog import ErrorDialog

SLOWER = 0.95  # a ratio below this reads as "slower" / "larger", above 1/SLOWER as "faster" / "smaller"
NOTE_COLUMN = 9


def _fmt(value: Any, pattern: str) -> str:
    return "" if value is None else pattern.format(value)


class QuantizeDialog(ArtifactDialog):
    def __init__(
        self, model: Any = None, parent: QWidget | None = None, error_dialog: ErrorDialog | None = None
    ) -> None:
        super().__init__(model, parent, error_dialog)
        self.setObjectName("quantizeDialog")
        self.setWindowTitle(self.tr("Quantize model"))
        self.setMinimumSize(1000, 460)
        self.run_button.setText(self.tr("Compare methods"))
        headers = [
            self.tr("Method"),
            self.tr("Size MB"),
            self.tr("Size vs fp32"),
            self.tr("Batch 1 ms"),
            self.tr("Batch 32 ms"),
            self.tr("Speed vs fp32 (batch 32)"),
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
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)  # a cut note ends in "…"; the full text is below
        compact_rows(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NOTE_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setMinimumHeight(220)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        # The selected row's whole note (the table cell holds one line of it).
        self.details = QLabel(self.tr("Select a row to read its whole note."), self)
        self.details.setObjectName("quantDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes = QLabel("", self)
        self.notes.setObjectName("quantNotes")
        self.notes.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save selected…"), self)
        self.save_button.setObjectName("saveQuantButton")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save_selected)
        self.results.addWidget(self.table, 1)
        self.results.addWidget(self.details)
        self.results.addWidget(self.notes)
        self.results.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        self.report = None

    def make_call(self) -> Callable[[TaskHooks], Any]:
        self._close_report()
        loading = self.tr("loading the model")

        def call(hooks: TaskHooks) -> Any:  # runs on the worker thread
            from backend.artifacts.quantize import compare_methods

            hooks.step(0.0, loading)
            return compare_methods(self.load(), task=hooks)

        return call

    def ratio_text(self, ratio: float | None, better: str, worse: str) -> tuple[str, bool]:
        """``2.11x smaller`` / ``1.61x slower``: which way a ratio goes, in words; True when it is worse."""
        if ratio is None:
            return "", False
        if ratio < SLOWER:
            return self.tr("{ratio:.2f}x ({times:.2f}x {worse})").format(
                ratio=ratio, times=1 / ratio, worse=worse
            ), True
        if ratio > 1 / SLOWER:
            return self.tr("{ratio:.2f}x ({better})").format(ratio=ratio, better=better), False
        return self.tr("{ratio:.2f}x (same)").format(ratio=ratio), False

    def show_result(self, report: Any) -> None:
        self.report = report
        acc = report.metric_name == "accuracy"
        metric = "{:.2%}" if acc else "{:.4g}"
        separator = self.tr("; ", "between the parts of a note")
        worse = warning_color(self.palette())
        self.table.setRowCount(0)
        for r in report.display_rows():
            baseline = r.method == "fp32"
            if not r.available or r.error:
                values = [r.method] + [""] * 8 + [backend_tr(r.error or r.reason)]
                flags = [False] * 10
            else:
                size, larger = self.ratio_text(r.size_ratio, self.tr("smaller"), self.tr("larger"))
                speed, slower = self.ratio_text(r.speedup_b32, self.tr("faster"), self.tr("slower"))
                delta = r.metric_delta
                if baseline:
                    note = self.tr("the baseline of the methods below ({runtime})").format(runtime=r.runtime)
                    if r.latency_b32_ms is not None:
                        note += separator + self.tr("latency: median of the fp32 runs timed next to each method")
                else:
                    # Its fp32 baseline is the row above its group.
                    note = separator.join([backend_tr(r.title), r.runtime] + [backend_tr(n) for n in r.notes])
                values = [
                    r.title if baseline else r.method,  # "fp32 TorchScript": which fp32 file
                    _fmt(r.size_bytes / 1e6 if r.size_bytes else None, "{:.3f}"),
                    size,
                    _fmt(r.latency_b1_ms, "{:.3f}"),
                    _fmt(r.latency_b32_ms, "{:.3f}"),
                    speed,
                    _fmt(r.metric, metric),
                    _fmt(None if delta is None else delta * (100 if acc else 1), "{:+.2f}pt" if acc else "{:+.3g}"),
                    _fmt(r.max_abs_diff, "{:.3g}"),
                    note,
                ]
                flags = [False, False, larger, False, False, slower] + [False] * 4
            row = self.table.rowCount()
            self.table.insertRow(row)
            tip = f"{backend_tr(r.title)}\n{backend_tr(r.reason)}".strip() if not baseline else values[NOTE_COLUMN]
            for col, text in enumerate(values):
                item = QTableWidgetItem(str(text))
                item.setData(Qt.ItemDataRole.UserRole, r.method)
                item.setToolTip(tip if col == 0 else str(text))
                if 0 < col < NOTE_COLUMN:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if flags[col]:
                    item.setForeground(worse)
                if baseline:
                    font = item.font()
                    font.setItalic(True)
                    item.setFont(font)
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
        rows = {i.row() for i in self.table.selectedItems()}
        if rows:
            row = rows.pop()
            method, note = self.table.item(row, 0).text(), self.table.item(row, NOTE_COLUMN).text()
            self.details.setText(self.tr("{method}: {note}").format(method=method, note=note))

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
