"""The main window: configuration panels on the left, the run bar and live plots on the right.

Threading: every slot here runs in the GUI thread. Training runs in ``RunController``'s
thread; its (throttled, batched) signals arrive at ``@Slot`` methods of this window.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
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

from gui import main_thread_gc, session, settings, window_state
from gui.backend_text import backend_tr
from gui.catalog import Catalog, load_in_background, with_gui_parts
from gui.config_files import ConfigFileActions, suggested_run_name, with_absolute_runs_dir
from gui.dialogs import about_dialog
from gui.dialogs.error_dialog import ErrorDialog
from gui.dialogs.unusual_values_dialog import UnusualValuesDialog
from gui.inspector import Inspector
from gui.menus import build_menus, update_actions
from gui.panels.base import align_form_labels, finish_panels
from gui.panels.dataset_panel import DatasetPanel
from gui.panels.device_panel import DevicePanel
from gui.panels.log_panel import LogPanel
from gui.panels.loss_panel import LossPanel
from gui.panels.model_panel import ModelPanel
from gui.panels.optim_panel import OptimPanel
from gui.panels.plots_panel import BLOCKED, LOADING, QUEUED, READY, RUNNING
from gui.panels.runs_panel import RunsPanel
from gui.panels.train_panel import TrainPanel
from gui.problems import find_problems
from gui.run_controller import IDLE, PAUSED, RunController
from gui.run_view import RunView
from gui.show_code import add_code_tab
from gui.tasks import Task
from gui.theme import apply_theme
from gui.val_samples import ValImageSource

if TYPE_CHECKING:
    import numpy as np

    from backend.artifacts.model_io import LoadedModel
    from backend.core.config import RunConfig
    from gui.dialogs.artifact_base import ArtifactDialog
    from gui.dialogs.sweep_dialog import SweepDialog
    from gui.warm_engine import WarmEngine


class MainWindow(ConfigFileActions, QMainWindow):
    """Configure a run, start it, watch it, and keep the app usable when something fails."""

    sig_engine_ready = Signal()
    """The catalogue is read and Start trains at once (in the warm engine process until this process has
    PyTorch: gui/warm_engine.py); a queued Start has started."""
    sig_engine_loaded = Signal()
    """PyTorch is imported in this process too: runs, inspections and tools all work here."""

    def __init__(
        self, catalog: Catalog | None = None, warm_engine: WarmEngine | None = None, *, defer_plots: bool = False
    ) -> None:
        """``defer_plots``: the plots are made later, by ``self.plots.build_in_background()`` (the app calls it
        once the window is painted, as importing pyqtgraph takes a while) or by the first drawing."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("TorchDesk"))
        self.catalog: Catalog | None = None
        self._config, restore_problem = session.restore_config()  # where the user left off
        self._close_when_idle = False
        self.start_queued = False  # Start was pressed while PyTorch loaded: it starts once loaded
        self._loading_text = self.tr("Loading PyTorch… Set up the run meanwhile: Start trains as soon as it is loaded.")
        self.catalog_loader = Task(self, name="Catalog")
        self.catalog_loader.sig_partial.connect(self._on_catalog_loaded)
        self.catalog_loader.sig_result.connect(self._on_compile_checked)
        self.catalog_loader.sig_failed.connect(self._on_catalog_failed)
        self.engine_loaded = catalog is not None  # PyTorch is imported in this process
        # Until then, a run is handed to the warm engine process when it is ready (gui/warm_engine.py).
        self.warm_engine = warm_engine
        if warm_engine is not None:
            warm_engine.setParent(self)
            warm_engine.sig_ready.connect(self._on_warm_engine_ready)
        self.last_summary: dict = {}
        self.run_dir = ""  # the folder of the current or last run
        self._opened_run = ""  # a run opened from a sweep, selected in the runs list once listed
        self.loaded_model = None  # a LoadedModel from File > Load weights/checkpoint (CPU copy)
        self.artifact_dialogs: dict = {}
        self.setAcceptDrops(True)  # folders, CSV, checkpoints, model files: gui/drop.py

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
        self._inspection: dict | None = None  # the newest inspection result
        self._problems: list = []  # gui.problems.Problem: what keeps Start disabled
        self._marked: set[str] = set()  # the config keys whose fields show a problem
        self._pending_images = None  # the starting run's ValImageSource, until its "start" event

        self._build_panels(defer_plots)
        self._build_layout()
        self.menu_actions = build_menus(self)
        self.run_bar.start_button.clicked.connect(self.menu_actions["start"].trigger)
        self.run_bar.pause_button.clicked.connect(self.menu_actions["pause"].trigger)
        self.run_bar.stop_button.clicked.connect(self.menu_actions["stop"].trigger)
        self.apply_config(self._config)
        self._update_runs_root()
        window_state.restore(self)
        self.set_theme(settings.theme(), remember=False)
        if catalog is not None:  # torch is imported here already: start-up is over
            self.set_catalog(catalog)
            main_thread_gc.freeze_startup_objects()
        else:
            self.state_label.setText(self.tr("Loading PyTorch…"))
            self.statusBar().showMessage(self._loading_text)
        if restore_problem:
            note = backend_tr(restore_problem)
            self.statusBar().showMessage(note)
            self.log.add_line(note)
        self._update_actions()

    # ----------------------------------------------------------------- layout
    def _build_panels(self, defer_plots: bool) -> None:
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
        self.run_view = RunView(defer_plots=defer_plots)
        self.plots, self.confusion, self.run_bar = self.run_view.plots, self.run_view.confusion, self.run_view.run_bar
        self.log = LogPanel()
        self.dataset_panel.config_changed.connect(self._sync_task)
        self.device_panel.sig_fix.connect(self._apply_fix)  # "Use batch size N" of the largest-batch probe
        for panel in self.config_panels:
            panel.config_changed.connect(self._inspect_config)
            panel.config_changed.connect(self._check_problems)

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
        self.run_view.problem.fix_requested.connect(self._apply_fix)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.config_scroll)
        self.splitter.addWidget(self.run_view)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        finish_panels(list(self.config_panels), self.run_bar.start_button)  # all in one window now

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
        self.code_view = add_code_tab(self)  # View > Code: the script of the current settings
        self.runs_panel.sig_overlay.connect(self.plots.set_overlays)
        self.runs_panel.load_config_requested.connect(self._on_load_run_config)
        self.runs_panel.resume_requested.connect(self._on_resume_run)
        self.runs_panel.sig_refreshed.connect(self._select_opened_run)  # a trial opened from a sweep
        self.run_view.misclassified.sig_explain.connect(self.explain_sample)
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
        """Import torch and read the backend registries on a worker thread. With a warm engine process,
        after that one is ready: both imports at once would share the CPU that the first Start needs."""
        if self.warm_engine is not None and self.catalog is None:
            self.warm_engine.start()
        elif not self.engine_loaded and not self.catalog_loader.is_running():
            self.catalog_loader.start(load_in_background)

    @Slot(list)
    def _on_catalog_loaded(self, batch: list) -> None:
        self.engine_loaded = True
        main_thread_gc.freeze_startup_objects()  # torch is imported: start-up is over
        self._dismiss_warm_engine()  # runs train in this process from now on
        if self.catalog is None:
            self.set_catalog(batch[-1])
        else:  # the warm engine's catalogue came first
            self._start_inspector()
        self.sig_engine_loaded.emit()

    def _start_inspector(self) -> None:
        self.inspector.start()
        self.inspector.request(self.collect_config(), immediately=True)

    def _dismiss_warm_engine(self) -> None:
        if self.warm_engine is not None:
            self.warm_engine.dismiss()
            self.warm_engine = None

    @Slot(object)
    def _on_warm_engine_ready(self, catalog: Catalog | None) -> None:
        """The warm engine process can train (None: it could not start): Start is usable before this
        process has PyTorch, which it loads now."""
        if catalog is None:
            self._dismiss_warm_engine()
        elif self.catalog is None:
            self.set_catalog(with_gui_parts(catalog))
        self.start_catalog_load()

    @Slot(object)
    def _on_compile_checked(self, problem: str) -> None:
        """Whether ``torch.compile`` works here is known after the catalogue (see gui/catalog.py)."""
        if self.catalog is not None:
            self.catalog.compile_problem = problem
            self.device_panel.set_catalog(self.catalog)

    @Slot(object, str)
    def _on_catalog_failed(self, message: str, details: str) -> None:
        self.statusBar().showMessage(self.tr("The training engine could not be loaded."))
        self.error_dialog.show_failure(self.tr("TorchDesk cannot load PyTorch"), message, details)

    def set_catalog(self, catalog: Catalog) -> None:
        config = self.collect_config()
        self.catalog = catalog
        for panel in self.config_panels:
            panel.set_catalog(catalog)
        # Option rows were added from the catalogue: labels, wheel and Tab order again.
        finish_panels(list(self.config_panels), self.run_bar.start_button)
        self.apply_config(config)
        if self.engine_loaded:  # (else once it is: its PyTorch import must not race the catalogue's)
            self._start_inspector()
        self._check_problems()  # what can be told before the inspection (validation, unreadable text)
        self._on_state_changed(self.controller.state)  # "Idle" in place of "Loading PyTorch…"
        if self.start_queued:
            self.start_queued = False
            self.start_run()
        elif self.statusBar().currentMessage() == self._loading_text:  # not a note the user has to read
            self.statusBar().showMessage(self.tr("Ready: press Start (F5) to train."), 5000)
        self.sig_engine_ready.emit()

    # ----------------------------------------------------------------- config
    def apply_config(self, config: RunConfig) -> None:
        self._config = copy.deepcopy(config)
        for panel in self.config_panels:
            panel.apply_config(self._config)
        if config.name == suggested_run_name(config):
            self.train_panel.run_name.clear()  # not a name of its own: keep following dataset and model
        self._sync_task()
        self.code_view.schedule_update()  # the panels were filled without a change signal

    def _sync_task(self) -> None:
        """Offer only the losses, metrics and models that fit the dataset's task and kind of data."""
        task = self.dataset_panel.task_hint()
        self.loss_panel.set_task(task)
        self.train_panel.set_task(task)
        self.model_panel.set_data_kind(self._data_kind())

    def _data_kind(self) -> str:
        """The kind of data, "table" or "images": from the source, else (builtin) from the inspected sample shape."""
        kind = self.dataset_panel.data_kind()
        summary = (self._inspection or {}).get("data") or {}
        if kind or not summary or summary.get("name") != self.collect_config().data.name:
            return kind
        return "images" if len(summary.get("input_shape") or ()) == 3 else "table"

    @Slot()
    def _check_problems(self) -> None:
        """Everything that can be checked before Start, live: Start waits while a problem remains."""
        if self.catalog is None:
            return
        fields: dict = {}
        for panel in self.config_panels:
            fields.update(panel.fields())
        self._problems = find_problems(self.collect_config(), fields, self._inspection)  # shown by _update_actions
        from gui.widgets import mark_problem

        marked = {p.field: p.text for p in reversed(self._problems) if p.field in fields}
        for key in self._marked | set(marked):
            mark_problem(fields[key], marked.get(key, ""))
            self._mark_label(fields[key], key in marked)
        self._marked = set(marked)
        self._update_actions()

    def _mark_label(self, field: QWidget, on: bool) -> None:
        """The field's label in red and bold while its value is at fault."""
        for panel in self.config_panels:
            label = panel.form.labelForField(field)
            if label is not None:
                label.setStyleSheet("QLabel { color: #c9302c; font-weight: bold; }" if on else "")

    def start_blocker(self) -> str:
        """Why Start cannot run now ("" when it can)."""
        return self._problems[0].text if self._problems else ""

    @Slot(object)
    def _apply_fix(self, fix: tuple) -> None:
        """Apply the banner's fix, ("data.batch_size", 1437), through the panels."""
        from backend.core.schema import value_of

        key, value = fix
        config = self.collect_config()
        section, _, name = key.rpartition(".")
        setattr(value_of(config, section) if section else config, name, value)
        self.apply_config(config)

    @Slot()
    def _inspect_config(self) -> None:
        if self.catalog is not None and self.controller.state == IDLE:
            self.inspector.request(self.collect_config())

    @Slot(object)
    def _on_inspection(self, result: dict) -> None:
        self._inspection = result
        self.run_view.show_inspection(result)
        self.device_panel.set_workload(self.collect_config(), result)  # precision costs measured on this model
        self.optim_panel.set_lr_preview(result.get("lrs"), int(result.get("epochs") or 1))
        self.model_panel.set_data_kind(self._data_kind())
        self._check_problems()

    def collect_config(self) -> RunConfig:
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
        """Validate the panels' config and start training; False when nothing started.

        While PyTorch loads, Start queues the run (pressed again, it cancels that): it starts
        with the settings shown then, as soon as the engine is ready (``set_catalog``)."""
        if self.catalog is None and not resume_from:  # (the Start action passes checked=False)
            self.start_queued = not self.start_queued
            self.statusBar().showMessage(
                self.tr("Start queued: training begins as soon as PyTorch has loaded.")
                if self.start_queued
                else self.tr("Queued start cancelled.")
            )
            self._update_actions()
            return False
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
        if self._problems and resume_from is None:
            # Already known to fail: say why now rather than start a run that stops at once.
            text = "\n".join(p.text for p in self._problems)
            self.error_dialog.show_failure(self.tr("The configuration needs a fix"), text)
            return False
        unusual = unusual_values(config)
        confirmed, self._confirmed_unusual = self._confirmed_unusual, []
        if unusual and unusual != confirmed:
            self.unusual_dialog.ask(unusual, resume_from or None)  # Start follows from "Start anyway"
            return False
        self.unusual_dialog.hide()
        settings.set_value(settings.PATHS_RUNS_DIR, config.train.runs_dir)
        # The previous run's curves stay until this one has really started (its "start" event).
        images = self._pending_images = ValImageSource(config)
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
        # Several processes (the Device panel's GPU set or "2 processes (CPU)") train as child processes.
        launch = self.device_panel.launch_plan()
        # Before this process has PyTorch, one process trains in the warm engine (already loaded).
        warm = self.warm_engine.take() if launch is None and self.warm_engine is not None else None
        self.controller.start(config, resume_from=resume_from, on_data=images.provide, launch=launch, warm=warm)
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
        self.device_panel.set_run_active(state != IDLE)  # no precision measurement or batch probe meanwhile
        self.run_bar.set_paused(state == PAUSED)
        self._update_actions()

    def _update_actions(self) -> None:
        update_actions(self)
        self._show_start_state()

    def _show_start_state(self) -> None:
        """Say what Start does now: in the strip above the tabs (the problems that keep it disabled, else
        a line), and on the plots while they are empty."""
        problems: list = []
        if self.catalog is None:
            state, line = QUEUED if self.start_queued else LOADING, self._loading_text
        elif self.controller.state != IDLE:
            state, line = RUNNING, self.tr("Training: the settings are locked until the run ends.")
        else:
            problems = self._problems
            state, line = BLOCKED if problems else READY, self.tr("Ready: press Start (F5) to train.")
        self.run_view.problem_strip.show_problems(problems, line)
        self.plots.set_start_state(state)

    @Slot(object)
    def _on_events(self, events: list) -> None:
        if self._pending_images is not None and any(e.get("event") == "start" for e in events):
            self.run_view.reset()
            self.run_view.misclassified.set_source(self._pending_images)
            self.run_view.confusion.set_source(self._pending_images)  # a clicked cell's samples
            self._pending_images = None
        self.run_view.add_events(events)
        self.log.add_events(events)
        for event in events:
            if event.get("event") == "start" and event.get("run_dir"):
                self.run_dir = str(event["run_dir"])
                self.loaded_model = None  # the new run's model becomes the current one
            if event.get("event") == "checkpoint":
                self._update_actions()  # the artifact actions have a model from now on

    # ----------------------------------------------------------------- artifacts
    def current_model(self) -> LoadedModel | str | None:
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

    def open_artifact_dialog(self, key: str) -> ArtifactDialog:
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
    def _on_model_loaded(self, loaded: LoadedModel) -> None:
        self.loaded_model = loaded
        self.statusBar().showMessage(self.tr("Current model: {source}").format(source=loaded.source), 5000)
        self._update_actions()

    @Slot(object)
    def _on_config_restored(self, config: RunConfig) -> None:
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
        if not self.log.logged_stop_reason(failure.get("message") or ""):  # not said twice ("Diverged: ...")
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

    # ----------------------------------------------------------------- sweeps and explanations
    def open_sweep_dialog(self) -> SweepDialog | None:
        """Tools > Sweep…: search hyper-parameters of the configuration in the panels (gui/dialogs/sweep_dialog.py)."""
        from backend.core.config import validate
        from backend.core.errors import TorchDeskError
        from gui.dialogs.sweep_dialog import SweepDialog

        running = self.artifact_dialogs.get("sweep")
        if running is not None and running.task.is_running():
            running.raise_()  # a sweep in progress is never dropped by opening the dialog again
            return running
        config = with_absolute_runs_dir(self.collect_config())
        try:
            validate(config)
        except TorchDeskError as exc:
            self.error_dialog.show_failure(self.tr("The configuration needs a fix"), exc.message)
            return None
        old = self.artifact_dialogs.pop("sweep", None)
        if old is not None:
            old.close()
            old.deleteLater()
        dialog = SweepDialog(config, self, self.error_dialog)
        dialog.sig_open_run.connect(self.open_run)
        self.artifact_dialogs["sweep"] = dialog
        dialog.show()
        return dialog

    @Slot(str)
    def open_run(self, run_dir: str) -> None:
        """Make a past run (a sweep's trial) the current one: its config in the panels, its runs folder
        listed with it selected (its curves drawn), its model the one the artifact tools use."""
        from pathlib import Path

        if self.controller.state != IDLE or not self.open_config(str(Path(run_dir) / "config.toml")):
            return
        self.loaded_model, self.last_summary, self.run_dir = None, {}, run_dir
        self._opened_run = run_dir  # selected once the runs list of its folder has been read
        self.runs_panel.refresh()
        self.runs_dock.show()
        self.runs_dock.raise_()
        self._update_actions()

    @Slot()
    def _select_opened_run(self) -> None:
        if self._opened_run:
            self.runs_panel.select_runs([self._opened_run])
            self._opened_run = ""

    @Slot(object)
    def explain_sample(self, image: np.ndarray) -> None:  # uint8 (C, H, W)
        """Explain a validation image of the misclassified gallery with the current model."""
        from gui.dialogs.explain_view import ExplainDialog

        old = self.artifact_dialogs.pop("explain", None)
        if old is not None:
            old.close()
            old.deleteLater()
        dialog = ExplainDialog(self.current_model(), self, self.error_dialog)
        dialog.set_image(image)
        self.artifact_dialogs["explain"] = dialog
        dialog.show()
        dialog.start()

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

    # ----------------------------------------------------------------- drag and drop
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        from gui import drop

        event.acceptProposedAction()
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        # After the drop has returned: a question asked inside the drop would block the source application.
        QTimer.singleShot(0, lambda: drop.handle(self, paths))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.controller.is_running():
            event.ignore()
            if self._close_when_idle:
                return  # already stopping; closes when the run has ended
            if self.confirm_stop_for_close():
                self._close_when_idle = True
                self.controller.stop()
            return
        self._dismiss_warm_engine()
        self.catalog_loader.shutdown()  # importing torch cannot be interrupted; it ends shortly
        self.stop_resume_check()
        self.inspector.stop()
        self.device_panel.stop()
        self.runs_panel.wait()
        self.run_view.wait()
        for dialog in self.artifact_dialogs.values():
            dialog.close()  # cancels and waits for its task
        window_state.save(self)
        session.save_config(self.collect_config())
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
        self._dismiss_warm_engine()
        self.catalog_loader.shutdown()
        self.stop_resume_check()
        self.inspector.stop()
        self.device_panel.stop()
        self.runs_panel.wait()
        self.run_view.wait()
        for dialog in self.artifact_dialogs.values():
            dialog.task.shutdown()
