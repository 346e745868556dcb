"""Engine overhead: TorchDesk's fit() against a plain PyTorch loop written like the seeds' train_epoch.

Same model, same data (real MNIST digits from shared/data, first 8,000 for training), same
batch size, fp32, CPU. Both loops run in this one process, interleaved epoch by epoch, and the
ratio of their best epoch throughputs is printed (absolute times on a shared machine are noise; as
timeit takes the fastest repeat, the best epoch is the one least slowed by load from elsewhere).

Two baselines:
- "plain loop": the seeds' train_epoch over the same in-memory tensors, shuffled index batches
  (the same data path as the engine, so the ratio is the engine's own overhead; target >= 0.97);
- "seeds' DataLoader": the seeds' train_epoch over DataLoader(TensorDataset, shuffle=True).

Run: make bench   (or: .venv/bin/python tests/benchmarks/bench_engine_overhead.py [--epochs N])
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from mnist_idx import load_mnist_t10k  # noqa: E402

from backend.core.config import RunConfig  # noqa: E402
from backend.data import DataBundle  # noqa: E402
from backend.engine.trainer import fit  # noqa: E402
from backend.models.registry import build_model  # noqa: E402

BATCH = 64
TARGET = 0.97


def mnist_bundle() -> DataBundle:
    images, labels = load_mnist_t10k()
    x = torch.from_numpy(images.copy()).float().div_(255).sub_(0.1307).div_(0.3081).unsqueeze(1)
    y = torch.from_numpy(labels)
    return DataBundle(
        "mnist-t10k",
        x[:8000],
        y[:8000],
        x[8000:],
        y[8000:],
        "classification",
        [str(i) for i in range(10)],
        {"mean": [0.1307], "std": [0.3081]},
    )


def train_epoch(model, train_loader, criterion, optimizer, device):  # noqa: ANN001, ANN201 - the seeds' code
    """The seeds' train_epoch, minus its print every 100 batches."""
    model.train()
    running_loss, correct, total = 0.0, 0, 0
    for inputs, targets in train_loader:
        inputs, targets = inputs.to(device), targets.to(device)
        outputs = model(inputs)
        loss = criterion(outputs, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
        _, predicted = outputs.max(1)
        total += targets.size(0)
        correct += predicted.eq(targets).sum().item()
    return running_loss / len(train_loader), 100.0 * correct / total


class TensorBatches:
    """Shuffled batches sliced from in-memory tensors on the fly: the engine's own data path."""

    def __init__(self, x: torch.Tensor, y: torch.Tensor, epoch: int) -> None:
        self.x, self.y = x, y
        self.order = torch.randperm(len(x), generator=torch.Generator().manual_seed(epoch)).split(BATCH)

    def __len__(self) -> int:
        return len(self.order)

    def __iter__(self):  # noqa: ANN204
        for idx in self.order:
            yield self.x[idx], self.y[idx]


def bench(arch: str, data: DataBundle, epochs: int) -> dict[str, float]:
    cfg = RunConfig(name=f"bench-{arch}")
    cfg.model.arch = arch
    cfg.model.hidden_sizes = [128] if arch == "simple_cnn" else [256, 128]
    cfg.data.batch_size = BATCH
    cfg.optim.name = "sgd"
    cfg.optim.lr = 0.01
    cfg.train.epochs = 1
    cfg.train.device = "cpu"
    cfg.train.precision = "fp32"
    cfg.train.channels_last = False  # the same memory layout as the plain loop: this measures overhead only
    device = torch.device("cpu")
    times: dict[str, list[float]] = {"engine": [], "plain loop": [], "seeds' DataLoader": []}
    accuracy: dict[str, float] = {}
    loader = DataLoader(TensorDataset(data.x_train, data.y_train), batch_size=BATCH, shuffle=True)
    with tempfile.TemporaryDirectory() as tmp:
        for rep in range(epochs):
            for name in times:
                torch.manual_seed(rep)
                if name == "engine":
                    events: list[dict] = []
                    fit(cfg, on_event=events.append, run_dir=Path(tmp) / f"{arch}-{rep}", data=data)
                    epoch = next(e for e in events if e["event"] == "epoch")
                    times[name].append(epoch["epoch_time_s"])
                    accuracy[name] = epoch["train_acc"] * 100
                    continue
                model = build_model(cfg.model, data.input_shape, 10)
                optimizer = torch.optim.SGD(model.parameters(), lr=cfg.optim.lr, momentum=cfg.optim.momentum)
                batches = TensorBatches(data.x_train, data.y_train, rep) if name == "plain loop" else loader
                start = time.perf_counter()
                _, acc = train_epoch(model, batches, nn.CrossEntropyLoss(), optimizer, device)
                times[name].append(time.perf_counter() - start)
                accuracy[name] = acc
    n = len(data.x_train)
    rates = {name: n / min(t) for name, t in times.items()}
    return {"rates": rates, "accuracy": accuracy}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5, help="interleaved epochs per contender (best taken)")
    args = parser.parse_args()
    data = mnist_bundle()
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, batch {BATCH}, fp32, CPU, "
        f"{len(data.x_train)} MNIST training images, best of {args.epochs} interleaved epochs"
    )
    ok = True
    for arch in ("simple_cnn", "mlp"):
        result = bench(arch, data, args.epochs)
        rates, acc = result["rates"], result["accuracy"]
        ratio = rates["engine"] / rates["plain loop"]
        ratio_dl = rates["engine"] / rates["seeds' DataLoader"]
        print(f"\n{arch}:")
        for name, rate in rates.items():
            print(f"  {name:18} {rate:10.0f} samples/s   train acc (1 epoch) {acc[name]:5.1f}%")
        verdict = "meets" if ratio >= TARGET else "MISSES"
        print(f"  ratio engine / plain loop        = {ratio:.3f}  ({verdict} the >= {TARGET} target)")
        print(f"  ratio engine / seeds' DataLoader = {ratio_dl:.3f}")
        ok = ok and (arch != "simple_cnn" or ratio >= TARGET)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
