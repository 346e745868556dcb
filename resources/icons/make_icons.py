"""Draws the TorchDesk icon (a flame over a rising training curve) at 256 and 48 pixels.

Run from the repository root: ``.venv/bin/python resources/icons/make_icons.py``. The PNGs are
committed; this script only documents how they were made.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent
SCALE = 4  # draw big, then downsample for smooth edges


def _flame(cx: float, base: float, height: float, width: float, steps: int = 64) -> list[tuple[float, float]]:
    """A teardrop flame: round bottom, pointed tip leaning slightly right."""
    pts = []
    for i in range(steps + 1):
        t = i / steps * 2 * math.pi
        # Round lower half, then narrowing towards the tip.
        x = math.sin(t) * width / 2
        y = -math.cos(t)
        if y > 0:
            y *= height * 0.32
        else:
            squeeze = 1 - (-y) ** 1.6 * 0.9
            x *= squeeze
            y *= height * 0.68
        x += (-min(y, 0) / height) ** 2 * width * 0.22
        pts.append((cx + x, base - height * 0.32 + y))
    return pts


def draw(size: int) -> Image.Image:
    s = size * SCALE
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    pad = s * 0.04
    d.rounded_rectangle((pad, pad, s - pad, s - pad), radius=s * 0.2, fill=(32, 36, 48, 255))
    # Grid lines of a plot.
    for k in range(1, 4):
        y = pad + (s - 2 * pad) * k / 4
        d.line((s * 0.14, y, s * 0.86, y), fill=(60, 66, 84, 255), width=max(1, int(s * 0.008)))
    # The flame: outer orange, inner yellow.
    d.polygon(_flame(s * 0.5, s * 0.86, s * 0.7, s * 0.5), fill=(238, 76, 44, 255))
    d.polygon(_flame(s * 0.5, s * 0.84, s * 0.38, s * 0.27), fill=(255, 176, 59, 255))
    # A rising accuracy curve across the flame, in white.
    curve = []
    for i in range(41):
        u = i / 40
        rise = (1 - math.exp(-4.0 * u)) / (1 - math.exp(-4.0))
        curve.append((s * (0.14 + 0.72 * u), s * 0.80 - s * 0.52 * rise))
    d.line(curve, fill=(245, 247, 250, 255), width=int(s * 0.035), joint="curve")
    r = s * 0.035
    x, y = curve[-1]
    d.ellipse((x - r, y - r, x + r, y + r), fill=(245, 247, 250, 255))
    img = img.filter(ImageFilter.SMOOTH)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    for size in (256, 48):
        name = "torchdesk.png" if size == 256 else f"torchdesk-{size}.png"
        draw(size).save(HERE / name, optimize=True)
        print(HERE / name)


if __name__ == "__main__":
    main()
