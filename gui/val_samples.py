"""Read-only access to a run's validation images, for the misclassified-samples gallery.

The engine's epoch event lists wrong predictions as positions in the validation split
(``{"index", "true", "pred"}``). The training worker hands the run's own loaded dataset to
``provide``; only when there is none (a gallery shown without that run in this process) is
the split rebuilt from the run's data config and seed, exactly as the trainer builds it.
Read on the gallery's task thread only (it may read files).
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np


class ValImageSource:
    """The validation split of one run's dataset, as uint8 (C, H, W) images."""

    def __init__(self, config: Any) -> None:  # backend.core.config.RunConfig
        self._data_config = config.data
        self._seed = config.seed
        self._bundle: Any = None
        self._lock = threading.Lock()  # provided by the training thread, read by the gallery's thread

    def provide(self, bundle: Any) -> None:  # backend.data.DataBundle
        """The run's dataset as the trainer loaded it (called from the training thread)."""
        with self._lock:
            self._bundle = bundle

    def _data(self) -> Any:
        with self._lock:
            if self._bundle is None:
                from backend.data import build_data

                self._bundle = build_data(self._data_config, self._seed)
            return self._bundle

    def images(self, indices: list[int]) -> np.ndarray | None:
        """The images at these validation positions, or None for non-image (tabular) data."""
        data = self._data()
        if not data.is_image_data:
            return None
        if data.x_val is not None:
            return data.x_val[list(indices)].cpu().numpy()
        return np.stack([np.asarray(data.stream.val[i][0]) for i in indices])
