"""The largest batch that fits: grow the batch until a training step runs out of device memory.

The batch doubles from the configured size while a step of the run's model (backend.engine.probe_step,
with the run's precision) fits, then bisects between the last size that fit and the first that did
not; each out-of-memory error is caught and the CUDA cache emptied. The suggestion is 90% of the
largest size that fit (allocator fragmentation and the validation pass need some room) and is
checked with one more step. The search itself takes any ``try_batch`` callable, so the tests drive it
on the CPU with a fake out-of-memory error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from backend.core import messages
from backend.core.errors import DeviceError
from backend.core.message_text import Message
from backend.engine.probe_step import ProbeStep, Workload, release_memory
from backend.models.footprint import is_out_of_memory

HEADROOM = 0.9  # the suggestion is this share of the largest batch that fit
RESOLUTION = 0.05  # the bisection stops when the gap is below this share of the size that fit
CONFIRMS = 3  # backing off by another 10% at most this often when the suggestion does not fit again


@dataclass
class BatchProbe:
    largest: int  # the largest batch size that trained a step (0: none, or cancelled before one)
    suggested: int  # what to use: HEADROOM of it, or all of it when the data is the limit
    limit: int  # the largest batch the data allows (its training samples)
    tried: list[tuple[int, bool]] = field(default_factory=list)  # (batch size, fitted) in order
    cancelled: bool = False

    @property
    def at_limit(self) -> bool:
        return self.largest >= self.limit

    def text(self, device: torch.device | str, precision: str) -> Message:
        template = messages.PROBE_RESULT_AT_LIMIT if self.at_limit else messages.PROBE_RESULT
        return template.format(
            device=device, precision=precision, largest=self.largest, tried=len(self.tried), suggested=self.suggested
        )


def search_largest_batch(
    try_batch: Callable[[int], None],
    start: int,
    limit: int,
    *,
    release: Callable[[], None] = lambda: None,
    should_stop: Callable[[], bool] | None = None,
    on_try: Callable[[int], None] | None = None,
) -> BatchProbe:
    """The largest batch in 1..``limit`` for which ``try_batch`` does not raise an out-of-memory error
    (any other error propagates); ``release`` runs after each failure. Starts at ``start``."""
    probe = BatchProbe(0, 0, max(1, limit))

    def fits(batch: int) -> bool | None:  # None: cancelled
        if should_stop is not None and should_stop():
            probe.cancelled = True
            return None
        if on_try is not None:
            on_try(batch)
        ok = True
        try:
            try_batch(batch)
        except Exception as exc:
            if not is_out_of_memory(exc):
                raise
            ok = False
        if not ok:  # released once the error (whose traceback holds the step's tensors) is gone
            release()
        probe.tried.append((batch, ok))
        return ok

    batch, failed = max(1, min(start, probe.limit)), None
    while failed is None:  # grow: double while it fits, up to the limit
        ok = fits(batch)
        if ok is None:
            return probe
        if not ok:
            failed = batch
        else:
            probe.largest = batch
            if batch >= probe.limit:
                break
            batch = min(probe.limit, batch * 2)
    while failed is not None and failed - probe.largest > max(1, int(probe.largest * RESOLUTION)):
        middle = max(1, (probe.largest + failed) // 2)
        ok = fits(middle)
        if ok is None:
            return probe
        if ok:
            probe.largest = middle
        else:
            failed = middle
    probe.suggested = probe.largest if probe.at_limit else max(1, int(probe.largest * HEADROOM))
    # The suggestion is trained once more (fragmentation after the failures can change what fits).
    for _ in range(CONFIRMS):
        if probe.suggested == 0 or probe.suggested == probe.largest:
            break
        ok = fits(probe.suggested)
        if ok is None or ok:
            break
        probe.suggested = max(1, int(probe.suggested * HEADROOM))
    return probe


def check_probe_device(device: torch.device) -> None:
    """Only CUDA runs out of memory with an error the probe can catch (a CPU swaps first)."""
    if device.type != "cuda":
        raise DeviceError(messages.ERR_PROBE_NEEDS_CUDA.format(device=device), field="train.device")


def probe_batch(
    workload: Workload,
    device: torch.device,
    precision: str,
    limit: int,
    *,
    step: Callable[[int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_progress: Callable[[float, str], None] | None = None,
) -> BatchProbe:
    """The largest batch of ``workload`` that trains on the CUDA ``device`` with ``precision``, up to
    ``limit`` (the training samples). ``step``: what one try runs (default: the run's real training step;
    a test passes its own). A DeviceError when even a batch of 1 does not fit."""
    if step is None:
        check_probe_device(device)
    # What the run keeps on the device besides a step (its resident data) is held while the batch grows.
    held = torch.empty(workload.resident_bytes, dtype=torch.uint8, device=device) if device.type == "cuda" else None
    owned = ProbeStep(workload, device, precision) if step is None else None
    tries = 0

    def on_try(batch: int) -> None:
        nonlocal tries
        tries += 1
        if on_progress is not None:  # a handful of tries: a fraction that approaches 1
            on_progress(tries / (tries + 2), messages.PROBE_TRYING.format(batch=batch))

    try:
        probe = search_largest_batch(
            step or owned,
            workload.config.data.batch_size,
            limit,
            release=lambda: release_memory(device),
            should_stop=should_stop,
            on_try=on_try,
        )
    finally:
        if owned is not None:
            owned.close()
        del held
        release_memory(device)
    if probe.largest == 0 and not probe.cancelled:
        raise DeviceError(
            messages.ERR_PROBE_NOTHING_FITS.format(device=device, precision=precision),
            field="data.batch_size",
        )
    if on_progress is not None:
        on_progress(1.0, str(probe.text(device, precision)))
    return probe
