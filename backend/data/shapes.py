"""A procedural image set: coloured shapes on noise, generated from the seed (for demos and tests)."""

from __future__ import annotations

import numpy as np

CLASSES = ("circle", "square", "triangle", "cross")
SIZE = 32
SAMPLES = 2400


def make_shapes(seed: int = 0, samples: int = SAMPLES) -> tuple[np.ndarray, np.ndarray]:
    """uint8 images (N, 3, 32, 32) and int64 labels, balanced over the four classes."""
    rng = np.random.default_rng(seed)
    labels = np.arange(samples) % len(CLASSES)
    rng.shuffle(labels)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32)
    images = np.empty((samples, 3, SIZE, SIZE), dtype=np.uint8)
    for i, label in enumerate(labels):
        background = rng.normal(60, 25, (3, SIZE, SIZE))
        cx, cy = rng.uniform(10, 22, 2)
        r = rng.uniform(5, 9)
        if label == 0:
            mask = (xx - cx) ** 2 + (yy - cy) ** 2 <= r**2
        elif label == 1:
            mask = (np.abs(xx - cx) <= r * 0.8) & (np.abs(yy - cy) <= r * 0.8)
        elif label == 2:
            mask = (yy - cy <= r * 0.8) & (yy - cy >= -r) & (np.abs(xx - cx) <= (yy - cy + r) * 0.6)
        else:
            mask = (
                ((np.abs(xx - cx) <= r * 0.25) | (np.abs(yy - cy) <= r * 0.25))
                & (np.abs(xx - cx) <= r)
                & (np.abs(yy - cy) <= r)
            )
        colour = rng.uniform(120, 255, 3)
        image = np.where(mask[None], colour[:, None, None], background)
        images[i] = np.clip(image, 0, 255).astype(np.uint8)
    return images, labels.astype(np.int64)
