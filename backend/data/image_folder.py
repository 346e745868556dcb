"""Folders of images, one sub-folder per class (or train/ and val/ folders of those).

Decoded once into uint8 arrays kept in the disk cache (backend.data.decoded_cache: memory-mapped,
the next run of the same files starts from them), or in memory, or streamed through a DataLoader
(data.cache; backend.data.cache decides). Unreadable or corrupt files, and files above the pixel
limit (decompression bombs), are skipped and counted in a warning, never a crash; when streaming,
they are found while training (nothing opens every file beforehand). The size every image is decoded at comes from the folder
as a whole (backend.data.image_io).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from backend.core import messages
from backend.core.cache_files import cache_folder
from backend.core.config import DataConfig
from backend.core.errors import DataError
from backend.data.bundle import DataBundle, ImageStream, image_normalization, split_indices
from backend.data.cache import decide_cache
from backend.data.decoded_cache import (
    Files,
    MappedImages,
    channels_of,
    decode_rows,
    disk_room,
    load_or_decode,
)
from backend.data.image_io import ImageSurvey, decode_into, survey_images

STREAM_STATS_IMAGES = 2000  # streamed images the normalisation statistics are computed on
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".ppm", ".pgm"}


@dataclass
class FolderScan:
    classes: list[str]
    train: Files
    val: Files | None  # None: split train by data.val_split


def _class_files(root: Path) -> tuple[list[str], Files]:
    classes = sorted(d.name for d in root.iterdir() if d.is_dir() and not d.name.startswith("."))
    if not classes:
        raise DataError(messages.ERR_NO_CLASS_FOLDERS.format(root=root))
    files: Files = []
    for label, name in enumerate(classes):
        # os.walk lists a folder once with the file types the OS already gives: a stat per file (rglob's
        # is_file) costs more than the listing itself on a large folder. The paths stay strings: a Path
        # per file costs as much as the listing again.
        found = sorted(
            os.path.join(folder, file)
            for folder, _dirs, names in os.walk(root / name)
            for file in names
            if os.path.splitext(file)[1].lower() in IMAGE_EXTENSIONS
        )
        if not found:
            raise DataError(
                messages.ERR_CLASS_FOLDER_EMPTY.format(
                    folder=root / name, extensions=", ".join(sorted(IMAGE_EXTENSIONS))
                )
            )
        files += [(p, label) for p in found]
    return classes, files


def has_split_folders(path: Path) -> bool:
    """True when the folder holds train/ and val/ sub-folders: they are the split (data.val_split is unused)."""
    return (path / "train").is_dir() and (path / "val").is_dir()


def scan_folder(root: str) -> FolderScan:
    if not root:
        raise DataError(messages.ERR_IMAGE_ROOT_EMPTY)
    path = Path(root).expanduser()
    if not path.is_dir():
        raise DataError(messages.ERR_IMAGE_FOLDER_MISSING.format(path=path))
    if has_split_folders(path):
        classes, train = _class_files(path / "train")
        val_classes, val = _class_files(path / "val")
        if val_classes != classes:
            raise DataError(messages.ERR_TRAIN_VAL_CLASSES.format(path=path, train=classes, val=val_classes))
        return FolderScan(classes, train, val)
    classes, files = _class_files(path)
    return FolderScan(classes, files, None)


def probe_images(files: Files) -> ImageSurvey:
    """Sizes and colour modes from the headers of many of ``files`` (the decoding size and mode)."""
    return survey_images([path for path, _ in files], Path(files[0][0]).parent.parent)


def _decode_all(files: Files, size: tuple[int, int], mode: str) -> tuple[torch.Tensor, torch.Tensor, int]:
    """``files`` decoded into one uint8 (N, C, H, W) tensor in memory, their labels, and how many were skipped."""
    # Decoded straight into one tensor: a list of images stacked afterwards would need twice the memory.
    x = torch.empty((len(files), channels_of(mode), *size), dtype=torch.uint8)
    labels: list[int] = []
    done = 0
    for rows, ok in decode_rows([path for path, _ in files], size, mode):
        x[len(labels) : len(labels) + len(rows)] = torch.from_numpy(rows)
        labels += [label for (_, label), good in zip(files[done : done + len(ok)], ok, strict=True) if good]
        done += len(ok)
    if not labels:
        raise DataError(messages.ERR_IMAGES_UNDECODABLE)
    return x[: len(labels)], torch.tensor(labels, dtype=torch.int64), len(files) - len(labels)


class ImageFileDataset(torch.utils.data.Dataset):
    """Decodes one file per item (the streaming path): (image, usable). Nothing is checked beforehand; a
    file that cannot be decoded gives a blank image and False, and the batch pipeline skips and counts it."""

    def __init__(self, files: Files, size: tuple[int, int], mode: str) -> None:
        self.files, self.size, self.mode = files, size, mode

    def __len__(self) -> int:
        return len(self.files)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, bool]:
        image = np.zeros((channels_of(self.mode), *self.size), dtype=np.uint8)
        ok = decode_into(self.files[index][0], image, self.mode)
        return torch.from_numpy(image), ok


def _stream_sample(dataset: ImageFileDataset, count: int) -> torch.Tensor:
    """Up to ``count`` evenly spaced images (folders list their files class by class): the statistics' sample."""
    step = max(1, -(-len(dataset) // count))
    images = [dataset[i] for i in range(0, len(dataset), step)]
    return torch.stack([image for image, ok in images if ok] or [images[0][0]])


def split_files(scan: FolderScan, cfg: DataConfig, seed: int) -> tuple[Files, Files]:
    """The scan's train/ and val/ files, or its one folder split stratified by data.val_split."""
    if scan.val is not None:
        return scan.train, scan.val
    labels = np.array([label for _, label in scan.train])
    tr, va = split_indices(labels, cfg.val_split, seed, stratify=True)
    return [scan.train[i] for i in tr], [scan.train[i] for i in va]


def _mapped_images(
    cfg: DataConfig, train: Files, val: Files, size: tuple[int, int], mode: str
) -> tuple[MappedImages | None, str]:
    """The disk cache entry of these files (decoded now when there is none yet), and a note on it; None
    and the reason when the cache folder cannot be written (the caller falls back to memory)."""
    folder = cache_folder(cfg.cache_dir)
    try:
        mapped = load_or_decode(folder, Path(cfg.root).expanduser(), train, val, size, mode)
    except OSError as exc:
        return None, messages.CACHE_DISK_FAILED.format(folder=folder, error=exc)
    template = messages.CACHE_DISK_NEW if mapped.created else messages.CACHE_DISK_HIT
    return mapped, template.format(path=mapped.path)


def load_image_folder(cfg: DataConfig, seed: int, device: torch.device | None = None) -> DataBundle:
    scan = scan_folder(cfg.root)
    train_files, val_files = split_files(scan, cfg, seed)
    survey = probe_images(train_files + val_files)
    size, mode = survey.size(cfg.image_size), survey.mode
    channels = channels_of(mode)
    nbytes = (len(train_files) + len(val_files)) * channels * size[0] * size[1]
    room = disk_room(cache_folder(cfg.cache_dir)) if cfg.cache == "auto" else None
    decision = decide_cache(cfg.cache, nbytes, device, room)
    warnings: list[str] = []
    notes = [messages.IMAGE_DATA_NOTE.format(reason=decision.reason)]
    name = Path(cfg.root).expanduser().name
    mapped, stream, normalization = None, None, None
    if decision.disk:
        mapped, note = _mapped_images(cfg, train_files, val_files, size, mode)
        (notes if mapped is not None else warnings).append(note)
        if mapped is None:
            decision = decide_cache("auto", nbytes, device)
    if mapped is not None:
        x_tr, x_va = torch.from_numpy(mapped.x_train), torch.from_numpy(mapped.x_val)
        y_tr, y_va = torch.from_numpy(mapped.y_train), torch.from_numpy(mapped.y_val)
        skipped = mapped.skipped
        if cfg.normalize == "dataset":  # computed when the entry was written: no pass over the set
            normalization = {"scale": 1 / 255, "mean": mapped.mean, "std": mapped.std, "source": "dataset"}
    elif decision.in_memory:
        x_tr, y_tr, bad_tr = _decode_all(train_files, size, mode)
        x_va, y_va, bad_va = _decode_all(val_files, size, mode)
        skipped = bad_tr + bad_va
    else:  # streamed: bad files are found, skipped and counted while training
        skipped = 0
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
    if normalization is None:
        sample = x_tr if x_tr is not None else _stream_sample(stream.train, STREAM_STATS_IMAGES)
        normalization = image_normalization(sample, cfg.normalize)
    return DataBundle(
        name=name,
        x_train=x_tr,
        y_train=y_tr,
        x_val=x_va,
        y_val=y_va,
        task="classification",
        class_names=scan.classes,
        normalization=normalization,
        warnings=warnings,
        notes=notes,
        stream=stream,
        mapped=mapped,
        resident=decision.in_memory,
    )
