"""Resource limits in the app: a model too large for memory is reported before start (the
inspector's model summary) and refused by Start, with no training; the image size field stops
at the limit that config validation enforces."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.timeout(60, method="thread")


def test_image_size_field_stops_at_the_validated_limit(window):
    from backend.core.schema import IMAGE_SIDE_MAX

    assert window.dataset_panel.rows.widgets["image_size"].maximum() == IMAGE_SIDE_MAX == 1024


def test_giant_hidden_layer_is_reported_before_start_and_refused(window, qtbot):
    window.model_panel.rows.set("hidden_sizes", [4_000_000_000])
    problem = window.run_view.problem
    qtbot.waitUntil(lambda: "model.hidden_sizes" in problem.text(), timeout=30_000)
    assert "300,000,000,010 parameters" in problem.text()
    assert not window.start_run()
    assert window.error_dialog.isVisible()
    assert not window.controller.is_running()
