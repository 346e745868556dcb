"""No file runs code unless the user trusts it: pickled objects, and model files named in metadata.

Two ways a model file can run Python code when it is loaded:

- a pickle that names callables or classes (``posix.system``, a pickled ``nn.Module``):
  ``load_weights_only`` reads every ``torch.save`` file with ``weights_only=True`` and, when torch
  refuses it, ``pickled_globals`` says whether that was code (refused as such) or damage;
- a ``file:path.py:Class`` architecture in a file's metadata (weights, checkpoint, a resumed run's
  config): ``check_model_trust`` anchors a relative path to the file's own folder, never the
  current one, and refuses to import it unless the user trusted it (``--trusted``, or the app's
  confirmation that shows the path and its SHA-256).

A user's own TOML config is not metadata: the model file it names is imported as the user asked.
"""

from __future__ import annotations

import _compat_pickle
import hashlib
import io
import pickletools
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from backend.core import messages
from backend.core.errors import CheckpointError, UntrustedCodeError

SHOWN_NAMES = 4
MAGIC_ZIP = b"PK\x03\x04"
MAX_PICKLES = 8  # the legacy torch.save format is a few pickles in a row (magic, protocol, info, object, keys)
_STRING_OPS = {"SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8", "UNICODE", "SHORT_BINSTRING", "BINSTRING", "STRING"}


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def metadata_folder(source: str | Path) -> Path:
    """Where relative paths in a file's metadata point: its run folder for ``<run>/checkpoints/x.ckpt``,
    else the folder holding the file (never the current folder)."""
    folder = Path(source).expanduser().absolute().parent
    return folder.parent if folder.name == "checkpoints" else folder


# ----------------------------------------------------------------------------- model files in metadata
def check_model_trust(model: Any, source: str | Path, *, trusted: bool, for_run: bool = False) -> None:
    """Make a metadata ModelConfig safe to build, in place.

    Its relative ``model.weights`` and ``file:`` paths are anchored to ``metadata_folder(source)``;
    a ``file:`` model that exists is imported only when ``trusted``, else UntrustedCodeError naming
    the file, its SHA-256 and ``source``, and the way round it: an export of the model, or (``for_run``:
    the file is opened to resume its run or restore its settings) a new run. (A missing file runs
    nothing: building reports it.)
    """
    from backend.core.model_catalogue import FILE_PREFIX, resolve_model_paths, split_file_arch

    resolve_model_paths(model, metadata_folder(source))
    if trusted or not model.arch.startswith(FILE_PREFIX):
        return
    code = Path(split_file_arch(model.arch)[0])
    if not code.is_file():
        return
    digest = sha256_of(code)
    raise UntrustedCodeError(
        messages.ERR_UNTRUSTED_MODEL_FILE.format(
            source=source,
            path=code,
            sha256=digest,
            fix=messages.UNTRUSTED_FIX_RUN if for_run else messages.UNTRUSTED_FIX_MODEL,
        ),
        path=str(code),
        sha256=digest,
        source=str(source),
    )


def metadata_config(raw: Any, source: str | Path, *, trusted: bool) -> Any:
    """The RunConfig saved in a file (a checkpoint's ``config``), anchored, its model checked by
    ``check_model_trust``; a CheckpointError when it is not a table, ConfigError when not a valid config."""
    from backend.core.config import config_from_dict, resolve_config_paths

    if not isinstance(raw, dict):
        what = messages.METADATA_NOT_TABLE.format(value=type(raw).__name__)
        raise CheckpointError(messages.ERR_METADATA_DAMAGED.format(path=source, what=what))
    config = config_from_dict(raw)
    resolve_config_paths(config, metadata_folder(source))
    check_model_trust(config.model, source, trusted=trusted, for_run=True)
    return config


# ----------------------------------------------------------------------------- pickles
def _python3_name(module: str, name: str) -> str:
    """``module.name`` as Python 3 unpickles it (protocol 2 pickles say ``__builtin__.set``)."""
    if (module, name) in _compat_pickle.NAME_MAPPING:
        module, name = _compat_pickle.NAME_MAPPING[(module, name)]
    return f"{_compat_pickle.IMPORT_MAPPING.get(module, module)}.{name}"


def _globals_in_pickle(stream: IO[bytes]) -> set[str]:
    """``module.name`` of every global (callable or class) the pickles in ``stream`` import.

    Read statically with pickletools, never executed; STACK_GLOBAL (protocol 4+) takes its two
    names from the strings pushed before it, directly or through the memo. Only complete pickles
    count: bytes that merely start like one (raw tensor data) name nothing.
    """
    found: set[str] = set()
    for _ in range(MAX_PICKLES):
        names: set[str] = set()
        strings: list[str] = []
        memo: dict[Any, str | None] = {}
        last: str | None = None
        try:
            for op, arg, _pos in pickletools.genops(stream):
                name = op.name
                if name in ("GLOBAL", "INST"):
                    module, _, attr = str(arg).partition(" ")
                    names.add(_python3_name(module, attr))
                elif name == "STACK_GLOBAL":
                    names.add(_python3_name(*strings[-2:]) if len(strings) >= 2 else "?")
                elif name.startswith("EXT"):
                    names.add(f"copyreg extension {arg}")
                if name in _STRING_OPS:
                    last = arg if isinstance(arg, str) else arg.decode("latin-1")
                    strings.append(last)
                elif name in ("BINGET", "LONG_BINGET", "GET"):
                    last = memo.get(arg)
                    if last is not None:
                        strings.append(last)
                elif name in ("BINPUT", "LONG_BINPUT", "PUT"):
                    memo[arg] = last
                elif name == "MEMOIZE":
                    memo[len(memo)] = last
                else:
                    last = None
        except Exception:  # noqa: BLE001 - the end of the pickles, raw tensor bytes or damage: stop reading
            break
        found |= names  # genops stops after the STOP opcode: a complete pickle
    return found


def _archive_globals(archive: zipfile.ZipFile) -> set[str]:
    """The globals of every pickle in a zip archive, also inside a ``torch.save`` zip stored in it
    (a torch.export ``.pt2`` unpickles members of any name). Members are read lazily: raw tensor
    bytes stop the reading at once."""
    names: set[str] = set()
    for member in archive.namelist():
        with archive.open(member) as fh:
            nested = fh.read(len(MAGIC_ZIP)) == MAGIC_ZIP
        if nested:
            with zipfile.ZipFile(io.BytesIO(archive.read(member))) as inner:
                names |= _archive_globals(inner)
        else:
            with archive.open(member) as fh:
                names |= _globals_in_pickle(fh)
    return names


def _plain_data(names: set[str]) -> set[str]:
    """Those of ``names`` that torch's weights-only unpickler accepts (tensors, storages, OrderedDict, ...)."""
    try:
        from torch._weights_only_unpickler import _get_allowed_globals, _get_user_allowed_globals
    except ImportError:  # private helpers: without them, torch's tensor rebuilders and storages
        return {
            n for n in names if n.startswith("torch._utils.") or n.endswith("Storage") or n == "collections.OrderedDict"
        }
    return names & (set(_get_allowed_globals()) | set(_get_user_allowed_globals()))


def pickled_globals(path: str | Path) -> list[str]:
    """The globals a ``torch.save`` file, ``.pt2`` archive or plain pickle imports beyond plain tensors
    and data, sorted.

    Non-empty means the file holds code (a pickled model, or anything else that runs on load).
    """
    path = Path(path)
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = _archive_globals(archive)
        else:
            with path.open("rb") as fh:
                names = _globals_in_pickle(fh)
    except Exception:  # noqa: BLE001 - unreadable, cut or foreign: no code found; the reader says what is wrong
        return []
    return sorted(names - _plain_data(names))


def is_pickle(path: str | Path) -> bool:
    """The file is one complete pickle stream (any protocol), judged without running it."""
    last = ""
    try:
        with Path(path).open("rb") as fh:
            for op, _arg, _pos in pickletools.genops(fh):
                last = op.name
    except Exception:  # noqa: BLE001 - not a pickle
        return False
    return last == "STOP"


def _shown(names: Iterable[str]) -> str:
    names = list(names)
    text = ", ".join(names[:SHOWN_NAMES])
    return text + (messages.WEIGHTS_MORE.format(count=len(names) - SHOWN_NAMES) if len(names) > SHOWN_NAMES else "")


def refuse_pickled_code(path: str | Path, *, trust_helps: bool = True) -> None:
    """Raise when the pickle in ``path`` holds code: UntrustedCodeError (loading it trusted is possible),
    or a CheckpointError when ``trust_helps`` is false (checkpoints and starting weights are tensors only).
    Returns when it holds none (the file is damaged instead: the caller says so)."""
    names = pickled_globals(path)
    if not names:
        return
    fix = messages.PICKLE_FIX_TRUSTED if trust_helps else messages.PICKLE_FIX_TENSORS_ONLY
    text = messages.ERR_PICKLED_CODE.format(path=path, names=_shown(names), fix=fix)
    if not trust_helps:
        raise CheckpointError(text)
    raise UntrustedCodeError(text, path=str(Path(path).absolute()), sha256=sha256_of(path), source=str(path))


def load_weights_only(path: str | Path, map_location: Any = "cpu", *, trust_helps: bool = True) -> Any:
    """``torch.load(weights_only=True)`` of the file's bytes, whatever its name says.

    A file holding code raises (see ``refuse_pickled_code``); other failures propagate unchanged
    (``pickle.UnpicklingError`` and the many types torch raises on cut bytes) for the caller's
    "damaged" message. The file is passed open, so that torch does not read a pickle named
    ``.safetensors`` as safetensors.
    """
    import torch

    try:
        with Path(path).open("rb") as fh, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # foreign bytes make torch warn about odd pickle protocols first
            return torch.load(fh, map_location=map_location, weights_only=True)
    except Exception:
        refuse_pickled_code(path, trust_helps=trust_helps)  # whatever torch raised, code is named as code
        raise
