"""The warm engine process (gui/warm_engine.py): started with the app, it imports PyTorch and the trainer,
sends the catalogue, then trains the one run the window hands over, exactly as a rank of a launch does.

Qt-free on purpose (the window starts it before Qt is imported, and Qt in it would only delay the
moment a Start trains at once).
"""

from __future__ import annotations

import os
import pickle
import sys
from typing import TYPE_CHECKING

from backend.core.errors import TorchDeskError
from backend.core.paths import is_frozen

if TYPE_CHECKING:
    from backend.engine.launch import WarmLaunch

FLAG = "--torchdesk-warm-engine"  # the app's hidden mode: be the warm engine process


def spawn() -> WarmLaunch | None:
    """Start the warm engine process (None where it cannot start: the window's own engine is used)."""
    from backend.engine.launch import WarmLaunch

    command = [sys.executable, FLAG] if is_frozen() else [sys.executable, "-m", "gui", FLAG]
    try:
        return WarmLaunch(command)
    except TorchDeskError:
        return None


def main() -> int:
    """The process's side: ``python -m gui FLAG`` (frozen: the app's executable with FLAG)."""
    from backend.cli.main import main as cli_main
    from backend.engine import trainer  # noqa: F401 - imported now, so that the run starts at once
    from backend.engine.launch import receive_args, remove_launch_folder
    from gui.catalog import engine_catalog

    window = os.getppid()
    args = receive_args(pickle.dumps(engine_catalog(check_compile=False)))
    if args is None:
        return 0
    code = cli_main(args)  # the run stops by itself (with a checkpoint) if the window goes
    if os.getppid() != window:  # it has gone: no one else will remove the launch folder
        remove_launch_folder()
    return code
