"""A run folder belongs to one run, is locked while written, and OS errors are messages (issue 10, B).

Covers: --run-dir into a folder holding a run (refused; --overwrite moves it aside), two writers
(the second refused naming the holder's PID), a lock left by a killed process (taken over), a
--run-dir that is a file, --out that is a folder (or a file where a folder is needed), read-only
and full disks (the previous checkpoint intact, no temporary file left), a folder given to
predict, and a Ctrl-C during shutdown.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from backend.cli.main import main
from backend.core.atomic import atomic_write_text
from backend.core.config import RunConfig, apply_overrides, save_config
from backend.core.errors import StorageError
from backend.core.os_errors import storage_error
from backend.engine.trainer import fit
from backend.store.run_lock import LOCK_FILE, RunLock
from backend.store.runs import read_metrics

pytestmark = pytest.mark.timeout(240)
ROOT = Path(__file__).resolve().parents[2]
IRIS = ["data.name='iris'", "model.hidden_sizes=[8]", "data.batch_size=16", "train.device='cpu'"]
# A tiny process that takes a run folder's lock, says so, and waits to be killed.
LOCKER = """
import sys, time
from pathlib import Path
from backend.store.run_lock import RunLock
RunLock.acquire(Path(sys.argv[1]))
print("locked", flush=True)
time.sleep(600)
"""


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def _config(tmp_path: Path, epochs: int = 1, *extra: str) -> Path:
    cfg = apply_overrides(RunConfig(name="trust-runs"), [*IRIS, f"train.epochs={epochs}", *extra])
    cfg.train.runs_dir = str(tmp_path / "runs")
    path = tmp_path / "config.toml"
    save_config(cfg, path)
    return path


def _error_line(capsys: pytest.CaptureFixture) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("torchdesk-cli: error: "), err
    return lines[0]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _no_temporary_files(folder: Path) -> None:
    assert not [p.name for p in folder.rglob("*") if p.name.endswith(".tmp")]


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("finished")
    run = tmp / "run"
    assert main(["train", str(_config(tmp)), "--run-dir", str(run)]) == 0
    return run


@pytest.fixture
def run_copy(finished_run: Path, tmp_path: Path) -> Path:
    run = tmp_path / "run"
    shutil.copytree(finished_run, run)
    return run


def _locker(folder: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", LOCKER, str(folder)], env=_env(), stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


# --------------------------------------------------------------------------- a run is never overwritten
def test_train_into_a_finished_run_is_refused(run_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    before = _snapshot(run_copy)
    assert main(["train", str(_config(tmp_path)), "--run-dir", str(run_copy)]) == 2
    line = _error_line(capsys)
    assert f"{run_copy} already holds a run" in line
    assert f"torchdesk-cli resume {run_copy}" in line and "fresh folder" in line
    assert _snapshot(run_copy) == before  # nothing rewritten, no lock left behind
    with pytest.raises(StorageError, match="already holds a run"):
        fit(apply_overrides(RunConfig(name="api"), IRIS), run_dir=run_copy)
    assert _snapshot(run_copy) == before


def test_a_run_without_checkpoint_is_refused_and_overwrite_moves_it_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    run = tmp_path / "run"
    run.mkdir()
    (run / "metrics.jsonl").write_text('{"event": "start"}\n')
    (run / "config.toml").write_text('name = "killed"\n')
    before = _snapshot(run)
    config = _config(tmp_path)
    assert main(["train", str(config), "--run-dir", str(run)]) == 2
    line = _error_line(capsys)
    assert "wrote no checkpoint" in line and "--overwrite" in line and "resume" not in line
    assert _snapshot(run) == before

    assert main(["train", str(config), "--run-dir", str(run), "--overwrite"]) == 0
    out = capsys.readouterr().out
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("run.old-")]
    assert len(aside) == 1 and _snapshot(aside[0]) == before, "the old run is moved, never deleted"
    assert f"note: the run that was in {run} was moved to {aside[0]}" in out
    assert (run / "checkpoints" / "last.ckpt").is_file()


def test_an_empty_folder_is_fine_and_overwrite_needs_a_run_dir(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    config = _config(tmp_path)
    assert main(["train", str(config), "--overwrite"]) == 2
    assert "--overwrite goes with --run-dir" in _error_line(capsys)
    run = tmp_path / "empty"
    run.mkdir()
    assert main(["train", str(config), "--run-dir", str(run)]) == 0
    assert (run / "model.safetensors").is_file() and not (run / LOCK_FILE).exists()


# --------------------------------------------------------------------------- the lock
def test_lock_refuses_a_live_holder_and_takes_over_from_a_killed_one(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    folder.mkdir()
    holder = _locker(folder)
    try:
        with pytest.raises(StorageError, match=rf"in use by another training process \(PID {holder.pid} "):
            RunLock.acquire(folder)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    assert json.loads((folder / LOCK_FILE).read_text())["pid"] == holder.pid  # left behind by the kill
    lock = RunLock.acquire(folder)
    assert lock.stale_note is not None and f"left by PID {holder.pid}" in lock.stale_note
    with pytest.raises(StorageError, match=rf"PID {os.getpid()} "):  # a second writer in this process too
        RunLock.acquire(folder)
    lock.release()
    lock.release()
    assert not (folder / LOCK_FILE).exists()
    again = RunLock.acquire(folder)
    assert again.stale_note is None  # a released lock leaves nothing stale
    again.release()


def test_resume_takes_over_the_lock_of_a_killed_process(run_copy: Path, capsys: pytest.CaptureFixture) -> None:
    holder = _locker(run_copy)
    assert main(["resume", str(run_copy), "--set", "train.epochs=2"]) == 2
    assert f"in use by another training process (PID {holder.pid} on " in _error_line(capsys)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    assert main(["resume", str(run_copy), "--set", "train.epochs=2"]) == 0
    assert f"note: took over the lock of {run_copy} left by PID {holder.pid}" in capsys.readouterr().out
    assert [e["epoch"] for e in read_metrics(run_copy) if e["event"] == "epoch"] == [1, 2]
    assert not (run_copy / LOCK_FILE).exists()


def test_two_clis_into_one_folder_the_second_is_refused(tmp_path: Path) -> None:
    config = _config(tmp_path, 500)
    run = tmp_path / "run"
    cmd = [sys.executable, "-m", "backend.cli", "train", str(config), "--run-dir", str(run)]
    procs = [subprocess.Popen(cmd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
    time.sleep(0.3)
    procs.append(subprocess.Popen(cmd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    try:
        deadline = time.monotonic() + 120
        while all(p.poll() is None for p in procs) and time.monotonic() < deadline:
            time.sleep(0.1)
        loser = next(p for p in procs if p.poll() is not None)
        winner = next(p for p in procs if p is not loser)
        _, err = loser.communicate()
        assert loser.returncode == 2, err
        assert f"torchdesk-cli: error: {run} is in use by another training process (PID {winner.pid} " in err
        assert "Traceback" not in err
        while not (run / "checkpoints" / "last.ckpt").exists() and winner.poll() is None:
            time.sleep(0.1)
        winner.send_signal(signal.SIGINT)
        winner.communicate(timeout=60)
        assert winner.returncode == 130
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    events = read_metrics(run)
    assert sum(e["event"] == "start" for e in events) == 1, "one run's events only"
    assert events[-1]["event"] == "end" and events[-1]["status"] == "stopped"


# --------------------------------------------------------------------------- paths of the wrong kind
def test_run_dir_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("keep me")
    for run_dir in (blocker, blocker / "run"):
        assert main(["train", str(_config(tmp_path)), "--run-dir", str(run_dir)]) == 2
        assert f"{blocker} is a file, not a folder" in _error_line(capsys)
    assert blocker.read_text() == "keep me"
    # the same for a train.runs_dir that is a file (a new timestamped folder under it)
    assert main(["train", str(_config(tmp_path)), "--set", f"train.runs_dir='{blocker}'"]) == 2
    assert f"{blocker} is a file, not a folder" in _error_line(capsys)


def test_outputs_of_the_wrong_kind_are_refused_before_the_work(
    finished_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "keep.txt").write_text("x")
    blocker = tmp_path / "file.txt"
    blocker.write_text("keep me")
    model = str(finished_run)
    cases = [
        (["save", model, "--format", "pth", "--out", str(folder)], f"{folder} is a folder: give a file path"),
        (["save", model, "--format", "safetensors", "--out", str(blocker / "m.safetensors")], f"{blocker} is a file"),
        (["export", model, "--format", "pt2", "--out", str(folder)], f"{folder} is a folder"),
        (["export", model, "--format", "pt2", "--report", str(folder)], f"{folder} is a folder"),
        (["evaluate", model, "--csv", str(folder)], f"{folder} is a folder"),
        (["quantize", model, "--method", "fp16", "--out", str(folder)], f"{folder} is a folder"),
        (["quantize", model, "--method", "all", "--out", str(blocker)], f"{blocker} is a file, not a folder"),
    ]
    lines = []
    for argv, expected in cases:
        assert main(argv) == 2, argv
        lines.append(_error_line(capsys))
        assert expected in lines[-1], (argv, lines[-1])
    assert f"for example {folder}{os.sep}trust-runs-pth-" in lines[0]  # the name it would get by default
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt"] and blocker.read_text() == "keep me"


def test_predict_on_a_folder_says_it_is_a_folder(finished_run: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "rows"
    folder.mkdir()
    assert main(["predict", str(finished_run), str(folder)]) == 2
    line = _error_line(capsys)
    assert f"{folder}: a folder, not a file; give the image or CSV files inside it" in line
    assert str(folder / "*.csv") in line
    assert main(["predict", str(finished_run), str(tmp_path / "missing.csv")]) == 2
    assert "file not found" in _error_line(capsys)


# --------------------------------------------------------------------------- read-only and full disks
@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (errno.ENOSPC, "the disk holding {path} is full: free some space"),
        (errno.EROFS, "{path} is on a read-only file system"),
        (errno.EACCES, "no permission to write {path}"),
        (errno.EISDIR, "{path} is a folder, not a file"),
        (errno.ENAMETOOLONG, "a name in {path} is too long"),
        (errno.EIO, "cannot write {path} ("),
    ],
)
def test_os_errors_become_messages(tmp_path: Path, code: int, expected: str) -> None:
    path = tmp_path / "model.pth"
    error = storage_error(OSError(code, os.strerror(code)), path)
    assert isinstance(error, StorageError) and expected.format(path=path) in str(error)
    # torch.save reports a failed write as "unexpected pos", with the OSError as its context
    try:
        try:
            raise OSError(code, os.strerror(code))
        except OSError:
            raise RuntimeError("[enforce fail at inline_container.cc:672] . unexpected pos 8576 vs 8470") from None
    except RuntimeError as wrapped:
        wrapped.__context__ = OSError(code, os.strerror(code))
        assert str(storage_error(wrapped, path)) == str(error)
    assert storage_error(RuntimeError("a model problem"), path) is None
    assert storage_error(ValueError("not an OS error"), path) is None


def test_a_failed_atomic_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "config.toml"
    atomic_write_text(path, "old")

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StorageError, match=f"the disk holding {path} is full"):
        atomic_write_text(path, "new")
    assert path.read_text() == "old"
    _no_temporary_files(tmp_path)


def _read_only(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Writes under ``folder`` fail as on a read-only mount (chmod does not stop root)."""
    real_open = os.open

    def fake_open(path, flags, *args, **kwargs):  # noqa: ANN001, ANN202
        if Path(path).resolve().is_relative_to(folder.resolve()) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)


def test_resume_in_a_read_only_run_folder(
    run_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    before = _snapshot(run_copy)
    _read_only(monkeypatch, run_copy)
    assert main(["resume", str(run_copy), "--set", "train.epochs=2"]) == 2
    assert f"{run_copy} is on a read-only file system: choose a folder on a writable disk" in _error_line(capsys)
    exports = run_copy / "exports"
    assert main(["save", str(run_copy), "--format", "pth"]) == 2  # the default output is <run>/exports/
    assert f"{exports}{os.sep}" in _error_line(capsys)
    monkeypatch.undo()
    assert _snapshot(run_copy) == before


class _FillingDisk:
    """A file object whose writes fail with ENOSPC once ``full["now"]`` is set."""

    def __init__(self, fh, full: dict[str, bool]) -> None:  # noqa: ANN001
        self._fh, self._full = fh, full

    def write(self, data):  # noqa: ANN001, ANN201
        if self._full["now"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self._fh.write(data)

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._fh, name)

    def __enter__(self):  # noqa: ANN204
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()


@pytest.mark.parametrize("failing", ["checkpoint", "metrics"])
def test_disk_full_during_training_names_the_intact_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """The disk fills up after epoch 1: the next checkpoint (torch.save says 'unexpected pos') or
    metrics line fails half-way through the run."""
    import backend.core.atomic
    import backend.store.runs

    run = tmp_path / "run"
    last = run / "checkpoints" / "last.ckpt"
    full = {"now": False}
    if failing == "checkpoint":
        real_fdopen = os.fdopen
        monkeypatch.setattr(backend.core.atomic.os, "fdopen", lambda *a, **k: _FillingDisk(real_fdopen(*a, **k), full))
    else:
        real_init = backend.store.runs.MetricsWriter.__init__

        def init(self, *args, **kwargs) -> None:  # noqa: ANN001
            real_init(self, *args, **kwargs)
            self._fh = _FillingDisk(self._fh, full)

        monkeypatch.setattr(backend.store.runs.MetricsWriter, "__init__", init)
    events: list[dict] = []

    def on_event(event: dict) -> None:
        events.append(event)
        if event["event"] == "checkpoint" and event["kind"] == "best":
            full["now"] = True

    config = apply_overrides(RunConfig(name="full"), [*IRIS, "train.epochs=3"])
    with pytest.raises(StorageError) as caught:
        fit(config, on_event=on_event, run_dir=run)
    message = str(caught.value)
    target = last if failing == "checkpoint" else run / "metrics.jsonl"
    assert message.startswith(f"the disk holding {target} is full: free some space"), message
    assert f"its last good checkpoint {last} is intact: resume from it" in message
    assert events[-1]["event"] == "error" and events[-1]["message"] == message
    assert torch.load(last, weights_only=True)["progress"]["epoch"] == 1  # epoch 1's, readable
    _no_temporary_files(run)
    assert not (run / LOCK_FILE).exists()
    monkeypatch.undo()
    end = fit(config, resume_from=last)  # room again: the run continues from it
    assert end["status"] == "completed" and end["epochs_done"] == 3


def _mount_tmpfs(folder: Path, size: str) -> bool:
    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("mount"):
        return False
    folder.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    return result.returncode == 0


def test_a_really_full_disk(tmp_path: Path) -> None:
    """On a 120 KiB tmpfs (root on Linux only) the first checkpoint does not fit: exit 2, no internal error."""
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "120k"):
        pytest.skip("needs root and tmpfs to make a small disk")
    try:
        config = _config(tmp_path, 2, "model.hidden_sizes=[256, 64]")
        result = subprocess.run(
            [sys.executable, "-m", "backend.cli", "train", str(config), "--run-dir", str(disk / "run")],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(f"torchdesk-cli: error: the disk holding {disk / 'run'}"), result.stderr
        assert "is full" in result.stderr and "unexpected pos" not in result.stderr
        _no_temporary_files(disk)
        assert not (disk / "run" / LOCK_FILE).exists()
    finally:
        subprocess.run(["umount", str(disk)], check=False)


# --------------------------------------------------------------------------- Ctrl-C during shutdown
def test_ctrl_c_during_shutdown_quits_quietly(tmp_path: Path) -> None:
    config = _config(tmp_path, 500)
    run = tmp_path / "run"
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend.cli", "train", str(config), "--run-dir", str(run)],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in proc.stdout:
            if line.startswith("epoch 1 "):
                proc.send_signal(signal.SIGINT)  # stop and save
            if line.startswith("stopped after"):
                break
        while proc.poll() is None:  # keep pressing Ctrl-C while the process shuts down
            proc.send_signal(signal.SIGINT)
            time.sleep(0.005)
        err = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    assert proc.returncode in (130, -signal.SIGINT), err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert torch.load(run / "checkpoints" / "last.ckpt", weights_only=True)["progress"]["epoch"] >= 1
