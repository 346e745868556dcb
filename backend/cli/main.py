"""``torchdesk-cli``: train, resume and inspect without the GUI (and under torchrun).

Exit codes: 0 done, 1 training diverged (a NaN/Inf or exploding loss) or an internal error, 2 bad input
(one line on stderr, no traceback), 130 stopped by Ctrl-C after saving a checkpoint.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from backend.cli.multiprocess import add_launch_options, launch_plan, launch_run
from backend.core.errors import TorchDeskError
from backend.store.runs import is_diverged, shown_metrics

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


class ProgressPrinter:
    """Turns engine events into a live bar on a terminal, or plain lines in a log or pipe."""

    BAR_WIDTH = 28
    REDRAW_S = 0.1

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.total_steps = 0
        self.steps_per_epoch = 0
        self.task = "classification"
        self.last_draw = 0.0

    def __call__(self, event: dict[str, Any]) -> None:
        kind = event["event"]
        if kind == "start":
            self.total_steps, self.steps_per_epoch = event["total_steps"], event["steps_per_epoch"]
            self.task = event["task"]
            where = f"resuming at epoch {event['start_epoch']}" if event.get("resumed_from") else "starting"
            self._line(
                f"{event['name']}: {where} on {event['device']} ({event['precision']}), "
                f"{event['train_samples']} train / {event['val_samples']} val samples -> {event['run_dir']}"
            )
        elif kind == "step" and self.tty:
            now = time.monotonic()
            if now - self.last_draw >= self.REDRAW_S or event["step"] == self.total_steps:
                self.last_draw = now
                self._bar(event)
        elif kind == "epoch":
            self._line(self._epoch_text(event))
        elif kind in ("note", "warning", "diverged", "nan", "early_stop"):
            self._line(f"{kind.replace('_', ' ')}: {event['message']}")
        elif kind == "end":
            best = event.get("best_metric")
            # A diverged run has no best to show; .4g keeps a tiny metric from printing as 0.0000.
            shown = isinstance(best, float) and not is_diverged(event["status"])
            # The final and best of the task's metric (accuracy, MAE) and the validation loss.
            metrics = shown_metrics(self.task, event.get("final") or {}, event.get("best") or {})
            # The monitored metric's best, unless it is one of those already (val_loss, val_acc).
            listed = any(key == event["monitor"] for key, _, _ in metrics)
            best_text = f", best {event['monitor']} {best:.4g}" if shown and not listed else ""
            metrics_text = "".join(
                f", {key} {value:.4g}" + (f" (best {top:.4g})" if top is not None else "")
                for key, value, top in metrics
            )
            self._line(
                f"{event['status']} after {event['epochs_done']} epoch(s){metrics_text}{best_text}; "
                f"run folder {event['run_dir']}"
            )

    def _bar(self, event: dict[str, Any]) -> None:
        done = event["step"] / max(self.total_steps, 1)
        filled = int(done * self.BAR_WIDTH)
        bar = "#" * filled + "-" * (self.BAR_WIDTH - filled)
        self.stream.write(
            f"\r[{bar}] {done:6.1%} epoch {event['epoch']} loss {event['loss']:.4f} "
            f"lr {event['lr']:.2e} {event['samples_per_s']:.0f} samples/s "
        )
        self.stream.flush()

    @staticmethod
    def _epoch_text(e: dict[str, Any]) -> str:
        parts = [f"epoch {e['epoch']}", f"train_loss {e['train_loss']:.4g}", f"val_loss {e['val_loss']:.4g}"]
        for key in ("val_acc", "val_top5"):
            if key in e:
                parts.append(f"{key} {e[key]:.2%}")
        for key in ("val_mse", "val_mae"):
            if key in e:
                parts.append(f"{key} {e[key]:.4g}")
        parts += [f"lr {e['lr']:.2e}", f"{e['samples_per_s']:.0f} samples/s", f"eta {e['eta_s']:.0f}s"]
        return "  ".join(parts)

    def _line(self, text: str) -> None:
        self.stream.write(("\r\x1b[K" if self.tty else "") + text + "\n")
        self.stream.flush()


def _quit_quietly(signum: int, frame: Any) -> None:
    """Ctrl-C after a first one, or once the work is over: leave now, without the traceback that an
    interrupted atexit callback (torch registers some) would print during interpreter shutdown."""
    with contextlib.suppress(Exception):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(EXIT_INTERRUPTED)


def _quit_quietly_on_ctrl_c() -> None:
    with contextlib.suppress(ValueError):  # only the main thread may set signal handlers
        signal.signal(signal.SIGINT, _quit_quietly)


@contextlib.contextmanager
def _ctrl_c_stops(control: Any) -> Iterator[list[int]]:
    """While inside, a first Ctrl-C asks ``control`` (a TrainControl) to stop after the current step
    (the run saves a checkpoint), a second one leaves at once. Yields the list of Ctrl-Cs received."""
    interrupted: list[int] = []

    def on_sigint(signum: int, frame: Any) -> None:
        if interrupted:  # a second Ctrl-C: leave at once (a third one while leaving quits at once)
            _quit_quietly_on_ctrl_c()
            raise KeyboardInterrupt
        interrupted.append(signum)
        control.request_stop()
        sys.stderr.write("\nstopping after this step and saving a checkpoint (Ctrl-C again to quit at once)\n")

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield interrupted
    finally:
        if interrupted:
            _quit_quietly_on_ctrl_c()
        else:
            signal.signal(signal.SIGINT, previous)


def _run(config: Any, run_dir: str | None, resume_from: Path | None, overwrite: bool = False) -> int:
    from backend.engine.launch import rank_event_sink, worker_control
    from backend.engine.trainer import fit

    control = worker_control()  # a rank of `--nproc` reads its launcher's stop and pause
    on_event = rank_event_sink(ProgressPrinter(sys.stdout))
    with _ctrl_c_stops(control) as interrupted:
        end = fit(config, control, on_event, run_dir=run_dir, resume_from=resume_from, overwrite=overwrite)
    if is_diverged(end["status"]):
        return EXIT_FAILED
    if interrupted:
        return EXIT_INTERRUPTED
    return EXIT_OK


def _warn_slow_precision(config: Any) -> None:
    """A precision known to be slower than fp32 on the run's device is said before the run starts (once:
    by the launcher of `--nproc`, not by its ranks; by rank 0 of a plain torchrun)."""
    from backend.engine.device import config_precision_warning
    from backend.engine.launch import launch_folder

    if launch_folder() is not None or os.environ.get("RANK", "0") != "0":
        return
    warning = config_precision_warning(config)
    if warning is not None:
        sys.stderr.write(f"torchdesk-cli: warning: {warning}\n")


def cmd_train(args: argparse.Namespace) -> int:
    from backend.cli.console import config_from_command_line

    if args.overwrite and not args.run_dir:
        raise TorchDeskError("--overwrite goes with --run-dir (a new timestamped folder never holds a run)")
    config = config_from_command_line(args.config, args.set)
    resume_from = Path(args.resume_from) if args.resume_from else None
    plan = launch_plan(args)
    _warn_slow_precision(config)
    if plan is not None:
        return launch_run(
            plan, config, run_dir=args.run_dir, overwrite=args.overwrite, resume_from=resume_from, debug=args.debug
        )
    return _run(config, args.run_dir, resume_from, args.overwrite)


def resolve_resume_target(target: str) -> Path:
    path = Path(target).expanduser()
    if path.is_dir():
        path = path / "checkpoints" / "last.ckpt"
        if not path.exists():
            raise TorchDeskError(f"{target} has no checkpoints/last.ckpt; give a run folder or a .ckpt file")
    elif not path.exists():
        raise TorchDeskError(f"{target} does not exist; give a run folder or a .ckpt file")
    return path


def cmd_resume(args: argparse.Namespace) -> int:
    from backend.core.config import apply_overrides, resolve_config_paths
    from backend.engine.trainer import config_from_checkpoint

    path = resolve_resume_target(args.target)
    config = apply_overrides(config_from_checkpoint(path, trusted=args.trusted), args.set)
    if args.epochs is not None:
        config.train.epochs = args.epochs  # checked with the rest of the config when the run starts
    resolve_config_paths(config, Path.cwd())  # a relative path typed in --set means the current folder
    plan = launch_plan(args)
    _warn_slow_precision(config)
    if plan is not None:
        return launch_run(plan, config, resume_from=path.resolve(), debug=args.debug)
    return _run(config, None, path)


def system_info() -> dict[str, Any]:
    import numpy
    import torch
    import torchvision

    from backend import __version__
    from backend.engine.device import device_inventory

    return {
        "torchdesk": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "torch": str(torch.__version__),
        "torchvision": torchvision.__version__,
        "numpy": numpy.__version__,
        "cuda_build": torch.version.cuda,
        "cuda_available": torch.cuda.is_available(),
        "devices": device_inventory(),
    }


def cmd_info(args: argparse.Namespace) -> int:
    info = system_info()
    if args.json:
        print(json.dumps(info, indent=2))
        return EXIT_OK
    for key, value in info.items():
        if key != "devices":
            print(f"{key:14} {value}")
    print("devices:")
    for dev in info["devices"]:
        memory = f", {dev['memory_gib']} GiB" if "memory_gib" in dev else ""
        print(f"  {dev['device']:8} {dev['name']}{memory}; precisions: {', '.join(dev['precisions'])}")
        if dev.get("problem"):
            print(f"           cannot be used: {dev['problem']}")
        for note in dev.get("precision_notes", {}).values():  # what each mixed precision costs there
            print(f"           {note}")
    return EXIT_OK


def cmd_keys(args: argparse.Namespace) -> int:
    from backend.core.schema_table import keys_markdown

    print(keys_markdown(), end="")
    return EXIT_OK


def _add_set_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE", help=help_text)


def build_parser() -> argparse.ArgumentParser:
    from backend.cli.artifacts import add_artifact_commands, add_trusted_option
    from backend.cli.explain import add_explain_command
    from backend.cli.lr_find import add_lr_find_command
    from backend.cli.probe_batch import add_probe_batch_command
    from backend.cli.show_code import add_script_command
    from backend.cli.sweep import add_sweep_command

    parser = argparse.ArgumentParser(prog="torchdesk-cli", description="Train PyTorch models without the GUI.")
    parser.add_argument("--debug", action="store_true", help="show full tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train from a TOML config")
    train.add_argument("config", help="path to a run config (.toml)")
    train.add_argument(
        "--run-dir",
        help="write the run into this folder (new or empty) instead of a new timestamped one; "
        "a folder that holds a run is refused: resume it, or see --overwrite",
    )
    train.add_argument(
        "--overwrite",
        action="store_true",
        help="with --run-dir: move a run already in that folder aside (renamed to FOLDER.old-<time>, never deleted)",
    )
    _add_set_option(
        train, "override a config value, e.g. --set optim.lr=0.01 (repeatable; `torchdesk-cli keys` lists the keys)"
    )
    # What a GUI-started multi-process run passes its ranks (the GUI resumes with its own config).
    train.add_argument("--resume-from", help=argparse.SUPPRESS)
    add_launch_options(train)
    train.set_defaults(func=cmd_train)
    resume = sub.add_parser("resume", help="continue a run from its last checkpoint")
    resume.add_argument("target", help="a run folder or a .ckpt file")
    _add_set_option(resume, "override a value of the saved config, e.g. --set train.epochs=20")
    resume.add_argument(
        "--epochs",
        type=int,
        metavar="N",
        help="train until N epochs in total (more than the run has trained, to train a finished run further)",
    )
    add_trusted_option(
        resume,
        "import the Python file of a custom model (model.arch = file:...) that the checkpoint's saved config "
        "names: it runs that code. Without it such a run is refused, naming the file and its SHA-256; use this "
        "only for runs from a source you trust (checkpoints holding pickled code are refused even so)",
    )
    add_launch_options(resume)
    resume.set_defaults(func=cmd_resume)
    info = sub.add_parser("info", help="versions, devices and the precisions each supports")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(func=cmd_info)
    keys = sub.add_parser("keys", help="every config key: default, allowed values, when it applies, meaning")
    keys.set_defaults(func=cmd_keys)
    add_artifact_commands(sub)
    add_sweep_command(sub)
    add_explain_command(sub)
    add_lr_find_command(sub, _add_set_option)
    add_probe_batch_command(sub, _add_set_option)
    add_script_command(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line ``argv`` (None: ``sys.argv``, as the program, which then also leaves
    quietly on a Ctrl-C during interpreter shutdown)."""
    args = build_parser().parse_args(argv)
    from backend.engine.launch import report_exit  # a rank of `--nproc` tells its launcher why it ends

    try:
        code = args.func(args)
        report_exit(code, "diverged" if code == EXIT_FAILED else "stopped")
        return code
    except TorchDeskError as exc:
        report_exit(EXIT_BAD_INPUT, "input", exc)
        sys.stderr.write(f"torchdesk-cli: error: {exc}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        _quit_quietly_on_ctrl_c()
        sys.stderr.write("torchdesk-cli: interrupted\n")
        return EXIT_INTERRUPTED
    except Exception as exc:
        report_exit(EXIT_FAILED, "error", exc)
        if args.debug:
            raise
        sys.stderr.write(
            f"torchdesk-cli: internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)\n"
        )
        return EXIT_FAILED
    finally:
        if argv is None:
            _quit_quietly_on_ctrl_c()


if __name__ == "__main__":
    sys.exit(main())
