"""The crash log, the ``--self-test`` routine in-process, and (slow) the built bundle's self-test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from gui import crash_log

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "TorchDesk" / ("TorchDesk.exe" if sys.platform == "win32" else "TorchDesk")


@pytest.fixture
def log_home(monkeypatch, tmp_path):
    """Logs go to a temporary XDG state folder; faulthandler is left to pytest."""
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(crash_log, "faulthandler", SimpleNamespace(enable=lambda *a: None, disable=lambda: None))
    shown: list[tuple[str, str, str]] = []
    monkeypatch.setattr(crash_log, "show_dialog", lambda summary, details, path: shown.append((summary, details, path)))
    yield tmp_path / "state" / "torchdesk" / "logs", shown
    crash_log.uninstall()


def _raise_and_catch() -> tuple:
    try:
        raise ValueError("the model exploded\nsecond line")
    except ValueError:
        return sys.exc_info()


def test_crash_log_writes_a_file(log_home, monkeypatch):
    folder, shown = log_home
    monkeypatch.setattr(crash_log, "show_dialogs", False)
    path = crash_log.handle_exception(*_raise_and_catch())
    assert path is not None and path.parent == folder
    text = path.read_text()
    assert "Traceback" in text and "ValueError: the model exploded" in text
    assert "thread: MainThread" in text and "TorchDesk" in text
    assert shown == []


def test_crash_log_falls_back_to_the_temp_folder(log_home, monkeypatch, tmp_path):
    blocker = tmp_path / "state"
    blocker.write_text("a file where the log folder should be")
    monkeypatch.setattr(crash_log, "show_dialogs", False)
    monkeypatch.setattr(crash_log.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    path = crash_log.handle_exception(*_raise_and_catch())
    assert path is not None and path.parent == tmp_path / "tmp" / "torchdesk-logs"


def test_unhandled_exception_shows_the_log_path(log_home, qapp):
    folder, shown = log_home
    crash_log.install()
    assert sys.excepthook is crash_log._excepthook
    sys.excepthook(*_raise_and_catch())
    [(summary, details, path)] = shown
    assert summary == "ValueError: the model exploded"
    assert "Traceback" in details
    assert Path(path).parent == folder and Path(path).is_file()


def test_thread_exception_reaches_the_gui_thread(log_home, qapp, qtbot):
    folder, shown = log_home
    crash_log.install()

    def boom() -> None:
        raise RuntimeError("worker thread failed")

    worker = threading.Thread(target=boom, name="LoaderThread")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=5000)  # delivered through a queued signal
    summary, _details, path = shown[0]
    assert summary == "RuntimeError: worker thread failed"
    assert "thread: LoaderThread" in Path(path).read_text()


def _self_test_lines(capsys) -> list[str]:
    return [line for line in capsys.readouterr().out.splitlines() if line.startswith("self-test:")]


def _assert_passed(lines: list[str], steps: tuple[str, ...]) -> None:
    names = [line.split(":")[1].strip() for line in lines]
    for step in steps:
        assert step in names, lines
    assert all(": ok (" in line for line in lines[:-1]), lines
    assert lines[-1].startswith("self-test: passed")


def test_self_test_in_process(qapp, capsys, tmp_path):
    """Every step but the 2-process run (about 25 s: ``test_self_test_two_processes``, slow)."""
    from gui.self_test import run_self_test

    code = run_self_test(tmp_path / "self-test", skip=("train-2-processes",))
    lines = _self_test_lines(capsys)
    assert code == 0, lines
    _assert_passed(
        lines,
        (
            "window",
            "engine",
            "resources",
            "warm-engine",
            "train",
            "save-weights",
            "save-checkpoint",
            "export-onnx",
            "quantize",
            "close",
        ),
    )
    assert "train-2-processes" not in "\n".join(lines)
    assert list((tmp_path / "self-test" / "runs").glob("*/checkpoints/*.ckpt"))
    assert (tmp_path / "self-test" / "self-test.onnx").is_file()


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_self_test_two_processes(qapp, capsys, tmp_path):
    """The Device panel's 2-process choice under torchrun, from the self-test (the steps it needs only)."""
    from gui.self_test import run_self_test

    skip = ("resources", "warm-engine", "train", "save-weights", "save-checkpoint", "export-onnx")
    code = run_self_test(tmp_path / "self-test", skip=(*skip, "quantize", "quantize-onnx"))
    lines = _self_test_lines(capsys)
    assert code == 0, lines
    _assert_passed(lines, ("window", "engine", "train-2-processes", "close"))
    [line] = [line for line in lines if line.startswith("self-test: train-2-processes:")]
    assert "2 processes under torchrun" in line and "no process left" in line
    assert list((tmp_path / "self-test" / "runs").glob("*-self-test-processes/checkpoints/*.ckpt"))


def _bundle_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "QT_"))}
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env.update(HOME=str(home), TMPDIR=str(tmp_path), QT_QPA_PLATFORM="offscreen", PYTHONPATH="")
    return env


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.skipif(not BUNDLE.exists(), reason="no bundle: run `make bundle` first")
def test_built_bundle_self_test(tmp_path):
    result = subprocess.run(
        [str(BUNDLE), "--self-test"], env=_bundle_env(tmp_path), capture_output=True, text=True, timeout=840
    )
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    assert "self-test: start: ok (frozen bundle" in result.stdout
    assert "self-test: passed" in result.stdout


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.skipif(not BUNDLE.exists(), reason="no bundle: run `make bundle` first")
@pytest.mark.skipif(sys.platform == "win32" or not shutil.which("setpriv"), reason="needs setpriv (Linux)")
def test_built_bundle_works_read_only():
    """The bundle folder read-only, run as an unprivileged user (root ignores file modes)."""
    # Not tmp_path: pytest's base folder is private to its owner, and the run may be as nobody.
    work = Path(tempfile.mkdtemp(prefix="torchdesk-ro-"))
    os.chmod(work, 0o777)
    env = _bundle_env(work)
    os.chmod(env["HOME"], 0o777)
    command = [str(BUNDLE), "--self-test"]
    if os.geteuid() == 0:
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    subprocess.run(["chmod", "-R", "a-w", str(BUNDLE.parent)], check=True)
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=840)
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(BUNDLE.parent)], check=True)
        shutil.rmtree(work, ignore_errors=True)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    assert "self-test: passed" in result.stdout
