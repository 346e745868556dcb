"""``torchdesk-cli script``: a run or config written out as one standalone plain-PyTorch script."""

from __future__ import annotations

import argparse
from pathlib import Path


def cmd_script(args: argparse.Namespace) -> int:
    from backend.artifacts.script_export import script_config, write_script
    from backend.core import messages
    from backend.core.errors import StorageError

    out = Path(args.out).expanduser()
    if out.exists() and not args.force:
        raise StorageError(messages.ERR_SCRIPT_EXISTS.format(path=out))
    path = write_script(script_config(args.source), out)
    print(f"wrote {path}; run it with: python {path.name}")
    return 0


def add_script_command(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "script",
        help="write a run as one standalone plain-PyTorch training script (torch, torchvision, numpy, PIL, sklearn)",
    )
    parser.add_argument("source", metavar="RUN_OR_CONFIG", help="a run folder, its checkpoint (.ckpt) or a config")
    parser.add_argument("--out", default="train.py", help="the script to write (default: train.py)")
    parser.add_argument("--force", action="store_true", help="replace the --out file when it exists")
    parser.set_defaults(func=cmd_script)
