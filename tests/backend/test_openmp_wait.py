"""The engine's OpenMP wait setting: set by ``import backend``, before PyTorch loads; the user's own value kept."""

from __future__ import annotations

import os
import subprocess
import sys

CODE = "import os, backend; print(os.environ['GOMP_SPINCOUNT'], 'torch' in __import__('sys').modules)"


def _spincount(value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "GOMP_SPINCOUNT"}
    if value is not None:
        env["GOMP_SPINCOUNT"] = value
    return subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True, check=True).stdout


def test_the_engine_shortens_the_openmp_spin_unless_the_user_set_one():
    assert _spincount(None).split() == ["3000", "False"]
    assert _spincount("250").split() == ["250", "False"]
