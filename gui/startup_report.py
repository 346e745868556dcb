"""Start-up as a user meets it, for tests/benchmarks/bench_gui_latency.py (``TORCHDESK_REPORT_READY=1``).

Prints, in seconds since the operating system started the process:
``TORCHDESK_SHOWN`` the first event-loop turn with the window exposed (its first real paint),
``TORCHDESK_IMPORT_START`` when the engine starts loading, ``TORCHDESK_READY`` when Start trains
at once (in the warm engine process, gui/warm_engine.py), ``TORCHDESK_LOADED`` when this process
has imported torch too, and ``TORCHDESK_GAPS`` the event loop's lateness from the first paint to
then (a 10 ms timer: p99 and max, in ms). Then the application quits.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QObject, Qt, QTimer, Slot

from gui.process_clock import seconds_since_process_start

ENV = "TORCHDESK_REPORT_READY"
PROBE_MS = 10


def requested() -> bool:
    return bool(os.environ.get(ENV))


def _say(key: str, value: str) -> None:
    sys.stdout.write(f"{key} {value}\n")
    sys.stdout.flush()


class StartupReport(QObject):
    """Probes the event loop from the first paint until the engine is ready, then quits."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._late: list[float] = []
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(PROBE_MS)
        self._timer.timeout.connect(self._probe)

    def shown(self) -> None:
        _say("TORCHDESK_SHOWN", f"{seconds_since_process_start():.3f}")
        self._clock.start()
        self._last = 0
        self._timer.start()

    def import_started(self) -> None:
        _say("TORCHDESK_IMPORT_START", f"{seconds_since_process_start():.3f}")

    @Slot()
    def _probe(self) -> None:
        now = self._clock.nsecsElapsed()
        self._late.append(max(0.0, (now - self._last) / 1e6 - PROBE_MS))
        self._last = now

    @Slot()
    def ready(self) -> None:
        _say("TORCHDESK_READY", f"{seconds_since_process_start():.3f}")

    @Slot()
    def loaded(self) -> None:
        _say("TORCHDESK_LOADED", f"{seconds_since_process_start():.3f}")
        self._timer.stop()
        late = sorted(self._late) or [0.0]
        p99 = late[min(len(late) - 1, int(0.99 * len(late)))]
        _say("TORCHDESK_GAPS", f"p99={p99:.1f} max={late[-1]:.1f} probes={len(self._late)}")
        QCoreApplication.quit()
