"""The main window: configuration panels on the left, the run bar and live plots on the right.

Threading: every slot here runs in the GUI thread. Training runs in ``RunController``'s
thread; its (throttled, batched) signals arrive at ``@Slot`` methods of this window.
"""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui import main_thread_gc, settings, window_state
from gui.catalog import Catalog, load_in_background
from gui.config_files import ConfigFileActions, default_config, suggested_run_name, with_absolute_runs_dir
from gui.dialogs import about_dialog
from gui.dialogs.error_dialog import ErrorDialog
from gui.dialogs.unusual_values_dialog import UnusualValuesDialog
from gui.inspector import Inspector
from gui.menus import build_menus, update_actions
from gui.panels.base import align_form_labels
from gui.panels.dataset_panel import DatasetPanel
from gui.panels.device_panel import DevicePanel
from gui.panels.log_panel import LogPanel
from gui.panels.loss_panel import LossPanel
from gui.panels.model_panel import ModelPanel
from gui.panels.optim_panel import OptimPanel
from gui.panels.runs_panel import RunsPanel
from gui.panels.train_panel import TrainPanel
from gui.run_controller import IDLE, PAUSED, RunController
from gui.run_view import RunView
from gui.tasks import Task
from gui.theme import apply_theme
from gui.val_samples import ValImageSource


class MainWindow(ConfigFileActions, QMainWindow):
    """Configure a run, start it, watch it, and keep the app usable when something fails."""

    def __init__(self, catalog: Catalog | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("TorchDesk"))
        self.catalog: Catalog | None = None
        self._config = default_config()
        self._close_when_idle = False
        self.catalog_loader = Task(self, name="Catalog")
        self.catalog_loader.sig_result.connect(self._on_catalog_loaded)
        self.catalog_loader.sig_failed.connect(self._on_catalog_failed)
        self.last_summary: dict = {}
        self.run_dir = ""  # the folder of the current or last run
        self.loaded_model = None  # a LoadedModel from File > Load weights/checkpoint (CPU copy)
        self.artifact_dialogs: dict = {}

        self.controller = RunController(self)
        self.controller.sig_events.connect(self._on_events)
        self.controller.sig_failed.connect(self._on_failed)
        self.controller.sig_finished.connect(self._on_finished)
        self.controller.state_changed.connect(self._on_state_changed)
        self.error_dialog = ErrorDialog(self)
        self.unusual_dialog = UnusualValuesDialog(self)
        self.unusual_dialog.sig_start_anyway.connect(self._start_anyway)
        self._confirmed_unusual: list = []  # the unusual values the user chose to start with
        self.inspector = Inspector(self)
        self.inspector.sig_result.connect(self._on_inspection)
        self._problem = ""

        self._build_panels()
        self._build_layout()
        self.menu_actions = build_menus(self)
        self.run_bar.start_button.clicked.connect(self.menu_actions["start"].trigger)
        self.run_bar.pause_button.clicked.connect(self.menu_actions["pause"].trigger)
        self.run_bar.stop_button.clicked.connect(self.menu_actions["stop"].trigger)
        self.apply_config(self._config)
        self._update_runs_root()
        window_state.restore(self)
        self.set_theme(settings.theme(), remember=False)
        if catalog is not None:
            self.set_catalog(catalog)
        else:
            self.statusBar().showMessage(self.tr("Loading PyTorch and the model catalogue…"))
        self._update_actions()

    # ----------------------------------------------------------------- layout
    def _build_panels(self) -> None:
        self.dataset_panel = DatasetPanel()
        self.model_panel = ModelPanel()
        self.optim_panel = OptimPanel()
        self.loss_panel = LossPanel()
        self.device_panel = DevicePanel()
        self.train_panel = TrainPanel()
        self.config_panels = (
            self.dataset_panel,
            self.model_panel,
            self.optim_panel,
            self.loss_panel,
            self.device_panel,
            self.train_panel,
        )
        self.run_view = RunView()
        self.plots, self.confusion, self.run_bar = self.run_view.plots, self.run_view.confusion, self.run_view.run_bar
        self.log = LogPanel()
        self.dataset_panel.config_changed.connect(self._sync_task)
        for panel in self.config_panels:
            panel.config_changed.connect(self._inspect_config)

    def _build_layout(self) -> None:
        config_box = QWidget()
        column = QVBoxLayout(config_box)
        for panel in self.config_panels:
            column.addWidget(panel)
        column.addStretch(1)
        self.config_scroll = QScrollArea()
        self.config_scroll.setObjectName("configPanels")
        self.config_scroll.setWidget(config_box)
        self.config_scroll.setWidgetResizable(True)
        self.config_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        align_form_labels(list(self.config_panels))
        self.config_scroll.setMinimumWidth(config_box.sizeHint().width() + 24)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.config_scroll)
        self.splitter.addWidget(self.run_view)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.log_dock = QDockWidget(self.tr("Events"), self)
        self.log_dock.setObjectName("logDock")
        self.log_dock.setWidget(self.log)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.log_dock)
        # Past runs: listed from the runs folder, overlaid on the plots, reloaded or resumed.
        self.runs_panel = RunsPanel()
        self.runs_dock = QDockWidget(self.tr("Runs"), self)
        self.runs_dock.setObjectName("runsDock")
        self.runs_dock.setWidget(self.runs_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.runs_dock)
        self.tabifyDockWidget(self.log_dock, self.runs_dock)
        self.log_dock.raise_()
        self.runs_panel.sig_overlay.connect(self.plots.set_overlays)
        self.runs_panel.load_config_requested.connect(self._on_load_run_config)
        self.runs_panel.resume_requested.connect(self._on_resume_run)
        self.train_panel.runs_dir.path_changed.connect(self._update_runs_root)
        # Permanent widgets: temporary status messages on the left never overlap them.
        self.state_label = QLabel(self.tr("Idle"))
        self.state_label.setObjectName("runState")
        font = self.state_label.font()
        font.setBold(True)  # a font, not a style sheet: a style sheet would freeze the theme's colours
        self.state_label.setFont(font)
        self.statusBar().addPermanentWidget(self.state_label)
        for label in self.run_bar.status_widgets():
            self.statusBar().addPermanentWidget(label)

    def reset_layout(self) -> None:
        window_state.reset(self)

    def set_theme(self, name: str, remember: bool = True) -> None:
        dark = apply_theme(name)
        self.run_view.set_dark(dark)
        if remember:
            settings.set_value(settings.UI_THEME, name)
        for key, action in self.menu_actions.get("themes", {}).items():
            action.setChecked(key == name)

    # ----------------------------------------------------------------- catalogue
    def start_catalog_load(self) -> None:
        """Import torch and read the backend registries on a worker thread."""
        if self.catalog is None and not self.catalog_loader.is_running():
            self.catalog_loader.start(load_in_background)

    @Slot(object)
    def _on_catalog_loaded(self, catalog: Catalog) -> None:
        self.set_catalog(catalog)

    @Slot(object, str)
    def _on_catalog_failed(self, message: str, details: str) -> None:
        self.statusBar().showMessage(self.tr("The training engine could not be loaded."))
        self.error_dialog.show_failure(self.tr("TorchDesk cannot load PyTorch"), message, details)

    def set_catalog(self, catalog: Catalog) -> None:
        main_thread_gc.freeze_startup_objects()  # torch is imported: start-up is over
        config = self.collect_config()
        self.catalog = catalog
        for panel in self.config_panels:
            panel.set_catalog(catalog)
        align_form_labels(list(self.config_panels))  # option rows were added from the catalogue
        self.inspector.start()
        self.apply_config(config)
        self.inspector.request(self.collect_config(), immediately=True)
        self.statusBar().showMessage(self.tr("Ready: press Start (F5) to train."), 5000)
        self._update_actions()

    # ----------------------------------------------------------------- config
    def apply_config(self, config) -> None:  # noqa: ANN001 - backend.core.config.RunConfig
        self._config = copy.deepcopy(config)
        for panel in self.config_panels:
            panel.apply_config(self._config)
        if config.name == suggested_run_name(config):
            self.train_panel.run_name.clear()  # not a name of its own: keep following dataset and model
        self._sync_task()

    def _sync_task(self) -> None:
        """Offer only the losses and monitored metrics that fit the dataset's task."""
        task = self.dataset_panel.task_hint()
        self.loss_panel.set_task(task)
        self.train_panel.set_task(task)

    @Slot()
    def _inspect_config(self) -> None:
        if self.catalog is not None and self.controller.state == IDLE:
            self.inspector.request(self.collect_config())

    @Slot(object)
    def _on_inspection(self, result: dict) -> None:
        self._problem = self.run_view.show_inspection(result)
        self.optim_panel.set_lr_preview(result.get("lrs"), int(result.get("epochs") or 1))

    def collect_config(self):  # noqa: ANN201
        """The config shown in the panels (fields without a widget keep their loaded values)."""
        config = copy.deepcopy(self._config)
        for panel in self.config_panels:
            panel.update_config(config)
        suggestion = suggested_run_name(config)
        self.train_panel.suggest_name(suggestion)
        config.name = config.name or suggestion  # an empty name field follows the dataset and model
        return config

    # ----------------------------------------------------------------- run control
    def start_run(self, resume_from: str | None = None) -> bool:
        """Validate the panels' config and start training; False when nothing started."""
        if self.catalog is None or self.controller.is_running():
            return False
        from backend.core.config import unusual_values, validate
        from backend.core.errors import TorchDeskError

        config = with_absolute_runs_dir(self.collect_config())
        try:
            validate(config)
        except TorchDeskError as exc:
            self.error_dialog.show_failure(self.tr("The configuration needs a fix"), str(exc))
            return False
        if self._problem and not self.inspector.busy() and resume_from is None:
            # Already known to fail: say why now rather than start a run that stops at once.
            self.error_dialog.show_failure(self.tr("The configuration needs a fix"), self._problem)
            return False
        unusual = unusual_values(config)
        confirmed, self._confirmed_unusual = self._confirmed_unusual, []
        if unusual and unusual != confirmed:
            self.unusual_dialog.ask(unusual, resume_from or None)  # Start follows from "Start anyway"
            return False
        self.unusual_dialog.hide()
        settings.set_value(settings.PATHS_RUNS_DIR, config.train.runs_dir)
        self.run_view.reset()
        images = ValImageSource(config)
        self.run_view.misclassified.set_source(images)
        self.statusBar().clearMessage()
        self.last_summary = {}
        self.log.add_line(
            self.tr("Starting {name}: {data} with {arch}, {epochs} epochs").format(
                name=config.name,
                data=config.data.name if config.data.source in ("builtin", "torchvision") else config.data.root,
                arch=config.model.arch,
                epochs=config.train.epochs,
            )
        )
        self.inspector.cancel_pending()
        self.controller.start(config, resume_from=resume_from, on_data=images.provide)
        return True

    @Slot(list, object)
    def _start_anyway(self, confirmed: list, resume_from: str | None) -> None:
        """Start with the unusual values the user confirmed (if the panels still hold those)."""
        self._confirmed_unusual = confirmed
        self.start_run(resume_from)

    def toggle_pause(self) -> None:
        if self.controller.state == PAUSED:
            self.controller.resume()
        else:
            self.controller.pause()

    def stop_run(self) -> None:
        self.controller.stop()

    @Slot(str)
    def _on_state_changed(self, state: str) -> None:
        texts = {
            "idle": self.tr("Idle"),
            "running": self.tr("Training…"),
            "paused": self.tr("Paused"),
            "stopping": self.tr("Stopping: saving a checkpoint…"),
        }
        self.state_label.setText(texts.get(state, state))
        self.runs_panel.set_run_active(state != IDLE)
        self.run_bar.set_paused(state == PAUSED)
        self._update_actions()

    def _update_actions(self) -> None:
        update_actions(self)

    @Slot(object)
    def _on_events(self, events: list) -> None:
        self.run_view.add_events(events)
        self.log.add_events(events)
        for event in events:
            if event.get("event") == "start" and event.get("run_dir"):
                self.run_dir = str(event["run_dir"])
                self.loaded_model = None  # the new run's model becomes the current one
            if event.get("event") == "checkpoint":
                self._update_actions()  # the artifact actions have a model from now on

    # ----------------------------------------------------------------- artifacts
    def current_model(self):  # noqa: ANN201 - a LoadedModel, a model file path, or None
        """The model the artifact dialogs act on: a loaded one, else the run's best checkpoint/model.safetensors."""
        if self.loaded_model is not None:
            return self.loaded_model
        run_dir = self.last_summary.get("run_dir") or self.run_dir
        if run_dir:
            from pathlib import Path

            for name in ("checkpoints/best.ckpt", "model.safetensors", "checkpoints/last.ckpt"):
                if (Path(run_dir) / name).is_file():
                    return str(Path(run_dir) / name)
        return None

    def open_artifact_dialog(self, key: str):  # noqa: ANN201
        """Open (non-modal) the dialog of File > Load/Save/Export/Quantize or Tools > Evaluate/Predict."""
        from gui.dialogs import (
            evaluate_dialog,
            export_dialog,
            load_weights_dialog,
            predict_dialog,
            quantize_dialog,
            save_model_dialog,
        )

        classes = {
            "load_weights": load_weights_dialog.LoadWeightsDialog,
            "save_model": save_model_dialog.SaveModelDialog,
            "export": export_dialog.ExportDialog,
            "quantize": quantize_dialog.QuantizeDialog,
            "evaluate": evaluate_dialog.EvaluateDialog,
            "predict": predict_dialog.PredictDialog,
        }
        old = self.artifact_dialogs.pop(key, None)
        if old is not None:
            old.close()
            old.deleteLater()
        dialog = classes[key](self.current_model(), self, self.error_dialog)
        if key == "load_weights":
            dialog.sig_model_loaded.connect(self._on_model_loaded)
            dialog.sig_config_restored.connect(self._on_config_restored)
        self.artifact_dialogs[key] = dialog
        dialog.show()
        return dialog

    @Slot(object)
    def _on_model_loaded(self, loaded) -> None:  # noqa: ANN001
        self.loaded_model = loaded
        self.statusBar().showMessage(self.tr("Current model: {source}").format(source=loaded.source), 5000)
        self._update_actions()

    @Slot(object)
    def _on_config_restored(self, config) -> None:  # noqa: ANN001
        if self.controller.state == IDLE:
            self.apply_config(config)

    @Slot(object)
    def _on_failed(self, failure: dict) -> None:
        title = self.run_view.failure_title(str(failure.get("kind")))
        message = self.error_dialog.show_failure(
            title,
            failure.get("message") or "",  # a Message: translated by look-up
            str(failure.get("details", "")),
            str(failure.get("last_checkpoint") or ""),
        )
        self.log.add_line(self.tr("Problem: {message}").format(message=message))

    @Slot(object)
    def _on_finished(self, summary: dict) -> None:
        self.last_summary = summary
        self.plots.flush()
        self.statusBar().showMessage(self.run_view.finished_text(summary))
        self.runs_panel.refresh()
        self._update_actions()
        if self._close_when_idle:
            QTimer.singleShot(0, self.close)

    def show_about(self) -> None:
        about_dialog.show_about(self, self.catalog)

    def copy_diagnostics(self) -> None:
        about_dialog.copy_diagnostics(self.catalog)
        self.statusBar().showMessage(self.tr("Versions and devices copied to the clipboard."), 5000)

    # ----------------------------------------------------------------- closing
    def confirm_stop_for_close(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Stop training?"),
            self.tr("A run is in progress. Stop it (a checkpoint is saved) and close TorchDesk?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.controller.is_running():
            event.ignore()
            if self._close_when_idle:
                return  # already stopping; closes when the run has ended
            if self.confirm_stop_for_close():
                self._close_when_idle = True
                self.controller.stop()
            return
        self.catalog_loader.shutdown()  # importing torch cannot be interrupted; it ends shortly
        self.inspector.stop()
        self.runs_panel.wait()
        self.run_view.wait()
        for dialog in self.artifact_dialogs.values():
            dialog.close()  # cancels and waits for its task
        window_state.save(self)
        self.error_dialog.close()
        event.accept()

    # ----------------------------------------------------------------- runs list
    @Slot()
    def _update_runs_root(self) -> None:
        from pathlib import Path

        folder = self.train_panel.runs_dir.path() or settings.runs_dir()
        self.runs_panel.set_root(str(Path(folder).expanduser().resolve()))

    @Slot(str)
    def _on_load_run_config(self, path: str) -> None:
        if self.controller.state == IDLE:
            self.open_config(path)

    @Slot(str)
    def _on_resume_run(self, checkpoint: str) -> None:
        if self.controller.state == IDLE:
            self.resume_from_checkpoint(checkpoint)

    @Slot()
    def shutdown(self) -> None:
        """Blocking last resort at application exit: stop and wait for every thread."""
        self.controller.shutdown()
        self.catalog_loader.shutdown()
        self.inspector.stop()
        self.runs_panel.wait()
        self.run_view.wait()
        for dialog in self.artifact_dialogs.values():
            dialog.task.shutdown()
