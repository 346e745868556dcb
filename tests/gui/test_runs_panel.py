"""The runs list: past runs are listed, overlaid on the plots, reloaded into the panels, resumed."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(60, method="thread")


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Two finished one-epoch runs (digits + MLP, different optimizers) in a fresh runs folder."""
    from backend.core.config import RunConfig
    from backend.engine.trainer import fit

    root = tmp_path_factory.mktemp("runs")
    ends = []
    for name, optimizer, lr in (("first", "sgd", 0.05), ("second", "adam", 0.002)):
        config = RunConfig(name=name)
        config.train.runs_dir = str(root)
        config.train.epochs = 1
        config.optim.name = optimizer
        config.optim.lr = lr
        ends.append(fit(config))
    return root, ends


def _show_runs(window, qtbot, root: Path) -> None:
    with qtbot.waitSignal(window.runs_panel.sig_refreshed, timeout=10_000):
        window.train_panel.runs_dir.set_path(str(root))
        window.runs_panel.refresh()
    qtbot.waitUntil(lambda: window.runs_panel.run_count() == 2, timeout=10_000)


def _select(window, qtbot, run_dirs: list[str]) -> None:
    with qtbot.waitSignal(window.runs_panel.sig_overlay, timeout=10_000):
        window.runs_panel.select_runs(run_dirs)


def test_lists_runs_with_date_best_metric_and_status(window, qtbot, two_runs):
    root, _ends = two_runs
    _show_runs(window, qtbot, root)
    table = window.runs_panel.table
    names = {table.topLevelItem(i).text(0) for i in range(2)}
    assert names == {"first", "second"}
    from gui.panels.runs_panel import BEST, DATE, FINAL, STATUS

    for i in range(2):
        item = table.topLevelItem(i)
        assert item.text(DATE)[:2] == "20"  # a date
        assert item.text(FINAL).endswith("% accuracy") and item.text(BEST).endswith("% accuracy")
        assert "1" in item.text(STATUS)  # "completed, 1 epochs"
    assert not window.runs_panel.empty.isVisible()


def test_selecting_runs_overlays_their_curves(window, qtbot, two_runs):
    root, _ends = two_runs
    _show_runs(window, qtbot, root)
    dirs = [str(p) for p in sorted(root.iterdir())]
    _select(window, qtbot, dirs[:1])
    one = window.plots.overlay_count()
    assert one >= 4  # step loss, lr, epoch train/val loss, accuracy
    _select(window, qtbot, dirs)
    assert window.plots.overlay_count() == 2 * one
    # Distinct style: dashed or dotted, under the live curves, and not in the live series.
    _plot, item = window.plots._overlay_items[0]
    assert item.opts["pen"].style() != window.plots.curves["raw"].opts["pen"].style()
    assert window.plots.point_count("raw") == 0
    _select(window, qtbot, [])
    assert window.plots.overlay_count() == 0


def test_load_config_into_panels(window, qtbot, two_runs):
    root, _ends = two_runs
    _show_runs(window, qtbot, root)
    first = next(str(p) for p in root.iterdir() if p.name.endswith("first"))
    assert window.collect_config().optim.name != "sgd"
    _select(window, qtbot, [first])
    assert window.runs_panel.load_button.isEnabled()
    window.runs_panel.load_button.click()
    config = window.collect_config()
    assert (config.optim.name, config.optim.lr, config.name) == ("sgd", 0.05, "first")


def test_resume_continues_the_run(window, qtbot, two_runs):
    from gui.panels.runs_panel import STATUS

    root, _ends = two_runs
    _show_runs(window, qtbot, root)
    second = next(p for p in root.iterdir() if p.name.endswith("second"))
    _select(window, qtbot, [str(second)])
    window.train_panel.epochs.setValue(2)
    assert window.runs_panel.resume_button.isEnabled()
    with qtbot.waitSignal(window.controller.sig_finished, timeout=45_000) as finished:
        window.runs_panel.resume_button.click()  # the run's history is read on a Task, then the run starts
        qtbot.waitUntil(lambda: not window.runs_panel.resume_button.isEnabled())  # no second resume while it runs
    summary = finished.args[0]
    assert summary["status"] == "completed"
    assert Path(summary["run_dir"]) == second  # the same folder, continued
    from backend.store.runs import read_metrics

    epochs = [e["epoch"] for e in read_metrics(second) if e.get("event") == "epoch"]
    assert epochs == [1, 2]
    # The list is refreshed after the run: the resumed run now shows 2 epochs.
    qtbot.waitUntil(
        lambda: any(
            "2" in window.runs_panel.table.topLevelItem(i).text(STATUS) for i in range(window.runs_panel.run_count())
        ),
        timeout=10_000,
    )


def test_resuming_a_finished_run_asks_to_train_further(window, qtbot, two_runs, monkeypatch):
    from PySide6.QtWidgets import QDialog, QInputDialog

    root, _ends = two_runs
    first = next(p for p in root.iterdir() if p.name.endswith("first"))
    window.train_panel.epochs.setValue(1)  # what the run has trained already: nothing would be left
    asked: list[str] = []
    answer = QDialog.DialogCode.Rejected

    def exec_(dialog) -> int:
        asked.append(dialog.labelText())
        return answer

    monkeypatch.setattr(QInputDialog, "exec", exec_)
    checkpoint = str(first / "checkpoints" / "last.ckpt")
    assert window.resume_from_checkpoint(checkpoint)  # under way: the run's history is read first...
    assert not asked and window.resume_check.is_running()  # ...on a Task: the GUI thread stays free
    qtbot.waitUntil(lambda: "Not resumed" in window.log.toPlainText(), timeout=10_000)  # declined; the log says why
    assert "already trained all its 1 epochs" in asked[0]
    assert window.controller.state == "idle"
    answer = QDialog.DialogCode.Accepted  # "Train further" with the offered value: up to epoch 2
    with qtbot.waitSignal(window.controller.sig_finished, timeout=45_000) as finished:
        assert window.resume_from_checkpoint(checkpoint)
    assert finished.args[0]["status"] == "completed" and finished.args[0]["epochs_done"] == 2
    qtbot.waitUntil(lambda: window.plots.point_count("val") == 2, timeout=5000)  # the first epoch is drawn too
