"""The model registry: name -> builder, description, family and the options it reads.

The catalogue, names and descriptions included, is declared torch-free in
backend/core/model_catalogue.py; this builds the models.

Names: TorchDesk's own models (``mlp``, ``simple_cnn``, ``vgg_small``, ``resnet18_small``), every
classification model of ``torchvision.models`` as ``tv:<name>`` (``tv:resnet18``,
``tv:mobilenet_v3_small``, ...), and, outside the registry, a user's own class as
``file:path/to/model.py:ClassName``.

``build_model`` is the one entry point: it builds, applies ``model.init``, loads a local
``model.weights`` file and freezes the backbone when asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from backend.core.config import ModelConfig
from backend.core.errors import ConfigError, ModelError
from backend.core.model_catalogue import OWN_MODELS, TORCHVISION_SPECS, ModelSpec, check_arch

if TYPE_CHECKING:
    from torch import nn

    from backend.models.footprint import TrainingTarget


# Plain data (backend/core/model_catalogue.py): listing the models imports neither torch nor
# torchvision; a model's builder module is imported when it is built.
MODELS: Mapping[str, ModelSpec] = {spec.name: spec for spec in (*OWN_MODELS, *TORCHVISION_SPECS)}


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
