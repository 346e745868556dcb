"""Model-ready batches of the run's own data (validation for parity and metrics, training for calibration).

The dataset is rebuilt from the run's config with its seed, so the split is the one the run used.
Everything happens on the CPU. The bundle is cached on the LoadedModel.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import torch

from backend.artifacts.model_io import LoadedModel
from backend.core import messages
from backend.core.errors import DataError, TorchDeskError

if TYPE_CHECKING:
    from backend.data.pipeline import BatchPipeline

Batch = tuple[torch.Tensor, torch.Tensor]


def _pipeline(loaded: LoadedModel) -> BatchPipeline:
    if "pipeline" in loaded.cache:
        return loaded.cache["pipeline"]
    if loaded.config is None:
        raise DataError(messages.ERR_NO_RUN_CONFIG.format(source=loaded.source))
    from backend.data import build_data
    from backend.data.pipeline import BatchPipeline

    cfg = loaded.config
    data = build_data(cfg.data, cfg.seed, torch.device("cpu"))
    pipeline = BatchPipeline(data, cfg.data, torch.device("cpu"), cfg.seed, channels_last=False)
    if tuple(pipeline.input_shape) != loaded.input_shape or data.num_outputs != int(loaded.meta["num_outputs"]):
        raise DataError(
            messages.ERR_DATA_CHANGED.format(
                name=data.name,
                shape=tuple(pipeline.input_shape),
                outputs=data.num_outputs,
                model_shape=loaded.input_shape,
                model_outputs=loaded.meta["num_outputs"],
            )
        )
    loaded.cache["pipeline"] = pipeline
    return pipeline


def use_test_set(loaded: LoadedModel, root: str) -> None:
    """Make ``root`` the model's "test" split: a separate set in the run's own format (see backend.artifacts.test_sets)."""
    if loaded.config is None:
        _pipeline(loaded)  # raises the "no run config" message
    from backend.artifacts.test_sets import load_test_set
    from backend.data.pipeline import BatchPipeline

    cfg = loaded.config
    data = load_test_set(cfg.data, root, loaded.meta)
    pipeline = BatchPipeline(data, cfg.data, torch.device("cpu"), cfg.seed, channels_last=False)
    if tuple(pipeline.input_shape) != loaded.input_shape:
        raise DataError(
            messages.ERR_TEST_SHAPE.format(shape=tuple(pipeline.input_shape), model_shape=loaded.input_shape)
        )
    loaded.cache["test_pipeline"] = pipeline


def _split_pipeline(loaded: LoadedModel, split: str) -> BatchPipeline:
    if split == "test":
        if "test_pipeline" not in loaded.cache:
            raise DataError("no test set was chosen; give its folder or file (evaluate --test-root PATH)")
        return loaded.cache["test_pipeline"]
    return _pipeline(loaded)


def split_size(loaded: LoadedModel, split: str = "val") -> int:
    pipeline = _split_pipeline(loaded, split)
    return len(pipeline.y_train if split == "train" else pipeline.y_val)


def batches(
    loaded: LoadedModel, split: str = "val", batch_size: int = 256, limit: int | None = None
) -> Iterator[Batch]:
    """Evaluation-mode batches (no augmentation) of ``split`` ("val", "train" or "test"), at most ``limit`` samples."""
    if split not in ("val", "train", "test"):
        raise DataError(f"split must be 'val', 'train' or 'test', got {split!r}")
    pipeline = _split_pipeline(loaded, split)
    n = split_size(loaded, split)
    if limit is not None:
        n = min(n, limit)
    if n == 0:
        raise DataError(messages.ERR_SPLIT_EMPTY.format(split=split))
    yield from pipeline.eval_batches(torch.arange(n), batch_size, split="train" if split == "train" else "val")


def example_batch(loaded: LoadedModel, n: int = 32) -> tuple[torch.Tensor, str]:
    """``n`` real validation inputs, or random inputs when the data cannot be loaded (with the reason)."""
    try:
        x, _ = next(batches(loaded, "val", n, limit=n))
        return x.float(), messages.EXAMPLE_VALIDATION.format(count=len(x))
    except TorchDeskError as exc:
        generator = torch.Generator().manual_seed(0)
        random = torch.randn(n, *loaded.input_shape, generator=generator)
        return random, messages.EXAMPLE_RANDOM.format(count=n, error=exc)


def calibration_batches(loaded: LoadedModel, count: int, batch_size: int = 32) -> list[torch.Tensor]:
    """``count`` training batches, as the model sees them in evaluation, for static quantization."""
    out = []
    for x, _ in batches(loaded, "train", batch_size, limit=count * batch_size):
        out.append(x.float())
    return out
