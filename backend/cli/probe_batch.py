"""``torchdesk-cli probe-batch``: the largest batch of a config's model that trains on its CUDA device."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def cmd_probe_batch(args: argparse.Namespace) -> int:
    from backend.cli.console import config_from_command_line, end_progress, progress_display
    from backend.core.config import validate
    from backend.data import build_data
    from backend.engine.batch_probe import check_probe_device, probe_batch
    from backend.engine.device import resolve_device, resolve_precision
    from backend.engine.probe_step import workload_from_data

    config = config_from_command_line(args.config, args.set)
    validate(config)
    device = resolve_device(config.train.device)
    check_probe_device(device)  # before the data is loaded
    precision = resolve_precision(config.train.precision, device).name
    data = build_data(config.data, config.seed, device)
    probe = probe_batch(
        workload_from_data(config, data),
        device,
        precision,
        len(data.y_train),
        on_progress=progress_display(),
    )
    end_progress()
    print(probe.text(device, precision))
    print(f"use: --set data.batch_size={probe.suggested}")
    return 0


def add_probe_batch_command(
    sub: argparse._SubParsersAction, add_set_option: Callable[[argparse.ArgumentParser, str], None]
) -> None:
    parser = sub.add_parser(
        "probe-batch",
        help="the largest data.batch_size that trains on the config's CUDA device (grows it until out of memory)",
    )
    parser.add_argument("config", help="path to a run config (.toml)")
    add_set_option(parser, "override a config value, e.g. --set train.precision=bf16-mixed (repeatable)")
    parser.set_defaults(func=cmd_probe_batch)
