"""What each precision costs on a device, measured: a few training steps of the run's model per precision.

Native support (backend.engine.device.native_precisions) says what the hardware can do; this says
what it does for this model, input shape and batch: "bf16-mixed: 9.8x slower than fp32 here
(measured)". A measurement takes a second or two and is kept per device, model, shape and batch, so
the Device panel asks again only when one of those changes; ``auto`` never picks a precision
measured slower than fp32 (backend.engine.device.auto_precision).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import torch

from backend.core import messages
from backend.core.errors import first_line
from backend.core.message_text import Message
from backend.engine.device import SLOWER_THAN_FP32, supported_precisions
from backend.engine.probe_step import ProbeStep, Workload, release_memory

BUDGET_S = 0.4  # timed steps per precision, after one warm-up step (a slow precision gets one timed step)
MAX_STEPS = 5
FASTER_THAN_FP32 = 0.9  # a step ratio below this reads "faster"; between the two, "about as fast"


@dataclass(frozen=True)
class PrecisionCost:
    precision: str
    step_s: float  # median seconds of one training step
    ratio: float  # step_s / fp32's step_s (1.0 for fp32)
    error: str = ""  # why it could not be measured ("" when it was)

    @property
    def slower(self) -> bool:
        return not self.error and self.ratio > SLOWER_THAN_FP32

    def text(self) -> Message:
        """e.g. "bf16-mixed: 9.8x slower than fp32 here (measured)"."""
        if self.error:
            return messages.PRECISION_NOT_MEASURED.format(precision=self.precision, error=self.error)
        if self.slower:
            return messages.PRECISION_MEASURED_SLOWER.format(precision=self.precision, ratio=self.ratio)
        if self.ratio < FASTER_THAN_FP32:
            return messages.PRECISION_MEASURED_FASTER.format(precision=self.precision, ratio=1 / self.ratio)
        return messages.PRECISION_MEASURED_SAME.format(precision=self.precision)


_CACHE: dict[str, dict[str, PrecisionCost]] = {}


def cached_costs(workload: Workload, device: torch.device) -> dict[str, PrecisionCost] | None:
    """The costs measured before for this workload and device (None: not measured yet)."""
    return _CACHE.get(workload.key(device, workload.config.data.batch_size))


def step_seconds(
    steps: dict[str, Callable[[], None]],
    budget_s: float = BUDGET_S,
    clock: Callable[[], float] = time.perf_counter,
    should_stop: Callable[[], bool] | None = None,
) -> tuple[dict[str, float], dict[str, str]]:
    """({name: median seconds of one call}, {name: error}) of each ``steps`` callable after one warm-up
    call. Calls are interleaved round by round, so a change in the machine's load hits every precision
    alike; each is timed until ``budget_s`` is spent (at least once, at most MAX_STEPS times), so a
    precision 10x slower costs one call more, not ten."""
    warm_up: dict[str, float] = {}
    times: dict[str, list[float]] = {}
    errors: dict[str, str] = {}

    def timed(name: str) -> float | None:
        began = clock()
        try:
            steps[name]()
        except (RuntimeError, torch.OutOfMemoryError) as exc:  # no kernel for this dtype, or no room
            errors[name] = first_line(exc)
            return None
        return clock() - began

    for name in steps:
        took = timed(name)  # kernels chosen, caches and optimizer state allocated
        if took is not None:
            warm_up[name], times[name] = took, []

    def wanted(name: str) -> bool:
        done = times[name]
        return (
            name not in errors
            and len(done) < MAX_STEPS
            and (not done or (sum(done) < budget_s and warm_up[name] < budget_s))
        )

    while any(wanted(name) for name in times) and not (should_stop is not None and should_stop()):
        for name in [n for n in times if wanted(n)]:
            took = timed(name)
            if took is not None:
                times[name].append(took)
    medians = {name: sorted(t)[len(t) // 2] for name, t in times.items() if t and name not in errors}
    return medians, errors


def measure_precision_costs(
    workload: Workload,
    device: torch.device,
    precisions: list[str] | None = None,
    *,
    budget_s: float = BUDGET_S,
    should_stop: Callable[[], bool] | None = None,
) -> dict[str, PrecisionCost]:
    """{precision: PrecisionCost} for fp32 and every other precision ``device`` supports (or those given),
    timed on a few training steps of ``workload`` at its batch size; cached. A precision that fails
    (out of memory, no kernel) is listed with its error. A measurement cut short by ``should_stop``
    returns what it has and is not cached."""
    batch = workload.config.data.batch_size
    key = workload.key(device, batch)
    if key in _CACHE and precisions is None:
        return _CACHE[key]
    names = ["fp32"] + [p for p in (precisions or supported_precisions(device)) if p != "fp32"]
    built: dict[str, ProbeStep] = {}
    errors: dict[str, str] = {}
    try:
        for name in names:
            try:
                built[name] = ProbeStep(workload, device, name)
            except (RuntimeError, torch.OutOfMemoryError) as exc:
                errors[name] = first_line(exc)
        inputs = {name: step.inputs(batch) for name, step in built.items()}
        calls = {name: (lambda s=step, i=inputs[name]: s(batch, i)) for name, step in built.items()}
        seconds, failed = step_seconds(calls, budget_s, should_stop=should_stop)
    finally:
        for step in built.values():
            step.close()
        release_memory(device)
    costs = _costs(seconds, {**errors, **failed})
    complete = should_stop is None or not should_stop()
    if precisions is None and "fp32" in seconds and complete:
        _CACHE[key] = costs
    return costs


def _costs(seconds: dict[str, float], errors: dict[str, str]) -> dict[str, PrecisionCost]:
    base = seconds.get("fp32")
    out = {}
    for name, s in seconds.items():
        out[name] = PrecisionCost(name, s, s / base if base else 1.0)
    for name, error in errors.items():
        out[name] = PrecisionCost(name, 0.0, 0.0, error)
    return out


def ratios(costs: dict[str, PrecisionCost] | None) -> dict[str, float] | None:
    """The measured step-time ratios to fp32 that ``auto_precision`` takes (None: not measured)."""
    if not costs:
        return None
    return {name: c.ratio for name, c in costs.items() if not c.error}
