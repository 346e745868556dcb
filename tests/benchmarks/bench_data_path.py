"""The fast data path against the seeds' pipeline, on real MNIST PNGs.

The first 8,000 images of shared/data/mnist-t10k are written as an ImageFolder tree of PNGs
(train/<digit>/, the last 2,000 as val/<digit>/). Both sides train the seeds' 2-conv CNN, batch
64, CPU, fp32, for 2 epochs, in this one process:
- seeds: ImageFolder + Grayscale + ToTensor + Normalize + DataLoader(shuffle=True) + train_epoch;
- TorchDesk: fit() with data.source = "image_folder" (decoded once into uint8 tensors), with its
  default channels_last layout and, to show what the data path alone gives, without it.
The printed ratio is TorchDesk's epoch-2 throughput over the seeds' epoch-2 throughput
(target >= 2.0), with both final validation accuracies.

Run: make bench   (or: .venv/bin/python tests/benchmarks/bench_data_path.py)
"""

from __future__ import annotations

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

from backend.config import RunConfig  # noqa: E402
from backend.models.registry import build_model  # noqa: E402
from backend.trainer import fit  # noqa: E402

TARGET = 2.0
EPOCHS = 2


def write_png_tree(root: Path) -> None:
    from PIL import Image

    images, labels = load_mnist_t10k()
    for i, (image, label) in enumerate(zip(images, labels, strict=True)):
        split = "train" if i < 8000 else "val"
        folder = root / split / str(label)
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(image, mode="L").save(folder / f"{i:05d}.png")


def seeds_pipeline(root: Path) -> tuple[float, float]:
    """Epoch-2 samples/s and final validation accuracy of the tutorials' way."""
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
    rate = 0.0
    for _ in range(EPOCHS):
        start = time.perf_counter()
        train_epoch(model, loader, nn.CrossEntropyLoss(), optimizer, torch.device("cpu"))
        rate = len(train) / (time.perf_counter() - start)
    model.eval()
    correct = 0
    with torch.inference_mode():
        for x, y in torch.utils.data.DataLoader(val, batch_size=256):
            correct += int((model(x).argmax(1) == y).sum())
    return rate, correct / len(val)


def torchdesk(root: Path, runs: Path, channels_last: bool) -> tuple[float, float]:
    cfg = RunConfig(name="bench-data")
    cfg.data.source, cfg.data.root, cfg.data.batch_size = "image_folder", str(root), BATCH
    cfg.model.arch, cfg.model.hidden_sizes = "simple_cnn", [128]
    cfg.optim.name, cfg.optim.lr = "sgd", 0.01
    cfg.train.epochs, cfg.train.device, cfg.train.precision = EPOCHS, "cpu", "fp32"
    cfg.train.channels_last = channels_last
    events: list[dict] = []
    fit(cfg, on_event=events.append, run_dir=runs / f"torchdesk-{channels_last}")
    last = [e for e in events if e["event"] == "epoch"][-1]
    return last["samples_per_s"], last["val_acc"]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "mnist-png"
        write_png_tree(root)
        print(
            f"torch {torch.__version__}, {torch.get_num_threads()} threads, 8,000 MNIST PNGs, simple_cnn, "
            f"batch {BATCH}, fp32, CPU, epoch {EPOCHS} throughput"
        )
        seeds_rate, seeds_acc = seeds_pipeline(root)
        ours_rate, ours_acc = torchdesk(root, Path(tmp), channels_last=True)
        nchw_rate, nchw_acc = torchdesk(root, Path(tmp), channels_last=False)
    ratio = ours_rate / seeds_rate
    print(f"  seeds' pipeline (ImageFolder + DataLoader)  {seeds_rate:8.0f} samples/s   val acc {seeds_acc:.2%}")
    print(f"  TorchDesk, default (channels_last)          {ours_rate:8.0f} samples/s   val acc {ours_acc:.2%}")
    print(f"  TorchDesk, channels_last off (data path only){nchw_rate:7.0f} samples/s   val acc {nchw_acc:.2%}")
    print(
        f"  ratio TorchDesk / seeds = {ratio:.2f}  ({'meets' if ratio >= TARGET else 'MISSES'} the >= {TARGET} target);"
        f" data path alone: {nchw_rate / seeds_rate:.2f}"
    )
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
