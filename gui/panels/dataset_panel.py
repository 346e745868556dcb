"""Dataset panel: where the data comes from, and the options of that source."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, Qt
from PySide6.QtWidgets import QComboBox, QWidget

from backend.core.schema import BY_KEY, DATASET_NAMES, OPTIONS, applies_with
from gui.backend_text import backend_tr
from gui.catalog import Catalog
from gui.option_form import OptionRows, schema_rows
from gui.panels.base import ConfigPanel, run_standalone
from gui.panels.cache_button import ClearCacheButton
from gui.widgets import PathEdit, combo_key, fill_combo, set_combo_key, sync_combo_tooltip

if TYPE_CHECKING:
    from backend.core.config import RunConfig

# The [data] keys with a widget of this panel's own; every other one is a row made from the schema.
_OWN_KEYS = ("data.source", "data.name", "data.root")


class DatasetPanel(ConfigPanel):
    """Source, dataset name or path, and the split, batching, image and loading options.

    Which rows a source uses comes from the schema's "applies when"; the others are hidden. Each
    source keeps its own dataset name and path, so switching to a CSV file never keeps a folder.
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
        self._roots: dict[str, str] = {}  # last path per source
        self._source = ""  # the source the fields show
        self._filled_target = ""  # the target column last chosen here rather than by the user
        self.source = QComboBox(self)
        self.source.setObjectName("datasetSource")
        self.name = QComboBox(self)
        self.name.setObjectName("datasetName")
        self.root = PathEdit(self)
        self.root.setObjectName("datasetRoot")
        self.add_field("data.source", self.source)
        self.add_field("data.name", self.name)
        self.add_field("data.root", self.root)
        self.note = self.add_note()
        keys = [o.key for o in OPTIONS if o.section == "data" and o.key not in _OWN_KEYS]
        self.rows = self.add_rows(OptionRows(self.form, self, schema_rows(keys), self.config_changed))
        self._val_split_help = self.rows.widgets["val_split"].toolTip()
        self.clear_cache = self.add_row("", ClearCacheButton(lambda: self.rows.get("cache_dir"), self))
        self.config_changed.connect(self.clear_cache.refresh)
        # A folder fixed outside the app (images added, train/ and val/ made) is inspected again.
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._on_folder_changed)

        self.source.currentIndexChanged.connect(self._on_source_changed)
        self.name.currentIndexChanged.connect(self._on_name_changed)
        self.root.path_changed.connect(self._on_root_changed)
        for signal in (self.source.currentIndexChanged, self.name.currentIndexChanged, self.root.path_changed):
            signal.connect(self.config_changed)
        for name in ("augment", "cache"):
            self.rows.widgets[name].currentIndexChanged.connect(self._update_rows)
        fill_combo(self.source, dict.fromkeys(self._labels, ""), self._labels)
        self._on_source_changed()

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
        if self._source and self._source != source:
            self._roots[self._source] = self.root.path()  # each source keeps its own path
            self.root.set_path(self._roots.get(source, ""))
        self._source = source
        descriptions = spec.get("names") or {}
        wanted = self._names.get(source, "")  # read first: refilling the list reports its first name
        fill_combo(self.name, {name: backend_tr(descriptions.get(name, "")) for name in DATASET_NAMES.get(source, ())})
        set_combo_key(self.name, wanted, add_missing=True)
        if spec.get("root_kind") == "file":
            self.root.set_mode("file", self.tr("CSV files (*.csv *.tsv *.txt);;All files (*)"))
        else:
            self.root.set_mode("folder")
        self._offer_columns()
        self._on_name_changed()

    def _update_rows(self) -> None:
        """Show the rows that apply to the source (and augmentation); say when the folder holds the split."""
        values = {"data.source": combo_key(self.source)}
        for key in ("data.name", "data.root"):
            self.show_row(self._fields[key], applies_with(values, BY_KEY[key]))
        self.rows.refresh(values)
        self.show_row(self.clear_cache, values["data.source"] == "image_folder")
        val_split = self.rows.widgets["val_split"]
        split = self.split_folders()
        val_split.setEnabled(not split)
        val_split.setToolTip(
            self.tr("Not used: the folder's train/ and val/ sub-folders are the split")
            if split
            else self._val_split_help
        )

    def split_folders(self) -> bool:
        """True when the image folder has train/ and val/ sub-folders (they are the split)."""
        if combo_key(self.source) != "image_folder" or not self.root.path() or self.catalog is None:
            return False
        from backend.data.image_folder import has_split_folders

        return has_split_folders(Path(self.root.path()).expanduser())

    def data_kind(self) -> str:
        """The kind of data, "table" or "images", when the source decides it; "" when the dataset does (builtin)."""
        source = combo_key(self.source)
        if source == "csv":
            return "table"
        return "images" if source in ("torchvision", "image_folder") else ""

    def _on_root_changed(self) -> None:
        self._offer_columns()
        self._update_rows()
        self._watch(self.root.path())

    def _watch(self, path: str) -> None:
        """Watch the chosen folder and its parent (where a missing folder will appear)."""
        if self._watcher.directories():
            self._watcher.removePaths(self._watcher.directories())
        if path:
            folder = Path(path).expanduser()
            existing = [str(p) for p in (folder, folder.parent) if p.is_dir()]
            if existing:
                self._watcher.addPaths(existing)

    def _on_folder_changed(self) -> None:
        self._watch(self.root.path())  # a folder that was made or removed: watch what exists now
        self._update_rows()
        self.config_changed.emit()

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
        self._update_rows()
        if self.name.count():
            self._names[combo_key(self.source)] = combo_key(self.name)
        sync_combo_tooltip(self.source)
        sync_combo_tooltip(self.name)
        text = self.name.currentData(Qt.ItemDataRole.ToolTipRole) if self.form.isRowVisible(self.name) else None
        self.note.setText(str(text or backend_tr(self._spec().get("description", ""))))

    def task_hint(self) -> str:
        """classification or regression when known before loading the data, else ""."""
        source = combo_key(self.source)
        if source == "builtin" and self.catalog is not None:
            return self.catalog.builtin_tasks.get(combo_key(self.name), "")
        if source in ("torchvision", "image_folder"):
            return "classification"
        task = self.rows.get("task")
        return "" if task == "auto" else task

    def apply_config(self, config: RunConfig) -> None:
        d = config.data
        self.source.blockSignals(True)
        set_combo_key(self.source, d.source, add_missing=True)
        self.source.blockSignals(False)
        self._source = d.source
        if d.source in DATASET_NAMES:
            self._names[d.source] = d.name
        self.root.set_path(d.root)
        self.rows.apply(d)
        self._on_source_changed()

    def update_config(self, config: RunConfig) -> None:
        d = config.data
        d.source = combo_key(self.source)
        if self.form.isRowVisible(self.name) and self.name.count():
            d.name = combo_key(self.name)
        d.root = self.root.path() if self.form.isRowVisible(self.root) else ""
        self.rows.write(d)


if __name__ == "__main__":
    raise SystemExit(run_standalone(DatasetPanel))
