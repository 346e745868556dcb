"""Image folders decoded once at training resolution, and kept decoded on disk for the next run.

Decoding (``decode_rows``) goes chunk by chunk in file order. The first PROBE_FILES files are decoded
in this process and timed; when the rest would take longer than a pool takes to start, a pool of
processes, one per usable core, decodes the rest in chunks of about a quarter of a worker's share and
sends back uint8 rows. On Linux the pool forks (a few ms: even 8,000 small PNGs on 2 cores go
about 1.7x faster than serially); where processes are spawned (macOS, Windows) a new interpreter
costs about a second, so only sets that would take seconds are decoded in parallel. A thread pool
is never used: over small images on 2 cores it is 3x slower than none.

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
import sys
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
CHUNK_BYTES = 16 * 2**20  # decoded bytes per chunk at most
PROBE_FILES = 64  # files decoded and timed in this process before choosing serial or a pool
# Serial decoding time left above which a pool pays for its start: forked / spawned workers.
POOL_MIN_SECONDS = {"fork": 0.15, "spawn": 3.0}
CHUNKS_PER_WORKER = 4  # a pool's chunks per worker (a slow chunk then holds back little)
POOL_MAX_WORKERS = 8
STATS_SAMPLE_BYTES = 64 * 2**20  # images the dataset's mean/std are computed on
DISK_FRACTION = 0.5  # an entry may take at most this share of the free disk space

Files = list[tuple[str, int]]  # (image file path, class label): strings, as a folder is listed
Size = tuple[int, int]


def channels_of(mode: str) -> int:
    return 1 if mode == "L" else 3


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def start_method() -> str:
    """How pool workers start: forked on Linux (torch's own DataLoader workers do the same; the
    children only run PIL and numpy), spawned elsewhere (fork is unsafe on macOS, absent on Windows)."""
    return "fork" if sys.platform.startswith("linux") else "spawn"


def pool_workers(seconds_left: float) -> int:
    """Processes to decode with, given the estimated serial time left (1: in this process)."""
    cores = usable_cores()
    method = start_method()
    # Spawned workers re-launch the frozen app's executable: never in the bundle.
    if cores < 2 or seconds_left < POOL_MIN_SECONDS[method] or (is_frozen() and method == "spawn"):
        return 1
    return min(cores, POOL_MAX_WORKERS)


def _decode_chunk(paths: list[str], size: Size, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """The decoded rows of the files that could be used (k, C, H, W), and which of ``paths`` those were."""
    out = np.empty((len(paths), channels_of(mode), *size), dtype=np.uint8)
    ok = np.fromiter((decode_into(path, out[i], mode) for i, path in enumerate(paths)), dtype=bool, count=len(paths))
    return (out if ok.all() else out[ok]), ok


def _chunks(paths: list[str], rows: int) -> list[list[str]]:
    return [paths[i : i + rows] for i in range(0, len(paths), rows)]


def decode_rows(paths: list[Path], size: Size, mode: str) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(good rows, ok mask) chunk by chunk, in the order of ``paths``; unusable files are left out."""
    names = [os.fspath(path) for path in paths]
    if not names:
        return
    max_rows = max(1, CHUNK_BYTES // (channels_of(mode) * size[0] * size[1]))
    started = time.perf_counter()
    probe = _decode_chunk(names[:PROBE_FILES], size, mode)
    per_file = (time.perf_counter() - started) / min(len(names), PROBE_FILES)
    yield probe
    rest = names[PROBE_FILES:]
    workers = pool_workers(per_file * len(rest))
    if workers == 1:
        for chunk in _chunks(rest, max_rows):
            yield _decode_chunk(chunk, size, mode)
        return
    rows = max(1, min(max_rows, -(-len(rest) // (workers * CHUNKS_PER_WORKER))))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(start_method())) as pool:
        yield from pool.map(_decode_chunk, _chunks(rest, rows), repeat(size), repeat(mode))


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
        lines = []
        for path, label in files:
            stat = os.stat(path)
            lines.append(f"{path}\0{label}\0{stat.st_size}\0{stat.st_mtime_ns}\n")
        digest.update("".join(lines).encode())
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


def _write_splits(folder: Path, splits: dict[str, Files], size: Size, mode: str) -> dict[str, int]:
    """Decode every split's files (one pass, one pool) into folder/<split>.u8 and their labels into
    <split>_y.npy; how many files of each split were kept."""
    files = [item for split in splits.values() for item in split]
    ends = np.cumsum([len(split) for split in splits.values()])
    ok_all = np.zeros(len(files), dtype=bool)
    handles = [open(folder / f"{name}.u8", "wb") for name in splits]  # noqa: SIM115 - closed below
    try:
        done = 0
        for rows, ok in decode_rows([path for path, _ in files], size, mode):
            ok_all[done : done + len(ok)] = ok
            # The split of each kept row (rows are in file order), then each split's run of rows.
            owner = np.searchsorted(ends, np.flatnonzero(ok) + done, side="right")
            cuts = np.searchsorted(owner, np.arange(len(handles) + 1))
            for handle, first, last in zip(handles, cuts[:-1], cuts[1:], strict=True):
                if last > first:
                    handle.write(memoryview(rows[first:last]).cast("B"))
            done += len(ok)
        for handle in handles:
            handle.flush()
            os.fsync(handle.fileno())
    finally:
        for handle in handles:
            handle.close()
    labels = np.fromiter((label for _, label in files), dtype=np.int64, count=len(files))
    kept: dict[str, int] = {}
    for name, first, last in zip(splits, np.concatenate([[0], ends[:-1]]), ends, strict=True):
        if last > first and not ok_all[first:last].any():
            raise DataError(messages.ERR_IMAGES_UNDECODABLE)
        np.save(folder / f"{name}_y.npy", labels[first:last][ok_all[first:last]])
        kept[name] = int(ok_all[first:last].sum())
    return kept


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
        kept = _write_splits(partial, {"train": train, "val": val}, size, mode)
        mean, std = _dataset_stats(partial / "train.u8", kept["train"], shape)
        meta: dict[str, Any] = {
            "version": CACHE_VERSION,
            "root": str(root),
            "size": list(size),
            "mode": mode,
            "train": kept["train"],
            "val": kept["val"],
            "skipped": len(train) + len(val) - kept["train"] - kept["val"],
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
