"""What the backend offers (datasets, models, optimizers, devices), read once, off the GUI thread.

Importing torch takes seconds, so the main window is shown first and the catalogue is loaded
by ``CatalogLoader`` on a worker thread; pickers are filled when it arrives. ``load_catalog``
is plain Python (no Qt) so panels opened on their own and tests can call it directly.
"""

from __future__ import annotations

import importlib.util
import platform
import traceback
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QThread, Signal, Slot


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

    def device_precisions(self, device: str) -> list[str]:
        """Precisions the named device (``auto`` included) can train with."""
        return list(self.device_entry(device).get("precisions", ["fp32"]))

    def device_entry(self, device: str) -> dict:
        """The inventory row for a device name; ``auto`` resolves like the backend does."""
        by_name = {d["device"]: d for d in self.devices}
        if device == "auto":
            for prefix in ("cuda", "mps", "cpu"):
                for d in self.devices:
                    if d["device"].startswith(prefix):
                        return d
            return {"device": "cpu", "name": "CPU", "precisions": ["fp32"]}
        if device == "cuda":
            device = "cuda:0"
        return by_name.get(device, {"device": device, "name": device, "precisions": []})


def _descriptions(registry: dict) -> dict[str, str]:
    return {name: str(getattr(spec, "description", "") or "") for name, spec in registry.items()}


def compile_problem() -> str:
    """Why ``torch.compile`` cannot work on this machine, or "" when it can."""
    from backend.engine.device import compile_support

    return compile_support()[1]


def load_catalog() -> Catalog:
    """Import the backend (and torch) and read its registries. Slow the first time."""
    import pyqtgraph
    import PySide6
    import torch

    import backend
    from backend.core import config as cfg
    from backend.data.builtin import BUILTIN_DATASETS
    from backend.data.registry import AUGMENT_DESCRIPTIONS
    from backend.data.registry import DATA_SOURCES as SOURCE_SPECS
    from backend.engine.device import device_inventory
    from backend.models.options import MODEL_OPTIONS
    from backend.models.registry import MODELS
    from gui.option_form import option_from_spec

    versions = {
        "TorchDesk": getattr(backend, "__version__", "?"),
        "Python": platform.python_version(),
        "PyTorch": torch.__version__,
        "PySide6": PySide6.__version__,
        "Qt": PySide6.QtCore.qVersion(),
        "pyqtgraph": pyqtgraph.__version__,
    }
    return Catalog(
        data_sources=tuple(cfg.DATA_SOURCES),
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
        optimizers=tuple(cfg.OPTIMIZERS),
        schedules=tuple(cfg.SCHEDULES),
        losses=tuple(cfg.LOSSES),
        precisions=tuple(cfg.PRECISIONS),
        activations=tuple(cfg.ACTIVATIONS),
        devices=device_inventory(),
        versions=versions,
        has_tensorboard=importlib.util.find_spec("tensorboard") is not None,
        model_options={name: tuple(getattr(spec, "options", ())) for name, spec in MODELS.items()},
        model_families={name: str(getattr(spec, "family", "")) for name, spec in MODELS.items()},
        model_option_specs=[option_from_spec(spec) for spec in MODEL_OPTIONS.values()],
        compile_problem=compile_problem(),
    )


class CatalogLoader(QObject):
    """Runs ``load_catalog`` on its own thread and reports the result once."""

    sig_loaded = Signal(object)
    """The loaded ``Catalog``."""
    sig_failed = Signal(str)
    """A readable message with the traceback, when the backend cannot be imported."""

    @Slot()
    def run(self) -> None:
        try:
            catalog = load_catalog()
        except Exception as exc:  # noqa: BLE001 - reported to the user, never lost
            self.sig_failed.emit(f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc()}")
        else:
            self.sig_loaded.emit(catalog)
        finally:
            # Quit from inside: the owner can then wait() without needing its event loop.
            QThread.currentThread().quit()


class BackgroundCatalog(QObject):
    """Owns the loader thread: start it, relay its one result, and always wait for it."""

    sig_loaded = Signal(object)
    """The ``Catalog``, delivered in the owner's (GUI) thread after the thread has ended."""
    sig_failed = Signal(str)
    """Why the backend could not be loaded, with the traceback."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._loader: CatalogLoader | None = None

    def is_running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._loader = CatalogLoader()
        self._thread = QThread(self)
        self._thread.setObjectName("CatalogThread")
        self._loader.moveToThread(self._thread)
        self._thread.started.connect(self._loader.run)
        self._loader.sig_loaded.connect(self._on_loaded)
        self._loader.sig_failed.connect(self._on_failed)
        self._thread.start()

    def wait(self) -> None:
        """Block until the loader is done (importing torch cannot be interrupted)."""
        if self._thread is not None:
            self._thread.wait()  # the loader quits its own thread, so this never deadlocks
            self._thread.deleteLater()
        self._thread = None
        self._loader = None

    @Slot(object)
    def _on_loaded(self, catalog: Catalog) -> None:
        self.wait()
        self.sig_loaded.emit(catalog)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.wait()
        self.sig_failed.emit(message)
