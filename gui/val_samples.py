"""Read-only access to a run's validation images, for the misclassified-samples gallery.

The engine's epoch event lists wrong predictions as positions in the validation split
(``{"index", "true", "pred"}``); the split is rebuilt here from the run's data config and
seed, exactly as the trainer builds it. Called on a pool thread only (it reads files).
"""

from __future__ import annotations

from typing import Any

import numpy as np


class ValImageSource:
    """The validation split of one run's dataset, loaded once, as uint8 (C, H, W) images."""

    def __init__(self, config: Any) -> None:  # backend.config.RunConfig
        self._data_config = config.data
        self._seed = config.seed
        self._bundle: Any = None

    def _data(self) -> Any:
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
            return data.x_val[list(indices)].numpy()
        return np.stack([np.asarray(data.stream.val[i][0]) for i in indices])
