"""File > Load weights/checkpoint…: load a file into the current model (strict or partial), with a report.

Without a current model the file's own model is loaded. A file that brings code (a pickled full
model, a custom model's Python file) is loaded only after the user confirms it is trusted (see
ArtifactDialog). A checkpoint can also restore its whole configuration into
the panels. Nothing changes until the load has succeeded (the work is done on a CPU copy).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from gui.backend_text import backend_tr
from gui.dialogs.artifact_base import MODEL_FILTER, ArtifactDialog, compact_rows, run_standalone
from gui.widgets import PathEdit

if TYPE_CHECKING:
    from backend.artifacts.progress import TaskHooks
    from gui.dialogs.error_dialog import ErrorDialog

FORMAT_NAMES = {"torch": "PyTorch (.pth/.ckpt)", "safetensors": "safetensors", "torchscript": "TorchScript",
                "pt2": "torch.export (.pt2)", "onnx": "ONNX",
                "pickle": QT_TRANSLATE_NOOP("LoadWeightsDialog", "pickled full model")}  # fmt: skip


class LoadWeightsDialog(ArtifactDialog):
    needs_model = False  # the current model is optional: without one the file's own model is loaded

    sig_model_loaded = Signal(object)
    """A LoadedModel (CPU) that the load produced; it becomes the app's current model."""
    sig_config_restored = Signal(object)
    """The RunConfig saved in the checkpoint, to put into the panels."""

    def __init__(
        self, model: Any = None, parent: QWidget | None = None, error_dialog: ErrorDialog | None = None
    ) -> None:
        super().__init__(model, parent, error_dialog)
        self.setObjectName("loadWeightsDialog")
        self.setWindowTitle(self.tr("Load weights or checkpoint"))
        self.setMinimumSize(680, 560)
        self.run_button.setText(self.tr("Load"))
        self.file = PathEdit(self)
        self.file.setObjectName("loadFile")
        self.file.set_mode("file", self.tr(MODEL_FILTER))
        self.file.path_changed.connect(lambda _text: self._update_buttons())
        self.strict = QRadioButton(self.tr("Strict: every tensor must fit"), self)
        self.strict.setObjectName("loadStrict")
        self.partial = QRadioButton(self.tr("Partial: load the tensors that fit"), self)
        self.partial.setObjectName("loadPartial")
        self.strict.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.strict)
        group.addButton(self.partial)
        mode = QHBoxLayout()
        mode.addWidget(self.strict)
        mode.addWidget(self.partial)
        mode.addStretch(1)
        self.restore = QCheckBox(self.tr("Restore the whole configuration into the panels (checkpoints)"), self)
        self.restore.setObjectName("loadRestoreConfig")
        self.options.addRow(self.tr("File to load:"), self.file)
        self.options.addRow(self.tr("Mode:"), mode)
        self.options.addRow("", self.restore)
        self.format_label = QLabel("—", self)
        self.format_label.setObjectName("loadFormat")
        self.summary = QLabel("", self)
        self.summary.setObjectName("loadSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("loadTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Key"), self.tr("Status"), self.tr("Shape in file"), self.tr("Shape in model")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        compact_rows(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.results.addWidget(self.format_label)
        self.results.addWidget(self.summary)
        self.results.addWidget(self.table, 1)
        self.report = None
        self.loaded = None
        self.config = None
        if model is None:
            self.model_label.set_path(self.tr("No current model: the file's own model is loaded."))
        self._update_buttons()

    def _update_buttons(self) -> None:
        super()._update_buttons()
        if hasattr(self, "file"):
            self.run_button.setEnabled(self.run_button.isEnabled() and bool(self.file.path()))

    def start(self) -> bool:
        self.trusted = False
        self.table.setRowCount(0)  # no stale report next to a new attempt
        self.format_label.setText("—")
        self.summary.setText("")
        return super().start()

    def make_call(self) -> Callable[[TaskHooks], Any]:
        path, strict, restore, trusted = (
            self.file.path(),
            self.strict.isChecked(),
            self.restore.isChecked(),
            self.trusted,
        )
        into = self._model_source is not None
        reading, checking = self.tr("reading the file"), self.tr("checking the configuration")

        def call(hooks: TaskHooks) -> Any:  # runs on the worker thread
            from backend.artifacts.formats import check_readable, detect_format
            from backend.artifacts.load import checkpoint_config, compare_state_dict, load_weights_into
            from backend.artifacts.model_io import load_model
            from backend.core.errors import TorchDeskError, UntrustedCodeError

            hooks.step(0.1, reading)
            fmt = detect_format(check_readable(path))
            if into:
                current = self.load()
                target = dataclasses.replace(current, model=_copy(current.model), cache={}, notes=[])
                try:
                    report = load_weights_into(target.model, path, strict=strict, trusted=trusted)
                except TorchDeskError as exc:
                    if not strict or isinstance(exc, UntrustedCodeError):
                        raise
                    # Strict refused: show which keys do not fit next to the message; nothing changed.
                    from backend.artifacts.readers import read_state_dict

                    try:
                        state = read_state_dict(path)[0]
                    except UntrustedCodeError:  # a trusted pickled model: its message says what does not fit
                        raise exc from exc
                    report = compare_state_dict(target.model, state, path)
                    return {
                        "format": fmt,
                        "report": report,
                        "loaded": None,
                        "config": None,
                        "note": "",
                        "error": str(exc),
                    }
            else:
                target = load_model(path, trusted=trusted)
                fmt = target.format
                report = compare_state_dict(target.model, target.model.state_dict(), path)
                report.loaded = True
            hooks.step(0.8, checking)
            config, note = None, ""
            if restore:
                try:
                    config = checkpoint_config(path, trusted=trusted)
                except UntrustedCodeError:
                    raise  # the panels would build (import) its model: ask first, like for loading it
                except TorchDeskError as exc:
                    note = str(exc)
            return {"format": fmt, "report": report, "loaded": target, "config": config, "note": note, "error": ""}

        return call

    def show_result(self, result: Any) -> None:
        self.report, self.loaded, self.config = result["report"], result["loaded"], result["config"]
        self.format_label.setText(
            self.tr("Format: {name}").format(name=self.tr(FORMAT_NAMES.get(result["format"], result["format"])))
        )
        summary = backend_tr(self.report.summary())
        text = summary if not result["error"] else self.tr("Not loaded: ") + summary
        if self.report.prefixes_removed:
            text += self.tr("; prefixes removed: {p}").format(p=", ".join(self.report.prefixes_removed))
        if result["note"]:
            text += "\n" + self.tr("Configuration not restored: {why}").format(why=backend_tr(result["note"]))
        elif self.config is not None:
            text += "\n" + self.tr("The configuration was restored into the panels.")
        self.summary.setText(text)
        rows = self.report.rows()
        statuses = {
            "ok": self.tr("ok"),
            "missing": self.tr("missing"),
            "unexpected": self.tr("unexpected"),
            "shape mismatch": self.tr("shape mismatch"),
        }
        self.table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(statuses.get(value, value) if c == 1 else value)
                if values[1] != "ok":
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(r, c, item)
        if result["error"]:
            self.status.setText(self.tr("Not loaded: the weights do not fit (strict). Nothing changed."))
            self.show_error(result["error"])
            return
        self.set_model(self.loaded)
        self.sig_model_loaded.emit(self.loaded)
        if self.config is not None:
            self.sig_config_restored.emit(self.config)


def _copy(model: Any) -> Any:
    import copy

    return copy.deepcopy(model)


if __name__ == "__main__":
    raise SystemExit(run_standalone(LoadWeightsDialog))
