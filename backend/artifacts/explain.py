"""Why a model predicts what it does, with Captum, on a CPU copy of the model.

Grad-CAM (``LayerGradCam`` on the last convolution, upsampled to the input) for convolutional
networks; integrated gradients and saliency for any differentiable model. An image gives a heat map
over the image as the model saw it; a table row gives one signed attribution per feature. The
explained output is the predicted class (classification) or the first output (regression).

Inputs are read and checked by ``Predictor`` (backend/artifacts/predict.py), exactly as ``predict``
reads them; ``write_png`` draws the overlay or the bar chart and never replaces a file.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn

from backend.artifacts import runtime
from backend.artifacts.model_io import LoadedModel, load_model
from backend.artifacts.predict import Predictor
from backend.core import messages
from backend.core.errors import ModelError
from backend.core.experiments import METHOD_TITLES, METHODS

IG_STEPS = 32  # integration steps: the attributions change by well under 1% beyond this on the built-in models
PNG_MIN_SIDE = 256  # small inputs (8x8 digits) are enlarged by a whole factor to at least this many pixels
HEAT_ALPHA = 0.6  # the heat map's opacity where it is hottest


@dataclass
class Explanation:
    """One input's explanation: a heat map over its image, or attributions per feature."""

    input: str
    method: str
    task: str = "classification"  # or regression
    target: str = ""  # the explained class name (or output)
    score: float = math.nan  # its probability (classification) or value (regression)
    image: np.ndarray | None = field(default=None, repr=False)  # uint8 (C, H, W), as the model saw it
    heatmap: np.ndarray | None = field(default=None, repr=False)  # float (H, W) in 0..1
    features: list[str] = field(default_factory=list)
    attributions: list[float] = field(default_factory=list)
    error: str | None = None

    def line(self) -> str:
        if self.error:
            return f"{self.input}: error: {self.error}"
        score = f" ({self.score:.1%})" if self.task == "classification" else f" ({self.score:.4g})"
        return f"{self.input}: {METHOD_TITLES[self.method]} of {self.target}{score}"

    def overlay(self, min_side: int = PNG_MIN_SIDE) -> np.ndarray:
        """The heat map over the image as uint8 (H, W, 3), enlarged by a whole factor to ``min_side``."""
        from PIL import Image

        assert self.image is not None and self.heatmap is not None
        chw = self.image if self.image.shape[0] == 3 else np.repeat(self.image[:1], 3, axis=0)
        height, width = chw.shape[1:]
        factor = max(1, math.ceil(min_side / min(height, width)))
        size = (width * factor, height * factor)
        rgb = np.asarray(Image.fromarray(np.transpose(chw, (1, 2, 0))).resize(size, Image.Resampling.NEAREST))
        heat = np.asarray(Image.fromarray(self.heatmap.astype(np.float32), "F").resize(size, Image.Resampling.BILINEAR))
        heat = np.clip(heat, 0.0, 1.0)[..., None]
        blended = rgb * (1 - HEAT_ALPHA * heat) + jet(heat[..., 0]) * (HEAT_ALPHA * heat)
        return np.clip(blended, 0, 255).astype(np.uint8)


def jet(values: np.ndarray) -> np.ndarray:
    """The jet colour map (blue, cyan, yellow, red) of values in 0..1, as float RGB 0..255."""
    channels = [np.clip(1.5 - np.abs(4 * values - shift), 0, 1) for shift in (3, 2, 1)]
    return np.stack(channels, axis=-1) * 255


def last_conv(model: nn.Module) -> nn.Module | None:
    """The last 2-D convolution of ``model`` (Grad-CAM's layer), None for a network without one."""
    if isinstance(model, torch.jit.ScriptModule):
        return None  # no hooks on TorchScript modules
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    return convs[-1] if convs else None


def _heat(attr: torch.Tensor) -> np.ndarray:
    """A (1, C, H, W) attribution as an (H, W) map in 0..1: magnitude summed over channels, scaled so
    that the 99th percentile is 1 (a few extreme pixels do not wash out the rest)."""
    heat = attr.detach().abs().sum(dim=1)[0]
    top = torch.quantile(heat.flatten(), 0.99).item()
    return (heat / top).clamp(0, 1).numpy() if top > 0 else heat.numpy()


class Explainer(Predictor):
    """A PyTorch model ready to explain (reads its inputs as ``Predictor`` does)."""

    def __init__(self, loaded: LoadedModel) -> None:
        super().__init__(runtime.torch_runner(loaded.model), loaded.meta, loaded.source, "PyTorch")
        self.model = loaded.model.eval()

    @classmethod
    def open(cls, path: str | Path, *, trusted: bool = False) -> Explainer:  # type: ignore[override]
        return cls(load_model(path, trusted=trusted))

    def methods(self) -> tuple[str, ...]:
        """The methods that apply: Grad-CAM only to an image model with a convolution."""
        if self.spec["kind"] == "image" and last_conv(self.model) is not None:
            return METHODS
        return METHODS[1:]

    def default_method(self) -> str:
        return self.methods()[0]

    # ------------------------------------------------------------------ one input
    def _target(self, x: torch.Tensor) -> tuple[int, str, float]:
        with torch.no_grad():
            out = self.model(x)[0]
        if self.task == "classification":
            probs = out.softmax(dim=0)
            index = int(probs.argmax())
            names = self.class_names
            return index, names[index] if index < len(names) else str(index), float(probs[index])
        return 0, "output", float(out.reshape(-1)[0])

    def _attribute(self, x: torch.Tensor, method: str, target: int) -> torch.Tensor:
        from captum.attr import IntegratedGradients, LayerAttribution, LayerGradCam, Saliency

        if method == "gradcam":
            layer = last_conv(self.model)
            if layer is None or x.dim() != 4:
                raise ModelError(messages.ERR_EXPLAIN_NO_CONV.format(path=self.source))
            cam = LayerGradCam(self.model, layer).attribute(x, target=target, relu_attributions=True)
            return LayerAttribution.interpolate(cam, tuple(x.shape[2:]), interpolate_mode="bilinear")
        if method == "integrated_gradients":
            return IntegratedGradients(self.model).attribute(
                x, baselines=torch.zeros_like(x), target=target, n_steps=IG_STEPS
            )
        return Saliency(self.model).attribute(x, target=target, abs=True)

    def explain_input(self, label: str, x: torch.Tensor, image: np.ndarray | None, method: str) -> Explanation:
        """Explain one prepared model input ``x`` (no batch axis); ``image`` is its uint8 picture, if any."""
        if method not in METHODS:
            raise ModelError(messages.ERR_EXPLAIN_METHOD.format(method=method, allowed=", ".join(METHODS)))
        batch = x.unsqueeze(0).float()
        index, name, score = self._target(batch)
        attr = self._attribute(batch.clone().requires_grad_(True), method, index)
        result = Explanation(label, method, self.task, name, score)
        if image is not None:
            result.image, result.heatmap = image, _heat(attr)
        else:
            values = attr.detach()[0].reshape(-1).tolist()
            names = list(self.spec.get("feature_names") or [])
            result.features = names if len(names) == len(values) else [f"feature {i + 1}" for i in range(len(values))]
            result.attributions = [float(v) for v in values]
        return result

    def explain_image(self, image: np.ndarray, label: str, method: str) -> Explanation:
        """Explain a uint8 (C, H, W) image at the training size (a validation sample of the gallery)."""
        shown, x = self.model_input(torch.from_numpy(np.ascontiguousarray(image)))
        return self.explain_input(label, x, shown.numpy(), method)

    def explain(self, inputs: list[str | Path], method: str) -> list[Explanation]:
        """One Explanation per image file or CSV row; an unreadable input gets one with its error."""
        results = []
        for item in inputs:
            for one in self._inputs(item):  # read and checked exactly as predict reads them
                if isinstance(one.x, torch.Tensor):
                    results.append(self.explain_input(one.label, one.x, one.image, method))
                else:
                    results.append(Explanation(one.label, method, self.task, error=one.x))
        return results


# ---------------------------------------------------------------------------- PNG files
def _bar_chart(explanation: Explanation) -> np.ndarray:
    """Per-feature attributions as horizontal bars (positive right, negative left), RGB uint8."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=14)
    names, values = explanation.features, explanation.attributions
    row, label_width, bar_width, pad = 24, 180, 360, 12
    height = pad * 2 + row * (len(values) + 1)
    canvas = Image.new("RGB", (label_width + bar_width + 2 * pad + 90, height), "white")
    draw = ImageDraw.Draw(canvas)
    title = f"{METHOD_TITLES[explanation.method]}: {explanation.target}"
    draw.text((pad, pad), title, fill="black", font=font)
    scale = max((abs(v) for v in values), default=0.0) or 1.0
    axis = pad + label_width + bar_width // 2
    for i, (name, value) in enumerate(zip(names, values, strict=True)):
        top = pad + row * (i + 1)
        draw.text((pad, top + 4), str(name)[:24], fill="black", font=font)
        length = int(value / scale * (bar_width // 2 - 4))
        left, right = sorted((axis, axis + length))
        draw.rectangle((left, top + 4, right, top + row - 4), fill="#d62728" if value > 0 else "#1f77b4")
        draw.text((pad + label_width + bar_width + 8, top + 4), f"{value:+.3g}", fill="black", font=font)
    draw.line((axis, pad + row, axis, height - pad), fill="gray")
    return np.asarray(canvas)


def _stem(label: str) -> str:
    path, sep, row = label.rpartition(":row ")
    stem = Path(path if sep else label).stem + (f"-row{row}" if sep else "")
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") or "input"


def free_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem.suffix``, or ``stem-2.suffix`` ... when taken: an explanation never replaces a file."""
    candidate, i = folder / f"{stem}{suffix}", 2
    while candidate.exists():
        candidate, i = folder / f"{stem}-{i}{suffix}", i + 1
    return candidate


def explanation_picture(explanation: Explanation) -> np.ndarray:
    """What the PNG shows: the overlay for an image, the bar chart for a table row (uint8 H, W, 3)."""
    return explanation.overlay() if explanation.heatmap is not None else _bar_chart(explanation)


def write_png(explanation: Explanation, folder: str | Path) -> Path:
    """Write ``<input>-<method>.png`` into ``folder`` (a new name when that one is taken); returns its path."""
    from PIL import Image

    from backend.core.atomic import atomic_open
    from backend.core.os_errors import make_folder

    target = free_path(
        make_folder(Path(folder).expanduser()), f"{_stem(explanation.input)}-{explanation.method}", ".png"
    )
    with atomic_open(target) as fh:
        Image.fromarray(explanation_picture(explanation)).save(fh, format="PNG")
    return target


def explain_files(
    model_path: str | Path, inputs: list[str | Path], method: str = "auto", *, trusted: bool = False
) -> tuple[Explainer, list[Explanation]]:
    """Open ``model_path`` and explain every image file or CSV row (``auto``: Grad-CAM where it applies)."""
    explainer = Explainer.open(model_path, trusted=trusted)
    chosen = explainer.default_method() if method == "auto" else method
    return explainer, explainer.explain(inputs, chosen)
