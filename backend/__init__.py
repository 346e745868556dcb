"""TorchDesk engine: the Qt-free training core (configs, data, models, trainer, run folders)."""

import os
from importlib.metadata import PackageNotFoundError, version

# PyTorch's CPU kernels run on OpenMP threads that spin before they sleep while they wait for each
# other. GNU OpenMP's default spin is long enough that, when another process wants a core, two threads
# on a 2-core machine train 3x slower than when it is idle (the tutorials' CNN: 570 against 1,800
# samples/s); a spin of 3,000 gives the same idle speed (measured) and 930-1,090 samples/s beside a busy
# process. libgomp reads it when it loads, with torch: so here, before anything imports torch. A value
# the user set wins. Results are bit-for-bit the same: only how threads wait changes.
os.environ.setdefault("GOMP_SPINCOUNT", "3000")

# The one version string is pyproject.toml's; the installed metadata carries it (build.spec ships it).
try:
    __version__ = version("torchdesk")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
