"""``make gpu-check``: the CUDA paths of the engine, proven on this machine's GPU in a few minutes.

One line per check, ``PASS`` or ``FAIL`` with its figures (or ``SKIP`` with the reason); exit 1 if any
check failed. Without CUDA every check prints ``SKIP: no CUDA`` and the exit is 0. The data is
CIFAR-10-shaped and generated (uint8 3x32x32 images whose class is set by their top-left patch, so the
models learn); every check is a function of the device and a ``Scale``, and the test suite runs
them on the CPU at a tiny scale (tests/backend/test_gpu_check.py).

Run: make gpu-check   (or: .venv/bin/python tools/gpu_check.py [--quick])
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import math
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.core.config import RunConfig  # noqa: E402
from backend.core.errors import DeviceError  # noqa: E402
from backend.data import DataBundle  # noqa: E402
from backend.engine import trainer  # noqa: E402
from backend.engine.device import compile_support, supported_precisions  # noqa: E402
from backend.models.registry import build_model  # noqa: E402
from backend.store import checkpoint as ckpt  # noqa: E402

THROUGHPUT_TARGET = 0.97  # engine / plain PyTorch loop, the same model, data, batch and precision


@dataclass(frozen=True)
class Scale:
    """How much work each check does: the GPU default, or a tiny one for the CPU tests."""

    train: int = 20_000
    val: int = 2_000
    batch: int = 256
    arch: str = "resnet_small"
    epochs: int = 2
    throughput_epochs: int = 3


QUICK = Scale(train=4_096, val=512, epochs=1, throughput_epochs=2)


@dataclass
class Result:
    name: str
    status: str  # PASS, FAIL or SKIP
    figures: str

    def line(self) -> str:
        return f"{self.status}: {self.name}: {self.figures}"


def cifar_like(scale: Scale, seed: int = 0) -> DataBundle:
    """uint8 3x32x32 images in 10 balanced classes set by the brightness of their top-left 8x8 patch."""
    g = torch.Generator().manual_seed(seed)
    n = scale.train + scale.val
    x = torch.randint(0, 256, (n, 3, 32, 32), dtype=torch.uint8, generator=g)
    patch = x[:, :, :8, :8].float().mean(dim=(1, 2, 3))
    edges = torch.quantile(patch, torch.linspace(0, 1, 11)[1:-1])
    y = torch.bucketize(patch, edges)
    norm = {"mean": [0.5, 0.5, 0.5], "std": [0.29, 0.29, 0.29]}
    names = [str(i) for i in range(10)]
    return DataBundle(
        "cifar-shaped",
        x[: scale.train],
        y[: scale.train],
        x[scale.train :],
        y[scale.train :],
        "classification",
        names,
        norm,
    )


def config(device: torch.device, scale: Scale, **train: Any) -> RunConfig:
    cfg = RunConfig(name="gpu-check")
    cfg.model.arch = scale.arch
    cfg.data.batch_size = scale.batch
    cfg.data.augment = "none"
    cfg.optim.name = "sgd"
    cfg.optim.lr = 0.05
    cfg.train.device = str(device)
    cfg.train.epochs = scale.epochs
    for key, value in train.items():
        setattr(cfg.train, key, value)
    return cfg


def run(cfg: RunConfig, data: DataBundle, folder: Path, **kwargs: Any) -> tuple[dict, list[dict]]:
    events: list[dict] = []
    end = trainer.fit(cfg, on_event=events.append, data=data, run_dir=folder, **kwargs)
    return end, events


def epochs_of(events: list[dict]) -> list[dict]:
    return [e for e in events if e["event"] == "epoch"]


def best_rate(events: list[dict]) -> float:
    """Samples per second of the fastest epoch (the first one includes warm-up)."""
    return max(e["samples_per_s"] for e in epochs_of(events))


def peak_mib(events: list[dict]) -> str:
    peaks = [e["peak_mem_mb"] for e in epochs_of(events) if "peak_mem_mb" in e]
    return f"{max(peaks):.0f} MiB peak" if peaks else "no peak read-out"


def release(device: torch.device) -> None:
    gc.collect()
    if device.type == "cuda":
        torch.cuda.empty_cache()


# ----------------------------------------------------------------------------- the checks
def check_precision(device: torch.device, scale: Scale, data: DataBundle, tmp: Path, precision: str) -> Result:
    name = f"train {precision}"
    if precision not in supported_precisions(device):
        return Result(name, "SKIP", f"{precision} is not supported on {device}")
    end, events = run(config(device, scale, precision=precision), data, tmp / f"precision-{precision}")
    last = epochs_of(events)[-1]
    start = events[0]
    ok = end["status"] == "completed" and math.isfinite(last["val_loss"]) and start["precision"] == precision
    scaler = " with GradScaler" if precision == "fp16-mixed" else ""
    figures = (
        f"{best_rate(events):.0f} img/s{scaler}, val_loss {last['val_loss']:.3f}, "
        f"val_acc {last.get('val_acc', 0):.1%}, {peak_mib(events)}"
    )
    return Result(name, "PASS" if ok else "FAIL", figures)


def check_channels_last(device: torch.device, scale: Scale, data: DataBundle, tmp: Path) -> Result:
    rates = {}
    for on in (True, False):
        end, events = run(config(device, scale, channels_last=on), data, tmp / f"channels-last-{on}")
        if end["status"] != "completed":
            return Result("channels_last on/off", "FAIL", f"channels_last={on} ended {end['status']}")
        rates[on] = best_rate(events)
    ratio = rates[True] / rates[False]
    figures = f"on {rates[True]:.0f} img/s, off {rates[False]:.0f} img/s (on/off {ratio:.2f}x)"
    return Result("channels_last on/off", "PASS", figures)


def check_resident_data(device: torch.device, scale: Scale, data: DataBundle, tmp: Path) -> Result:
    """Images kept on the device as uint8 (batches gathered there), against streaming from host memory
    (pinned, non-blocking copies) with the same data."""
    resident_end, resident = run(config(device, scale), data, tmp / "resident")
    streamed_end, streamed = run(config(device, scale), replace(data, resident=False), tmp / "streamed")
    ok = resident_end["status"] == streamed_end["status"] == "completed"
    figures = (
        f"resident uint8 {best_rate(resident):.0f} img/s, streamed (pinned) {best_rate(streamed):.0f} img/s, "
        f"{peak_mib(resident)} resident"
    )
    return Result("GPU-resident data", "PASS" if ok else "FAIL", figures)


def check_compile(device: torch.device, scale: Scale, data: DataBundle, tmp: Path) -> Result:
    usable, reason = compile_support()
    if not usable:
        return Result("torch.compile", "SKIP", str(reason))
    began = time.perf_counter()
    end, events = run(config(device, scale, compile=True, epochs=max(2, scale.epochs)), data, tmp / "compile")
    epochs = epochs_of(events)
    ok = end["status"] == "completed"
    warm_up = epochs[0]["epoch_time_s"] - epochs[-1]["epoch_time_s"]
    figures = (
        f"{best_rate(events):.0f} img/s after a warm-up of {warm_up:.1f} s "
        f"(first epoch {epochs[0]['epoch_time_s']:.1f} s, total {time.perf_counter() - began:.0f} s)"
    )
    return Result("torch.compile", "PASS" if ok else "FAIL", figures)


def check_peak_memory(device: torch.device, scale: Scale, data: DataBundle, tmp: Path) -> Result:
    _, events = run(config(device, scale, epochs=1), data, tmp / "peak")
    epoch = epochs_of(events)[-1]
    if device.type != "cuda":
        ok = "peak_mem_mb" not in epoch
        return Result("peak memory read-out", "PASS" if ok else "FAIL", "no CUDA read-out on the CPU, as expected")
    total = torch.cuda.get_device_properties(device).total_memory / 2**20
    peak = epoch.get("peak_mem_mb", 0.0)
    steps = [e["mem_mb"] for e in events if e["event"] == "step" and "mem_mb" in e]
    ok = 0 < peak <= total and bool(steps)
    return Result(
        "peak memory read-out",
        "PASS" if ok else "FAIL",
        f"peak {peak:.0f} MiB of {total:.0f} MiB, {len(steps)} per-step read-outs (last {steps[-1] if steps else 0:.0f} MiB)",
    )


@contextlib.contextmanager
def _memory_taken(device: torch.device, leave_mib: int) -> Iterator[None]:
    """Hold all but ``leave_mib`` of the device's free memory, so that a training step cannot fit."""
    hog = None
    if device.type == "cuda":
        free, _ = torch.cuda.mem_get_info(device)
        hog = torch.empty(max(0, free - leave_mib * 2**20), dtype=torch.uint8, device=device)
    try:
        yield
    finally:
        del hog
        release(device)


def check_out_of_memory(
    device: torch.device, scale: Scale, data: DataBundle, tmp: Path, fake_oom: bool = False
) -> Result:
    """A step that does not fit: a clear DeviceError naming the batch size, the last checkpoint intact,
    and the same process trains again once memory is back. The trainer's own memory pre-check is
    bypassed so that the allocation itself fails (``fake_oom``: raised by hand, for the CPU tests)."""
    cfg = config(device, scale, epochs=1, checkpoint_every_steps=1)
    first, _ = run(cfg, data, tmp / "oom-before")  # a checkpoint to keep intact
    checkpoint = Path(first["last_checkpoint"])
    before = checkpoint.read_bytes()
    real_check, real_step = trainer.check_batch_memory, trainer.Trainer._optimizer_step

    def failing_step(self: trainer.Trainer, is_last_of_epoch: bool) -> float:
        raise torch.OutOfMemoryError("CUDA out of memory (provoked by gpu_check)")

    # Resumed for a second epoch with a batch that cannot fit: the error names the checkpoint it left alone.
    big = replace(
        cfg,
        data=replace(cfg.data, batch_size=min(scale.train, scale.batch * 64)),
        train=replace(cfg.train, epochs=2),
    )
    error: DeviceError | None = None
    trainer.check_batch_memory = lambda *a, **k: None
    if fake_oom:
        trainer.Trainer._optimizer_step = failing_step
    try:
        with _memory_taken(device, leave_mib=64):
            run(big, data, tmp / "oom-before", resume_from=checkpoint)
    except DeviceError as exc:
        error = exc
    finally:
        trainer.check_batch_memory, trainer.Trainer._optimizer_step = real_check, real_step
    release(device)
    again, _ = run(config(device, scale, epochs=1), data, tmp / "oom-after")
    intact = checkpoint.read_bytes() == before
    ok = error is not None and error.field == "data.batch_size" and intact and again["status"] == "completed"
    said = str(error).split(";")[0] if error else "no error raised"
    return Result(
        "out of memory provoked and recovered", "PASS" if ok else "FAIL", f"{said}; checkpoint intact: {intact}"
    )


def check_export_quantize(device: torch.device, scale: Scale, data: DataBundle, tmp: Path) -> Result:
    from backend.artifacts.export import export_model
    from backend.artifacts.model_io import load_model
    from backend.artifacts.quantize import quantize_model

    end, _ = run(config(device, scale, epochs=1), data, tmp / "export")
    loaded = load_model(end["weights"])
    report = export_model(loaded, "onnx", tmp / "export" / "model.onnx")
    path, quant = quantize_model(loaded, "dynamic_int8")
    row = quant.row("dynamic_int8")
    ok = report.parity_ok and path.exists() and row.ok
    figures = (
        f"ONNX parity max |diff| {report.parity_max_abs_diff:.1e} ({report.size_bytes / 2**20:.1f} MiB); "
        f"dynamic int8 {row.size_ratio or 0:.1f}x smaller, accuracy change {row.metric_delta or 0:+.3f}"
    )
    return Result("export + quantize of a trained model", "PASS" if ok else "FAIL", figures)


def check_resume(device: torch.device, scale: Scale, data: DataBundle, tmp: Path) -> Result:
    """Deterministic algorithms on: 1 epoch + a resume to 2 ends bitwise where 2 epochs straight do."""
    whole, _ = run(config(device, scale, epochs=2, deterministic=True), data, tmp / "resume-whole")
    half, _ = run(config(device, scale, epochs=1, deterministic=True), data, tmp / "resume-half")
    resumed, _ = run(
        config(device, scale, epochs=2, deterministic=True),
        data,
        tmp / "resume-half",
        resume_from=half["last_checkpoint"],
    )
    a = ckpt.load_checkpoint(whole["last_checkpoint"])["model"]
    b = ckpt.load_checkpoint(resumed["last_checkpoint"])["model"]
    diff = max((a[k].double() - b[k].double()).abs().max().item() for k in a if a[k].is_floating_point())
    equal = all(torch.equal(a[k], b[k]) for k in a)
    return Result("resume bitwise equal", "PASS" if equal else "FAIL", f"max |diff| {diff:.3g} over {len(a)} tensors")


def plain_loop_rate(device: torch.device, scale: Scale, data: DataBundle, precision: str, epochs: int) -> float:
    """The same training written as a plain PyTorch loop: resident uint8 data, index batches, the same
    normalisation, channels_last and autocast; the best epoch's samples per second."""
    cfg = config(device, scale, precision=precision)
    model = build_model(cfg.model, data.input_shape, 10).to(device, memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=cfg.optim.lr, momentum=cfg.optim.momentum)
    x, y = data.x_train.to(device), data.y_train.to(device)
    mean = torch.tensor(data.normalization["mean"], device=device).view(1, 3, 1, 1)
    std = torch.tensor(data.normalization["std"], device=device).view(1, 3, 1, 1)
    dtype = {"bf16-mixed": torch.bfloat16, "fp16-mixed": torch.float16}.get(precision)
    scaler = torch.amp.GradScaler(device.type) if precision == "fp16-mixed" else None
    best = 0.0
    for epoch in range(epochs):
        order = torch.randperm(len(x), generator=torch.Generator().manual_seed(epoch)).to(device)
        began = time.perf_counter()
        for idx in order.split(scale.batch):
            xb = x[idx].float().div_(255).sub_(mean).div_(std).contiguous(memory_format=torch.channels_last)
            with torch.autocast(device.type, dtype=dtype or torch.float32, enabled=dtype is not None):
                loss = nn.functional.cross_entropy(model(xb), y[idx])
            if scaler:
                scaler.scale(loss).backward()
                scaler.step(opt)
                scaler.update()
            else:
                loss.backward()
                opt.step()
            opt.zero_grad(set_to_none=True)
            loss.item()  # the engine reads each step's loss too
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        best = max(best, len(x) / (time.perf_counter() - began))
    return best


def check_throughput(device: torch.device, scale: Scale, data: DataBundle, tmp: Path) -> Result:
    precision = "auto"
    cfg = config(device, scale, precision=precision, epochs=scale.throughput_epochs)
    end, events = run(cfg, data, tmp / "throughput")
    used = events[0]["precision"]
    engine = best_rate(events)
    plain = plain_loop_rate(device, scale, data, used, scale.throughput_epochs)
    ratio = engine / plain
    status = "PASS" if ratio >= THROUGHPUT_TARGET and end["status"] == "completed" else "FAIL"
    figures = (
        f"engine {engine:.0f} img/s, plain loop {plain:.0f} img/s, ratio {ratio:.3f} "
        f"(target >= {THROUGHPUT_TARGET}; {used}, batch {scale.batch}, {scale.arch})"
    )
    return Result("throughput vs a plain PyTorch loop", status, figures)


CHECKS: list[tuple[str, Callable[..., Result], dict]] = [
    ("train fp32", check_precision, {"precision": "fp32"}),
    ("train bf16-mixed", check_precision, {"precision": "bf16-mixed"}),
    ("train fp16-mixed", check_precision, {"precision": "fp16-mixed"}),
    ("channels_last on/off", check_channels_last, {}),
    ("GPU-resident data", check_resident_data, {}),
    ("torch.compile", check_compile, {}),
    ("peak memory read-out", check_peak_memory, {}),
    ("out of memory provoked and recovered", check_out_of_memory, {}),
    ("export + quantize of a trained model", check_export_quantize, {}),
    ("resume bitwise equal", check_resume, {}),
    ("throughput vs a plain PyTorch loop", check_throughput, {}),
]


def run_checks(device: torch.device | None, scale: Scale, out: Callable[[str], None] = print) -> list[Result]:
    """Every check on ``device`` (None: no CUDA, each one skipped); one line each, as it ends."""
    results = []
    with tempfile.TemporaryDirectory(prefix="gpu-check-") as folder:
        data = cifar_like(scale) if device is not None else None
        for name, check, kwargs in CHECKS:
            if device is None:
                result = Result(name, "SKIP", "no CUDA")
            else:
                began = time.perf_counter()
                try:
                    result = check(device, scale, data, Path(folder), **kwargs)
                except Exception as exc:  # noqa: BLE001 - a check that breaks is a FAIL with its reason
                    result = Result(name, "FAIL", f"{type(exc).__name__}: {str(exc)[:300]}")
                result.figures += f" [{time.perf_counter() - began:.1f} s]"
                release(device)
            out(result.line() if device is not None else f"SKIP: no CUDA ({name})")
            results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="less data per check (about a minute on an H200)")
    parser.add_argument("--device", default="cuda", help="the CUDA device to check (default: cuda)")
    args = parser.parse_args(argv)
    device = torch.device(args.device) if torch.cuda.is_available() else None
    if device is not None:
        props = torch.cuda.get_device_properties(device)
        print(
            f"gpu-check on {props.name} ({props.total_memory / 2**30:.0f} GiB, sm_{props.major}{props.minor}), "
            f"torch {torch.__version__}, CUDA {torch.version.cuda}"
        )
    began = time.perf_counter()
    results = run_checks(device, QUICK if args.quick else Scale())
    failed = [r for r in results if r.status == "FAIL"]
    passed = sum(r.status == "PASS" for r in results)
    print(
        f"gpu-check: {passed} passed, {len(failed)} failed, {len(results) - passed - len(failed)} skipped "
        f"in {time.perf_counter() - began:.0f} s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
