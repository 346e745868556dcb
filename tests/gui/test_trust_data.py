"""Data that cannot train a model reaches the error dialog before a run starts, and the app keeps working."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.timeout(90, method="thread")


def _write_csv(path: Path, bad: dict[tuple[int, int], str] | None = None, label: str | None = None) -> Path:
    rng = np.random.default_rng(0)
    rows = [
        [f"{a:.3f}", f"{b:.3f}", label or ("yes" if i % 2 else "no")]
        for i, (a, b) in enumerate(rng.normal(size=(120, 2)))
    ]
    for (row, column), value in (bad or {}).items():
        rows[row][column] = value
    path.write_text("\n".join(",".join(r) for r in [["a", "b", "label"], *rows]) + "\n", encoding="utf-8")
    return path


def _use_csv(window, qtbot, path: Path, expected: str) -> None:
    panel = window.dataset_panel
    panel.source.setCurrentIndex(panel.source.findData("csv"))
    panel.root.set_path(str(path))
    qtbot.waitUntil(lambda: expected in window.run_view.problem.text(), timeout=20_000)


@pytest.mark.parametrize(
    ("bad", "label", "expected"),
    [
        ({(6, 1): "inf"}, None, "column 'b' of bad.csv holds 1 value(s) that are not finite numbers"),
        (None, "spam", "bad has a single class in its training split, 'spam'"),
    ],
    ids=["inf", "one-class"],
)
def test_bad_data_reaches_the_error_dialog_and_the_app_keeps_working(window, qtbot, tmp_path, bad, label, expected):
    bad_csv = _write_csv(tmp_path / "bad.csv", bad, label)
    before = bad_csv.read_bytes()
    _use_csv(window, qtbot, bad_csv, expected)
    assert not window.start_run()
    assert window.error_dialog.isVisible()
    assert expected in window.error_dialog.message.text()
    assert not window.controller.is_running()
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())
    assert bad_csv.read_bytes() == before
    window.error_dialog.close()

    # The same window trains once the data is fixed.
    _use_csv(window, qtbot, _write_csv(tmp_path / "good.csv"), "")
    qtbot.waitUntil(lambda: not window.run_view.problem.isVisible(), timeout=20_000)
    with qtbot.waitSignal(window.controller.sig_finished, timeout=45_000) as finished:
        assert window.start_run()
    assert finished.args[0]["status"] == "completed", finished.args[0]
    assert not window.error_dialog.isVisible()
