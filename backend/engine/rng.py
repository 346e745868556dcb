"""Seeding and capture/restore of every RNG a run uses, in a form torch.load(weights_only=True) reads."""

from __future__ import annotations

import contextlib
import random
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def capture_rng() -> dict[str, Any]:
    np_state = np.random.get_state()
    state: dict[str, Any] = {
        "python": random.getstate(),
        # numpy's key array becomes a tensor: weights_only loading refuses raw numpy arrays.
        "numpy": {
            "key": torch.from_numpy(np_state[1].astype(np.int64)),
            "pos": int(np_state[2]),
            "has_gauss": int(np_state[3]),
            "gauss": float(np_state[4]),
        },
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng(state: dict[str, Any]) -> None:
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    n = state["numpy"]
    np.random.set_state(("MT19937", n["key"].numpy().astype(np.uint32), n["pos"], n["has_gauss"], n["gauss"]))
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


# torch's default generator is shared by every thread. A run holds this lock from seeding until
# its model is built, and around each training forward/backward (dropout draws from it); a model
# built elsewhere (a summary, an artifact dialog, on a GUI helper thread while a run trains)
# holds it too and leaves the generator as it found it, so that runs stay reproducible.
_RNG_LOCK = threading.Lock()


@contextlib.contextmanager
def seeded_initialisation(seed: int) -> Iterator[None]:
    """Seed every RNG and keep other threads' model building out until the block ends."""
    with _RNG_LOCK:
        seed_everything(seed)
        yield


def training_draws() -> contextlib.AbstractContextManager:
    """Held around a training step's random draws, so no other thread's random work lands in between."""
    return _RNG_LOCK


@contextlib.contextmanager
def rng_neutral(device: torch.device | None = None) -> Iterator[None]:
    """Random work (building a throw-away model) that leaves the global RNGs untouched; a CUDA
    ``device`` has its generator (dropout on the GPU draws from it) restored too."""
    cuda = [device] if device is not None and device.type == "cuda" else []
    with _RNG_LOCK, torch.random.fork_rng(devices=cuda):
        state = random.getstate(), np.random.get_state()
        try:
            yield
        finally:
            random.setstate(state[0])
            np.random.set_state(state[1])
