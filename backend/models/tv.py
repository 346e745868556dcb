"""Every classification model of ``torchvision.models``, adapted to the dataset.

Built with ``weights=None`` (nothing is ever downloaded; pretrained weights come from a local
file through ``model.weights``) and ``num_classes`` = the dataset's number of outputs. The
first convolution is replaced when the images do not have 3 channels, and images smaller than
the network accepts (8x8 digits, 28x28 MNIST on a ViT, ...) are resized inside the model by
``TorchvisionClassifier``, so any image dataset trains without the user doing anything.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from backend.core import messages
from backend.core.config import ModelConfig
from backend.core.errors import ModelError, first_line
from backend.core.torchvision_models import TORCHVISION_MODELS, TorchvisionModel, family

# Smallest image side that trains, where torchvision's metadata states the pretraining size instead.
# Swin pads its windows and works from 32 px; ViT needs one patch (and an exact, fixed image size);
# MaxViT's 7x7 partitions need sides that are multiples of 224.
_MIN_SIZE_OVERRIDES = {"swin": 32, "maxvit": 224}
MAXVIT_MULTIPLE = 224


@functools.cache
def classification_models() -> tuple[str, ...]:
    import torchvision.models

    return tuple(torchvision.models.list_models(module=torchvision.models))


def _meta(name: str) -> dict[str, Any]:
    """torchvision's metadata of the model's first weights entry (offline: no download)."""
    import torchvision.models

    try:
        weights = list(torchvision.models.get_model_weights(name))
    except (ValueError, KeyError):
        return {}
    return dict(weights[0].meta) if weights else {}


def vit_patch_size(name: str) -> int:
    return int(name.rsplit("_", 1)[-1])


def _min_input_size(name: str) -> int:
    fam = family(name)
    if fam == "vit":
        return vit_patch_size(name)
    if fam in _MIN_SIZE_OVERRIDES:
        return _MIN_SIZE_OVERRIDES[fam]
    size = _meta(name).get("min_size", (1, 1))
    return int(max(size))


def _pretty(title: str) -> str:
    sizes = {"tiny": "T", "small": "S", "base": "B", "large": "L", "huge": "H"}
    parts = [sizes.get(p, p) for p in title.split("_")]
    head = {"vit": "ViT", "swin": "Swin", "maxvit": "MaxViT"}.get(parts[0], parts[0])
    if head == "ViT" and len(parts) == 3:
        return f"ViT-{parts[1].upper()}/{parts[2]}"
    if len(parts) == 3 and parts[1] == "v2":
        return f"{head} V2-{parts[2].upper()}"
    return "-".join([head, *(p.upper() for p in parts[1:])])


def read_facts(name: str) -> TorchvisionModel:
    """What the installed torchvision says of a model (backend/core/torchvision_models.py is a copy)."""
    import torchvision.models

    doc = " ".join((torchvision.models.get_model_builder(name).__doc__ or "").split())
    title = re.split(r"\s+from\s+|,\s+as described in", doc)[0]
    title = re.sub(r"^Constructs an? ", "", title)
    title = re.sub(r"\s+(model architecture|architecture|model)$", "", title).strip() or name
    if re.fullmatch(r"[a-z0-9_]+", title):  # vit_b_16, swin_v2_base, maxvit_t: spell them as the papers do
        title = _pretty(title)
    title = title[:1].upper() + title[1:]
    paper = re.search(r"`([^`<]+?)\s*<", doc)
    meta = _meta(name)
    return TorchvisionModel(
        title,
        paper.group(1).strip() if paper else "",
        int(meta["num_params"]) if meta.get("num_params") else None,
        meta.get("_ops"),
        _min_input_size(name),
    )


class TorchvisionClassifier(nn.Module):
    """A torchvision network behind an optional resize to the image size it needs."""

    def __init__(self, net: nn.Module, arch: str, resize_to: tuple[int, int] | None) -> None:
        super().__init__()
        self.net = net
        self.arch = arch
        self.resize_to = resize_to

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.resize_to is not None and tuple(x.shape[-2:]) != self.resize_to:
            shrink = x.shape[-2] > self.resize_to[0] or x.shape[-1] > self.resize_to[1]
            x = F.interpolate(x, size=self.resize_to, mode="bilinear", align_corners=False, antialias=shrink)
        return self.net(x)

    def extra_repr(self) -> str:
        return f"arch={self.arch!r}, resize_to={self.resize_to}"


def _target_size(name: str, height: int, width: int, input_size: int) -> tuple[int, int]:
    """The (height, width) the network is fed with."""
    fam = family(name)
    smallest = TORCHVISION_MODELS[name].min_size
    arch = f"tv:{name}"
    if input_size:
        if input_size < smallest:
            raise ModelError(messages.ERR_TV_INPUT_TOO_SMALL.format(size=input_size, arch=arch, smallest=smallest))
        if fam == "vit" and input_size % smallest:
            raise ModelError(messages.ERR_TV_PATCHES.format(arch=arch, patch=smallest, size=input_size))
        if fam == "maxvit" and input_size % MAXVIT_MULTIPLE:
            raise ModelError(
                messages.ERR_TV_INPUT_MULTIPLE.format(arch=arch, multiple=MAXVIT_MULTIPLE, size=input_size)
            )
        return input_size, input_size
    if fam == "vit":  # a fixed square image size, a whole number of patches
        side = math.ceil(max(height, width) / smallest) * smallest
        return side, side
    if fam == "maxvit":
        side = math.ceil(max(height, width) / MAXVIT_MULTIPLE) * MAXVIT_MULTIPLE
        return side, side
    return max(height, smallest), max(width, smallest)


def first_conv_name(net: nn.Module, channels: int = 3) -> str:
    """The stem: the first registered Conv2d that reads ``channels`` input channels."""
    for name, module in net.named_modules():
        if isinstance(module, nn.Conv2d) and module.in_channels == channels:
            return name
    raise ModelError(messages.ERR_TV_NO_STEM.format(cls=type(net).__name__, channels=channels))


def replace_input_channels(net: nn.Module, stem: str, channels: int) -> None:
    """Swap the stem convolution for one reading ``channels`` channels, keeping its initial filters."""
    old: nn.Conv2d = net.get_submodule(stem)
    new = nn.Conv2d(
        channels,
        old.out_channels,
        old.kernel_size,
        old.stride,
        old.padding,
        old.dilation,
        old.groups,
        old.bias is not None,
        old.padding_mode,
    )
    with torch.no_grad():
        # Cycle through the R, G, B filters: the model's own initialisation distribution is kept.
        new.weight.copy_(old.weight[:, [i % old.in_channels for i in range(channels)]])
        if old.bias is not None:
            new.bias.copy_(old.bias)
    net.set_submodule(stem, new)


def build_torchvision(cfg: ModelConfig, input_shape: tuple[int, ...], num_outputs: int) -> nn.Module:
    import torchvision.models

    arch = cfg.arch
    name = arch.removeprefix("tv:")
    if name not in classification_models():
        raise ModelError(messages.ERR_TV_NOT_CLASSIFIER.format(arch=arch, version=torchvision.__version__))
    if len(input_shape) != 3:
        raise ModelError(
            messages.ERR_MODEL_NEEDS_IMAGES.format(arch=arch, dims=len(input_shape), shape=tuple(input_shape))
        )
    channels, height, width = input_shape
    target = _target_size(name, height, width, cfg.input_size)
    fam = family(name)
    kwargs: dict[str, Any] = {"weights": None, "num_classes": num_outputs}
    if fam == "inception":  # googlenet, inception_v3: no auxiliary heads (they change the output type)
        kwargs.update(aux_logits=False, init_weights=True)
    if fam == "vit":
        kwargs["image_size"] = target[0]
    if fam == "maxvit":
        kwargs["input_size"] = target
    try:
        net = torchvision.models.get_model(name, **kwargs)
    except (ValueError, AssertionError, RuntimeError, TypeError) as exc:
        raise ModelError(
            messages.ERR_TV_BUILD_FAILED.format(
                arch=arch,
                shape=tuple(input_shape),
                height=target[0],
                width=target[1],
                error=first_line(exc),
            )
        ) from exc
    stem = first_conv_name(net)
    if channels != 3:
        replace_input_channels(net, stem, channels)
    model = TorchvisionClassifier(net, arch, None if target == (height, width) else target)
    model.torchdesk_stem = f"net.{stem}"
    return model


if __name__ == "__main__":
    # Regenerate backend/core/torchvision_models.py's table after a torchvision upgrade.
    for _name in classification_models():
        print(f"    {_name!r}: {read_facts(_name)!r},")
