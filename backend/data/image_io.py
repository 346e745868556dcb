"""The one way the engine opens image files: with a pixel limit, so that a decompression bomb
(a 20000x20000 PNG of a few hundred KB) is refused like any unreadable file instead of being decoded.

Training skips and counts refused files, prediction refuses them with the reason (``DataError``).
The image size a folder is decoded at is chosen from the sizes of many of its files (the most
common one), read from the file headers only, and capped at ``AUTO_IMAGE_SIDE_MAX`` a side.
Whole-folder decoding (``decode_into``) reads each file once, and takes a plain 8-bit grey or RGB
PNG already at the training size straight to PIL's own decoder (``_decode_plain_png``).
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from backend.core import messages
from backend.core.errors import DataError

if TYPE_CHECKING:  # torch is imported where a tensor is made: decoding processes start without it
    import torch

# PIL's own default limit (2**32 / 4 / 12 pixels, about 89.5 MP; a 12000x12000 image is 144 MP).
# PIL only warns between this and twice this; here anything above it is refused, whatever PIL's
# setting. The module-wide filter below only silences PIL's warning, which this check replaces.
MAX_IMAGE_PIXELS = 89_478_485
# data.image_size = 0 decodes at the most common size of the images, scaled down (aspect kept) so
# that its longer side is at most this: 224 px is what torchvision's models were trained at.
AUTO_IMAGE_SIDE_MAX = 512
# Files whose headers are read to choose the size and colour mode (evenly spread over the list).
SURVEY_FILES = 512
GREY_MODES = {"L", "1", "I;16", "I"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PLAIN_PNG_MODES = {0: "L", 2: "RGB"}  # PNG colour type -> the mode its 8-bit pixels are in

warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

# What PIL raises for a file it cannot decode (truncated data, a bad header, a foreign format).
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError, struct.error)
_BOMB_ERRORS = (Image.DecompressionBombError, Image.DecompressionBombWarning)


def _too_large(path: Path, size: tuple[int, int] | None) -> DataError:
    limit = MAX_IMAGE_PIXELS / 1e6
    if size is None:
        return DataError(messages.ERR_IMAGE_BOMB.format(name=path.name, limit=limit))
    width, height = size
    return DataError(
        messages.ERR_IMAGE_TOO_LARGE.format(
            name=path.name, width=width, height=height, megapixels=width * height / 1e6, limit=limit
        )
    )


def _declared_size(path: Path) -> tuple[int, int] | None:
    """The size in a file's header, read by PIL's format plugins without PIL's pixel limit
    (``Image.open`` raises before saying it); nothing is decoded."""
    Image.init()
    try:
        with open(path, "rb") as fp:
            prefix = fp.read(16)
            for fmt in Image.ID:
                factory, accept = Image.OPEN[fmt]
                accepted = accept(prefix) if accept else True
                if not accepted or isinstance(accepted, str):  # a str is PIL's "maybe, but" warning
                    continue
                fp.seek(0)
                try:
                    return tuple(factory(fp, str(path)).size)
                except Exception:  # noqa: BLE001 - not this format: try the next plugin
                    continue
    except OSError:
        return None
    return None


@contextmanager
def open_image(path: Path, data: bytes | None = None) -> Iterator[Image.Image]:
    """``path`` opened (header read, pixels not decoded yet); DataError when it is not a readable
    image or has more than MAX_IMAGE_PIXELS pixels. ``data``: the file's bytes, already read."""
    path = Path(path)
    try:
        img = Image.open(path if data is None else io.BytesIO(data))
    except _BOMB_ERRORS:
        raise _too_large(path, _declared_size(path)) from None
    except _DECODE_ERRORS:
        raise DataError(messages.ERR_PREDICT_NOT_IMAGE.format(name=path.name)) from None
    with img:
        if img.width * img.height > MAX_IMAGE_PIXELS:
            raise _too_large(path, img.size)
        try:
            yield img
        except _BOMB_ERRORS:  # a format whose decoded size differs from its header's
            raise _too_large(path, None) from None
        except _DECODE_ERRORS:
            raise DataError(messages.ERR_PREDICT_NOT_IMAGE.format(name=path.name)) from None


def _pixels(img: Image.Image, size: tuple[int, int] | None, mode: str) -> np.ndarray:
    """The pixels of an opened image in ``mode``, resized to ``size`` (H, W) if given: (H, W) or (H, W, C)."""
    if size is not None and img.format == "JPEG":
        # JPEG decodes straight at 1/2, 1/4 or 1/8 scale (never below ``size``): far less work for large photos.
        img.draft(mode, (size[1], size[0]))
    if img.mode != mode:
        img = img.convert(mode)
    if size is not None and img.size != (size[1], size[0]):
        img = img.resize((size[1], size[0]), Image.BILINEAR)
    return np.asarray(img, dtype=np.uint8)


def load_image(path: Path, size: tuple[int, int] | None, mode: str) -> torch.Tensor:
    """A uint8 (C, H, W) tensor in ``mode`` ("L" or "RGB"), resized to ``size`` (H, W) if given;
    DataError saying why when the file cannot be used."""
    with open_image(path) as img:
        array = _pixels(img, size, mode)
    import torch

    if array.ndim == 2:
        array = array[:, :, None]
    return torch.from_numpy(array.copy()).permute(2, 0, 1)


def decode_image(path: Path, size: tuple[int, int] | None, mode: str) -> torch.Tensor | None:
    """``load_image``, or None when the file cannot be used (training skips and counts it)."""
    try:
        return load_image(path, size, mode)
    except DataError:
        return None


def _put(array: np.ndarray, out: np.ndarray) -> None:
    """(H, W) or (H, W, C) pixels into ``out`` (C, H, W)."""
    if array.ndim == 2:
        out[0] = array
    else:
        out[:] = array.transpose(2, 0, 1)


def _plain_png_header(data: bytes) -> tuple[tuple[int, int], str] | None:
    """(height, width) and mode of an 8-bit grey or RGB PNG that is not interlaced, from its first 33
    bytes; None for any other file (PIL reads those)."""
    if len(data) < 33 or data[:8] != PNG_SIGNATURE or data[12:16] != b"IHDR":
        return None
    if zlib.crc32(data[12:29]) != struct.unpack_from(">I", data, 29)[0]:  # a damaged header
        return None
    width, height, depth, colour, _compression, _filter, interlace = struct.unpack_from(">IIBBBBB", data, 16)
    mode = PLAIN_PNG_MODES.get(colour)
    if depth != 8 or interlace or mode is None or width * height > MAX_IMAGE_PIXELS:
        return None
    return (height, width), mode


def _decode_plain_png(data: bytes, out: np.ndarray, mode: str) -> bool | None:
    """The commonest file of a folder of small images, an 8-bit grey or RGB PNG (not interlaced) that is
    already at ``out``'s size and mode, decoded by PIL's own zlib and unfiltering code without
    ``Image.open``'s per-file Python work (about half of a small PNG's decoding time). None: not such
    a file (the caller takes PIL's general path); False: such a file, damaged."""
    header = _plain_png_header(data)
    if header is None or header != (out.shape[1:], mode):
        return None
    height, width = out.shape[1:]
    idat, pos, kind = [], 33, b""
    while pos + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        if kind == b"IDAT":
            idat.append(data[pos + 8 : pos + 8 + length])
        elif kind in (b"IEND", b"tRNS"):  # transparency: PIL's general path decides what it means
            break
        pos += 12 + length
    if kind == b"tRNS":
        return None
    try:
        image = Image.core.new(mode, (width, height))
        decoder = Image._getdecoder(mode, "zip", mode)
    except (AttributeError, OSError):  # PIL internals (stable since Pillow 2) gone: the general path
        return None
    decoder.setimage(image, (0, 0, width, height))
    try:
        consumed, error = decoder.decode(b"".join(idat))
    finally:
        decoder.cleanup()
    if consumed >= 0 or error < 0:  # consumed >= 0: the data ended before the image did
        return False
    _put(np.asarray(Image.Image()._new(image)), out)
    return True


def decode_into(path: Path | str, out: np.ndarray, mode: str) -> bool:
    """Decode ``path`` into ``out``, a uint8 (C, H, W) array (the size it is resized to); False when
    the file cannot be used. The fast path of whole-folder decoding: the file is read once, no
    tensor, no extra copy."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return False
    fast = _decode_plain_png(data, out, mode)
    if fast is not None:
        return fast
    try:
        with open_image(Path(path), data) as img:
            _put(_pixels(img, out.shape[1:], mode), out)
    except DataError:
        return False
    return True


def _header(path: Path) -> tuple[tuple[int, int], str] | None:
    try:
        with open(path, "rb") as fh:
            plain = _plain_png_header(fh.read(33))
    except OSError:
        return None
    if plain is not None:
        return plain
    try:
        with open_image(path) as img:
            return (img.height, img.width), img.mode
    except DataError:
        return None


@dataclass(frozen=True)
class ImageSurvey:
    """The headers of up to SURVEY_FILES files of a folder."""

    sizes: Counter[tuple[int, int]]  # (height, width) -> how many of the checked files have it
    modes: set[str]
    checked: int
    unreadable: int

    @property
    def mode(self) -> str:
        """The colour mode every image is converted to: grey when all are grey, else RGB."""
        return "L" if self.modes <= GREY_MODES else "RGB"

    def size(self, image_size: int) -> tuple[int, int]:
        """``data.image_size`` square, or (0: automatic) the most common size capped at AUTO_IMAGE_SIDE_MAX."""
        if image_size:
            return image_size, image_size
        (height, width), _count = self.sizes.most_common(1)[0]
        scale = min(1.0, AUTO_IMAGE_SIDE_MAX / max(height, width))
        return max(1, round(height * scale)), max(1, round(width * scale))


def survey_images(paths: list[Path], folder: Path) -> ImageSurvey:
    """Sizes and modes from the headers of up to SURVEY_FILES of ``paths``, spread evenly over
    them (folders list their files class by class); DataError when none of them can be read."""
    step = max(1, -(-len(paths) // SURVEY_FILES))
    picked = paths[::step]
    headers = [h for h in map(_header, picked) if h is not None]
    if not headers:
        raise DataError(messages.ERR_IMAGES_UNREADABLE.format(folder=folder))
    return ImageSurvey(
        sizes=Counter(size for size, _ in headers),
        modes={mode for _, mode in headers},
        checked=len(picked),
        unreadable=len(picked) - len(headers),
    )
