"""Datasets: everything the trainer needs as in-memory tensors plus the metadata to rebuild a model."""

from backend.data.bundle import DataBundle, build_data

__all__ = ["DataBundle", "build_data"]
