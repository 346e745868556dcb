"""Unhandled exceptions: written to a log file in the user log folder and shown with its path.

``install()`` replaces ``sys.excepthook`` and ``threading.excepthook``. An exception nobody
caught (in the main thread, in a Qt slot, or in a Python thread) is written to
``backend.core.paths.user_log_dir()/crash-<time>.log`` and, when a QApplication exists, shown in a
message box that names the file, instead of the process vanishing or the error being lost on a
console nobody sees. Hard crashes (segfaults) are written by ``faulthandler`` to
``fatal-errors.log`` in the same folder.

This module imports nothing heavy: install it first thing in ``main()``.
"""

from __future__ import annotations

import datetime
import faulthandler
import os
import platform
import sys
import tempfile
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from backend.core.errors import error_summary

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QObject

TITLE = "TorchDesk: unexpected error"

_state: dict[str, Any] = {"installed": False, "dialog_open": False, "bridge": None, "fault_file": None}
show_dialogs = True
"""Tests (and the self-test) turn this off: a modal box would wait for a click that never comes."""


def log_dir() -> Path:
    from backend.core.paths import user_log_dir

    return user_log_dir()


def _header(thread_name: str) -> str:
    try:
        from gui.app import APP_VERSION
    except Exception:  # noqa: BLE001 - a crash log must be written whatever is broken
        APP_VERSION = "?"  # noqa: N806
    return "\n".join(
        [
            f"TorchDesk {APP_VERSION} crash log",
            f"time: {datetime.datetime.now().isoformat(timespec='seconds')}",
            f"python: {platform.python_version()} ({sys.executable})",
            f"platform: {platform.platform()}",
            f"frozen: {bool(getattr(sys, 'frozen', False))}",
            f"thread: {thread_name}",
            f"argv: {sys.argv}",
            "",
        ]
    )


def write_crash_log(
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    thread_name: str = "MainThread",
) -> Path | None:
    """Write one crash log and return its path (a temporary folder if the log folder is unwritable)."""
    text = _header(thread_name) + "\n" + "".join(traceback.format_exception(exc_type, exc, tb))
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    for folder in (log_dir, lambda: Path(tempfile.gettempdir()) / "torchdesk-logs"):
        try:
            target = folder()
            target.mkdir(parents=True, exist_ok=True)
            path = target / f"crash-{stamp}-{os.getpid()}.log"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def _echo(text: str) -> None:
    # A windowed app on Windows has no stderr at all.
    if sys.stderr is not None:
        try:
            sys.stderr.write(text)
            sys.stderr.flush()
        except (OSError, ValueError):
            pass


def _summary(exc_type: type[BaseException], exc: BaseException | None) -> str:
    return error_summary(exc) if exc is not None else exc_type.__name__


def handle_exception(
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    thread_name: str | None = None,
) -> Path | None:
    """Log one unhandled exception, echo it to stderr and tell the user where the log is."""
    thread_name = thread_name or threading.current_thread().name
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    path = write_crash_log(exc_type, exc, tb, thread_name)
    _echo(details + (f"(written to {path})\n" if path else "(the crash log could not be written)\n"))
    _notify(_summary(exc_type, exc), details, path)
    return path


def _excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    handle_exception(exc_type, exc, tb)


def _threading_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else "thread"
    handle_exception(args.exc_type, args.exc_value, args.exc_traceback, name)


def _qt_application() -> QCoreApplication | None:
    # Only when the app already loaded Qt widgets: the hook never imports Qt itself.
    if "PySide6.QtWidgets" not in sys.modules:
        return None
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()


def _notify(summary: str, details: str, path: Path | None) -> None:
    if not show_dialogs:
        return
    try:
        app = _qt_application()
        if app is None:
            return
        if threading.current_thread() is threading.main_thread():
            show_dialog(summary, details, path)
        elif _state["bridge"] is not None:
            # Widgets belong to the GUI thread: a queued signal carries the message there.
            _state["bridge"].request.emit(summary, details, str(path or ""))
    except Exception:  # noqa: BLE001 - never raise from inside an exception hook
        _echo("".join(traceback.format_exc()))


def show_dialog(summary: str, details: str, path: Path | str | None) -> None:
    """A critical message box naming the log file; GUI thread only, one at a time."""
    if _state["dialog_open"]:
        return  # an error repeating in a paint event must not stack boxes
    from PySide6.QtCore import Qt, QThread
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, TITLE, summary, QMessageBox.StandardButton.Close)
    where = str(path) if path else "(the crash log could not be written)"
    box.setInformativeText(f"TorchDesk hit an unexpected error. The details were written to:\n{where}")
    box.setDetailedText(details)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    _state["dialog_open"] = True
    if QThread.currentThread().loopLevel() > 0:
        # The app goes on running (Qt slots survive an exception): do not block it.
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(_dialog_closed)
        box.open()
        _state["box"] = box
    else:
        # No event loop (start-up or exit): wait for the user, or the process ends before they see it.
        try:
            box.exec()
        finally:
            _dialog_closed()


def _dialog_closed(*_args: object) -> None:
    _state["dialog_open"] = False
    _state.pop("box", None)


def _make_bridge() -> QObject:  # living in the GUI thread
    from PySide6.QtCore import QObject, Signal, Slot

    class _Bridge(QObject):
        request = Signal(str, str, str)

        @Slot(str, str, str)
        def show(self, summary: str, details: str, path: str) -> None:
            show_dialog(summary, details, path or None)

    bridge = _Bridge()
    bridge.request.connect(bridge.show)
    return bridge


def install() -> None:
    """Install the hooks (idempotent). Call it in the GUI thread; after the QApplication for dialogs
    from worker threads too."""
    if not _state["installed"]:
        _state["previous"] = (sys.excepthook, threading.excepthook)
        sys.excepthook = _excepthook
        threading.excepthook = _threading_hook
        _state["installed"] = True
        try:
            folder = log_dir()
            folder.mkdir(parents=True, exist_ok=True)
            handle = open(folder / "fatal-errors.log", "a", encoding="utf-8")  # noqa: SIM115 - lives until exit
            faulthandler.enable(handle)
            _state["fault_file"] = handle
        except (OSError, RuntimeError, ValueError):
            pass  # an unwritable log folder still leaves the dialogs and the temporary-folder logs
    if _state["bridge"] is None and _qt_application() is not None:
        _state["bridge"] = _make_bridge()


def uninstall() -> None:
    """Restore the hooks that were there before ``install()`` (tests)."""
    if _state["installed"]:
        sys.excepthook, threading.excepthook = _state.pop("previous")
    if _state["fault_file"] is not None:
        faulthandler.disable()
        _state["fault_file"].close()
        _state["fault_file"] = None
    _state["installed"] = False
    _state["bridge"] = None
