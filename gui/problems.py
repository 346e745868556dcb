"""Problems found before Start: what the panels hold that cannot run, named by the field's label.

``find_problems`` gathers, in this order: text a field cannot read (``abc`` in Hidden sizes), the
config validation's first error, the dataset facts already known (a batch larger than the training
samples) and the inspection's data and model errors. Each ``Problem`` names the config key at fault
(the main window highlights its widget) and, where there is an obvious one, a fix: a key and the value
that repairs it ("Use batch size 1437", "Switch to mlp").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from backend.core import messages
from backend.core.errors import TorchDeskError
from gui.backend_text import backend_tr

FALLBACK_ARCH = "mlp"  # takes a table's rows as well as images


@dataclass(frozen=True)
class Problem:
    text: str  # translated; starts with the field's label when it has one
    field: str = ""  # the config key at fault ("" when no single field is)
    fix_text: str = ""  # the fix button's text
    fix: tuple[str, Any] | None = None  # (config key, value) that repairs it


def _tr(text: str) -> str:
    return QCoreApplication.translate("Problems", text)


def field_label(key: str) -> str:
    """The label the settings column shows for a config key, translated."""
    from backend.core.schema import BY_KEY

    option = BY_KEY.get(key)
    return backend_tr(option.label) if option is not None else key


def _labelled(key: str, text: str) -> str:
    return _tr("{label}: {problem}").format(label=field_label(key), problem=text) if key else text


def _about(part: str, key: str, message: str) -> str:
    """An inspection error: after its field's label, else after the part it concerns (``part``, translated)."""
    return _labelled(key, backend_tr(message)) if key else part.format(message=backend_tr(message))


def _from_error(exc: TorchDeskError) -> Problem:
    return Problem(_labelled(exc.field or "", backend_tr(exc.message)), exc.field or "")


def find_problems(config: Any, fields: Mapping[str, QWidget], inspection: Mapping[str, Any] | None) -> list[Problem]:
    """Every problem known now, in the order above (``inspection`` may be None: nothing inspected yet)."""
    from backend.core.config import check_batch_fits, validate

    problems = [
        Problem(_labelled(key, reason), key)
        for key, widget in fields.items()
        if (reason := getattr(widget, "problem", lambda: "")())
    ]
    unreadable = {p.field for p in problems}
    try:
        validate(config)
    except TorchDeskError as exc:
        if exc.field not in unreadable:  # NaN or a partial list stands for text already reported
            problems.append(_from_error(exc))
    inspection = inspection or {}
    summary = inspection.get("data") or {}
    if summary.get("train_samples"):
        try:
            check_batch_fits(config.data.batch_size, int(summary["train_samples"]))
        except TorchDeskError as exc:
            count = int(summary["train_samples"])
            problems.append(
                Problem(
                    _labelled("data.batch_size", backend_tr(exc.message)),
                    "data.batch_size",
                    _tr("Use batch size {n}").format(n=count),
                    ("data.batch_size", count),
                )
            )
    if inspection.get("data_error"):
        key = inspection.get("data_field") or ""
        problems.append(
            Problem(
                _about(QCoreApplication.translate("RunView", "Dataset: {message}"), key, inspection["data_error"]), key
            )
        )
    model_error = inspection.get("model_error")
    if model_error:
        if getattr(model_error, "template", None) is messages.ERR_MODEL_NEEDS_IMAGES:
            fix_text = _tr("Switch to {arch}").format(arch=FALLBACK_ARCH)
            text = _labelled("model.arch", backend_tr(model_error))
            problems.append(Problem(text, "model.arch", fix_text, ("model.arch", FALLBACK_ARCH)))
        else:
            key = inspection.get("model_field") or ""
            problems.append(
                Problem(_about(QCoreApplication.translate("RunView", "Model: {message}"), key, model_error), key)
            )
    return problems
