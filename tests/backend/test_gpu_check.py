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

TINY = gpu_check.Scale(train=128, val=64, batch=32, arch="simple_cnn", epochs=1, throughput_epochs=1)
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
    ],
    ids=["fp32", "peak-memory", "out-of-memory", "resume"],
)
def test_checks_pass_on_the_cpu(check, kwargs, data, tmp_path: Path) -> None:  # noqa: ANN001
    result = check(CPU, TINY, data, tmp_path, **kwargs)
    assert result.status == "PASS", result.line()


@pytest.mark.slow
def test_throughput_check_compares_with_a_plain_loop(data, tmp_path: Path) -> None:  # noqa: ANN001
    result = gpu_check.check_throughput(CPU, TINY, data, tmp_path)
    # On a shared CPU the ratio is noise; the check must measure both and state the target.
    assert result.status in ("PASS", "FAIL") and "plain loop" in result.figures and ">= 0.97" in result.figures
