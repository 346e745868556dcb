"""The fast data path against the seeds' pipeline, on real MNIST PNGs.

The first 8,000 images of shared/data/mnist-t10k are written as an ImageFolder tree of PNGs
(train/<digit>/, the last 2,000 as val/<digit>/). Four figures, each a ratio measured within one
round (the contenders take turns, so a burst of load from elsewhere on this shared machine hits
them alike), over ROUNDS rounds:

1. First load: ``load_image_folder`` on an empty cache (scan, survey, decode, write the decoded
   cache) against the best plain loop over the same files (listing included): serial PIL,
   torchvision.io.decode_image, and a process pool of PIL decodes over the usable cores. Ratio =
   best plain loop's time / TorchDesk's (target >= 1.0).
2. Cached first step: a second run of the same folder, the seconds of data time (the folder load
   from the cache), and the seconds from fit() to its first step (target: data time < 1 s).
3. Epoch throughput: the seeds' 2-conv CNN, batch 64, CPU, fp32, SGD(0.01, momentum 0.9): seeds'
   ImageFolder + Grayscale + ToTensor + Normalize + DataLoader(shuffle=True) + train_epoch in a
   fresh process of its own, as a user's script runs (the network as the tutorials write it: conv,
   ReLU, max-pool), against fit() with its defaults (channels-last, the pool before ReLU: the same
   weights and numbers). The best epoch after the first (a warm-up) is each side's rate, as
   timeit takes the fastest repeat (EPOCHS - 1 each). Ratio TorchDesk / seeds, target >= 2.0 in
   EVERY round.
4. Time to 98% validation accuracy from process start (imports and data loading included; for
   TorchDesk the first load on an empty cache): the seeds' recipe above, validating after every
   epoch, against ``train.preset = "fast"`` (FAST_EPOCHS epochs), each in a fresh process. Ratio
   TorchDesk / seeds, target <= 0.33, with the same or better final validation accuracy.

On a GPU the fast preset also trains from GPU-resident data with AMP: not measured here (CPU only).

Run: make bench   (or: .venv/bin/python tests/benchmarks/bench_data_path.py [--rounds N])
"""

from __future__ import annotations

import time

STARTED = time.time()  # this process's start, for the child processes of section 4

import argparse  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
USER_SPINCOUNT = os.environ.get("GOMP_SPINCOUNT")  # the shell's own, before the engine sets its default
importlib.import_module("backend")  # first, as in the app and the CLI: its OpenMP setting precedes torch
import numpy as np  # noqa: E402
import torch  # noqa: E402
from bench_engine_overhead import BATCH, train_epoch  # noqa: E402
from mnist_idx import load_mnist_t10k  # noqa: E402
from seeds_cnn import seeds_cnn  # noqa: E402
from torch import nn  # noqa: E402

from backend.core.config import RunConfig  # noqa: E402
from backend.data.decoded_cache import usable_cores  # noqa: E402
from backend.data.image_folder import load_image_folder  # noqa: E402
from backend.engine.trainer import fit  # noqa: E402

THROUGHPUT_TARGET, LOAD_TARGET, TIME_TARGET, CACHED_TARGET_S = 2.0, 1.0, 0.33, 1.0
EPOCHS = 6  # throughput runs, the first a warm-up: each side's best of the other five (the seeds run as many)
SEEDS_EPOCHS = 6  # the seeds' recipe, validated after every epoch
FAST_EPOCHS = 1  # the fast preset's run (batch 32: about RUN_STEPS steps in all)
ACCURACY = 0.98


def write_png_tree(root: Path) -> None:
    from PIL import Image

    images, labels = load_mnist_t10k()
    for i, (image, label) in enumerate(zip(images, labels, strict=True)):
        split = "train" if i < 8000 else "val"
        folder = root / split / str(label)
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(image, mode="L").save(folder / f"{i:05d}.png")


# ----------------------------------------------------------------------------- 1. plain loops
def _files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.png"))


def _pil(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as img:
        return np.asarray(img.convert("L"))


def plain_serial_pil(root: Path) -> None:
    files = _files(root)
    out = np.empty((len(files), 28, 28), dtype=np.uint8)
    for i, path in enumerate(files):
        out[i] = _pil(path)


def plain_torchvision(root: Path) -> None:
    from torchvision.io import ImageReadMode, decode_image

    files = _files(root)
    out = torch.empty((len(files), 1, 28, 28), dtype=torch.uint8)
    for i, path in enumerate(files):
        out[i] = decode_image(str(path), mode=ImageReadMode.GRAY)


def plain_process_pool(root: Path) -> None:
    files = _files(root)
    with ProcessPoolExecutor(usable_cores()) as pool:
        np.stack(list(pool.map(_pil, files, chunksize=256)))


PLAIN = {"serial PIL": plain_serial_pil, "torchvision.io": plain_torchvision, "process pool": plain_process_pool}


def timed(fn, *args) -> float:  # noqa: ANN001
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def data_config(root: Path, cache_dir: Path) -> RunConfig:
    cfg = RunConfig(name="bench-data")
    cfg.data.source, cfg.data.root, cfg.data.batch_size = "image_folder", str(root), BATCH
    cfg.data.cache_dir = str(cache_dir)
    cfg.model.arch, cfg.model.hidden_sizes = "simple_cnn", [128]
    cfg.optim.name, cfg.optim.lr = "sgd", 0.01
    cfg.train.device, cfg.train.precision = "cpu", "fp32"
    return cfg


def first_load(root: Path, cache_dir: Path) -> dict[str, float]:
    """Seconds of each plain loop and of TorchDesk's first (empty cache) and second load."""
    import torchvision.io  # noqa: F401 - imported before timing, as a script has it imported

    out = {name: timed(fn, root) for name, fn in PLAIN.items()}
    cfg = data_config(root, cache_dir)
    out["torchdesk"] = timed(load_image_folder, cfg.data, 0)
    out["cached"] = timed(load_image_folder, cfg.data, 0)
    return out


# ----------------------------------------------------------------------------- 3 and 4. training
def seeds_pipeline(root: Path, started: float) -> dict:
    """The tutorials' way: per epoch, its rate (samples/s), val accuracy and seconds since ``started``."""
    from torchvision import datasets, transforms

    transform = transforms.Compose(
        [
            transforms.Grayscale(num_output_channels=1),  # ImageFolder opens PNGs as RGB
            transforms.ToTensor(),
            transforms.Normalize((0.1307,), (0.3081,)),
        ]
    )
    train = datasets.ImageFolder(str(root / "train"), transform=transform)
    val = datasets.ImageFolder(str(root / "val"), transform=transform)
    loader = torch.utils.data.DataLoader(train, batch_size=BATCH, shuffle=True)
    torch.manual_seed(0)
    model = seeds_cnn((1, 28, 28), 10)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    epochs = []
    for _ in range(SEEDS_EPOCHS):
        start = time.perf_counter()
        train_epoch(model, loader, nn.CrossEntropyLoss(), optimizer, torch.device("cpu"))
        rate = len(train) / (time.perf_counter() - start)
        model.eval()
        correct = 0
        with torch.inference_mode():
            for x, y in torch.utils.data.DataLoader(val, batch_size=256):
                correct += int((model(x).argmax(1) == y).sum())
        epochs.append({"rate": rate, "val_acc": correct / len(val), "at": time.time() - started})
    return {"epochs": epochs}


def fast_preset(root: Path, cache_dir: Path, started: float) -> dict:
    cfg = data_config(root, cache_dir)
    cfg.train.preset, cfg.train.epochs = "fast", FAST_EPOCHS
    epochs = []

    def on_event(event: dict) -> None:
        if event["event"] == "epoch":
            epochs.append({"val_acc": event["val_acc"], "at": time.time() - started})

    with tempfile.TemporaryDirectory() as runs:
        fit(cfg, on_event=on_event, run_dir=Path(runs) / "fast")
    return {"epochs": epochs}


def child(kind: str, *args: str) -> dict:
    """Run ``kind`` in a fresh Python process; its clock starts when the process is launched."""
    env = dict(os.environ)
    if kind == "seeds" and USER_SPINCOUNT is None:  # a user's script runs without the engine's OpenMP setting:
        env["GOMP_SPINCOUNT"] = "300000"  # libgomp's own default (set, so that importing backend keeps it)
    launched = time.time()
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(launched), *args],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    return json.loads(out.splitlines()[-1])


def throughput(root: Path, cache_dir: Path, runs: Path) -> tuple[float, float, float]:
    """TorchDesk's best epoch rate after the first, its seconds from fit() to the first step (the
    data comes from the cache the first load wrote), and its final validation accuracy."""
    cfg = data_config(root, cache_dir)
    cfg.train.epochs = EPOCHS
    events: list[dict] = []
    fit(cfg, on_event=events.append, run_dir=runs)
    epochs = [e for e in events if e["event"] == "epoch"]
    first_step = next(e for e in events if e["event"] == "step")["elapsed_s"]
    return max(e["samples_per_s"] for e in epochs[1:]), first_step, epochs[-1]["val_acc"]


def time_to(epochs: list[dict], accuracy: float) -> float:
    return next((e["at"] for e in epochs if e["val_acc"] >= accuracy), float("inf"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="turns each contender takes")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)  # a child process of section 4
    args = parser.parse_args()
    if args.child:
        kind, started, *rest = args.child
        paths = [Path(p) for p in rest]
        result = seeds_pipeline(paths[0], float(started)) if kind == "seeds" else fast_preset(*paths, float(started))
        print(json.dumps(result))
        return 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "mnist-png"
        write_png_tree(root)
        print(
            f"torch {torch.__version__}, {torch.get_num_threads()} threads, {usable_cores()} usable cores, "
            f"8,000 + 2,000 MNIST PNGs, simple_cnn, CPU, fp32; {args.rounds} rounds"
        )
        for turn in range(args.rounds):
            cache = Path(tmp) / f"cache-{turn}"
            loads = first_load(root, cache)
            seeds = child("seeds", str(root))
            rate, first_step, acc = throughput(root, cache, Path(tmp) / f"run-{turn}")
            fast = child("fast", str(root), str(Path(tmp) / f"cache-fast-{turn}"))
            plain = min(loads[name] for name in PLAIN)
            seeds_rate = max(e["rate"] for e in seeds["epochs"][1:EPOCHS])
            row = {
                "load": plain / loads["torchdesk"],
                "cached": loads["cached"],
                "first_step": first_step,
                "throughput": rate / seeds_rate,
                "time": time_to(fast["epochs"], ACCURACY) / time_to(seeds["epochs"], ACCURACY),
                "acc": (fast["epochs"][-1]["val_acc"], seeds["epochs"][-1]["val_acc"]),
                "t98": (time_to(fast["epochs"], ACCURACY), time_to(seeds["epochs"], ACCURACY)),
            }
            rows.append(row)
            print(
                f"  round {turn + 1}: first load {loads['torchdesk']:.2f} s vs plain loops "
                + ", ".join(f"{name} {loads[name]:.2f} s" for name in PLAIN)
                + f" -> x{row['load']:.2f}; cached load {loads['cached']:.2f} s, fit() to first step "
                f"{first_step:.2f} s; throughput {rate:.0f} vs seeds {seeds_rate:.0f} samples/s -> "
                f"x{row['throughput']:.2f} (val acc {acc:.2%}); 98% val acc at {row['t98'][0]:.1f} s (fast preset) "
                f"vs {row['t98'][1]:.1f} s (seeds) -> x{row['time']:.2f}; final val acc "
                f"{row['acc'][0]:.2%} ({FAST_EPOCHS} epochs) vs {row['acc'][1]:.2%} ({SEEDS_EPOCHS} epochs)",
                flush=True,
            )
    checks = {
        f"first-load ratio >= {LOAD_TARGET} (median)": statistics.median(r["load"] for r in rows) >= LOAD_TARGET,
        f"cached data time < {CACHED_TARGET_S} s (every round)": all(r["cached"] < CACHED_TARGET_S for r in rows),
        f"throughput ratio >= {THROUGHPUT_TARGET} (every round)": all(
            r["throughput"] >= THROUGHPUT_TARGET for r in rows
        ),
        f"time-to-98% ratio <= {TIME_TARGET} (median)": statistics.median(r["time"] for r in rows) <= TIME_TARGET,
        "final accuracy same or better (every round)": all(r["acc"][0] >= r["acc"][1] for r in rows),
    }
    for name, key in (("first-load", "load"), ("throughput", "throughput"), ("time-to-98%", "time")):
        values = [r[key] for r in rows]
        print(f"  {name} ratio: median {statistics.median(values):.2f} ({', '.join(f'{v:.2f}' for v in values)})")
    cached = ", ".join(f"{r['cached']:.2f}" for r in rows)
    print(f"  cached data time: {cached} s")
    for name, ok in checks.items():
        print(f"  {'meets' if ok else 'MISSES'}: {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
