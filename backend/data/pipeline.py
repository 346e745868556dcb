"""From index batches to model-ready tensors on the training device.

In memory: images stay uint8 on the device and each batch is gathered by index, scaled,
augmented as a whole and normalised there. A set larger than the memory budget stays where it
is (memory-mapped from the disk cache): batches are gathered there, copied to the device
(pinned, on a GPU), and the cache's pages are handed back to the OS as training moves on.
Streaming: a DataLoader decodes the same index batches from disk in worker processes, and the
batch then takes the same path; a file that cannot be decoded is skipped (in validation: a
blank image) and counted in a warning. The order is
fixed by the sampler and augmentation randomness is seeded per batch, so both paths resume exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import torch
from torch.utils.data import DataLoader

from backend.core import messages
from backend.core.config import DataConfig
from backend.core.errors import ConfigError
from backend.core.host_memory import available_ram
from backend.core.paths import is_frozen
from backend.core.transform_specs import preset_specs
from backend.data.augment import BatchAugment
from backend.data.bundle import DataBundle
from backend.data.cache import device_budget

Batch = tuple[torch.Tensor, torch.Tensor]
PAGE_BYTES = 4096  # a gathered image row keeps at least one page of the mapped cache resident
RELEASE_FRACTION = 0.1  # mapped pages a run may keep resident, as a share of the free RAM


class BatchPipeline:
    def __init__(
        self,
        data: DataBundle,
        cfg: DataConfig,
        device: torch.device,
        seed: int,
        channels_last: bool = False,
        on_warning: Callable[[str], None] | None = None,
    ) -> None:
        self.data, self.cfg, self.device, self.seed = data, cfg, device, seed
        self.on_warning = on_warning
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
            # uint8 -> normalised in one multiply-add: (x / 255 - mean) / std = x * scale + shift
            self.scale, self.shift = 1 / (255 * self.std), -self.mean / self.std
        # Tensors live on the training device once (unless larger than the memory budget: for data held in
        # host memory, a GPU's share of its free memory); streaming data stays on disk.
        held = [x for x in (data.x_train, data.x_val) if x is not None]
        budget = device_budget(device) if data.resident else None
        on_device = data.resident and (budget is None or sum(x.numel() * x.element_size() for x in held) <= budget)
        self.x_train, self.x_val = (
            x.to(device) if x is not None and on_device else x for x in (data.x_train, data.x_val)
        )
        self.y_train, self.y_val = data.y_train.to(device), data.y_val.to(device)
        self.release_every = self._release_every()
        self.skipped: set[tuple[str, int]] = set()  # streamed files that could not be decoded

    def _release_every(self) -> int:
        """Batches between two releases of the mapped cache's pages (0: never, the set fits the budget)."""
        if self.data.resident or self.data.mapped is None or self.x_train is None:
            return 0
        row = max(PAGE_BYTES, self.x_train[0].numel())
        return max(1, int(available_ram() * RELEASE_FRACTION) // (row * self.cfg.batch_size))

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
        x = x.to(self.device, non_blocking=True)
        if train and self.augment:
            x = self.augment(x.float().div_(255), generator)
            return ((x - self.mean) / self.std).contiguous(memory_format=self.memory_format)
        # No augmentation: one float copy, already in the model's memory layout, normalised in place.
        x = self.augment.evaluation(x).to(torch.float32, memory_format=self.memory_format)
        return x.mul_(self.scale).add_(self.shift)

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

    def _gather(self, x: torch.Tensor, y: torch.Tensor, idx: torch.Tensor) -> Batch:
        """Rows ``idx`` of ``x`` and ``y``; ``x`` is indexed where it lives (pinned for the copy to a GPU
        when that is the host)."""
        on_device = idx.to(self.device, non_blocking=True)
        if x.device.type == self.device.type:
            return x[on_device], y[on_device]
        rows = x[idx]
        return (rows.pin_memory() if self.device.type == "cuda" else rows), y[on_device]

    def _skip_bad(self, split: str, idx: torch.Tensor, ok: torch.Tensor) -> None:
        """Count the streamed files of ``idx`` that could not be decoded (``ok`` False)."""
        if not bool(ok.all()):
            self.skipped.update((split, int(i)) for i in idx[~ok])

    def _report_skipped(self, before: int) -> None:
        if len(self.skipped) > before and self.on_warning is not None:
            self.on_warning(messages.IMAGES_SKIPPED_STREAMED.format(count=len(self.skipped), root=self.cfg.root))

    def train_batches(self, batches: list[torch.Tensor], start: int, epoch: int) -> Iterator[tuple[int, Batch]]:
        """(batch number, (inputs, targets)) for batches[start:], augmented."""
        if self.x_train is not None:
            for b in range(start, len(batches)):
                if self.release_every and b % self.release_every == 0:
                    self.data.mapped.release_pages()
                xb, yb = self._gather(self.x_train, self.y_train, batches[b])
                yield b, (self._prepare(xb, True, self._batch_generator(epoch, b)), yb)
            return
        before = len(self.skipped)
        loader = self._loader(self.data.stream.train, batches[start:])
        for b, (x, ok) in enumerate(loader, start=start):
            idx = batches[b]
            if not bool(ok.all()):  # skipped, as in-memory decoding skips them
                self._skip_bad("train", idx, ok)
                x, idx = x[ok], idx[ok]
                if len(idx) == 0:
                    continue
            yield b, (self._prepare(x, True, self._batch_generator(epoch, b)), self.y_train[idx.to(self.device)])
        self._report_skipped(before)

    def eval_batches(self, indices: torch.Tensor, batch_size: int, split: str = "val") -> Iterator[Batch]:
        x = self.x_val if split == "val" else self.x_train
        y = self.y_val if split == "val" else self.y_train
        batches = list(indices.split(batch_size))
        if x is not None:
            for idx in batches:
                xb, yb = self._gather(x, y, idx)
                yield self._prepare(xb, False, None), yb
            return
        before = len(self.skipped)
        dataset = self.data.stream.val if split == "val" else self.data.stream.train
        # A file that cannot be decoded stays in as a blank image: every sample is counted once in the metrics.
        for (xb, ok), idx in zip(self._loader(dataset, batches), batches, strict=True):
            self._skip_bad(split, idx, ok)
            yield self._prepare(xb, False, None), y[idx.to(self.device)]
        self._report_skipped(before)

    def sample(self, n: int) -> torch.Tensor:
        """The first ``n`` training inputs as the model sees them in evaluation (for shape checks and graphs)."""
        return next(self.eval_batches(torch.arange(min(n, len(self.y_train))), n, split="train"))[0]
