"""GUI test fixtures: offscreen Qt, settings in a temporary folder, a preloaded catalogue,
and freshly built Chinese translations."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

# Before any QApplication exists: no display is needed, and none is used.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402
import shiboken6  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Slot  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "torchdesk_zh_CN.ts"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory, tmp_path):
    """Redirect every QSettings file to a fresh folder so tests never touch the user's settings."""
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "user"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.SystemScope, str(folder / "system"))
    from gui import settings

    settings.set_value(settings.PATHS_RUNS_DIR, str(tmp_path / "runs"))
    settings.set_value(settings.UI_LANGUAGE, "en")  # English whatever this machine's locale
    yield folder


@pytest.fixture(autouse=True)
def no_thread_destroyed_warning(qtlog):
    """No test may leave a QThread running when it is destroyed."""
    yield
    bad = [r.message for r in qtlog.records if "Destroyed while thread" in r.message]
    assert not bad, bad


class Recorder(QObject):
    """Receives a RunController's signals in the GUI thread, as the main window does."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[list] = []  # the events as the controller delivered them, batch by batch
        self.events: list[dict] = []  # the same, one list
        self.failures: list[dict] = []
        self.finished: list[dict] = []

    @Slot(list)
    def on_events(self, events: list) -> None:
        self.batches.append(events)
        self.events.extend(events)

    @Slot(dict)
    def on_failed(self, failure: dict) -> None:
        self.failures.append(failure)

    @Slot(dict)
    def on_finished(self, summary: dict) -> None:
        self.finished.append(summary)


@pytest.fixture
def recorded_controller():
    """``make(fit=None)``: a RunController (running ``fit`` instead of the engine's, if given) and
    the Recorder of its signals."""
    from gui.run_controller import RunController

    def make(fit=None) -> tuple[RunController, Recorder]:
        controller, recorder = RunController(), Recorder()
        if fit is not None:
            controller.fit_override = fit
        controller.sig_events.connect(recorder.on_events)
        controller.sig_failed.connect(recorder.on_failed)
        controller.sig_finished.connect(recorder.on_finished)
        return controller, recorder

    return make


@pytest.fixture(scope="session")
def catalog():
    """The backend catalogue, loaded once (importing torch is the slow part)."""
    from gui.catalog import load_catalog

    return load_catalog()


@pytest.fixture(scope="session")
def digits_mlp_run(tmp_path_factory) -> Path:
    """A tiny digits MLP (8x8 grayscale inputs) trained once per session: the artifact dialogs' model."""
    from backend.core.config import RunConfig, apply_overrides
    from backend.engine.trainer import fit

    run = tmp_path_factory.mktemp("artifact-gui") / "run"
    overrides = [
        "train.epochs=2",
        "train.device='cpu'",
        "train.precision='fp32'",
        "data.name='digits'",
        "model.arch='mlp'",
        "model.hidden_sizes=[64]",
        "data.batch_size=64",
    ]
    assert fit(apply_overrides(RunConfig(name="gui-art"), overrides), run_dir=run)["status"] == "completed"
    return run


@pytest.fixture(scope="session", autouse=True)
def gui_thread_garbage_collection(qapp):
    """As in the app (gui.app.create_application): cyclic garbage is collected in the GUI thread only."""
    from gui import main_thread_gc

    collector = main_thread_gc.install(qapp)
    yield collector
    collector.uninstall()


@pytest.fixture
def window(qtbot, catalog, tmp_path):
    """A main window with the catalogue loaded and a small, fast default run."""
    from gui.main_window import MainWindow

    win = MainWindow(catalog=catalog)
    win.train_panel.runs_dir.set_path(str(tmp_path / "runs"))
    win.train_panel.epochs.setValue(2)
    win.show()
    qtbot.waitExposed(win)
    yield win
    # Never leave a training thread behind, whatever the test did; then close without asking
    # (qtbot.addWidget is not used: it would close the window first, and closing during a
    # run opens the modal "Stop training?" question).
    win.controller.shutdown()
    win.error_dialog.close()
    win.close()
    # Destroyed here, in the GUI thread, with every thread of the window stopped; not later
    # while the next test's threads run.
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(win)


def _tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    return str(path) if path.exists() else shutil.which(name) or pytest.skip(f"{name} not installed")


@pytest.fixture(scope="session")
def updated_ts(tmp_path_factory) -> Path:
    """The shipped .ts brought up to date with the tr() strings in gui/ and the engine's strings."""
    from gui.backend_text import write_lupdate_source

    folder = tmp_path_factory.mktemp("ts")
    ts = folder / TS.name
    shutil.copy(TS, ts)
    sources = sorted(str(p) for p in (ROOT / "gui").rglob("*.py"))
    engine = write_lupdate_source(folder / "backend_strings.py")  # as `make translations-update` does
    subprocess.run(
        [_tool("pyside6-lupdate"), "-no-obsolete", *sources, str(engine), "-ts", str(ts)],
        check=True,
        capture_output=True,
    )
    return ts


@pytest.fixture(scope="session")
def zh_qm(updated_ts) -> Path:
    qm = updated_ts.with_suffix(".qm")
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(updated_ts), "-qm", str(qm)], check=True)
    return qm


@pytest.fixture
def zh_translator(qapp, zh_qm):
    """The freshly built Chinese translations, installed for one test."""
    from gui import i18n

    translator = i18n.Translator(qapp)
    assert translator.load(str(zh_qm))
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)
