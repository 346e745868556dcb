"""What every artifact dialog shares: the model row, progress, Run/Cancel/Close, errors, standalone start.

A dialog subclass builds its options into ``self.options`` (a QFormLayout) and its result widgets
into ``self.results`` (a QVBoxLayout), implements ``make_call()`` (a callable run on the worker
thread with ``TaskHooks``) and ``show_result(value)`` (GUI thread). The model is loaded on the
worker thread, once, as a CPU copy (``load_model`` / ``LoadedModel.from_module`` give one).
A file that brings code (a pickled model, a custom model's Python file) is refused by the engine;
the dialog then shows the code's path and SHA-256 and, if the user trusts it, runs again with
``self.trusted`` set (until another model is chosen).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QCloseEvent, QDesktopServices, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from backend.core.errors import UntrustedCodeError
from gui.dialogs.error_dialog import ErrorDialog
from gui.dialogs.task_controls import TaskControls
from gui.dialogs.trust_prompt import confirm_trust
from gui.tasks import Task, TaskState

MODEL_FILTER = "Models (*.ckpt *.pth *.pt *.pt2 *.safetensors *.onnx);;All files (*)"


def open_folder(path: str | Path) -> bool:
    """Show the folder holding ``path`` in the desktop's file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))


def compact_rows(table: QTableWidget) -> None:
    """Rows one text line high (the default leaves tall, sparse tables)."""
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.verticalHeader().setVisible(False)


class PathLabel(QLabel):
    """A one-line path, elided in the middle to the width it gets; the full path is the tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.set_path(text)

    def set_path(self, text: str) -> None:
        self._full = str(text)
        self.setToolTip(self._full)
        self._elide()

    def path(self) -> str:
        return self._full

    def _elide(self) -> None:
        width = max(self.width(), 80)
        super().setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, width))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()


class OutputPath(QWidget):
    """An output file field (empty: the backend's default name) with a Browse… (save) button."""

    def __init__(self, placeholder: str, name_filter: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = name_filter
        self.edit = QLineEdit(self)
        self.edit.setClearButtonEnabled(True)
        self.edit.setPlaceholderText(placeholder)
        self.edit.textChanged.connect(self.edit.setToolTip)
        button = QPushButton(self.tr("Browse…"), self)
        button.clicked.connect(self._browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(button)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save as"), self.path(), self.filter)
        if path:
            self.edit.setText(path)

    def path(self) -> str:
        return self.edit.text().strip()

    def set_path(self, path: str) -> None:
        self.edit.setText(path)


class ArtifactDialog(QDialog):
    """Base of the artifact dialogs; non-blocking, the app stays usable while a task runs."""

    needs_model = True

    def __init__(
        self, model: Any = None, parent: QWidget | None = None, error_dialog: ErrorDialog | None = None
    ) -> None:
        super().__init__(parent)
        self.setMinimumWidth(560)
        self.task = Task(self, name="ArtifactTask")
        self.task.sig_result.connect(self._on_result)
        self.task.sig_failed.connect(self._on_failed)
        self.task.sig_cancelled.connect(self._on_cancelled)
        self.task.sig_finished.connect(self._on_finished)
        self.error_dialog = error_dialog or ErrorDialog(self)
        self._model_source: Any = None  # a path, or a LoadedModel already in memory
        self._loaded: Any = None  # the LoadedModel, filled on the worker thread by load()

        self.model_label = PathLabel("", self)
        self.model_label.setObjectName("modelSource")
        self.choose_button = QPushButton(self.tr("Choose…"), self)
        self.choose_button.setObjectName("chooseModelButton")
        self.choose_button.clicked.connect(self.choose_model)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model_label, 1)
        model_row.addWidget(self.choose_button)

        self.options = QFormLayout()
        self.options.addRow(self.tr("Model:"), model_row)
        self.results = QVBoxLayout()
        self.controls = TaskControls(self.task, self)
        c = self.controls  # the parts subclasses use, by their names
        self.progress, self.status, self.buttons = c.progress, c.status, c.buttons
        self.run_button, self.cancel_button, self.close_button = c.run_button, c.cancel_button, c.close_button
        self.run_button.clicked.connect(self.start)

        layout = QVBoxLayout(self)
        layout.addLayout(self.options)
        layout.addLayout(self.results, 1)
        layout.addWidget(self.controls)
        self.set_model(model)

    # ------------------------------------------------------------------ model
    def set_model(self, model: Any) -> None:
        """A file path, a run folder, a LoadedModel, or None (the user chooses a file)."""
        self._model_source = model
        self._loaded = None
        self.trusted = False  # trust belongs to the file the user confirmed, not to the next one
        if model is None:
            self.model_label.set_path(self.tr("No model yet: choose a checkpoint or weights file."))
        else:
            self.model_label.set_path(str(model if isinstance(model, (str, Path)) else getattr(model, "source", "")))
        self._update_buttons()

    def choose_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a model"), "", self.tr(MODEL_FILTER))
        if path:
            self.set_model(path)

    def load(self) -> Any:
        """The LoadedModel (worker thread only; loaded once)."""
        if self._loaded is None:
            source = self._model_source
            if isinstance(source, (str, Path)):
                from backend.artifacts.model_io import load_model

                self._loaded = load_model(source, trusted=self.trusted)
            else:  # a LoadedModel the app holds: this dialog works on its own CPU copy
                import copy
                import dataclasses

                self._loaded = dataclasses.replace(source, model=copy.deepcopy(source.model), cache={})
        return self._loaded

    # ------------------------------------------------------------------ task
    def make_call(self) -> Callable[[Any], Any]:
        raise NotImplementedError

    def show_result(self, value: Any) -> None:
        raise NotImplementedError

    def start(self) -> bool:
        if self.task.is_running() or (self.needs_model and self._model_source is None):
            return False
        call = self.make_call()
        if call is None:
            return False
        self.controls.reset(self.tr("Working…"))
        self.task.start(_with_hooks, call)
        self._update_buttons()
        return True

    def _update_buttons(self) -> None:
        running = self.task.is_running()
        self.controls.set_running(running, self._model_source is not None or not self.needs_model)
        self.choose_button.setEnabled(not running)

    @Slot(object)
    def _on_result(self, value: object) -> None:
        self.controls.finish(self.tr("Done."))
        try:
            self.show_result(value)
        except Exception as exc:  # noqa: BLE001 - a display bug must not take the app down
            import traceback

            self.show_error(f"{type(exc).__name__}: {exc}", "".join(traceback.format_exception(exc)))

    @Slot(object, str)
    def _on_failed(self, message: str, details: str) -> None:
        error = self.task.last_error
        if isinstance(error, UntrustedCodeError) and not self.trusted and confirm_trust(self, error):
            self.trusted = True
            self.status.setText(self.tr("Loading the trusted file…"))
            self.task.start(_with_hooks, self.make_call())
            self._update_buttons()
            return
        self.controls.fail()
        self.show_error(message, details)

    def show_error(self, message: str, details: str = "") -> None:
        self.error_dialog.show_failure(self.windowTitle() + self.tr(" — problem"), message, details)

    def write_csv(self, path: str | None, title: str, default_name: str, write: Callable[[str], None]) -> str | None:
        """Write a result table with ``write(path)``, asking for the file when ``path`` is empty (the
        file dialog asks before replacing a file); the path written, or None."""
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, title, default_name, self.tr("CSV (*.csv)"))
        if not path:
            return None
        try:
            write(path)
        except Exception as exc:  # noqa: BLE001 - shown in the error dialog
            self.show_error(str(exc))
            return None
        self.status.setText(self.tr("Saved {path}").format(path=path))
        return path

    @Slot()
    def _on_cancelled(self) -> None:
        self.controls.reset(self.tr("Cancelled; nothing was written."))

    @Slot()
    def _on_finished(self) -> None:
        self._update_buttons()

    def done(self, result: int) -> None:  # noqa: D401 - Qt override: never leave a thread behind
        self.task.shutdown()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.task.shutdown()
        super().closeEvent(event)


def _with_hooks(state: TaskState, call: Callable[[Any], Any]) -> Any:
    # Runs in the worker thread: the dialog's call takes the engine's TaskHooks.
    return call(state.hooks())


def run_standalone(dialog_class: type[ArtifactDialog]) -> int:
    """``python -m gui.dialogs.<name> [MODEL]``: open the dialog on MODEL or a chosen file."""
    app = QApplication.instance() or QApplication(sys.argv)
    model = sys.argv[1] if len(sys.argv) > 1 else None
    if model is None and dialog_class.needs_model:
        title = QApplication.translate("ArtifactDialog", "Choose a model")
        model, _ = QFileDialog.getOpenFileName(None, title, "", QApplication.translate("ArtifactDialog", MODEL_FILTER))
        model = model or None
    dialog = dialog_class(model)
    dialog.show()
    dialog.finished.connect(app.quit)
    return app.exec()
