"""``make gpu-check``: the CUDA paths of the engine, proven on this machine's GPU in a few minutes.

One line per check, ``PASS`` or ``FAIL`` with its figures (or ``SKIP`` with the reason); exit 1 if any
check failed. Without CUDA every check prints ``SKIP: no CUDA`` and the exit is 0. The data is
CIFAR-10-shaped and generated (uint8 3x32x32 images whose class is set by their top-left patch, so the
models learn); every check is a function of the device and a ``Scale``.

``--cpu-dry-run`` runs every check's logic on the CPU at a tiny scale, out-of-memory errors raised by
hand above a batch size, so that a broken check is found before the first machine with a GPU
(tests/backend/test_gpu_check.py runs it); its figures say nothing about a GPU, and its exit is 1 only
when a check broke (raised).

Run: make gpu-check   (or: .venv/bin/python tools/gpu_check.py [--quick | --cpu-dry-run])
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
from backend.engine.batch_probe import probe_batch  # noqa: E402
from backend.engine.device import (  # noqa: E402
    SLOWER_THAN_FP32,
    auto_precision,
    compile_support,
    native_precisions,
    resolve_precision,
    supported_precisions,
)
from backend.engine.precision_cost import measure_precision_costs, ratios  # noqa: E402
from backend.engine.probe_step import ProbeStep, workload_from_data  # noqa: E402
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
DRY_RUN = Scale(train=128, val=64, batch=32, arch="simple_cnn", epochs=1, throughput_epochs=1)
PROBE_LEAVE_MIB = 2048  # the batch probe runs with all but this much of the GPU taken, so it meets its limit
PROBE_LIMIT = 1 << 16  # the largest batch the probe may try (generated inputs: no dataset bound)


@dataclass
class Result:
    name: str
    status: str  # PASS, FAIL or SKIP
    figures: str
    broken: bool = False  # the check itself raised (a bug in it or in the engine), not a figure off target

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
    """Images kept on the device as uint8 (batches gathered and augmented there: random crop with padding
    and flips as batched tensor ops), against streaming from host memory (pinned, non-blocking copies)
    with the same data and augmentation."""
    cfg = config(device, scale)
    cfg.data.augment, cfg.data.transforms = "custom", ["random_crop:4", "hflip"]
    resident_end, resident = run(cfg, data, tmp / "resident")
    streamed_end, streamed = run(cfg, replace(data, resident=False), tmp / "streamed")
    ok = resident_end["status"] == streamed_end["status"] == "completed"
    figures = (
        f"resident uint8 + augmented on {device.type} {best_rate(resident):.0f} img/s, streamed (pinned) "
        f"{best_rate(streamed):.0f} img/s, {peak_mib(resident)} resident"
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


def check_precision_cost(device: torch.device, scale: Scale, data: DataBundle, tmp: Path) -> Result:
    """What each precision costs, measured on a few steps of the model (the Device panel's figures), and
    ``auto`` never slower than fp32; on a GPU with native bf16, mixed precision is what auto picks."""
    workload = workload_from_data(config(device, scale), data)
    began = time.perf_counter()
    costs = measure_precision_costs(workload, device)
    auto = auto_precision(device, ratios(costs))
    broken = [c for c in costs.values() if c.error]
    ok = "fp32" in costs and not broken and costs[auto].ratio <= SLOWER_THAN_FP32
    if device.type == "cuda" and native_precisions(device).get("bf16-mixed"):
        ok = ok and auto != "fp32"
    listed = "; ".join(str(c.text()) for name, c in costs.items() if name != "fp32")
    figures = (
        f"fp32 {costs['fp32'].step_s * 1000:.1f} ms/step at batch {scale.batch}; {listed}; auto -> {auto} "
        f"(measured in {time.perf_counter() - began:.1f} s)"
    )
    return Result("precision cost measured", "PASS" if ok else "FAIL", figures)


def check_batch_probe(
    device: torch.device, scale: Scale, data: DataBundle, tmp: Path, fake_oom: bool = False
) -> Result:
    """The largest-batch probe meets the memory limit (all but PROBE_LEAVE_MIB of the GPU taken), catches
    each out-of-memory error, and its suggestion (90% of the largest that fit) trains again. ``fake_oom``:
    the real step, with the error raised by hand above 3 batches (the CPU dry run)."""
    workload = workload_from_data(config(device, scale), data)
    precision = resolve_precision("auto", device).name
    began = time.perf_counter()
    if fake_oom:
        real, threshold = ProbeStep(workload, device, precision), scale.batch * 3

        def step(batch: int) -> None:
            if batch > threshold:
                raise torch.OutOfMemoryError(f"out of memory above {threshold} (provoked by gpu_check)")
            real(batch)

        try:
            probe = probe_batch(workload, device, precision, PROBE_LIMIT, step=step)
        finally:
            real.close()
    else:
        with _memory_taken(device, leave_mib=PROBE_LEAVE_MIB):
            probe = probe_batch(workload, device, precision, PROBE_LIMIT)
    failures = sum(not ok for _, ok in probe.tried)
    confirmed = probe.tried[-1] == (probe.suggested, True)
    ok = probe.largest > 0 and not probe.at_limit and failures > 0 and confirmed
    figures = (
        f"largest {probe.largest}, suggested {probe.suggested} ({precision}, {scale.arch}, {len(probe.tried)} sizes "
        f"tried, {failures} out-of-memory errors caught, suggestion trained again: {confirmed}) "
        f"in {time.perf_counter() - began:.1f} s"
    )
    return Result("largest batch that fits", "PASS" if ok else "FAIL", figures)


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
    ("precision cost measured", check_precision_cost, {}),
    ("largest batch that fits", check_batch_probe, {}),
]
FAKE_OOM = (check_out_of_memory, check_batch_probe)  # in a dry run, their out-of-memory errors are raised by hand


def run_checks(
    device: torch.device | None, scale: Scale, out: Callable[[str], None] = print, dry_run: bool = False
) -> list[Result]:
    """Every check on ``device`` (None: no CUDA, each one skipped); one line each, as it ends."""
    results = []
    with tempfile.TemporaryDirectory(prefix="gpu-check-") as folder:
        data = cifar_like(scale) if device is not None else None
        for name, check, kwargs in CHECKS:
            if device is None:
                result = Result(name, "SKIP", "no CUDA")
            else:
                began = time.perf_counter()
                if dry_run and check in FAKE_OOM:
                    kwargs = {**kwargs, "fake_oom": True}
                try:
                    result = check(device, scale, data, Path(folder), **kwargs)
                except Exception as exc:  # noqa: BLE001 - a check that breaks is a FAIL with its reason
                    result = Result(name, "FAIL", f"{type(exc).__name__}: {str(exc)[:300]}", broken=True)
                result.figures += f" [{time.perf_counter() - began:.1f} s]"
                release(device)
            out(result.line() if device is not None else f"SKIP: no CUDA ({name})")
            results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="less data per check (about a minute on an H200)")
    parser.add_argument("--device", default="cuda", help="the CUDA device to check (default: cuda)")
    parser.add_argument(
        "--cpu-dry-run",
        action="store_true",
        help="run every check's logic on the CPU at a tiny size (out-of-memory errors raised by hand); "
        "its figures mean nothing for a GPU",
    )
    args = parser.parse_args(argv)
    if args.cpu_dry_run:
        print("gpu-check --cpu-dry-run: each check's logic at a tiny size on the CPU; figures are not GPU figures")
        results = run_checks(torch.device("cpu"), DRY_RUN, dry_run=True)
        broken = [r.name for r in results if r.broken]
        print(f"gpu-check --cpu-dry-run: {len(results) - len(broken)} checks ran, {len(broken)} broke {broken}")
        return 1 if broken else 0
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
