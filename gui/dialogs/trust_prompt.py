"""The one question asked before the app runs code a model file brings (backend/store/trust.py).

A pickled full model, or a custom model's Python file named in a file's metadata, runs with the
user's rights when it is loaded; the engine refuses it with an UntrustedCodeError that names the
code's full path and SHA-256. The user sees both and must answer Yes explicitly (No is the default).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def _tr(text: str) -> str:
    return QCoreApplication.translate("TrustPrompt", text)


def confirm_trust(parent: QWidget | None, error: Any) -> bool:
    """Ask whether to run the code ``error`` (a backend UntrustedCodeError) names; True only on Yes."""
    text = _tr(
        "Loading {source} runs Python code from this file:\n\n{path}\nSHA-256: {sha256}\n\n"
        "That code can do anything your user account can. Run it only if you trust where the file "
        "comes from. Trust it and load?"
    ).format(source=error.source, path=error.path, sha256=error.sha256)
    answer = QMessageBox.question(
        parent,
        _tr("Run code from this file?"),
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
