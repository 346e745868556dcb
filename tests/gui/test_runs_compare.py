"""The runs list as a comparison table: final and best metrics, columns for the parameters that
differ, sorting, a filter, runs of one name told apart, overlays named in the legends, seed groups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(60, method="thread")

# (folder, name, seed, lr, val_acc per epoch): two "wine-mlp" runs differ only in seed.
RUNS = [
    ("20250101-120000-wine-mlp", "wine-mlp", 1, 0.01, [0.80, 0.95, 0.90]),
    ("20250101-120100-wine-mlp", "wine-mlp", 2, 0.01, [0.70, 0.85, 0.88]),
    ("20250101-120200-wine-fast", "wine-fast", 1, 0.1, [0.60, 0.65, 0.62]),
]


@pytest.fixture(scope="module")
def runs_root(tmp_path_factory) -> Path:
    """Run folders as a finished run leaves them (config.toml and metrics.jsonl), without training."""
    from backend.core.config import RunConfig, save_config

    root = tmp_path_factory.mktemp("compare")
    for folder, name, seed, lr, accs in RUNS:
        run = root / folder
        run.mkdir()
        config = RunConfig(name=name, seed=seed)
        config.optim.lr = lr
        config.train.epochs = len(accs)
        save_config(config, run / "config.toml")
        stamp = f"2025-01-01 {folder[9:11]}:{folder[11:13]}:{folder[13:15]}"
        events = [
            {"event": "start", "name": name, "started": stamp, "task": "classification", "epochs": len(accs)},
            *(
                {"event": "step", "epoch": e, "step": 10 * e + i, "loss": 1 / (10 * e + i), "lr": lr}
                for e in range(1, len(accs) + 1)
                for i in range(10)
            ),
            *(
                {"event": "epoch", "epoch": e, "train_loss": 1 / e, "val_loss": (1 - acc) * 2, "val_acc": acc}
                for e, acc in enumerate(accs, 1)
            ),
            {"event": "end", "status": "completed", "monitor": "val_loss", "best_metric": (1 - max(accs)) * 2},
        ]
        (run / "metrics.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    return root


@pytest.fixture
def panel(qtbot, runs_root):
    from gui.panels.runs_panel import RunsPanel

    panel = RunsPanel()
    qtbot.addWidget(panel)
    panel.resize(1000, 300)
    with qtbot.waitSignal(panel.sig_refreshed, timeout=10_000):
        panel.set_root(str(runs_root))
    yield panel
    panel.wait()


def _rows(panel) -> dict[str, object]:
    from gui.panels.runs_panel import RUN_DIR_ROLE

    items = [panel.table.topLevelItem(i) for i in range(panel.run_count())]
    return {Path(item.data(0, RUN_DIR_ROLE)).name: item for item in items}


def _select(panel, qtbot, folders: list[str]) -> dict:
    root = Path(panel._root)
    with qtbot.waitSignal(panel.sig_overlay, timeout=10_000) as overlay:
        panel.select_runs([str(root / f) for f in folders])
    return overlay.args[0]


def test_the_table_shows_final_and_best_metrics_and_the_differing_parameters(panel):
    from gui.panels.runs_panel import BEST, FINAL, LOSS, RUN

    rows = _rows(panel)
    first = rows["20250101-120000-wine-mlp"]
    assert first.text(FINAL) == "90.0% accuracy"
    assert first.text(BEST) == "★ 95.0% accuracy"  # ★: the best val_loss (its monitor) of the listed runs
    assert first.text(LOSS).startswith("0.2") and "best 0.1" in first.text(LOSS)
    # Two runs of one name are told apart (by their folder, which starts with the date and time).
    assert rows["20250101-120000-wine-mlp"].text(RUN) != rows["20250101-120100-wine-mlp"].text(RUN)
    assert rows["20250101-120200-wine-fast"].text(RUN) == "wine-fast"
    # Columns for what differs between the listed runs, and only that.
    assert panel.param_columns() == ["optim.lr", "seed"]
    header = [panel.table.headerItem().text(c) for c in range(panel.table.columnCount())]
    assert header[-2:] == ["optim.lr", "seed"]
    assert first.text(header.index("optim.lr")) == "0.01"


def test_columns_follow_the_selected_runs_and_sorting_is_by_value(panel, qtbot):
    from PySide6.QtCore import Qt

    from gui.panels.runs_panel import BEST, RUN_DIR_ROLE

    _select(panel, qtbot, ["20250101-120000-wine-mlp", "20250101-120100-wine-mlp"])
    assert panel.param_columns() == ["seed"]  # the two selected differ only in seed
    panel.table.sortByColumn(BEST, Qt.SortOrder.AscendingOrder)
    order = [Path(panel.table.topLevelItem(i).data(0, RUN_DIR_ROLE)).name[9:15] for i in range(3)]
    assert order == ["120200", "120100", "120000"]  # 65%, 88%, 95%


def test_the_filter_hides_rows_without_its_words(panel):
    rows = _rows(panel)
    panel.filter.setText("optim.lr=0.1")
    assert [name for name, item in rows.items() if not item.isHidden()] == ["20250101-120200-wine-fast"]
    panel.filter.setText("wine completed")
    assert not any(item.isHidden() for item in rows.values())
    panel.filter.clear()


def test_selected_runs_overlay_with_a_legend_naming_each_and_seeds_group(panel, qtbot):
    from gui.panels.plots_panel import PlotsPanel

    plots = PlotsPanel()
    qtbot.addWidget(plots)
    panel.sig_overlay.connect(plots.set_overlays)
    everything = [folder for folder, *_ in RUNS]
    overlays = _select(panel, qtbot, everything)
    assert len(overlays) == 3 and all(len(group) == 1 for group in overlays.values())
    legend = plots.overlay_legend.text()  # one legend naming each overlaid run
    assert all(name in legend for name in ("20250101-120000-wine-mlp", "20250101-120100-wine-mlp", "wine-fast"))

    with qtbot.waitSignal(panel.sig_overlay, timeout=10_000) as grouped:
        panel.group_seeds.setChecked(True)
    overlays = grouped.args[0]
    assert sorted(len(group) for group in overlays.values()) == [1, 2]
    mean_name = next(name for name, group in overlays.items() if len(group) == 2)
    assert "wine-mlp" in mean_name and "2 seeds" in mean_name
    validation = plots.overlay_curve(mean_name, "acc_val")
    assert validation.getData()[1].tolist() == pytest.approx([75.0, 90.0, 89.0])  # mean of the two seeds
    panel.group_seeds.setChecked(False)
