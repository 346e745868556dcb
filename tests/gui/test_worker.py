"""The training worker alone: throttled batches, failures reported, threads always waited for."""

from __future__ import annotations

import time

import pytest

from gui.training_worker import MAX_EMITS_PER_S

# "thread": a hang inside a Qt modal loop never returns to Python, so signals cannot end it.
pytestmark = pytest.mark.timeout(60, method="thread")


def _run(qtbot, controller, config=None):
    from backend.core.config import RunConfig

    with qtbot.waitSignal(controller.sig_finished, timeout=30_000):
        controller.start(config or RunConfig())
    assert not controller.is_running()


def test_events_are_batched_and_throttled(qtbot, recorded_controller):
    n_steps = 4000

    def fast_fit(config, control, on_event, **_kw):
        on_event({"event": "start", "epochs": 1, "steps_per_epoch": n_steps, "total_steps": n_steps, "elapsed_s": 0})
        for step in range(1, n_steps + 1):
            on_event({"event": "step", "epoch": 1, "step": step, "loss": 1.0 / step, "lr": 0.1, "elapsed_s": 0})
            time.sleep(0.0001)
        end = {"event": "end", "status": "completed", "run_dir": "/tmp/x", "elapsed_s": 0}
        on_event(end)
        return end

    controller, recorder = recorded_controller(fast_fit)
    started = time.monotonic()
    _run(qtbot, controller)
    duration = time.monotonic() - started
    assert len(recorder.events) == n_steps + 2
    assert [e["step"] for e in recorder.events if e["event"] == "step"] == list(range(1, n_steps + 1))
    assert len(recorder.batches) <= MAX_EMITS_PER_S * duration + 2
    assert len(recorder.batches) < n_steps / 10
    assert recorder.finished[-1]["status"] == "completed"
    assert recorder.failures == []


def test_unexpected_exception_is_reported_not_raised(qtbot, recorded_controller):
    def broken_fit(config, control, on_event, **_kw):
        on_event(
            {
                "event": "checkpoint",
                "kind": "last",
                "path": "/tmp/run/checkpoints/last.ckpt",
                "epoch": 1,
                "step": 3,
                "elapsed_s": 0,
            }
        )
        raise RuntimeError("CUDA out of memory (simulated)")

    controller, recorder = recorded_controller(broken_fit)
    _run(qtbot, controller)
    assert recorder.finished[-1]["status"] == "error"
    [failure] = recorder.failures
    assert "out of memory" in failure["message"]
    assert "Traceback" in failure["details"]
    assert failure["last_checkpoint"] == "/tmp/run/checkpoints/last.ckpt"


def test_nan_stop_is_reported_once(qtbot, recorded_controller):
    def nan_fit(config, control, on_event, **_kw):
        on_event(
            {
                "event": "nan",
                "message": "the training loss became nan",
                "last_checkpoint": "/tmp/last.ckpt",
                "elapsed_s": 0,
            }
        )
        end = {"event": "end", "status": "nan", "run_dir": "/tmp/run", "elapsed_s": 0}
        on_event(end)
        return end

    controller, recorder = recorded_controller(nan_fit)
    _run(qtbot, controller)
    assert recorder.finished[-1]["status"] == "diverged"  # the older name of the status reads as diverged
    [failure] = recorder.failures
    assert failure["kind"] == "diverged"
    assert failure["last_checkpoint"] == "/tmp/last.ckpt"


def test_shutdown_waits_for_a_running_thread(qtbot, recorded_controller):
    def slow_fit(config, control, on_event, **_kw):
        while not control.stop_requested:
            control.wait_while_paused()
            time.sleep(0.01)
        return {"event": "end", "status": "stopped"}

    controller, recorder = recorded_controller(slow_fit)
    from backend.core.config import RunConfig

    controller.start(RunConfig())
    qtbot.wait(100)
    assert controller.is_running()
    controller.shutdown()
    assert not controller.is_running()
    assert controller.state == "idle"
    qtbot.wait(50)  # signals still queued from the ended run are dropped, not delivered twice
    assert len(recorder.finished) <= 1
