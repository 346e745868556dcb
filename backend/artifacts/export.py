"""Export to ONNX, TorchScript and torch.export (.pt2), each reloaded in its runtime and checked.

ONNX: the torch.export-based exporter (``dynamo=True``, needs onnxscript) first, the TorchScript-based
one as the fallback; a dynamic batch axis; one file (``external_data=False``) unless the weights
pass 2 GB, when ONNX needs a second ``.onnx.data`` file (the report says so). Then ``onnx.checker``
and a parity check in ONNX Runtime on a real validation batch. Every file is written atomically.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import io
import json
import os
import tempfile
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from backend.artifacts import runtime
from backend.artifacts.data import example_batch
from backend.artifacts.model_io import EXTRA_FILE, META_KEY, LoadedModel, artifact_meta, output_path
from backend.artifacts.progress import TaskHooks, hooks
from backend.core import messages
from backend.core.atomic import atomic_write_with
from backend.core.errors import CheckpointError, ModelError, TorchDeskError, error_summary
from backend.core.os_errors import make_folder, writing

if TYPE_CHECKING:
    import onnx

EXPORT_FORMATS = {"onnx": ".onnx", "torchscript": ".pt", "pt2": ".pt2"}
DEFAULT_OPSET = 18
DYNAMO_MIN_OPSET = 18  # the torch.export-based exporter emits opset 18 or later
FP32_TOLERANCE = 1e-4
ONE_FILE_LIMIT = int(1.8 * 2**30)  # protobuf caps a single ONNX file at 2 GB; keep a margin


@dataclass
class ExportReport:
    format: str
    path: str
    files: list[str]
    size_bytes: int
    exporter: str
    parity_max_abs_diff: float
    parity_ok: bool
    parity_inputs: str
    tolerance: float = FP32_TOLERANCE
    opset: int | None = None
    dynamic_batch: bool = True
    checker: str | None = None
    latency_batch: int = 0
    latency_torch_ms: float | None = None
    latency_runtime_ms: float | None = None
    runtime: str = ""
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        extra = f", opset {self.opset}" if self.opset else ""
        size = f"{self.size_bytes / 1e6:.2f} MB"
        out = [f"exported {self.format} to {self.path} ({size}, exporter {self.exporter}{extra})"]
        verdict = "OK" if self.parity_ok else "FAILED"
        out.append(
            f"parity in {self.runtime} on {self.parity_inputs}: max abs diff {self.parity_max_abs_diff:.3g} "
            f"(limit {self.tolerance:g}) {verdict}"
        )
        if self.checker:
            out.append(f"onnx.checker: {self.checker}")
        if self.latency_torch_ms is not None:
            out.append(
                f"latency at batch {self.latency_batch}: PyTorch {self.latency_torch_ms:.3f} ms, "
                f"{self.runtime} {self.latency_runtime_ms:.3f} ms"
            )
        out += [f"note: {n}" for n in self.notes]
        return out


def plain_module(loaded: LoadedModel, refusal: str) -> nn.Module:
    """A CPU fp32 deep copy in eval mode; TorchScript/.pt2 sources cannot be re-exported or quantized.

    ``refusal`` is the ``messages.ERR_*_NEEDS_PLAIN`` template of the action, raised for such a source.
    """
    if not loaded.is_plain_module:
        raise CheckpointError(refusal.format(source=loaded.source, format=loaded.format))
    return copy.deepcopy(loaded.model).cpu().float().eval()


# ----------------------------------------------------------------------------- ONNX
def _param_bytes(model: nn.Module) -> int:
    return sum(t.numel() * t.element_size() for t in (*model.parameters(), *model.buffers()))


def _onnx_proto(
    model: nn.Module, example: torch.Tensor, opset: int, dynamic_batch: bool, dynamo: bool
) -> onnx.ModelProto:
    """An in-memory ModelProto from one exporter (its log lines and warnings swallowed)."""
    import onnx

    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if dynamo:
            shapes = ({0: torch.export.Dim("batch", min=1)},) if dynamic_batch else None
            program = torch.onnx.export(
                model,
                (example,),
                dynamo=True,
                opset_version=opset,
                external_data=False,
                input_names=["input"],
                output_names=["output"],
                dynamic_shapes=shapes,
                verbose=False,
            )
            return program.model_proto
        axes = {"input": {0: "batch"}, "output": {0: "batch"}} if dynamic_batch else None
        buffer = io.BytesIO()
        torch.onnx.export(
            model,
            (example,),
            buffer,
            dynamo=False,
            opset_version=opset,
            input_names=["input"],
            output_names=["output"],
            dynamic_axes=axes,
        )
        return onnx.load_from_string(buffer.getvalue())


def _opset_of(proto: onnx.ModelProto) -> int:
    return next((o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")), 0)


def build_onnx_proto(
    model: nn.Module, example: torch.Tensor, opset: int = DEFAULT_OPSET, dynamic_batch: bool = True
) -> tuple[Any, str, list[str]]:
    """(ModelProto, exporter name, notes): dynamo first, TorchScript-based exporter as the fallback."""
    notes: list[str] = []
    proto = None
    try:
        proto = _onnx_proto(model, example, opset, dynamic_batch, dynamo=True)
        exporter = "dynamo (torch.export)"
    except Exception as exc:  # noqa: BLE001 - the exporter raises many types
        notes.append(messages.EXPORT_DYNAMO_FAILED.format(error=error_summary(exc)))
    if proto is not None and _opset_of(proto) == opset:
        return proto, exporter, notes
    if proto is not None:
        notes.append(messages.EXPORT_DYNAMO_OPSET.format(opset=opset, written=_opset_of(proto)))
    try:
        legacy = _onnx_proto(model, example, opset, dynamic_batch, dynamo=False)
        return legacy, "torchscript (legacy)", notes
    except Exception as exc:  # noqa: BLE001
        if proto is None:
            raise ModelError(messages.ERR_ONNX_BOTH_FAILED.format(error=error_summary(exc))) from exc
        notes.append(messages.EXPORT_LEGACY_FAILED.format(error=error_summary(exc), opset=_opset_of(proto)))
        return proto, exporter, notes


def write_onnx(proto: onnx.ModelProto, path: Path, meta: dict[str, Any], large: bool) -> list[Path]:
    """Write the model (metadata attached) atomically; returns the files written (one, or two when large)."""
    import onnx

    entry = next((p for p in proto.metadata_props if p.key == META_KEY), None) or proto.metadata_props.add()
    entry.key, entry.value = META_KEY, json.dumps(meta)
    if not large:
        data = proto.SerializeToString()
        atomic_write_with(path, lambda fh: fh.write(data))
        return [path]
    # Weights past 2 GB must live in a second file; write both in a temporary folder, then move them.
    with writing(path), tempfile.TemporaryDirectory(dir=make_folder(path.parent), prefix=".export-") as tmp:
        tmp_model = Path(tmp) / path.name
        onnx.save_model(
            proto,
            str(tmp_model),
            save_as_external_data=True,
            all_tensors_to_one_file=True,
            location=path.name + ".data",
            size_threshold=1024,
        )
        data_file = path.with_name(path.name + ".data")
        os.replace(Path(tmp) / data_file.name, data_file)
        os.replace(tmp_model, path)
    return [path, data_file]


def export_onnx(
    loaded: LoadedModel,
    out: str | Path | None = None,
    *,
    opset: int = DEFAULT_OPSET,
    dynamic_batch: bool = True,
    task: TaskHooks | None = None,
) -> ExportReport:
    try:
        import onnx
    except ImportError:
        raise TorchDeskError(messages.ERR_ONNX_PACKAGES) from None
    t = hooks(task)
    if not 7 <= opset <= 25:
        raise TorchDeskError(f"ONNX opset {opset} is out of range; use an opset between 7 and 25 (default 18)")
    model = plain_module(loaded, messages.ERR_ONNX_NEEDS_PLAIN)
    path = output_path(loaded, out, "onnx", ".onnx")
    t.step(0.05, messages.PROGRESS_EXAMPLE_BATCH)
    example, described = example_batch(loaded)
    t.step(0.2, messages.PROGRESS_ONNX)
    proto, exporter, notes = build_onnx_proto(model, example, opset, dynamic_batch)
    large = _param_bytes(model) > ONE_FILE_LIMIT
    t.step(0.6, messages.PROGRESS_WRITING)
    files = write_onnx(proto, path, artifact_meta(loaded, exported_format="onnx"), large)
    if large:
        notes.append(messages.EXPORT_TWO_FILES.format(name=files[1].name))
    t.report(0.7, messages.PROGRESS_CHECKING)
    try:
        onnx.checker.check_model(str(path), full_check=True)
        checker = "passed"
    except Exception as exc:  # noqa: BLE001
        checker = f"failed: {error_summary(exc)}"
    t.report(0.8, messages.PROGRESS_ORT_PARITY)
    session = runtime.ort_session(path)
    report = _verify(model, runtime.ort_runner(session), example, described, dynamic_batch)
    return ExportReport(
        "onnx",
        str(path),
        [str(f) for f in files],
        runtime.file_size(files),
        exporter,
        opset=_opset_of(proto),
        dynamic_batch=dynamic_batch,
        checker=checker,
        runtime="ONNX Runtime",
        notes=notes + report.pop("notes"),
        **report,
    )


def _verify(
    model: nn.Module, runner: runtime.Runner, example: torch.Tensor, described: str, dynamic_batch: bool
) -> dict[str, Any]:
    """Parity on the example batch (and on a batch of 1 when the batch axis is dynamic), then latency."""
    reference = runtime.torch_runner(model)
    notes: list[str] = []
    diff = runtime.max_abs_diff(runner(example), reference(example))
    if dynamic_batch and len(example) > 1:
        try:
            diff = max(diff, runtime.max_abs_diff(runner(example[:1]), reference(example[:1])))
        except Exception as exc:  # noqa: BLE001
            notes.append(messages.EXPORT_BATCH_OF_ONE.format(error=error_summary(exc), size=len(example)))
    latency = runtime.interleaved_latency({"torch": reference, "runtime": runner}, example, budget_s=0.3)
    return {
        "parity_max_abs_diff": diff,
        "parity_ok": diff < FP32_TOLERANCE,
        "parity_inputs": described,
        "latency_batch": len(example),
        "latency_torch_ms": latency["torch"],
        "latency_runtime_ms": latency["runtime"],
        "notes": notes,
    }


# ----------------------------------------------------------------------------- TorchScript
# Without this, torch.jit.trace stores the example batch inside the archive (megabytes for images).
_TRACE_KWARGS = {"_store_inputs": False} if "_store_inputs" in inspect.signature(torch.jit.trace).parameters else {}


def build_torchscript(model: nn.Module, example: torch.Tensor, method: str = "trace") -> torch.jit.ScriptModule:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.jit is deprecated in favour of torch.export; it still works
        try:
            if method == "script":
                return torch.jit.script(model)
            return torch.jit.trace(model, example, check_trace=False, **_TRACE_KWARGS)
        except Exception as exc:  # noqa: BLE001
            other = "trace" if method == "script" else "script"
            raise ModelError(
                messages.ERR_TORCHSCRIPT_FAILED.format(method=method, error=error_summary(exc), other=other)
            ) from exc


def save_torchscript(module: torch.jit.ScriptModule, path: Path, meta: dict[str, Any]) -> None:
    extra = {EXTRA_FILE: json.dumps(meta)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        atomic_write_with(path, lambda fh: torch.jit.save(module, fh, _extra_files=extra))


def export_torchscript(
    loaded: LoadedModel, out: str | Path | None = None, *, method: str = "trace", task: TaskHooks | None = None
) -> ExportReport:
    from backend.artifacts.readers import load_torchscript

    if method not in ("trace", "script"):
        raise TorchDeskError(f"TorchScript method must be 'trace' or 'script', got {method!r}")
    t = hooks(task)
    model = plain_module(loaded, messages.ERR_TORCHSCRIPT_NEEDS_PLAIN)
    path = output_path(loaded, out, "torchscript", ".pt")
    t.step(0.05, messages.PROGRESS_EXAMPLE_BATCH)
    example, described = example_batch(loaded)
    t.step(0.3, messages.PROGRESS_TORCHSCRIPT.format(method=method))
    module = build_torchscript(model, example, method)
    save_torchscript(module, path, artifact_meta(loaded, exported_format="torchscript", torchscript_method=method))
    t.report(0.7, messages.PROGRESS_JIT_RELOAD)
    reloaded, _ = load_torchscript(path)
    report = _verify(model, runtime.torch_runner(reloaded), example, described, dynamic_batch=True)
    notes = report.pop("notes")
    if method == "trace":
        notes.append(messages.EXPORT_TRACED)
    return ExportReport(
        "torchscript",
        str(path),
        [str(path)],
        path.stat().st_size,
        f"torch.jit.{method}",
        runtime="TorchScript",
        notes=notes,
        **report,
    )


# ----------------------------------------------------------------------------- torch.export
def export_pt2(
    loaded: LoadedModel, out: str | Path | None = None, *, dynamic_batch: bool = True, task: TaskHooks | None = None
) -> ExportReport:
    from backend.artifacts.readers import load_pt2

    t = hooks(task)
    model = plain_module(loaded, messages.ERR_TORCH_EXPORT_NEEDS_PLAIN)
    path = output_path(loaded, out, "export", ".pt2")
    t.step(0.05, messages.PROGRESS_EXAMPLE_BATCH)
    example, described = example_batch(loaded)
    t.step(0.3, messages.PROGRESS_TORCH_EXPORT)
    notes: list[str] = []
    program = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if dynamic_batch:
            try:
                batch = torch.export.Dim("batch", min=1)
                program = torch.export.export(model, (example,), dynamic_shapes=({0: batch},))
            except Exception as exc:  # noqa: BLE001
                notes.append(messages.EXPORT_STATIC_BATCH.format(error=error_summary(exc), size=len(example)))
                dynamic_batch = False
        if program is None:
            try:
                program = torch.export.export(model, (example,))
            except Exception as exc:  # noqa: BLE001
                raise ModelError(messages.ERR_TORCH_EXPORT_FAILED.format(error=error_summary(exc))) from exc
    meta = json.dumps(artifact_meta(loaded, exported_format="pt2"))
    atomic_write_with(path, lambda fh: torch.export.save(program, fh, extra_files={EXTRA_FILE: meta}))
    t.report(0.7, messages.PROGRESS_PT2_RELOAD)
    module, _ = load_pt2(path)
    report = _verify(model, runtime.torch_runner(module), example, described, dynamic_batch)
    return ExportReport(
        "pt2",
        str(path),
        [str(path)],
        path.stat().st_size,
        "torch.export",
        runtime="torch.export",
        dynamic_batch=dynamic_batch,
        notes=notes + report.pop("notes"),
        **report,
    )


def export_model(
    loaded: LoadedModel,
    fmt: str,
    out: str | Path | None = None,
    *,
    opset: int = DEFAULT_OPSET,
    method: str = "trace",
    dynamic_batch: bool = True,
    task: TaskHooks | None = None,
) -> ExportReport:
    """Dispatch on ``fmt`` (onnx, torchscript, pt2)."""
    if fmt == "onnx":
        return export_onnx(loaded, out, opset=opset, dynamic_batch=dynamic_batch, task=task)
    if fmt == "torchscript":
        return export_torchscript(loaded, out, method=method, task=task)
    if fmt == "pt2":
        return export_pt2(loaded, out, dynamic_batch=dynamic_batch, task=task)
    raise TorchDeskError(f"export format must be one of {', '.join(EXPORT_FORMATS)}, got {fmt!r}")
