"""The artifact subcommands registered on a fresh parser: output, exit codes and one-line errors."""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from backend.cli.artifacts import add_artifact_commands
from backend.cli.main import main as cli_main
from backend.core.errors import TorchDeskError

pytestmark = pytest.mark.timeout(300)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def run(trained_run):
    return trained_run("digits-cnn")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="test")
    add_artifact_commands(p.add_subparsers(dest="command", required=True))
    return p


def call(argv: list[str]) -> int:
    """What torchdesk-cli's main does with a command: its exit code, or 2 for a TorchDeskError."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except TorchDeskError as exc:
        sys.stderr.write(f"torchdesk-cli: error: {exc}\n")
        return 2


def _error_line(capsys: pytest.CaptureFixture) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_commands_are_registered():
    sub = parser()._subparsers._group_actions[0]
    assert set(sub.choices) == {"save", "export", "quantize", "evaluate", "predict"}


@pytest.mark.parametrize("fmt", ["pth", "safetensors", "ckpt", "torchscript", "pickle"])
def test_save(run, tmp_path, capsys, fmt):
    out = tmp_path / f"model.{fmt}"
    assert call(["save", str(run), "--format", fmt, "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"saved {fmt} to {out} (") and out.exists()
    if fmt == "pickle":
        assert "trusted sources" in text


def test_save_default_name(run, capsys):
    assert call(["save", str(run / "checkpoints" / "last.ckpt"), "--format", "safetensors"]) == 0
    written = Path(capsys.readouterr().out.split(" to ")[1].split(" (")[0])
    assert written.parent == run / "exports" and written.name.startswith("digits-cnn-safetensors-")


def test_export_onnx_prints_the_checks(run, tmp_path, capsys):
    out, report = tmp_path / "m.onnx", tmp_path / "export.json"
    assert (
        call(["export", str(run), "--format", "onnx", "--out", str(out), "--opset", "18", "--report", str(report)]) == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"exported onnx to {out}") and "opset 18" in lines[0]
    assert lines[1].startswith("parity in ONNX Runtime on 32 validation samples: max abs diff") and "OK" in lines[1]
    assert lines[2] == "onnx.checker: passed"
    assert lines[3].startswith("latency at batch 32: PyTorch")
    assert json.loads(report.read_text())["parity_ok"] is True


def test_export_pt2_and_torchscript(run, tmp_path, capsys):
    assert call(["export", str(run), "--format", "pt2", "--out", str(tmp_path / "m.pt2")]) == 0
    assert (
        call(["export", str(run), "--format", "torchscript", "--out", str(tmp_path / "m.pt"), "--method", "script"])
        == 0
    )
    out = capsys.readouterr().out
    assert "exported pt2" in out and "exporter torch.jit.script" in out


def test_quantize_with_report(run, tmp_path, capsys):
    out, report = tmp_path / "q.pt", tmp_path / "q.json"
    assert (
        call(
            [
                "quantize",
                str(run),
                "--method",
                "static_int8",
                "--out",
                str(out),
                "--report",
                str(report),
                "--threads",
                "1",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert text.splitlines()[0].startswith("method") and "static_int8" in text
    assert f"saved static_int8 model to {out}" in text and out.exists()
    rows = json.loads(report.read_text())["rows"]
    assert rows[0]["method"] == "static_int8" and rows[0]["size_ratio"] > 1


def test_evaluate_with_report_and_csv(run, tmp_path, capsys):
    report, table = tmp_path / "eval.json", tmp_path / "eval.csv"
    assert (
        call(["evaluate", str(run), "--noise", "0.1", "--fgsm", "0.05", "--report", str(report), "--csv", str(table)])
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("val split, 360 samples: accuracy")
    assert "confusion matrix" in out and "accuracy under fgsm (epsilon 0.05)" in out
    data = json.loads(report.read_text())
    assert set(data["robustness"]) == {"gaussian_noise", "fgsm"} and len(data["metrics"]["roc"]) == 10
    assert table.read_text().startswith("class,precision,recall,f1,support")


def test_predict(run, tmp_path, capsys):
    from PIL import Image
    from sklearn.datasets import load_digits

    digits = load_digits()
    paths = []
    for i in range(3):
        path = tmp_path / f"d{i}.png"
        Image.fromarray((digits.images[i] * 255 / 16).round().astype("uint8"), mode="L").save(path)
        paths.append(str(path))
    assert call(["predict", str(run / "model.safetensors"), *paths, "--top-k", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and all(line.count("%") == 2 for line in lines)
    assert lines[0].startswith(f"{paths[0]}: ")
    assert call(["predict", str(run / "model.safetensors"), paths[0], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["top"][0]["probability"] > 0
    assert call(["predict", str(run / "model.safetensors"), paths[0], str(tmp_path / "nope.png")]) == 2
    assert _error_line(capsys) == f"torchdesk-cli: error: {tmp_path / 'nope.png'}: file not found"


def test_bad_files_give_one_line_and_exit_2(run, tmp_path, capsys):
    random_file = tmp_path / "random.ckpt"
    random_file.write_bytes(random.Random(0).randbytes(3000))
    cut = tmp_path / "cut.ckpt"
    cut.write_bytes((run / "checkpoints" / "last.ckpt").read_bytes()[:5000])
    cases = [
        (["save", str(tmp_path / "missing.ckpt"), "--format", "pth"], "does not exist"),
        (["export", str(random_file), "--format", "onnx"], "random.ckpt"),
        (["evaluate", str(cut)], "truncated or corrupted"),
        (["quantize", str(run), "--method", "dynamic_int8", "--calibration-batches", "0"], "calibration"),
        (["save", str(run / "model.safetensors"), "--format", "ckpt"], "needs a training checkpoint"),
        (["evaluate", str(run), "--split", "test", "--test-root", str(tmp_path)], "no separate test set"),
        (["evaluate", str(run), "--test-root", str(tmp_path)], "--test-root goes with --split test"),
    ]
    for argv, expected in cases:
        assert call(argv) == 2, argv
        line = _error_line(capsys)
        assert line.startswith("torchdesk-cli: error: ") and expected in line


def test_pickle_needs_trusted_flag(run, tmp_path, capsys):
    out = tmp_path / "full.pkl.pth"
    assert call(["save", str(run), "--format", "pickle", "--out", str(out)]) == 0
    capsys.readouterr()
    assert call(["evaluate", str(out)]) == 2
    assert "--trusted" in _error_line(capsys)
    assert call(["evaluate", str(out), "--trusted"]) == 0
    assert "loaded a pickled full model" in capsys.readouterr().out


def test_argparse_rejects_unknown_choices(run, capsys):
    with pytest.raises(SystemExit) as info:
        parser().parse_args(["export", str(run), "--format", "tflite"])
    assert info.value.code == 2


def test_standalone_entry_point_in_a_subprocess(run, tmp_path):
    """python -m backend.cli evaluate: one clean line on stderr and exit 2 for a bad file."""
    bad = tmp_path / "empty.pth"
    bad.write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "-m", "backend.cli", "evaluate", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"torchdesk-cli: error: model file {bad} is empty (0 bytes); it was not written completely - save it again"
    ]
    assert cli_main(["evaluate", str(bad)]) == 2


def test_fits_into_torchdesk_cli(run, tmp_path, capsys, monkeypatch):
    """Registered on torchdesk-cli's own parser, the commands run through its main() and error handling."""
    from backend.cli import main as cli

    build = cli.build_parser

    def with_artifacts() -> argparse.ArgumentParser:
        p = build()
        sub = p._subparsers._group_actions[0]
        if "save" not in sub.choices:  # until backend/cli/main.py registers them itself
            add_artifact_commands(sub)
        return p

    monkeypatch.setattr(cli, "build_parser", with_artifacts)
    assert cli.main(["save", str(run), "--format", "safetensors", "--out", str(tmp_path / "w.safetensors")]) == 0
    assert capsys.readouterr().out.startswith("saved safetensors")
    assert cli.main(["evaluate", str(tmp_path / "none.ckpt")]) == 2
    assert _error_line(capsys).startswith("torchdesk-cli: error: model file")
