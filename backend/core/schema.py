"""Every run option, declared once and torch-free: key, label, help, type, default, range, choices,
when it applies and its usual range.

The default and the Python type come from the dataclasses of backend/core/config.py, so the two
never disagree. Config validation derives its range and choice checks from here
(``check_option``), the unusual-value warnings from ``usual``, the GUI its rows, labels and
which of them are shown (``applies``), and the CLI and the README their table of keys.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from dataclasses import dataclass, field
from typing import Any

from backend.core import config as cfg
from backend.core import messages
from backend.core.errors import ConfigError
from backend.core.message_text import Template

# Which metrics and losses each task reports or accepts (the trainer refuses the others).
MONITORS_BY_TASK: dict[str, tuple[str, ...]] = {
    "classification": ("val_loss", "val_acc", "train_loss"),
    "regression": ("val_loss", "val_mse", "val_mae", "train_loss"),
}
# The epoch metrics a run's summary reports (final and best), those that improve upwards, and the
# one a user reads first for each task (the end-of-run line, the runs list).
SUMMARY_METRICS = ("val_acc", "val_top5", "val_mae", "val_mse", "val_loss", "train_acc", "train_loss")
HIGHER_IS_BETTER = frozenset({"val_acc", "val_top5", "train_acc"})
HEADLINE_METRIC = {"classification": "val_acc", "regression": "val_mae"}
LOSSES_BY_TASK: dict[str, tuple[str, ...]] = {
    "classification": ("cross_entropy", "bce_with_logits", "focal"),
    "regression": ("mse", "l1", "smooth_l1"),
}
CLASSIFICATION_LOSSES = LOSSES_BY_TASK["classification"]
REGRESSION_LOSSES = LOSSES_BY_TASK["regression"]

DATA_SOURCES = ("builtin", "torchvision", "image_folder", "csv")
IMAGE_SOURCES = ("builtin", "torchvision", "image_folder")
OPTIMIZERS = ("sgd", "adam", "adamw", "rmsprop")
SCHEDULES = ("none", "step", "multistep", "exponential", "cosine", "plateau", "onecycle", "warmup_cosine")
LOSSES = (*CLASSIFICATION_LOSSES, *REGRESSION_LOSSES)
PRECISIONS = ("auto", "fp32", "bf16-mixed", "fp16-mixed")
ACTIVATIONS = ("relu", "gelu", "tanh", "sigmoid", "leaky_relu", "silu")
MODEL_INITS = ("default", "kaiming", "xavier", "normal")
TASKS = ("auto", "classification", "regression")
CACHE_MODES = ("auto", "memory", "off")
PRESETS = ("default", "fast")  # train.preset; backend/engine/presets.py resolves "fast"
AUGMENT_PRESETS = ("none", "light", "standard", "custom")
NORMALIZATIONS = ("dataset", "imagenet", "none")
MONITORS = ("val_loss", "val_acc", "train_loss", "val_mae", "val_mse")
MODES = ("auto", "min", "max")
# data.name by data.source (backend/data/builtin.py and torchvision_sets.py describe them; a test keeps them equal).
DATASET_NAMES: dict[str, tuple[str, ...]] = {
    "builtin": ("digits", "iris", "wine", "breast_cancer", "shapes", "diabetes"),
    "torchvision": ("MNIST", "FashionMNIST", "KMNIST", "CIFAR10", "CIFAR100"),
}
EPOCHS_MAX = 100_000  # beyond any useful run; keeps a typo (1000000) from planning years of training
# In a ``when``: the key applies only while this other key holds a value (a non-empty text or list).
IS_SET: tuple[str, ...] = ("<set>",)

SEED_LIMIT = 2**32  # numpy's and scikit-learn's random_state range (the train/validation split)
# Largest image side data.image_size and model.input_size accept: a batch of 64 RGB images of
# 1024x1024 is already 768 MiB as float32 before any activation.
IMAGE_SIDE_MAX = 1024
WORKERS_MAX = 64  # data.num_workers: each one is a process of its own

_SECTIONS: dict[str, type] = {"": cfg.RunConfig, **cfg.SECTIONS}


@functools.cache
def _type_hints(section: type) -> dict[str, Any]:
    """A config section's field types (resolving the annotations is slow, and every form row asks)."""
    return typing.get_type_hints(section)


@dataclass(frozen=True)
class Option:
    """One config key. ``low``/``high`` bound the value (or each entry of a list); a bound is
    excluded when ``low_open``/``high_open``. ``when`` lists the values other keys must have for
    this one to have any effect (``{"optim.name": ("sgd", "rmsprop")}``)."""

    key: str  # "section.name", or "name" for the top-level keys
    label: str  # as the GUI labels the field
    help: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple[str, ...] = ()
    when: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Choices that depend on another key's value: {"data.source": {"builtin": ("digits", ...)}}.
    choices_by: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    zero_means: str = ""  # what 0 stands for in an int field ("automatic"), shown by a form for 0
    usual: tuple[float, float] | None = None  # outside it: a warning, never a refusal
    usual_skips_zero: bool = False  # 0 stands for "automatic" and is never unusual
    range_error: Template | None = None  # the message for a value out of range, when not the generic one
    high_error: Template | None = None  # the message for a value above ``high`` only
    path: str = (
        ""  # "file" or "folder" when the value is a path (GUI: a file picker with file_filter, or a folder picker)
    )
    file_filter: str = ""

    @property
    def section(self) -> str:
        return self.key.rpartition(".")[0]

    @property
    def name(self) -> str:
        return self.key.rpartition(".")[2]

    @property
    def title(self) -> str:
        return self.label

    @property
    def python_type(self) -> Any:
        return _type_hints(_SECTIONS[self.section])[self.name]

    @property
    def default(self) -> Any:
        f = next(f for f in dataclasses.fields(_SECTIONS[self.section]) if f.name == self.name)
        return f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default

    @property
    def type(self) -> str:
        """The kind of form row: int, float, bool, str, choice, path, int_list or float_list."""
        tp = self.python_type
        if self.choices or self.choices_by:
            return "choice"
        if self.path:
            return "path"
        if typing.get_origin(tp) is list:
            return f"{typing.get_args(tp)[0].__name__}_list"
        return tp.__name__

    @property
    def min(self) -> float | None:
        """The smallest value a form offers (an excluded integer bound moves up by one)."""
        if self.low is not None and self.low_open and self.type in ("int", "int_list"):
            return self.low + 1
        return self.low

    @property
    def max(self) -> float | None:
        """The largest value a form offers (an excluded bound of at most 1 moves down by 0.01)."""
        if self.high is not None and self.high_open:
            return self.high - 1 if self.type in ("int", "int_list") else self.high - 0.01
        return self.high

    def applies(self, config: cfg.RunConfig) -> bool:
        """False when the key has no effect in ``config`` (the GUI hides its row)."""
        return applies_with({k: value_of(config, k) for k in self.when}, self)

    def choices_with(self, values: dict[str, Any]) -> tuple[str, ...]:
        """The allowed values given the values of the keys the choices depend on (``choices_by``)."""
        for key, by_value in self.choices_by.items():
            return by_value.get(values.get(key), ())
        return self.choices

    def in_range(self, value: float) -> bool:
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return False
        return self.high is None or (value < self.high if self.high_open else value <= self.high)


def applies_with(values: dict[str, Any], option: Option) -> bool:
    """Whether ``option`` applies given the values of the keys it depends on (a GUI passes its widgets')."""
    return all(
        bool(values.get(key)) if allowed == IS_SET else values.get(key) in allowed
        for key, allowed in option.when.items()
    )


def value_of(config: cfg.RunConfig, key: str) -> Any:
    section, _, name = key.rpartition(".")
    return getattr(getattr(config, section) if section else config, name)


def _range_message(option: Option, value: Any) -> str:
    if option.range_error is not None:
        return option.range_error.format(path=option.key, value=value, max=option.high)
    if option.high_error is not None and value > option.high:
        return option.high_error.format(max=option.high, value=value)
    if typing.get_origin(option.python_type) is list:
        return messages.ERR_NOT_ALL_POSITIVE.format(path=option.key, value=value)
    if (option.low, option.high) == (0, 1):
        template = messages.ERR_NOT_BETWEEN_0_AND_1 if option.low_open else messages.ERR_NOT_IN_0_TO_1
        return template.format(path=option.key, value=value)
    if option.low == 0 and (option.high is None or value <= option.low):
        template = messages.ERR_NOT_POSITIVE if option.low_open else messages.ERR_NEGATIVE
        return template.format(path=option.key, value=value)
    return messages.ERR_OPTION_RANGE.format(path=option.key, low=option.low, high=option.high, value=value)


def check_option(option: Option, value: Any, values: dict[str, Any] | None = None) -> None:
    """Raise ConfigError (naming the key in ``field``) when ``value`` is not one of the choices or out of range.

    ``values`` holds the other keys' values that ``choices_by`` depends on; a dependent choice is
    checked only where the other key picks a list (data.name for the builtin and torchvision sources)."""
    choices = option.choices_with(values or {}) if option.choices_by else option.choices
    if choices and value not in choices:
        raise ConfigError(
            messages.ERR_CHOICE.format(path=option.key, allowed=", ".join(choices), value=value),
            field=option.key,
        )
    if option.low is None and option.high is None:
        return
    values = value if isinstance(value, list) else [value]
    if not all(option.in_range(v) for v in values):
        raise ConfigError(_range_message(option, value), field=option.key)


def _o(key: str, label: str, help_: str, **kw: Any) -> Option:
    return Option(key, label, help_, **kw)


POSITIVE = {"low": 0, "low_open": True}
NON_NEGATIVE = {"low": 0}
_IMAGES = {"data.source": IMAGE_SOURCES}
# Fine-tuning options: a backbone is pretrained only when its weights come from a file (nothing is downloaded).
_PRETRAINED = {"model.weights": IS_SET}
_IMAGE_SIDE = {"low": 0, "high": IMAGE_SIDE_MAX, "range_error": messages.ERR_SIZE_RANGE}

OPTIONS: tuple[Option, ...] = (
    _o("name", "Run name", "Prefix of the run folder; left empty, it is named after the dataset and the model"),
    _o(
        "seed",
        "Seed",
        "Random seed for the split, initialisation and shuffling",
        low=0,
        high=SEED_LIMIT,
        high_open=True,
        range_error=messages.ERR_SEED_RANGE,
    ),
    # [data]
    _o("data.source", "Source", "Where the training data comes from", choices=DATA_SOURCES),
    _o(
        "data.name",
        "Dataset",
        "The dataset's name",
        when={"data.source": tuple(DATASET_NAMES)},
        choices_by={"data.source": DATASET_NAMES},
    ),
    _o(
        "data.root",
        "Path",
        "The folder (image_folder, torchvision) or file (csv); relative to the config file",
        when={"data.source": ("torchvision", "image_folder", "csv")},
    ),
    _o(
        "data.val_split",
        "Validation split",
        "Fraction of the samples held out for validation",
        low=0,
        high=1,
        low_open=True,
        high_open=True,
        usual=(0.05, 0.5),
    ),
    _o("data.batch_size", "Batch size", "Samples per training step", **POSITIVE, usual=(1, 4096)),
    _o(
        "data.target",
        "Target column",
        "Column to predict: type its name or pick one of the file's columns",
        when={"data.source": ("csv",)},
    ),
    _o(
        "data.task",
        "Task",
        "auto: classification for text or few integer values, else regression",
        choices=TASKS,
        when={"data.source": ("csv",)},
    ),
    _o(
        "data.download",
        "Download if missing",
        "Fetch the files into the folder first (needs a network)",
        when={"data.source": ("torchvision",)},
    ),
    _o(
        "data.cache",
        "Cache",
        "auto decodes the images once and keeps them decoded on disk for the next run (in memory when the "
        "cache folder cannot be written), memory decodes them into memory, off decodes them from the files "
        "every epoch",
        choices=CACHE_MODES,
        when={"data.source": ("image_folder",)},
    ),
    _o(
        "data.cache_dir",
        "Cache folder",
        "Where the decoded images are kept between runs (cache auto); empty: the user's cache folder",
        when={"data.source": ("image_folder",), "data.cache": ("auto",)},
        path="folder",
    ),
    _o(
        "data.image_size",
        "Image size",
        "Resize images to this many pixels square; automatic (0) uses the most common size "
        "of the images, scaled down to at most 512 pixels a side",
        **_IMAGE_SIDE,
        when=_IMAGES,
        zero_means="auto",
    ),
    _o(
        "data.augment",
        "Augmentation",
        "Random changes to the training images: none, light, standard, or custom (the list in data.transforms)",
        choices=AUGMENT_PRESETS,
        when=_IMAGES,
    ),
    _o(
        "data.transforms",
        "Transforms",
        'Custom augmentation, applied in order, e.g. hflip, rotation:15 (["hflip", "rotation:15"] in a file)',
        when={**_IMAGES, "data.augment": ("custom",)},
    ),
    _o(
        "data.normalize",
        "Normalisation",
        "Subtract the mean and divide by the standard deviation of the dataset, of ImageNet, or none",
        choices=NORMALIZATIONS,
        when=_IMAGES,
    ),
    _o("data.balanced", "Balanced sampling", "Draw every class equally often (for imbalanced classes)"),
    _o("data.drop_last", "Drop the last partial batch", "Skip the last, smaller batch of each epoch"),
    _o(
        "data.num_workers",
        "Loader workers",
        "Processes decoding images when they are streamed from disk (cache off)",
        **NON_NEGATIVE,
        high=WORKERS_MAX,
        high_error=messages.ERR_WORKERS_TOO_MANY,
        when={"data.source": ("image_folder",)},
    ),
    _o(
        "data.pin_memory",
        "Pin memory",
        "Page-locked batches copy to a GPU faster",
        when={"data.source": ("image_folder",)},
    ),
    _o(
        "data.persistent_workers",
        "Keep workers alive",
        "Keep the loader workers between epochs (needs at least one worker)",
        when={"data.source": ("image_folder",)},
    ),
    # [model]
    _o(
        "model.arch",
        "Model",
        "A registry name (mlp, vgg_small, tv:resnet18, ...) or file:path/to/model.py:ClassName",
    ),
    _o(
        "model.hidden_sizes",
        "Hidden sizes",
        "Width of each hidden fully connected layer (mlp); simple_cnn and "
        "vgg_small use the first entry as the width of their hidden classifier layer",
        **POSITIVE,
    ),
    _o("model.activation", "Activation", "Non-linearity between layers", choices=ACTIVATIONS),
    _o(
        "model.dropout",
        "Dropout",
        "Probability of zeroing an activation in the classifier during training (the tutorials' vgg_small uses 0.5)",
        low=0,
        high=1,
        high_open=True,
    ),
    _o("model.batch_norm", "Batch normalisation", "Normalise the hidden activations per batch (BatchNorm)"),
    _o(
        "model.width",
        "Width",
        "Channels of the first convolution block; each later block doubles them "
        "(64 gives the tutorials' 64/128/256 network; 16 trains much faster on a CPU)",
        **POSITIVE,
        high=1024,
    ),
    _o(
        "model.input_size",
        "Input size",
        "Side in pixels of the images the network sees; images are resized inside the "
        "model. 0 = automatic: the dataset's size, enlarged to the smallest size the model accepts (use the "
        "pretraining size, often 224, when fine-tuning pretrained weights)",
        **_IMAGE_SIDE,
        zero_means="auto",
    ),
    _o(
        "model.weights",
        "Weights file",
        "A local weights file (.pth, .pt or .safetensors state dict, or a TorchDesk "
        "checkpoint) to start from; layers whose shapes do not fit (the classifier head, for a different "
        "number of classes) keep their initialisation and are listed. Empty = random initialisation. "
        "Nothing is ever downloaded",
        path="file",
        file_filter="Weights (*.pth *.pt *.bin *.safetensors *.ckpt)",
    ),
    _o(
        "model.init",
        "Initialisation",
        "Weight initialisation applied after building: default (the model's own), kaiming "
        "(He normal: fan_out for convolutions, fan_in for linear layers), xavier (Glorot normal) or normal "
        "(N(0, 0.01)); biases 0, normalisation layers 1/0. A weights file overrides it where it fits",
        choices=MODEL_INITS,
    ),
    _o(
        "model.freeze_backbone",
        "Freeze backbone",
        "Train only the classifier head; every other parameter keeps its value "
        "(fine-tuning pretrained weights as a feature extractor)",
        when=_PRETRAINED,
    ),
    _o(
        "model.backbone_lr_scale",
        "Backbone lr scale",
        "Learning rate of everything except the head, as a fraction of the "
        "optimizer's learning rate (for example 0.1: the backbone learns 10x slower than the new head)",
        **POSITIVE,
        high=10.0,
        when=_PRETRAINED,
    ),
    # [optim]
    _o("optim.name", "Optimizer", "The update rule", choices=OPTIMIZERS),
    _o("optim.lr", "Learning rate", "Step size, e.g. 0.001 or 3e-4", **POSITIVE, usual=(1e-6, 1.0)),
    _o("optim.weight_decay", "Weight decay", "L2 penalty (decoupled for AdamW)", **NON_NEGATIVE, usual=(0.0, 0.1)),
    _o(
        "optim.momentum",
        "Momentum",
        "Fraction of the previous update added to the next (SGD and RMSprop)",
        **NON_NEGATIVE,
        usual=(0.0, 0.999),
        when={"optim.name": ("sgd", "rmsprop")},
    ),
    _o(
        "optim.nesterov",
        "Nesterov momentum",
        "Look-ahead momentum (SGD only, needs momentum > 0)",
        when={"optim.name": ("sgd",)},
    ),
    _o(
        "optim.betas",
        "Betas",
        "Decay of the running means of the gradients and of their squares (Adam and AdamW)",
        when={"optim.name": ("adam", "adamw")},
    ),
    # [schedule]
    _o("schedule.name", "Schedule", "How the learning rate changes during the run", choices=SCHEDULES),
    _o(
        "schedule.step_size",
        "Step size (epochs)",
        "Epochs between two decays",
        **POSITIVE,
        when={"schedule.name": ("step",)},
    ),
    # A gamma above 1 makes the learning rate grow at every decay.
    _o(
        "schedule.gamma",
        "Gamma",
        "Decay factor applied at each decay",
        **POSITIVE,
        usual=(0.01, 1.0),
        when={"schedule.name": ("step", "multistep", "exponential")},
    ),
    _o(
        "schedule.milestones",
        "Milestones (epochs)",
        "Epochs at which to decay, e.g. 30, 60",
        when={"schedule.name": ("multistep",)},
    ),
    _o(
        "schedule.min_lr",
        "Minimum lr",
        "The learning rate at the end of the decay",
        **NON_NEGATIVE,
        when={"schedule.name": ("cosine", "warmup_cosine")},
    ),
    _o(
        "schedule.warmup_epochs",
        "Warm-up (epochs)",
        "Length of the linear warm-up; fractions allowed",
        **NON_NEGATIVE,
        when={"schedule.name": ("warmup_cosine",)},
    ),
    _o(
        "schedule.factor",
        "Factor",
        "Multiply the learning rate by this on a plateau",
        low=0,
        high=1,
        low_open=True,
        high_open=True,
        when={"schedule.name": ("plateau",)},
    ),
    _o(
        "schedule.patience",
        "Patience (epochs)",
        "Epochs without improvement before decaying",
        **NON_NEGATIVE,
        when={"schedule.name": ("plateau",)},
    ),
    _o(
        "schedule.max_lr",
        "Peak lr",
        "Highest learning rate; 0 means 10 × the learning rate",
        **NON_NEGATIVE,
        usual=(1e-6, 1.0),
        usual_skips_zero=True,
        when={"schedule.name": ("onecycle",)},
    ),
    _o(
        "schedule.pct_start",
        "Warm-up fraction",
        "Fraction of the run spent rising to the peak",
        low=0,
        high=1,
        low_open=True,
        high_open=True,
        when={"schedule.name": ("onecycle",)},
    ),
    # [loss]
    _o("loss.name", "Loss", "What training minimises", choices=LOSSES),
    _o(
        "loss.label_smoothing",
        "Label smoothing",
        "Spread this much probability over the other classes",
        low=0,
        high=1,
        high_open=True,
        usual=(0.0, 0.3),
        when={"loss.name": CLASSIFICATION_LOSSES},
    ),
    # A batch of zero-weight classes only would make the loss 0/0: weights must be > 0.
    _o(
        "loss.class_weights",
        "Class weights",
        "One weight per class, comma separated; empty for equal weights",
        **POSITIVE,
        when={"loss.name": CLASSIFICATION_LOSSES},
    ),
    _o(
        "loss.focal_gamma",
        "Focal gamma",
        "How strongly easy examples are down-weighted",
        **NON_NEGATIVE,
        usual=(0.0, 5.0),
        when={"loss.name": ("focal",)},
    ),
    # [train]
    _o("train.epochs", "Epochs", "Passes over the training set", **POSITIVE, high=EPOCHS_MAX, usual=(1, 1000)),
    _o("train.device", "Device", "auto (a GPU when there is one), cpu, cuda, cuda:N or mps"),
    _o("train.precision", "Precision", "Number format of the training computations", choices=PRECISIONS),
    _o(
        "train.grad_accum",
        "Gradient accumulation",
        "Batches per optimizer step (a larger effective batch)",
        **POSITIVE,
        usual=(1, 256),
    ),
    _o("train.clip_grad_norm", "Clip grad norm", "Largest gradient norm; 0 disables", **NON_NEGATIVE),
    _o("train.clip_grad_value", "Clip grad value", "Largest absolute gradient value; 0 disables", **NON_NEGATIVE),
    _o(
        "train.deterministic",
        "Deterministic (reproducible, slower)",
        "Use deterministic algorithms so a run can be repeated exactly",
    ),
    _o(
        "train.monitor",
        "Monitor",
        "Metric that picks the best checkpoint and drives early stopping",
        choices=MONITORS,
    ),
    _o("train.mode", "Direction", "auto: higher is better for accuracy, lower otherwise", choices=MODES),
    _o("train.early_stopping", "Stop early when the metric stops improving", "Stop when the monitored metric stalls"),
    _o(
        "train.patience",
        "Patience (epochs)",
        "Epochs without improvement before stopping",
        **NON_NEGATIVE,
        when={"train.early_stopping": (True,)},
    ),
    _o(
        "train.min_delta",
        "Minimum change",
        "Smaller improvements count as none",
        **NON_NEGATIVE,
        when={"train.early_stopping": (True,)},
    ),
    _o(
        "train.checkpoint_every_steps",
        "Checkpoint every (steps)",
        "Also save a checkpoint every N steps; 0: only at epoch ends",
        **NON_NEGATIVE,
        zero_means="epoch ends only",
    ),
    _o("train.tensorboard", "Write TensorBoard logs", "Log the metrics for TensorBoard too"),
    _o(
        "train.channels_last",
        "Channels last",
        "Image models use the NHWC memory layout (1.6x faster for the tutorials' CNN on a CPU)",
    ),
    _o(
        "train.compile",
        "Compile the model",
        "torch.compile the model (needs a C++ compiler; not in the frozen app)",
    ),
    _o(
        "train.runs_dir",
        "Runs folder",
        "Each run gets its own folder here (metrics, checkpoints, config)",
        path="folder",
    ),
    _o(
        "train.preset",
        "Recipe",
        "default trains with the settings as given; fast picks the batch size, a OneCycle learning rate, "
        "label smoothing and augmentation for the task and the data size (the settings it replaces are "
        "listed in the run's log)",
        choices=PRESETS,
    ),
)

BY_KEY: dict[str, Option] = {o.key: o for o in OPTIONS}


def section_options(section: str) -> tuple[Option, ...]:
    """The options of one config section (``""`` for the top-level keys), in declaration order."""
    return tuple(o for o in OPTIONS if o.section == section)


# The [model] options as the model registry lists them (ModelSpec.options names them).
MODEL_OPTIONS: dict[str, Option] = {o.name: o for o in section_options("model") if o.name != "arch"}
# Options every model reads: starting weights, initialisation and fine-tuning.
COMMON_MODEL_OPTIONS = ("weights", "init", "freeze_backbone", "backbone_lr_scale")


def source_options(source: str) -> tuple[str, ...]:
    """The [data] keys (names) that apply to a data source."""
    return tuple(
        o.name
        for o in section_options("data")
        if o.name != "source" and source in o.when.get("data.source", DATA_SOURCES)
    )
