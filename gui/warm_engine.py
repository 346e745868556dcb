"""The first run's engine, started with the app: Start trains within about the time of ``import torch``.

Importing PyTorch takes seconds and holds the GIL, so in the window's own process it can only
follow the window (both are Python work on one interpreter lock). A child process started before
the window is built (gui/warm_process.py ``spawn``) imports PyTorch and the trainer on another core meanwhile, sends
the catalogue (gui/catalog.py ``engine_catalog``) and waits. A run started before the window's own
PyTorch is loaded is handed to it (``take``) and shown like any child run (gui/child_run.py: live
events, pause, stop with a checkpoint, errors); once the window's own engine is ready, an unused
warm process is ended (``dismiss``). It never outlives the window: it ends when its stdin closes,
and during a run its launch folder's heartbeat stops when the window is gone.
"""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from gui.tasks import Task, TaskState

if TYPE_CHECKING:
    from backend.engine.launch import WarmLaunch
    from gui.catalog import Catalog


def _read_catalog(state: TaskState, launch: WarmLaunch) -> Catalog | None:
    payload = launch.read_ready()
    # Our own child's answer on a pipe, not a file: unpickling it runs no one else's code.
    return pickle.loads(payload) if payload is not None else None


class WarmEngine(QObject):
    """The window's handle on the warm process: ``sig_ready(catalog)`` once it can train, or
    ``sig_ready(None)`` when it ended (or failed) before that."""

    sig_ready = Signal(object)

    def __init__(self, launch: WarmLaunch, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._launch: WarmLaunch | None = launch
        self._ready = False
        self._reader = Task(self, name="WarmEngine")
        self._reader.sig_result.connect(self._on_ready)
        self._reader.sig_failed.connect(lambda *_: self._on_ready(None))

    def start(self) -> None:
        """Wait for the process on a task thread (a blocking read of its pipe)."""
        if self._launch is not None and not self._ready and not self._reader.is_running():
            self._reader.start(_read_catalog, self._launch)

    @Slot(object)
    def _on_ready(self, catalog: Catalog | None) -> None:
        self._ready = catalog is not None  # else it ended first: the window's own engine will do
        self.sig_ready.emit(catalog)

    def take(self) -> WarmLaunch | None:
        """The ready process for one run (then it is no longer this handle's), or None."""
        launch = self._launch
        if not self._ready or launch is None or launch.poll() is not None:
            return None
        self._launch = None
        return launch

    def dismiss(self) -> None:
        """No longer needed: end the process unless it has a run."""
        if self._launch is not None:
            self._launch.dismiss()
            self._launch = None
        self._reader.shutdown()
