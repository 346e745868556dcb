"""Dataset panel: where the data comes from, and the options of that source."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from backend.core.schema import IMAGE_SIDE_MAX
from gui.backend_text import backend_tr
from gui.catalog import Catalog
from gui.option_form import Option, OptionRows
from gui.panels.base import ConfigPanel, run_standalone
from gui.widgets import PathEdit, combo_key, fill_combo, set_combo_key, sync_combo_tooltip

# Shown before the catalogue arrives (and the options of the default, built-in source).
DEFAULT_OPTIONS = ("name", "val_split", "batch_size")


class DatasetPanel(ConfigPanel):
    """Source, dataset name or path, and the split, batching, image and loading options.

    Which options a source uses comes from the backend's source registry; the others are hidden.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Dataset"), parent)
        self._labels = {
            "builtin": self.tr("Built-in (small, offline)"),
            "torchvision": self.tr("torchvision dataset (folder)"),
            "image_folder": self.tr("Image folder (one subfolder per class)"),
            "csv": self.tr("CSV file (tabular)"),
        }
        self._names: dict[str, str] = {"builtin": "digits", "torchvision": "MNIST"}  # last name per source
        self._filled_target = ""  # the target column last chosen here rather than by the user
        self.source = QComboBox(self)
        self.source.setObjectName("datasetSource")
        self.name = QComboBox(self)
        self.name.setObjectName("datasetName")
        self.root = PathEdit(self)
        self.root.setObjectName("datasetRoot")
        self.add_row(self.tr("Source"), self.source, self.tr("Where the training data comes from"))
        self.add_row(self.tr("Dataset"), self.name)
        self.add_row(self.tr("Path"), self.root)
        self.note = self.add_note()
        self.rows = OptionRows(self.form, self, self._options(), self.config_changed)

        self.source.currentIndexChanged.connect(self._on_source_changed)
        self.name.currentIndexChanged.connect(self._on_name_changed)
        self.root.path_changed.connect(self._offer_columns)
        for signal in (self.source.currentIndexChanged, self.name.currentIndexChanged, self.root.path_changed):
            signal.connect(self.config_changed)
        self.rows.widgets["augment"].currentIndexChanged.connect(self._on_name_changed)
        fill_combo(self.source, dict.fromkeys(self._labels, ""), self._labels)
        self._on_source_changed()

    def _options(self) -> list[Option]:
        tr = self.tr
        return [
            Option(
                "target",
                "column",
                "",
                tr("Column to predict: type its name or pick one of the file's columns"),
                label=tr("Target column"),
            ),
            Option(
                "task",
                "choice",
                "auto",
                tr("auto: classification for text or few integer values, else regression"),
                choices=("auto", "classification", "regression"),
                label=tr("Task"),
            ),
            Option(
                "download",
                "bool",
                False,
                tr("Fetch the files into the folder first (needs a network)"),
                label=tr("Download if missing"),
            ),
            Option(
                "val_split",
                "float",
                0.2,
                tr("Fraction of the samples held out for validation"),
                0.01,
                0.99,
                label=tr("Validation split"),
            ),
            Option("batch_size", "int", 64, tr("Samples per training step"), 1, 65536, label=tr("Batch size")),
            Option(
                "balanced",
                "bool",
                False,
                tr("Draw every class equally often (for imbalanced classes)"),
                label=tr("Balanced sampling"),
            ),
            Option(
                "drop_last",
                "bool",
                False,
                tr("Skip the last, smaller batch of each epoch"),
                label=tr("Drop the last partial batch"),
            ),
            Option(
                "image_size",
                "int",
                0,
                tr(
                    "Resize images to this many pixels square; automatic (0) uses the most common size "
                    "of the images, scaled down to at most 512 pixels a side"
                ),
                0,
                IMAGE_SIDE_MAX,
                label=tr("Image size"),
                special_zero=tr("auto"),
            ),
            Option(
                "augment",
                "choice",
                "none",
                tr("Random changes to training images"),
                choices=("none", "light", "standard", "custom"),
                label=tr("Augmentation"),
            ),
            Option(
                "transforms",
                "str_list",
                [],
                tr("Custom augmentation, comma separated, e.g. hflip, rotation:15"),
                label=tr("Transforms"),
            ),
            Option(
                "normalize",
                "choice",
                "dataset",
                tr("Per-channel normalisation of the images"),
                choices=("dataset", "imagenet", "none"),
                label=tr("Normalisation"),
            ),
            Option(
                "cache",
                "choice",
                "auto",
                tr("auto: decode into memory when it fits; off: stream from disk"),
                choices=("auto", "memory", "off"),
                label=tr("Cache"),
            ),
            Option(
                "num_workers",
                "int",
                0,
                tr("Processes decoding images when streaming"),
                0,
                64,
                label=tr("Loader workers"),
            ),
            Option(
                "pin_memory",
                "bool",
                False,
                tr("Page-locked batches for faster copies to a GPU"),
                label=tr("Pin memory"),
            ),
            Option(
                "persistent_workers",
                "bool",
                False,
                tr("Keep loader processes alive between epochs"),
                label=tr("Persistent workers"),
            ),
        ]

    def set_catalog(self, catalog: Catalog) -> None:
        super().set_catalog(catalog)
        specs = catalog.source_specs
        fill_combo(
            self.source,
            {k: backend_tr(specs.get(k, {}).get("description", "")) for k in catalog.data_sources},
            self._labels,
        )
        augment = self.rows.widgets["augment"]
        for i in range(augment.count()):
            help_text = backend_tr(catalog.augment_help.get(augment.itemData(i), ""))
            augment.setItemData(i, help_text, Qt.ItemDataRole.ToolTipRole)
        self._on_source_changed()

    def _spec(self) -> dict:
        if self.catalog is None:
            return {}
        return self.catalog.source_specs.get(combo_key(self.source), {})

    def _on_source_changed(self) -> None:
        source, spec = combo_key(self.source), self._spec()
        names = spec.get("names") or ({"digits": ""} if source == "builtin" and self.catalog is None else {})
        self.name.blockSignals(True)
        fill_combo(self.name, {name: backend_tr(text) for name, text in names.items()})
        set_combo_key(self.name, self._names.get(source, ""))
        self.name.blockSignals(False)
        options = spec.get("options", DEFAULT_OPTIONS)
        self.show_row(self.name, "name" in options)
        root_kind = spec.get("root_kind", "")
        self.show_row(self.root, "root" in options or bool(root_kind))
        if root_kind == "file":
            self.root.set_mode("file", self.tr("CSV files (*.csv *.tsv *.txt);;All files (*)"))
        else:
            self.root.set_mode("folder")
        self.rows.show_only(options)
        self._offer_columns()
        self._on_name_changed()

    def _offer_columns(self) -> None:
        """A CSV file's columns in the Target drop-down. An empty target becomes the last column, the
        usual place of the label, so a chosen file is ready to train; a name the user gave is kept
        (if the file has no such column, the problem banner lists the columns)."""
        if self.catalog is None or combo_key(self.source) != "csv":
            return  # the header is read by the engine's CSV reader, which needs torch loaded
        from backend.data.csv_table import csv_header

        path = self.root.path()
        columns = csv_header(Path(path).expanduser()) if path else []
        picker = self.rows.widgets["target"]
        picker.set_columns(columns)
        if columns and picker.text() in ("", self._filled_target):
            self._filled_target = columns[-1]
            picker.setText(columns[-1])

    def _on_name_changed(self) -> None:
        if self.name.count():
            self._names[combo_key(self.source)] = combo_key(self.name)
        sync_combo_tooltip(self.source)
        sync_combo_tooltip(self.name)
        text = self.name.currentData(Qt.ItemDataRole.ToolTipRole) if self.form.isRowVisible(self.name) else None
        self.note.setText(str(text or backend_tr(self._spec().get("description", ""))))
        transforms = self.rows.widgets["transforms"]
        if self.form.isRowVisible(self.rows.widgets["augment"]):
            self.show_row(transforms, self.rows.get("augment") == "custom")

    def task_hint(self) -> str:
        """classification or regression when known before loading the data, else ""."""
        source = combo_key(self.source)
        if source == "builtin" and self.catalog is not None:
            return self.catalog.builtin_tasks.get(combo_key(self.name), "")
        if source in ("torchvision", "image_folder"):
            return "classification"
        task = self.rows.get("task")
        return "" if task == "auto" else task

    def apply_config(self, config) -> None:  # noqa: ANN001
        d = config.data
        set_combo_key(self.source, d.source, add_missing=True)
        if d.source in ("builtin", "torchvision"):
            self._names[d.source] = d.name
            set_combo_key(self.name, d.name, add_missing=True)
        self.root.set_path(d.root)
        self.rows.apply(d)
        self._on_source_changed()

    def update_config(self, config) -> None:  # noqa: ANN001
        d = config.data
        d.source = combo_key(self.source)
        if self.form.isRowVisible(self.name) and self.name.count():
            d.name = combo_key(self.name)
        d.root = self.root.path() if self.form.isRowVisible(self.root) else ""
        self.rows.write(d)


if __name__ == "__main__":
    raise SystemExit(run_standalone(DatasetPanel))
