"""tools/gpu_check.py: without CUDA every check is skipped (exit 0); its checks run on the CPU at a tiny
scale, so a broken check is found here rather than on the first machine with a GPU."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("gpu_check", ROOT / "tools" / "gpu_check.py")
gpu_check = importlib.util.module_from_spec(spec)
sys.modules["gpu_check"] = gpu_check
spec.loader.exec_module(gpu_check)

TINY = gpu_check.DRY_RUN
CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def data():  # noqa: ANN201
    return gpu_check.cifar_like(TINY)


def test_without_cuda_every_check_is_skipped(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert gpu_check.main([]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len([line for line in lines if line.startswith("SKIP: no CUDA")]) == len(gpu_check.CHECKS)


def test_generated_data_is_cifar_shaped_and_balanced(data) -> None:  # noqa: ANN001
    assert data.x_train.shape == (128, 3, 32, 32) and data.x_train.dtype == torch.uint8
    assert torch.bincount(data.y_train, minlength=10).min() > 0


@pytest.mark.parametrize(
    ("check", "kwargs"),
    [
        (gpu_check.check_precision, {"precision": "fp32"}),
        (gpu_check.check_peak_memory, {}),
        pytest.param(gpu_check.check_out_of_memory, {"fake_oom": True}, marks=pytest.mark.slow),
        pytest.param(gpu_check.check_resume, {}, marks=pytest.mark.slow),  # three runs
        pytest.param(gpu_check.check_batch_probe, {"fake_oom": True}),
        pytest.param(gpu_check.check_precision_cost, {}, marks=pytest.mark.slow),  # emulated bf16 and fp16 steps
    ],
    ids=["fp32", "peak-memory", "out-of-memory", "resume", "batch-probe", "precision-cost"],
)
def test_checks_pass_on_the_cpu(check, kwargs, data, tmp_path: Path) -> None:  # noqa: ANN001
    result = check(CPU, TINY, data, tmp_path, **kwargs)
    assert result.status == "PASS", result.line()


@pytest.mark.slow
def test_throughput_check_compares_with_a_plain_loop(data, tmp_path: Path) -> None:  # noqa: ANN001
    result = gpu_check.check_throughput(CPU, TINY, data, tmp_path)
    # On a shared CPU the ratio is noise; the check must measure both and state the target.
    assert result.status in ("PASS", "FAIL") and "plain loop" in result.figures and ">= 0.97" in result.figures


@pytest.mark.slow
def test_cpu_dry_run_runs_every_check(capsys: pytest.CaptureFixture) -> None:
    """``--cpu-dry-run``: every check's logic on the CPU; none may break (raise). Figures off a GPU target
    (the throughput ratio on a shared CPU) may still read FAIL."""
    assert gpu_check.main(["--cpu-dry-run"]) == 0
    lines = capsys.readouterr().out.splitlines()
    results = [line for line in lines if line.startswith(("PASS: ", "FAIL: ", "SKIP: "))]
    assert len(results) == len(gpu_check.CHECKS), lines
    for name, _, _ in gpu_check.CHECKS:
        assert any(f": {name}: " in line for line in results), name
    assert lines[-1].endswith("0 broke []")
