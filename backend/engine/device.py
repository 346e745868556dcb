"""Device and precision resolution: what this machine can run, and what ``auto`` means."""

from __future__ import annotations

import contextlib
import platform
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import torch

from backend.core import messages
from backend.core.config import RunConfig
from backend.core.device_names import validate_device_name
from backend.core.errors import DeviceError
from backend.core.host_memory import total_ram
from backend.core.message_text import Message
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
        if torch.cuda.is_bf16_supported():  # emulated bf16 (before sm_80) trains correctly, only slowly
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


def resolve_precision(name: str, device: torch.device, measured: dict[str, float] | None = None) -> Precision:
    """``measured``: step-time ratios to fp32 on this device (backend.engine.precision_cost), for ``auto``."""
    if name == "auto":
        name = auto_precision(device, measured)
    if name not in supported_precisions(device):
        raise DeviceError(
            messages.ERR_PRECISION.format(name=name, device=device, names=", ".join(supported_precisions(device)))
        )
    if name == "fp32":
        return Precision(name, None, False)
    if name == "bf16-mixed":
        return Precision(name, torch.bfloat16, False)
    return Precision(name, torch.float16, True)


SLOWER_THAN_FP32 = 1.25  # a step-time ratio to fp32 above this is "slower" (timing noise stays below it)


def auto_precision(device: torch.device, measured: dict[str, float] | None = None) -> str:
    """What ``auto`` trains with: mixed precision only where this device runs it natively, so never a
    slower choice than fp32 (a CPU without native bf16 emulates it, ~10x slower); with ``measured``
    step-time ratios to fp32 (backend.engine.precision_cost), not one measured slower either."""
    if device.type != "cuda":
        return "fp32"
    return auto_choice(native_precisions(device), measured)


def auto_choice(native: dict[str, bool], measured: dict[str, float] | None = None) -> str:
    """``auto`` on a GPU whose ``native_precisions`` are ``native``: bf16, then fp16, where computed natively
    and not measured slower than fp32; fp32 otherwise."""
    for name in ("bf16-mixed", "fp16-mixed"):
        if native.get(name) and (measured is None or measured.get(name, 1.0) <= SLOWER_THAN_FP32):
            return name
    return "fp32"


def slow_precision_warning(name: str, device: torch.device, measured: dict[str, float] | None = None) -> Message | None:
    """A warning when the precision a run asks for is measured (``measured`` ratios) or known (emulated
    on this hardware) to be slower than fp32 here; None otherwise."""
    if name in ("auto", "fp32"):
        return None
    ratio = (measured or {}).get(name)
    if ratio is not None:
        if ratio <= SLOWER_THAN_FP32:
            return None
        return messages.WARN_PRECISION_MEASURED.format(precision=name, device=device, ratio=ratio)
    if native_precisions(device).get(name, True):
        return None
    return messages.WARN_PRECISION_EMULATED.format(precision=name, device=device)


def config_precision_warning(config: RunConfig) -> Message | None:
    """``slow_precision_warning`` for the device and precision ``config`` asks for (None when the device
    cannot be resolved: the run itself reports that)."""
    try:
        device = resolve_device(config.train.device)
    except DeviceError:
        return None
    return slow_precision_warning(config.train.precision, device)


CPU_NATIVE_FLAGS = {"bf16-mixed": ("avx512_bf16", "amx_bf16"), "fp16-mixed": ("avx512_fp16", "amx_fp16")}


def cpu_flags() -> set[str]:
    """The CPU's feature flags (Linux /proc/cpuinfo; empty elsewhere)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def native_precisions(device: torch.device, flags: set[str] | None = None) -> dict[str, bool]:
    """Which mixed precisions this device computes natively (tensor cores, AVX-512 BF16/AMX), not emulated."""
    if device.type == "cuda":
        major, minor = torch.cuda.get_device_capability(device)
        return {"bf16-mixed": major >= 8, "fp16-mixed": major >= 7}
    if device.type == "cpu":
        flags = cpu_flags() if flags is None else flags
        return {name: any(f in flags for f in wanted) for name, wanted in CPU_NATIVE_FLAGS.items()}
    return {}


def precision_notes(device: torch.device) -> dict[str, Message]:
    """What each mixed precision costs on ``device``, in words, from what the hardware computes natively
    (a CPU without AVX-512 BF16 or AMX emulates bf16: the tutorials' CNN trained 10x slower than in fp32)."""
    native = native_precisions(device)
    notes: dict[str, Message] = {}
    for name in supported_precisions(device):
        if name == "fp32" or name not in native:
            continue
        if device.type == "cpu":
            template = messages.PRECISION_NATIVE_CPU if native[name] else messages.PRECISION_EMULATED
        else:
            template = messages.PRECISION_NATIVE_GPU if native[name] else messages.PRECISION_EMULATED_GPU
        notes[name] = template.format(precision=name)
    return notes


def arch_supported(capability: tuple[int, int], arch_list: list[str]) -> bool:
    """Whether a PyTorch built for ``arch_list`` (torch.cuda.get_arch_list()) has kernels for a GPU of
    compute ``capability``: a cubin of the same major and an equal or lower minor runs (sm_80 on sm_86),
    PTX (compute_XY) is compiled for any later GPU; an ``a``-suffixed arch (sm_90a) only on its own."""
    major, minor = capability
    for arch in arch_list:
        kind, _, version = arch.partition("_")
        exact = version.endswith(("a", "f"))
        digits = version.rstrip("af")
        if not digits.isdigit() or len(digits) < 2:
            continue
        a_major, a_minor = int(digits[:-1]), int(digits[-1])
        if exact:
            if (a_major, a_minor) == (major, minor):
                return True
        elif kind == "sm" and a_major == major and a_minor <= minor:
            return True
        elif kind == "compute" and (a_major, a_minor) <= (major, minor):
            return True
    return False


def gpu_problem(
    *,
    cuda_build: str | None,
    cuda_available: bool,
    capability: tuple[int, int] | None,
    arch_list: list[str],
    driver: str,
    torch_version: str,
) -> Message | None:
    """Why this PyTorch cannot train on a GPU that nvidia-smi lists, with the fix; None when it can."""
    if not cuda_build:
        return messages.GPU_CPU_BUILD.format(version=torch_version)
    if not cuda_available:
        return messages.GPU_DRIVER.format(driver=driver or "?", cuda=cuda_build)
    if capability is not None and arch_list and not arch_supported(capability, arch_list):
        return messages.GPU_ARCH.format(arch=f"{capability[0]}{capability[1]}", archs=", ".join(arch_list))
    return None


def nvidia_smi_gpus() -> list[dict]:
    """The NVIDIA GPUs the driver sees (index, name, memory_gib, capability, driver); [] without nvidia-smi."""
    exe = shutil.which("nvidia-smi")
    if not exe:
        return []
    query = "index,name,memory.total,compute_cap,driver_version"
    try:
        out = subprocess.run(
            [exe, f"--query-gpu={query}", "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    gpus = []
    for line in out.splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 5:
            continue
        index, name, memory, cap, driver = parts
        with contextlib.suppress(ValueError):
            major, _, minor = cap.partition(".")
            gpus.append(
                {
                    "index": int(index),
                    "name": name,
                    "memory_gib": round(float(memory) / 1024, 1),
                    "capability": (int(major), int(minor or 0)),
                    "driver": driver,
                }
            )
    return gpus


def device_inventory() -> list[dict]:
    """Every device this machine has, with name, memory, precisions and what each precision costs
    (``precision_notes``; for `info` and the GUI). A GPU this PyTorch cannot use is listed too, with
    ``problem`` saying why and how to fix it, and no precisions."""
    cpu = torch.device("cpu")
    out = [
        {
            "device": "cpu",
            "name": "CPU",
            "threads": torch.get_num_threads(),
            "precisions": supported_precisions(cpu),
            "precision_notes": precision_notes(cpu),
            "precision_native": native_precisions(cpu),
        }
    ]
    ram = total_ram()
    if ram:
        out[0]["memory_gib"] = round(ram / 2**30, 1)
    arch_list = torch.cuda.get_arch_list() if torch.cuda.is_available() else []
    for i in range(torch.cuda.device_count() if torch.cuda.is_available() else 0):
        props = torch.cuda.get_device_properties(i)
        dev = torch.device("cuda", i)
        entry = {"device": f"cuda:{i}", "name": props.name, "memory_gib": round(props.total_memory / 2**30, 1)}
        problem = gpu_problem(
            cuda_build=torch.version.cuda,
            cuda_available=True,
            capability=(props.major, props.minor),
            arch_list=arch_list,
            driver="",
            torch_version=str(torch.__version__),
        )
        if problem is None:
            entry.update(
                precisions=supported_precisions(dev),
                precision_notes=precision_notes(dev),
                precision_native=native_precisions(dev),
            )
        else:
            entry.update(precisions=[], problem=problem)
        out.append(entry)
    if not torch.cuda.is_available():
        for gpu in nvidia_smi_gpus():  # GPUs the driver sees that this PyTorch cannot reach
            problem = gpu_problem(
                cuda_build=torch.version.cuda,
                cuda_available=False,
                capability=gpu["capability"],
                arch_list=[],
                driver=gpu["driver"],
                torch_version=str(torch.__version__),
            )
            out.append(
                {
                    "device": f"cuda:{gpu['index']}",
                    "name": gpu["name"],
                    "memory_gib": gpu["memory_gib"],
                    "precisions": [],
                    "problem": problem,
                }
            )
    if _mps_available():
        out.append({"device": "mps", "name": "Apple MPS", "precisions": supported_precisions(torch.device("mps"))})
    return out


def out_of_memory_error(device: torch.device | None, config: RunConfig, last_checkpoint: Path | None) -> DeviceError:
    """CUDA (or any device) out of memory as bad input: the batch size, the memory in use and the fixes."""
    batch = config.data.batch_size
    if device is not None and device.type == "cuda":
        free, total = torch.cuda.mem_get_info(device)
        memory = messages.OOM_MEMORY.format(used=(total - free) / 2**30, total=total / 2**30)
    else:
        memory = messages.OOM_MEMORY_UNKNOWN
    if last_checkpoint is not None:
        hint = messages.OOM_HINT_CHECKPOINT.format(checkpoint=last_checkpoint)
    else:
        hint = messages.OOM_HINT_NO_CHECKPOINT
    return DeviceError(
        messages.ERR_CUDA_OOM.format(
            device=device if device is not None else config.train.device,
            batch=batch,
            memory=memory,
            half=max(1, batch // 2),
            accum=config.train.grad_accum * 2,
            hint=hint,
        ),
        field="data.batch_size",
    )


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
