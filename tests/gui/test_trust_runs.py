"""Run folders in the GUI (issue 10, B): a locked or unwritable folder shows the error dialog, and
the window keeps working."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(120, method="thread")


@pytest.fixture
def finished_run(tmp_path: Path) -> Path:
    from backend.core.config import RunConfig, apply_overrides
    from backend.engine.trainer import fit

    run = tmp_path / "iris-run"
    overrides = ["data.name='iris'", "model.hidden_sizes=[8]", "data.batch_size=16", "train.epochs=1"]
    assert fit(apply_overrides(RunConfig(name="iris"), overrides), run_dir=run)["status"] == "completed"
    return run


def test_resume_of_a_locked_run_folder_names_the_holder(window, qtbot, finished_run: Path) -> None:
    from backend.store.run_lock import RunLock

    checkpoint = finished_run / "checkpoints" / "last.ckpt"
    before = checkpoint.read_bytes()
    lock = RunLock.acquire(finished_run)  # as a CLI training into it would (the OS lock binds this process too)
    try:
        with qtbot.waitSignal(window.controller.sig_finished, timeout=60_000) as finished:
            assert window.resume_from_checkpoint(str(checkpoint))
        assert finished.args[0]["status"] == "error"
        assert window.error_dialog.isVisible()
        message = window.error_dialog.message.text()
        assert f"{finished_run} is in use by another training process (PID {os.getpid()} on " in message
        assert checkpoint.read_bytes() == before
    finally:
        lock.release()
    window.error_dialog.close()
    # The window keeps working: with the folder free, the same resume runs.
    with qtbot.waitSignal(window.controller.sig_finished, timeout=60_000) as finished:
        assert window.resume_from_checkpoint(str(checkpoint))
    assert finished.args[0]["status"] == "completed"
    assert not window.error_dialog.isVisible()
    assert window.controller.state == "idle"


def test_a_runs_folder_that_is_a_file_shows_the_error(window, qtbot, tmp_path: Path) -> None:
    blocker = tmp_path / "runs.txt"
    blocker.write_text("keep me")
    window.train_panel.runs_dir.set_path(str(blocker))
    with qtbot.waitSignal(window.controller.sig_finished, timeout=60_000) as finished:
        assert window.start_run()
    assert finished.args[0]["status"] == "error"
    assert window.error_dialog.isVisible()
    assert f"{blocker} is a file, not a folder" in window.error_dialog.message.text()
    assert blocker.read_text() == "keep me"
    window.error_dialog.close()
    # A config saved over a folder of that name: a message, not a crash.
    folder = tmp_path / "taken.toml"
    folder.mkdir()
    assert not window.save_config_as(str(folder))
    assert window.error_dialog.isVisible()
    assert f"{folder} is a folder, not a file" in window.error_dialog.message.text()
    window.error_dialog.close()
    window.train_panel.runs_dir.set_path(str(tmp_path / "runs"))
    with qtbot.waitSignal(window.controller.sig_finished, timeout=60_000) as finished:
        assert window.start_run()
    assert finished.args[0]["status"] == "completed"


def test_save_dialog_to_a_folder_or_a_read_only_disk_shows_a_message(
    qtbot, finished_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from gui.dialogs.error_dialog import ErrorDialog
    from gui.dialogs.save_model_dialog import SaveModelDialog

    shown: list[str] = []
    monkeypatch.setattr(ErrorDialog, "open", lambda self: shown.append(self.message.text()))
    dialog = SaveModelDialog(str(finished_run / "checkpoints" / "best.ckpt"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format.setCurrentIndex(dialog.format.findData("safetensors"))

    def save(out: Path) -> None:
        dialog.out.set_path(str(out))
        with qtbot.waitSignal(dialog.task.sig_finished, timeout=30_000):
            assert dialog.start()

    folder = tmp_path / "exports"
    folder.mkdir()
    save(folder)
    assert len(shown) == 1 and shown[0].startswith(f"{folder} is a folder: give a file path for the output")
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    real_open = os.open

    def open_read_only(path, flags, *args, **kwargs):  # noqa: ANN001, ANN202 - chmod does not stop root
        if Path(path).parent == read_only and flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_read_only)
    save(read_only / "model.safetensors")
    assert len(shown) == 2 and shown[1].startswith(f"{read_only / 'model.safetensors'} is on a read-only file system")
    assert not list(read_only.iterdir())
    monkeypatch.setattr(os, "open", real_open)
    save(tmp_path / "model.safetensors")  # the dialog keeps working
    assert len(shown) == 2 and (tmp_path / "model.safetensors").is_file()
