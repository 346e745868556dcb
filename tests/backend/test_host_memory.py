"""Freed CPU memory stays in the process during training, so steps stop faulting pages back in."""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from torch import nn

from backend.core import host_memory

ROOT = Path(__file__).resolve().parents[2]
glibc_only = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="the setting is glibc's"
)


def faults_per_step(steps: int = 40) -> float:
    """Minor page faults per training step of a small CNN (megabyte activations), after a warm-up."""
    torch.manual_seed(0)
    net = nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 14 * 14, 10)
    )
    x = torch.randn(64, 1, 28, 28)

    def step() -> None:
        net.zero_grad(set_to_none=True)
        net(x).sum().backward()

    for _ in range(10):
        step()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(steps):
        step()
    return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / steps


@glibc_only
@pytest.mark.timeout(60)
def test_training_steps_reuse_memory_instead_of_faulting_it_in_again():
    # glibc's defaults, in a fresh process (once set, the thresholds stay set in this one).
    code = "import test_host_memory as t; print(t.faults_per_step())"
    default = float(
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=Path(__file__).parent,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    with host_memory.reuse_freed_memory() as applied:
        assert applied
        inside = faults_per_step()
    # Measured here: about 1,100-1,500 faults per step by default, under 100 inside.
    assert inside * 4 < default, (inside, default)


@glibc_only
def test_nested_uses_trim_once_at_the_outermost_end(monkeypatch):
    trims = []
    real = host_memory._libc()

    class Libc:
        def mallopt(self, option: int, value: int) -> int:
            return real.mallopt(option, value)

        def malloc_trim(self, pad: int) -> int:
            trims.append(pad)
            return 1

    monkeypatch.setattr(host_memory, "_libc", Libc)
    with host_memory.reuse_freed_memory():
        with host_memory.reuse_freed_memory():
            pass
        assert trims == []
    assert trims == [0]


def test_other_c_libraries_are_left_alone(monkeypatch):
    monkeypatch.setattr(platform, "libc_ver", lambda: ("", ""))
    with host_memory.reuse_freed_memory() as applied:
        assert not applied


def test_peak_resident_memory_grows_with_a_large_buffer():
    before = host_memory.peak_resident_mb()
    if before is None:
        pytest.skip("this OS does not report it")
    buffer = torch.ones(int((before + 64) * 2**20 / 4))  # more than the whole peak so far, touched
    assert host_memory.peak_resident_mb() >= before + 60
    del buffer


def test_machine_ram_is_reported_for_the_cpu_device():
    from backend.engine.device import device_inventory

    total = host_memory.total_ram()
    if total is None:
        pytest.skip("this OS does not report it")
    assert 0 < host_memory.available_ram() <= total
    cpu = device_inventory()[0]
    assert cpu["device"] == "cpu" and cpu["memory_gib"] == round(total / 2**30, 1)
