"""Python's cyclic garbage collector, run only in the GUI thread.

Left automatic, the collector runs in whichever thread happens to allocate when a threshold
is crossed: the training thread, the inspector thread or a pool thread. A Qt object caught in
a reference cycle (a finished worker, a closed dialog) is then destroyed in that thread, while
the GUI thread uses Qt at the same moment; that can crash or deadlock the process (pyqtgraph
and PyQt applications disable automatic collection for the same reason). Here it is switched
off and a GUI-thread timer collects with the interpreter's own thresholds instead.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500
_startup_frozen = False


class MainThreadCollector(QObject):
    """Owns the timer; ``uninstall`` gives collection back to the interpreter."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> int:
        """Collect the generations whose counts passed their thresholds, as the interpreter would."""
        counts = gc.get_count()
        generation = -1
        for g in range(3):
            if counts[g] <= self._thresholds[g]:
                break
            generation = g
        return gc.collect(generation) if generation >= 0 else 0

    def uninstall(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()


def install(app: QObject) -> MainThreadCollector:
    """Collect garbage only in the thread of ``app`` (the GUI thread) from now on."""
    existing = app.findChild(MainThreadCollector)
    return existing if existing is not None else MainThreadCollector(app)


def freeze_startup_objects() -> None:
    """Keep what start-up created (torch, torchvision, the registries: ~400,000 objects) out of
    every later collection, once per process: a full collection in the GUI thread then takes
    milliseconds instead of half a second."""
    global _startup_frozen
    if not _startup_frozen:
        gc.freeze()
        _startup_frozen = True


def freeze_window_objects() -> None:
    """Before the main window is first shown: it lives as long as the app, so the GUI thread's
    collections need not walk its objects (tens of thousands) again."""
    gc.freeze()
