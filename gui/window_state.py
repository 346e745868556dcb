"""Saving and restoring the main window's geometry, dock and splitter layout through settings.

The window always fits the screen it opens on: the first time at a default size shrunk to the
screen's available area (a 1366x768 laptop keeps the status bar and the Events/Runs tabs in
view), later at the user's own size and place, clamped to the screen it is on now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication

from gui import settings

if TYPE_CHECKING:
    from gui.main_window import MainWindow

LOG_HEIGHT = 140
CONFIG_WIDTH = 400
DEFAULT_WIDTH, DEFAULT_HEIGHT = 1280, 820
LARGE_SCREEN_SHARE = 0.85  # of a screen larger than the default size, the first time
# Room for the window manager's title bar and borders, unknown before the window is shown.
FRAME_ALLOWANCE = 40


def default_layout(window: MainWindow) -> None:
    # A smaller share on a short screen, where the plots need the height more (a few lines of the log
    # at 1366x768; the user's own height is restored from then on).
    window.resizeDocks([window.log_dock], [min(LOG_HEIGHT, window.height() // 8)], Qt.Orientation.Vertical)
    window.splitter.setSizes([CONFIG_WIDTH, max(window.width() - CONFIG_WIDTH, 400)])


def available_area(window: MainWindow) -> QRect:
    """The screen area the window may use (without task bars), of the screen it is on."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: MainWindow, width: int, height: int) -> None:
    """Resize to (width, height) at most the available area, keeping the window inside it."""
    area = available_area(window)
    width = max(min(width, area.width()), window.minimumWidth())
    height = max(min(height, area.height() - FRAME_ALLOWANCE), window.minimumHeight())
    window.resize(width, height)
    frame = window.frameGeometry()
    x = min(max(frame.x(), area.x()), area.x() + max(area.width() - width, 0))
    y = min(max(frame.y(), area.y()), area.y() + max(area.height() - height - FRAME_ALLOWANCE, 0))
    window.move(x, y)


def restore(window: MainWindow) -> None:
    geometry = settings.value(settings.WINDOW_GEOMETRY, QByteArray(), QByteArray)
    restored = not geometry.isEmpty() and window.restoreGeometry(geometry)
    state = settings.value(settings.WINDOW_STATE, QByteArray(), QByteArray)
    splitter = settings.value(settings.WINDOW_SPLITTER, QByteArray(), QByteArray)
    if not restored:
        area = available_area(window)
        # Most of a large screen (the plots use it), the default size on a laptop, the whole of a smaller one.
        fit_to_screen(
            window,
            max(DEFAULT_WIDTH, int(area.width() * LARGE_SCREEN_SHARE)),
            max(DEFAULT_HEIGHT, int(area.height() * LARGE_SCREEN_SHARE)),
        )
        window.move(area.center() - window.rect().center())
    if state.isEmpty() or not window.restoreState(state) or not window.splitter.restoreState(splitter):
        default_layout(window)
        # Again once shown: before its first layout, the window gives the dock more than asked.
        QTimer.singleShot(0, window, lambda: default_layout(window))
    else:
        if restored and not window.isMaximized() and not window.isFullScreen():
            # After the dock sizes: shrinking a window saved on a larger screen lays them out again.
            fit_to_screen(window, window.width(), window.height())
        # Again once shown, as above: the first layout does not keep the saved dock height.
        QTimer.singleShot(0, window, lambda: window.restoreState(state))
    window.log_dock.setVisible(settings.value(settings.UI_LOG_VISIBLE, True, bool))
    tabs = window.run_view.tabs
    tab = settings.value(settings.WINDOW_RUN_TAB, 0, int)
    if 0 <= tab < tabs.count() and tabs.isTabEnabled(tab):
        tabs.setCurrentIndex(tab)


def save(window: MainWindow) -> None:
    settings.set_value(settings.WINDOW_GEOMETRY, window.saveGeometry())
    settings.set_value(settings.WINDOW_STATE, window.saveState())
    settings.set_value(settings.WINDOW_SPLITTER, window.splitter.saveState())
    settings.set_value(settings.UI_LOG_VISIBLE, window.log_dock.isVisible())
    settings.set_value(settings.WINDOW_RUN_TAB, window.run_view.tabs.currentIndex())
    settings.sync()


def reset(window: MainWindow) -> None:
    """View > Reset layout: the log docked at the bottom, default sizes."""
    window.log_dock.setFloating(False)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, window.log_dock)
    window.log_dock.show()
    default_layout(window)
