"""``torchdesk-cli`` subcommands for trained models: save, export, quantize, evaluate, predict.

``add_artifact_commands(subparsers)`` registers them on the main parser. Each command returns an
exit code (0 done, 1 a check failed: export parity above the limit) and raises TorchDeskError for
bad input, which the main CLI prints as one line with exit code 2. Heavy imports happen inside the
commands, so building the parser stays cheap.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backend.core.errors import TorchDeskError

if TYPE_CHECKING:
    from backend.artifacts.model_io import LoadedModel

EXIT_OK, EXIT_FAILED = 0, 1
SAVE_CHOICES = ("pth", "safetensors", "ckpt", "torchscript", "pickle")
EXPORT_CHOICES = ("onnx", "torchscript", "pt2")
QUANT_CHOICES = ("dynamic_int8", "static_int8", "fp16", "bf16", "ort_dynamic_int8", "ort_static_int8", "all")


def _print(lines: list[str]) -> None:
    for line in lines:
        print(line)
    sys.stdout.flush()


def _write_json(path: str, data: dict[str, Any]) -> None:
    from backend.core.atomic import atomic_write_text

    atomic_write_text(Path(path), json.dumps(data, indent=2))
    print(f"report written to {path}")


def _check_outputs(args: argparse.Namespace) -> None:
    """--report and --csv are written last: refuse a path that cannot be a file before the work starts."""
    from backend.core.os_errors import check_output_file

    for option, example in (("report", "report.json"), ("csv", "table.csv")):
        if getattr(args, option, None):
            check_output_file(getattr(args, option), example)


def _load(args: argparse.Namespace) -> LoadedModel:
    from backend.artifacts.model_io import load_model

    loaded = load_model(args.model, trusted=args.trusted)
    for note in loaded.notes:
        print(f"note: {note}")
    return loaded


def cmd_save(args: argparse.Namespace) -> int:
    from backend.artifacts.save import save_model

    result = save_model(_load(args), args.format, args.out, torchscript_method=args.method)
    _print(result.lines())
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from backend.artifacts.export import export_model

    _check_outputs(args)
    report = export_model(
        _load(args), args.format, args.out, opset=args.opset, method=args.method, dynamic_batch=not args.static_batch
    )
    _print(report.lines())
    if args.report:
        _write_json(args.report, report.to_dict())
    return EXIT_OK if report.parity_ok else EXIT_FAILED


def cmd_quantize(args: argparse.Namespace) -> int:
    from backend.artifacts.quantize import compare_methods, quantize_model
    from backend.core.os_errors import check_output_folder

    _check_outputs(args)
    if args.method == "all" and args.out:
        check_output_folder(args.out)
    loaded = _load(args)
    if args.method == "all":
        report = compare_methods(loaded, calibration_batches=args.calibration_batches, threads=args.threads)
        try:
            _print(report.table_lines() + [f"note: {n}" for n in report.notes])
            if args.out:  # a folder: keep every method that worked, named <run>-<method>-<date>.<ext>
                from backend.artifacts.model_io import default_output_path

                for row in report.rows:
                    if row.ok:
                        target = default_output_path(loaded, row.method, Path(row.path).suffix, folder=args.out)
                        print(f"saved {row.method} to {report.save(row.method, target)}")
            if args.report:
                _write_json(args.report, report.to_dict())
        finally:
            report.close()
        return EXIT_OK
    path, report = quantize_model(
        loaded, args.method, args.out, calibration_batches=args.calibration_batches, threads=args.threads
    )
    _print(report.table_lines() + [f"note: {n}" for n in report.notes + report.row(args.method).notes])
    print(f"saved {args.method} model to {path}")
    if args.report:
        _write_json(args.report, report.to_dict())
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from backend.artifacts.evaluate import evaluate_model

    if args.test_root and args.split != "test":
        raise TorchDeskError("--test-root goes with --split test")
    _check_outputs(args)
    report = evaluate_model(
        _load(args), split=args.split, noise_std=args.noise, fgsm_epsilon=args.fgsm, test_root=args.test_root
    )
    _print(report.lines())
    if args.csv:
        report.save_csv(args.csv)
        print(f"table written to {args.csv}")
    if args.report:
        _write_json(args.report, report.to_dict())
    return EXIT_OK


def cmd_predict(args: argparse.Namespace) -> int:
    from backend.artifacts.predict import predict_files, save_predictions_csv

    _check_outputs(args)
    results = predict_files(args.model, args.inputs, args.top_k, trusted=args.trusted)
    for warning in (w for r in results for w in r.warnings):  # on stderr: stdout stays the results
        print(f"torchdesk-cli: warning: {warning}", file=sys.stderr)
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=2))
    else:
        _print([r.line() for r in results if not r.error])
    if args.csv:
        save_predictions_csv(results, args.csv)
        print(f"table written to {args.csv}")
    failed = [r for r in results if r.error]
    if failed:
        more = f" (and {len(failed) - 1} more input(s) failed)" if len(failed) > 1 else ""
        raise TorchDeskError(f"{failed[0].input}: {failed[0].error}{more}")
    return EXIT_OK


TRUSTED_HELP = (
    "run the code the model file brings: a pickled full model, or the Python file of a custom model "
    "(model.arch = file:...) that its metadata names. Without it such a file is refused, naming the code "
    "and its SHA-256; use this only for files from a source you trust"
)


def add_trusted_option(parser: argparse.ArgumentParser, help_text: str = TRUSTED_HELP) -> None:
    """``--trusted``: the one trust switch of every command that may run code a model file brings."""
    parser.add_argument("--trusted", action="store_true", help=help_text)


def _model_arg(parser: argparse.ArgumentParser, what: str = "a checkpoint (.ckpt), weights file or run folder") -> None:
    parser.add_argument("model", metavar="CKPT", help=what)
    add_trusted_option(parser)


def add_artifact_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register save, export, quantize, evaluate and predict on ``subparsers`` (from add_subparsers)."""
    save = subparsers.add_parser("save", help="save a model as weights, checkpoint, TorchScript or pickle")
    _model_arg(save)
    save.add_argument("--format", required=True, choices=SAVE_CHOICES, help="what to write")
    save.add_argument("--out", metavar="PATH", help="output file (default: <run>/exports/<run>-<format>-<date>.<ext>)")
    save.add_argument("--method", choices=("trace", "script"), default="trace", help="TorchScript: trace or script")
    save.set_defaults(func=cmd_save)

    export = subparsers.add_parser("export", help="export to ONNX, TorchScript or torch.export (.pt2), with checks")
    _model_arg(export)
    export.add_argument("--format", required=True, choices=EXPORT_CHOICES)
    export.add_argument(
        "--out", metavar="PATH", help="output file (default: <run>/exports/<run>-<format>-<date>.<ext>)"
    )
    export.add_argument("--opset", type=int, default=18, metavar="N", help="ONNX opset (default 18)")
    export.add_argument("--method", choices=("trace", "script"), default="trace", help="TorchScript: trace or script")
    export.add_argument("--static-batch", action="store_true", help="fix the batch size instead of a dynamic axis")
    export.add_argument("--report", metavar="JSON", help="also write the export report as JSON")
    export.set_defaults(func=cmd_export)

    quant = subparsers.add_parser("quantize", help="quantize a model and compare it with fp32")
    _model_arg(quant)
    quant.add_argument(
        "--method",
        required=True,
        choices=QUANT_CHOICES,
        help="a method, or 'all' to compare every method (then --out is a folder)",
    )
    quant.add_argument("--out", metavar="PATH", help="output file (default: <run>/exports/<run>-<method>-<date>.<ext>)")
    quant.add_argument("--report", metavar="JSON", help="write the comparison as JSON")
    quant.add_argument(
        "--calibration-batches",
        type=int,
        default=8,
        metavar="N",
        help="training batches of 32 for static calibration (default 8)",
    )
    quant.add_argument("--threads", type=int, metavar="N", help="CPU threads for the latency measurements")
    quant.set_defaults(func=cmd_quantize)

    ev = subparsers.add_parser("evaluate", help="metrics, confusion matrix, curves and robustness on a split")
    _model_arg(ev)
    ev.add_argument("--split", choices=("val", "train", "test"), default="val")
    ev.add_argument(
        "--test-root",
        default="",
        metavar="PATH",
        help="the test set for --split test: an image folder or CSV file in the run's format "
        "(torchvision data: defaults to the run's folder, whose official test files are used)",
    )
    ev.add_argument("--noise", type=float, metavar="STD", help="also measure accuracy under Gaussian noise of this std")
    ev.add_argument(
        "--fgsm", type=float, metavar="EPS", help="also measure accuracy under an FGSM attack of this epsilon"
    )
    ev.add_argument("--report", metavar="JSON", help="write every metric and curve as JSON")
    ev.add_argument("--csv", metavar="CSV", help="write the per-class table as CSV")
    ev.set_defaults(func=cmd_evaluate)

    pred = subparsers.add_parser("predict", help="top-k classes (or values) for image files or CSV rows")
    pred.add_argument("model", metavar="MODEL", help="a .ckpt/.pth/.safetensors, .onnx, TorchScript .pt or .pt2 file")
    pred.add_argument("inputs", nargs="+", metavar="INPUT", help="image files or CSV files (one prediction per row)")
    pred.add_argument("--top-k", type=int, default=5, metavar="K", help="classes to show (default 5)")
    pred.add_argument("--json", action="store_true", help="print JSON")
    pred.add_argument("--csv", metavar="CSV", help="also write the predictions as CSV (one row per input)")
    add_trusted_option(pred)
    pred.set_defaults(func=cmd_predict)
