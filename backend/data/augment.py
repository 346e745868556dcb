"""Augmentation on whole batches as tensor operations (on the training device), not per-sample PIL.

The specs (``name`` or ``name:arg,arg``) and their grammar are backend/core/transform_specs.py.
Randomness comes from a generator the caller seeds per batch, so a resumed run repeats it exactly.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from backend.core.transform_specs import TransformSpec

GEOMETRIC = ("rotation", "affine", "random_resized_crop")


def _uniform(g: torch.Generator, n: int, low: float, high: float) -> torch.Tensor:
    return torch.rand(n, generator=g) * (high - low) + low


def _geometric_matrix(spec: TransformSpec, n: int, g: torch.Generator) -> torch.Tensor:
    """Per-sample 3x3 matrices mapping output coordinates to input coordinates (in [-1, 1])."""
    eye = torch.eye(3).repeat(n, 1, 1)
    if spec.name == "random_resized_crop":
        area = _uniform(g, n, spec.args[0], 1.0)
        log_ratio = _uniform(g, n, math.log(3 / 4), math.log(4 / 3))
        w = torch.sqrt(area * log_ratio.exp()).clamp(max=1.0)
        h = torch.sqrt(area / log_ratio.exp()).clamp(max=1.0)
        eye[:, 0, 0], eye[:, 1, 1] = w, h
        eye[:, 0, 2] = _uniform(g, n, -1, 1) * (1 - w)
        eye[:, 1, 2] = _uniform(g, n, -1, 1) * (1 - h)
        return eye
    degrees = spec.args[0]
    translate, scale_min, scale_max, shear = spec.args[1:] if spec.name == "affine" else (0.0, 1.0, 1.0, 0.0)
    angle = torch.deg2rad(_uniform(g, n, -degrees, degrees))
    scale = _uniform(g, n, scale_min, scale_max)
    shear_x = torch.tan(torch.deg2rad(_uniform(g, n, -shear, shear)))
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    eye[:, 0, 0], eye[:, 0, 1] = cos, -sin + cos * shear_x
    eye[:, 1, 0], eye[:, 1, 1] = sin, cos - sin * shear_x
    eye[:, 0, 2] = _uniform(g, n, -translate, translate) * 2
    eye[:, 1, 2] = _uniform(g, n, -translate, translate) * 2
    return eye


def _flip(x: torch.Tensor, p: float, dim: int, g: torch.Generator) -> torch.Tensor:
    mask = (torch.rand(len(x), generator=g) < p).to(x.device)
    return torch.where(mask[:, None, None, None], x.flip(dim), x)


def _random_crop(x: torch.Tensor, padding: int, g: torch.Generator) -> torch.Tensor:
    """Each image cropped back to its size at a random offset of itself padded with ``padding`` zeros on
    every side (torchvision's RandomCrop(size, padding)): one gather for the whole batch, on its device."""
    n, c, h, w = x.shape
    if padding == 0:
        return x
    padded = F.pad(x, (padding, padding, padding, padding))
    top, left = (torch.randint(0, 2 * padding + 1, (n,), generator=g).to(x.device) for _ in range(2))
    rows = (top[:, None] + torch.arange(h, device=x.device))[:, None, :, None]
    cols = (left[:, None] + torch.arange(w, device=x.device))[:, None, None, :]
    images = torch.arange(n, device=x.device)[:, None, None, None]
    channels = torch.arange(c, device=x.device)[None, :, None, None]
    return padded[images, channels, rows, cols]


def _color_jitter(x: torch.Tensor, args: tuple[float, ...], g: torch.Generator) -> torch.Tensor:
    n, dev = len(x), x.device
    brightness, contrast, saturation = args
    shape = (n, 1, 1, 1)
    x = x * _uniform(g, n, 1 - brightness, 1 + brightness).to(dev).view(shape)
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    x = (x - mean) * _uniform(g, n, 1 - contrast, 1 + contrast).to(dev).view(shape) + mean
    if x.shape[1] == 3:
        grey = (x * torch.tensor([0.299, 0.587, 0.114], device=dev).view(1, 3, 1, 1)).sum(1, keepdim=True)
        x = (x - grey) * _uniform(g, n, 1 - saturation, 1 + saturation).to(dev).view(shape) + grey
    return x.clamp(0, 1)


def center_crop(x: torch.Tensor, size: int) -> torch.Tensor:
    h, w = x.shape[-2:]
    size_h, size_w = min(size, h), min(size, w)
    top, left = (h - size_h) // 2, (w - size_w) // 2
    return x[..., top : top + size_h, left : left + size_w]


class BatchAugment:
    """Applies the specs in order to a float batch in [0, 1] of shape (N, C, H, W)."""

    def __init__(self, specs: list[TransformSpec]) -> None:
        self.specs = specs

    def __bool__(self) -> bool:
        return bool(self.specs)

    def output_size(self, height: int, width: int) -> tuple[int, int]:
        for spec in self.specs:
            if spec.name == "center_crop":
                height, width = min(height, int(spec.args[0])), min(width, int(spec.args[0]))
        return height, width

    def evaluation(self, x: torch.Tensor) -> torch.Tensor:
        """The deterministic part (center crops) that validation and prediction apply too."""
        for spec in self.specs:
            if spec.name == "center_crop":
                x = center_crop(x, int(spec.args[0]))
        return x

    def __call__(self, x: torch.Tensor, g: torch.Generator) -> torch.Tensor:
        n = len(x)
        matrix: torch.Tensor | None = None
        for spec in self.specs:
            if spec.name in GEOMETRIC:
                step = _geometric_matrix(spec, n, g)
                matrix = step if matrix is None else matrix @ step
                continue
            x = self._flush(x, matrix)  # geometric steps so far, composed into one resampling
            matrix = None
            if spec.name in ("hflip", "vflip"):
                x = _flip(x, spec.args[0], -1 if spec.name == "hflip" else -2, g)
            elif spec.name == "random_crop":
                x = _random_crop(x, int(spec.args[0]), g)
            elif spec.name == "color_jitter":
                x = _color_jitter(x, spec.args, g)
            elif spec.name == "gaussian_noise":
                noise = torch.randn(x.shape, generator=g).to(x.device)
                x = (x + noise * spec.args[0]).clamp(0, 1)
            elif spec.name == "center_crop":
                x = center_crop(x, int(spec.args[0]))
        return self._flush(x, matrix)

    @staticmethod
    def _flush(x: torch.Tensor, matrix: torch.Tensor | None) -> torch.Tensor:
        if matrix is None:
            return x
        theta = matrix[:, :2, :].to(device=x.device, dtype=x.dtype)
        grid = F.affine_grid(theta, list(x.shape), align_corners=False)
        return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
