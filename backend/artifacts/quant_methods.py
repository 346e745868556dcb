"""The quantization methods, what each needs, and how each builds its artifact.

Availability is decided at run time from what this PyTorch / ONNX Runtime offers and what the model
holds: the ``torch.ao.quantization`` eager/FX APIs are deprecated and may disappear, torchao may be
absent. Every builder returns the artifact files and a runner that executes the *saved* file.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn

from backend.artifacts import runtime
from backend.artifacts.model_io import META_KEY, LoadedModel
from backend.core import messages
from backend.core.errors import first_line

DYNAMIC_TYPES = (nn.Linear, nn.LSTM, nn.GRU, nn.LSTMCell, nn.GRUCell, nn.RNNCell)
CONV_TYPES = (nn.Conv1d, nn.Conv2d, nn.Conv3d)


@dataclass(frozen=True)
class MethodInfo:
    name: str
    title: str
    runtime: str  # "PyTorch" or "ONNX Runtime"
    suffix: str  # the artifact's file extension
    available: bool
    reason: str  # why it is not available, or what it does


@dataclass
class Built:
    files: list[Path]
    runner: runtime.Runner
    baseline: str  # the fp32 baseline of the same container and runtime: torchscript, safetensors or onnx
    notes: list[str] = field(default_factory=list)


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence deprecation warnings, ORT's logging and exporter prints while a method builds."""
    sink = io.StringIO()
    logger = logging.getLogger()
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with contextlib.redirect_stdout(sink), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _has(model: nn.Module, types: tuple[type, ...]) -> bool:
    return any(isinstance(m, types) for m in model.modules())


def _torch_ao() -> tuple[bool, str]:
    try:
        with quiet():
            from torch.ao.quantization import quantize_dynamic  # noqa: F401
    except ImportError:
        return False, messages.QUANT_NO_TORCH_AO.format(version=torch.__version__)
    engines = [e for e in torch.backends.quantized.supported_engines if e != "none"]
    if not engines:
        return False, messages.QUANT_NO_ENGINE
    return True, ""


def _fx() -> tuple[bool, str]:
    try:
        with quiet():
            from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx  # noqa: F401
    except ImportError:
        try:
            import torchao  # noqa: F401

            return False, messages.QUANT_FX_GONE_PT2E
        except ImportError:
            return False, messages.QUANT_FX_GONE
    return _torch_ao()


def _ort() -> tuple[bool, str]:
    missing = []
    for module in ("onnx", "onnxscript", "onnxruntime"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        return False, messages.QUANT_ORT_MISSING.format(packages=", ".join(missing))
    try:
        from onnxruntime.quantization import quantize_dynamic, quantize_static  # noqa: F401
    except ImportError:
        return False, messages.QUANT_ORT_NO_TOOLS
    return True, ""


def methods_for(loaded: LoadedModel) -> list[MethodInfo]:
    """Every method, with whether it applies to this model here and why not."""
    model = loaded.model
    plain = loaded.is_plain_module
    has_dyn, has_conv, has_linear = _has(model, DYNAMIC_TYPES), _has(model, CONV_TYPES), _has(model, (nn.Linear,))
    has_data = loaded.config is not None
    ao_ok, ao_why = _torch_ao()
    fx_ok, fx_why = _fx()
    ort_ok, ort_why = _ort()
    not_plain = messages.QUANT_NOT_PLAIN.format(name=loaded.source.name, format=loaded.format)
    no_data = messages.QUANT_NO_DATA

    def verdict(checks: list[tuple[bool, str]], what: str) -> tuple[bool, str]:
        for ok, why in checks:
            if not ok:
                return False, why
        return True, what

    rows = [
        (
            "dynamic_int8",
            messages.QUANT_DYNAMIC_INT8,
            "PyTorch",
            ".pt",
            [(plain, not_plain), (ao_ok, ao_why), (has_dyn, messages.QUANT_NO_DYNAMIC_LAYERS)],
            messages.QUANT_DYNAMIC_INT8_DOES,
        ),
        (
            "static_int8",
            messages.QUANT_STATIC_INT8,
            "PyTorch",
            ".pt",
            [
                (plain, not_plain),
                (fx_ok, fx_why),
                (has_conv or has_linear, messages.QUANT_NO_CONV_OR_LINEAR),
                (has_data, no_data),
            ],
            messages.QUANT_STATIC_INT8_DOES,
        ),
        (
            "fp16",
            messages.QUANT_FP16,
            "PyTorch",
            ".safetensors",
            [(plain, not_plain)],
            messages.QUANT_FP16_DOES,
        ),
        (
            "bf16",
            messages.QUANT_BF16,
            "PyTorch",
            ".safetensors",
            [(plain, not_plain)],
            messages.QUANT_BF16_DOES,
        ),
        (
            "ort_dynamic_int8",
            messages.QUANT_ORT_DYNAMIC_INT8,
            "ONNX Runtime",
            ".onnx",
            [(plain, not_plain), (ort_ok, ort_why)],
            messages.QUANT_ORT_DYNAMIC_INT8_DOES,
        ),
        (
            "ort_static_int8",
            messages.QUANT_ORT_STATIC_INT8,
            "ONNX Runtime",
            ".onnx",
            [(plain, not_plain), (ort_ok, ort_why), (has_data, no_data)],
            messages.QUANT_ORT_STATIC_INT8_DOES,
        ),
    ]
    out = []
    for name, title, rt, suffix, checks, what in rows:
        ok, reason = verdict(checks, what)
        out.append(MethodInfo(name, title, rt, suffix, ok, reason))
    return out


# ----------------------------------------------------------------------------- builders
def _save_ts(module: nn.Module, example: torch.Tensor, path: Path, meta: dict) -> runtime.Runner:
    from backend.artifacts.export import build_torchscript, save_torchscript
    from backend.artifacts.readers import load_torchscript

    save_torchscript(build_torchscript(module, example, "trace"), path, meta)
    reloaded, _ = load_torchscript(path)
    return runtime.torch_runner(reloaded)


def build_dynamic_int8(model: nn.Module, example: torch.Tensor, path: Path, meta: dict) -> Built:
    with quiet():
        from torch.ao.quantization import quantize_dynamic

        quantized = quantize_dynamic(copy.deepcopy(model), set(DYNAMIC_TYPES), dtype=torch.qint8)
        runner = _save_ts(quantized, example, path, meta)
    return Built([path], runner, "torchscript")


def build_static_int8(
    model: nn.Module, example: torch.Tensor, path: Path, meta: dict, calibration: list[torch.Tensor]
) -> Built:
    with quiet():
        from torch.ao.quantization import get_default_qconfig_mapping
        from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx

        engine = torch.backends.quantized.engine
        try:
            prepared = prepare_fx(copy.deepcopy(model), get_default_qconfig_mapping(engine), (example,))
        except Exception as exc:  # noqa: BLE001 - symbolic tracing fails on data-dependent Python control flow
            raise RuntimeError(f"the model cannot be traced by torch.fx ({first_line(exc)})") from exc
        with torch.inference_mode():
            for xb in calibration:
                prepared(xb)
        quantized = convert_fx(prepared)
        runner = _save_ts(quantized, example, path, meta)
    return Built(
        [path],
        runner,
        "torchscript",
        [messages.QUANT_CALIBRATED.format(count=sum(len(b) for b in calibration), engine=engine)],
    )


def build_half(model: nn.Module, dtype: torch.dtype, path: Path, meta: dict) -> Built:
    from backend.store.checkpoint import write_safetensors

    half = copy.deepcopy(model).to(dtype).eval()
    name = str(dtype).removeprefix("torch.")
    meta = {**meta, "weights_dtype": name}
    write_safetensors(path, half.state_dict(), {META_KEY: json.dumps(meta)})
    return Built(
        [path],
        runtime.torch_runner(half, dtype),
        "safetensors",
        [messages.QUANT_HALF_MEASURED.format(dtype=name)],
    )


def build_fp32_onnx(model: nn.Module, example: torch.Tensor, path: Path, meta: dict) -> Path:
    from backend.artifacts.export import build_onnx_proto, write_onnx

    with quiet():
        proto, _, _ = build_onnx_proto(model, example)
        write_onnx(proto, path, meta, large=False)
    return path


def _restore_meta(path: Path, meta: dict) -> None:
    import onnx

    from backend.artifacts.export import write_onnx

    write_onnx(onnx.load_model(str(path)), path, meta, large=False)


class _Reader:
    """ONNX Runtime's CalibrationDataReader protocol over our calibration batches."""

    def __init__(self, batches: list[torch.Tensor], name: str) -> None:
        self.items = iter([{name: b.numpy()} for b in batches])

    def get_next(self) -> dict | None:
        return next(self.items, None)

    def rewind(self) -> None:  # some ORT versions call it
        pass


def build_ort(kind: str, fp32_onnx: Path, path: Path, meta: dict, calibration: list[torch.Tensor] | None) -> Built:
    from onnxruntime.quantization import QuantFormat, QuantType, quantize_dynamic, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    pre = path.with_name(path.stem + ".pre.onnx")
    with quiet():
        # ONNX Runtime's own recommended first step; quantize_dynamic fails on the dynamo export without it.
        quant_pre_process(str(fp32_onnx), str(pre))
        if kind == "dynamic":
            quantize_dynamic(str(pre), str(path), weight_type=QuantType.QInt8)
        else:
            reader = _Reader(calibration or [], "input")
            quantize_static(
                str(pre),
                str(path),
                reader,
                quant_format=QuantFormat.QDQ,
                activation_type=QuantType.QInt8,
                weight_type=QuantType.QInt8,
                per_channel=True,
            )
    pre.unlink(missing_ok=True)
    _restore_meta(path, meta)
    return Built([path], runtime.ort_runner(runtime.ort_session(path)), "onnx")
