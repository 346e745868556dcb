"""Saving and restoring the main window's geometry, dock and splitter layout through settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt

from gui import settings

if TYPE_CHECKING:
    from gui.main_window import MainWindow

LOG_HEIGHT = 140
CONFIG_WIDTH = 400


def default_layout(window: MainWindow) -> None:
    window.resizeDocks([window.log_dock], [LOG_HEIGHT], Qt.Orientation.Vertical)
    window.splitter.setSizes([CONFIG_WIDTH, max(window.width() - CONFIG_WIDTH, 400)])


def restore(window: MainWindow) -> None:
    geometry = settings.value(settings.WINDOW_GEOMETRY, QByteArray(), QByteArray)
    if geometry.isEmpty() or not window.restoreGeometry(geometry):
        window.resize(1280, 820)
    state = settings.value(settings.WINDOW_STATE, QByteArray(), QByteArray)
    splitter = settings.value(settings.WINDOW_SPLITTER, QByteArray(), QByteArray)
    if state.isEmpty() or not window.restoreState(state) or not window.splitter.restoreState(splitter):
        default_layout(window)
    window.log_dock.setVisible(settings.value(settings.UI_LOG_VISIBLE, True, bool))


def save(window: MainWindow) -> None:
    settings.set_value(settings.WINDOW_GEOMETRY, window.saveGeometry())
    settings.set_value(settings.WINDOW_STATE, window.saveState())
    settings.set_value(settings.WINDOW_SPLITTER, window.splitter.saveState())
    settings.set_value(settings.UI_LOG_VISIBLE, window.log_dock.isVisible())
    settings.sync()


def reset(window: MainWindow) -> None:
    """View > Reset layout: the log docked at the bottom, default sizes."""
    window.log_dock.setFloating(False)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, window.log_dock)
    window.log_dock.show()
    default_layout(window)
