"""The model summary: layers with output shapes and parameters, totals and a memory estimate."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget


class ModelView(QWidget):
    """Shows ``backend.engine.model_summary.model_summary`` output, or why the model does not fit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelView")
        self.text = QLabel(self.tr("The model summary appears here once the dataset has been read."), self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Layer"), self.tr("Type"), self.tr("Output shape"), self.tr("Parameters")]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.table, 1)

    def show_error(self, message: str) -> None:
        self.text.setText(self.tr("This model cannot train on this dataset: {message}").format(message=message))
        self.table.setRowCount(0)

    def show_summary(self, s: dict) -> None:
        mem = s.get("memory_mb", {})
        lines = [
            self.tr("{arch}: input {inp} → output {out}").format(
                arch=s.get("arch", ""), inp=tuple(s.get("input_shape", [])), out=tuple(s.get("output_shape", []))
            ),
            self.tr("{total:,} parameters ({trainable:,} trainable, {frozen:,} frozen)").format(
                total=s.get("total_params", 0), trainable=s.get("trainable_params", 0), frozen=s.get("frozen_params", 0)
            ),
            self.tr(
                "About {total:.1f} MB for one training step at batch {batch} (weights {w:.1f}, gradients {g:.1f}, "
                "optimizer {o:.1f}, activations {a:.1f}, batch {b:.1f})"
            ).format(
                total=mem.get("total", 0.0),
                batch=s.get("batch_size", 0),
                w=mem.get("params", 0.0),
                g=mem.get("grads", 0.0),
                o=mem.get("optimizer", 0.0),
                a=mem.get("activations", 0.0),
                b=mem.get("batch", 0.0),
            ),
        ]
        if s.get("resize_to"):
            lines.append(self.tr("Images are resized to {size} inside the model.").format(size=tuple(s["resize_to"])))
        self.text.setText("\n".join(lines))
        layers = s.get("layers", [])
        self.table.setRowCount(len(layers))
        for r, row in enumerate(layers):
            shape = "" if row.get("output_shape") is None else str(tuple(row["output_shape"]))
            values = [row.get("name", ""), row.get("type", ""), shape, f"{row.get('params', 0):,}"]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)


if __name__ == "__main__":
    app = QApplication.instance() or QApplication(sys.argv)
    from backend.core.config import RunConfig
    from backend.engine.model_summary import model_summary

    view = ModelView()
    view.show_summary(model_summary(RunConfig(), (1, 8, 8), 10))
    view.resize(800, 500)
    view.show()
    raise SystemExit(app.exec())
