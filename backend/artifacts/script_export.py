"""Show the code: one standalone, plain-PyTorch training script for a run config.

``training_script(config)`` writes out what TorchDesk would do for ``config`` (the data, the
split and normalisation, the model class, initialisation, loss, optimizer, schedule, the
train/validate loop with AMP, gradient accumulation and clipping, checkpoints, early stopping and
the seed) as a script that imports only torch, torchvision, numpy, PIL and scikit-learn, as
needed. Run with ``python train.py`` on the same data it reaches the run's validation accuracy.
What it cannot express is refused with a ConfigError naming the field (``unsupported``).
The pieces of code are in backend/artifacts/script_parts.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from backend import __version__
from backend.artifacts import script_parts as parts
from backend.core import messages
from backend.core.config import RunConfig, load_config
from backend.core.errors import ConfigError, TorchDeskError
from backend.core.model_catalogue import FILE_PREFIX, TV_PREFIX
from backend.core.schema import IMAGE_SOURCES, REGRESSION_LOSSES
from backend.core.torchvision_models import TORCHVISION_MODELS
from backend.core.transform_specs import TransformSpec, preset_specs
from backend.store.runs import CONFIG_FILE

OWN_ARCHES = {"mlp": parts.MLP, "simple_cnn": parts.SIMPLE_CNN}
ACTIVATIONS = {
    "relu": "nn.ReLU",
    "gelu": "nn.GELU",
    "tanh": "nn.Tanh",
    "sigmoid": "nn.Sigmoid",
    "leaky_relu": "nn.LeakyReLU",
    "silu": "nn.SiLU",
}
TORCHVISION_DATASETS = {"MNIST", "FashionMNIST", "KMNIST", "CIFAR10", "CIFAR100"}
IMAGENET = "[0.485, 0.456, 0.406], [0.229, 0.224, 0.225]"  # backend.data.bundle.IMAGENET_MEAN/STD
INIT_WEIGHT = {
    "kaiming": 'mode = "fan_in" if isinstance(module, nn.Linear) else "fan_out"\n'
    'nn.init.kaiming_normal_(module.weight, mode=mode, nonlinearity="relu")',
    "xavier": "nn.init.xavier_normal_(module.weight)",
    "normal": "nn.init.normal_(module.weight, 0.0, 0.01)",
}


def _refuse(field: str, value: object, reason: str) -> ConfigError:
    return ConfigError(messages.ERR_SCRIPT_UNSUPPORTED.format(field=field, value=value, reason=reason), field=field)


def unsupported(config: RunConfig) -> ConfigError | None:
    """Why ``config`` cannot be written as a script (an error naming the field), or None."""
    m, d = config.model, config.data
    if m.arch.startswith(FILE_PREFIX):
        return _refuse("model.arch", m.arch, messages.SCRIPT_WHY_FILE_MODEL)
    if m.arch not in OWN_ARCHES and not m.arch.startswith(TV_PREFIX):
        return _refuse("model.arch", m.arch, messages.SCRIPT_WHY_NOT_CLASSIFIER)
    if d.source == "builtin" and d.name == "shapes":
        return _refuse("data.name", d.name, messages.SCRIPT_WHY_SHAPES)
    if m.weights:
        return _refuse("model.weights", m.weights, messages.SCRIPT_WHY_WEIGHTS)
    if m.freeze_backbone:
        return _refuse("model.freeze_backbone", m.freeze_backbone, messages.SCRIPT_WHY_BACKBONE)
    if m.backbone_lr_scale != 1.0:
        return _refuse("model.backbone_lr_scale", m.backbone_lr_scale, messages.SCRIPT_WHY_BACKBONE)
    return None


def _fill(text: str, **subs: str) -> str:
    """Replace each placeholder (an upper-case word of ``subs``): a line holding only the placeholder
    becomes the replacement's lines at that indent (or goes when it is empty); elsewhere the word is replaced."""
    lines = []
    for line in text.splitlines():
        key = line.strip()
        if key in subs:
            indent = line[: len(line) - len(line.lstrip())]
            lines += [indent + row if row else "" for row in subs[key].splitlines()]
        else:
            lines.append(line)
    out = "\n".join(lines) + "\n"
    for key, value in subs.items():
        out = re.sub(rf"\b{key}\b", lambda _m, v=value: v, out)
    return out


def _augment(spec: TransformSpec, size: str) -> str:
    """torchvision's transform for one TorchDesk augmentation spec."""
    a = spec.args
    bilinear = "interpolation=v2.InterpolationMode.BILINEAR"
    if spec.name in ("hflip", "vflip"):
        return f"v2.Random{'Horizontal' if spec.name == 'hflip' else 'Vertical'}Flip({a[0]:g})"
    if spec.name == "rotation":
        return f"v2.RandomRotation({a[0]:g}, {bilinear})"
    if spec.name == "affine":
        scale, shift = f"({a[2]:g}, {a[3]:g})", f"({a[1]:g}, {a[1]:g})"
        return f"v2.RandomAffine({a[0]:g}, translate={shift}, scale={scale}, shear={a[4]:g}, {bilinear})"
    if spec.name == "random_resized_crop":
        return f"v2.RandomResizedCrop({size}, scale=({a[0]:g}, 1.0), antialias=True)"
    if spec.name == "random_crop":
        return f"v2.RandomCrop({size}, padding={int(a[0])})"
    if spec.name == "color_jitter":
        return f"v2.ColorJitter({a[0]:g}, {a[1]:g}, {a[2]:g})"
    if spec.name == "gaussian_noise":
        return f"v2.GaussianNoise(sigma={a[0]:g}, clip=True)"
    return f"v2.CenterCrop({int(a[0])})"


def _transforms(config: RunConfig) -> str:
    d = config.data
    specs = preset_specs(d.augment, d.transforms)
    train = [_augment(s, "size") for s in specs]
    val = [_augment(s, "size") for s in specs if s.name == "center_crop"]  # validation is cropped too
    stats = {
        "dataset": "    mean, std = channel_stats(training_images())",
        "imagenet": f"    mean, std = {IMAGENET}  # ImageNet's statistics",
        "none": "",
    }[d.normalize]
    normalize = "v2.Normalize(mean, std)" if d.normalize != "none" else ""

    def compose(steps: list[str]) -> str:
        items = ["*first", "v2.ToDtype(torch.float32, scale=True)", *steps, *([normalize] if normalize else [])]
        return "v2.Compose(\n        [" + "".join(f"\n            {item}," for item in items) + "\n        ]\n    )"

    return (
        "\ndef make_transforms(size, training_images, decode=None):\n"
        f'    """What an image goes through: [decoding,] scaling to [0, 1], augmentation (data.augment = {d.augment};\n'
        f'    training only), normalisation (data.normalize = {d.normalize})."""\n'
        + (stats + "\n" if stats else "")
        + "    first = [decode] if decode else []\n"
        + f"    train = {compose(train)}\n"
        + f"    val = {compose(val)}\n"
        + "    return train, val\n"
    )


def _data(config: RunConfig) -> tuple[list[str], list[str], str]:
    """(imports, settings lines, code) of the data part."""
    d = config.data
    settings = [f"VAL_SPLIT = {d.val_split!r}"]
    if d.source == "csv":
        settings += [
            f"DATA_ROOT = {_text(d.root)}",
            f"TARGET = {_text(d.target)}",
            f"TASK = {_text(d.task)}  # auto infers it",
        ]
        return ["import csv"], settings, parts.SPLIT + parts.CSV_TABLE
    if d.source == "builtin" and d.name != "digits":
        loader = f"load_{d.name}"
        return (
            [f"from sklearn.datasets import {loader}"],
            settings,
            parts.SPLIT + _fill(parts.TABULAR_BUILTIN, LOAD_DATASET=loader),
        )
    settings += [f"IMAGE_SIDE = {d.image_size}  # 0 keeps the images' size"]
    imports = ["from torchvision.transforms import v2"]
    code = parts.SPLIT + (parts.CHANNEL_STATS if d.normalize == "dataset" else "") + _transforms(config)
    if d.source == "image_folder":
        from backend.data.image_folder import IMAGE_EXTENSIONS

        settings.insert(0, f"DATA_ROOT = {_text(d.root)}")
        imports += ["import functools", "from collections import Counter", "from PIL import Image"]
        imports += ["from torchvision import datasets"]
        return (
            imports,
            settings,
            code
            + _fill(
                parts.IMAGE_FOLDER, EXTENSION_LIST="(" + ", ".join(_text(e) for e in sorted(IMAGE_EXTENSIONS)) + ")"
            ),
        )
    if d.source == "torchvision":
        if d.name not in TORCHVISION_DATASETS:
            raise _refuse("data.name", d.name, messages.SCRIPT_WHY_NOT_CLASSIFIER)
        settings.insert(0, f"DATA_ROOT = {_text(d.root)}")
        settings.append(f"DOWNLOAD = {d.download}")
        imports.append("from torchvision import datasets")
        loader = _fill(parts.TORCHVISION_IMAGES, DATASET_CLASS=f"datasets.{d.name}")
    else:
        imports.append("from sklearn.datasets import load_digits")
        loader = parts.DIGITS_IMAGES
    return imports, settings, code + loader + parts.IMAGE_TENSORS


def _torchvision_model(arch: str, input_size: int) -> tuple[str, str]:
    """(the input_size function, the keyword arguments of get_model) for tv:<name>."""
    from backend.models.tv import MAXVIT_MULTIPLE, family

    name = arch.removeprefix(TV_PREFIX)
    smallest = TORCHVISION_MODELS[name].min_size if name in TORCHVISION_MODELS else 1
    fam = family(name)
    head = "\ndef input_size(height, width):\n"
    if input_size:
        body = f'    """model.input_size: the side the network is fed."""\n    return ({input_size}, {input_size})\n'
    elif fam in ("vit", "maxvit"):
        step = smallest if fam == "vit" else MAXVIT_MULTIPLE
        body = (
            f'    """A square whose side is a multiple of {step} ({name} needs a fixed size)."""\n'
            f"    side = math.ceil(max(height, width) / {step}) * {step}\n    return (side, side)\n"
        )
    else:
        body = (
            f'    """The image size, raised to {smallest} pixels, the smallest {name} accepts."""\n'
            f"    return (max(height, {smallest}), max(width, {smallest}))\n"
        )
    options = {"inception": "aux_logits=False, init_weights=True", "vit": "image_size=size[0]"}
    options["maxvit"] = "input_size=size"
    return head + body, options.get(fam, "").strip()


def _model(config: RunConfig) -> tuple[list[str], list[str], str]:
    m = config.model
    settings = [f"ACTIVATION = {ACTIVATIONS[m.activation]}"]
    if m.arch in OWN_ARCHES:
        settings += [f"HIDDEN_SIZES = {list(m.hidden_sizes)!r}", f"DROPOUT = {m.dropout!r}"]
        if m.arch == "mlp":
            settings.append(f"BATCH_NORM = {m.batch_norm}")
        return [], settings, OWN_ARCHES[m.arch]
    sizes, options = _torchvision_model(m.arch, m.input_size)
    code = _fill(parts.TORCHVISION_MODEL, ARCH=_text(m.arch.removeprefix(TV_PREFIX)))
    code = code.replace(", ARCH_OPTIONS)", f", {options})" if options else ")")
    return ["import torchvision", "import torch.nn.functional as F"], [], sizes + code


def _loss(config: RunConfig) -> tuple[str, str]:
    """(the loss's class code if it needs one, the expression building it)."""
    lc = config.loss
    weight = f"torch.tensor({lc.class_weights!r})" if lc.class_weights else "None"
    if lc.name == "cross_entropy":
        return "", f"nn.CrossEntropyLoss(weight={weight}, label_smoothing={lc.label_smoothing!r})"
    if lc.name == "focal":
        return parts.FOCAL_LOSS, f"FocalLoss({lc.focal_gamma!r}, {weight}, {lc.label_smoothing!r})"
    if lc.name == "bce_with_logits":
        return parts.ONE_HOT_BCE, f"OneHotBCE(num_outputs, {weight}, {lc.label_smoothing!r})"
    fn = {"mse": "nn.MSELoss()", "l1": "nn.L1Loss()", "smooth_l1": "nn.SmoothL1Loss()"}[lc.name]
    return parts.REGRESSION_LOSS, f"RegressionLoss({fn})"


def _optimizer(config: RunConfig) -> str:
    o = config.optim
    args = "model.parameters(), lr=LR"
    if o.name == "sgd":
        return f"torch.optim.SGD({args}, momentum={o.momentum!r}, nesterov={o.nesterov}, weight_decay=WEIGHT_DECAY)"
    if o.name in ("adam", "adamw"):
        cls = "Adam" if o.name == "adam" else "AdamW"
        return f"torch.optim.{cls}({args}, betas={tuple(o.betas)!r}, weight_decay=WEIGHT_DECAY)"
    return f"torch.optim.RMSprop({args}, momentum={o.momentum!r}, weight_decay=WEIGHT_DECAY)"


def _schedule(config: RunConfig) -> tuple[str, str, str]:
    """(helper code, the statements building ``scheduler``, "step", "epoch", "plateau" or "")."""
    s, lr = config.schedule, "scheduler = lr_scheduler"
    if s.name == "none":
        return "", "scheduler = None", ""
    if s.name == "step":
        return "", f"{lr}.StepLR(optimizer, step_size={s.step_size}, gamma={s.gamma!r})", "epoch"
    if s.name == "multistep":
        return "", f"{lr}.MultiStepLR(optimizer, milestones={s.milestones!r}, gamma={s.gamma!r})", "epoch"
    if s.name == "exponential":
        return "", f"{lr}.ExponentialLR(optimizer, gamma={s.gamma!r})", "epoch"
    if s.name == "cosine":
        return "", f"{lr}.CosineAnnealingLR(optimizer, T_max=EPOCHS, eta_min={s.min_lr!r})", "epoch"
    if s.name == "plateau":
        mode = config.monitor_mode()
        return (
            "",
            (
                f'{lr}.ReduceLROnPlateau(optimizer, mode="{mode}", factor={s.factor!r}, '
                f"patience={s.patience}, min_lr={s.min_lr!r})"
            ),
            "plateau",
        )
    if s.name == "onecycle":
        peak = f"{s.max_lr!r}  # schedule.max_lr" if s.max_lr else "LR * 10  # schedule.max_lr = 0: 10 x the lr"
        return (
            "",
            (
                f"max_lr = {peak}\n{lr}.OneCycleLR(optimizer, max_lr=max_lr, total_steps=total_steps, "
                f"pct_start={s.pct_start!r})"
            ),
            "step",
        )
    warmup = (
        f"max(1, min(total_steps - 1, round({s.warmup_epochs!r} * steps_per_epoch)))" if s.warmup_epochs > 0 else "1"
    )
    return (
        parts.WARMUP_COSINE,
        (
            f"warmup_steps = {warmup}  # schedule.warmup_epochs = {s.warmup_epochs!r}\n"
            f"{lr}.LambdaLR(optimizer, warmup_cosine(warmup_steps, total_steps, {s.min_lr!r} / LR))"
        ),
        "step",
    )


def _device_lines(config: RunConfig) -> list[str]:
    t = config.train
    if t.device == "auto":
        device = (
            'DEVICE = torch.device("cuda" if torch.cuda.is_available() '
            'else "mps" if torch.backends.mps.is_available() else "cpu")'
        )
    else:
        device = f"DEVICE = torch.device({_text(t.device)})"
    amp = {
        "auto": [
            "AMP_DTYPE = None  # train.precision = auto: mixed precision on a GPU (bf16 if it has it), else fp32",
            'if DEVICE.type == "cuda":',
            "    AMP_DTYPE = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16",
        ],
        "fp32": ["AMP_DTYPE = None  # fp32: no mixed precision"],
        "bf16-mixed": ["AMP_DTYPE = torch.bfloat16  # mixed precision"],
        "fp16-mixed": ["AMP_DTYPE = torch.float16  # mixed precision, with loss scaling"],
    }[t.precision]
    return [device, *amp]


def _text(value: str) -> str:
    """A string as a Python literal in double quotes (the script's style)."""
    return json.dumps(value)


def _task_is_regression(config: RunConfig) -> bool:
    return config.loss.name in REGRESSION_LOSSES


def training_script(config: RunConfig) -> str:
    """The script (text) for ``config``; ConfigError naming the field when it cannot be expressed."""
    problem = unsupported(config)
    if problem is not None:
        raise problem
    d, t, o = config.data, config.train, config.optim
    data_imports, data_settings, data_code = _data(config)
    model_imports, model_settings, model_code = _model(config)
    loss_code, loss_expr = _loss(config)
    schedule_code, schedule_expr, schedule_kind = _schedule(config)
    regression = _task_is_regression(config)
    images = d.source in IMAGE_SOURCES and not (d.source == "builtin" and d.name != "digits")

    imports = ["import math", "import os", "import random", "from pathlib import Path", *data_imports]
    imports += ["import numpy as np", "import torch", "from torch import nn"]
    imports += ["from torch.optim import lr_scheduler"] if schedule_kind else []
    dataset = "Subset" if d.source == "image_folder" else "Dataset" if images else "TensorDataset"
    loaders = ", ".join(sorted(["DataLoader", "Sampler", dataset]))
    imports += [f"from torch.utils.data import {loaders}", "from sklearn.model_selection import train_test_split"]
    imports += model_imports
    if loss_code and "F." in loss_code and "import torch.nn.functional as F" not in imports:
        imports.append("import torch.nn.functional as F")

    settings = [f"SEED = {config.seed}", *data_settings, f"BATCH_SIZE = {d.batch_size}"]
    settings += [f"DROP_LAST = {d.drop_last}", f"BALANCED = {d.balanced}"]
    settings += [f"NUM_WORKERS = {d.num_workers}", f"PIN_MEMORY = {d.pin_memory}"]
    settings += [*model_settings, f"LR = {o.lr!r}", f"WEIGHT_DECAY = {o.weight_decay!r}", f"EPOCHS = {t.epochs}"]
    settings += [f"GRAD_ACCUM = {t.grad_accum}", f"CLIP_GRAD_NORM = {t.clip_grad_norm!r}  # 0 disables"]
    settings += [f"CLIP_GRAD_VALUE = {t.clip_grad_value!r}  # 0 disables"]
    settings.append(f"CLASSIFICATION = {not regression}  # loss.name = {config.loss.name}")
    settings += [f'MONITOR, MODE = "{t.monitor}", "{config.monitor_mode()}"  # best checkpoint and early stopping']
    settings += [f"EARLY_STOPPING = {t.early_stopping}", f"PATIENCE = {t.patience}", f"MIN_DELTA = {t.min_delta!r}"]
    settings += [f"CHECKPOINT_EVERY_STEPS = {t.checkpoint_every_steps}  # 0: at epoch ends only"]
    settings += ['CHECKPOINT_DIR = Path("checkpoints")', f"CHANNELS_LAST = {t.channels_last and images}"]
    settings += [f"PER_STEP_SCHEDULE = {schedule_kind == 'step'}", *_device_lines(config)]

    init = "" if config.model.init == "default" else _fill(parts.INIT, INIT_WEIGHT=INIT_WEIGHT[config.model.init])
    epoch_step = {"epoch": "scheduler.step()", "plateau": "scheduler.step(value)"}.get(schedule_kind, "")
    main = _fill(
        parts.MAIN,
        DETERMINISTIC=(
            'os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # train.deterministic\n'
            "torch.use_deterministic_algorithms(True)"
            if t.deterministic
            else ""
        ),
        INIT_CALL=f"init_weights(model)  # model.init = {config.model.init}" if init else "",
        LOSS=loss_expr,
        STEPS_PER_EPOCH=(
            "steps_per_epoch = math.ceil(len(sampler) / GRAD_ACCUM)  # optimizer steps\n"
            "total_steps = max(1, EPOCHS * steps_per_epoch)"
            if schedule_kind == "step"
            else ""
        ),
        OPTIMIZER=_optimizer(config),
        SCHEDULER=schedule_expr,
        COMPILED_MODEL="train_model = torch.compile(model)  # train.compile" if t.compile else "",
        EPOCH_SCHEDULE_STEP=epoch_step,
        LAST_LINE=(
            "print(f\"val_mae {metrics['val_mae']:.6g}\")"
            if regression
            else "print(f\"val_acc {metrics['val_acc']:.4f}\")  # the last line: the final validation accuracy"
        ),
    )
    if not t.compile:
        main = main.replace("train_one_epoch(train_model,", "train_one_epoch(model,")
    train_epoch = _fill(parts.TRAIN_EPOCH, STEP_SCHEDULE_STEP="scheduler.step()" if schedule_kind == "step" else "")
    data_name = d.name if d.source in ("builtin", "torchvision") else Path(d.root).name
    header = (
        f'"""Train {config.name}: {data_name} with {config.model.arch}, {t.epochs} epoch(s), in plain PyTorch.\n\n'
        f"Written by TorchDesk {__version__} from the run's settings. It repeats the run: the same split,\n"
        "normalisation, seed, initial weights and batch order, so it reaches the same validation accuracy.\n"
        "Only torch, torchvision, numpy, PIL and scikit-learn are needed (those imported below).\n\n"
        "    python train.py\n"
        + ("\nNot written out: TensorBoard logging (train.tensorboard).\n" if t.tensorboard else "")
        + '"""\n\n'
    )
    sections = [
        ("settings", ["\n".join(settings)]),
        ("data", [parts.SEEDING, data_code, parts.BATCHES]),
        ("model", [model_code, init]),
        ("training", [loss_code, schedule_code, train_epoch, parts.EVALUATE, parts.CHECKPOINT, main]),
    ]
    return header + _import_block(imports) + "\n" + "\n\n".join(_section(t, pieces) for t, pieces in sections)


STDLIB = {"collections", "csv", "functools", "math", "os", "pathlib", "random"}


def _import_block(imports: list[str]) -> str:
    """The standard library, a blank line, the rest; in each, ``import x`` lines, then ``from x import y``
    lines, by module (as isort and ruff order them)."""

    def module(line: str) -> str:
        return line.split()[1]

    def key(line: str) -> tuple[bool, str]:
        return line.startswith("from"), module(line).lower()

    groups = ([], [])
    for line in dict.fromkeys(imports):
        groups[module(line).split(".")[0] not in STDLIB].append(line)
    return "\n\n".join("\n".join(sorted(group, key=key)) for group in groups if group) + "\n"


def _section(title: str, pieces: list[str]) -> str:
    """A titled part of the script: its top-level definitions two blank lines apart (PEP 8)."""
    code = "\n\n\n".join(block.strip("\n") for piece in pieces for block in _blocks(piece))
    return f"# {'-' * 76} {title}\n" + code + "\n"


def _blocks(code: str) -> list[str]:
    """``code`` cut before each top-level statement that follows a blank line."""
    return [block for block in re.split(r"\n\s*\n(?=\S)", code.strip("\n")) if block.strip()]


def script_config(source: str | Path) -> RunConfig:
    """The config of a run folder (its config.toml), a checkpoint, or a config file."""
    path = Path(source).expanduser()
    if path.is_dir():
        path = path / CONFIG_FILE
        if not path.is_file():
            raise TorchDeskError(messages.ERR_SCRIPT_SOURCE.format(path=source))
    if path.suffix == ".toml":
        return load_config(path)
    if path.suffix == ".ckpt":
        from backend.engine.trainer import config_from_checkpoint

        return config_from_checkpoint(path)
    raise TorchDeskError(messages.ERR_SCRIPT_SOURCE.format(path=source))


def write_script(config: RunConfig, out: str | Path) -> Path:
    """Write the script for ``config`` to ``out`` (atomically); returns its path."""
    from backend.core.atomic import atomic_write_text
    from backend.core.os_errors import check_output_file

    text = training_script(config)
    path = check_output_file(out, "train.py")
    atomic_write_text(path, text)
    return path
