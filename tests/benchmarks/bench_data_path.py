"""The fast data path against the seeds' pipeline, on real MNIST PNGs.

The first 8,000 images of shared/data/mnist-t10k are written as an ImageFolder tree of PNGs
(train/<digit>/, the last 2,000 as val/<digit>/). Both sides train the seeds' 2-conv CNN, batch
64, CPU, fp32:
- seeds: ImageFolder + Grayscale + ToTensor + Normalize + DataLoader(shuffle=True) + train_epoch,
  in a fresh Python process of its own, as a user's script runs;
- TorchDesk: fit() with data.source = "image_folder" (decoded once into uint8 tensors), with its
  defaults (channels_last, freed memory kept for reuse: backend/core/host_memory.py) and, to show what
  the data path alone gives, with channels_last off.
For transparency it also runs the seeds' loop inside this process after fit(), where it shares
TorchDesk's allocator setting.

Each contender trains a fresh model for EPOCHS epochs; the first epoch is a warm-up (and, for
TorchDesk, the epoch that builds the cache) and the best of the later epochs' throughput is its
rate (as timeit takes the fastest repeat: load from elsewhere only ever slows an epoch down). The
contenders take turns, ROUNDS times, so a burst of load from elsewhere on this shared
machine hits them alike; the printed ratio is the median over rounds of TorchDesk's rate over the
seeds' rate in the same round (target >= 2.0), with the final validation accuracies.

Run: make bench   (or: .venv/bin/python tests/benchmarks/bench_data_path.py [--rounds N])
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine_overhead import BATCH, train_epoch  # noqa: E402
from mnist_idx import load_mnist_t10k  # noqa: E402

from backend.core.config import RunConfig  # noqa: E402
from backend.engine.trainer import fit  # noqa: E402
from backend.models.registry import build_model  # noqa: E402

TARGET = 2.0
EPOCHS = 3  # the first is a warm-up


def write_png_tree(root: Path) -> None:
    from PIL import Image

    images, labels = load_mnist_t10k()
    for i, (image, label) in enumerate(zip(images, labels, strict=True)):
        split = "train" if i < 8000 else "val"
        folder = root / split / str(label)
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(image, mode="L").save(folder / f"{i:05d}.png")


def seeds_pipeline(root: Path) -> tuple[float, float]:
    """Best samples/s after the first epoch, and final validation accuracy, of the tutorials' way."""
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
    cfg = RunConfig().model
    cfg.arch, cfg.hidden_sizes = "simple_cnn", [128]
    torch.manual_seed(0)
    model = build_model(cfg, (1, 28, 28), 10)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    rates = []
    for _ in range(EPOCHS):
        start = time.perf_counter()
        train_epoch(model, loader, nn.CrossEntropyLoss(), optimizer, torch.device("cpu"))
        rates.append(len(train) / (time.perf_counter() - start))
    model.eval()
    correct = 0
    with torch.inference_mode():
        for x, y in torch.utils.data.DataLoader(val, batch_size=256):
            correct += int((model(x).argmax(1) == y).sum())
    return max(rates[1:]), correct / len(val)


def torchdesk(root: Path, runs: Path, channels_last: bool) -> tuple[float, float]:
    cfg = RunConfig(name="bench-data")
    cfg.data.source, cfg.data.root, cfg.data.batch_size = "image_folder", str(root), BATCH
    cfg.model.arch, cfg.model.hidden_sizes = "simple_cnn", [128]
    cfg.optim.name, cfg.optim.lr = "sgd", 0.01
    cfg.train.epochs, cfg.train.device, cfg.train.precision = EPOCHS, "cpu", "fp32"
    cfg.train.channels_last = channels_last
    events: list[dict] = []
    fit(cfg, on_event=events.append, run_dir=runs / f"torchdesk-{channels_last}")
    epochs = [e for e in events if e["event"] == "epoch"]
    return max(e["samples_per_s"] for e in epochs[1:]), epochs[-1]["val_acc"]


def seeds_in_own_process(root: Path) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--seeds-only", str(root)], check=True, capture_output=True, text=True
    ).stdout
    rate, acc = json.loads(out.splitlines()[-1])
    return rate, acc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="turns each contender takes (median ratio taken)")
    parser.add_argument("--seeds-only", metavar="ROOT", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.seeds_only:
        print(json.dumps(seeds_pipeline(Path(args.seeds_only))))
        return 0
    contenders = {
        "seeds": "seeds' pipeline, own process",
        "ours": "TorchDesk, defaults",
        "nchw": "TorchDesk, channels_last off",
        "seeds_shared": "seeds' pipeline, after fit()",
    }
    rounds: list[dict[str, tuple[float, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "mnist-png"
        write_png_tree(root)
        print(
            f"torch {torch.__version__}, {torch.get_num_threads()} threads, 8,000 MNIST PNGs, simple_cnn, "
            f"batch {BATCH}, fp32, CPU; best throughput of epochs 2-{EPOCHS}, {args.rounds} rounds"
        )
        for turn in range(args.rounds):
            r = {
                "seeds": seeds_in_own_process(root),
                "ours": torchdesk(root, Path(tmp) / str(turn), channels_last=True),
                "nchw": torchdesk(root, Path(tmp) / str(turn), channels_last=False),
                "seeds_shared": seeds_pipeline(root),
            }
            rounds.append(r)
            rates = ", ".join(f"{name} {r[name][0]:.0f}" for name in contenders)
            print(f"  round {turn + 1} (samples/s): {rates} -> ratio {r['ours'][0] / r['seeds'][0]:.2f}")
    print("  median over rounds, ratio to the seeds' pipeline in its own process, val acc (last round):")
    for name, label in contenders.items():
        rate = statistics.median(r[name][0] for r in rounds)
        ratio = statistics.median(r[name][0] / r["seeds"][0] for r in rounds)
        print(f"    {label:32} {rate:7.0f} samples/s   x{ratio:.2f}   val acc {rounds[-1][name][1]:.2%}")
    ratios = [r["ours"][0] / r["seeds"][0] for r in rounds]
    ratio = statistics.median(ratios)
    print(
        f"  ratio TorchDesk / seeds = {ratio:.2f} (median of {', '.join(f'{x:.2f}' for x in ratios)}; "
        f"{'meets' if ratio >= TARGET else 'MISSES'} the >= {TARGET} target)"
    )
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
