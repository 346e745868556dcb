"""backend/ is the Qt-free engine: no module under it may import Qt or pyqtgraph, directly or indirectly."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BACKEND = ROOT / "backend"
FORBIDDEN = ("PySide6", "PySide2", "PyQt5", "PyQt6", "shiboken6", "shiboken2", "pyqtgraph", "qtpy")


def _forbidden(module: str) -> bool:
    return module.split(".")[0] in FORBIDDEN


def qt_imports(source: str, filename: str) -> list[str]:
    """Every forbidden import in a file: import statements and importlib/__import__ calls with a literal name."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names if _forbidden(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and _forbidden(node.module):
            found.append(f"line {node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            value = node.args[0].value
            if name in ("import_module", "__import__") and isinstance(value, str) and _forbidden(value):
                found.append(f"line {node.lineno}: {name}({value!r})")
    return found


def backend_files() -> list[Path]:
    return sorted(BACKEND.rglob("*.py"))


def test_backend_has_python_files():
    names = {p.relative_to(BACKEND).as_posix() for p in backend_files()}
    assert {"__init__.py", "trainer.py", "config.py"} <= names


def test_no_module_under_backend_imports_qt():
    offenders = {}
    for path in backend_files():
        found = qt_imports(path.read_text(encoding="utf-8"), str(path))
        if found:
            offenders[path.relative_to(ROOT).as_posix()] = found
    assert offenders == {}, f"Qt imports under backend/: {offenders}"


@pytest.mark.parametrize(
    "source",
    [
        "import PySide6",
        "from PySide6.QtCore import QObject",
        "import pyqtgraph as pg",
        "import os, PyQt5.QtWidgets",
        "from PyQt6 import QtGui",
        "import shiboken6",
        "def f():\n    import pyqtgraph\n",
        "import importlib\nimportlib.import_module('PySide6.QtWidgets')",
        "__import__('pyqtgraph')",
    ],
)
def test_checker_catches_qt_imports(source):
    assert qt_imports(source, "<test>")


@pytest.mark.parametrize(
    "source",
    [
        "import torch",
        "from backend import config",
        "from . import qt_helpers",
        "import pyside_helpers",
        "x = 'PySide6'",
    ],
)
def test_checker_allows_other_imports(source):
    assert qt_imports(source, "<test>") == []


def _modules_loaded_by(imports: list[str]) -> list[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {imports!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_importing_the_engine_loads_no_qt():
    imports = ["backend.trainer", "backend.config"]
    if (BACKEND / "cli.py").exists() or (BACKEND / "cli" / "__init__.py").exists():
        imports.append("backend.cli")
    loaded = _modules_loaded_by(imports)
    assert "backend.trainer" in loaded
    assert [m for m in loaded if _forbidden(m)] == []


def test_importing_every_backend_module_loads_no_qt():
    modules = []
    for path in backend_files():
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if parts[-1] == "__main__":
            continue
        modules.append(".".join(parts))
    loaded = _modules_loaded_by(modules)
    assert set(modules) <= set(loaded)
    assert [m for m in loaded if _forbidden(m)] == []
