"""The model registry: name -> builder, description, family and the options it reads.

The names, the torch-free part, are declared in backend/core/model_catalogue.py; this adds
torchvision's descriptions and sizes, and builds models.

Names: TorchDesk's own models (``mlp``, ``simple_cnn``, ``vgg_small``, ``resnet18_small``), every
classification model of ``torchvision.models`` as ``tv:<name>`` (``tv:resnet18``,
``tv:mobilenet_v3_small``, ...), and, outside the registry, a user's own class as
``file:path/to/model.py:ClassName``.

``build_model`` is the one entry point: it builds, applies ``model.init``, loads a local
``model.weights`` file and freezes the backbone when asked.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from backend.core.config import ModelConfig
from backend.core.errors import ConfigError, ModelError
from backend.core.model_catalogue import (
    OWN_MODELS,
    TORCHVISION_OPTIONS,
    TV_PREFIX,
    ModelSpec,
    check_arch,
)

if TYPE_CHECKING:
    from torch import nn

    from backend.models.footprint import TrainingTarget


def _torchvision_models() -> list[ModelSpec]:
    from backend.models import tv

    return [
        ModelSpec(
            TV_PREFIX + name,
            tv.describe(name),
            "backend.models.tv:build_torchvision",
            TORCHVISION_OPTIONS,
            needs_images=True,
            family=tv.family(name),
            source="torchvision",
            num_params=tv.num_params(name),
            min_input_size=tv.min_input_size(name),
        )
        for name in tv.classification_models()
    ]


class _Registry(Mapping[str, ModelSpec]):
    """name -> ModelSpec. TorchDesk's own models are there at once; the torchvision entries are read
    on first use (importing torchvision takes a second or two), so validating or training an
    ``mlp`` config never pays for it."""

    def __init__(self) -> None:
        self._own = {spec.name: spec for spec in OWN_MODELS}
        self._all: dict[str, ModelSpec] | None = None
        self._lock = threading.Lock()

    def _full(self) -> dict[str, ModelSpec]:
        if self._all is None:
            with self._lock:
                if self._all is None:
                    self._all = {**self._own, **{spec.name: spec for spec in _torchvision_models()}}
        return self._all

    def __getitem__(self, name: str) -> ModelSpec:
        if name in self._own:
            return self._own[name]
        return self._full()[name]

    def __contains__(self, name: object) -> bool:
        if name in self._own:
            return True
        return isinstance(name, str) and name.startswith(TV_PREFIX) and name in self._full()

    def __iter__(self) -> Iterator[str]:
        return iter(self._full())

    def __len__(self) -> int:
        return len(self._full())

    def __repr__(self) -> str:
        return f"<model registry: {', '.join(self._own)} and the torchvision classifiers as tv:<name>>"


MODELS: Mapping[str, ModelSpec] = _Registry()


def families() -> dict[str, list[str]]:
    """Model names grouped by family, in registry order (for grouped pickers)."""
    out: dict[str, list[str]] = {}
    for spec in MODELS.values():
        out.setdefault(spec.family, []).append(spec.name)
    return out


def build_model(
    cfg: ModelConfig,
    input_shape: tuple[int, ...],
    num_outputs: int,
    *,
    load_weights: bool = True,
    training: TrainingTarget | None = None,
) -> nn.Module:
    """Build ``cfg.arch`` for samples of ``input_shape`` and ``num_outputs`` outputs.

    First its size is estimated without allocating (backend.models.footprint): a model whose
    weights do not fit in RAM, or (``training``) whose weights, gradients and optimizer state do
    not fit on the training device, is a ModelError naming the options that size it. Then:
    ``model.init`` is applied, ``model.weights`` is loaded (unless ``load_weights`` is false,
    e.g. when a checkpoint's state replaces it anyway on resume) and the backbone is frozen when
    ``model.freeze_backbone`` is set. User mistakes raise ModelError (or CheckpointError for the
    weights file).
    """
    from backend.models.finetune import freeze_backbone, mark_head
    from backend.models.footprint import check_model_memory, construct, is_out_of_memory, out_of_memory_error
    from backend.models.initialization import apply_init
    from backend.models.weights import load_weights_file

    input_shape = tuple(int(s) for s in input_shape)
    try:
        check_arch(cfg.arch)
    except ConfigError as exc:
        raise ModelError(str(exc)) from exc
    check_model_memory(cfg, input_shape, num_outputs, training)
    try:
        model = construct(cfg, input_shape, num_outputs)
    except Exception as exc:
        if is_out_of_memory(exc):
            raise out_of_memory_error(cfg, exc) from exc
        raise
    mark_head(model, num_outputs)
    apply_init(model, cfg.init)
    if cfg.weights and load_weights:
        load_weights_file(model, cfg.weights, cfg.arch)
    if cfg.freeze_backbone:
        freeze_backbone(model)
    return model
