"""Tools > Evaluate…: metrics per class, confusion matrix, ROC and PR curves, robustness, CSV export."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QWidget,
)

from gui.backend_text import backend_tr
from gui.dialogs.artifact_base import ArtifactDialog, compact_rows, run_standalone
from gui.panels.confusion_panel import ConfusionPanel
from gui.widgets import PathEdit

if TYPE_CHECKING:
    from backend.artifacts.progress import TaskHooks
    from gui.dialogs.error_dialog import ErrorDialog


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:.4f}" if isinstance(value, float) else str(value)


class EvaluateDialog(ArtifactDialog):
    def __init__(
        self, model: Any = None, parent: QWidget | None = None, error_dialog: ErrorDialog | None = None
    ) -> None:
        super().__init__(model, parent, error_dialog)
        self.setObjectName("evaluateDialog")
        self.setWindowTitle(self.tr("Evaluate model"))
        self.setMinimumSize(820, 640)
        self.run_button.setText(self.tr("Evaluate"))
        self.split = QComboBox(self)
        self.split.setObjectName("evalSplit")
        self.split.addItem(self.tr("validation"), "val")
        self.split.addItem(self.tr("test (a separate set)"), "test")
        self.split.addItem(self.tr("train"), "train")
        self.test_root = PathEdit(self)
        self.test_root.setObjectName("evalTestRoot")
        self.test_root.set_mode("folder")
        self.test_root.setToolTip(
            self.tr(
                "A test set in the run's own format: a folder of class sub-folders of images, or a CSV file with "
                "the same columns (type its path). For MNIST, CIFAR and the like, leave it empty to use the official "
                "test files next to the training files."
            )
        )
        self.noise = self._strength("evalNoise", self.tr("off"))
        self.fgsm = self._strength("evalFgsm", self.tr("off"))
        self.options.addRow(self.tr("Split:"), self.split)
        self.options.addRow(self.tr("Test set:"), self.test_root)
        self.split.currentIndexChanged.connect(self._show_test_root)
        self._show_test_root()
        self.options.addRow(self.tr("Gaussian noise std:"), self.noise)
        self.options.addRow(self.tr("FGSM epsilon:"), self.fgsm)

        self.table = QTableWidget(0, 0, self)
        self.table.setObjectName("evalTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        compact_rows(self.table)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.confusion = ConfusionPanel(self)
        # Legends where the curves are not: bottom right for ROC, bottom left for precision-recall.
        self.roc_plot = self._curve_plot(
            "evalRoc", self.tr("False positive rate"), self.tr("True positive rate"), (-10, -10)
        )
        self.pr_plot = self._curve_plot("evalPr", self.tr("Recall"), self.tr("Precision"), (10, -10))
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.table, self.tr("Metrics"))
        self.tabs.addTab(self.confusion, self.tr("Confusion matrix"))
        self.tabs.addTab(self.roc_plot, self.tr("ROC curves"))
        self.tabs.addTab(self.pr_plot, self.tr("Precision-recall"))
        self.csv_button = QPushButton(self.tr("Export CSV…"), self)
        self.csv_button.setObjectName("exportCsvButton")
        self.csv_button.setEnabled(False)
        self.csv_button.clicked.connect(self.export_csv)
        self.summary = QLabel("", self)
        self.summary.setObjectName("evalSummary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.results.addWidget(self.summary)
        self.results.addWidget(self.tabs, 1)
        self.results.addWidget(self.csv_button, 0, Qt.AlignmentFlag.AlignRight)
        self.report = None
        self._apply_theme()

    def _apply_theme(self) -> None:
        """Plots follow the app's light or dark palette, as the main window's plots do."""
        dark = self.palette().window().color().lightness() < 128
        self.confusion.set_dark(dark)
        background, foreground = ("#1e1e1e", "#d0d0d0") if dark else ("#ffffff", "#303030")
        for plot in (self.roc_plot, self.pr_plot):
            plot.setBackground(background)
            for name in ("left", "bottom"):
                plot.getAxis(name).setPen(foreground)
                plot.getAxis(name).setTextPen(foreground)
            plot.getPlotItem().legend.setLabelTextColor(foreground)

    def _strength(self, name: str, off_text: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(0.0, 10.0)
        spin.setDecimals(3)
        spin.setSingleStep(0.05)
        spin.setSpecialValueText(off_text)  # 0 = not measured
        return spin

    def _curve_plot(self, name: str, x_label: str, y_label: str, legend: tuple[int, int]) -> pg.PlotWidget:
        plot = pg.PlotWidget(self)
        plot.setObjectName(name)
        plot.setLabel("bottom", x_label)
        plot.setLabel("left", y_label)
        plot.setXRange(0, 1)
        plot.setYRange(0, 1.02)
        plot.showGrid(x=True, y=True, alpha=0.2)
        plot.addLegend(offset=legend)
        return plot

    def _show_test_root(self) -> None:
        self.options.setRowVisible(self.test_root, self.split.currentData() == "test")

    def make_call(self) -> Callable[[TaskHooks], Any]:
        split = self.split.currentData()
        test_root = self.test_root.path()
        noise = self.noise.value() or None
        fgsm = self.fgsm.value() or None
        loading = self.tr("loading the model")

        def call(hooks: TaskHooks) -> Any:  # runs on the worker thread
            from backend.artifacts.evaluate import evaluate_model

            hooks.step(0.0, loading)
            return evaluate_model(
                self.load(), split=split, noise_std=noise, fgsm_epsilon=fgsm, task=hooks, test_root=test_root
            )

        return call

    def show_result(self, report: Any) -> None:
        self.report = report
        rows = report.table_rows()
        self.table.clear()
        self.table.setColumnCount(len(rows[0]))
        self.table.setRowCount(len(rows) - 1)
        self.table.setHorizontalHeaderLabels([self._label(str(h)) for h in rows[0]])
        classes = len(report.metrics.get("per_class", []))  # the first rows, named by the user's classes
        for r, values in enumerate(rows[1:]):
            for c, value in enumerate(values):
                item = QTableWidgetItem(self._label(value) if c == 0 and r >= classes else _cell(value))
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                else:
                    item.setData(Qt.ItemDataRole.UserRole, value)  # the report's own name (accuracy_text)
                self.table.setItem(r, c, item)
        self.csv_button.setEnabled(True)
        classification = report.task == "classification"
        for index in (1, 2, 3):
            self.tabs.setTabEnabled(index, classification)
        if classification:
            self.confusion.set_class_names([str(c) for c in report.class_names])
            matrix = np.asarray(report.metrics["confusion"], dtype=float)
            self.confusion.show_matrix(matrix)
            self.confusion.caption.setText(
                self.tr("{split} split: {correct:.0f} of {total:.0f} samples correct ({acc:.1f}%).").format(
                    split=report.split, correct=np.trace(matrix), total=matrix.sum(), acc=100 * report.accuracy
                )
            )
            self._curves(self.roc_plot, report.metrics["roc"], "fpr", "tpr", "auc", "AUC")
            self._curves(self.pr_plot, report.metrics["pr"], "recall", "precision", "average_precision", "AP")
        lines = report.lines()
        shown = lines[:1] + [line for line in lines[1:] if " under " in line]
        self.summary.setText("\n".join(backend_tr(line) for line in shown))

    def _label(self, text: str) -> str:
        """A column or row name of the report's table (see EvaluationReport.table_rows) for the reader."""
        names = {
            "class": self.tr("class"),
            "precision": self.tr("precision"),
            "recall": self.tr("recall"),
            "support": self.tr("support"),
            "roc_auc": self.tr("ROC AUC"),
            "average_precision": self.tr("average precision"),
            "macro avg": self.tr("macro avg"),
            "weighted avg": self.tr("weighted avg"),
            "accuracy": self.tr("accuracy"),
            "metric": self.tr("metric"),
            "value": self.tr("value"),
        }
        return names.get(text) or backend_tr(text)

    def _curves(self, plot: pg.PlotWidget, curves: list, x: str, y: str, score: str, score_name: str) -> None:
        plot.clear()
        for i, curve in enumerate(curves):
            if not curve[x]:
                continue
            value = curve[score]
            label = f"{curve['class']} ({score_name} {value:.3f})" if value is not None else str(curve["class"])
            plot.plot(curve[x], curve[y], pen=pg.mkPen(pg.intColor(i, hues=max(len(curves), 1)), width=1.5), name=label)

    def accuracy_text(self) -> str:
        """The accuracy cell of the table (what the user reads)."""
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0) and self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "accuracy":
                return self.table.item(r, 3).text()
        return ""

    def export_csv(self, path: str | None = None) -> str | None:
        if self.report is None:
            return None
        return self.write_csv(path, self.tr("Export CSV"), "evaluation.csv", self.report.save_csv)


if __name__ == "__main__":
    raise SystemExit(run_standalone(EvaluateDialog))
