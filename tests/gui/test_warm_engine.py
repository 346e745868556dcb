"""The warm engine process: started with the app, it makes Start usable before the window's own PyTorch
is loaded, trains the first run like any child run, and never outlives its use or the window."""

from __future__ import annotations

import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent

from gui import warm_process

pytestmark = pytest.mark.timeout(240, method="thread")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def warm(monkeypatch):
    """A real warm engine process (``python -m gui --torchdesk-warm-engine``), dismissed afterwards."""
    monkeypatch.chdir(ROOT)  # ``-m gui`` is found from the project folder
    launch = warm_process.spawn()
    assert launch is not None
    yield launch
    launch.dismiss()


def _gone(launch, timeout: float = 30.0) -> bool:  # noqa: ANN001 - WarmLaunch
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if launch.process.poll() is not None and not launch.folder.exists():
            return True
        time.sleep(0.05)
    return False


def test_it_sends_a_catalogue_read_without_torch_then_ends_when_not_needed(warm):
    payload = warm.read_ready()
    assert payload is not None
    check = (
        "import pickle, sys\n"
        "catalog = pickle.loads(sys.stdin.buffer.read())\n"
        "assert 'mlp' in catalog.models and catalog.devices, catalog\n"
        "described = catalog.models['tv:resnet18']\n"
        "assert described.template or described.pieces, 'a description lost its parts (translation)'\n"
        "assert 'torch' not in sys.modules, 'unpickling the catalogue imported torch'\n"
    )
    subprocess.run([sys.executable, "-c", check], input=payload, cwd=ROOT, check=True, timeout=60)
    catalog = pickle.loads(payload)
    assert catalog.versions["PyTorch"] and not catalog.model_option_specs  # the window adds its own parts
    warm.process.stdin.close()  # the window's own PyTorch is ready (or the window has gone)
    assert _gone(warm), "the unused warm engine did not end"
    assert warm.process.returncode == 0


def test_a_window_gone_while_it_loads_leaves_nothing_behind(warm):
    warm.process.stdout.close()  # what the window's death does to its pipes
    warm.process.stdin.close()
    assert _gone(warm), "the warm engine outlived the window"


def test_dismissed_while_loading_it_ends_at_once(warm):
    warm.dismiss()
    assert _gone(warm, timeout=5)


def test_a_start_before_the_window_has_pytorch_trains_in_the_warm_engine(qtbot, tmp_path, warm, monkeypatch):
    from gui.main_window import MainWindow
    from gui.warm_engine import WarmEngine

    win = MainWindow(warm_engine=WarmEngine(warm))
    loaded: list[bool] = []
    win.sig_engine_loaded.connect(lambda: loaded.append(True))
    win.train_panel.runs_dir.set_path(str(tmp_path / "runs"))
    win.train_panel.epochs.setValue(1)
    win.show()
    qtbot.waitExposed(win)
    win.start_queued = True  # Start pressed while loading: it starts as soon as the warm engine is ready
    win.start_catalog_load()
    qtbot.waitUntil(lambda: win.catalog is not None, timeout=120_000)
    qtbot.waitUntil(lambda: warm.handed_over, timeout=10_000)  # the queued run went to the warm engine
    qtbot.waitUntil(lambda: win.controller.state == "idle", timeout=120_000)
    assert win.controller._summary.get("status") == "completed", win.controller._summary
    assert Path(win.controller._summary["run_dir"], "checkpoints", "last.ckpt").is_file()
    assert warm.process.wait(30) == 0
    qtbot.waitUntil(lambda: bool(loaded), timeout=120_000)  # then the window loads its own PyTorch
    assert win.warm_engine is None and win.inspector._inspection is not None
    win.close()
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(win)
