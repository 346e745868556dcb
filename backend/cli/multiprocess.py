"""``torchdesk-cli train/resume --nproc N``: the command line as a torchrun launcher, and the frozen
app's hidden entry modes (the bundle's executable acting as torchrun and as each rank)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from typing import Any

from backend.core import messages
from backend.core.errors import TorchDeskError

EXIT_FAILED, EXIT_INTERRUPTED = 1, 130


def add_launch_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "several processes (DistributedDataParallel under torchrun; see README 'Several GPUs and machines')"
    )
    group.add_argument(
        "--nproc",
        type=int,
        default=0,
        metavar="N",
        help="train with N processes on this machine, one per GPU (with train.device=cpu: gloo on the CPU, "
        "for testing); TorchDesk starts torchrun itself",
    )
    group.add_argument("--gpus", default="", metavar="LIST", help="with --nproc: use these GPUs, e.g. 0,2")
    group.add_argument("--nnodes", type=int, default=1, metavar="M", help="with --nproc: machines taking part")
    group.add_argument("--node-rank", type=int, default=0, metavar="R", help="this machine's number, 0 to M-1")
    group.add_argument(
        "--rdzv-endpoint",
        default="",
        metavar="HOST:PORT",
        help="with --nnodes > 1: the address of the machine with --node-rank 0 and a free port there",
    )


def launch_plan(args: argparse.Namespace) -> Any:
    """The ``LaunchPlan`` the options ask for, or None to train in this process."""
    if not args.nproc and args.nnodes == 1 and not args.rdzv_endpoint:
        return None
    if os.environ.get("LOCAL_RANK") is not None:
        raise TorchDeskError(messages.ERR_LAUNCH_NESTED)
    from backend.engine.launch import LaunchPlan

    try:
        gpus = tuple(int(part) for part in args.gpus.split(",") if part.strip())
    except ValueError:
        raise TorchDeskError(f"--gpus {args.gpus!r} must list GPU numbers, such as 0,1") from None
    plan = LaunchPlan(
        nproc=args.nproc or 1,
        nnodes=args.nnodes,
        node_rank=args.node_rank,
        rdzv_endpoint=args.rdzv_endpoint,
        gpus=gpus,
    )
    plan.validate()
    if plan.world == 1:
        return None  # one process: no launcher needed
    return plan


def visible_gpu_count() -> int:
    import torch

    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def launch_run(
    plan: Any,
    config: Any,
    *,
    run_dir: str | None = None,
    overwrite: bool = False,
    resume_from: Path | None = None,
    debug: bool = False,
) -> int:
    """Train ``config`` (checked here first) with the processes ``plan`` asks for; the launcher's exit code."""
    from backend.core.config import validate
    from backend.engine.launch import Launch, rank_args

    validate(config)
    plan.check_gpus(config.train.device, visible_gpu_count())
    launch = Launch(plan)
    args = rank_args(launch.write_config(config), run_dir=run_dir, overwrite=overwrite, resume_from=resume_from)
    return run_launch(launch, args, debug=debug)


def run_launch(launch: Any, cli_args: list[str], *, debug: bool = False) -> int:
    """Run torchrun until it ends; the first Ctrl-C asks every rank to stop after its step (rank 0 saves
    a checkpoint), a second one ends them at once. A rank's error becomes this process's error."""
    interrupts: list[int] = []

    def on_sigint(signum: int, frame: Any) -> None:
        interrupts.append(signum)

    def on_tick() -> None:
        if len(interrupts) == 1 and not launch.stop_sent:
            launch.stop()
            sys.stderr.write("\nstopping every process after this step and saving a checkpoint (Ctrl-C again to end)\n")
        elif len(interrupts) > 1:
            launch.terminate()

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        # Rank 0 prints the progress; the ranks' stderr goes to the launcher's log unless --debug.
        launch.start(cli_args, show_output=True, show_errors=debug)
        code = launch.wait(on_tick=on_tick)
    finally:
        signal.signal(signal.SIGINT, previous)
    exit_code, error = launch.failure(code)
    if isinstance(error, TorchDeskError):
        launch.close()
        rank = getattr(error, "rank", 0)
        if rank:
            raise type(error)(f"{error} (process {rank} of {getattr(error, 'world', '?')})", field=error.field)
        raise error
    if error is not None:
        # Internal errors and crashes keep the launch folder: its log holds the ranks' tracebacks.
        sys.stderr.write(f"torchdesk-cli: internal error: {error}\n")
        tail = launch.log_tail()
        if tail:
            sys.stderr.write(f"last lines of {launch.folder / 'launcher.log'}:\n{tail}\n")
        return EXIT_FAILED
    launch.close()
    return EXIT_INTERRUPTED if interrupts else exit_code


def hidden_entry(argv: list[str]) -> int | None:
    """The frozen app's hidden modes: ``FROZEN_TORCHRUN args`` runs torchrun, ``FROZEN_CLI args`` runs
    ``torchdesk-cli args`` (a rank); None for any other command line (the app opens its window)."""
    from backend.engine.launch import FROZEN_CLI, FROZEN_TORCHRUN

    mode = argv[1] if len(argv) > 1 else ""
    if mode == FROZEN_TORCHRUN:
        from backend.engine.launch import run_torchrun

        return run_torchrun(argv[2:])
    if mode == FROZEN_CLI:
        from backend.cli.main import main

        return main(argv[2:])
    return None
