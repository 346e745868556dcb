"""The model registry: name -> builder, description and the options it reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from torch import nn

from backend.config import ModelConfig
from backend.errors import ModelError

Builder = Callable[[ModelConfig, tuple[int, ...], int], nn.Module]


@dataclass(frozen=True)
class ModelSpec:
    name: str
    description: str
    builder_path: str  # "module:function", imported on first use so listing models stays cheap
    options: tuple[str, ...]  # the ModelConfig fields this model reads
    needs_images: bool = False

    def builder(self) -> Builder:
        import importlib

        module, func = self.builder_path.split(":")
        return getattr(importlib.import_module(module), func)


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            "mlp",
            "Multi-layer perceptron: fully connected layers for tabular features or flattened small images",
            "backend.models.mlp:build_mlp",
            ("hidden_sizes", "activation", "dropout", "batch_norm"),
        ),
        ModelSpec(
            "simple_cnn",
            "Two-convolution CNN from the tutorials (conv-ReLU-pool x2, then two linear layers) for images",
            "backend.models.simple_cnn:build_simple_cnn",
            ("hidden_sizes", "activation", "dropout"),
            needs_images=True,
        ),
    )
}


def build_model(cfg: ModelConfig, input_shape: tuple[int, ...], num_outputs: int) -> nn.Module:
    try:
        spec = MODELS[cfg.arch]
    except KeyError:
        raise ModelError(f"model.arch must be one of {', '.join(MODELS)}; got {cfg.arch!r}") from None
    return spec.builder()(cfg, tuple(input_shape), num_outputs)
