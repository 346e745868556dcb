"""Device and precision resolution: what this machine can run, and what ``auto`` means."""

from __future__ import annotations

import platform
import shutil
from dataclasses import dataclass

import torch

from backend.core import messages
from backend.core.device_names import validate_device_name
from backend.core.errors import DeviceError
from backend.core.host_memory import total_ram
from backend.core.paths import is_frozen


def _mps_available() -> bool:
    return bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())


def resolve_device(name: str) -> torch.device:
    """``auto`` picks CUDA, then MPS, then the CPU; an unavailable device is a DeviceError."""
    validate_device_name(name)
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        return torch.device("mps") if _mps_available() else torch.device("cpu")
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise DeviceError(messages.ERR_NO_CUDA.format(name=name))
        index = int(name.split(":")[1]) if ":" in name else 0
        if index >= torch.cuda.device_count():
            count = torch.cuda.device_count()
            raise DeviceError(messages.ERR_CUDA_INDEX.format(name=name, count=count, last=count - 1))
        return torch.device("cuda", index)
    if name == "mps" and not _mps_available():
        raise DeviceError(messages.ERR_NO_MPS)
    return torch.device(name)


def supported_precisions(device: torch.device) -> list[str]:
    """Precisions that train correctly on this device, fastest-first after fp32."""
    if device.type == "cuda":
        out = ["fp32", "fp16-mixed"]
        if torch.cuda.is_bf16_supported():
            out.insert(1, "bf16-mixed")
        return out
    if device.type == "cpu":
        # fp16 autocast on the CPU works but is emulated and slow: kept for testing the scaler path.
        return ["fp32", "bf16-mixed", "fp16-mixed"]
    return ["fp32"]


@dataclass(frozen=True)
class Precision:
    name: str  # fp32, bf16-mixed or fp16-mixed
    autocast_dtype: torch.dtype | None
    use_scaler: bool


def resolve_precision(name: str, device: torch.device) -> Precision:
    if name == "auto":
        if device.type == "cuda":
            name = "bf16-mixed" if torch.cuda.is_bf16_supported() else "fp16-mixed"
        else:
            name = "fp32"  # bf16 autocast is rarely faster on a CPU
    if name not in supported_precisions(device):
        raise DeviceError(
            messages.ERR_PRECISION.format(name=name, device=device, names=", ".join(supported_precisions(device)))
        )
    if name == "fp32":
        return Precision(name, None, False)
    if name == "bf16-mixed":
        return Precision(name, torch.bfloat16, False)
    return Precision(name, torch.float16, True)


def device_inventory() -> list[dict]:
    """Every device this machine has, with name, memory and precisions (for `info` and the GUI)."""
    cpu = torch.device("cpu")
    out = [
        {"device": "cpu", "name": "CPU", "threads": torch.get_num_threads(), "precisions": supported_precisions(cpu)}
    ]
    ram = total_ram()
    if ram:
        out[0]["memory_gib"] = round(ram / 2**30, 1)
    for i in range(torch.cuda.device_count() if torch.cuda.is_available() else 0):
        props = torch.cuda.get_device_properties(i)
        dev = torch.device("cuda", i)
        out.append(
            {
                "device": f"cuda:{i}",
                "name": props.name,
                "memory_gib": round(props.total_memory / 2**30, 1),
                "precisions": supported_precisions(dev),
            }
        )
    if _mps_available():
        out.append({"device": "mps", "name": "Apple MPS", "precisions": supported_precisions(torch.device("mps"))})
    return out


COMPILERS = ("cc", "gcc", "clang", "cl")


def compile_support() -> tuple[bool, str]:
    """(usable, reason): whether ``torch.compile`` can work here, and why not (for the Device panel)."""
    if is_frozen():
        return False, messages.COMPILE_FROZEN
    try:
        import torch._dynamo

        if not torch._dynamo.is_dynamo_supported():
            return False, messages.COMPILE_PYTHON.format(version=platform.python_version())
    except Exception as exc:  # noqa: BLE001 - any failure means it cannot be offered
        return False, messages.COMPILE_IMPORT.format(error=exc)
    if not any(shutil.which(cc) for cc in COMPILERS):
        return False, messages.COMPILE_NO_COMPILER
    return True, ""


def check_compile_support(requested: bool = True) -> None:
    """Refuse ``train.compile = true`` where ``torch.compile`` cannot work, naming the reason."""
    if not requested:
        return
    ok, reason = compile_support()
    if not ok:
        raise DeviceError(messages.ERR_COMPILE.format(reason=reason))
