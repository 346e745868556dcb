"""The model registry: name -> builder, description, family and the options it reads.

Names: TorchDesk's own models (``mlp``, ``simple_cnn``, ``vgg_small``, ``resnet18_small``), every
classification model of ``torchvision.models`` as ``tv:<name>`` (``tv:resnet18``,
``tv:mobilenet_v3_small``, ...), and, outside the registry, a user's own class as
``file:path/to/model.py:ClassName``.

``build_model`` is the one entry point: it builds, applies ``model.init``, loads a local
``model.weights`` file and freezes the backbone when asked.
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from torch import nn

from backend.core import messages
from backend.core.config import ModelConfig
from backend.core.errors import ConfigError, ModelError
from backend.models.options import COMMON_OPTIONS, MODEL_OPTIONS, OptionSpec

if TYPE_CHECKING:
    from backend.models.footprint import TrainingTarget

Builder = Callable[[ModelConfig, tuple[int, ...], int], nn.Module]

FILE_PREFIX = "file:"
TV_PREFIX = "tv:"


@dataclass(frozen=True)
class ModelSpec:
    name: str
    description: str
    builder_path: str  # "module:function", imported on first use so listing models stays cheap
    options: tuple[str, ...]  # the ModelConfig fields this model reads (see option_specs for their types)
    needs_images: bool = False  # inputs must be (channels, height, width)
    family: str = "torchdesk"  # for grouping in pickers: torchdesk, resnet, mobilenet, efficientnet, vit, ...
    source: str = "torchdesk"  # "torchdesk" or "torchvision"
    num_params: int | None = None  # at 1000 classes for torchvision models (from torchvision's metadata)
    min_input_size: int = 1  # smallest image side the network takes; smaller images are enlarged inside it

    def builder(self) -> Builder:
        import importlib

        module, func = self.builder_path.split(":")
        return getattr(importlib.import_module(module), func)

    @property
    def option_specs(self) -> tuple[OptionSpec, ...]:
        """Typed descriptions (type, default, range or choices, help) of the options this model reads."""
        return tuple(MODEL_OPTIONS[name] for name in self.options)


def _own_models() -> list[ModelSpec]:
    return [
        ModelSpec(
            "mlp",
            "Multi-layer perceptron: fully connected layers for tabular features or flattened small images",
            "backend.models.mlp:build_mlp",
            ("hidden_sizes", "activation", "dropout", "batch_norm", *COMMON_OPTIONS),
        ),
        ModelSpec(
            "simple_cnn",
            "Two-convolution CNN from the tutorials (conv-ReLU-pool x2, then two linear layers) for images",
            "backend.models.simple_cnn:build_simple_cnn",
            ("hidden_sizes", "activation", "dropout", *COMMON_OPTIONS),
            needs_images=True,
            min_input_size=4,
        ),
        ModelSpec(
            "vgg_small",
            "The tutorials' VGG-style CNN: three blocks of (conv-BN-ReLU) x2 + max-pool, widths 64/128/256 "
            "(scaled by the width option), then a dropout classifier; images of at least 8x8 pixels",
            "backend.models.vgg_small:build_vgg_small",
            ("width", "hidden_sizes", "activation", "dropout", *COMMON_OPTIONS),
            needs_images=True,
            min_input_size=8,
        ),
        ModelSpec(
            "resnet18_small",
            "The tutorials' ResNet-18 (BasicBlocks 2-2-2-2) with a CIFAR-sized stem: 3x3 convolution with "
            "stride 1 and no max-pool, so 28x28 and 32x32 images keep their detail; widths scaled by the width option",
            "backend.models.resnet_small:build_resnet18_small",
            ("width", *COMMON_OPTIONS),
            needs_images=True,
        ),
    ]


def _torchvision_models() -> list[ModelSpec]:
    from backend.models import tv

    return [
        ModelSpec(
            TV_PREFIX + name,
            tv.describe(name),
            "backend.models.tv:build_torchvision",
            ("input_size", *COMMON_OPTIONS),
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
        self._own = {spec.name: spec for spec in _own_models()}
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


def split_file_arch(arch: str) -> tuple[str, str]:
    """``file:path/to/model.py:ClassName`` -> (path, ClassName); the path may itself hold ':' (C:\\...)."""
    body = arch[len(FILE_PREFIX) :]
    path, sep, cls = body.rpartition(":")
    if not sep or not path.strip() or not cls.isidentifier():
        raise ConfigError(messages.ERR_FILE_ARCH_FORMAT.format(arch=arch))
    return path.strip(), cls


def check_arch(arch: str) -> None:
    """Raise ConfigError unless ``arch`` is a registered model or a well-formed ``file:`` reference."""
    if arch in MODELS:
        return
    if arch.startswith(FILE_PREFIX):
        split_file_arch(arch)
        return
    own = [name for name, spec in MODELS.items() if spec.source == "torchdesk"]
    tv_count = sum(1 for spec in MODELS.values() if spec.source == "torchvision")
    message = messages.ERR_ARCH_UNKNOWN.format(names=", ".join(own), count=tv_count, arch=arch)
    candidates = difflib.get_close_matches(arch, list(MODELS), n=1, cutoff=0.75)
    if not candidates and TV_PREFIX + arch in MODELS:
        candidates = [TV_PREFIX + arch]
    if candidates:
        message += messages.ERR_ARCH_DID_YOU_MEAN.format(name=candidates[0])
    raise ConfigError(message)


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
        raise ModelError(str(exc)) from None
    check_model_memory(cfg, input_shape, num_outputs, training)
    try:
        model = construct(cfg, input_shape, num_outputs)
    except Exception as exc:
        if is_out_of_memory(exc):
            raise out_of_memory_error(cfg, exc) from None
        raise
    mark_head(model, num_outputs)
    apply_init(model, cfg.init)
    if cfg.weights and load_weights:
        load_weights_file(model, cfg.weights, cfg.arch)
    if cfg.freeze_backbone:
        freeze_backbone(model)
    return model


def resolve_model_paths(cfg: ModelConfig, base_dir: str | Path) -> None:
    """Make a relative ``model.weights`` and ``file:`` model path absolute against ``base_dir``
    (the folder of the config file), as ``load_config`` does for ``data.root``."""
    base = Path(base_dir)

    def absolute(path: str) -> str:
        p = Path(path).expanduser()
        return str(p if p.is_absolute() else (base / p).resolve())

    if cfg.weights:
        cfg.weights = absolute(cfg.weights)
    if cfg.arch.startswith(FILE_PREFIX):
        path, cls = split_file_arch(cfg.arch)
        cfg.arch = f"{FILE_PREFIX}{absolute(path)}:{cls}"
