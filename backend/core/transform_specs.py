"""The augmentation specs of ``data.transforms`` and the presets, torch-free so that a config
validates without importing torch; backend/data/augment.py applies them to batches.

Specs are strings ``name`` or ``name:arg,arg`` (the tutorials' transforms):
hflip[:p], vflip[:p], rotation[:degrees], affine[:degrees,translate,scale_min,scale_max,shear],
random_resized_crop[:scale_min], random_crop[:padding] (CIFAR's crop of a zero-padded image), color_jitter[:brightness,contrast,saturation],
gaussian_noise[:std], center_crop:size (applied to validation too).
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.core import messages
from backend.core.errors import ConfigError

FIELD = "data.transforms"  # the config key every error here is about

# name -> default arguments; the number of defaults is the number of arguments accepted.
TRANSFORMS: dict[str, tuple[float, ...]] = {
    "hflip": (0.5,),
    "vflip": (0.5,),
    "rotation": (15.0,),
    "affine": (10.0, 0.1, 0.9, 1.1, 0.0),
    "random_resized_crop": (0.5,),
    "random_crop": (4.0,),
    "color_jitter": (0.2, 0.2, 0.2),
    "gaussian_noise": (0.05,),
    "center_crop": (0.0,),
}

PRESETS: dict[str, list[str]] = {
    "none": [],
    # Safe for digits and text: small shifts, turns and zooms, no mirroring.
    "light": ["affine:10,0.1,0.9,1.1,0"],
    # The tutorials' train_transform: RandomResizedCrop, horizontal flip, rotation, colour jitter.
    "standard": ["random_resized_crop:0.6", "hflip", "rotation:10", "color_jitter:0.2,0.2,0.2"],
}


@dataclass(frozen=True)
class TransformSpec:
    name: str
    args: tuple[float, ...]


def parse_transforms(specs: list[str]) -> list[TransformSpec]:
    out = []
    for text in specs:
        name, _, raw = text.partition(":")
        name = name.strip()
        if name not in TRANSFORMS:
            raise ConfigError(
                messages.ERR_TRANSFORM_UNKNOWN.format(name=name, names=", ".join(TRANSFORMS)), field=FIELD
            )
        defaults = TRANSFORMS[name]
        try:
            given = tuple(float(a) for a in raw.split(",")) if raw.strip() else ()
        except ValueError:
            example = f"{name}:{','.join(f'{d:g}' for d in defaults)}"
            raise ConfigError(
                messages.ERR_TRANSFORM_NOT_NUMBER.format(text=text, example=example), field=FIELD
            ) from None
        if len(given) > len(defaults):
            raise ConfigError(
                messages.ERR_TRANSFORM_TOO_MANY.format(name=name, count=len(defaults), text=text), field=FIELD
            )
        args = given + defaults[len(given) :]
        if name == "center_crop" and args[0] < 1:
            raise ConfigError(messages.ERR_CENTER_CROP_SIZE, field=FIELD)
        if name == "random_crop" and (args[0] < 0 or args[0] != int(args[0])):
            raise ConfigError(messages.ERR_RANDOM_CROP_PADDING.format(value=args[0]), field=FIELD)
        if name in ("hflip", "vflip") and not 0 <= args[0] <= 1:
            raise ConfigError(messages.ERR_FLIP_PROBABILITY.format(name=name, value=args[0]), field=FIELD)
        out.append(TransformSpec(name, args))
    return out


def preset_specs(augment: str, custom: list[str]) -> list[TransformSpec]:
    return parse_transforms(custom if augment == "custom" else PRESETS[augment])
