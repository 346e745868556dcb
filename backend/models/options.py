"""Typed descriptions of the ``[model]`` options, for the GUI and for validation messages.

Each ``OptionSpec`` names one ``ModelConfig`` field; its default is read from the dataclass so
the two never disagree. A ``ModelSpec`` lists the names of the options its model reads.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from backend.core.config import ACTIVATIONS, MODEL_INITS, ModelConfig


@dataclass(frozen=True)
class OptionSpec:
    """One model option as a GUI form row: a widget type, a default and its limits."""

    name: str  # the ModelConfig field (``[model] name = ...``)
    type: str  # "int", "float", "bool", "str", "choice", "int_list" or "path"
    default: Any
    help: str
    min: float | None = None  # inclusive lower bound for numbers (and for each entry of an int_list)
    max: float | None = None  # inclusive upper bound; None: unbounded
    choices: tuple[str, ...] = ()  # for "choice"
    label: str = ""  # short form label; the name with spaces when empty
    file_filter: str = ""  # for "path": a file dialog filter

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()


def _default(name: str) -> Any:
    field = next(f for f in dataclasses.fields(ModelConfig) if f.name == name)
    if field.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
        return field.default_factory()  # type: ignore[misc]
    return field.default


def _opt(name: str, type_: str, help_: str, **kw: Any) -> OptionSpec:
    return OptionSpec(name=name, type=type_, default=_default(name), help=help_, **kw)


MODEL_OPTIONS: dict[str, OptionSpec] = {
    o.name: o
    for o in (
        _opt(
            "hidden_sizes",
            "int_list",
            "Width of each hidden fully connected layer (mlp); simple_cnn and "
            "vgg_small use the first entry as the width of their hidden classifier layer",
            min=1,
            label="Hidden sizes",
        ),
        _opt("activation", "choice", "Non-linearity between layers", choices=ACTIVATIONS),
        _opt(
            "dropout",
            "float",
            "Probability of zeroing an activation in the classifier during training "
            "(the tutorials' vgg_small uses 0.5)",
            min=0.0,
            max=0.95,
        ),
        _opt(
            "batch_norm", "bool", "Normalise the hidden activations per batch (BatchNorm)", label="Batch normalisation"
        ),
        _opt(
            "width",
            "int",
            "Channels of the first convolution block; each later block doubles them "
            "(64 gives the tutorials' 64/128/256 network; 16 trains much faster on a CPU)",
            min=1,
            max=1024,
        ),
        _opt(
            "input_size",
            "int",
            "Side in pixels of the images the network sees; images are resized inside the "
            "model. 0 = automatic: the dataset's size, enlarged to the smallest size the model accepts (use the "
            "pretraining size, often 224, when fine-tuning pretrained weights)",
            min=0,
            max=1024,
            label="Input size",
        ),
        _opt(
            "weights",
            "path",
            "A local weights file (.pth, .pt or .safetensors state dict, or a TorchDesk "
            "checkpoint) to start from; layers whose shapes do not fit (the classifier head, for a different "
            "number of classes) keep their initialisation and are listed. Empty = random initialisation. "
            "Nothing is ever downloaded",
            file_filter="Weights (*.pth *.pt *.bin *.safetensors *.ckpt)",
            label="Weights file",
        ),
        _opt(
            "init",
            "choice",
            "Weight initialisation applied after building: default (the model's own), kaiming "
            "(He normal: fan_out for convolutions, fan_in for linear layers), xavier (Glorot normal) or normal "
            "(N(0, 0.01)); biases 0, normalisation layers 1/0. A weights file overrides it where it fits",
            choices=MODEL_INITS,
            label="Initialisation",
        ),
        _opt(
            "freeze_backbone",
            "bool",
            "Train only the classifier head; every other parameter keeps its value "
            "(fine-tuning pretrained weights as a feature extractor)",
            label="Freeze backbone",
        ),
        _opt(
            "backbone_lr_scale",
            "float",
            "Learning rate of everything except the head, as a fraction of the "
            "optimizer's learning rate (for example 0.1: the backbone learns 10x slower than the new head)",
            min=1e-6,
            max=10.0,
            label="Backbone lr scale",
        ),
    )
}

# Options every model reads: starting weights, initialisation and fine-tuning.
COMMON_OPTIONS = ("weights", "init", "freeze_backbone", "backbone_lr_scale")
