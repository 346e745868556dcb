"""Show the code in the main window: the Code tab (gui/panels/code_view.py), File > Export as Python
script, and Tools > Find learning rate's Apply (which the script then shows at once)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog

from gui.panels.code_view import CodeView

if TYPE_CHECKING:
    from gui.main_window import MainWindow


def current_config(window: MainWindow) -> Any:
    """The window's settings, or None while PyTorch loads (a torchvision model's script needs it)."""
    return window.collect_config() if window.catalog is not None else None


def add_code_tab(window: MainWindow) -> CodeView:
    """The Code tab beside the run's plots (room for the script), following every settings change."""
    view = CodeView(lambda: current_config(window), window)
    view.sig_export.connect(lambda: export_script(window))
    window.run_view.tabs.addTab(view, window.tr("Code"))
    for panel in window.config_panels:
        panel.config_changed.connect(view.schedule_update)
    return view


def show_code_tab(window: MainWindow) -> None:
    """View > Code: bring the Code tab forward."""
    window.run_view.tabs.setCurrentWidget(window.code_view)


def export_script(window: MainWindow) -> str:
    """File > Export as Python script: ask for a file (the file dialog asks before replacing one)
    and write the script of the current settings; returns the path written ("" when nothing was)."""
    from backend.artifacts.script_export import training_script
    from backend.core.atomic import atomic_write_text
    from backend.core.errors import TorchDeskError

    config = current_config(window)
    if config is None:
        return ""
    title = window.tr("Export as Python script")
    try:
        text = training_script(config)  # refused settings are said before a file is asked for
    except TorchDeskError as exc:
        window.error_dialog.show_failure(title, exc.message)
        return ""
    path, _ = QFileDialog.getSaveFileName(window, title, "train.py", window.tr("Python script (*.py)"))
    if not path:
        return ""
    try:
        atomic_write_text(path, text)
    except TorchDeskError as exc:
        window.error_dialog.show_failure(title, exc.message)
        return ""
    window.statusBar().showMessage(window.tr("Script written to {path}").format(path=path), 5000)
    return path


def open_lr_finder(window: MainWindow) -> Any:
    """Tools > Find learning rate: the dialog (one at a time, non-modal) on the current settings."""
    from gui.dialogs.lr_finder_dialog import LrFinderDialog

    old = window.artifact_dialogs.pop("lr_finder", None)
    if old is not None:
        old.close()
        old.deleteLater()
    dialog = LrFinderDialog(window.collect_config, window, window.error_dialog)
    dialog.sig_apply.connect(lambda lr: apply_learning_rate(window, lr))
    window.artifact_dialogs["lr_finder"] = dialog  # closed and waited for with the window
    dialog.show()
    return dialog


def apply_learning_rate(window: MainWindow, lr: float) -> None:
    """Set the optimizer's learning rate and, with a OneCycle schedule, its peak (schedule.max_lr)."""
    panel = window.optim_panel
    panel.lr.setValue(lr)
    if window.collect_config().schedule.name == "onecycle":
        panel.schedule_rows.widgets["max_lr"].setValue(lr)
    window.statusBar().showMessage(window.tr("Learning rate set to {lr}").format(lr=f"{lr:g}"), 5000)
