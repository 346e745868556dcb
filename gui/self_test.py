"""``TorchDesk --self-test``: exercise the (frozen) app for real and exit 0 only if all of it works.

Opens the main window (offscreen unless ``QT_QPA_PLATFORM`` says otherwise), loads the engine the
way the window does, starts the warm engine process as the app does (and ends it again), trains one
epoch of the built-in digits with an MLP through the GUI's own QThread worker and again with 2
processes under torchrun (the Device panel's multi-process choice), saves weights (safetensors) and a
checkpoint, exports ONNX and checks it in ONNX Runtime, quantizes it (dynamic int8) and closes the
window. A frozen app thus launches itself in its hidden modes (warm engine, torchrun, each rank), and
no process it started may outlive its step. Everything is written to a temporary folder (kept when
``TORCHDESK_SELF_TEST_KEEP=1``), the user's settings are not touched, and one line is printed per step::

    self-test: <step>: ok (details)
    self-test: <step>: FAILED: reason

Tracebacks of failures go to stderr, so stdout stays one line per step.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
import uuid
import warnings
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from backend.core.errors import error_summary, first_line

TRAIN_TIMEOUT_S = 600
ENGINE_TIMEOUT_S = 300
ORT_TOLERANCE = 1e-4
EXIT_WAIT_S = 15.0  # child processes of a finished run or dismissed warm engine are gone within this
MARK_ENV = "TORCHDESK_SELF_TEST_MARK"  # inherited by every process a step starts: finds leftovers


class StepFailed(Exception):
    """A check inside a step failed; the message is the reason printed."""


def _print(line: str) -> None:
    print(line, flush=True)


def _wait_for(signal: Any, timeout_s: float, done: Callable[[], bool] | None = None) -> bool:
    """Run a QEventLoop until ``signal`` fires (or ``done()`` is true); False on timeout."""
    from PySide6.QtCore import QEventLoop, QTimer

    if done is not None and done():
        return True
    loop = QEventLoop()
    fired = {"yes": False}

    def _quit(*_args: object) -> None:
        fired["yes"] = True
        loop.quit()

    signal.connect(_quit)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(int(timeout_s * 1000))
    try:
        loop.exec()
    finally:
        timer.stop()
        try:
            signal.disconnect(_quit)
        except (RuntimeError, TypeError):
            pass
    return fired["yes"] or (done is not None and done())


@contextmanager
def _marked() -> Iterator[str]:
    """Processes started inside carry a fresh mark in their environment (torchrun passes it to its ranks)."""
    mark = uuid.uuid4().hex
    old = os.environ.get(MARK_ENV)
    os.environ[MARK_ENV] = mark
    try:
        yield mark
    finally:
        if old is None:
            os.environ.pop(MARK_ENV, None)
        else:
            os.environ[MARK_ENV] = old


def _marked_processes(mark: str) -> list[str] | None:
    """The live processes started with ``mark`` ("pid: command line"); None where this system cannot
    tell (no /proc: not Linux)."""
    proc = Path("/proc")
    if not (proc / "self" / "environ").is_file():
        return None
    needle = f"{MARK_ENV}={mark}".encode()
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:  # a zombie's environment reads empty: it has ended, its parent just has not waited yet
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:  # gone meanwhile, or not ours
            continue
        found.append(f"{entry.name}: {command[:200]}")
    return found


def _check_no_process_left(mark: str) -> str:
    """Wait up to EXIT_WAIT_S for the processes started with ``mark`` to end; what the details say."""
    deadline = time.monotonic() + EXIT_WAIT_S
    while True:
        left = _marked_processes(mark)
        if left is None:
            return "leftover processes not checked (no /proc)"
        if not left:
            return "no process left"
        if time.monotonic() > deadline:
            raise StepFailed(f"{len(left)} process(es) still running {EXIT_WAIT_S:.0f} s later: {'; '.join(left)}")
        time.sleep(0.2)


class SelfTest:
    def __init__(self, folder: Path, skip: Collection[str] = ()) -> None:
        self.folder = folder
        self.skip = frozenset(skip)  # step names left out (the test suite's time budget)
        self.results: list[tuple[str, bool]] = []
        self.unhandled: list[str] = []
        self.window: Any = None
        self.ckpt: Path | None = None
        self.loaded: Any = None
        self.torch_before = False

    # ----------------------------------------------------------------- plumbing
    def step(self, name: str, fn: Callable[[], str], needs: tuple[str, ...] = ()) -> bool:
        if name in self.skip:
            return True
        failed_before = [n for n, ok in self.results if n in needs and not ok]
        if failed_before:
            _print(f"self-test: {name}: FAILED: not run, the {failed_before[0]} step failed")
            self.results.append((name, False))
            return False
        started = time.perf_counter()
        try:
            details = fn()
        except Exception as exc:  # noqa: BLE001 - every failure is reported, then the next step runs
            reason = first_line(exc) if isinstance(exc, StepFailed) else error_summary(exc)
            if not isinstance(exc, StepFailed):
                traceback.print_exc(file=sys.stderr)
            _print(f"self-test: {name}: FAILED: {reason}")
            self.results.append((name, False))
            return False
        _print(f"self-test: {name}: ok ({details}; {time.perf_counter() - started:.1f} s)")
        self.results.append((name, True))
        return True

    def _hooks(self) -> tuple[Any, Any]:
        """Record exceptions nobody caught (Qt slots, threads): they fail the self-test."""
        old = sys.excepthook, threading.excepthook

        def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
            self.unhandled.append(f"{exc_type.__name__}: {exc}")
            traceback.print_exception(exc_type, exc, tb, file=sys.stderr)

        def thread_hook(args: threading.ExceptHookArgs) -> None:
            self.unhandled.append(f"{args.exc_type.__name__} in thread {args.thread.name if args.thread else '?'}")
            traceback.print_exception(args.exc_type, args.exc_value, args.exc_traceback, file=sys.stderr)

        sys.excepthook, threading.excepthook = excepthook, thread_hook
        return old

    # ----------------------------------------------------------------- steps
    def open_window(self) -> str:
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication

        # Settings go to the temporary folder: the self-test never touches the user's own.
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(self.folder / "settings"))
        from gui import settings
        from gui.app import APP_VERSION, create_application

        app = create_application([sys.argv[0] if sys.argv else "TorchDesk"])
        settings.set_value(settings.PATHS_RUNS_DIR, str(self.folder / "runs"))
        from gui.main_window import MainWindow

        self.window = MainWindow()
        self.window.show()
        QApplication.processEvents()
        if not self.window.isVisible():
            raise StepFailed("the main window is not visible after show()")
        if "torch" in sys.modules and not self.torch_before:
            raise StepFailed("opening the window imported torch: it must be shown before torch loads")
        title = self.window.windowTitle()
        size = self.window.size()
        return (
            f"TorchDesk {APP_VERSION}, title {title!r}, {size.width()}x{size.height()}, "
            f"Qt platform {app.platformName()}"
        )

    def load_engine(self) -> str:
        from gui.tasks import failure_text

        win = self.window
        loader = win.catalog_loader
        win.start_catalog_load()
        if not _wait_for(loader.sig_finished, ENGINE_TIMEOUT_S, lambda: win.catalog is not None):
            raise StepFailed(f"the engine did not load within {ENGINE_TIMEOUT_S} s")
        if loader.last_error is not None:
            raise StepFailed(str(failure_text(loader.last_error)))
        if win.catalog is None:
            raise StepFailed("the catalogue arrived but the window did not take it")
        import torch
        import torchvision

        # The compiled torchvision ops are what a bundle most easily misses (_C_stable.so).
        boxes = torch.tensor([[0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0]])
        keep = torchvision.ops.nms(boxes, torch.tensor([0.9, 0.8]), 0.5)
        if keep.tolist() != [0]:
            raise StepFailed(f"torchvision.ops.nms returned {keep.tolist()}")
        cat = win.catalog
        devices = ", ".join(d["device"] for d in cat.devices)
        compile_state = cat.compile_problem or "available"
        return (
            f"PyTorch {torch.__version__}, torchvision {torchvision.__version__}, CUDA available "
            f"{torch.cuda.is_available()}, devices {devices}, {len(cat.models)} models, "
            f"torch.compile: {compile_state}"
        )

    def resources(self) -> str:
        """Icons, example configs and translations, found through backend.core.paths.resource_path."""
        from PySide6.QtCore import QTranslator
        from PySide6.QtGui import QIcon

        from backend.core.config import load_config, validate
        from backend.core.paths import resource_path

        icon = resource_path("icons", "torchdesk.png")
        if QIcon(str(icon)).isNull():
            raise StepFailed(f"the application icon {icon} is missing or unreadable")
        configs = sorted(resource_path("configs").glob("*.toml"))
        if not configs:
            raise StepFailed(f"no example configs in {resource_path('configs')}")
        for path in configs:
            validate(load_config(path))
        translations = sorted(resource_path("translations").glob("*.qm"))
        for path in translations:
            if not QTranslator().load(str(path)):
                raise StepFailed(f"the translation {path} does not load")
        return f"icon, {len(configs)} example configs, {len(translations)} translation(s) under {resource_path()}"

    def _apply_run_config(self, name: str) -> None:
        """1 epoch of the built-in digits with an MLP, named ``name``, shown in the window's panels."""
        from gui.config_files import default_config

        config = default_config()
        config.name = name
        config.train.epochs = 1
        config.train.runs_dir = str(self.folder / "runs")
        self.window.apply_config(config)

    def _start_and_wait(self) -> tuple[dict, list[dict], int]:
        """Press Start (the window's own code path, whatever its panels say) and wait for the end: the
        run's summary, epoch events and step count."""
        win = self.window
        failures: list[dict] = []
        summaries: list[dict] = []
        epochs: list[dict] = []
        steps = {"n": 0}

        def on_events(events: list) -> None:
            for event in events:
                steps["n"] += event.get("event") == "step"
                if event.get("event") == "epoch":
                    epochs.append(event)

        def on_failed(failure: dict) -> None:
            failures.append(failure)

        def on_finished(summary: dict) -> None:
            summaries.append(summary)

        ctl = win.controller
        ctl.sig_events.connect(on_events)
        ctl.sig_failed.connect(on_failed)
        ctl.sig_finished.connect(on_finished)
        try:
            if not win.start_run():
                message = win.error_dialog.message.text() if hasattr(win.error_dialog, "message") else ""
                raise StepFailed(f"the window refused to start the run: {message or 'no reason shown'}")
            if not ctl.is_running() and not summaries:
                raise StepFailed("start_run() returned True but no training thread is running")
            if not _wait_for(ctl.sig_finished, TRAIN_TIMEOUT_S, lambda: bool(summaries)):
                ctl.shutdown()
                raise StepFailed(f"training did not finish within {TRAIN_TIMEOUT_S} s")
        finally:
            ctl.sig_events.disconnect(on_events)
            ctl.sig_failed.disconnect(on_failed)
            ctl.sig_finished.disconnect(on_finished)
        if failures:
            raise StepFailed(str(failures[0].get("message", failures[0])))
        summary = summaries[-1]
        if summary.get("status") != "completed":
            raise StepFailed(f"the run ended with status {summary.get('status')!r}")
        if ctl.is_running():
            raise StepFailed("the training thread is still running after sig_finished")
        return summary, epochs, steps["n"]

    @staticmethod
    def _checkpoint(summary: dict) -> Path:
        ckpt = Path(summary.get("last_checkpoint") or Path(summary["run_dir"]) / "checkpoints" / "last.ckpt")
        if not ckpt.is_file():
            raise StepFailed(f"no checkpoint at {ckpt}")
        return ckpt

    @staticmethod
    def _accuracy(epochs: list[dict]) -> str:
        acc = epochs[-1].get("val_acc") if epochs else None
        return f", val accuracy {acc:.3f}" if isinstance(acc, float) else ""

    def train(self) -> str:
        self._apply_run_config("self-test")
        summary, epochs, steps = self._start_and_wait()
        self.ckpt = self._checkpoint(summary)
        return (
            f"1 epoch of digits + MLP on the GUI's QThread worker, {steps} steps{self._accuracy(epochs)}, {self.ckpt}"
        )

    def warm_engine(self) -> str:
        """The warm engine process as the app starts it (gui/warm_process.py spawn, gui/warm_engine.py
        WarmEngine): ready with a catalogue, then dismissed and gone."""
        from gui import warm_process
        from gui.warm_engine import WarmEngine

        started = time.perf_counter()
        with _marked() as mark:
            launch = warm_process.spawn()
        if launch is None:
            raise StepFailed("the warm engine process did not start")
        engine = WarmEngine(launch)
        ready: list[Any] = []
        engine.sig_ready.connect(ready.append)
        try:
            engine.start()
            if not _wait_for(engine.sig_ready, ENGINE_TIMEOUT_S, lambda: bool(ready)):
                raise StepFailed(f"the warm engine was not ready within {ENGINE_TIMEOUT_S} s")
            ready_s = time.perf_counter() - started
            catalog = ready[0]
            if catalog is None:
                tail = launch.log_tail(3).replace("\n", " | ")
                raise StepFailed(f"the warm engine ended before it was ready (exit {launch.poll()}): {tail}")
            if not catalog.models:
                raise StepFailed("the warm engine's catalogue lists no models")
        finally:
            engine.dismiss()
            engine.deleteLater()
        code = launch.poll()
        if code is None:
            raise StepFailed("the dismissed warm engine process is still running")
        if launch.folder.exists():
            raise StepFailed(f"the dismissed warm engine left its launch folder {launch.folder}")
        left = _check_no_process_left(mark)
        return f"ready in {ready_s:.1f} s with {len(catalog.models)} models, dismissed: exit {code}, {left}"

    def train_processes(self) -> str:
        """One run with the Device panel's multi-process choice: torchrun and its ranks as child processes
        (the frozen app: its own executable in its hidden torchrun and torchdesk-cli modes)."""
        from backend.store.runs import METRICS_FILE
        from gui.panels.device_panel import ALL_GPUS, CPU_PROCESSES
        from gui.widgets import combo_key, set_combo_key

        combo = self.window.device_panel.device
        before = combo_key(combo)
        choice = next((key for key in (CPU_PROCESSES, ALL_GPUS) if combo.findData(key) >= 0), None)
        if choice is None:  # one GPU: the panel offers no multi-process choice
            return "skipped: the Device panel offers no multi-process choice on this machine (one GPU)"
        try:
            self._apply_run_config("self-test-processes")
            set_combo_key(combo, choice)
            plan = self.window.device_panel.launch_plan()
            if plan is None or plan.nproc < 2:
                raise StepFailed(f"the Device panel's {combo.currentText()!r} gives no multi-process plan")
            with _marked() as mark:
                summary, epochs, steps = self._start_and_wait()
        finally:
            set_combo_key(combo, before)
        ckpt = self._checkpoint(summary)
        metrics = Path(summary["run_dir"]) / METRICS_FILE
        if not metrics.is_file() or not metrics.read_text(encoding="utf-8").strip():
            raise StepFailed(f"no metrics in {metrics}")
        left = _check_no_process_left(mark)
        return (
            f"{combo.itemText(combo.findData(choice))!r}: {plan.nproc} processes under torchrun, 1 epoch, "
            f"{steps} steps{self._accuracy(epochs)}, {ckpt.name} and {METRICS_FILE}, {left}"
        )

    def save_weights(self) -> str:
        import torch

        from backend.artifacts.model_io import load_model
        from backend.artifacts.save import save_model

        self.loaded = load_model(self.ckpt)
        out = self.folder / "self-test.safetensors"
        result = save_model(self.loaded, "safetensors", out)
        again = load_model(out).model.state_dict()
        mine = self.loaded.model.state_dict()
        if again.keys() != mine.keys() or not all(torch.equal(again[k].cpu(), mine[k].cpu()) for k in mine):
            raise StepFailed("the reloaded safetensors weights differ from the trained model")
        return f"{out.name}, {result.size_bytes / 1e3:.0f} kB, reloaded identical"

    def save_checkpoint(self) -> str:
        from backend.artifacts.model_io import load_model
        from backend.artifacts.save import save_model

        out = self.folder / "self-test.ckpt"
        result = save_model(self.loaded, "ckpt", out)
        reloaded = load_model(out)
        if reloaded.checkpoint is None:
            raise StepFailed("the saved .ckpt reloads without its training state")
        return f"{out.name}, {result.size_bytes / 1e3:.0f} kB, resumable"

    def export_onnx(self) -> str:
        import numpy as np
        import onnxruntime as ort
        import torch

        from backend.artifacts.export import export_model

        out = self.folder / "self-test.onnx"
        report = export_model(self.loaded, "onnx", out)
        if not report.parity_ok:
            raise StepFailed(f"parity failed: max abs diff {report.parity_max_abs_diff:.3g}")
        if report.checker != "passed":
            raise StepFailed(f"onnx.checker {report.checker}")
        if not report.exporter.startswith("dynamo"):
            # In a bundle this means the exporter's Python sources are missing.
            raise StepFailed(f"the torch.export-based exporter was not used: {'; '.join(report.notes)}")
        # An independent check in ONNX Runtime on a fresh batch of another size.
        session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
        x = torch.randn(5, *self.loaded.input_shape, generator=torch.Generator().manual_seed(0))
        with torch.no_grad():
            expected = self.loaded.model.eval()(x).numpy()
        got = session.run(None, {session.get_inputs()[0].name: x.numpy()})[0]
        diff = float(np.abs(got - expected).max())
        if got.shape != expected.shape or diff > ORT_TOLERANCE:
            raise StepFailed(f"ONNX Runtime differs from PyTorch: shape {got.shape}, max abs diff {diff:.3g}")
        return (
            f"{out.name}, exporter {report.exporter}, opset {report.opset}, onnx.checker passed, "
            f"ONNX Runtime {ort.__version__} parity {max(diff, report.parity_max_abs_diff):.2g}"
        )

    def _quantize(self, method: str, out: Path) -> tuple[Path, Any, Any]:
        from backend.artifacts.quantize import quantize_model

        path, report = quantize_model(self.loaded, method, out)
        if not Path(path).is_file():
            raise StepFailed(f"no quantized model at {path}")
        return Path(path), report, report.row(method)

    @staticmethod
    def _quant_details(path: Path, report: Any, row: Any, diff: float) -> str:
        parts = [path.name]
        if row.size_ratio:
            parts.append(f"{row.size_ratio:.1f}x smaller")
        if row.metric is not None and row.fp32_metric is not None:
            parts.append(f"{report.metric_name} {row.metric:.3f} (fp32 {row.fp32_metric:.3f})")
        parts.append(f"max abs diff to fp32 {diff:.2g}")
        return ", ".join(parts)

    def _sample(self) -> tuple[Any, Any]:
        import torch

        x = torch.randn(5, *self.loaded.input_shape, generator=torch.Generator().manual_seed(1))
        with torch.no_grad():
            return x, self.loaded.model.eval()(x)

    def quantize(self) -> str:
        """PyTorch dynamic int8 (torch.ao), saved as TorchScript and run again from the file."""
        import torch

        path, report, row = self._quantize("dynamic_int8", self.folder / "self-test-dynamic-int8.pt")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # "torch.jit.load is deprecated": still the format
            module = torch.jit.load(str(path), map_location="cpu")
        x, expected = self._sample()
        with torch.no_grad():
            got = module(x)
        if got.shape != expected.shape or not torch.isfinite(got).all():
            raise StepFailed(f"the quantized model gives {tuple(got.shape)} (expected {tuple(expected.shape)})")
        return self._quant_details(path, report, row, float((got - expected).abs().max()))

    def quantize_onnx(self) -> str:
        """ONNX Runtime dynamic int8 (onnxruntime.quantization), run again in ONNX Runtime."""
        import onnxruntime as ort
        import onnxruntime.quantization  # noqa: F401 - a missing piece in a bundle shows its real ImportError here

        path, report, row = self._quantize("ort_dynamic_int8", self.folder / "self-test-ort-int8.onnx")
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        x, expected = self._sample()
        got = session.run(None, {session.get_inputs()[0].name: x.numpy()})[0]
        if got.shape != tuple(expected.shape):
            raise StepFailed(f"the quantized model gives {got.shape} (expected {tuple(expected.shape)})")
        return self._quant_details(path, report, row, float(abs(got - expected.numpy()).max()))

    def close(self) -> str:
        from PySide6.QtWidgets import QApplication

        win = self.window
        win.close()
        QApplication.processEvents()
        if win.isVisible():
            raise StepFailed("the window did not close")
        if win.controller.is_running():
            raise StepFailed("a training thread is still running")
        win.shutdown()
        win.deleteLater()
        QApplication.processEvents()
        self.window = None
        if self.unhandled:
            raise StepFailed(f"{len(self.unhandled)} unhandled exception(s), first: {self.unhandled[0]}")
        return "no thread left, no unhandled exception"

    # ----------------------------------------------------------------- all of it
    def run(self) -> int:
        started = time.perf_counter()
        self.torch_before = "torch" in sys.modules  # from a test it may be; in the app it must not be
        from backend.core.paths import is_frozen

        mode = "frozen bundle" if is_frozen() else "from source"
        _print(f"self-test: start: ok ({mode}, Python {sys.version.split()[0]}, folder {self.folder})")
        old_hooks = self._hooks()
        try:
            self.step("window", self.open_window)
            self.step("engine", self.load_engine, needs=("window",))
            self.step("resources", self.resources, needs=("engine",))
            self.step("warm-engine", self.warm_engine, needs=("window",))
            self.step("train", self.train, needs=("engine",))
            self.step("train-2-processes", self.train_processes, needs=("engine",))
            self.step("save-weights", self.save_weights, needs=("train",))
            self.step("save-checkpoint", self.save_checkpoint, needs=("save-weights",))
            self.step("export-onnx", self.export_onnx, needs=("save-weights",))
            self.step("quantize", self.quantize, needs=("save-weights",))
            self.step("quantize-onnx", self.quantize_onnx, needs=("save-weights",))
            if self.window is not None:
                self.step("close", self.close)
        finally:
            if self.window is not None:  # a failed step left it open
                try:
                    self.window.controller.shutdown()
                    self.window.shutdown()
                    self.window.error_dialog.close()
                    self.window.hide()
                    self.window.deleteLater()
                except Exception:  # noqa: BLE001
                    traceback.print_exc(file=sys.stderr)
            sys.excepthook, threading.excepthook = old_hooks
        failed = [name for name, ok in self.results if not ok]
        elapsed = time.perf_counter() - started
        if failed:
            _print(
                f"self-test: FAILED ({len(failed)} of {len(self.results)} steps: {', '.join(failed)}; {elapsed:.1f} s)"
            )
            return 1
        _print(f"self-test: passed ({len(self.results)} steps, {elapsed:.1f} s)")
        return 0


def run_self_test(folder: str | Path | None = None, keep: bool | None = None, skip: Collection[str] = ()) -> int:
    """Run every step but those named in ``skip``; 0 only if all of them worked. ``folder`` defaults to a
    new temporary one."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if keep is None:
        keep = os.environ.get("TORCHDESK_SELF_TEST_KEEP", "") not in ("", "0")
    made = folder is None
    work = Path(tempfile.mkdtemp(prefix="torchdesk-self-test-")) if made else Path(folder)
    work.mkdir(parents=True, exist_ok=True)
    try:
        return SelfTest(work, skip).run()
    finally:
        if made and not keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(run_self_test())
