"""``torchdesk-cli explain``: one PNG per input showing why the model predicts what it does.

An image input gets its heat map (Grad-CAM, integrated gradients or saliency) over the image; a CSV
row a bar chart of per-feature attributions (backend/artifacts/explain.py). Files in DIR are never
replaced: a name that is taken gets a number.
"""

from __future__ import annotations

import argparse

from backend.core.errors import TorchDeskError

EXIT_OK = 0


def cmd_explain(args: argparse.Namespace) -> int:
    from backend.artifacts.explain import explain_files, write_png
    from backend.core.os_errors import check_output_folder

    check_output_folder(args.out)
    _, results = explain_files(args.model, args.inputs, args.method, trusted=args.trusted)
    for result in results:
        if not result.error:
            print(f"{result.line()} -> {write_png(result, args.out)}")
    failed = [r for r in results if r.error]
    if failed:
        more = f" (and {len(failed) - 1} more input(s) failed)" if len(failed) > 1 else ""
        raise TorchDeskError(f"{failed[0].input}: {failed[0].error}{more}")
    return EXIT_OK


def add_explain_command(subparsers: argparse._SubParsersAction) -> None:
    """Register ``explain`` on the main parser's ``subparsers``."""
    from backend.cli.artifacts import add_trusted_option
    from backend.core.experiments import METHODS

    explain = subparsers.add_parser(
        "explain", help="heat maps (Grad-CAM, integrated gradients, saliency) or feature attributions, as PNGs"
    )
    explain.add_argument("model", metavar="MODEL", help="a .ckpt/.pth/.safetensors file or a run folder")
    explain.add_argument("inputs", nargs="+", metavar="INPUT", help="image files or CSV files (one PNG per row)")
    explain.add_argument("--out", required=True, metavar="DIR", help="folder for the PNGs (made if missing)")
    explain.add_argument(
        "--method",
        choices=("auto", *METHODS),
        default="auto",
        help="auto (default): Grad-CAM for convolutional image models, else integrated gradients",
    )
    add_trusted_option(explain)
    explain.set_defaults(func=cmd_explain)
