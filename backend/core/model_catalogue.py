"""The model catalogue as data, torch-free: TorchDesk's own models, torchvision's classifiers (names,
descriptions, sizes) and the ``file:`` syntax, so that a config validates and the pickers fill
without importing torch or torchvision.

backend/models/registry.py builds the models.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backend.core import messages
from backend.core.errors import ConfigError
from backend.core.schema import COMMON_MODEL_OPTIONS, MODEL_OPTIONS, Option
from backend.core.torchvision_models import TORCHVISION_MODELS
from backend.core.torchvision_models import describe as describe_torchvision
from backend.core.torchvision_models import family as torchvision_family

if TYPE_CHECKING:
    from collections.abc import Callable

    from backend.core.config import ModelConfig

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

    def builder(self) -> Callable[..., Any]:
        """The function building the model (``(ModelConfig, input_shape, num_outputs) -> nn.Module``)."""
        import importlib

        module, func = self.builder_path.split(":")
        return getattr(importlib.import_module(module), func)

    @property
    def option_specs(self) -> tuple[Option, ...]:
        """The schema's declarations (type, default, range or choices, help) of the options this model reads."""
        return tuple(MODEL_OPTIONS[name] for name in self.options)


OWN_MODELS: tuple[ModelSpec, ...] = (
    ModelSpec(
        "mlp",
        "Multi-layer perceptron: fully connected layers for tabular features or flattened small images",
        "backend.models.mlp:build_mlp",
        ("hidden_sizes", "activation", "dropout", "batch_norm", *COMMON_MODEL_OPTIONS),
    ),
    ModelSpec(
        "simple_cnn",
        "Two-convolution CNN from the tutorials (conv-ReLU-pool x2, then two linear layers) for images",
        "backend.models.simple_cnn:build_simple_cnn",
        ("hidden_sizes", "activation", "dropout", *COMMON_MODEL_OPTIONS),
        needs_images=True,
        min_input_size=4,
    ),
    ModelSpec(
        "vgg_small",
        "The tutorials' VGG-style CNN: three blocks of (conv-BN-ReLU) x2 + max-pool, widths 64/128/256 "
        "(scaled by the width option), then a dropout classifier; images of at least 8x8 pixels",
        "backend.models.vgg_small:build_vgg_small",
        ("width", "hidden_sizes", "activation", "dropout", *COMMON_MODEL_OPTIONS),
        needs_images=True,
        min_input_size=8,
    ),
    ModelSpec(
        "resnet18_small",
        "The tutorials' ResNet-18 (BasicBlocks 2-2-2-2) with a CIFAR-sized stem: 3x3 convolution with "
        "stride 1 and no max-pool, so 28x28 and 32x32 images keep their detail; widths scaled by the width option",
        "backend.models.resnet_small:build_resnet18_small",
        ("width", *COMMON_MODEL_OPTIONS),
        needs_images=True,
    ),
)
# The options a torchvision model reads.
TORCHVISION_OPTIONS = ("input_size", *COMMON_MODEL_OPTIONS)

# torchvision.models.list_models(module=torchvision.models) of the torchvision the app ships with,
# written out (backend/core/torchvision_models.py) so that validating a config or listing the models
# never imports torchvision. Building a model checks the installed torchvision again.
TORCHVISION_CLASSIFIERS: tuple[str, ...] = tuple(TORCHVISION_MODELS)
TORCHVISION_SPECS: tuple[ModelSpec, ...] = tuple(
    ModelSpec(
        TV_PREFIX + name,
        describe_torchvision(name),
        "backend.models.tv:build_torchvision",
        TORCHVISION_OPTIONS,
        needs_images=True,
        family=torchvision_family(name),
        source="torchvision",
        num_params=facts.num_params,
        min_input_size=facts.min_size,
    )
    for name, facts in TORCHVISION_MODELS.items()
)


def model_names() -> list[str]:
    """Every registered model name: TorchDesk's own, then ``tv:<name>`` for each torchvision classifier."""
    return [spec.name for spec in OWN_MODELS] + [TV_PREFIX + name for name in TORCHVISION_CLASSIFIERS]


def split_file_arch(arch: str) -> tuple[str, str]:
    """``file:path/to/model.py:ClassName`` -> (path, ClassName); the path may itself hold ':' (C:\\...)."""
    body = arch[len(FILE_PREFIX) :]
    path, sep, cls = body.rpartition(":")
    if not sep or not path.strip() or not cls.isidentifier():
        raise ConfigError(messages.ERR_FILE_ARCH_FORMAT.format(arch=arch), field="model.arch")
    return path.strip(), cls


def check_arch(arch: str) -> None:
    """Raise ConfigError unless ``arch`` is a registered model or a well-formed ``file:`` reference."""
    names = model_names()
    if arch in names:
        return
    if arch.startswith(FILE_PREFIX):
        split_file_arch(arch)
        return
    own = [spec.name for spec in OWN_MODELS]
    message = messages.ERR_ARCH_UNKNOWN.format(names=", ".join(own), count=len(TORCHVISION_CLASSIFIERS), arch=arch)
    candidates = difflib.get_close_matches(arch, names, n=1, cutoff=0.75)
    if not candidates and TV_PREFIX + arch in names:
        candidates = [TV_PREFIX + arch]
    if candidates:
        message += messages.ERR_ARCH_DID_YOU_MEAN.format(name=candidates[0])
    raise ConfigError(message, field="model.arch")


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
