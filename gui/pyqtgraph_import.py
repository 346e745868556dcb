"""Import pyqtgraph without the CUDA Python bindings that its ``RawImageWidget`` tries on import.

pyqtgraph imports every widget module, and one of them tries ``cuda.bindings.runtime`` for a
CuPy-backed OpenGL widget that TorchDesk never uses. A CUDA build of PyTorch installs those
bindings, and loading them costs 0.15-0.5 s of the window's start-up. Blocked for the length of
this import only: PyTorch can still load them later, but not at the same time (``import torch``
loads them too), so the app loads its engine only once the plots are built.
"""

from __future__ import annotations

import sys

BLOCKED = "cuda.bindings"


def import_pyqtgraph() -> None:
    """``import pyqtgraph``, with ``cuda.bindings`` unavailable while it runs (a no-op once loaded)."""
    if "pyqtgraph" in sys.modules or BLOCKED in sys.modules:
        import pyqtgraph  # noqa: F401 - already loaded, or the bindings are, so nothing to save

        return
    sys.modules[BLOCKED] = None  # an import of it raises ImportError, which pyqtgraph expects
    try:
        import pyqtgraph  # noqa: F401
    finally:
        if sys.modules.get(BLOCKED, False) is None:
            del sys.modules[BLOCKED]
