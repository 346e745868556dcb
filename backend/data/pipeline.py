"""From index batches to model-ready tensors on the training device.

In memory: images stay uint8 on the device and each batch is gathered by index, scaled,
augmented as a whole and normalised there. Streaming: a DataLoader decodes the same index
batches from disk in worker processes, and the batch then takes the same path. The order is
fixed by the sampler and augmentation randomness is seeded per batch, so both paths resume exactly.
"""

from __future__ import annotations

from collections.abc import Iterator

import torch
from torch.utils.data import DataLoader

from backend.core import messages
from backend.core.config import DataConfig
from backend.core.errors import ConfigError
from backend.core.paths import is_frozen
from backend.core.transform_specs import preset_specs
from backend.data.augment import BatchAugment
from backend.data.bundle import DataBundle

Batch = tuple[torch.Tensor, torch.Tensor]


class BatchPipeline:
    def __init__(
        self, data: DataBundle, cfg: DataConfig, device: torch.device, seed: int, channels_last: bool = False
    ) -> None:
        self.data, self.cfg, self.device, self.seed = data, cfg, device, seed
        self.images = data.is_image_data
        if cfg.augment != "none" and not self.images:
            raise ConfigError(messages.ERR_AUGMENT_TABULAR.format(augment=cfg.augment, name=data.name))
        self.augment = BatchAugment(preset_specs(cfg.augment, cfg.transforms))
        self.memory_format = (
            torch.channels_last if channels_last and len(data.input_shape) == 3 else torch.contiguous_format
        )
        if self.images:
            norm = data.normalization
            shape = (1, -1, 1, 1)
            self.mean = torch.tensor(norm["mean"], dtype=torch.float32, device=device).view(shape)
            self.std = torch.tensor(norm["std"], dtype=torch.float32, device=device).view(shape)
        # Tensors live on the training device once; streaming data stays on disk.
        self.x_train = data.x_train.to(device) if data.x_train is not None else None
        self.x_val = data.x_val.to(device) if data.x_val is not None else None
        self.y_train, self.y_val = data.y_train.to(device), data.y_val.to(device)

    @property
    def input_shape(self) -> tuple[int, ...]:
        """What the model receives (center crops included)."""
        shape = self.data.input_shape
        if len(shape) == 3:
            return (shape[0], *self.augment.output_size(shape[1], shape[2]))
        return shape

    def _prepare(self, x: torch.Tensor, train: bool, generator: torch.Generator | None) -> torch.Tensor:
        if not self.images:
            return x
        x = x.to(self.device, non_blocking=True).float().div_(255)
        x = self.augment(x, generator) if train and self.augment else self.augment.evaluation(x)
        x = (x - self.mean) / self.std
        return x.contiguous(memory_format=self.memory_format)

    def _batch_generator(self, epoch: int, batch: int) -> torch.Generator | None:
        if not (self.images and self.augment):
            return None
        return torch.Generator().manual_seed((self.seed * 1_000_003 + epoch) * 1_000_003 + batch)

    def _loader(self, dataset: torch.utils.data.Dataset, batches: list[torch.Tensor]) -> DataLoader:
        # Worker processes are not proven to work in the frozen app (they re-launch the bundle's
        # executable): load in this process there.
        workers = 0 if is_frozen() else self.cfg.num_workers
        return DataLoader(
            dataset,
            batch_sampler=[b.tolist() for b in batches],
            num_workers=workers,
            pin_memory=self.cfg.pin_memory and self.device.type == "cuda",
            persistent_workers=self.cfg.persistent_workers and workers > 0,
        )

    def train_batches(self, batches: list[torch.Tensor], start: int, epoch: int) -> Iterator[tuple[int, Batch]]:
        """(batch number, (inputs, targets)) for batches[start:], augmented."""
        if self.x_train is not None:
            for b in range(start, len(batches)):
                idx = batches[b].to(self.device, non_blocking=True)
                yield b, (self._prepare(self.x_train[idx], True, self._batch_generator(epoch, b)), self.y_train[idx])
            return
        loader = self._loader(self.data.stream.train, batches[start:])
        for b, (x, _) in enumerate(loader, start=start):
            idx = batches[b].to(self.device)
            yield b, (self._prepare(x, True, self._batch_generator(epoch, b)), self.y_train[idx])

    def eval_batches(self, indices: torch.Tensor, batch_size: int, split: str = "val") -> Iterator[Batch]:
        x = self.x_val if split == "val" else self.x_train
        y = self.y_val if split == "val" else self.y_train
        batches = list(indices.split(batch_size))
        if x is not None:
            for idx in batches:
                idx = idx.to(self.device)
                yield self._prepare(x[idx], False, None), y[idx]
            return
        dataset = self.data.stream.val if split == "val" else self.data.stream.train
        for (xb, _), idx in zip(self._loader(dataset, batches), batches, strict=True):
            yield self._prepare(xb, False, None), y[idx.to(self.device)]

    def sample(self, n: int) -> torch.Tensor:
        """The first ``n`` training inputs as the model sees them in evaluation (for shape checks and graphs)."""
        return next(self.eval_batches(torch.arange(min(n, len(self.y_train))), n, split="train"))[0]
