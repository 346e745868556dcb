"""Folders of images, one sub-folder per class (or train/ and val/ folders of those).

Decoded once into uint8 tensors when they fit in memory, otherwise streamed through a DataLoader.
Unreadable or corrupt files, and files above the pixel limit (decompression bombs), are skipped
and counted in a warning, never a crash. The size every image is decoded at comes from the folder
as a whole (backend.data.image_io).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from backend.core import messages
from backend.core.config import DataConfig
from backend.core.errors import DataError
from backend.data.bundle import DataBundle, ImageStream, image_normalization, split_indices
from backend.data.cache import decide_cache
from backend.data.image_io import ImageSurvey, check_image, decode_image, survey_images, thread_map

IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".ppm", ".pgm"}


@dataclass
class FolderScan:
    classes: list[str]
    train: list[tuple[Path, int]]
    val: list[tuple[Path, int]] | None  # None: split train by data.val_split


def _class_files(root: Path) -> tuple[list[str], list[tuple[Path, int]]]:
    classes = sorted(d.name for d in root.iterdir() if d.is_dir() and not d.name.startswith("."))
    if not classes:
        raise DataError(messages.ERR_NO_CLASS_FOLDERS.format(root=root))
    files: list[tuple[Path, int]] = []
    for label, name in enumerate(classes):
        found = sorted(p for p in (root / name).rglob("*") if p.suffix.lower() in IMAGE_EXTENSIONS and p.is_file())
        if not found:
            raise DataError(
                messages.ERR_CLASS_FOLDER_EMPTY.format(
                    folder=root / name, extensions=", ".join(sorted(IMAGE_EXTENSIONS))
                )
            )
        files += [(p, label) for p in found]
    return classes, files


def scan_folder(root: str) -> FolderScan:
    if not root:
        raise DataError(messages.ERR_IMAGE_ROOT_EMPTY)
    path = Path(root).expanduser()
    if not path.is_dir():
        raise DataError(messages.ERR_IMAGE_FOLDER_MISSING.format(path=path))
    if (path / "train").is_dir() and (path / "val").is_dir():
        classes, train = _class_files(path / "train")
        val_classes, val = _class_files(path / "val")
        if val_classes != classes:
            raise DataError(messages.ERR_TRAIN_VAL_CLASSES.format(path=path, train=classes, val=val_classes))
        return FolderScan(classes, train, val)
    classes, files = _class_files(path)
    return FolderScan(classes, files, None)


def probe_images(files: list[tuple[Path, int]]) -> ImageSurvey:
    """Sizes and colour modes from the headers of many of ``files`` (the decoding size and mode)."""
    return survey_images([path for path, _ in files], files[0][0].parent.parent)


def _decode_all(
    files: list[tuple[Path, int]], size: tuple[int, int], mode: str
) -> tuple[torch.Tensor, torch.Tensor, int]:
    channels = 1 if mode == "L" else 3
    # Decoded straight into one tensor: a list of images stacked afterwards would need twice the memory.
    x = torch.empty((len(files), channels, *size), dtype=torch.uint8)

    def decode_into(index: int) -> bool:
        image = decode_image(files[index][0], size, mode)
        if image is not None:
            x[index] = image
        return image is not None

    keep = [i for i, ok in enumerate(thread_map(decode_into, range(len(files)))) if ok]
    if not keep:
        raise DataError(messages.ERR_IMAGES_UNDECODABLE)
    for row, index in enumerate(keep):  # move the good images to the front, in place
        if row != index:
            x[row] = x[index]
    y = torch.tensor([files[i][1] for i in keep], dtype=torch.int64)
    return x[: len(keep)], y, len(files) - len(keep)


class ImageFileDataset(torch.utils.data.Dataset):
    """Decodes one file per item (the streaming path); a file that broke since the scan gives a blank image."""

    def __init__(self, files: list[tuple[Path, int]], size: tuple[int, int], mode: str) -> None:
        self.files, self.size, self.mode = files, size, mode
        self.channels = 1 if mode == "L" else 3

    def __len__(self) -> int:
        return len(self.files)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        path, label = self.files[index]
        image = decode_image(path, self.size, self.mode)
        if image is None:
            image = torch.zeros(self.channels, *self.size, dtype=torch.uint8)
        return image, label


def _verify(files: list[tuple[Path, int]]) -> tuple[list[tuple[Path, int]], int]:
    good = [f for f, fine in zip(files, thread_map(check_image, [p for p, _ in files]), strict=True) if fine]
    return good, len(files) - len(good)


def split_files(scan: FolderScan, cfg: DataConfig, seed: int) -> tuple[list[tuple[Path, int]], list[tuple[Path, int]]]:
    """The scan's train/ and val/ files, or its one folder split stratified by data.val_split."""
    if scan.val is not None:
        return scan.train, scan.val
    labels = np.array([label for _, label in scan.train])
    tr, va = split_indices(labels, cfg.val_split, seed, stratify=True)
    return [scan.train[i] for i in tr], [scan.train[i] for i in va]


def load_image_folder(cfg: DataConfig, seed: int, device: torch.device | None = None) -> DataBundle:
    scan = scan_folder(cfg.root)
    train_files, val_files = split_files(scan, cfg, seed)
    survey = probe_images(train_files + val_files)
    size, mode = survey.size(cfg.image_size), survey.mode
    channels = 1 if mode == "L" else 3
    nbytes = (len(train_files) + len(val_files)) * channels * size[0] * size[1]
    decision = decide_cache(cfg.cache, nbytes, device)
    warnings: list[str] = []
    name = Path(cfg.root).expanduser().name
    if decision.in_memory:
        x_tr, y_tr, bad_tr = _decode_all(train_files, size, mode)
        x_va, y_va, bad_va = _decode_all(val_files, size, mode)
        skipped = bad_tr + bad_va
        stream = None
    else:
        train_files, bad_tr = _verify(train_files)
        val_files, bad_va = _verify(val_files)
        skipped = bad_tr + bad_va
        x_tr = x_va = None
        y_tr = torch.tensor([label for _, label in train_files], dtype=torch.int64)
        y_va = torch.tensor([label for _, label in val_files], dtype=torch.int64)
        stream = ImageStream(
            ImageFileDataset(train_files, size, mode), ImageFileDataset(val_files, size, mode), (channels, *size)
        )
    if skipped:
        warnings.append(messages.IMAGES_SKIPPED.format(count=skipped, root=cfg.root))
    if len(y_tr) < 2 or len(y_va) < 1:
        raise DataError(messages.ERR_TOO_FEW_IMAGES.format(root=cfg.root))
    sample = x_tr if x_tr is not None else torch.stack([stream.train[i][0] for i in range(min(len(y_tr), 2000))])
    return DataBundle(
        name=name,
        x_train=x_tr,
        y_train=y_tr,
        x_val=x_va,
        y_val=y_va,
        task="classification",
        class_names=scan.classes,
        normalization=image_normalization(sample, cfg.normalize),
        warnings=warnings,
        notes=[messages.IMAGE_DATA_NOTE.format(reason=decision.reason)],
        stream=stream,
    )
