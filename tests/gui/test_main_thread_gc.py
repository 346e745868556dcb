"""Cyclic garbage is collected in the GUI thread only, never in a training or helper thread."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest
from PySide6.QtCore import QObject, QThread

pytestmark = pytest.mark.timeout(60, method="thread")


class _Cycle:
    """An object in a reference cycle that records the thread which frees it."""

    freed_in: list[str] = []

    def __init__(self) -> None:
        self.me = self
        self.qt = QObject()  # a Qt object, as in a finished worker or a closed dialog

    def __del__(self) -> None:
        _Cycle.freed_in.append(threading.current_thread().name)


def test_automatic_collection_is_off_and_the_gui_thread_collects(gui_thread_garbage_collection, qtbot):
    assert not gc.isenabled()
    _Cycle.freed_in.clear()

    class Allocator(QThread):
        def run(self) -> None:
            for _ in range(5000):  # far past the generation-0 threshold
                _Cycle()

    thread = Allocator()
    thread.start()
    assert thread.wait(30_000)
    assert _Cycle.freed_in == [], "nothing is collected in the allocating thread"
    qtbot.waitUntil(lambda: len(_Cycle.freed_in) == 5000, timeout=10_000)
    assert set(_Cycle.freed_in) == {threading.main_thread().name}


def test_collect_due_follows_the_thresholds(gui_thread_garbage_collection):
    gc.collect()
    assert gui_thread_garbage_collection.collect_due() == 0  # nothing is due right after a collection
    for _ in range(gc.get_threshold()[0] + 10):
        _Cycle()
    _Cycle.freed_in.clear()
    assert gui_thread_garbage_collection.collect_due() > 0
    assert _Cycle.freed_in


def test_a_finished_training_worker_is_freed_without_the_collector(qtbot):
    from gui.run_controller import RunController

    controller = RunController()
    workers: list[weakref.ref] = []

    def fake_fit(config, control, on_event, **kwargs):  # noqa: ANN001, ANN202
        control.wait_while_paused()
        on_event({"event": "end", "status": "completed"})
        return {}

    controller.fit_override = fake_fit
    with qtbot.waitSignal(controller.sig_finished, timeout=10_000):
        controller.start(object())
        workers.append(weakref.ref(controller._task._worker))
    assert workers[0]() is None, "no reference cycle keeps the worker alive until a collection"


def test_start_up_objects_are_left_out_of_later_collections(window):
    # torch, torchvision and the registries are imported once the catalogue is set: a full
    # collection in the GUI thread must not walk them again (it took about 0.5 s).
    assert window.catalog is not None
    assert gc.get_freeze_count() > 50_000
