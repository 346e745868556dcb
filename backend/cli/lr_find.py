"""``torchdesk-cli lr-find``: the learning-rate range test, its curve written as lr_find.csv and lr_find.png."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def cmd_lr_find(args: argparse.Namespace) -> int:
    from backend.artifacts.lr_find_files import output_folder, write_lr_find
    from backend.cli.console import config_from_command_line, end_progress, progress_display
    from backend.engine.lr_finder import lr_range_test

    config = config_from_command_line(args.config, args.set)
    folder = output_folder(args.out, config)  # refused before the work when it holds a test already
    result = lr_range_test(
        config,
        start_lr=args.start_lr,
        end_lr=args.end_lr,
        steps=args.steps,
        on_progress=progress_display(),
    )
    csv_path, png_path = write_lr_find(result, folder, f"{config.name}: learning-rate range test")
    end_progress()
    print(result.stop_reason)
    print(f"curve: {csv_path}\nplot: {png_path}")
    print(f"rule: {result.rule_text}")
    print(f"suggested lr: {result.suggestion:.3g}")
    return 0


def add_lr_find_command(
    sub: argparse._SubParsersAction, add_set_option: Callable[[argparse.ArgumentParser, str], None]
) -> None:
    from backend.engine.lr_finder import END_LR, START_LR, STEPS

    parser = sub.add_parser(
        "lr-find",
        help="learning-rate range test: the loss while the lr rises exponentially, and a suggested lr",
    )
    parser.add_argument("config", help="path to a run config (.toml)")
    parser.add_argument(
        "--out",
        help="folder for lr_find.csv and lr_find.png (default: a new folder under ./lr_find); never overwritten",
    )
    parser.add_argument("--start-lr", type=float, default=START_LR, help=f"first lr (default {START_LR:g})")
    parser.add_argument("--end-lr", type=float, default=END_LR, help=f"last lr (default {END_LR:g})")
    parser.add_argument("--steps", type=int, default=STEPS, help=f"batches, one lr each (default {STEPS})")
    add_set_option(parser, "override a config value, e.g. --set model.arch=simple_cnn (repeatable)")
    parser.set_defaults(func=cmd_lr_find)
