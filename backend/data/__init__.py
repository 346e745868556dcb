"""Datasets: everything the trainer needs as in-memory tensors plus the metadata to rebuild a model.

``DataBundle`` and ``build_data`` are imported on first use: the image-decoding processes of
backend/data/decoded_cache.py import this package and must start without torch.
"""

from typing import Any

__all__ = ["DataBundle", "build_data"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from backend.data import bundle

        return getattr(bundle, name)
    raise AttributeError(f"module 'backend.data' has no attribute {name!r}")
