"""What kind of model file a path holds, judged by its bytes (the extension is only a hint).

- ``torch``: a ``torch.save`` archive (zip, or the legacy pickle stream) or any other pickle: a
  checkpoint, a state dict or a pickled object; which of them is decided when it is read with
  ``weights_only=True`` (a pickle holding code is refused then: backend.store.trust).
- ``torchscript``: a ``torch.jit.save`` archive (zip with ``code/`` and ``constants.pkl``).
- ``pt2``: a ``torch.export.save`` ExportedProgram archive.
- ``safetensors``: an 8-byte little-endian header length, then a JSON header, then tensor bytes.
- ``onnx``: an ONNX ModelProto (protobuf).
"""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

from backend.core import messages
from backend.core.errors import CheckpointError
from backend.store.trust import is_pickle

MAGIC_ZIP = b"PK\x03\x04"
PICKLE_PROTO = 0x80  # the first opcode of a pickle stream of protocol 2 or later
KIND_NAMES = {
    "torch": messages.KIND_TORCH,
    "torchscript": messages.KIND_TORCHSCRIPT,
    "pt2": messages.KIND_PT2,
    "safetensors": messages.KIND_SAFETENSORS,
    "onnx": messages.KIND_ONNX,
}


def check_readable(path: str | Path) -> Path:
    """The path as a Path if it is a non-empty file; else a CheckpointError naming the fix."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise CheckpointError(messages.ERR_PATH_IS_FOLDER.format(path=path))
    if not path.is_file():
        raise CheckpointError(messages.ERR_MODEL_FILE_MISSING.format(path=path))
    if path.stat().st_size == 0:
        raise CheckpointError(messages.ERR_MODEL_FILE_EMPTY.format(path=path))
    return path


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise CheckpointError(messages.ERR_ZIP_CORRUPTED.format(path=path)) from None
    if any(n.endswith("/archive_format") or n.endswith("/models/model.json") for n in names):
        return "pt2"
    if any("/code/" in n for n in names) or any(n.endswith("/constants.pkl") for n in names):
        return "torchscript"
    if any(n.endswith("data.pkl") for n in names):
        return "torch"
    raise CheckpointError(messages.ERR_ZIP_FOREIGN.format(path=path))


def _safetensors_header(head: bytes, size: int) -> dict | None:
    if len(head) < 9:
        return None
    (length,) = struct.unpack("<Q", head[:8])
    if head[8:9] != b"{" or length < 2:
        return None
    if 8 + length > size:
        return {"__truncated__": True}
    return {"__length__": length}


def read_safetensors_metadata(path: Path) -> dict[str, str]:
    """The ``__metadata__`` strings of a safetensors header (empty when there are none)."""
    with path.open("rb") as fh:
        (length,) = struct.unpack("<Q", fh.read(8))
        raw = fh.read(length)
    try:
        header = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise CheckpointError(messages.ERR_SAFETENSORS_HEADER.format(path=path)) from None
    meta = header.get("__metadata__") or {}
    return {str(k): str(v) for k, v in meta.items()} if isinstance(meta, dict) else {}


def _looks_like_onnx(path: Path, head: bytes) -> bool:
    # ModelProto field 1 (ir_version, varint) comes first in files written by onnx and torch.
    if not head or head[0] != 0x08:
        return False
    try:
        import onnx
    except ImportError:
        return path.suffix.lower() == ".onnx"
    try:
        model = onnx.load_model(str(path), load_external_data=False)
    except Exception:  # noqa: BLE001 - DecodeError and friends on foreign bytes
        return False
    return model.ir_version > 0 and len(model.graph.output) > 0


def detect_format(path: str | Path) -> str:
    """One of torch, torchscript, pt2, safetensors, onnx; a CheckpointError for anything else."""
    path = check_readable(path)
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(64)
    if head.startswith(MAGIC_ZIP):
        return _zip_kind(path)
    st = _safetensors_header(head, size)
    if st is not None:
        if st.get("__truncated__"):
            raise CheckpointError(messages.ERR_SAFETENSORS_TRUNCATED.format(path=path))
        return "safetensors"
    if head[0] == PICKLE_PROTO:
        return "torch"  # the legacy torch.save format, or a bare pickle: both read with weights_only=True
    if _looks_like_onnx(path, head):
        return "onnx"
    if is_pickle(path):
        return "torch"  # a pickle of protocol 0 or 1 (text opcodes): read like the legacy format, code refused
    raise CheckpointError(messages.ERR_UNKNOWN_FORMAT.format(path=path))
