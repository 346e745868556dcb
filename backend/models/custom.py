"""A user's own model: ``model.arch = "file:path/to/model.py:ClassName"``.

The file is imported as trusted code (it runs with the user's rights, like any script they
start) when the user's own config names it; named in a file's metadata (weights, checkpoint, a
resumed run), it is imported only after the user trusted it (backend/store/trust.py). The class is constructed with the keyword arguments its ``__init__`` names among
``in_channels`` (channels of an image, features of a flat sample), ``input_shape`` (the sample
shape, a tuple), ``num_classes`` / ``num_outputs`` (outputs the dataset needs) and
``in_features`` (the number of values in one sample); then its forward is tried on a sample
batch of two, so a mismatch is reported before training starts.

A class may name its classifier head for fine-tuning with a ``head_module_names`` attribute
(tuple of sub-module names); otherwise the last layer producing the outputs is used.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import math
import sys
from pathlib import Path
from typing import Any

import torch
from torch import nn

from backend.core import messages
from backend.core.config import ModelConfig
from backend.core.errors import ConfigError, ModelError, error_summary
from backend.models.output_check import OutputWording, check_output_fits


def _kwargs_for(cls: type, input_shape: tuple[int, ...], num_outputs: int) -> dict[str, Any]:
    available = {
        "in_channels": int(input_shape[0]) if input_shape else 1,
        "input_shape": tuple(input_shape),
        "num_classes": num_outputs,
        "num_outputs": num_outputs,
        "in_features": math.prod(input_shape),
    }
    try:
        params = inspect.signature(cls).parameters
    except (TypeError, ValueError):
        return {}
    kwargs, missing = {}, []
    for name, param in params.items():
        if param.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        if name in available and param.kind != inspect.Parameter.POSITIONAL_ONLY:
            kwargs[name] = available[name]
        elif param.default is inspect.Parameter.empty:
            missing.append(name)
    if missing:
        template = messages.ERR_CUSTOM_ARGUMENTS if len(missing) > 1 else messages.ERR_CUSTOM_ARGUMENT
        raise ModelError(
            template.format(cls=cls.__name__, names=", ".join(repr(m) for m in missing), available=", ".join(available))
        )
    return kwargs


# module name -> ((mtime_ns, size) of the file, its module): a build imports the file once, not once
# for the memory estimate and again for the real model; an edited file is imported again.
_IMPORTED: dict[str, tuple[tuple[int, int], Any]] = {}


def _import(file: Path, module_name: str) -> Any:
    spec = importlib.util.spec_from_file_location(module_name, file)
    if spec is None or spec.loader is None:
        raise ModelError(messages.ERR_CUSTOM_NOT_PYTHON.format(path=file))
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses, typing and pickling inside the file look it up
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        sys.modules.pop(module_name, None)
        raise ModelError(messages.ERR_CUSTOM_SYNTAX.format(path=file, line=exc.lineno, error=exc.msg)) from exc
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - user code: report anything it raises
        sys.modules.pop(module_name, None)
        error = error_summary(exc)
        raise ModelError(messages.ERR_CUSTOM_IMPORT.format(path=file, error=error)) from exc
    return module


def load_class(path: str, class_name: str) -> type:
    """Import ``path`` as a module (once per version of the file) and return its ``class_name`` (an nn.Module subclass)."""
    file = Path(path).expanduser()
    if not file.is_file():
        raise ModelError(messages.ERR_CUSTOM_FILE_MISSING.format(path=file))
    module_name = "torchdesk_user_model_" + hashlib.sha1(str(file.resolve()).encode()).hexdigest()[:12]
    stat = file.stat()
    version = (stat.st_mtime_ns, stat.st_size)
    known = _IMPORTED.get(module_name)
    if known is not None and known[0] == version:
        module = known[1]
    else:
        module = _import(file, module_name)
        _IMPORTED[module_name] = (version, module)
    cls = getattr(module, class_name, None)
    if cls is None:
        found = sorted(
            n
            for n, v in vars(module).items()
            if isinstance(v, type) and issubclass(v, nn.Module) and v.__module__ == module_name
        )
        listed = messages.CUSTOM_CLASSES.format(names=", ".join(found)) if found else messages.CUSTOM_NO_CLASS
        raise ModelError(messages.ERR_CUSTOM_CLASS_MISSING.format(path=file, name=class_name, found=listed))
    if not (isinstance(cls, type) and issubclass(cls, nn.Module)):
        raise ModelError(
            messages.ERR_CUSTOM_NOT_MODULE_CLASS.format(name=class_name, path=file, kind=type(cls).__name__, value=cls)
        )
    return cls


def check_forward(model: nn.Module, name: str, path: str, input_shape: tuple[int, ...], num_outputs: int) -> None:
    """Run the model on a sample batch of two; ModelError naming both shapes when it fails or misfits."""
    wording = OutputWording(
        messages.ERR_CUSTOM_FORWARD_FAILED,
        messages.ERR_CUSTOM_FORWARD_NOT_TENSOR,
        messages.ERR_CUSTOM_FORWARD_SHAPE,
        {"name": name, "path": path},
    )
    check_output_fits(model, torch.randn(2, *input_shape), num_outputs, wording)


def build_custom(
    cfg: ModelConfig, input_shape: tuple[int, ...], num_outputs: int, *, try_forward: bool = True
) -> nn.Module:
    """The user's class constructed for the dataset; ``try_forward`` also runs it on a sample batch
    (off for the parameter count on the meta device, where there is nothing to check)."""
    from backend.core.model_catalogue import split_file_arch

    try:
        path, class_name = split_file_arch(cfg.arch)
    except ConfigError as exc:
        raise ModelError(str(exc)) from exc
    cls = load_class(path, class_name)
    kwargs = _kwargs_for(cls, input_shape, num_outputs)
    try:
        model = cls(**kwargs)
    except Exception as exc:  # noqa: BLE001 - user code
        shown = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
        error = error_summary(exc)
        raise ModelError(
            messages.ERR_CUSTOM_CONSTRUCTOR.format(name=class_name, arguments=shown, path=path, error=error)
        ) from exc
    if not isinstance(model, nn.Module):
        raise ModelError(messages.ERR_CUSTOM_NOT_MODULE.format(name=class_name, path=path))
    if try_forward:
        check_forward(model, class_name, path, input_shape, num_outputs)
    return model
