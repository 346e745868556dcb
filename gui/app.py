"""Entry point ``torchdesk``: paint the main window first, then load PyTorch in the background."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from backend import __version__ as APP_VERSION

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from gui.main_window import MainWindow
    from gui.startup_report import StartupReport


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication, with organisation and application names set once, here."""
    from PySide6.QtWidgets import QApplication

    from gui import settings

    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv if argv is not None else sys.argv))
    app.setOrganizationName(settings.ORGANIZATION)
    app.setApplicationName(settings.APPLICATION)
    app.setApplicationDisplayName("TorchDesk")
    app.setApplicationVersion(APP_VERSION)
    settings.migrate()
    from gui import i18n, main_thread_gc

    main_thread_gc.install(app)

    i18n.install(app)
    from PySide6.QtGui import QIcon

    from backend.core.paths import resource_path

    app.setWindowIcon(QIcon(str(resource_path("icons", "torchdesk.png"))))
    app.setDesktopFileName("torchdesk")
    return app


def main(argv: Sequence[str] | None = None) -> int:
    """Start the warm engine process, paint the main window, then import torch on a worker thread."""
    import multiprocessing

    multiprocessing.freeze_support()  # a frozen app's worker processes must not open windows
    from backend.cli.multiprocess import hidden_entry

    # The frozen app is its own torchrun and its own torchdesk-cli for a multi-process run's ranks.
    code = hidden_entry(list(sys.argv if argv is None else argv))
    if code is not None:
        return code
    arguments = (sys.argv if argv is None else list(argv))[1:]
    if "--self-test" in arguments:
        from gui.self_test import run_self_test

        return run_self_test()
    from gui import warm_process

    if arguments[:1] == [warm_process.FLAG]:
        return warm_process.main()
    warm = warm_process.spawn()  # first of all: it imports PyTorch on another core while the window is built
    app = create_application(argv)
    from gui import crash_log, startup_report

    crash_log.install()
    from gui.main_window import MainWindow
    from gui.warm_engine import WarmEngine

    # The plots (pyqtgraph) are made once the window is painted: a placeholder holds their place.
    window = MainWindow(warm_engine=WarmEngine(warm) if warm is not None else None, defer_plots=True)
    report = startup_report.StartupReport(window) if startup_report.requested() else None
    if report is not None:
        window.sig_engine_ready.connect(report.ready)
        window.sig_engine_loaded.connect(report.loaded)
    # If the application quits by another route than closing the window, still stop and
    # wait for the training thread before Python tears Qt down.
    app.aboutToQuit.connect(window.shutdown)
    from gui import main_thread_gc

    main_thread_gc.freeze_window_objects()
    window.show()
    from gui import i18n

    i18n.notify_missing_font(window)  # Chinese chosen, no font to draw it: English, and how to fix
    _after_first_paint(window, lambda: _build_plots_then_load_engine(window, report))
    return app.exec()


def _after_first_paint(window: MainWindow, then: Callable[[], None], tries: int = 50) -> None:
    """Call ``then`` from the event loop once the window is exposed, so painted (at most ~0.5 s on)."""
    from PySide6.QtCore import QTimer

    def check(left: int) -> None:
        handle = window.windowHandle()
        if left <= 0 or (handle is not None and handle.isExposed()):
            then()
        else:
            QTimer.singleShot(10, lambda: check(left - 1))

    QTimer.singleShot(0, lambda: check(tries))


def _build_plots_then_load_engine(window: MainWindow, report: StartupReport) -> None:
    if report is not None:
        report.shown()
    window.plots.sig_built.connect(lambda: _load_engine(window, report))
    window.plots.build_in_background()


def _load_engine(window: MainWindow, report: StartupReport) -> None:
    if report is not None:
        report.import_started()
    window.start_catalog_load()


if __name__ == "__main__":
    raise SystemExit(main())
