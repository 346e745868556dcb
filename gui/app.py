"""Entry point ``torchdesk``: show the main window first, then load PyTorch in the background."""

from __future__ import annotations

import sys
from collections.abc import Sequence

APP_VERSION = "0.1.0"


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
    return app


def main(argv: Sequence[str] | None = None) -> int:
    """Open the main window; torch is imported on a worker thread after it is shown."""
    app = create_application(argv)
    from gui.main_window import MainWindow

    window = MainWindow()
    window.show()
    window.start_catalog_load()
    # If the application quits by another route than closing the window, still stop and
    # wait for the training thread before Python tears Qt down.
    app.aboutToQuit.connect(window.shutdown)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
