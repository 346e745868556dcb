"""One check that a model takes the data's samples and gives the outputs the data needs.

Used wherever a model first meets its data: a custom model's class (backend/models/custom.py),
the model summary (backend/engine/model_summary.py) and the trainer's setup. Each names the
model in its own words (``OutputWording``); the check and the fields it fills are the same:

- ``shape``: the per-sample shape at fault: the input's when the forward fails or returns no
  tensor, the output's when that has the wrong size;
- ``input_shape`` and ``batch_shape``: one sample's shape, the sample batch's shape;
- ``output_batch_shape``: the output's shape, batch included (a wrong size only);
- ``batch``, ``outputs`` (the outputs per sample the data needs), ``kind`` (the type returned),
  ``error`` (the exception's type and first line).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from backend.core import messages
from backend.core.errors import ModelError, error_summary
from backend.core.message_text import Template


@dataclass(frozen=True)
class OutputWording:
    """The three errors of one caller, and the fields that name its model and data."""

    cannot_process: Template
    not_tensor: Template
    wrong_shape: Template
    names: Mapping[str, Any] = field(default_factory=dict)


def model_wording(arch: str, dataset_name: str = "") -> OutputWording:
    """A catalogue model (``model.arch``) on a dataset named ``dataset_name`` (may be empty)."""
    dataset = messages.MODEL_DATASET.format(name=dataset_name) if dataset_name else messages.MODEL_THE_DATASET
    return OutputWording(
        messages.ERR_MODEL_CANNOT_PROCESS,
        messages.ERR_MODEL_NOT_TENSOR,
        messages.ERR_MODEL_OUTPUT_SHAPE,
        {"arch": arch, "dataset": dataset},
    )


def check_output_fits(
    model: nn.Module, sample: torch.Tensor, num_outputs: int, wording: OutputWording, *, train: bool = False
) -> torch.Tensor:
    """Run ``model`` on ``sample`` and return its output, of shape (batch, num_outputs); else ModelError.

    By default in eval mode without autograd (no dropout draw, no BatchNorm update); ``train``
    runs a training-mode forward with autograd (the summary measures what autograd keeps). The
    model's mode is restored afterwards. Any exception from the forward is the model's fault:
    custom models are user code, and shape errors surface as RuntimeError, ValueError, ...
    """
    input_shape = tuple(sample.shape[1:])
    fields = {
        **wording.names,
        "input_shape": input_shape,
        "batch_shape": tuple(sample.shape),
        "batch": len(sample),
        "outputs": num_outputs,
    }
    was_training = model.training
    try:
        with torch.set_grad_enabled(train):
            out = model.train(train)(sample)
    except ModelError:
        raise
    except Exception as exc:  # noqa: BLE001 - see the docstring
        raise ModelError(wording.cannot_process.format(**fields, shape=input_shape, error=error_summary(exc))) from None
    finally:
        model.train(was_training)
    if not isinstance(out, torch.Tensor):
        raise ModelError(wording.not_tensor.format(**fields, shape=input_shape, kind=type(out).__name__))
    if tuple(out.shape) != (len(sample), num_outputs):
        raise ModelError(
            wording.wrong_shape.format(**fields, shape=tuple(out.shape[1:]), output_batch_shape=tuple(out.shape))
        )
    return out
