"""Curves a user can read: legends outside the plot area, axes that follow the data with the planned
end shown, a resumed run's whole history, pause and resume in the events log, an ETA without the pause."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(60, method="thread")


def _steps(first: int, last: int) -> list[dict]:
    return [{"event": "step", "epoch": 1, "step": s, "loss": 1.0 / s, "lr": 0.1} for s in range(first, last + 1)]


def _epoch(n: int, **extra) -> dict:
    return {"event": "epoch", "epoch": n, "train_loss": 1 / n, "val_loss": 1.1 / n, "val_acc": 0.5 + n / 20, **extra}


def _run(offset: float, epochs: int = 4) -> list[dict]:
    events = [{"event": "start", "task": "classification"}, *_steps(1, 40)]
    return events + [_epoch(e, val_loss=offset + 1 / e) for e in range(1, epochs + 1)]


@pytest.fixture
def panel(qtbot):
    from gui.panels.plots_panel import PlotsPanel

    panel = PlotsPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 620)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_legends_sit_outside_the_plot_area_even_with_overlays(panel, qtbot):
    panel.clear()
    panel.add_events([*_steps(1, 30), _epoch(1, train_acc=0.4)])
    panel.flush()
    panel.set_overlays({f"run {i}": [_run(0.1 * i)] for i in range(3)})
    qtbot.wait(50)  # the layouts settle
    for plot in panel.plots:
        item = plot.getPlotItem()
        legend, view = item.legend.sceneBoundingRect(), item.vb.sceneBoundingRect()
        assert legend.height() > 0 and not legend.intersects(view), plot.objectName()
        assert plot.sceneRect().contains(legend), f"{plot.objectName()}: the legend is cut"
        assert plot.sceneRect().width() <= plot.viewport().width() + 1, "the plot is wider than its view"
    # The overlaid runs have one legend for the four plots, above them: each run named, in its colour.
    overlay_legend = panel.overlay_legend
    assert overlay_legend.isVisible() and overlay_legend.geometry().bottom() < panel.loss_plot.geometry().top()
    assert all(f"run {i}" in overlay_legend.text() for i in range(3))
    assert "Not drawn" not in overlay_legend.text()


def test_axes_follow_the_data_and_the_planned_end_is_marked(panel):
    panel.clear()
    panel.set_run_length(total_steps=2000, epochs=20)
    panel.add_events([*_steps(1, 50), _epoch(1), _epoch(2)])
    panel.flush()
    low, high = panel.loss_plot.getPlotItem().vb.viewRange()[0]
    assert high < 100, "the step axis must follow the 50 steps drawn, not the 2000 planned"
    epochs_high = panel.epoch_plot.getPlotItem().vb.viewRange()[0][1]
    assert epochs_high < 5
    assert panel.loss_plot.planned_end.value() == 2000 and panel.loss_plot.planned_end.isVisible()
    assert "2,000" in panel.loss_plot.getPlotItem().titleLabel.text


def test_hidden_overlays_say_so(panel):
    from gui.panels.plots_panel import OVERLAY_COLORS

    runs = {f"run {i}": [_run(0.05 * i)] for i in range(len(OVERLAY_COLORS) + 1)}
    runs["not started"] = [[{"event": "start", "task": "classification"}]]
    panel.set_overlays(runs)
    note = panel.overlay_legend.text().split("Not drawn", 1)[1]
    assert f"run {len(OVERLAY_COLORS)}" in note and "not started" in note and "run 0" not in note
    panel.set_overlays({})
    assert panel.overlay_count() == 0 and not panel.overlay_legend.isVisibleTo(panel)


def test_a_seed_group_is_drawn_as_its_mean_with_a_band(panel):
    import pyqtgraph as pg

    from gui.panels.plots_panel import overlay_series

    first, second = _run(0.0), _run(0.2)
    xs, mean, low, high = overlay_series([first, second])["val"]
    assert xs.tolist() == [1, 2, 3, 4]
    assert mean.tolist() == pytest.approx([0.1 + 1 / e for e in range(1, 5)])
    assert low.tolist() == pytest.approx([1 / e for e in range(1, 5)])
    assert high.tolist() == pytest.approx([0.2 + 1 / e for e in range(1, 5)])
    panel.set_overlays({"seeds": [first, second]})
    bands = [item for _plot, item in panel._overlay_items if isinstance(item, pg.FillBetweenItem)]
    assert len(bands) == 4  # step loss, epoch validation loss, accuracy, lr


def test_a_resumed_run_draws_its_history_before_the_new_points(qtbot, tmp_path: Path):
    from gui.run_view import RunView

    view = RunView()
    qtbot.addWidget(view)
    history = [_run(0.0, epochs=2)[0], *_steps(1, 20), _epoch(1), *_steps(21, 40), _epoch(2)]
    (tmp_path / "metrics.jsonl").write_text("".join(json.dumps(e) + "\n" for e in history) + '{"event": "end"}\n')
    start = {
        "event": "start",
        "task": "classification",
        "epochs": 3,
        "total_steps": 60,
        "steps_per_epoch": 20,
        "start_epoch": 3,
        "run_dir": str(tmp_path),
        "history_lines": len(history),  # the end line after them was logged after the checkpoint
    }
    view.add_events([start, *_steps(41, 60), _epoch(3)])
    plots = view.plots
    qtbot.waitUntil(lambda: plots.point_count("val") == 3, timeout=5000)
    assert plots.series["val"].x.tolist() == [1, 2, 3]
    assert plots.series["raw"].x.tolist() == list(range(1, 61))
    # The end-of-run line gives the final and best accuracy, not only a loss.
    text = view.finished_text({"status": "completed", "final": {"val_acc": 0.9}, "best": {"val_acc": 0.92}})
    assert text == "Run completed: accuracy 90.0% (best 92.0%)"
    view.wait()


def test_pause_resume_checkpoints_and_the_end_line_in_the_events_log(qtbot):
    from gui.panels.log_panel import LogPanel

    log = LogPanel()
    qtbot.addWidget(log)
    path = "/runs/20250101-120000-digits-mlp/checkpoints/{}.ckpt"
    log.add_events(
        [
            {"event": "start", "task": "classification", "run_dir": "/runs/x"},
            {"event": "paused", "epoch": 1, "step": 7},
            {"event": "resumed", "epoch": 1, "step": 7, "paused_s": 65.0},
            {"event": "checkpoint", "kind": "last", "path": path.format("last"), "epoch": 1, "step": 20},
            {"event": "checkpoint", "kind": "best", "path": path.format("best"), "epoch": 1, "step": 20},
            {"event": "checkpoint", "kind": "last", "path": path.format("last"), "epoch": 2, "step": 40},
            {
                "event": "end",
                "status": "completed",
                "monitor": "val_loss",
                "best_metric": 0.2,
                "final": {"val_acc": 0.95, "val_loss": 0.25},
                "best": {"val_acc": 0.961, "val_loss": 0.2},
            },
        ]
    )
    lines = log.toPlainText().splitlines()
    assert "Paused at epoch 1, step 7" in lines[1] and "1:05" in lines[2]
    checkpoint_lines = [line for line in lines if "Checkpoint" in line]
    assert len(checkpoint_lines) == 2  # one line per save, last and best together
    assert checkpoint_lines[0].endswith("last.ckpt, best.ckpt (the best so far)")
    assert "/runs/" not in checkpoint_lines[0]  # the file's name, not its full path
    assert "accuracy 95.0% (best 96.1%)" in lines[-1] and "val loss 0.25 (best 0.2)" in lines[-1]


def test_the_eta_leaves_a_pause_out(qtbot):
    from gui.panels.run_bar import RunBar

    bar = RunBar()
    qtbot.addWidget(bar)
    bar.add_events([{"event": "start", "epochs": 1, "steps_per_epoch": 10, "total_steps": 10}])
    bar.add_events([{"event": "step", "epoch": 1, "step": 1, "elapsed_s": 1.0}])
    bar.add_events([{"event": "step", "epoch": 1, "step": 2, "elapsed_s": 2.0}])
    bar.add_events([{"event": "resumed", "epoch": 1, "step": 2, "paused_s": 100.0}])
    bar.add_events([{"event": "step", "epoch": 1, "step": 3, "elapsed_s": 103.0}])
    assert bar.eta_label.text() == "ETA 0:07"  # 1 s per step for the 7 steps left, not 51 s per step
