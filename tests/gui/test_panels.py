"""Panels, menus, settings and plotting, without training."""

from __future__ import annotations

import numpy as np
import pytest

# "thread": a hang inside a Qt modal loop never returns to Python, so signals cannot end it.
pytestmark = pytest.mark.timeout(60, method="thread")


def _select(combo, key):
    index = combo.findData(key)
    assert index >= 0, key
    combo.setCurrentIndex(index)


def test_pyqtgraph_paints_offscreen(qtbot):
    """Guards the PySide6 pin: a PlotWidget with a curve renders to a non-blank image."""
    import pyqtgraph as pg

    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.setBackground("w")
    plot.plot(np.arange(100), np.sin(np.arange(100) / 10), pen=pg.mkPen((255, 0, 0), width=3))
    plot.resize(320, 240)
    plot.show()
    qtbot.waitExposed(plot)
    image = plot.grab().toImage()
    assert image.width() >= 300 and image.height() >= 200
    reds = sum(
        1
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
        if (c := image.pixelColor(x, y)).red() > 200 and c.green() < 80 and c.blue() < 80
    )
    assert reds > 20


def test_plots_panel_draws_many_points(qtbot):
    from gui.panels.plots_panel import PlotsPanel

    panel = PlotsPanel()
    qtbot.addWidget(panel)
    events = [{"event": "step", "epoch": 1, "step": s, "loss": 1.0 + np.sin(s), "lr": 1e-3} for s in range(1, 100_001)]
    for i in range(0, len(events), 5000):
        panel.add_events(events[i : i + 5000])
    assert panel.point_count("raw") == 100_000
    assert panel.point_count("smooth") == 100_000
    panel.resize(800, 500)
    panel.show()
    assert not panel.grab().isNull()
    panel.log_scale.setChecked(True)
    panel.clear()
    assert panel.point_count("raw") == 0


def test_optimizer_options_follow_the_choice(window):
    panel = window.optim_panel
    betas = panel.optim_rows.widgets["betas"]
    _select(panel.name, "sgd")
    assert panel.form.isRowVisible(panel.momentum) and panel.form.isRowVisible(panel.nesterov)
    assert not panel.form.isRowVisible(betas)
    _select(panel.name, "adam")
    assert not panel.form.isRowVisible(panel.momentum)
    assert panel.form.isRowVisible(betas)
    _select(panel.name, "rmsprop")
    assert panel.form.isRowVisible(panel.momentum) and not panel.form.isRowVisible(panel.nesterov)


@pytest.mark.parametrize(
    ("schedule", "visible"),
    [
        ("none", set()),
        ("step", {"step_size", "gamma"}),
        ("multistep", {"milestones", "gamma"}),
        ("exponential", {"gamma"}),
        ("cosine", {"min_lr"}),
        ("warmup_cosine", {"min_lr", "warmup_epochs"}),
        ("plateau", {"factor", "patience"}),
        ("onecycle", {"max_lr", "pct_start"}),
    ],
)
def test_schedule_parameters_follow_the_schedule(window, schedule, visible):
    panel = window.optim_panel
    _select(panel.schedule, schedule)
    names = ("step_size", "gamma", "milestones", "min_lr", "warmup_epochs", "factor", "patience", "max_lr", "pct_start")
    shown = {n for n in names if panel.form.isRowVisible(panel.schedule_rows.widgets[n])}
    assert shown == visible


def test_dataset_fields_follow_the_source(window, catalog):
    panel = window.dataset_panel

    def visible(name):
        return panel.form.isRowVisible(panel.rows.widgets[name])

    assert panel.form.isRowVisible(panel.name)
    assert not panel.form.isRowVisible(panel.root)
    _select(panel.source, "csv")
    assert panel.form.isRowVisible(panel.root) and visible("target") and visible("task")
    assert not panel.form.isRowVisible(panel.name) and not visible("augment")
    _select(panel.source, "image_folder")
    assert panel.form.isRowVisible(panel.root) and not visible("target")
    assert visible("augment") and visible("cache")
    _select(panel.source, "torchvision")
    names = [panel.name.itemData(i) for i in range(panel.name.count())]
    assert names == list(catalog.source_specs["torchvision"]["names"])
    for source, spec in catalog.source_specs.items():
        _select(panel.source, source)
        shown = {n for n in panel.rows.widgets if visible(n)}
        assert shown == (set(spec["options"]) & set(panel.rows.widgets)) - {"transforms"}, source
    _select(panel.source, "image_folder")
    panel.rows.set("augment", "custom")
    assert visible("transforms")  # only for a custom augmentation list


def test_pickers_are_filled_from_the_backend(window, catalog):
    from backend.core.schema import OPTIMIZERS
    from backend.data.builtin import BUILTIN_DATASETS
    from backend.models.registry import MODELS

    arch = window.model_panel.arch
    keys = [arch.itemData(i) for i in range(arch.count()) if arch.itemData(i)]  # minus group titles
    assert sorted(keys) == sorted(MODELS)
    assert arch.itemData(0, 3) == MODELS[arch.itemData(0)].description  # 3 = ToolTipRole
    names = window.dataset_panel.name
    assert [names.itemData(i) for i in range(names.count())] == list(BUILTIN_DATASETS)
    optim = window.optim_panel.name
    assert [optim.itemData(i) for i in range(optim.count())] == list(OPTIMIZERS)


def test_unsupported_precisions_are_disabled_with_a_reason(window, catalog):
    from gui.catalog import Catalog

    fake = Catalog(**{**catalog.__dict__, "devices": [{"device": "cpu", "name": "CPU", "precisions": ["fp32"]}]})
    panel = window.device_panel
    panel.set_catalog(fake)
    model = panel.precision.model()
    for i in range(panel.precision.count()):
        key = panel.precision.itemData(i)
        item = model.item(i)
        assert item.isEnabled() == (key in ("auto", "fp32")), key
        if key not in ("auto", "fp32"):
            assert "not supported" in item.toolTip()


def test_model_options_follow_the_architecture(window, catalog):
    panel = window.model_panel
    fine_tuning = {"freeze_backbone", "backbone_lr_scale"}  # only with pretrained weights (a weights file)
    for weights in ("", "pretrained.pth"):
        panel.rows.set("weights", weights)
        for arch, options in catalog.model_options.items():
            _select(panel.arch, arch)
            shown = {n for n, w in panel.rows.widgets.items() if panel.form.isRowVisible(w)}
            assert shown == (set(options) if weights else set(options) - fine_tuning), arch


def test_config_round_trip_through_a_file(window, tmp_path):
    path = tmp_path / "my-run.toml"
    window.optim_panel.lr.setValue(3e-4)
    _select(window.optim_panel.schedule, "cosine")
    window.model_panel.rows.widgets["hidden_sizes"].setText("32, 16")
    assert window.save_config_as(str(path))
    window.new_config()
    assert window.collect_config().optim.lr == pytest.approx(1e-3)
    window.open_config(str(path))
    config = window.collect_config()
    assert config.optim.lr == pytest.approx(3e-4)
    assert config.schedule.name == "cosine"
    assert config.model.hidden_sizes == [32, 16]
    from gui import settings

    assert settings.recent_configs()[0] == str(path.resolve())


def test_bad_config_file_shows_the_error(window, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[optim]\nlr = -1\n", encoding="utf-8")
    window.open_config(str(path))
    assert window.error_dialog.isVisible()
    assert "optim.lr" in window.error_dialog.message.text()


def test_menus_list_artifact_actions(window):
    texts = [a.text().replace("&", "") for menu in window.menuBar().actions() for a in menu.menu().actions()]
    assert "Start" in texts and "Save config as…" in texts
    for text in ("Load weights/checkpoint…", "Save model…", "Export…", "Quantize…", "Evaluate…", "Predict…"):
        assert text in texts, text
    # No model yet: the actions that need one are disabled and say why.
    assert not window.menu_actions["save_model"].isEnabled()
    assert "No model yet" in window.menu_actions["save_model"].toolTip()


def test_settings_are_isolated_and_typed(isolated_settings, window, qtbot):
    from gui import settings

    assert str(isolated_settings) in settings.file_path()
    window.set_theme("dark")
    assert settings.theme() == "dark"
    window.set_theme("system")
    window.close()
    assert not settings.value(settings.WINDOW_GEOMETRY, b"", bytes) == b""
    assert settings.value(settings.UI_LOG_VISIBLE, False, bool) is True
    settings.migrate()
    assert settings.value(settings.META_VERSION, 0, int) == settings.SETTINGS_VERSION


def test_window_appears_before_torch_loads(qtbot):
    """The window is built from the Qt side alone; the catalogue then arrives from a thread."""
    from gui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.state_label.text() == "Loading PyTorch…"  # Start queues meanwhile: tests/gui/test_startup.py
    win.start_catalog_load()
    qtbot.waitUntil(lambda: win.catalog is not None, timeout=30_000)
    assert win.run_bar.start_button.isEnabled()
    assert win.collect_config().model.arch == "mlp"


def test_startup_shows_the_window_without_importing_torch(tmp_path):
    """In a fresh process the window is shown before torch is imported (fast start-up)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import sys, time\n"
        "from PySide6.QtCore import QSettings\n"
        f"QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, {str(tmp_path)!r})\n"
        "t0 = time.perf_counter()\n"
        "from gui.app import create_application\n"
        "app = create_application([])\n"
        "from gui.main_window import MainWindow\n"
        "w = MainWindow(); w.show(); app.processEvents()\n"
        "print('torch' in sys.modules, round(time.perf_counter() - t0, 2))\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=50)
    assert out.returncode == 0, out.stderr
    torch_loaded, seconds = out.stdout.split()
    assert torch_loaded == "False"
    assert float(seconds) < 10  # typically ~0.6 s; generous for a loaded CI machine


def test_dataset_and_model_summaries_before_start(window, qtbot):
    view = window.run_view
    qtbot.waitUntil(lambda: view.model_view.table.rowCount() > 0, timeout=20_000)
    assert "digits" in view.data_view.text.text()
    assert view.data_view.thumbs.count() > 0  # sample images
    assert "parameters" in view.model_view.text.text()
    assert not view.problem.isVisible()
    preview = window.optim_panel.lr_preview
    assert preview is None or not preview.isVisible()  # a constant rate ("none") needs no plot


def test_model_that_does_not_fit_the_data_is_reported_before_start(window, qtbot):
    window.dataset_panel.name.setCurrentIndex(window.dataset_panel.name.findData("iris"))
    window.model_panel.arch.setCurrentIndex(window.model_panel.arch.findData("simple_cnn"))
    qtbot.waitUntil(lambda: "Model:" in window.run_view.problem.text(), timeout=20_000)
    assert window.run_view.data_view.table.rowCount() > 0  # iris: a table of sample rows
    assert not window.start_run()
    assert window.error_dialog.isVisible()
    assert not window.controller.is_running()


def test_csv_target_is_picked_from_the_files_columns(window, qtbot, tmp_path):
    from gui.widgets import set_combo_key

    table = tmp_path / "wine.csv"
    table.write_text(
        "alcohol,hue,region,cultivar\n" + "".join(f"{13 + i % 3},1.0{i},north,c{i % 3}\n" for i in range(30))
    )
    other = tmp_path / "flowers.csv"
    other.write_text("petal,sepal,species\n" + "".join(f"{i},{i % 4},s{i % 2}\n" for i in range(30)))
    panel = window.dataset_panel
    picker = panel.rows.widgets["target"]
    set_combo_key(panel.source, "csv")
    panel.root.set_path(str(table))
    # The drop-down offers the file's columns and the last one, the usual label, is chosen.
    assert picker.columns() == ["alcohol", "hue", "region", "cultivar"]
    assert window.collect_config().data.target == "cultivar"
    qtbot.waitUntil(lambda: window.run_view.data_view.table.rowCount() > 0, timeout=20_000)
    # 24 training rows: the default batch of 64 cannot be made; the banner's button fixes it.
    qtbot.waitUntil(lambda: window.run_view.problem.fix_button.text() == "Use batch size 24", timeout=20_000)
    window.run_view.problem.fix_button.click()
    assert window.collect_config().data.batch_size == 24
    assert not window.run_view.problem.isVisible()  # ready to train
    picker.combo.setCurrentIndex(1)
    assert window.collect_config().data.target == "hue"
    # The user's own choice is kept when the file changes (the banner lists the new columns) ...
    panel.root.set_path(str(other))
    assert picker.columns() == ["petal", "sepal", "species"] and picker.text() == "hue"
    qtbot.waitUntil(lambda: "petal, sepal, species" in window.run_view.problem.text(), timeout=20_000)
    # ... while a column chosen automatically follows the file.
    picker.setText("")
    panel.root.set_path(str(table))
    assert picker.text() == "cultivar"
    panel.root.set_path(str(other))
    assert picker.text() == "species"


def test_schedule_preview_follows_the_schedule(window, qtbot):
    panel = window.optim_panel
    window.train_panel.epochs.setValue(10)
    _select(panel.schedule, "cosine")
    qtbot.waitUntil(
        lambda: (
            panel._lr_curve is not None
            and panel._lr_curve.yData is not None
            and len(panel._lr_curve.yData) > 0
            and panel._lr_curve.yData[-1] < 0.5 * panel._lr_curve.yData[0]
        ),
        timeout=20_000,
    )
    assert panel.lr_preview.isVisible()


def test_confusion_matrix_counts_and_colours(qtbot):
    from gui.panels.confusion_panel import ConfusionPanel

    panel = ConfusionPanel()
    qtbot.addWidget(panel)
    panel.set_class_names(["cat", "dog", "fox"])
    panel.show()
    panel.add_events([{"event": "epoch", "epoch": 2, "confusion": [[5, 1, 0], [0, 4, 2], [0, 0, 6]]}])
    assert [t.toPlainText() for t in panel._texts] == ["5", "1", "0", "0", "4", "2", "0", "0", "6"]
    assert "15 of 18" in panel.caption.text()
    panel.show_matrix(np.eye(12, dtype=int) * 3, 3)  # integers and a new size
    assert len(panel._texts) == 144
