"""Live plots repaint one plot per timer tick (keeps each event-loop pass short), yet all catch up."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.timeout(60, method="thread")


def test_redraws_are_staggered_and_complete(qtbot):
    from gui.panels.plots_panel import PlotsPanel

    panel = PlotsPanel()
    qtbot.addWidget(panel)
    drawn: list[set] = []
    original = panel._redraw

    def spy(keys):
        drawn.append(set(keys))
        original(keys)

    panel._redraw = spy
    events = [{"event": "step", "step": s, "loss": 1.0 / s, "lr": 0.1} for s in range(1, 50)]
    events.append({"event": "epoch", "epoch": 1, "train_loss": 1.0, "val_loss": 0.9, "train_acc": 0.5, "val_acc": 0.6})
    panel.add_events(events)
    qtbot.waitUntil(lambda: not panel._dirty, timeout=5000)
    # One plot per redraw: step loss, epoch loss, accuracy and lr, each drawn once.
    assert sorted(map(sorted, drawn)) == [["acc_train", "acc_val"], ["lr"], ["raw", "smooth"], ["train", "val"]]
    assert panel.curves["raw"].getData()[0].size == 49
    assert panel.curves["acc_val"].getData()[0].size == 1
