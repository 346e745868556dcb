"""The background-task primitive: progress, partial results, cancel, pause, errors, stale calls, waiting."""

from __future__ import annotations

import threading
import time
import weakref

import pytest
from PySide6.QtCore import QObject, Slot

from gui.tasks import MAX_EMITS_PER_S, Task

pytestmark = pytest.mark.timeout(60, method="thread")


class Recorder(QObject):
    """Receives a task's signals in the GUI thread, as an owner does."""

    def __init__(self, task: Task) -> None:
        super().__init__()
        self.progress: list[tuple[float, str]] = []
        self.partials: list[list] = []
        self.results: list[object] = []
        self.failures: list[tuple[object, str]] = []
        self.cancelled = 0
        self.finished = 0
        task.sig_progress.connect(self.on_progress)
        task.sig_partial.connect(self.on_partial)
        task.sig_result.connect(self.on_result)
        task.sig_failed.connect(self.on_failed)
        task.sig_cancelled.connect(self.on_cancelled)
        task.sig_finished.connect(self.on_finished)

    @Slot(float, str)
    def on_progress(self, fraction: float, text: str) -> None:
        self.progress.append((fraction, text))

    @Slot(list)
    def on_partial(self, batch: list) -> None:
        self.partials.append(batch)

    @Slot(object)
    def on_result(self, value: object) -> None:
        self.results.append(value)

    @Slot(object, str)
    def on_failed(self, message: object, details: str) -> None:
        self.failures.append((message, details))

    @Slot()
    def on_cancelled(self) -> None:
        self.cancelled += 1

    @Slot()
    def on_finished(self) -> None:
        self.finished += 1


@pytest.fixture
def task():
    task = Task(name="Test")
    yield task
    task.shutdown()


def test_result_progress_and_batched_partials(qtbot, task):
    recorder = Recorder(task)
    n = 3000

    def work(state, count):  # noqa: ANN001, ANN202
        for i in range(count):
            state.report_progress(i / count, "counting")
            state.report_partial(i)
            time.sleep(0.0001)
        state.report_progress(1.0, "done")
        return "all"

    started = time.monotonic()
    with qtbot.waitSignal(task.sig_finished, timeout=30_000):
        task.start(work, n)
    duration = time.monotonic() - started
    assert not task.is_running()
    assert recorder.results == ["all"] and recorder.finished == 1
    assert [i for batch in recorder.partials for i in batch] == list(range(n))
    assert len(recorder.partials) <= MAX_EMITS_PER_S * duration + 2
    assert recorder.progress[-1] == (1.0, "done")
    assert len(recorder.progress) <= MAX_EMITS_PER_S * duration + 2


def test_failure_carries_the_message_object(qtbot, task):
    from backend.core.errors import ConfigError
    from backend.core.message_text import Message, Template

    recorder = Recorder(task)
    template = Template("The value {value} is too big.")

    def fail(state):  # noqa: ANN001, ANN202
        raise ConfigError(template.format(value=7), field="optim.lr")

    with qtbot.waitSignal(task.sig_finished, timeout=10_000):
        task.start(fail)
    [(message, details)] = recorder.failures
    assert isinstance(message, Message) and message.template is template
    assert "ConfigError" in details and "Traceback" in details
    assert isinstance(task.last_error, ConfigError) and task.last_error.field == "optim.lr"
    assert recorder.results == [] and recorder.finished == 1


def test_a_bug_is_reported_with_its_type(qtbot, task):
    recorder = Recorder(task)
    with qtbot.waitSignal(task.sig_finished, timeout=10_000):
        task.start(lambda state: 1 / 0)
    assert recorder.failures[0][0] == "ZeroDivisionError: division by zero"


def test_cancel_while_paused(qtbot, task):
    recorder = Recorder(task)
    steps: list[int] = []
    paused_seen = threading.Event()

    def loop(state):  # noqa: ANN001, ANN202
        i = 0
        while True:
            state.check()
            if state.paused:
                paused_seen.set()
            state.wait_while_paused(0.01)
            steps.append(i)
            i += 1
            time.sleep(0.001)

    task.start(loop)
    qtbot.waitUntil(lambda: len(steps) > 5, timeout=10_000)
    task.pause()
    assert paused_seen.wait(5)
    count = len(steps)
    qtbot.wait(100)
    assert len(steps) <= count + 1  # at most the step that was under way
    task.resume()
    qtbot.waitUntil(lambda: len(steps) > count + 5, timeout=10_000)
    task.pause()
    with qtbot.waitSignal(task.sig_finished, timeout=10_000):
        task.cancel()  # wakes the paused call so that it sees the cancel
    assert recorder.cancelled == 1 and recorder.results == [] and recorder.failures == []


def test_partials_are_flushed_before_a_pause_blocks(qtbot, task):
    recorder = Recorder(task)
    blocked = threading.Event()

    def work(state):  # noqa: ANN001, ANN202
        state.report_partial("first")  # sent at once (first of the interval)
        state.report_partial("held back")
        while not state.paused and not state.cancelled:
            time.sleep(0.001)
        blocked.set()
        state.wait_while_paused(0.01)
        return "ok"

    task.start(work)
    qtbot.waitUntil(lambda: bool(recorder.partials), timeout=5_000)
    task.pause()
    assert blocked.wait(5)
    qtbot.waitUntil(lambda: [i for b in recorder.partials for i in b] == ["first", "held back"], timeout=5_000)
    with qtbot.waitSignal(task.sig_finished, timeout=10_000):
        task.resume()
    assert recorder.results == ["ok"]


def test_a_new_start_supersedes_the_running_call(qtbot, task):
    recorder = Recorder(task)
    first_running = threading.Event()
    overlap: list[bool] = []
    active = threading.Lock()

    def slow(state, name):  # noqa: ANN001, ANN202
        overlap.append(not active.acquire(blocking=False))
        try:
            first_running.set()
            state.report_progress(0.5, name)
            state.report_partial(name)
            while not state.cancelled and name == "old":
                time.sleep(0.005)
            return name  # returns even when cancelled: a superseded result must be dropped
        finally:
            active.release()

    task.start(slow, "old")
    assert first_running.wait(5)
    with qtbot.waitSignal(task.sig_finished, timeout=10_000):
        task.start(slow, "new")
        assert task.is_running()
    assert recorder.results == ["new"] and recorder.finished == 1 and recorder.cancelled == 0
    assert all(text == "new" for _, text in recorder.progress)
    assert [i for b in recorder.partials for i in b] == ["new"]
    assert overlap == [False, False], "calls never run at the same time"


def test_shutdown_waits_and_drops_what_is_left(qtbot, task):
    recorder = Recorder(task)
    running = threading.Event()
    ended = threading.Event()

    def endless(state):  # noqa: ANN001, ANN202
        running.set()
        while not state.cancelled:
            state.report_partial(1)
            time.sleep(0.001)
        time.sleep(0.2)  # ending takes a while: shutdown must wait for it
        ended.set()
        return "late"

    task.start(endless)
    assert running.wait(5)
    assert task.shutdown()
    assert ended.is_set() and not task.is_running()
    qtbot.wait(100)  # queued signals of that call are delivered now, and dropped
    assert recorder.results == [] and recorder.finished == 0


def test_shutdown_with_a_timeout_reports_a_call_still_running(qtbot, task):
    release = threading.Event()
    task.start(lambda state: release.wait(10))
    assert task.shutdown(timeout_ms=50) is False
    release.set()
    assert task.shutdown()


def test_a_finished_worker_is_freed_without_the_collector(qtbot, task):
    workers: list[weakref.ref] = []
    for fn in (lambda state: state, lambda state: 1 / 0):
        with qtbot.waitSignal(task.sig_finished, timeout=10_000):
            task.start(fn)
            workers.append(weakref.ref(task._worker))
        task.last_error = None
    assert [w() for w in workers] == [None, None], "no reference cycle keeps a worker alive"


def test_train_control_protocol(qtbot, task):
    seen: dict = {}

    def fit_like(state):  # noqa: ANN001, ANN202
        state.wait_while_paused()
        seen["stop"] = state.stop_requested
        return "done"

    with qtbot.waitSignal(task.sig_result, timeout=10_000):
        task.start(fit_like)
    assert seen == {"stop": False}


def test_discard_drops_everything_the_call_still_sends(qtbot, task):
    recorder = Recorder(task)
    running = threading.Event()

    def answer(state):  # noqa: ANN001, ANN202
        running.set()
        while not state.cancelled:
            time.sleep(0.001)
        state.report_partial("late")
        return "not wanted"

    task.start(answer)
    assert running.wait(5)
    task.discard()
    assert not task.is_running()
    assert task.wait(5_000)
    qtbot.wait(100)
    assert (recorder.partials, recorder.results, recorder.cancelled, recorder.finished) == ([], [], 0, 0)
    with qtbot.waitSignal(task.sig_result, timeout=5_000):  # the task is usable again
        task.start(lambda state: "next")
    assert recorder.results == ["next"]


def test_the_engine_hooks_report_progress_and_cancel(qtbot, task):
    recorder = Recorder(task)
    running = threading.Event()

    def export_like(state):  # noqa: ANN001, ANN202
        hooks = state.hooks()
        hooks.step(0.1, "writing")
        running.set()
        while True:
            hooks.step(0.5, "writing")  # raises Cancelled once the owner cancels
            time.sleep(0.001)

    task.start(export_like)
    assert running.wait(5)
    with qtbot.waitSignal(task.sig_finished, timeout=10_000):
        task.cancel()
    assert recorder.cancelled == 1 and recorder.progress[0] == (0.1, "writing")
