"""Image folders at scale: 10k, 50k and 200k generated PNGs at 32x32 and 128x128 (RGB, 10 classes).

Per configuration, each side in a fresh process of its own (so that its peak RSS is its own):
- TorchDesk: the first load (empty decoded cache: scan, decode, write), the cached load (a second
  run's data time), its peak RSS, and its training throughput from the cache (fit(), batch 128, the
  tutorials' simple_cnn, CPU, fp32);
- seeds: ImageFolder + ToTensor + Normalize + DataLoader(shuffle=True, batch 128) + train_epoch on
  the same files, with the CNN as the tutorials write it (seeds_cnn.py), its throughput and peak RSS.
Throughput is measured over MEASURE_STEPS steps after WARMUP_STEPS (a whole epoch of 200k images
at 128x128 takes hours on a CPU); the data path's share of a step does not change over an epoch.

Checks: first-load cost per image grows at most LINEAR_SLACK x from the smallest to the largest
count of a resolution (linear cost; fixed costs make it fall), TorchDesk's peak RSS stays within its memory budget (the
process's RSS after imports plus MEMORY_FRACTION of the free RAM, backend/data/cache.py), and
TorchDesk's throughput beats the seeds' pipeline in every configuration.

Disk (PNGs + decoded cache) and time (generation included), roughly, on an idle 2-core machine:
10k: 0.07 GB (32) / 0.9 GB (128), a minute or two; 50k: 0.35 / 4.5 GB, about 8 minutes; 200k: 1.4 /
17 GB, about 20 minutes (all six: 32 minutes). A configuration that does not fit the free disk is skipped, and said so. Not in ``make bench``: run ``make bench-scale`` (all sizes) or
``.venv/bin/python tests/benchmarks/bench_data_scale.py --sizes 10k,50k --resolutions 32``.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

SIZES = {"10k": 10_000, "50k": 50_000, "200k": 200_000}
RESOLUTIONS = (32, 128)
CLASSES = 10
BATCH = 128
WARMUP_STEPS, MEASURE_STEPS = 5, 40
LINEAR_SLACK = 1.5


GENERATE_CHUNK = 2_000


def _generate_chunk(root: Path, count: int, side: int, first: int) -> None:
    from PIL import Image

    rng = np.random.default_rng((count, side, first))
    for i in range(first, min(first + GENERATE_CHUNK, count)):
        small = rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)
        image = Image.fromarray(small, mode="RGB").resize((side, side), Image.BILINEAR)
        image.save(root / f"class{i % CLASSES}" / f"{i:06d}.png", compress_level=1)


def generate(root: Path, count: int, side: int) -> None:
    """``count`` PNGs: a random 8x8 colour pattern per image, enlarged (PNG-compressible, all different).
    Written by a process per core (the benchmark's own set-up, not a measured figure)."""
    from concurrent.futures import ProcessPoolExecutor

    for label in range(CLASSES):
        (root / f"class{label}").mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor() as pool:
        chunks = range(0, count, GENERATE_CHUNK)
        list(pool.map(_generate_chunk, [root] * len(chunks), [count] * len(chunks), [side] * len(chunks), chunks))


def disk_needed(count: int, side: int) -> int:
    """Bytes a configuration takes at most: its PNGs (no larger than the raw pixels, plus a file-system
    block each) and the decoded cache, with a tenth to spare."""
    raw = 3 * side * side
    return int(count * (raw + 4096 + raw) * 1.1)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _rate(step_times: list[float]) -> float:
    """Samples/s over the measured steps."""
    measured = step_times[WARMUP_STEPS : WARMUP_STEPS + MEASURE_STEPS + 1]
    return BATCH * (len(measured) - 1) / (measured[-1] - measured[0])


def ours(root: Path, cache_dir: Path) -> dict:
    import torch

    from backend.core.config import RunConfig
    from backend.core.host_memory import available_ram
    from backend.data.cache import MEMORY_FRACTION
    from backend.data.image_folder import load_image_folder
    from backend.engine.control import TrainControl
    from backend.engine.trainer import fit

    torch.zeros(1)
    budget = peak_rss_mb() + available_ram() * MEMORY_FRACTION / 2**20  # measured after the imports
    cfg = RunConfig(name="scale")
    cfg.data.source, cfg.data.root, cfg.data.cache_dir = "image_folder", str(root), str(cache_dir)
    cfg.data.batch_size, cfg.data.val_split = BATCH, 0.1
    cfg.model.arch, cfg.model.hidden_sizes = "simple_cnn", [128]
    cfg.optim.name, cfg.optim.lr = "sgd", 0.01
    cfg.train.device, cfg.train.precision, cfg.train.epochs = "cpu", "fp32", 1
    start = time.perf_counter()
    load_image_folder(cfg.data, cfg.seed)
    first = time.perf_counter() - start
    start = time.perf_counter()
    data = load_image_folder(cfg.data, cfg.seed)
    cached = time.perf_counter() - start
    control, steps = TrainControl(), []

    def on_event(event: dict) -> None:
        if event["event"] == "step":
            steps.append(time.perf_counter())
            if len(steps) > WARMUP_STEPS + MEASURE_STEPS:
                control.request_stop()

    with tempfile.TemporaryDirectory() as runs:
        fit(cfg, control, on_event, run_dir=Path(runs) / "run", data=data)
    return {"first": first, "cached": cached, "rate": _rate(steps), "rss": peak_rss_mb(), "budget": budget}


def seeds(root: Path) -> dict:
    import torch
    from seeds_cnn import seeds_cnn
    from torch import nn
    from torchvision import datasets, transforms

    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,) * 3, (0.25,) * 3)])
    train = datasets.ImageFolder(str(root), transform=transform)
    loader = torch.utils.data.DataLoader(train, batch_size=BATCH, shuffle=True)
    side = train[0][0].shape[-1]
    model = seeds_cnn((3, side, side), CLASSES)  # as the tutorials write it
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    criterion, steps = nn.CrossEntropyLoss(), []
    model.train()
    for inputs, targets in loader:  # the seeds' train_epoch, cut after the measured steps
        loss = criterion(model(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss.item()
        steps.append(time.perf_counter())
        if len(steps) > WARMUP_STEPS + MEASURE_STEPS:
            break
    return {"rate": _rate(steps), "rss": peak_rss_mb()}


def child(kind: str, *paths: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, *map(str, paths)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="counts to run, e.g. 10k,50k (of 10k, 50k, 200k)")
    parser.add_argument("--resolutions", default=",".join(map(str, RESOLUTIONS)), help="image sides, e.g. 32")
    parser.add_argument("--workdir", help="where the folders are generated (default: a temporary folder)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *paths = args.child
        result = ours(Path(paths[0]), Path(paths[1])) if kind == "ours" else seeds(Path(paths[0]))
        print(json.dumps(result))
        return 0
    sizes = [SIZES[s.strip()] for s in args.sizes.split(",")]
    sides = [int(s) for s in args.resolutions.split(",")]
    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench-scale-"))
    print("| images | size | first load | per 1k images | cached load | peak RSS (budget) | img/s | seeds img/s | x |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows, ok = [], True
    try:
        for side in sides:
            for count in sizes:
                root, cache = work / f"{count}-{side}", work / f"cache-{count}-{side}"
                need, free = disk_needed(count, side), shutil.disk_usage(work).free
                if need > free:
                    print(
                        f"| {count:,} | {side}x{side} | skipped: needs about {need / 1e9:.0f} GB of disk, "
                        f"{free / 1e9:.0f} GB free | | | | | | |",
                        flush=True,
                    )
                    continue
                generate(root, count, side)
                mine, theirs = child("ours", root, cache), child("seeds", root)
                per_k = mine["first"] / count * 1000
                rows.append((side, count, per_k))
                ratio = mine["rate"] / theirs["rate"]
                within = mine["rss"] <= mine["budget"]
                ok &= within and ratio > 1
                print(
                    f"| {count:,} | {side}x{side} | {mine['first']:.1f} s | {per_k:.2f} s | {mine['cached']:.2f} s | "
                    f"{mine['rss']:,.0f} MB ({mine['budget']:,.0f}){'' if within else ' OVER'} | "
                    f"{mine['rate']:,.0f} | {theirs['rate']:,.0f} | {ratio:.1f} |",
                    flush=True,
                )
                shutil.rmtree(root)
                shutil.rmtree(cache)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    for side in sides:
        per_image = [per_k for s, _count, per_k in sorted(rows) if s == side]  # by count
        if not per_image:
            continue
        growth = per_image[-1] / per_image[0]  # fixed costs make it fall: only a rise breaks linearity
        linear = growth <= LINEAR_SLACK
        ok &= linear
        verdict = "linear" if linear else "NOT linear"
        print(
            f"{side}x{side}: first-load cost per image x{growth:.2f} from the smallest to the largest count ({verdict})"
        )
    print("every configuration within its memory budget and faster than the seeds' pipeline" if ok else "CHECKS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
