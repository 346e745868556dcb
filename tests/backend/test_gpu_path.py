"""The GPU data path, exercised on the CPU: uint8 images kept on the training device and augmented there in
batched tensor ops (random crop with padding, flips), or, larger than the device's budget, kept in host memory
and gathered per batch; channels_last and AMP as the GPU defaults. Only the CUDA copy itself is not run here."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch
import torch.nn.functional as F

from backend.core.config import RunConfig
from backend.core.errors import ConfigError
from backend.core.transform_specs import parse_transforms
from backend.data import pipeline as pipeline_module
from backend.data.augment import BatchAugment
from backend.data.bundle import DataBundle
from backend.data.pipeline import BatchPipeline
from backend.engine.presets import fast_settings

CPU = torch.device("cpu")


def images(n: int = 48) -> DataBundle:
    g = torch.Generator().manual_seed(0)
    x = torch.randint(0, 256, (n, 3, 8, 8), dtype=torch.uint8, generator=g)
    y = torch.arange(n) % 4
    norm = {"mean": [0.5] * 3, "std": [0.25] * 3}
    return DataBundle("uint8-images", x[:32], y[:32], x[32:], y[32:], "classification", list("abcd"), norm)


def test_random_crop_with_padding_is_one_batched_gather_equal_to_per_sample_crops() -> None:
    x = torch.rand(16, 3, 8, 8)
    out = BatchAugment(parse_transforms(["random_crop:3"]))(x, torch.Generator().manual_seed(5))
    g = torch.Generator().manual_seed(5)  # the same draws, per sample
    top, left = torch.randint(0, 7, (16,), generator=g), torch.randint(0, 7, (16,), generator=g)
    padded = F.pad(x, (3, 3, 3, 3))
    expected = torch.stack([padded[i, :, top[i] : top[i] + 8, left[i] : left[i] + 8] for i in range(16)])
    assert torch.equal(out, expected) and len({(int(t), int(le)) for t, le in zip(top, left, strict=True)}) > 1
    assert torch.equal(BatchAugment(parse_transforms(["random_crop:0"]))(x, g), x)
    for bad in ("random_crop:1.5", "random_crop:-1"):
        with pytest.raises(ConfigError, match="whole pixels"):
            parse_transforms([bad])


def _pipeline(data: DataBundle, channels_last: bool = True) -> BatchPipeline:
    cfg = RunConfig().data
    cfg.augment, cfg.transforms = "custom", ["random_crop:2", "hflip"]
    return BatchPipeline(data, cfg, CPU, seed=3, channels_last=channels_last)


def test_resident_images_stay_uint8_on_the_device_and_batches_come_out_augmented_channels_last() -> None:
    data = images()
    pipe = _pipeline(data)
    assert pipe.x_train.dtype == torch.uint8 and pipe.x_train.device == CPU  # on the device, as uint8
    batches = [torch.arange(0, 16), torch.arange(16, 32)]
    (_, (xb, yb)), second = list(pipe.train_batches(batches, 0, epoch=1))
    assert xb.dtype == torch.float32 and xb.shape == (16, 3, 8, 8) and torch.equal(yb, data.y_train[:16])
    assert xb.is_contiguous(memory_format=torch.channels_last)
    plain = (data.x_train[:16].float() / 255 - 0.5) / 0.25
    assert not torch.equal(xb, plain)  # cropped and flipped
    again = next(iter(pipe.train_batches(batches, 0, epoch=1)))[1][0]
    assert torch.equal(xb, again)  # seeded per batch: a resumed run repeats it exactly
    assert torch.equal(list(_pipeline(data).train_batches(batches, 1, epoch=1))[0][1][0], second[1][0])


def test_data_larger_than_the_device_budget_stays_in_host_memory_and_trains_the_same(monkeypatch) -> None:  # noqa: ANN001
    data = images()
    batches = [torch.arange(0, 16), torch.arange(16, 32)]
    on_device = [x for _, (x, _) in _pipeline(data).train_batches(batches, 0, epoch=0)]
    monkeypatch.setattr(pipeline_module, "device_budget", lambda device: 100)  # bytes: nothing fits
    pipe = _pipeline(data)
    assert pipe.x_train is data.x_train  # not copied: each batch is gathered in host memory, then copied
    gathered = [x for _, (x, _) in pipe.train_batches(batches, 0, epoch=0)]
    assert all(torch.equal(a, b) for a, b in zip(on_device, gathered, strict=True))
    streamed = _pipeline(replace(data, resident=False))  # the disk cache's case: the same path
    assert streamed.x_train is data.x_train


def test_channels_last_and_mixed_precision_are_the_gpu_defaults() -> None:
    config = RunConfig()
    assert config.train.channels_last and config.train.precision == "auto"  # auto: bf16/fp16 on a GPU
    settings = fast_settings(images(), torch.device("cuda"), epochs=2)
    assert settings["train.channels_last"] and settings["train.precision"] == "auto"
