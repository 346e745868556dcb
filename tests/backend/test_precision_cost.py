"""What each precision costs, measured (backend/engine/precision_cost.py), what ``auto`` makes of it and
the warning of a run that uses a slower precision (backend/engine/device.py, the CLI)."""

from __future__ import annotations

import pytest
import torch

from backend.cli import main as cli
from backend.core.config import RunConfig
from backend.engine import device as dev
from backend.engine import precision_cost as pc
from backend.engine.probe_step import Workload

CPU = torch.device("cpu")
CUDA = torch.device("cuda")  # a device object only: nothing runs on it here


class FakeClock:
    """Each step advances the clock by its own cost, so timing is exact."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def step(self, cost: float, calls: list[str], name: str):  # noqa: ANN201
        def run() -> None:
            calls.append(name)
            self.now += cost

        return run


def test_steps_are_interleaved_and_a_slow_precision_costs_one_timed_step() -> None:
    clock, calls = FakeClock(), []
    steps = {"fp32": clock.step(0.01, calls, "fp32"), "bf16-mixed": clock.step(1.0, calls, "bf16-mixed")}
    seconds, errors = pc.step_seconds(steps, budget_s=0.4, clock=clock)
    assert seconds == {"fp32": pytest.approx(0.01), "bf16-mixed": pytest.approx(1.0)} and not errors
    assert calls[:4] == ["fp32", "bf16-mixed", "fp32", "bf16-mixed"]  # warm-ups, then rounds
    assert calls.count("bf16-mixed") == 2 and calls.count("fp32") == 1 + pc.MAX_STEPS


def test_a_precision_that_fails_is_listed_with_its_error() -> None:
    def no_kernel() -> None:
        raise RuntimeError("no kernel image for bfloat16\nmore")

    seconds, errors = pc.step_seconds({"fp32": lambda: None, "bf16-mixed": no_kernel}, budget_s=0.01)
    assert list(seconds) == ["fp32"] and errors == {"bf16-mixed": "no kernel image for bfloat16"}
    cost = pc._costs(seconds, errors)["bf16-mixed"]
    assert not cost.slower and "could not be measured" in cost.text()


def test_texts_say_slower_faster_or_about_the_same() -> None:
    assert pc.PrecisionCost("bf16-mixed", 0.98, 9.8).text() == "bf16-mixed: 9.8x slower than fp32 here (measured)"
    assert pc.PrecisionCost("fp16-mixed", 0.05, 0.5).text() == "fp16-mixed: 2.0x faster than fp32 here (measured)"
    assert "about as fast" in pc.PrecisionCost("bf16-mixed", 0.1, 1.1).text()


@pytest.mark.skipif(dev.native_precisions(CPU)["bf16-mixed"], reason="this CPU computes bf16 natively")
def test_bf16_measures_slower_than_fp32_on_this_cpu_and_is_cached(one_thread: None) -> None:
    config = RunConfig()
    config.model.arch = "simple_cnn"
    config.data.batch_size = 16
    workload = Workload(config, (3, 16, 16), 10)  # small, so the three precisions take a few seconds
    assert pc.cached_costs(workload, CPU) is None
    costs = pc.measure_precision_costs(workload, CPU, budget_s=0.1)
    assert set(costs) == {"fp32", "bf16-mixed", "fp16-mixed"}
    assert costs["bf16-mixed"].slower, costs  # emulated bf16: several times slower
    assert costs["bf16-mixed"].text().endswith("slower than fp32 here (measured)")
    assert pc.cached_costs(workload, CPU) is costs and pc.measure_precision_costs(workload, CPU) is costs
    other = Workload(config, (3, 8, 8), 10)
    assert pc.cached_costs(other, CPU) is None  # another input shape is another measurement


def test_auto_never_picks_a_precision_measured_slower(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dev, "native_precisions", lambda device, flags=None: {"bf16-mixed": True, "fp16-mixed": True})
    assert dev.auto_precision(CUDA) == "bf16-mixed"
    assert dev.auto_precision(CUDA, {"bf16-mixed": 1.6, "fp16-mixed": 0.7}) == "fp16-mixed"
    assert dev.auto_precision(CUDA, {"bf16-mixed": 1.6, "fp16-mixed": 1.4}) == "fp32"
    assert dev.auto_precision(CUDA, pc.ratios({"bf16-mixed": pc.PrecisionCost("bf16-mixed", 1, 0.6)})) == "bf16-mixed"
    assert pc.ratios(None) is None


def test_a_run_with_a_slower_precision_is_warned(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # noqa: ANN001
    monkeypatch.setattr(dev, "cpu_flags", lambda: set())  # no AVX-512 BF16 / AMX: emulated
    assert "emulated" in dev.slow_precision_warning("bf16-mixed", CPU)
    assert dev.slow_precision_warning("fp32", CPU) is None and dev.slow_precision_warning("auto", CPU) is None
    assert "3.0x slower" in dev.slow_precision_warning("bf16-mixed", CPU, {"bf16-mixed": 3.0})
    assert dev.slow_precision_warning("bf16-mixed", CPU, {"bf16-mixed": 0.8}) is None  # measured faster wins
    config = RunConfig()
    config.train.device, config.train.precision = "cpu", "fp16-mixed"
    cli._warn_slow_precision(config)
    assert "torchdesk-cli: warning: train.precision = fp16-mixed is emulated on cpu" in capsys.readouterr().err
    config.train.device = "cuda:7"  # cannot be resolved here: the run reports that, not the warning
    assert dev.config_precision_warning(config) is None
