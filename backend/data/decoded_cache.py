"""Image folders decoded once at training resolution, and kept decoded on disk for the next run.

Decoding (``decode_rows``) goes chunk by chunk in file order. The first chunk is decoded in this
process and timed; only when the rest would take longer than POOL_MIN_SECONDS does a pool of
processes (one per usable core; they start without torch, in a fraction of a second) take over.
So small images on 2 cores are decoded serially and large sets of large images in parallel, as
measured on the folder itself. A thread pool is never used: over small images on 2 cores it is 3x slower
than none.

The disk cache: one entry per folder split and resolution, under the user's cache folder
(``data.cache_dir``; empty = backend.core.paths.user_cache_dir(); backend/core/cache_files.py). Its key covers every file's path,
size, modification time and label, the resolution and the colour mode: changing, adding, removing or
touching a file gives a new entry, and the folder's older entries are removed once the new one is
complete. An entry is written into a ``.partial-`` folder and renamed into place when complete, so an
interrupted write leaves nothing that is ever read. Later runs memory-map the entry (no decoding,
no copy): a set larger than RAM trains from the page cache, and ``MappedImages.release_pages``
gives the pages back to the OS.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import multiprocessing
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np

from backend.core import messages
from backend.core.errors import DataError
from backend.core.paths import is_frozen
from backend.data.image_io import decode_into

CACHE_VERSION = 1
PARTIAL = ".partial-"
STALE_PARTIAL_S = 6 * 3600  # a .partial- folder this old is a write that was interrupted
CHUNK_BYTES = 16 * 2**20  # decoded bytes per chunk
POOL_MIN_SECONDS = 3.0  # serial decoding time left above which a process pool pays for its start
LARGE_IMAGE = 96 * 96  # pixels from which 2 cores decode in parallel
POOL_MAX_WORKERS = 8
STATS_SAMPLE_BYTES = 64 * 2**20  # images the dataset's mean/std are computed on
DISK_FRACTION = 0.5  # an entry may take at most this share of the free disk space

Files = list[tuple[Path, int]]
Size = tuple[int, int]


def channels_of(mode: str) -> int:
    return 1 if mode == "L" else 3


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def pool_workers(seconds_left: float, pixels: int) -> int:
    """Processes to decode with, given the estimated serial time left and the pixels of an image
    (1: in this process)."""
    cores = usable_cores()
    # Worker processes re-launch the frozen app's executable: never in the bundle. On 2 cores,
    # small images stay serial: this process's own work (and anything else running) takes a core.
    if is_frozen() or cores < 2 or seconds_left < POOL_MIN_SECONDS or (cores == 2 and pixels < LARGE_IMAGE):
        return 1
    return min(cores, POOL_MAX_WORKERS)


def _decode_chunk(paths: list[Path], size: Size, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """The decoded rows of the files that could be used (k, C, H, W), and which of ``paths`` those were."""
    out = np.empty((len(paths), channels_of(mode), *size), dtype=np.uint8)
    ok = np.fromiter((decode_into(path, out[i], mode) for i, path in enumerate(paths)), dtype=bool, count=len(paths))
    return (out if ok.all() else out[ok]), ok


def decode_rows(paths: list[Path], size: Size, mode: str) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(good rows, ok mask) chunk by chunk, in the order of ``paths``; unusable files are left out."""
    step = max(1, CHUNK_BYTES // (channels_of(mode) * size[0] * size[1]))
    chunks = [paths[i : i + step] for i in range(0, len(paths), step)]
    if not chunks:
        return
    started = time.perf_counter()
    yield _decode_chunk(chunks[0], size, mode)
    rest = chunks[1:]
    per_file = (time.perf_counter() - started) / len(chunks[0])
    workers = pool_workers(per_file * (len(paths) - len(chunks[0])), size[0] * size[1])
    if workers == 1:
        for chunk in rest:
            yield _decode_chunk(chunk, size, mode)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield from pool.map(_decode_chunk, rest, repeat(size), repeat(mode))


# ----------------------------------------------------------------------------- the disk cache
def disk_room(folder: Path) -> int | None:
    """Bytes an entry may take under ``folder`` (created if needed); None when it cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK):
            return None
        return int(shutil.disk_usage(folder).free * DISK_FRACTION)
    except OSError:
        return None


def _folder_id(root: Path) -> str:
    return hashlib.sha256(str(root.expanduser().resolve()).encode()).hexdigest()[:12]


def entry_key(train: Files, val: Files, size: Size, mode: str) -> str:
    """What the decoded set depends on: the files (path, size, mtime, label), the resolution, the mode."""
    digest = hashlib.sha256(json.dumps([CACHE_VERSION, list(size), mode]).encode())
    for split, files in (("train", train), ("val", val)):
        digest.update(split.encode())
        for path, label in files:
            stat = path.stat()
            digest.update(f"{path}\0{label}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:24]


@dataclass
class MappedImages:
    """A cache entry as the trainer uses it: uint8 (N, C, H, W) arrays mapped from disk, labels in memory."""

    path: Path
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    skipped: int
    mean: list[float]
    std: list[float]
    created: bool  # decoded by this run (False: an earlier run's entry)
    _maps: list[mmap.mmap] = field(default_factory=list, repr=False)

    @property
    def nbytes(self) -> int:
        return self.x_train.nbytes + self.x_val.nbytes

    def release_pages(self) -> None:
        """Let the OS take back the pages read so far (they stay in its page cache, cheap to map again):
        keeps the resident memory of a set larger than RAM bounded."""
        if hasattr(mmap, "MADV_DONTNEED"):
            for mapped in self._maps:
                mapped.madvise(mmap.MADV_DONTNEED)


def _map(path: Path, count: int, shape: tuple[int, ...], maps: list[mmap.mmap]) -> np.ndarray:
    if count == 0:
        return np.empty((0, *shape), dtype=np.uint8)
    with open(path, "rb") as fh:
        # Copy-on-write: writable for torch.from_numpy, and nothing ever reaches the file.
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_COPY)
    maps.append(mapped)
    return np.frombuffer(mapped, dtype=np.uint8).reshape(count, *shape)


def _open_entry(entry: Path, shape: tuple[int, ...], created: bool) -> MappedImages | None:
    """The entry at ``entry``, or None when it is missing or not whole (nothing in it is trusted then)."""
    try:
        meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
        counts = {split: int(meta[split]) for split in ("train", "val")}
        row = int(np.prod(shape))
        for split, count in counts.items():
            if meta["version"] != CACHE_VERSION or (entry / f"{split}.u8").stat().st_size != count * row:
                return None
        maps: list[mmap.mmap] = []
        return MappedImages(
            path=entry,
            x_train=_map(entry / "train.u8", counts["train"], shape, maps),
            y_train=np.load(entry / "train_y.npy"),
            x_val=_map(entry / "val.u8", counts["val"], shape, maps),
            y_val=np.load(entry / "val_y.npy"),
            skipped=int(meta["skipped"]),
            mean=[float(v) for v in meta["mean"]],
            std=[float(v) for v in meta["std"]],
            created=created,
            _maps=maps,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_split(folder: Path, split: str, files: Files, size: Size, mode: str) -> tuple[int, int]:
    """Decode ``files`` into folder/<split>.u8 and their labels into <split>_y.npy: (kept, skipped)."""
    labels: list[int] = []
    done = 0
    with open(folder / f"{split}.u8", "wb") as fh:
        for rows, ok in decode_rows([path for path, _ in files], size, mode):
            fh.write(memoryview(rows).cast("B"))
            labels += [label for (_, label), good in zip(files[done : done + len(ok)], ok, strict=True) if good]
            done += len(ok)
        fh.flush()
        os.fsync(fh.fileno())
    if files and not labels:
        raise DataError(messages.ERR_IMAGES_UNDECODABLE)
    np.save(folder / f"{split}_y.npy", np.asarray(labels, dtype=np.int64))
    return len(labels), len(files) - len(labels)


def _dataset_stats(path: Path, count: int, shape: tuple[int, ...]) -> tuple[list[float], list[float]]:
    """Per-channel mean and std of the training images in ``path``: of all of them, or of evenly spaced
    ones up to STATS_SAMPLE_BYTES for a large set."""
    import torch

    from backend.data.bundle import image_normalization

    x = np.memmap(path, dtype=np.uint8, mode="r", shape=(count, *shape))
    step = max(1, -(-x.nbytes // STATS_SAMPLE_BYTES))
    sample = np.array(x[::step])  # a copy: the file is closed (and renamed) right after
    del x
    norm = image_normalization(torch.from_numpy(sample), "dataset")
    return norm["mean"], norm["std"]


def _remove_old(folder: Path, prefix: str, keep: Path) -> None:
    """Older entries of the same image folder, and writes interrupted long ago."""
    now = time.time()
    for entry in folder.glob(f"{prefix}-*"):
        if entry == keep:
            continue
        partial = PARTIAL in entry.name
        try:
            stale = not partial or now - entry.stat().st_mtime > STALE_PARTIAL_S
        except OSError:
            continue
        if stale:
            shutil.rmtree(entry, ignore_errors=True)


def load_or_decode(folder: Path, root: Path, train: Files, val: Files, size: Size, mode: str) -> MappedImages:
    """The entry of these files at this resolution: mapped when an earlier run wrote it, else decoded
    now and written (atomically) for the next run. OSError when the cache folder cannot be written."""
    prefix = _folder_id(root)
    entry = folder / f"{prefix}-{entry_key(train, val, size, mode)}"
    shape = (channels_of(mode), *size)
    found = _open_entry(entry, shape, created=False)
    if found is not None:
        return found
    shutil.rmtree(entry, ignore_errors=True)  # one that is not whole (a crash or a disk error damaged it)
    partial = folder / f"{entry.name}{PARTIAL}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    partial.mkdir(parents=True)
    try:
        kept, bad_train = _write_split(partial, "train", train, size, mode)
        kept_val, bad_val = _write_split(partial, "val", val, size, mode)
        mean, std = _dataset_stats(partial / "train.u8", kept, shape)
        meta: dict[str, Any] = {
            "version": CACHE_VERSION,
            "root": str(root),
            "size": list(size),
            "mode": mode,
            "train": kept,
            "val": kept_val,
            "skipped": bad_train + bad_val,
            "mean": mean,
            "std": std,
        }
        # meta.json is written last: an entry without it is never read.
        (partial / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        try:
            partial.rename(entry)
        except OSError:  # another run wrote the same entry meanwhile: use theirs
            shutil.rmtree(partial, ignore_errors=True)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    _remove_old(folder, prefix, keep=entry)
    opened = _open_entry(entry, shape, created=True)
    if opened is None:  # removed or damaged between the write and now
        raise OSError(f"the decoded cache entry {entry} could not be read back")
    return opened
