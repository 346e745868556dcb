"""What the backend offers (datasets, models, optimizers, devices), read once, off the GUI thread.

Importing torch takes seconds, so the main window is shown first and the catalogue is loaded
on a ``gui.tasks.Task`` (``load_in_background``); pickers are filled when it arrives, and whether
``torch.compile`` works here (importing ``torch._dynamo`` takes as long again) is checked after
that, so Start is usable as soon as torch is. ``load_catalog`` is plain Python (no Qt) so panels
opened on their own and tests can call it directly.
"""

from __future__ import annotations

import importlib.util
import platform
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gui.tasks import TaskState


@dataclass
class Catalog:
    """Names and descriptions for every picker; plain data, safe to pass between threads."""

    data_sources: tuple[str, ...]
    builtin_datasets: dict[str, str]  # name -> description
    models: dict[str, str]  # name -> description
    optimizers: tuple[str, ...]
    schedules: tuple[str, ...]
    losses: tuple[str, ...]
    precisions: tuple[str, ...]
    activations: tuple[str, ...]
    devices: list[dict] = field(default_factory=list)  # backend.engine.device.device_inventory()
    versions: dict[str, str] = field(default_factory=dict)
    has_tensorboard: bool = False
    model_options: dict[str, tuple[str, ...]] = field(default_factory=dict)  # arch -> ModelConfig fields it reads
    model_families: dict[str, str] = field(default_factory=dict)  # arch -> family (for grouping the picker)
    model_option_specs: list = field(default_factory=list)  # gui.option_form.Option for every model option
    source_specs: dict[str, dict] = field(default_factory=dict)  # source -> {description, names, root_kind, options}
    augment_help: dict[str, str] = field(default_factory=dict)
    compile_problem: str = ""  # why torch.compile cannot be used here ("" when it can)
    available_sources: tuple[str, ...] = ()  # the data sources the engine can load today
    builtin_tasks: dict[str, str] = field(default_factory=dict)  # name -> classification/regression
    image_models: frozenset[str] = frozenset()  # the models that need images (not a table's rows)

    def device_precisions(self, device: str) -> list[str]:
        """Precisions the named device (``auto`` included) can train with."""
        return list(self.device_entry(device).get("precisions", ["fp32"]))

    def device_entry(self, device: str) -> dict:
        """The inventory row for a device name; ``auto`` resolves like the backend does."""
        by_name = {d["device"]: d for d in self.devices}
        if device == "auto":
            for prefix in ("cuda", "mps", "cpu"):
                for d in self.devices:
                    if d["device"].startswith(prefix) and not d.get("problem"):  # a GPU listed as unusable
                        return d
            return {"device": "cpu", "name": "CPU", "precisions": ["fp32"]}
        if device == "cuda":
            device = "cuda:0"
        return by_name.get(device, {"device": device, "name": device, "precisions": []})


def _descriptions(registry: dict) -> dict[str, str]:
    # Kept as they are: a torchvision model's description is a Message (backend/core/torchvision_models.py),
    # which the GUI translates by template look-up; as plain text it would have to be parsed back.
    return {name: getattr(spec, "description", "") or "" for name, spec in registry.items()}


def compile_problem() -> str:
    """Why ``torch.compile`` cannot work on this machine, or "" when it can."""
    from backend.engine.device import compile_support

    return compile_support()[1]


def load_catalog(*, check_compile: bool = True) -> Catalog:
    """Import the backend (and torch) and read its registries. Slow the first time.

    ``check_compile=False`` leaves ``compile_problem`` empty (see ``load_in_background``).
    """
    return with_gui_parts(engine_catalog(check_compile=check_compile))


def engine_catalog(*, check_compile: bool = True) -> Catalog:
    """The engine's side of the catalogue, read without Qt: what ``load_catalog`` reads here, and what
    the warm engine process sends (gui/warm_engine.py); ``with_gui_parts`` completes it."""
    import torch

    import backend
    from backend.core import schema
    from backend.data.builtin import BUILTIN_DATASETS
    from backend.data.registry import AUGMENT_DESCRIPTIONS
    from backend.data.registry import DATA_SOURCES as SOURCE_SPECS
    from backend.engine.device import device_inventory
    from backend.models.registry import MODELS

    versions = {
        "TorchDesk": getattr(backend, "__version__", "?"),
        "Python": platform.python_version(),
        "PyTorch": str(torch.__version__),  # a plain str: the window unpickles it without torch
    }
    return Catalog(
        data_sources=tuple(schema.DATA_SOURCES),
        builtin_datasets=_descriptions(BUILTIN_DATASETS),
        available_sources=tuple(SOURCE_SPECS),
        source_specs={
            name: {
                "description": spec.description,
                "names": dict(spec.names),
                "root_kind": spec.root_kind,
                "options": tuple(spec.options),
            }
            for name, spec in SOURCE_SPECS.items()
        },
        augment_help=dict(AUGMENT_DESCRIPTIONS),
        builtin_tasks={name: str(getattr(spec, "task", "")) for name, spec in BUILTIN_DATASETS.items()},
        models=_descriptions(MODELS),
        optimizers=tuple(schema.OPTIMIZERS),
        schedules=tuple(schema.SCHEDULES),
        losses=tuple(schema.LOSSES),
        precisions=tuple(schema.PRECISIONS),
        activations=tuple(schema.ACTIVATIONS),
        devices=device_inventory(),
        versions=versions,
        has_tensorboard=importlib.util.find_spec("tensorboard") is not None,
        model_options={name: tuple(getattr(spec, "options", ())) for name, spec in MODELS.items()},
        model_families={name: str(getattr(spec, "family", "")) for name, spec in MODELS.items()},
        image_models=frozenset(name for name, spec in MODELS.items() if spec.needs_images),
        compile_problem=compile_problem() if check_compile else "",
    )


def with_gui_parts(catalog: Catalog) -> Catalog:
    """``catalog`` completed with what only this (Qt) process knows: the Qt libraries' versions and
    the model options' form rows."""
    import pyqtgraph
    import PySide6

    from backend.core.schema import MODEL_OPTIONS
    from gui.option_form import option_from_spec

    catalog.versions.update(
        {"PySide6": PySide6.__version__, "Qt": PySide6.QtCore.qVersion(), "pyqtgraph": pyqtgraph.__version__}
    )
    catalog.model_option_specs = [option_from_spec(spec) for spec in MODEL_OPTIONS.values()]
    return catalog


def load_in_background(state: TaskState) -> str:
    """A ``gui.tasks.Task`` function: the Catalog as its one partial result, as soon as torch is
    imported; then the result, ``compile_problem()`` (importing torch cannot be interrupted)."""
    from gui.torch_preload import preload_torch_libraries

    preload_torch_libraries()  # without the GIL: the GUI thread keeps turning meanwhile
    state.report_partial(load_catalog(check_compile=False))
    state.flush()
    return compile_problem()
