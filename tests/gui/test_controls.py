"""Controls that do what the user means, and problems found before Start (issue 12)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.timeout(60, method="thread")


def _wheel(widget, clicks: int = -1) -> None:
    """One wheel turn over the middle of ``widget`` (negative: towards the user, scrolling down)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(),
        QPoint(0, 120 * clicks),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def _problems_settled(window, qtbot) -> None:
    qtbot.waitUntil(lambda: window._inspection is not None and not window.inspector.busy(), timeout=20_000)


def test_wheel_scrolls_the_column_and_changes_only_a_focused_field(window, qtbot):
    window.resize(1000, 500)  # the settings column needs a scroll bar
    arch = window.model_panel.arch
    bar = window.config_scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    before, scrolled = arch.currentIndex(), bar.value()
    for _ in range(8):
        _wheel(arch)
    assert arch.currentIndex() == before  # the value never changes under a passing wheel ...
    assert bar.value() > scrolled  # ... the column scrolls instead
    assert arch.focusPolicy() == Qt.FocusPolicy.StrongFocus
    epochs = window.train_panel.epochs
    epochs.setFocus()
    qtbot.waitUntil(epochs.hasFocus)
    value = epochs.value()
    _wheel(epochs, 1)
    assert epochs.value() == value + 1  # a focused field takes the wheel


def test_tab_follows_the_settings_column_then_reaches_start(window, qtbot):
    window.activateWindow()
    first = window.dataset_panel.source
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    box = window.config_scroll.widget()
    start = window.run_bar.start_button
    visited, tops = [], []
    for _ in range(60):
        widget = QApplication.focusWidget()
        if widget is start:
            break
        assert box.isAncestorOf(widget), widget  # nothing outside the column before Start
        visited.append(widget)
        tops.append(widget.mapTo(box, QPoint(0, 0)).y())
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is start, "Start not reached by Tab"
    assert tops == sorted(tops)  # top to bottom
    hidden = window.model_panel.rows.widgets["hidden_sizes"]
    assert hidden in visited and visited.index(hidden) < visited.index(window.train_panel.epochs)
    assert len(visited) == len(set(visited)) < 50  # each field once, Start right after the column


def test_invalid_list_text_is_shown_at_the_field_and_blocks_start(window, qtbot):
    field = window.model_panel.rows.widgets["hidden_sizes"]
    field.setText("abc, -5")
    start = window.run_bar.start_button
    qtbot.waitUntil(lambda: not start.isEnabled())
    assert field.text() == "abc, -5"  # never silently replaced
    assert "2px solid" in field.styleSheet() and "'abc'" in field.toolTip()
    assert window.run_view.problem.isVisible()
    assert window.run_view.problem.text().startswith("Hidden sizes: ")
    assert "'abc'" in start.toolTip()
    field.setText("32, -5")  # a number, but out of range: validation names the field by its label
    assert "Hidden sizes: model.hidden_sizes" in window.run_view.problem.text()
    field.setText("32, 16")
    assert start.isEnabled() and field.styleSheet() == ""
    assert window.collect_config().model.hidden_sizes == [32, 16]


def test_a_table_source_drops_the_image_folder_and_image_models(window, qtbot, tmp_path):
    from gui.widgets import set_combo_key

    data, model = window.dataset_panel, window.model_panel
    folder = tmp_path / "pets"
    (folder / "train").mkdir(parents=True)
    (folder / "val").mkdir()
    set_combo_key(data.source, "image_folder")
    data.root.set_path(str(folder))
    set_combo_key(model.arch, "simple_cnn")
    val_split = data.rows.widgets["val_split"]
    assert not val_split.isEnabled() and "train/ and val/" in val_split.toolTip()
    set_combo_key(data.source, "csv")
    assert data.root.path() == ""  # the folder is not a CSV file
    assert model.arch.currentData() == "mlp"
    view = model.arch.view()
    hidden = {model.arch.itemData(i) for i in range(model.arch.count()) if view.isRowHidden(i)}
    assert {"simple_cnn", "vgg_small", "tv:resnet18"} <= hidden and "mlp" not in hidden
    set_combo_key(data.source, "image_folder")
    assert data.root.path() == str(folder)  # each source keeps its own path
    assert not view.isRowHidden(model.arch.findData("simple_cnn"))


def test_batch_larger_than_the_data_disables_start_with_a_fix(window, qtbot):
    rows = window.dataset_panel.rows
    rows.set("batch_size", 9999)
    banner, start = window.run_view.problem, window.run_bar.start_button
    qtbot.waitUntil(lambda: banner.fix_button.isVisible(), timeout=20_000)
    assert not start.isEnabled() and "Batch size: " in start.toolTip()
    assert banner.text().startswith("Batch size: ") and "data.batch_size = 9999" in banner.text()
    label = window.dataset_panel.form.labelForField(rows.widgets["batch_size"])
    assert "bold" in label.styleSheet()  # the field at fault, by its label
    assert banner.fix_button.text() == "Use batch size 1437"
    assert not window.start_run()  # pressed anyway (F5): nothing starts
    banner.fix_button.click()
    assert rows.get("batch_size") == 1437
    assert start.isEnabled() and not banner.isVisible() and label.styleSheet() == ""


def test_an_image_model_on_a_table_offers_mlp(window, qtbot):
    from gui.widgets import set_combo_key

    set_combo_key(window.dataset_panel.name, "iris")
    _problems_settled(window, qtbot)
    window.model_panel.arch.setCurrentIndex(window.model_panel.arch.findData("simple_cnn"))  # a loaded config
    banner = window.run_view.problem
    qtbot.waitUntil(lambda: banner.fix_button.text() == "Switch to mlp", timeout=20_000)
    banner.fix_button.click()
    assert window.collect_config().model.arch == "mlp"


def test_the_banner_never_moves_the_tabs(window, qtbot):
    tabs = window.run_view.tabs
    _problems_settled(window, qtbot)
    assert not window.run_view.problem.isVisible()
    before = tabs.geometry()
    window.optim_panel.lr.setText("-1")
    assert window.run_view.problem.isVisible() and "Learning rate: " in window.run_view.problem.text()
    QApplication.processEvents()
    assert tabs.geometry() == before


def test_start_keeps_the_last_curves_when_it_cannot_run(window):
    window.plots.add_events([{"event": "step", "epoch": 1, "step": s, "loss": 1.0 / s} for s in range(1, 30)])
    count = window.plots.point_count("raw")
    assert count > 0
    window.optim_panel.lr.setText("-1")  # refused by validation
    assert not window.start_run()
    assert window.plots.point_count("raw") == count
