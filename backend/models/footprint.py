"""The memory a model needs, estimated before anything is allocated, and the refusal when it cannot fit.

The model is first built on PyTorch's "meta" device: its modules get parameters with shapes but
no storage, so counting them costs no memory whatever the configured sizes (``model.hidden_sizes
= [4000000000]`` is counted in milliseconds, where building it would crash the allocator). A model
that cannot be built there (some custom code) is not estimated; its real build still turns an
allocation failure into the same kind of message.

Checked: the weights in RAM whenever a model is built (training, the model summary, loading a
saved model); for training, also weights, gradients and optimizer state on the training device,
then, once the model exists, the activations of one batch (``check_batch_memory``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from backend.core import messages
from backend.core.config import ModelConfig, RunConfig
from backend.core.errors import ConfigError, ModelError, first_line
from backend.core.host_memory import available_ram

GIB = 2**30
MIB = 2**20
# The options that set a registry model's size (named in the order of the model's options).
SIZE_OPTIONS = ("hidden_sizes", "width")


@dataclass(frozen=True)
class Footprint:
    params: int
    weight_bytes: int  # parameters and buffers
    trainable_bytes: int


@dataclass(frozen=True)
class TrainingTarget:
    """Where a model will train: its weights, gradients and optimizer state must fit there too."""

    device: torch.device
    optimizer_states: int  # values of optimizer state per trainable parameter


def optimizer_state_per_param(config: RunConfig) -> int:
    """Values of optimizer state kept per trainable parameter."""
    o = config.optim
    if o.name in ("adam", "adamw"):
        return 2
    if o.name == "sgd":
        return 1 if o.momentum > 0 else 0
    if o.name == "rmsprop":
        return 2 if o.momentum > 0 else 1
    return 2


def construct(
    cfg: ModelConfig, input_shape: tuple[int, ...], num_outputs: int, *, try_forward: bool = True
) -> nn.Module:
    """The configured model as its builder makes it (no init, weights or freezing: see build_model)."""
    from backend.core.model_catalogue import FILE_PREFIX
    from backend.models.registry import MODELS

    if cfg.arch.startswith(FILE_PREFIX):
        from backend.models.custom import build_custom

        return build_custom(cfg, input_shape, num_outputs, try_forward=try_forward)
    return MODELS[cfg.arch].builder()(cfg, input_shape, num_outputs)


# In-place ops that change values only, and that PyTorch runs on the meta device through Python
# reference implementations whose first use imports torch._dynamo (2-3 s, measured here with
# torch 2.14). A meta tensor has no values, so skipping them changes nothing.
_VALUE_ONLY_OPS = {
    torch.Tensor.normal_,
    torch.Tensor.erfinv_,
    torch.Tensor.clamp_,
    torch.Tensor.clamp_min_,
    torch.Tensor.clamp_max_,
    torch.Tensor.exponential_,
    torch.Tensor.log_normal_,
    torch.Tensor.cauchy_,
    torch.Tensor.geometric_,
}


class _SkipValueOps(TorchFunctionMode):
    """Skips _VALUE_ONLY_OPS on meta tensors (weight initialisation, while counting parameters)."""

    def __torch_function__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        if func in _VALUE_ONLY_OPS and args and isinstance(args[0], torch.Tensor) and args[0].is_meta:
            return args[0]
        return func(*args, **(kwargs or {}))


def estimate(cfg: ModelConfig, input_shape: tuple[int, ...], num_outputs: int) -> Footprint | None:
    """Parameter count and bytes of the model built on the meta device; None when it cannot be
    built there (the real build then says what is wrong)."""
    try:
        with torch.random.fork_rng(devices=[]), torch.device("meta"), _SkipValueOps():
            model = construct(cfg, input_shape, num_outputs, try_forward=False)
    except Exception:  # noqa: BLE001 - any failure: no estimate; the real build reports it
        return None
    params = list(model.parameters())
    return Footprint(
        params=sum(p.numel() for p in params),
        weight_bytes=sum(t.numel() * t.element_size() for t in (*params, *model.buffers())),
        trainable_bytes=sum(p.numel() * p.element_size() for p in params if p.requires_grad),
    )


def free_memory(device: torch.device | None) -> tuple[int, str]:
    """Bytes that can still be allocated on ``device`` (None: the CPU), and the place's name for messages."""
    if device is not None and device.type == "cuda":
        free, _total = torch.cuda.mem_get_info(device)
        # Blocks PyTorch's caching allocator holds but does not use are free to this process.
        free += torch.cuda.memory_reserved(device) - torch.cuda.memory_allocated(device)
        return free, messages.CACHE_IN_GPU
    return available_ram(), messages.CACHE_IN_RAM  # MPS shares the RAM


def size_fields(arch: str) -> tuple[str, str]:
    """The options named as the cause of a too-large model, and the fix to offer."""
    from backend.core.model_catalogue import FILE_PREFIX
    from backend.models.registry import MODELS

    options = () if arch.startswith(FILE_PREFIX) or arch not in MODELS else MODELS[arch].options
    fields = " and ".join(f"model.{name}" for name in options if name in SIZE_OPTIONS)
    if not fields:
        return "model.arch", messages.MODEL_FIX_ARCH
    return fields, messages.MODEL_FIX_OPTIONS.format(fields=fields)


def _refuse(cfg: ModelConfig, footprint: Footprint, need: int, free: int, where: str, what: str) -> ModelError:
    fields, fix = size_fields(cfg.arch)
    return ModelError(
        messages.ERR_MODEL_TOO_BIG.format(
            fields=fields,
            arch=cfg.arch,
            params=footprint.params,
            need_gib=need / GIB,
            what=what,
            free_gib=free / GIB,
            where=where,
            fix=fix,
        )
    )


def check_model_memory(
    cfg: ModelConfig, input_shape: tuple[int, ...], num_outputs: int, training: TrainingTarget | None = None
) -> None:
    """ModelError naming the size options when the model's weights cannot fit in RAM, or (``training``)
    its weights, gradients and optimizer state on the training device."""
    footprint = estimate(cfg, input_shape, num_outputs)
    if footprint is None:
        return
    free, where = free_memory(None)
    if footprint.weight_bytes > free:
        raise _refuse(cfg, footprint, footprint.weight_bytes, free, where, messages.MODEL_MEMORY_WEIGHTS)
    if training is None:
        return
    need = footprint.weight_bytes + footprint.trainable_bytes * (1 + training.optimizer_states)
    free, where = free_memory(training.device)
    if need > free:
        raise _refuse(cfg, footprint, need, free, where, messages.MODEL_MEMORY_TRAINING)


def is_out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is an allocation failure (CPU or GPU), as opposed to any other error."""
    if isinstance(exc, (MemoryError, torch.OutOfMemoryError)):
        return True
    return isinstance(exc, RuntimeError) and (
        "can't allocate memory" in str(exc) or "out of memory" in str(exc).lower()
    )


def out_of_memory_error(cfg: ModelConfig, exc: BaseException) -> ModelError:
    fields, fix = size_fields(cfg.arch)
    error = first_line(exc)
    return ModelError(messages.ERR_MODEL_OUT_OF_MEMORY.format(fields=fields, arch=cfg.arch, error=error, fix=fix))


@contextmanager
def output_bytes(model: nn.Module) -> Iterator[list[int]]:
    """While inside, the bytes of every layer's output (modules without children) are added up in
    the yielded one-item list: a rough measure of the activations a training step keeps."""
    total = [0]

    def hook(_module: nn.Module, _inputs: Any, output: Any) -> None:
        outputs = output if isinstance(output, (tuple, list)) else (output,)
        total[0] += sum(o.numel() * o.element_size() for o in outputs if isinstance(o, torch.Tensor))

    leaves = [m for m in model.modules() if not any(True for _ in m.children())]
    handles = [m.register_forward_hook(hook) for m in leaves]
    try:
        yield total
    finally:
        for handle in handles:
            handle.remove()


def check_batch_memory(config: RunConfig, model: nn.Module, device: torch.device, per_sample: float) -> None:
    """ConfigError naming data.batch_size when one training step, with ``per_sample`` bytes of
    activations and inputs per sample, cannot fit in what is free on ``device`` now (the model's
    weights are already there; its gradients and optimizer state are not yet)."""
    trainable = sum(p.numel() * p.element_size() for p in model.parameters() if p.requires_grad)
    batch = config.data.batch_size
    need = trainable * (1 + optimizer_state_per_param(config)) + per_sample * batch
    free, where = free_memory(device)
    if need > free:
        raise ConfigError(
            messages.ERR_BATCH_TOO_BIG.format(
                batch=batch,
                arch=config.model.arch,
                need_gib=need / GIB,
                sample_mib=per_sample / MIB,
                free_gib=free / GIB,
                where=where,
            )
        )
