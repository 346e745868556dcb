"""Read-only access to a run's validation images and file names, for the sample galleries.

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
        self._names: list[str] | None = None  # the validation files in split order, once known
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

    def names(self, indices: list[int]) -> list[str] | None:
        """The files of these validation positions, or None where the data has no files (built-in sets)
        or they cannot be told for sure (files skipped as unreadable shift the positions)."""
        files = self._val_files()
        return [files[i] for i in indices] if files is not None else None

    def _val_files(self) -> list[str] | None:
        data = self._data()
        if self._data_config.source != "image_folder":
            return None
        if self._names is None:
            streamed = getattr(data.stream.val, "files", None) if data.stream is not None else None
            if streamed is None:  # decoded into memory: the same scan and split as the loader
                from backend.data.image_folder import scan_folder, split_files

                streamed = split_files(scan_folder(self._data_config.root), self._data_config, self._seed)[1]
            labels = [int(label) for _, label in streamed]
            if labels == data.y_val.tolist():
                self._names = [str(path) for path, _ in streamed]
            else:
                self._names = []  # files were skipped: positions no longer match
        return self._names or None
