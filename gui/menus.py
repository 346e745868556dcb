"""The main window's menus and their actions (File, Run, Tools, View, Help)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from gui import i18n, settings, show_code
from gui.run_controller import IDLE, PAUSED

if TYPE_CHECKING:
    from gui.main_window import MainWindow


def build_menus(window: MainWindow) -> dict[str, Any]:
    """Create the menu bar; returns the actions by key (plus ``themes`` and helpers)."""
    tr = window.tr
    bar = window.menuBar()
    actions: dict[str, Any] = {}

    def action(key: str, text: str, slot: Any, shortcut: QKeySequence | str | None = None, tip: str = "") -> QAction:
        act = QAction(text, window)
        act.setObjectName(f"action_{key}")
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        if tip:
            act.setStatusTip(tip)
        act.triggered.connect(slot)
        actions[key] = act
        return act

    file_menu = bar.addMenu(tr("&File"))
    file_menu.setToolTipsVisible(True)  # the disabled artifact entries say why
    file_menu.addAction(
        action(
            "new",
            tr("&New run"),
            window.new_config,
            QKeySequence.StandardKey.New,
            tr("Reset every setting to its default (the built-in digits with an MLP)"),
        )
    )
    file_menu.addAction(
        action(
            "open",
            tr("&Open config…"),
            lambda: window.open_config(),
            QKeySequence.StandardKey.Open,
            tr("Load a run configuration (TOML)"),
        )
    )
    recent_menu = file_menu.addMenu(tr("Open &recent"))
    actions["recent_menu"] = recent_menu
    file_menu.addAction(
        action(
            "save_as",
            tr("&Save config as…"),
            lambda: window.save_config_as(),
            QKeySequence.StandardKey.SaveAs,
            tr("Write the current configuration to a TOML file"),
        )
    )
    file_menu.addAction(
        action(
            "export_script",
            tr("Export as &Python script…"),
            lambda: show_code.export_script(window),
            None,
            tr("Write the current settings as one standalone plain-PyTorch training script"),
        )
    )
    file_menu.addSeparator()
    for key, text, tip in (
        (
            "load_weights",
            tr("&Load weights/checkpoint…"),
            tr("Load a weights or checkpoint file (into the current model)"),
        ),
        ("save_model", tr("Save &model…"), tr("Save the current model as weights, a checkpoint, TorchScript…")),
        ("export", tr("&Export…"), tr("Export the current model to ONNX, TorchScript or .pt2")),
        ("quantize", tr("&Quantize…"), tr("Compare quantization methods and save one")),
    ):
        file_menu.addAction(action(key, text, lambda _checked=False, k=key: window.open_artifact_dialog(k), None, tip))
    file_menu.addSeparator()
    file_menu.addAction(action("quit", tr("&Quit"), window.close, "Ctrl+Q"))

    def refresh_recent() -> None:
        recent_menu.clear()
        paths = settings.recent_configs()
        for path in paths:
            act = recent_menu.addAction(Path(path).name)
            act.setToolTip(path)
            act.setStatusTip(path)
            act.triggered.connect(lambda _checked=False, p=path: window.open_config(p))
        recent_menu.setEnabled(bool(paths))
        if not paths:
            recent_menu.addAction(tr("(none yet)")).setEnabled(False)

    actions["refresh_recent"] = refresh_recent
    refresh_recent()

    run_menu = bar.addMenu(tr("&Run"))
    run_menu.addAction(
        action("start", tr("&Start"), window.start_run, "F5", tr("Start training with the current configuration"))
    )
    run_menu.addAction(action("pause", tr("&Pause"), window.toggle_pause, "F6", tr("Pause or resume the run")))
    run_menu.addAction(
        action(
            "stop",
            tr("S&top"),
            window.stop_run,
            "Shift+F5",
            tr("Stop the run after the current step and save a checkpoint"),
        )
    )
    run_menu.addSeparator()
    run_menu.addAction(
        action(
            "resume",
            tr("&Resume from checkpoint…"),
            lambda: window.resume_from_checkpoint(),
            None,
            tr("Continue a saved run up to the number of epochs in the Training panel"),
        )
    )

    tools_menu = bar.addMenu(tr("&Tools"))
    tools_menu.setToolTipsVisible(True)
    for key, text, tip in (
        (
            "evaluate",
            tr("&Evaluate…"),
            tr("Metrics, confusion matrix, ROC/PR curves and robustness of the current model"),
        ),
        ("predict", tr("&Predict…"), tr("Top-k classes for images or CSV rows")),
    ):
        tools_menu.addAction(action(key, text, lambda _checked=False, k=key: window.open_artifact_dialog(k), None, tip))
    tools_menu.addAction(
        action(
            "lr_finder",
            tr("Find &learning rate…"),
            lambda: show_code.open_lr_finder(window),
            None,
            tr("Learning-rate range test on a copy of the configured model: the loss curve and a suggested rate"),
        )
    )
    tools_menu.addAction(
        action(
            "sweep",
            tr("S&weep…"),
            lambda: window.open_sweep_dialog(),
            None,
            tr("Search hyper-parameters with Optuna on the current configuration; every trial is a run"),
        )
    )

    view_menu = bar.addMenu(tr("&View"))
    log_action = window.log_dock.toggleViewAction()
    log_action.setText(tr("&Events log"))
    log_action.setShortcut(QKeySequence("Ctrl+L"))
    view_menu.addAction(log_action)
    actions["log"] = log_action
    runs_action = window.runs_dock.toggleViewAction()
    runs_action.setText(tr("R&uns"))
    view_menu.addAction(runs_action)
    actions["runs"] = runs_action
    view_menu.addAction(
        action(
            "code",
            tr("&Code"),
            lambda: show_code.show_code_tab(window),
            "Ctrl+Shift+C",
            tr("The training script of the current settings, in plain PyTorch"),
        )
    )
    theme_menu = view_menu.addMenu(tr("&Theme"))
    group = QActionGroup(window)
    themes = {}
    for key, text in (("system", tr("&System")), ("light", tr("&Light")), ("dark", tr("&Dark"))):
        act = QAction(text, window, checkable=True)
        act.setObjectName(f"action_theme_{key}")
        act.triggered.connect(lambda _checked=False, k=key: window.set_theme(k))
        group.addAction(act)
        theme_menu.addAction(act)
        themes[key] = act
    actions["themes"] = themes
    language_menu = view_menu.addMenu(tr("&Language"))
    language_group = QActionGroup(window)
    languages = {}
    chosen = i18n.chosen_language()
    for key, text in ((i18n.SYSTEM, tr("&System default")), *i18n.LANGUAGES.items()):
        act = QAction(text, window, checkable=True)
        act.setObjectName(f"action_language_{key}")
        act.setChecked(key == chosen)
        act.triggered.connect(lambda _checked=False, k=key: choose_language(k))
        language_group.addAction(act)
        language_menu.addAction(act)
        languages[key] = act
    actions["languages"] = languages

    def choose_language(key: str) -> None:
        if key == i18n.chosen_language():
            return
        i18n.set_language(key)
        i18n.offer_restart(window, key)

    view_menu.addAction(action("reset_layout", tr("&Reset layout"), window.reset_layout))

    help_menu = bar.addMenu(tr("&Help"))
    help_menu.addAction(action("about", tr("&About TorchDesk"), window.show_about))
    help_menu.addAction(
        action(
            "diagnostics",
            tr("&Copy diagnostics"),
            window.copy_diagnostics,
            None,
            tr("Copy versions and devices to the clipboard for a bug report"),
        )
    )
    return actions


def update_actions(window: MainWindow) -> None:
    """Enable what makes sense in the current run state (menus and run bar alike)."""
    state = window.controller.state
    idle = state == IDLE
    ready = idle and window.catalog is not None
    active = state in ("running", "paused")
    # While PyTorch loads, Start queues the run (pressed again, it cancels): MainWindow.start_run.
    blocker = window.start_blocker() if ready else ""  # a problem found before Start (gui.problems)
    enabled = {
        "start": idle and not blocker,
        "pause": active,
        "stop": active,
        "new": idle,
        "open": idle,
        "resume": ready,
        "sweep": ready,
    }
    for key, on in enabled.items():
        window.menu_actions[key].setEnabled(on)
    tr = window.tr  # the same (empty) translation context as build_menus
    window.menu_actions["pause"].setText(tr("Resume") if state == PAUSED else tr("Pause"))
    bar = window.run_bar
    bar.start_button.setEnabled(enabled["start"])
    bar.pause_button.setEnabled(enabled["pause"])
    bar.stop_button.setEnabled(enabled["stop"])
    loading = window.catalog is None
    if loading and window.start_queued:
        start_tip = tr("Queued: training starts as soon as PyTorch has loaded. Press again to cancel.")
    elif loading:
        start_tip = tr("PyTorch is loading: press Start (F5) and training starts as soon as it has loaded")
    elif blocker:
        start_tip = tr("Cannot start: {reason}").format(reason=blocker)
    else:
        start_tip = tr("Start training (F5)")
    bar.start_button.setToolTip(start_tip)
    bar.start_button.setText(tr("Queued…") if loading and window.start_queued else tr("Start"))
    window.config_scroll.widget().setEnabled(idle)  # a running run's config cannot change
    window.menu_actions["recent_menu"].setEnabled(idle)
    # Artifact actions work on a CPU copy of the current model: the run's best checkpoint or
    # model.safetensors, or the model loaded with File > Load weights/checkpoint.
    has_model = window.current_model() is not None
    for key in ("load_weights", "save_model", "export", "quantize", "evaluate", "predict"):
        act = window.menu_actions[key]
        needs_model = key not in ("load_weights", "predict")  # these two ask for a file
        on = window.catalog is not None and (has_model or not needs_model)
        act.setEnabled(on)
        if window.catalog is None:
            act.setToolTip(window.tr("Loading PyTorch…"))
        elif not on:
            act.setToolTip(window.tr("No model yet: train one, or use File > Load weights/checkpoint…"))
        else:
            act.setToolTip(act.statusTip())
    # Show the code and the learning-rate test build from the settings alone (no model needed).
    for key in ("export_script", "lr_finder"):
        act = window.menu_actions[key]
        act.setEnabled(ready if key == "lr_finder" else window.catalog is not None)
        act.setToolTip(window.tr("Loading PyTorch…") if window.catalog is None else act.statusTip())
