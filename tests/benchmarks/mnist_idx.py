"""Real MNIST digits from shared/data/mnist-t10k (IDX, gzip), for benchmarks."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

MNIST_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "mnist-t10k"


def load_mnist_t10k(folder: Path = MNIST_DIR) -> tuple[np.ndarray, np.ndarray]:
    """uint8 images (10000, 28, 28) and int64 labels (10000,)."""
    with gzip.open(folder / "t10k-images-idx3-ubyte.gz", "rb") as fh:
        images = np.frombuffer(fh.read(), dtype=np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(folder / "t10k-labels-idx1-ubyte.gz", "rb") as fh:
        labels = np.frombuffer(fh.read(), dtype=np.uint8, offset=8).astype(np.int64)
    return images, labels
