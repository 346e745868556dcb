"""The largest-batch probe (backend/engine/batch_probe.py): its search, driven on the CPU by a step that
raises torch.OutOfMemoryError above a threshold, as a CUDA step does when the batch does not fit."""

from __future__ import annotations

import pytest
import torch

from backend.cli.main import main as cli_main
from backend.core.config import RunConfig
from backend.core.errors import DeviceError
from backend.engine.batch_probe import HEADROOM, RESOLUTION, probe_batch, search_largest_batch
from backend.engine.probe_step import ProbeStep, Workload

CPU = torch.device("cpu")


def fake_step(threshold: int, calls: list[int] | None = None):  # noqa: ANN201
    """A step that fits up to ``threshold`` samples and runs out of memory above."""

    def step(batch: int) -> None:
        if calls is not None:
            calls.append(batch)
        if batch > threshold:
            raise torch.OutOfMemoryError(f"CUDA out of memory (fake: {batch} > {threshold})")

    return step


def test_the_batch_doubles_until_out_of_memory_then_bisects_and_backs_off() -> None:
    calls: list[int] = []
    released: list[int] = []
    probe = search_largest_batch(fake_step(700, calls), 64, 60_000, release=lambda: released.append(1))
    assert calls[:5] == [64, 128, 256, 512, 1024]  # doubling, the first that fails is 1024
    assert 700 * (1 - RESOLUTION) <= probe.largest <= 700
    assert probe.suggested == int(probe.largest * HEADROOM)
    assert calls[-1] == probe.suggested  # the suggestion is trained once more
    assert len(released) == sum(not ok for _, ok in probe.tried) > 0  # the cache is emptied after each failure
    assert not probe.at_limit and not probe.cancelled


def test_a_start_that_does_not_fit_searches_downwards() -> None:
    probe = search_largest_batch(fake_step(100), 4096, 60_000)
    assert probe.tried[0] == (4096, False)
    assert 95 <= probe.largest <= 100 and probe.suggested == int(probe.largest * HEADROOM)


def test_the_data_is_the_limit_when_every_sample_fits() -> None:
    probe = search_largest_batch(fake_step(10**9), 64, 300)
    assert probe.largest == probe.suggested == 300 and probe.at_limit  # no headroom needed: memory is not the limit
    assert [b for b, _ in probe.tried] == [64, 128, 256, 300]


def test_a_suggestion_that_no_longer_fits_backs_off_again() -> None:
    """Fragmentation after the failures: the size that fit during the search fails once more."""
    failed_once: set[int] = set()

    def step(batch: int) -> None:
        if batch > 1000 or (batch == 900 and batch not in failed_once):
            failed_once.add(batch)
            raise torch.OutOfMemoryError("fake")

    probe = search_largest_batch(step, 500, 60_000)
    assert probe.largest == 1000 and probe.suggested == int(900 * HEADROOM)


def test_other_errors_propagate_and_a_stop_cancels() -> None:
    def broken(batch: int) -> None:
        raise ValueError("a bug, not memory")

    with pytest.raises(ValueError):
        search_largest_batch(broken, 8, 100)
    tries: list[int] = []
    probe = search_largest_batch(fake_step(700, tries), 8, 60_000, should_stop=lambda: len(tries) >= 2)
    assert probe.cancelled and probe.largest == 16


def test_probe_batch_runs_the_real_step_and_refuses_the_cpu_on_its_own(one_thread: None) -> None:
    config = RunConfig()
    config.data.batch_size = 8
    workload = Workload(config, (64,), 10)
    step = ProbeStep(workload, CPU, "fp32")
    fractions: list[float] = []

    def until_48(batch: int) -> None:  # the real training step, and a fake out-of-memory above 48
        fake_step(48)(batch)
        step(batch)

    probe = probe_batch(workload, CPU, "fp32", 1000, step=until_48, on_progress=lambda f, t: fractions.append(f))
    assert probe.largest == 48 and probe.suggested == 43 and fractions[-1] == 1.0
    assert "43" in str(probe.text(CPU, "fp32"))
    with pytest.raises(DeviceError) as refused:
        probe_batch(workload, CPU, "fp32", 1000)
    assert refused.value.field == "train.device"
    with pytest.raises(DeviceError) as nothing:
        probe_batch(workload, CPU, "fp32", 1000, step=fake_step(0))
    assert nothing.value.field == "data.batch_size"


def test_cli_probe_batch_needs_cuda(tmp_path, capsys) -> None:  # noqa: ANN001
    path = tmp_path / "run.toml"
    path.write_text('[data]\nname = "iris"\n[train]\ndevice = "cpu"\n', encoding="utf-8")
    assert cli_main(["probe-batch", str(path)]) == 2
    assert "needs a CUDA device" in capsys.readouterr().err
