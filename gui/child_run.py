"""A run in child processes from the window (torchrun, or the warm engine process), shown like a local run.

``ChildRunFit`` stands in for ``backend.engine.trainer.fit`` in ``gui.training_worker.TrainingRun``
(the same call, the same ``end`` event as its result), so the run reaches the GUI through the same
task, signals and plots. It runs in the task's thread: it starts the launcher
(``backend.engine.launch.Launch``), passes rank 0's events on as they are written, turns the task's
pause and stop into the launcher's control file, and raises the first failing rank's error.

No process outlives the run: the launcher runs in a session of its own and its ranks stop by
themselves when this process dies (its heartbeat stops) or their torchrun dies; a stop that is not
honoured within ``STOP_GRACE_S`` ends the launcher with SIGTERM, then SIGKILL.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STOP_GRACE_S = 120.0  # a rank finishes its step and rank 0 saves a checkpoint within this


class ChildRunFit:
    """``fit(config, control, on_event, ...)`` with the processes ``plan`` asks for (a LaunchPlan)."""

    def __init__(self, plan: Any, launch: Any = None) -> None:
        self.plan = plan
        self.launch = launch  # a WarmLaunch already started (else a new Launch of ``plan``)

    def __call__(
        self,
        config: Any,
        control: Any,
        on_event: Callable[[dict], None],
        *,
        run_dir: str | None = None,
        resume_from: str | None = None,
        on_data: Callable[[Any], None] | None = None,  # the dataset stays in the child processes
        overwrite: bool = False,
    ) -> dict:
        from backend.core.config import validate
        from backend.core.errors import TorchDeskError
        from backend.engine.launch import Launch, rank_args

        validate(config)
        if self.plan.nproc > 1:  # one process per GPU (one process needs no count, nor torch in this process)
            import torch

            self.plan.check_gpus(config.train.device, torch.cuda.device_count() if torch.cuda.is_available() else 0)
        launch = self.launch or Launch(self.plan)
        args = rank_args(
            launch.write_config(config),
            run_dir=run_dir,
            overwrite=overwrite,
            resume_from=Path(resume_from).resolve() if resume_from else None,
        )
        end: dict = {}
        stop_sent_at: list[float] = []

        def on_events(events: list[dict]) -> None:
            for event in events:
                if event.get("event") == "end":
                    end.update(event)
                on_event(event)

        def on_tick() -> None:
            if control.stop_requested:
                if not stop_sent_at:
                    launch.stop()
                    stop_sent_at.append(time.monotonic())
                elif time.monotonic() - stop_sent_at[0] > STOP_GRACE_S:
                    launch.terminate()
            elif control.paused:
                launch.pause()
            else:
                launch.resume()

        launch.start(args)
        try:
            code = launch.wait(on_events=on_events, on_tick=on_tick)
        except BaseException:
            launch.terminate()  # a bug in this process: the ranks must not go on alone
            raise
        _, error = launch.failure(code)
        if error is None or isinstance(error, TorchDeskError):
            launch.close()  # else it stays: its log, named in the message, holds the ranks' tracebacks
        if error is not None:
            raise error
        return end
