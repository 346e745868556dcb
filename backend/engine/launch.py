"""Several processes under torchrun, started by TorchDesk itself (``torchdesk-cli train --nproc N``, the GUI).

The launcher runs ``python -m torch.distributed.run ... -m backend.cli <args>`` (in the frozen app: the
bundle's own executable in two hidden modes, ``FROZEN_TORCHRUN`` and ``FROZEN_CLI``) in a session of its
own, and shares a *launch folder* with its ranks, named in the ``TORCHDESK_LAUNCH_DIR`` environment variable:

- ``control``: ``run``, ``pause`` or ``stop``, written by the launcher, read by every rank
  (``LaunchControl``). The launcher touches it every second; a rank whose control file is gone or
  stale, or whose torchrun parent has died, stops as if asked (and saves a checkpoint): a launcher or a
  GUI that crashed leaves no training processes behind.
- ``events.jsonl``: rank 0's events, one JSON object a line (``EventFile``), tailed by the GUI.
- ``exit/rank<R>.json``: why a rank ended with a non-zero exit (``report_exit``): the launcher turns
  the first of them into its own error (an input error keeps its message and field).
- ``launcher.log``: the launcher's and the ranks' stderr (and stdout in the GUI), for the details.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backend.core import errors, messages
from backend.core.atomic import atomic_write_text
from backend.core.config import RunConfig, save_config
from backend.core.errors import ConfigError, TorchDeskError
from backend.core.paths import is_frozen
from backend.engine.control import TrainControl

ENV_LAUNCH_DIR = "TORCHDESK_LAUNCH_DIR"
FROZEN_TORCHRUN = "--torchdesk-torchrun"  # the frozen app acting as ``python -m torch.distributed.run``
FROZEN_CLI = "--torchdesk-cli"  # the frozen app acting as ``torchdesk-cli`` (each rank)
CONTROL, EVENTS, LOG, EXITS = "control", "events.jsonl", "launcher.log", "exit"
RUN, PAUSE, STOP = "run", "pause", "stop"
HEARTBEAT_S = 1.0  # the launcher touches the control file this often
STALE_S = 30.0  # a control file older than this: the launcher is gone (generous: a loaded machine stalls)
POLL_S = 0.2  # a rank reads the control file at most this often
TERMINATE_WAIT_S = 30.0  # after a SIGTERM, torchrun gets this long before it is killed
_ENDPOINT = re.compile(r"^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$")


@dataclass(frozen=True)
class LaunchPlan:
    """How many processes, on how many machines; ``gpus`` limits this machine to those GPUs."""

    nproc: int
    nnodes: int = 1
    node_rank: int = 0
    rdzv_endpoint: str = ""  # HOST:PORT of the machine with node rank 0 (several machines)
    gpus: tuple[int, ...] = ()  # CUDA_VISIBLE_DEVICES (empty: every GPU)

    @property
    def world(self) -> int:
        return self.nproc * self.nnodes

    def validate(self) -> None:
        if self.nproc < 1:
            raise ConfigError(messages.ERR_LAUNCH_NPROC.format(value=self.nproc))
        if self.nnodes < 1:
            raise ConfigError(messages.ERR_LAUNCH_NNODES.format(value=self.nnodes))
        if not 0 <= self.node_rank < self.nnodes:
            raise ConfigError(messages.ERR_LAUNCH_NODE_RANK.format(value=self.node_rank, last=self.nnodes - 1))
        if self.nnodes > 1 and not self.rdzv_endpoint:
            raise ConfigError(messages.ERR_LAUNCH_ENDPOINT_MISSING.format(nnodes=self.nnodes))
        if self.rdzv_endpoint:
            match = _ENDPOINT.match(self.rdzv_endpoint)
            if not match or not 0 < int(match.group(2)) < 65536:
                raise ConfigError(messages.ERR_LAUNCH_ENDPOINT.format(value=self.rdzv_endpoint))
        if self.gpus and len(self.gpus) < self.nproc:
            raise ConfigError(messages.ERR_LAUNCH_GPUS.format(nproc=self.nproc, count=len(self.gpus)))

    def check_gpus(self, device: str, gpu_count: int) -> None:
        """One process per GPU: refuse more processes than GPUs when the run trains on CUDA."""
        usable = len(self.gpus) or gpu_count
        if device != "cpu" and not device.startswith("mps") and gpu_count and self.nproc > usable:
            raise ConfigError(
                messages.ERR_LAUNCH_TOO_FEW_GPUS.format(nproc=self.nproc, count=usable), field="train.device"
            )


def torchrun_args(plan: LaunchPlan) -> list[str]:
    """torchrun's own options: one machine is ``--standalone``; several meet at node 0's endpoint, with
    the static rendezvous so that node rank 0 (which writes the run folder) is where the user says."""
    if plan.nnodes == 1 and not plan.rdzv_endpoint:
        nodes = ["--standalone"]
    else:
        nodes = [
            f"--nnodes={plan.nnodes}",
            f"--node-rank={plan.node_rank}",
            "--rdzv-backend=static",
            f"--rdzv-endpoint={plan.rdzv_endpoint}",
        ]
    return [*nodes, f"--nproc-per-node={plan.nproc}", "--max-restarts=0"]


def launcher_command(plan: LaunchPlan, cli_args: list[str]) -> list[str]:
    """The command that starts torchrun with ``torchdesk-cli <cli_args>`` as every rank."""
    if is_frozen():  # no Python interpreter in the bundle: its executable plays both parts
        runner = [sys.executable, FROZEN_TORCHRUN, *torchrun_args(plan), "--no-python", sys.executable, FROZEN_CLI]
        return [*runner, *cli_args]
    return [sys.executable, "-m", "torch.distributed.run", *torchrun_args(plan), "-m", "backend.cli", *cli_args]


def run_torchrun(argv: list[str]) -> int:
    """``python -m torch.distributed.run argv`` in this process (the frozen app's hidden mode)."""
    from torch.distributed.run import main as torchrun_main

    try:
        torchrun_main(argv)
    except Exception as exc:  # noqa: BLE001 - ChildFailedError and friends: the exit code is what counts
        sys.stderr.write(f"{type(exc).__name__}: {exc}\n")
        return 1
    return 0


# ----------------------------------------------------------------------------- the launcher's side
class Launch:
    """One launch: the launch folder, the torchrun process, and the launcher's view of the ranks."""

    def __init__(self, plan: LaunchPlan) -> None:
        self.plan = plan
        self.folder = Path(tempfile.mkdtemp(prefix="torchdesk-launch-"))
        self.process: subprocess.Popen | None = None
        self._state = RUN
        self._beat_at = 0.0
        self._events_pos = 0
        self._events_rest = b""
        (self.folder / EXITS).mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.folder / CONTROL, RUN)

    def write_config(self, config: RunConfig) -> Path:
        """The run's config as the ranks read it (paths already absolute: the ranks may resolve differently)."""
        path = self.folder / "config.toml"
        save_config(config, path)
        return path

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ if base is None else base)
        env[ENV_LAUNCH_DIR] = str(self.folder)
        env.setdefault("PYTHONUNBUFFERED", "1")  # rank 0's progress lines appear as they are printed
        if self.plan.gpus:
            env["CUDA_VISIBLE_DEVICES"] = ",".join(str(i) for i in self.plan.gpus)
        return env

    def start(self, cli_args: list[str], *, show_output: bool = False, show_errors: bool = False) -> None:
        """Start torchrun with ``torchdesk-cli cli_args`` as every rank, in a session (process group) of
        its own: a Ctrl-C meant for the launcher, or a signal to the GUI's group, does not reach it (stop()
        asks the ranks instead). ``show_output``/``show_errors``: the ranks' stdout/stderr go to this
        process's own, else to the launcher's log."""
        log = (self.folder / LOG).open("ab")
        kwargs: dict[str, Any] = {}
        if sys.platform == "win32":
            kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
        else:
            kwargs["start_new_session"] = True
        try:
            self.process = subprocess.Popen(
                launcher_command(self.plan, cli_args),
                env=self.env(),
                stdin=subprocess.DEVNULL,
                stdout=None if show_output else log,
                stderr=None if show_errors else log,
                **kwargs,
            )
        except OSError as exc:
            raise TorchDeskError(messages.ERR_LAUNCH_START.format(error=exc)) from exc
        finally:
            log.close()

    # -- control
    def _write_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            atomic_write_text(self.folder / CONTROL, state)

    def pause(self) -> None:
        if self._state == RUN:
            self._write_state(PAUSE)

    def resume(self) -> None:
        if self._state == PAUSE:
            self._write_state(RUN)

    def stop(self) -> None:
        """Every rank stops after its current step; rank 0 saves a checkpoint."""
        self._write_state(STOP)

    @property
    def stop_sent(self) -> bool:
        return self._state == STOP

    def poll(self) -> int | None:
        """The launcher's exit code, or None while it runs (and the heartbeat is kept)."""
        assert self.process is not None
        now = time.monotonic()
        if now >= self._beat_at:
            self._beat_at = now + HEARTBEAT_S
            with contextlib.suppress(OSError):
                os.utime(self.folder / CONTROL)
        return self.process.poll()

    def terminate(self, wait_s: float = TERMINATE_WAIT_S) -> int:
        """End the launcher now: SIGTERM (torchrun passes it to the ranks), SIGKILL after ``wait_s``."""
        assert self.process is not None
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.process.terminate()
            try:
                self.process.wait(wait_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def wait(
        self,
        *,
        on_events: Callable[[list[dict[str, Any]]], None] | None = None,
        on_tick: Callable[[], None] | None = None,
        poll_s: float = 0.05,
    ) -> int:
        """Until torchrun ends: keep the heartbeat, pass rank 0's new events on, call ``on_tick``."""
        while True:
            code = self.poll()
            if on_events is not None:
                events = self.new_events()
                if events:
                    on_events(events)
            if code is not None:
                return code
            if on_tick is not None:
                on_tick()
            time.sleep(poll_s)

    # -- what the ranks left
    def new_events(self) -> list[dict[str, Any]]:
        """Rank 0's events written since the last call (complete lines only)."""
        path = self.folder / EVENTS
        try:
            with path.open("rb") as fh:
                fh.seek(self._events_pos)
                chunk = fh.read()
        except OSError:
            return []
        self._events_pos += len(chunk)
        data = self._events_rest + chunk
        lines = data.split(b"\n")
        self._events_rest = lines.pop()
        return [json.loads(line) for line in lines if line.strip()]

    def rank_exits(self) -> list[dict[str, Any]]:
        """The non-zero exits the ranks reported, first one first."""
        found = []
        for path in (self.folder / EXITS).glob("rank*.json"):
            with contextlib.suppress(OSError, ValueError):
                found.append(json.loads(path.read_text(encoding="utf-8")))
        return sorted(found, key=lambda e: (e.get("time", 0.0), e.get("rank", 0)))

    def log_tail(self, lines: int = 12) -> str:
        try:
            text = (self.folder / LOG).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.rstrip().splitlines()[-lines:])

    def failure(self, code: int) -> tuple[int, BaseException | None]:
        """What a launcher's exit ``code`` means: (0, None) when the run ended normally (a stop included);
        (1, None) for a diverged run (its events told it); else the first failing rank's error:
        a TorchDeskError (its message and field) for bad input, a RankError otherwise."""
        if code == 0:
            return 0, None
        exits = self.rank_exits()
        for kind in ("input", "error"):
            for report in exits:
                if report.get("kind") == kind:
                    return (2 if kind == "input" else 1), rank_error(report)
        if any(report.get("kind") == "diverged" for report in exits):
            return 1, None
        return 1, RankError(messages.ERR_LAUNCH_CRASHED.format(code=code, log=self.folder / LOG))

    def close(self) -> None:
        """Remove the launch folder (the launcher has ended)."""
        shutil.rmtree(self.folder, ignore_errors=True)


class WarmLaunch(Launch):
    """One process started before its run is known, so that it imports PyTorch while the window is built
    (the GUI's first run: gui/warm_engine.py). The process is ``command`` with this launch folder; it
    sends one payload when it is ready, then waits for its ``torchdesk-cli`` arguments on stdin, or for
    the end of stdin: not needed, it removes the folder and ends (its side: ``receive_args``)."""

    def __init__(self, command: list[str]) -> None:
        super().__init__(LaunchPlan(nproc=1))
        log = (self.folder / LOG).open("ab")
        kwargs: dict[str, Any] = {}
        if sys.platform == "win32":
            kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
        else:
            kwargs["start_new_session"] = True  # as Launch.start: the window's Ctrl-C and signals stay out
        try:
            self.process = subprocess.Popen(
                command, env=self.env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, **kwargs
            )
        except OSError as exc:
            self.close()
            raise TorchDeskError(messages.ERR_LAUNCH_START.format(error=exc)) from exc
        finally:
            log.close()
        self.handed_over = False

    def read_ready(self) -> bytes | None:
        """Block until the process is ready: its payload, or None when it ended first."""
        assert self.process is not None and self.process.stdout is not None
        stream = self.process.stdout
        for line in iter(stream.readline, b""):
            if line.startswith(_READY):  # anything printed before it (a library's notice) is skipped
                payload = stream.read(int(line[len(_READY) :]))
                stream.close()
                return payload
        return None

    def start(self, cli_args: list[str], *, show_output: bool = False, show_errors: bool = False) -> None:
        """Hand the run's arguments to the waiting process (its output goes to the launcher's log)."""
        assert self.process is not None and self.process.stdin is not None
        atomic_write_text(self.folder / CONTROL, RUN)  # fresh: a control file left idle would read as stale
        self.handed_over = True
        try:
            self.process.stdin.write(json.dumps(cli_args).encode() + b"\n")
            self.process.stdin.close()
        except OSError:
            pass  # the process has ended: wait() returns its exit code and failure() says what happened

    def dismiss(self) -> None:
        """Not needed (the window's own PyTorch is ready, or the window closes): end the process if it
        has no run, and remove the folder."""
        if self.process is None or self.handed_over:
            return
        with contextlib.suppress(OSError):
            self.process.kill()
            self.process.wait(TERMINATE_WAIT_S)
        self.close()


_READY = b"TORCHDESK-READY "


def remove_launch_folder() -> None:
    """A warm process's last act when no window will read its launch folder any more."""
    folder = launch_folder()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def receive_args(payload: bytes) -> list[str] | None:
    """A warm process's side of ``WarmLaunch``: say it can train at once (``payload`` for the window), then
    wait for the run's ``torchdesk-cli`` arguments; None when the window does not need it (it has gone or
    closed stdin: the launch folder is removed). From then on its stdout goes to the launcher's log."""
    folder = launch_folder()
    try:
        out = sys.stdout.buffer
        out.write(_READY + str(len(payload)).encode() + b"\n" + payload)
        out.flush()
        line = sys.stdin.buffer.readline()
    except OSError:  # a broken pipe: the window has gone
        line = b""
    if not line.strip():
        remove_launch_folder()
        return None
    if folder is not None:
        sys.stdout.flush()
        log = os.open(folder / LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        os.dup2(log, sys.stdout.fileno())
        os.close(log)
    return [str(arg) for arg in json.loads(line)]


class RankError(RuntimeError):
    """A rank failed with an internal error (or crashed): its text, in the launcher."""


def rank_error(report: dict[str, Any]) -> BaseException:
    """The exception a rank's exit report stands for; ``rank``/``world`` say which one failed."""
    message = str(report.get("message", ""))
    if report.get("kind") == "input":
        cls = getattr(errors, str(report.get("error_class", "")), TorchDeskError)
        if not (isinstance(cls, type) and issubclass(cls, TorchDeskError)):
            cls = TorchDeskError
        exc: BaseException = cls(message, field=report.get("field") or None)
    else:
        exc = RankError(message)
    exc.rank = report.get("rank", 0)  # type: ignore[attr-defined]
    exc.world = report.get("world", 1)  # type: ignore[attr-defined]
    return exc


# ----------------------------------------------------------------------------- a rank's side
def launch_folder() -> Path | None:
    """The launch folder this rank shares with its TorchDesk launcher (None without one)."""
    value = os.environ.get(ENV_LAUNCH_DIR)
    return Path(value) if value else None


class LaunchControl(TrainControl):
    """A rank's stop and pause, read from the launcher's control file (at most every ``POLL_S``).

    A control file that is gone or older than ``STALE_S`` seconds, or a torchrun parent that has
    died (POSIX: this process was re-parented), counts as a stop: the rank ends cleanly on its own.
    """

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self._file = folder / CONTROL
        self._parent = os.getppid()
        self._next_read = 0.0

    def _read(self) -> None:
        now = time.monotonic()
        if now < self._next_read or self._stop.is_set():
            return
        self._next_read = now + POLL_S
        try:
            age = time.time() - self._file.stat().st_mtime
            state = self._file.read_text(encoding="utf-8").strip()
        except OSError:
            age, state = 0.0, STOP
        orphaned = sys.platform != "win32" and os.getppid() != self._parent
        if state == STOP or age > STALE_S or orphaned:
            super().request_stop()
        elif state == PAUSE:
            super().pause()
        else:
            super().resume()

    @property
    def stop_requested(self) -> bool:
        self._read()
        return super().stop_requested

    @property
    def paused(self) -> bool:
        self._read()
        return super().paused

    def wait_while_paused(self, poll_s: float = POLL_S) -> None:
        while self.paused and not self.stop_requested:
            time.sleep(poll_s)


class EventFile:
    """Rank 0's events as JSON lines in the launch folder, flushed one by one (the GUI tails them)."""

    def __init__(self, folder: Path) -> None:
        self._fh = (folder / EVENTS).open("a", encoding="utf-8")

    def __call__(self, event: dict[str, Any]) -> None:
        self._fh.write(json.dumps(event, allow_nan=True, default=str) + "\n")
        self._fh.flush()


def rank_args(
    config_path: Path, *, run_dir: str | None = None, overwrite: bool = False, resume_from: Path | None = None
) -> list[str]:
    """The ``torchdesk-cli`` command line every rank runs: ``train`` the launcher's saved config."""
    args = ["train", str(config_path)]
    if run_dir:
        args += ["--run-dir", str(run_dir)]
    if overwrite:
        args.append("--overwrite")
    if resume_from is not None:
        args += ["--resume-from", str(resume_from)]
    return args


def rank_event_sink(on_event: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    """``on_event``, and under a TorchDesk launch also the launch folder's events file (only rank 0
    emits events)."""
    folder = launch_folder()
    if folder is None or os.environ.get("RANK", "0") != "0":
        return on_event
    events = EventFile(folder)

    def both(event: dict[str, Any]) -> None:
        events(event)
        on_event(event)

    return both


def worker_control() -> TrainControl:
    """This process's control: the launcher's control file under a TorchDesk launch, else a plain one."""
    folder = launch_folder()
    return LaunchControl(folder) if folder is not None else TrainControl()


def report_exit(code: int, kind: str, exc: BaseException | None = None) -> None:
    """Tell the launcher why this rank ends with ``code`` (nothing for 0, or outside a launch).
    ``kind``: input (a TorchDeskError), error (anything else), diverged."""
    folder = launch_folder()
    if folder is None or code == 0:
        return
    rank = int(os.environ.get("RANK", "0"))
    report = {
        "rank": rank,
        "world": int(os.environ.get("WORLD_SIZE", "1")),
        "code": code,
        "kind": kind,
        "message": str(exc) if kind == "input" else (f"{type(exc).__name__}: {exc}" if exc else ""),
        "field": getattr(exc, "field", None),
        "error_class": type(exc).__name__ if exc is not None else "",
        "time": time.time(),
    }
    with contextlib.suppress(OSError, TorchDeskError):
        atomic_write_text(folder / EXITS / f"rank{rank}.json", json.dumps(report))
