"""``model_summary(config, input_shape, num_outputs)``: what a model is before it trains.

Builds the configured model on the CPU and runs one training-mode forward on a sample batch of
three with forward hooks (the layers table: name, type, output shape, parameters) and
saved-tensor hooks (the activations autograd keeps for the backward pass, measured, then scaled
to ``data.batch_size``). A model that cannot take the dataset's samples, or that returns the
wrong number of outputs, is a ModelError naming both, before any training starts; so is one whose
weights cannot fit in RAM (counted before they are allocated, see backend.models.footprint).

Memory estimate for one fp32 training step on ``data.batch_size`` samples:
parameters + gradients (trainable ones) + optimizer state (Adam/AdamW: 2 values per trainable
parameter; SGD with momentum, RMSprop: 1, RMSprop with momentum: 2) + saved activations + the
input batch. Framework overhead and temporary buffers are not counted.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from backend.core.config import RunConfig
from backend.models.footprint import optimizer_state_per_param
from backend.models.output_check import check_output_fits, model_wording

SAMPLE_BATCH = 3  # odd, so that the batch dimension is rarely mistaken for another
MB = 2**20


def _dims(tensor: torch.Tensor) -> list[int]:
    """A tensor's shape with the batch dimension written -1 (as in Keras and torchsummary)."""
    shape = list(tensor.shape)
    if shape and shape[0] == SAMPLE_BATCH:
        shape[0] = -1
    return shape


def _shape_of(out: Any) -> list | None:
    if isinstance(out, torch.Tensor):
        return _dims(out)
    if isinstance(out, (tuple, list)) and out and all(isinstance(o, torch.Tensor) for o in out):
        return [_dims(o) for o in out]
    if hasattr(out, "_fields") and out and isinstance(out[0], torch.Tensor):  # namedtuple outputs
        return _dims(out[0])
    return None


def model_summary(config: RunConfig, input_shape: tuple[int, ...], num_outputs: int) -> dict[str, Any]:
    """Layers, parameter counts, output shape and the memory of one training step (see the module doc).

    It may run beside a training run (the GUI's inspector thread): the model it builds and the
    sample it draws leave the global random generators as they were.
    """
    from backend.engine.rng import rng_neutral

    with rng_neutral():
        return _summarize(config, input_shape, num_outputs)


def _summarize(config: RunConfig, input_shape: tuple[int, ...], num_outputs: int) -> dict[str, Any]:
    from backend.models.finetune import head_parameter_names
    from backend.models.registry import build_model
    from backend.models.weights import weights_report

    input_shape = tuple(int(s) for s in input_shape)
    arch = config.model.arch
    model = build_model(config.model, input_shape, num_outputs)

    names = {module: name for name, module in model.named_modules()}
    rows: dict[str, dict[str, Any]] = {}
    order: list[str] = []

    def row_for(module: nn.Module) -> dict[str, Any]:
        name = names[module] or "(model)"
        if name not in rows:
            own = list(module.parameters(recurse=False))
            rows[name] = {
                "name": name,
                "type": type(module).__name__,
                "output_shape": None,
                "params": sum(p.numel() for p in own),
                "trainable": sum(p.numel() for p in own if p.requires_grad),
            }
        return rows[name]

    def hook(module: nn.Module, _inputs: Any, output: Any) -> None:
        row = row_for(module)
        row["output_shape"] = _shape_of(output)
        if row["name"] not in order:
            order.append(row["name"])

    # Rows: modules without children (the layers) and any module that holds parameters itself
    # (a ViT's position embedding and class token), so the rows' parameters add up to the total.
    tracked = [
        m
        for m in model.modules()
        if not any(True for _ in m.children()) or any(True for _ in m.parameters(recurse=False))
    ]
    handles = [m.register_forward_hook(hook) for m in tracked]

    param_ptrs = {p.untyped_storage().data_ptr() for p in model.parameters()}
    param_ptrs |= {b.untyped_storage().data_ptr() for b in model.buffers()}
    saved: dict[int, int] = {}

    def pack(tensor: torch.Tensor) -> torch.Tensor:
        storage = tensor.untyped_storage()
        ptr = storage.data_ptr()
        if ptr not in param_ptrs:
            saved[ptr] = max(saved.get(ptr, 0), storage.nbytes())
        return tensor

    sample = torch.randn(SAMPLE_BATCH, *input_shape)
    wording = model_wording(arch, config.data.name)
    try:
        with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
            out = check_output_fits(model, sample, num_outputs, wording, train=True)
    finally:
        for h in handles:
            h.remove()

    layers = [rows[n] for n in order]
    for module in tracked:  # registered but not run in the forward (unused layers): listed at the end
        name = names[module] or "(model)"
        if name not in rows:
            layers.append(row_for(module))

    params = list(model.parameters())
    total = sum(p.numel() for p in params)
    trainable = sum(p.numel() for p in params if p.requires_grad)
    head_names = set(head_parameter_names(model))
    head = sum(p.numel() for n, p in model.named_parameters() if n in head_names)
    param_bytes = sum(p.numel() * p.element_size() for p in params)
    buffer_bytes = sum(b.numel() * b.element_size() for b in model.buffers())
    trainable_bytes = sum(p.numel() * p.element_size() for p in params if p.requires_grad)
    batch = config.data.batch_size
    activation_bytes = sum(saved.values()) / SAMPLE_BATCH * batch
    input_bytes = sample[0].numel() * sample.element_size() * batch
    memory = {
        "params": (param_bytes + buffer_bytes) / MB,
        "grads": trainable_bytes / MB,
        "optimizer": trainable_bytes * optimizer_state_per_param(config) / MB,
        "activations": activation_bytes / MB,
        "batch": input_bytes / MB,
    }
    memory["total"] = sum(memory.values())
    summary: dict[str, Any] = {
        "arch": arch,
        "model_class": type(model).__name__,
        "input_shape": list(input_shape),
        "num_outputs": num_outputs,
        "output_shape": list(out.shape[1:]),
        "layers": layers,
        "total_params": total,
        "trainable_params": trainable,
        "frozen_params": total - trainable,
        "head_params": head,
        "batch_size": batch,
        "memory_mb": memory,
        "resize_to": list(model.resize_to) if getattr(model, "resize_to", None) else None,
    }
    report = weights_report(model)
    if report is not None:
        summary["weights"] = report.to_dict()
    return summary


def format_summary(summary: dict[str, Any]) -> str:
    """The summary as a plain-text table (CLI ``info``, logs)."""
    lines = [f"{'layer':<40} {'type':<24} {'output shape':<22} {'params':>12}"]
    for row in summary["layers"]:
        shape = "" if row["output_shape"] is None else str(row["output_shape"])
        lines.append(f"{row['name'][:40]:<40} {row['type'][:24]:<24} {shape[:22]:<22} {row['params']:>12,}")
    mem = summary["memory_mb"]
    lines += [
        f"input {summary['input_shape']} -> output {summary['output_shape']}"
        + (f" (images resized to {summary['resize_to']} inside the model)" if summary.get("resize_to") else ""),
        f"parameters: {summary['total_params']:,} total, {summary['trainable_params']:,} trainable, "
        f"{summary['frozen_params']:,} frozen (head: {summary['head_params']:,})",
        f"memory for one training step at batch {summary['batch_size']}: {mem['total']:.1f} MB "
        f"(weights {mem['params']:.1f}, gradients {mem['grads']:.1f}, optimizer {mem['optimizer']:.1f}, "
        f"activations {mem['activations']:.1f}, batch {mem['batch']:.1f})",
    ]
    if summary.get("weights"):
        lines.append("weights: " + summary["weights"]["message"])
    return "\n".join(lines)
