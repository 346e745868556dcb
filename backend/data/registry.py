"""The data sources the GUI and CLI offer: for each, a description, the dataset names it knows
(when it has a fixed list) and the [data] options that apply to it (the others are hidden)."""

from __future__ import annotations

from dataclasses import dataclass

from backend.core.schema import source_options
from backend.core.transform_specs import PRESETS, TRANSFORMS
from backend.data.builtin import BUILTIN_DATASETS
from backend.data.torchvision_sets import TORCHVISION_SETS


@dataclass(frozen=True)
class SourceSpec:
    name: str
    description: str
    names: dict[str, str]  # dataset name -> description; empty when the user picks a path
    root_kind: str  # "", "folder" or "file"
    options: tuple[str, ...]  # from the schema's "applies when" (backend/core/schema.py)


DATA_SOURCES: dict[str, SourceSpec] = {
    s.name: s
    for s in (
        SourceSpec(
            "builtin",
            "Small datasets that ship with the app (scikit-learn's and a generated image set)",
            {n: d.description for n, d in BUILTIN_DATASETS.items()},
            "",
            source_options("builtin"),
        ),
        SourceSpec(
            "torchvision",
            "MNIST, FashionMNIST, KMNIST, CIFAR10 or CIFAR100 from a folder in torchvision's layout",
            {n: d.description for n, d in TORCHVISION_SETS.items()},
            "folder",
            source_options("torchvision"),
        ),
        SourceSpec(
            "image_folder",
            "Your images: one sub-folder per class, or train/ and val/ folders of those",
            {},
            "folder",
            source_options("image_folder"),
        ),
        SourceSpec(
            "csv",
            "A table with a header row: pick the target column; numbers and categories are encoded",
            {},
            "file",
            source_options("csv"),
        ),
    )
}

AUGMENT_DESCRIPTIONS = {
    "none": "No augmentation",
    "light": "Small shifts, rotations and zooms (" + ", ".join(PRESETS["light"]) + "); safe for digits and text",
    "standard": "The tutorials' train_transform: " + ", ".join(PRESETS["standard"]),
    "custom": "Your own list in data.transforms; available: " + ", ".join(TRANSFORMS),
}
