"""Run configuration: dataclasses saved and loaded as TOML, with strict validation.

Unknown keys are errors; every message names the field, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomllib

from backend.core import messages
from backend.core.errors import ConfigError
from backend.core.message_text import phrase
from backend.core.toml_writer import dumps_toml


@dataclass
class DataConfig:
    source: str = "builtin"
    name: str = "digits"
    root: str = ""  # folder (image_folder, torchvision) or file (csv); relative to the config file
    val_split: float = 0.2
    batch_size: int = 64
    target: str = ""  # csv: the target column
    task: str = "auto"  # csv: auto infers classification or regression from the target column
    download: bool = False  # torchvision: fetch the files when online (never needed offline)
    cache: str = "auto"  # images: auto keeps them decoded on disk (or in memory), memory forces RAM, off streams
    cache_dir: str = ""  # image_folder: where the decoded cache lives; "" = the user's cache folder
    image_size: int = 0  # images: resize to this many pixels square; 0 keeps the dataset's size
    augment: str = "none"  # none, light, standard, or custom (the list in data.transforms)
    transforms: list[str] = field(default_factory=list)  # custom augmentation, e.g. ["hflip", "rotation:15"]
    normalize: str = "dataset"  # dataset statistics, imagenet, or none
    balanced: bool = False  # draw each class equally often (the tutorials' BalancedSampler)
    drop_last: bool = False
    num_workers: int = 0  # decoding processes when streaming images (cache = off)
    pin_memory: bool = False
    persistent_workers: bool = False


@dataclass
class ModelConfig:
    arch: str = "mlp"  # a registry name (mlp, vgg_small, tv:resnet18, ...) or file:path/to/model.py:ClassName
    hidden_sizes: list[int] = field(default_factory=lambda: [128, 64])
    activation: str = "relu"
    dropout: float = 0.0
    batch_norm: bool = False
    width: int = 64  # vgg_small, resnet18_small: channels of the first block, doubled by each later block
    input_size: int = 0  # torchvision models: image side fed to the network; 0 = the dataset's, raised to the minimum
    weights: str = ""  # a local state-dict file (.pth/.pt/.safetensors) to start from; "" = random initialisation
    init: str = "default"  # default (the model's own), kaiming, xavier, normal
    freeze_backbone: bool = False  # train only the classifier head
    backbone_lr_scale: float = 1.0  # lr of the non-head parameters = optim.lr x this


@dataclass
class OptimConfig:
    name: str = "adamw"
    lr: float = 1e-3
    weight_decay: float = 0.0
    momentum: float = 0.9  # sgd and rmsprop
    nesterov: bool = False  # sgd
    betas: list[float] = field(default_factory=lambda: [0.9, 0.999])  # adam and adamw


@dataclass
class ScheduleConfig:
    name: str = "none"
    step_size: int = 10  # step: epochs between decays
    gamma: float = 0.1  # step, multistep, exponential: decay factor
    milestones: list[int] = field(default_factory=lambda: [30, 60])  # multistep: epochs
    min_lr: float = 0.0  # cosine, warmup_cosine: floor
    warmup_epochs: float = 1.0  # warmup_cosine: linear warm-up length (fractions allowed)
    factor: float = 0.1  # plateau: decay factor
    patience: int = 3  # plateau: epochs without improvement before decaying
    max_lr: float = 0.0  # onecycle: peak lr; 0 means 10 x optim.lr
    pct_start: float = 0.3  # onecycle: fraction of the run spent increasing the lr


@dataclass
class LossConfig:
    name: str = "cross_entropy"
    label_smoothing: float = 0.0
    class_weights: list[float] = field(default_factory=list)
    focal_gamma: float = 2.0


@dataclass
class TrainConfig:
    epochs: int = 5
    device: str = "auto"
    precision: str = "auto"
    grad_accum: int = 1
    clip_grad_norm: float = 0.0  # 0 disables
    clip_grad_value: float = 0.0  # 0 disables
    deterministic: bool = False
    monitor: str = "val_loss"  # best model, early stopping and plateau follow this metric
    mode: str = "auto"  # min for losses/errors, max for accuracy
    early_stopping: bool = False
    patience: int = 5
    min_delta: float = 0.0
    checkpoint_every_steps: int = 0  # 0: only at epoch ends
    tensorboard: bool = False
    channels_last: bool = True  # image models use NHWC memory layout: 1.6x faster for the tutorials CNN on a CPU
    compile: bool = False  # torch.compile the model (needs a C++ compiler; not in the frozen app)
    runs_dir: str = "runs"
    preset: str = "default"  # fast: batch size, OneCycle lr, label smoothing and augmentation chosen for the data


@dataclass
class RunConfig:
    name: str = "run"
    seed: int = 0
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    loss: LossConfig = field(default_factory=LossConfig)
    train: TrainConfig = field(default_factory=TrainConfig)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_toml(self) -> str:
        return dumps_toml(self.to_dict())

    def monitor_mode(self) -> str:
        """The direction in which the monitored metric improves."""
        if self.train.mode != "auto":
            return self.train.mode
        from backend.core.schema import HIGHER_IS_BETTER  # schema imports this module

        return "max" if self.train.monitor in HIGHER_IS_BETTER else "min"


SECTIONS: dict[str, type] = {
    "data": DataConfig,
    "model": ModelConfig,
    "optim": OptimConfig,
    "schedule": ScheduleConfig,
    "loss": LossConfig,
    "train": TrainConfig,
}


class Unusual(typing.NamedTuple):
    """A value outside its usual range: ``(key, label, value, (low, high))``."""

    key: str
    label: str
    value: float
    usual: tuple[float, float]

    def message(self) -> str:
        low, high = self.usual
        return messages.UNUSUAL_VALUE.format(
            key=self.key, value=self.value, label=phrase(self.label), low=low, high=high
        )


def unusual_values(config: RunConfig) -> list[Unusual]:
    """The fields of ``config`` whose values lie outside their usual range (``Option.usual`` in
    backend/core/schema.py), in schema order; fields without effect in this config are skipped."""
    from backend.core.schema import OPTIONS, value_of

    out = []
    for option in OPTIONS:
        if option.usual is None or not option.applies(config):
            continue
        value, (low, high) = value_of(config, option.key), option.usual
        if not low <= value <= high and not (option.usual_skips_zero and value == 0):
            out.append(Unusual(option.key, option.label, value, option.usual))
    return out


def _type_error(path: str, value: Any, tp: Any) -> ConfigError:
    if typing.get_origin(tp) is list:
        return ConfigError(messages.ERR_TYPE_LIST.format(path=path, kind=typing.get_args(tp)[0].__name__, value=value))
    template = {
        int: messages.ERR_TYPE_INTEGER,
        float: messages.ERR_TYPE_NUMBER,
        bool: messages.ERR_TYPE_BOOL,
        str: messages.ERR_TYPE_STRING,
    }[tp]
    return ConfigError(template.format(path=path, value=value))


def _coerce(path: str, value: Any, tp: Any) -> Any:
    """Check one TOML value against a field type; ints are accepted where floats are."""
    if typing.get_origin(tp) is list:
        inner = typing.get_args(tp)[0]
        if not isinstance(value, list):
            raise _type_error(path, value, tp)
        return [_coerce(f"{path}[{i}]", v, inner) for i, v in enumerate(value)]
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if (tp is int and isinstance(value, bool)) or not isinstance(value, tp):
        raise _type_error(path, value, tp)
    return value


def _build_section(prefix: str, cls: type, raw: Any) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(messages.ERR_SECTION_NOT_TABLE.format(section=prefix, value=raw))
    hints = typing.get_type_hints(cls)
    allowed = [f.name for f in dataclasses.fields(cls)]
    for key in raw:
        if key not in allowed:
            raise ConfigError(messages.ERR_UNKNOWN_KEY.format(section=prefix, key=key, allowed=", ".join(allowed)))
    values = {k: _coerce(f"{prefix}.{k}", v, hints[k]) for k, v in raw.items()}
    return cls(**values)


def config_from_dict(raw: dict[str, Any]) -> RunConfig:
    """Build and validate a RunConfig from a parsed TOML document."""
    allowed = ["name", "seed", *SECTIONS]
    for key in raw:
        if key not in allowed:
            raise ConfigError(messages.ERR_UNKNOWN_TOP_KEY.format(key=key, allowed=", ".join(allowed)))
    sections = {name: _build_section(name, cls, raw.get(name, {})) for name, cls in SECTIONS.items()}
    config = RunConfig(
        name=_coerce("name", raw.get("name", "run"), str),
        seed=_coerce("seed", raw.get("seed", 0), int),
        **sections,
    )
    validate(config)
    return config


def load_config(path: str | Path) -> RunConfig:
    """Read a TOML config; a relative data.root is resolved against the config's folder."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(messages.ERR_CONFIG_MISSING.format(path=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(messages.ERR_CONFIG_UNREADABLE.format(path=path, error=exc)) from exc
    config = loads_config(text, source=str(path))
    resolve_config_paths(config, path.parent)
    return config


def resolve_config_paths(config: RunConfig, base_dir: str | Path) -> None:
    """Make a relative ``data.root``, ``model.weights`` and ``file:`` model path absolute against
    ``base_dir``, in place (a config file's folder; see also backend.store.trust.metadata_folder)."""
    from backend.core.model_catalogue import resolve_model_paths

    if config.data.root and not Path(config.data.root).expanduser().is_absolute():
        config.data.root = str((Path(base_dir) / config.data.root).resolve())
    resolve_model_paths(config.model, base_dir)


def loads_config(text: str, source: str = "<config>") -> RunConfig:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(messages.ERR_CONFIG_TOML.format(source=source, error=exc)) from exc
    return config_from_dict(raw)


def save_config(config: RunConfig, path: str | Path) -> None:
    from backend.core.atomic import atomic_write_text

    atomic_write_text(Path(path), config.to_toml())


def apply_overrides(config: RunConfig, overrides: list[str]) -> RunConfig:
    """Apply ``section.key=value`` strings (values parsed as TOML, else taken as text)."""
    raw = config.to_dict()
    for item in overrides:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set {item!r} must look like section.key=value, for example optim.lr=0.01")
        parts = key.strip().split(".")
        try:
            value = tomllib.loads(f"v = {text.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            value = text.strip()
        if len(parts) == 1:
            raw[parts[0]] = value
        elif len(parts) == 2:
            if parts[0] not in SECTIONS:
                raise ConfigError(f"--set {item!r}: unknown section {parts[0]!r}; sections: {', '.join(SECTIONS)}")
            raw[parts[0]][parts[1]] = value
        else:
            raise ConfigError(f"--set {item!r} must look like section.key=value, for example optim.lr=0.01")
    return config_from_dict(raw)


def _finite_numbers(config: RunConfig) -> None:
    """Every float field and every number in a list of floats must be finite, checked once for all of
    them: NaN slips through range checks written as ``x < 0`` and inf through those with no upper bound."""
    for section, cls in SECTIONS.items():
        values = getattr(config, section)
        for name, tp in typing.get_type_hints(cls).items():
            path, value = f"{section}.{name}", getattr(values, name)
            if tp is float and not math.isfinite(value):
                raise ConfigError(messages.ERR_NOT_FINITE.format(path=path, value=value), field=path)
            if tp == list[float]:
                for i, item in enumerate(value):
                    if not math.isfinite(item):
                        raise ConfigError(messages.ERR_NOT_FINITE.format(path=f"{path}[{i}]", value=item), field=path)


def check_batch_fits(batch_size: int, train_samples: int) -> None:
    """A batch cannot be larger than the training samples (each process's share when distributed)."""
    if batch_size > train_samples:
        raise ConfigError(
            messages.ERR_BATCH_TOO_LARGE.format(size=batch_size, count=train_samples), field="data.batch_size"
        )


def validate(config: RunConfig) -> None:
    """Range and choice checks that do not need the dataset or the model (and never import torch):
    those of every option come from backend/core/schema.py, then the rules that tie keys together."""
    from backend.core.device_names import validate_device_name
    from backend.core.model_catalogue import check_arch
    from backend.core.schema import OPTIONS, check_option, value_of
    from backend.core.transform_specs import parse_transforms

    d, o, s = config.data, config.optim, config.schedule
    if not config.name.strip():
        raise ConfigError(messages.ERR_NAME_EMPTY, field="name")
    _finite_numbers(config)
    for option in OPTIONS:
        check_option(option, value_of(config, option.key), {k: value_of(config, k) for k in option.choices_by})
    if d.transforms and d.augment != "custom":
        raise ConfigError(messages.ERR_TRANSFORMS_NOT_CUSTOM, field="data.transforms")
    if d.augment == "custom":
        parse_transforms(d.transforms)
    if d.persistent_workers and d.num_workers == 0:
        raise ConfigError(messages.ERR_PERSISTENT_WORKERS, field="data.persistent_workers")
    check_arch(config.model.arch)
    if o.nesterov and (o.name != "sgd" or o.momentum <= 0):
        raise ConfigError(messages.ERR_NESTEROV, field="optim.nesterov")
    if len(o.betas) != 2 or not all(0 <= b < 1 for b in o.betas):
        raise ConfigError(messages.ERR_BETAS.format(value=o.betas), field="optim.betas")
    if s.milestones != sorted(s.milestones) or any(x <= 0 for x in s.milestones):
        raise ConfigError(messages.ERR_MILESTONES.format(value=s.milestones), field="schedule.milestones")
    validate_device_name(config.train.device)
    if not config.train.runs_dir.strip():
        raise ConfigError(messages.ERR_RUNS_DIR_EMPTY, field="train.runs_dir")
