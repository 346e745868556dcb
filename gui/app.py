"""Entry point ``torchdesk``: show the main window first, then load PyTorch in the background."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

_IMPORTED = time.perf_counter()

from backend import __version__ as APP_VERSION  # noqa: E402 - after the start-time stamp


def create_application(argv: Sequence[str] | None = None):  # noqa: ANN201 - QApplication
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
    """Open the main window; torch is imported on a worker thread after it is shown."""
    import multiprocessing

    multiprocessing.freeze_support()  # a frozen app's worker processes must not open windows
    if "--self-test" in (sys.argv if argv is None else list(argv))[1:]:
        from gui.self_test import run_self_test

        return run_self_test()
    app = create_application(argv)
    from gui import crash_log

    crash_log.install()
    from PySide6.QtCore import QTimer

    from gui.main_window import MainWindow

    window = MainWindow()
    window.show()
    if os.environ.get("TORCHDESK_EXIT_AFTER_SHOW"):
        # Start-up benchmark (tests/benchmarks/bench_gui_latency.py): report when the first
        # frame has been handled, then quit without loading torch.
        QTimer.singleShot(0, lambda: _report_shown_and_quit(app))
        return app.exec()
    window.start_catalog_load()
    # If the application quits by another route than closing the window, still stop and
    # wait for the training thread before Python tears Qt down.
    app.aboutToQuit.connect(window.shutdown)
    return app.exec()


def _seconds_since_process_start() -> float:
    """Wall time since the OS started this process (Linux /proc); since import elsewhere."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[19])  # starttime, in clock ticks after boot
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _IMPORTED


def _report_shown_and_quit(app) -> None:  # noqa: ANN001 - QApplication
    sys.stdout.write(f"TORCHDESK_SHOWN {_seconds_since_process_start():.3f}\n")
    sys.stdout.flush()
    app.quit()


if __name__ == "__main__":
    raise SystemExit(main())
