"""Load PyTorch's big shared libraries without holding the GIL, just before ``import torch``.

``import torch`` loads libtorch_cpu (and libtorch_cuda) with the GIL held: for ~0.3 s (more on a
busy machine) no other Python code runs, so the GUI thread, which needs the GIL for every Python
slot and paint, stalls. Calling ``dlopen`` through ctypes releases the GIL for the call, so the
GUI keeps turning while the libraries and their static initialisers load; ``import torch`` then
finds them loaded. Only the libraries that do not touch Python are loaded here (not
libtorch_python), in the order and with the flags torch itself uses. Where this is not possible
(Windows, a layout without these files) nothing happens and ``import torch`` loads them itself.

Called after the first paint, on the loading thread (gui/catalog.py): started while the window
is built, it slowed the first paint (measured: 1.54 s against 0.98 s, the same ready time), as it
competes for the CPU, and the dynamic loader holds one lock for a whole ``dlopen``, on which the
GUI thread's own imports of extension modules (with the GIL held) would wait.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from pathlib import Path

# (file name stem, global): torch loads libtorch_global_deps with RTLD_GLOBAL, the rest as
# dependencies of torch._C; the CUDA library is absent from CPU builds.
_LIBRARIES = (
    ("libtorch_global_deps", True),
    ("libc10", False),
    ("libtorch_cpu", False),
    ("libtorch_cuda", False),
    ("libtorch", False),
)


def torch_library_folder() -> Path | None:
    """torch/lib of the installed torch, found without importing it."""
    try:
        spec = importlib.util.find_spec("torch")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    folder = Path(spec.origin).parent / "lib"
    return folder if folder.is_dir() else None


def preload_torch_libraries() -> list[str]:
    """dlopen torch's shared libraries with the GIL released; returns the ones loaded."""
    folder = torch_library_folder()
    if folder is None or os.name != "posix":
        return []
    suffix = ".dylib" if sys.platform == "darwin" else ".so"
    try:
        dlopen = ctypes.CDLL(None).dlopen  # a CDLL function call releases the GIL while it runs
    except (OSError, AttributeError):
        return []
    dlopen.restype = ctypes.c_void_p
    dlopen.argtypes = [ctypes.c_char_p, ctypes.c_int]
    loaded = []
    for stem, is_global in _LIBRARIES:
        path = folder / (stem + suffix)
        flags = os.RTLD_NOW | (os.RTLD_GLOBAL if is_global else os.RTLD_LOCAL)
        if path.is_file() and dlopen(str(path).encode(), flags):
            loaded.append(path.name)  # the handle stays open: torch's own dlopen reuses the library
    return loaded
