"""Quantize a model and compare each method with fp32: file size, CPU latency at batch 1 and 32,
validation accuracy (or MSE) and the largest output difference.

Each method is compared with the fp32 model in the *same* container and runtime (TorchScript for
the PyTorch int8 methods, safetensors/eager for fp16 and bf16, ONNX for ONNX Runtime), and the two
are timed interleaved, so the ratios hold on a busy machine. Artifacts are built in a work folder;
``QuantReport.save(method, out)`` copies the one the user picks (atomically).
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch

from backend.artifacts import data as artifact_data
from backend.artifacts import quant_methods as qm
from backend.artifacts import runtime
from backend.artifacts.export import plain_module
from backend.artifacts.model_io import LoadedModel, artifact_meta, output_path
from backend.artifacts.progress import Cancelled, TaskHooks, hooks
from backend.core import messages
from backend.core.atomic import atomic_write_text, atomic_write_with
from backend.core.errors import TorchDeskError, error_summary
from backend.core.os_errors import writing
from backend.store.checkpoint import write_safetensors

METHODS = ("dynamic_int8", "static_int8", "fp16", "bf16", "ort_dynamic_int8", "ort_static_int8")
BASELINE_NAMES = {"torchscript": "fp32 TorchScript", "safetensors": "fp32 eager (safetensors)", "onnx": "fp32 ONNX"}
MAX_EVAL_SAMPLES = 5000


@dataclass
class QuantRow:
    method: str
    title: str
    runtime: str
    available: bool
    reason: str
    error: str | None = None  # the method applies but failed on this model
    path: str | None = None  # the artifact in the work folder (or where it was saved)
    baseline: str = ""
    size_bytes: int | None = None
    baseline_size_bytes: int | None = None
    size_ratio: float | None = None  # baseline size / this size ("x smaller")
    latency_b1_ms: float | None = None
    latency_b32_ms: float | None = None
    baseline_b1_ms: float | None = None
    baseline_b32_ms: float | None = None
    speedup_b1: float | None = None
    speedup_b32: float | None = None
    metric_name: str = "accuracy"
    metric: float | None = None
    fp32_metric: float | None = None
    metric_delta: float | None = None  # this - fp32 (accuracy: negative is worse; MSE: positive is worse)
    max_abs_diff: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.available and self.error is None and self.path is not None


@dataclass
class QuantReport:
    rows: list[QuantRow]
    metric_name: str
    fp32_metric: float | None
    eval_samples: int
    work_dir: str
    notes: list[str] = field(default_factory=list)

    def row(self, method: str) -> QuantRow:
        for row in self.rows:
            if row.method == method:
                return row
        raise TorchDeskError(f"quantization method must be one of {', '.join(METHODS)}, got {method!r}")

    def save(self, method: str, out: str | Path) -> Path:
        """Copy the artifact of ``method`` to ``out`` atomically; returns the path written."""
        row = self.row(method)
        if not row.ok:
            raise TorchDeskError(messages.ERR_QUANT_NO_RESULT.format(method=method, reason=row.error or row.reason))
        out = Path(out).expanduser()
        with open(row.path, "rb") as src:
            atomic_write_with(out, lambda fh: shutil.copyfileobj(src, fh))
        row.path = str(out)
        return out

    def display_rows(self) -> list[QuantRow]:
        """The rows in table order: per container, its fp32 baseline then the methods compared with it;
        the methods without a result last.

        A baseline row (method ``fp32``) has the container's file size and the median of the fp32
        latencies timed next to each of its methods, so a method's ratios can be checked against it.
        """
        groups: dict[str, list[QuantRow]] = {}
        for row in self.rows:
            if row.ok:
                groups.setdefault(row.baseline, []).append(row)
        out: list[QuantRow] = []
        for name, group in groups.items():
            first = group[0]
            base = QuantRow("fp32", name, first.runtime, True, "", baseline=name, metric_name=self.metric_name)
            base.size_bytes = base.baseline_size_bytes = first.baseline_size_bytes
            base.size_ratio, base.speedup_b1, base.speedup_b32 = 1.0, 1.0, 1.0
            base.latency_b1_ms = base.baseline_b1_ms = _median([r.baseline_b1_ms for r in group])
            base.latency_b32_ms = base.baseline_b32_ms = _median([r.baseline_b32_ms for r in group])
            base.metric = base.fp32_metric = self.fp32_metric
            out += [base, *group]
        if not groups:  # nothing was measured: the fp32 metric alone
            out.append(QuantRow("fp32", "fp32", "", True, "", metric=self.fp32_metric, metric_name=self.metric_name))
        return out + [r for r in self.rows if not r.ok]

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric_name": self.metric_name,
            "fp32_metric": self.fp32_metric,
            "eval_samples": self.eval_samples,
            "notes": self.notes,
            "rows": [asdict(r) for r in self.rows],
        }

    def write_json(self, path: str | Path) -> None:
        atomic_write_text(Path(path), json.dumps(self.to_dict(), indent=2))

    def table_lines(self) -> list[str]:
        acc = self.metric_name == "accuracy"

        def metric(value: float | None) -> str:
            if value is None:
                return "n/a"  # no labelled data: outputs are compared, metrics are not
            return f"{value:.2%}" if acc else f"{value:.4g}"

        head = (
            f"{'method':18} {'size MB':>8} {'smaller':>8} {'b1 ms':>8} {'b32 ms':>8} {'speed32':>8} "
            f"{'acc' if acc else 'mse':>8} {'delta':>8} {'max diff':>9}  vs"
        )
        lines = [head]
        for r in self.display_rows():
            if not r.available or r.error:
                lines.append(f"{r.method:18} n/a: {r.error or r.reason}")
                continue
            if r.size_bytes is None:  # the fp32 metric without a measured container
                lines.append(f"{r.method:18} {'':>8} {'':>8} {'':>8} {'':>8} {'':>8} {metric(r.metric):>8}")
                continue
            if r.metric_delta is None:
                delta = "" if r.method == "fp32" else "n/a"
            else:
                delta = f"{r.metric_delta * 100:+.2f}pt" if acc else f"{r.metric_delta:+.3g}"
            diff = "" if r.max_abs_diff is None else f"{r.max_abs_diff:9.3g}"
            lines.append(
                f"{r.method:18} {r.size_bytes / 1e6:8.3f} {r.size_ratio:7.2f}x {r.latency_b1_ms:8.3f} "
                f"{r.latency_b32_ms:8.3f} {r.speedup_b32:7.2f}x {metric(r.metric):>8} {delta:>8} "
                f"{diff:>9}  {r.baseline}"
            )
        return lines

    def close(self) -> None:
        """Remove the work folder (artifacts not saved elsewhere are lost)."""
        shutil.rmtree(self.work_dir, ignore_errors=True)


def _median(values: list[float | None]) -> float | None:
    measured = [v for v in values if v is not None]
    return statistics.median(measured) if measured else None


def quantization_methods(loaded: LoadedModel) -> list[qm.MethodInfo]:
    """Every method with its availability for this model and the reason when it does not apply."""
    return qm.methods_for(loaded)


class _Context:
    """What every method shares: the fp32 model, inputs, reference outputs and fp32 baselines."""

    def __init__(self, loaded: LoadedModel, work: Path, calibration_batches: int) -> None:
        self.loaded = loaded
        self.work = work
        self.model = plain_module(loaded, messages.ERR_QUANTIZATION_NEEDS_PLAIN)
        self.meta = artifact_meta(loaded)
        x, self.inputs_note = artifact_data.example_batch(loaded, 32)
        self.x32 = x.repeat((32 + len(x) - 1) // len(x), *([1] * (x.dim() - 1)))[:32]
        self.x1 = self.x32[:1]
        self.calibration_count = calibration_batches
        self._calibration: list[torch.Tensor] | None = None
        self._baselines: dict[str, tuple[int, runtime.Runner]] = {}
        self._fp32_onnx: Path | None = None
        self.task = loaded.task
        self.eval_batches = self._eval_batches()
        fp32 = runtime.torch_runner(self.model)
        self.reference = [fp32(xb) for xb, _ in self.eval_batches]
        self.fp32_metric = self.metric(self.reference)

    def _eval_batches(self) -> list[tuple[torch.Tensor, torch.Tensor]]:
        try:
            return [(x.float(), y) for x, y in artifact_data.batches(self.loaded, "val", 256, limit=MAX_EVAL_SAMPLES)]
        except TorchDeskError:
            return [(self.x32, torch.zeros(0))]  # no data: outputs are still compared, metrics are not

    @property
    def has_labels(self) -> bool:
        return bool(self.eval_batches and self.eval_batches[0][1].numel())

    def metric(self, outputs: list[torch.Tensor]) -> float | None:
        if not self.has_labels:
            return None
        if self.task == "classification":
            correct = sum(int((o.argmax(1) == y).sum()) for o, (_, y) in zip(outputs, self.eval_batches, strict=True))
            return correct / sum(len(y) for _, y in self.eval_batches)
        std = float((self.loaded.meta.get("normalization") or {}).get("target_std", 1.0))
        sq = sum(
            float(((o.reshape(y.shape) - y) ** 2).sum()) for o, (_, y) in zip(outputs, self.eval_batches, strict=True)
        )
        return sq / sum(y.numel() for _, y in self.eval_batches) * std**2

    def calibration(self) -> list[torch.Tensor]:
        if self._calibration is None:
            self._calibration = artifact_data.calibration_batches(self.loaded, self.calibration_count)
        return self._calibration

    def fp32_onnx(self) -> Path:
        if self._fp32_onnx is None:
            self._fp32_onnx = qm.build_fp32_onnx(self.model, self.x32, self.work / "fp32.onnx", self.meta)
        return self._fp32_onnx

    def baseline(self, kind: str) -> tuple[int, runtime.Runner]:
        if kind not in self._baselines:
            if kind == "torchscript":
                path = self.work / "fp32.pt"
                runner = qm._save_ts(self.model, self.x32, path, self.meta)
            elif kind == "safetensors":
                path = self.work / "fp32.safetensors"
                write_safetensors(path, self.model.state_dict(), {"torchdesk": json.dumps(self.meta)})
                runner = runtime.torch_runner(self.model)
            else:
                path = self.fp32_onnx()
                runner = runtime.ort_runner(runtime.ort_session(path))
            self._baselines[kind] = (path.stat().st_size, runner)
        return self._baselines[kind]

    def build(self, method: str) -> qm.Built:
        path = self.work / f"{method}{next(i.suffix for i in qm.methods_for(self.loaded) if i.name == method)}"
        meta = {**self.meta, "quantization": method}
        if method == "dynamic_int8":
            return qm.build_dynamic_int8(self.model, self.x32, path, meta)
        if method == "static_int8":
            return qm.build_static_int8(self.model, self.x32, path, meta, self.calibration())
        if method in ("fp16", "bf16"):
            return qm.build_half(self.model, torch.float16 if method == "fp16" else torch.bfloat16, path, meta)
        kind = "dynamic" if method == "ort_dynamic_int8" else "static"
        return qm.build_ort(kind, self.fp32_onnx(), path, meta, self.calibration() if kind == "static" else None)


def _measure(ctx: _Context, row: QuantRow, built: qm.Built, budget_s: float) -> None:
    base_size, base_runner = ctx.baseline(built.baseline)
    row.path, row.baseline = str(built.files[0]), BASELINE_NAMES[built.baseline]
    row.size_bytes = runtime.file_size(built.files)
    row.baseline_size_bytes = base_size
    row.size_ratio = base_size / max(row.size_bytes, 1)
    for batch, x in ((1, ctx.x1), (32, ctx.x32)):
        times = runtime.interleaved_latency({"base": base_runner, "method": built.runner}, x, budget_s=budget_s)
        setattr(row, f"latency_b{batch}_ms", times["method"])
        setattr(row, f"baseline_b{batch}_ms", times["base"])
        setattr(row, f"speedup_b{batch}", times["base"] / max(times["method"], 1e-9))
    outputs = [built.runner(xb) for xb, _ in ctx.eval_batches]
    row.max_abs_diff = max(runtime.max_abs_diff(o, r) for o, r in zip(outputs, ctx.reference, strict=True))
    row.metric = ctx.metric(outputs)
    row.fp32_metric = ctx.fp32_metric
    if row.metric is not None and ctx.fp32_metric is not None:
        row.metric_delta = row.metric - ctx.fp32_metric
    row.notes += built.notes


def compare_methods(
    loaded: LoadedModel,
    methods: list[str] | None = None,
    *,
    calibration_batches: int = 8,
    work_dir: str | Path | None = None,
    latency_budget_s: float = 0.5,
    threads: int | None = None,
    task: TaskHooks | None = None,
) -> QuantReport:
    """Build and measure ``methods`` (default: all); methods that do not apply get a row saying why.

    ``threads`` runs the comparison on that many CPU threads (default: PyTorch's setting); 1 gives
    steady ratios on a machine other programs are using.
    """
    if calibration_batches < 1:
        raise TorchDeskError(f"calibration batches must be at least 1, got {calibration_batches}")
    for name in methods or []:
        if name not in METHODS:
            raise TorchDeskError(f"quantization method must be one of {', '.join(METHODS)}, got {name!r}")
    t = hooks(task)
    with writing(work_dir or tempfile.gettempdir()):
        work = Path(work_dir) if work_dir else Path(tempfile.mkdtemp(prefix="torchdesk-quant-"))
        work.mkdir(parents=True, exist_ok=True)
    try:
        with runtime.cpu_threads(threads):
            return _compare(loaded, methods, calibration_batches, work, latency_budget_s, t)
    except BaseException:
        if work_dir is None:  # cancelled or failed: leave no temporary artifacts behind
            shutil.rmtree(work, ignore_errors=True)
        raise


def _compare(
    loaded: LoadedModel,
    methods: list[str] | None,
    calibration_batches: int,
    work: Path,
    latency_budget_s: float,
    t: TaskHooks,
) -> QuantReport:
    infos = {i.name: i for i in qm.methods_for(loaded)}
    chosen = list(methods or METHODS)
    t.step(0.0, messages.PROGRESS_FP32_REFERENCE)
    ctx = _Context(loaded, work, calibration_batches)
    report = QuantReport(
        [],
        ctx.task == "classification" and "accuracy" or "mse",
        ctx.fp32_metric,
        sum(len(x) for x, _ in ctx.eval_batches) if ctx.has_labels else 0,
        str(work),
    )
    report.notes.append(messages.QUANT_LATENCY_INPUTS.format(inputs=ctx.inputs_note, threads=torch.get_num_threads()))
    if report.eval_samples >= MAX_EVAL_SAMPLES:
        report.notes.append(messages.QUANT_EVAL_LIMIT.format(count=MAX_EVAL_SAMPLES))
    try:
        import torchao  # noqa: F401
    except ImportError:
        report.notes.append(messages.QUANT_NO_TORCHAO)
    for i, name in enumerate(chosen):
        info = infos[name]
        row = QuantRow(name, info.title, info.runtime, info.available, info.reason, metric_name=report.metric_name)
        report.rows.append(row)
        if not info.available:
            continue
        t.step((i + 0.1) / len(chosen), messages.PROGRESS_BUILDING.format(method=info.title))
        try:
            built = ctx.build(name)
            t.step((i + 0.5) / len(chosen), messages.PROGRESS_MEASURING.format(method=info.title))
            _measure(ctx, row, built, latency_budget_s)
        except Cancelled:
            raise
        except TorchDeskError as exc:
            row.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - a method failing on this model is a result, not a crash
            row.error = messages.QUANT_FAILED.format(error=error_summary(exc))
    t.step(1.0, messages.PROGRESS_DONE)
    return report


def quantize_model(
    loaded: LoadedModel,
    method: str,
    out: str | Path | None = None,
    *,
    calibration_batches: int = 8,
    threads: int | None = None,
    task: TaskHooks | None = None,
) -> tuple[Path, QuantReport]:
    """Quantize with one method, save the result to ``out`` and return it with its comparison row."""
    if method not in METHODS:
        raise TorchDeskError(f"quantization method must be one of {', '.join(METHODS)}, got {method!r}")
    info = next(i for i in qm.methods_for(loaded) if i.name == method)
    if not info.available:
        raise TorchDeskError(messages.ERR_QUANT_NOT_APPLICABLE.format(method=method, reason=info.reason))
    path = output_path(loaded, out, method, info.suffix)
    report = compare_methods(loaded, [method], calibration_batches=calibration_batches, threads=threads, task=task)
    try:
        row = report.row(method)
        if row.error:
            raise TorchDeskError(messages.ERR_QUANT_METHOD_FAILED.format(method=method, error=row.error))
        path = report.save(method, path)
    finally:
        report.close()
    report.work_dir = ""
    return path, report
