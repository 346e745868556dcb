"""``torchdesk-cli sweep``: a hyper-parameter search on Optuna (backend/engine/sweep.py).

Prints each trial's parameters, its epochs (the ``train`` progress lines), why it was pruned, and at
the end the table of trials and the best one. Exit codes: 0 done, 2 bad input, 130 stopped by
Ctrl-C (the running trial saved a checkpoint and is queued again: run the same command to continue).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

EXIT_OK, EXIT_INTERRUPTED = 0, 130


class SweepPrinter:
    """Trial lines around the trainer's progress lines (``ProgressPrinter``)."""

    def __init__(self, stream: TextIO) -> None:
        from backend.cli.main import ProgressPrinter

        self.stream = stream
        self.progress = ProgressPrinter(stream)

    def __call__(self, event: dict[str, Any]) -> None:
        kind = event["event"]
        if kind == "trial_start":
            values = "  ".join(f"{k}={_short(v)}" for k, v in event["params"].items())
            self._line(f"trial {event['trial']}: {values}")
        elif kind == "trial_end":
            row = event["row"]
            value = f" {row['value']:.4g}" if row["value"] is not None else ""
            self._line(
                f"trial {event['trial']}: {row['state'].lower()}{value} after {row['epochs']} epoch(s) "
                f"({event['finished']}/{event['trials']} trials finished)"
            )
        else:
            self.progress(event)

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()


def _short(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def default_folder(runs_dir: str, study: str) -> Path:
    """``<runs folder>/sweeps/<study>``: the same command finds the same sweep again."""
    return Path(runs_dir).expanduser() / "sweeps" / study


def cmd_sweep(args: argparse.Namespace) -> int:
    from backend.cli.console import config_from_command_line
    from backend.cli.main import _ctrl_c_stops
    from backend.core.experiments import DEFAULT_STUDY
    from backend.engine.control import TrainControl
    from backend.engine.sweep import Sweep, parse_params

    base = config_from_command_line(args.config, args.set)
    specs = parse_params(args.param, base)
    study = args.study or DEFAULT_STUDY
    folder = Path(args.out) if args.out else default_folder(base.train.runs_dir, study)
    control = TrainControl()
    sweep = Sweep(
        base,
        specs,
        folder,
        trials=args.trials,
        study_name=study,
        storage=args.storage,
        seed=args.seed,
        prune_after=args.prune_after,
        control=control,
        on_event=SweepPrinter(sys.stdout),
    )
    with _ctrl_c_stops(control):
        result = sweep.run()
    print(f"study {result.study!r} in {result.storage} ({result.direction} {result.monitor}):")
    for line in result.table_lines():
        print("  " + line)
    if result.best is not None:
        values = ", ".join(f"{k}={_short(v)}" for k, v in result.best.params.items())
        print(f"best trial {result.best.number}: {result.monitor} {result.best.value:.4g} with {values}")
        print(f"best run: {result.best.run_dir}")
    if result.stopped:
        print("stopped: run the same command again to continue the sweep")
        return EXIT_INTERRUPTED
    return EXIT_OK


def add_sweep_command(subparsers: argparse._SubParsersAction) -> None:
    """Register ``sweep`` on the main parser's ``subparsers``."""
    from backend.core.experiments import DEFAULT_STUDY, PRUNE_AFTER

    sweep = subparsers.add_parser(
        "sweep",
        help="search hyper-parameters with Optuna (TPE sampler, median pruning); every trial is a run",
    )
    sweep.add_argument("config", help="the base run config (.toml)")
    sweep.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=SPEC",
        help="a key to search (repeatable): SPEC is log:LOW:HIGH, float:LOW:HIGH, int:LOW:HIGH or a comma list "
        "of choices, e.g. --param optim.lr=log:1e-4:1e-1 --param optim.name=adam,sgd",
    )
    sweep.add_argument(
        "--trials", type=int, default=20, metavar="N", help="finished trials the study should hold (default 20)"
    )
    sweep.add_argument(
        "--out",
        metavar="DIR",
        help="the sweep folder: the study's journal and one run folder per trial "
        "(default: <train.runs_dir>/sweeps/<study>); the same folder and study continue a sweep",
    )
    sweep.add_argument("--study", default=DEFAULT_STUDY, metavar="NAME", help=f"study name (default {DEFAULT_STUDY})")
    sweep.add_argument(
        "--storage",
        metavar="URL",
        help="where the study lives: a journal file path or a database URL (sqlite:///sweep.db, "
        "postgresql://user:password@host/db); processes and machines that give the same one share the study "
        "(default: DIR/study.journal)",
    )
    sweep.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="sampler seed (default: the config's seed); give each process that joins a study its own",
    )
    sweep.add_argument(
        "--prune-after",
        type=int,
        default=PRUNE_AFTER,
        metavar="N",
        help=f"finished trials before pruning starts (default {PRUNE_AFTER})",
    )
    sweep.add_argument(
        "--set", action="append", default=[], metavar="SECTION.KEY=VALUE", help="override a value of the base config"
    )
    sweep.set_defaults(func=cmd_sweep)
