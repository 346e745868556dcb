"""One training step of a run's model on generated inputs, timed or grown: what the precision cost
(backend/engine/precision_cost.py) and the largest-batch probe (backend/engine/batch_probe.py) run.

The step is the run's own: its model (channels_last as configured), loss, optimizer, precision
(autocast, GradScaler for fp16) and gradient clipping (backend.engine.lr_finder's step); only the
inputs and targets are random, so no dataset has to be loaded. The global random generators are
left as they were (the GUI measures beside its other work).
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from typing import Any

import torch

from backend.core.config import RunConfig
from backend.data.bundle import DataBundle
from backend.data.pipeline import BatchPipeline
from backend.engine.device import resolve_precision
from backend.engine.losses import build_loss
from backend.engine.lr_finder import _step as training_step
from backend.engine.optim import build_optimizer
from backend.engine.rng import rng_neutral
from backend.models.finetune import param_groups
from backend.models.registry import build_model


@dataclass(frozen=True)
class Workload:
    """What is trained: the run's config, the shape of one input as the model sees it, the outputs."""

    config: RunConfig
    input_shape: tuple[int, ...]
    num_outputs: int
    task: str = "classification"
    resident_bytes: int = 0  # the dataset's tensors that a run keeps on the device (held during a batch probe)

    def key(self, device: torch.device, batch: int) -> str:
        """Identifies a measurement: device, model, input shape, batch and everything a step depends on."""
        c = self.config
        parts = [str(device), dataclasses.asdict(c.model), list(self.input_shape), self.num_outputs, self.task, batch]
        parts += [c.optim.name, c.loss.name, c.train.channels_last, c.train.grad_accum]
        return json.dumps(parts, sort_keys=True, default=str)


def workload_from_data(config: RunConfig, data: DataBundle) -> Workload:
    """The workload of training ``config`` on ``data``: the input shape the model sees (center crops
    applied), and the bytes of data a run keeps on the training device (none when it streams)."""
    shape = BatchPipeline(data, config.data, torch.device("cpu"), config.seed).input_shape  # on the host: no copy
    held = [x for x in (data.x_train, data.x_val) if x is not None] if data.resident else []
    resident = sum(x.numel() * x.element_size() for x in held)
    return Workload(config, tuple(shape), data.num_outputs, data.task, resident)


def workload_from_summary(config: RunConfig, data: dict[str, Any], model: dict[str, Any]) -> Workload:
    """The workload from the GUI inspector's data and model summaries (backend.data.summary,
    backend.engine.model_summary), without the dataset: images count as held on the device as uint8,
    tables as float32, as a run holds them when they fit."""
    shape = tuple(int(s) for s in model["input_shape"])
    samples = int(data.get("train_samples", 0)) + int(data.get("val_samples", 0))
    resident = samples * math.prod(shape) * (1 if len(shape) == 3 else 4)
    return Workload(config, shape, int(model["num_outputs"]), str(data.get("task", "classification")), resident)


def release_memory(device: torch.device) -> None:
    """Hand the CUDA cache's free blocks back after a failed or finished step. No ``gc.collect()``: the
    step's tensors go with their last reference, and the GUI collects cycles in its own thread only
    (gui/main_thread_gc.py), while this runs on a worker thread."""
    if device.type == "cuda":
        torch.cuda.empty_cache()


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


class ProbeStep:
    """``step(batch)`` runs one optimizer step of ``workload`` at that batch size on ``device``."""

    def __init__(self, workload: Workload, device: torch.device, precision: str) -> None:
        cfg = workload.config
        self.workload, self.device = workload, device
        self.precision = resolve_precision(precision, device)
        self.images = len(workload.input_shape) == 3
        self.channels_last = cfg.train.channels_last and self.images
        with rng_neutral(device):
            model = build_model(cfg.model, workload.input_shape, workload.num_outputs).to(device)
            if self.channels_last:
                model = model.to(memory_format=torch.channels_last)
            self.model = model.train()
            self.loss_fn = build_loss(cfg.loss, workload.task, workload.num_outputs).to(device)
            self.optimizer = build_optimizer(cfg.optim, param_groups(model, cfg.model, cfg.optim.lr))
        self.scaler = torch.amp.GradScaler(device.type) if self.precision.use_scaler else None
        self.generator = torch.Generator().manual_seed(0)

    def inputs(self, batch: int) -> tuple[torch.Tensor, torch.Tensor]:
        """Random inputs of the workload's shape and targets of its task, on the device."""
        g, w = self.generator, self.workload
        x = torch.randn((batch, *w.input_shape), generator=g).to(self.device)
        if self.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        if w.task == "classification":
            y = torch.randint(0, max(w.num_outputs, 1), (batch,), generator=g)
        else:
            y = torch.randn((batch,) if w.num_outputs == 1 else (batch, w.num_outputs), generator=g)
        return x, y.to(self.device)

    def __call__(self, batch: int, inputs: tuple[torch.Tensor, torch.Tensor] | None = None) -> None:
        xb, yb = inputs if inputs is not None else self.inputs(batch)
        cfg = self.workload.config
        training_step(self.model, self.optimizer, self.scaler, self.loss_fn, xb, yb, cfg, self.device, self.precision)
        synchronize(self.device)

    def close(self) -> None:
        """Drop the model, its gradients and the optimizer state, and hand the memory back."""
        self.optimizer.zero_grad(set_to_none=True)
        del self.model, self.optimizer, self.loss_fn
        release_memory(self.device)
