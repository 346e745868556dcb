"""Running a model in its runtime (PyTorch or ONNX Runtime) and timing it fairly.

Timings on a shared CPU are noisy, so runners are always measured interleaved (A, B, B, A, ...) and
each is summarised by its 10th percentile: when another process takes a core, a multi-threaded call
can stall for a whole scheduler slice (tens of ms); the low percentile is what the code itself costs.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn

from backend.core import messages
from backend.core.errors import TorchDeskError, first_line

if TYPE_CHECKING:
    import onnxruntime

Runner = Callable[[torch.Tensor], torch.Tensor]


def torch_runner(module: nn.Module | Callable, dtype: torch.dtype = torch.float32) -> Runner:
    def run(x: torch.Tensor) -> torch.Tensor:
        with torch.inference_mode():
            out = module(x.to(dtype))
        return out.float()

    return run


def ort_session(path: str | Path, threads: int | None = None) -> onnxruntime.InferenceSession:
    try:
        import onnxruntime as ort
    except ImportError:
        raise TorchDeskError(messages.ERR_NO_ONNXRUNTIME) from None
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or torch.get_num_threads()  # the same cores PyTorch uses: a fair race
    options.log_severity_level = 3
    # Idle worker threads would otherwise spin and steal the cores PyTorch runs on between calls.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # noqa: BLE001 - onnxruntime's Fail / InvalidGraph / ...
        raise TorchDeskError(messages.ERR_ORT_LOAD.format(path=path, error=first_line(exc))) from exc


def ort_runner(session: onnxruntime.InferenceSession) -> Runner:
    name = session.get_inputs()[0].name

    def run(x: torch.Tensor) -> torch.Tensor:
        out = session.run(None, {name: np.ascontiguousarray(x.detach().cpu().float().numpy())})[0]
        return torch.from_numpy(np.asarray(out, dtype=np.float32))

    return run


def max_abs_diff(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a.float() - b.float()).abs().max()) if a.numel() else 0.0


def interleaved_latency(
    runners: dict[str, Runner], x: torch.Tensor, *, budget_s: float = 0.6, min_rounds: int = 5, max_rounds: int = 200
) -> dict[str, float]:
    """Milliseconds per call (10th percentile) of each runner on ``x``, measured round-robin within a time budget."""
    names = list(runners)
    for name in names:  # warm-up: allocator, lazy initialisation, oneDNN primitive caches
        for _ in range(2):
            runners[name](x)
    start = time.perf_counter()
    for name in names:
        runners[name](x)
    per_round = max(time.perf_counter() - start, 1e-6)
    rounds = int(min(max_rounds, max(min_rounds, budget_s / per_round)))
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        order = names if r % 2 == 0 else names[::-1]  # neither side always goes first
        for name in order:
            t0 = time.perf_counter()
            runners[name](x)
            times[name].append(time.perf_counter() - t0)
    return {name: sorted(v)[len(v) // 10] * 1000 for name, v in times.items()}


@contextlib.contextmanager
def cpu_threads(threads: int | None) -> Iterator[None]:
    """Run PyTorch (and ONNX Runtime sessions opened inside) on ``threads`` CPU threads, then restore.

    One thread gives steady numbers on a busy machine: with several, a call stalls whenever another
    process holds one of the cores its threads wait for.
    """
    if not threads:
        yield
        return
    if threads < 1:
        raise TorchDeskError(f"threads must be at least 1, got {threads}")
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def file_size(paths: list[Path]) -> int:
    return sum(Path(p).stat().st_size for p in paths if Path(p).exists())
