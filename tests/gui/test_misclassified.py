"""The misclassified gallery: fed by the epoch event's ``misclassified`` list."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel

pytestmark = pytest.mark.timeout(60, method="thread")

CLASSES = [f"digit {i}" for i in range(10)]


class FakeSource:
    """Stands in for gui.val_samples.ValImageSource: a distinct 8x8 image per index."""

    def __init__(self) -> None:
        self.asked: list[list[int]] = []

    def images(self, indices):
        self.asked.append(list(indices))
        return np.stack([np.full((1, 8, 8), i % 256, dtype=np.uint8) for i in indices])

    def names(self, indices):
        return None  # a built-in dataset: no files


def _epoch(epoch: int, wrong: list[tuple[int, int, int]]) -> dict:
    return {
        "event": "epoch",
        "epoch": epoch,
        "val_loss": 0.5,
        "val_acc": 0.9,
        "misclassified": [{"index": i, "true": t, "pred": p} for i, t, p in wrong],
    }


@pytest.fixture
def panel(qtbot):
    from gui.panels.misclassified_panel import MisclassifiedPanel

    widget = MisclassifiedPanel()
    qtbot.addWidget(widget)
    widget.set_class_names(CLASSES)
    yield widget
    widget.wait()


def test_synthetic_epoch_event_shows_images_with_true_and_predicted_labels(panel, qtbot):
    source = FakeSource()
    panel.set_source(source)
    with qtbot.waitSignal(panel.sig_shown, timeout=5000) as shown:
        panel.add_events([{"event": "step", "step": 1, "loss": 1.0}, _epoch(1, [(5, 3, 8), (17, 1, 7), (40, 9, 4)])])
    assert shown.args == [3]
    assert source.asked == [[5, 17, 40]]
    captions = [w.text() for w in panel.thumbs.box.findChildren(QLabel) if w.text()]
    assert captions == ["digit 3 → digit 8", "digit 1 → digit 7", "digit 9 → digit 4"]
    thumbs = [w for w in panel.thumbs.box.findChildren(QLabel) if w.pixmap() is not None and not w.pixmap().isNull()]
    assert len(thumbs) == 3
    assert "Validation sample 17" in thumbs[1].toolTip()
    assert "3 misclassified" in panel.caption.text() and "Epoch 1" in panel.caption.text()

    # The next validation replaces the gallery.
    with qtbot.waitSignal(panel.sig_shown, timeout=5000) as shown:
        panel.add_events([_epoch(2, [(2, 0, 6)])])
    assert shown.args == [1]
    qtbot.waitUntil(lambda: len([w for w in panel.thumbs.box.findChildren(QLabel) if w.text()]) == 1)


def test_events_without_the_field_change_nothing_and_empty_list_says_so(panel, qtbot):
    panel.add_events([{"event": "epoch", "epoch": 1, "val_loss": 0.3}])
    assert panel.shown == []
    with qtbot.waitSignal(panel.sig_shown, timeout=5000):
        panel.add_events([_epoch(3, [])])
    assert "no misclassified" in panel.caption.text()


def test_unreadable_images_show_labels_and_the_reason(panel, qtbot):
    class Broken:
        def images(self, indices):
            raise OSError("folder vanished")

    panel.set_source(Broken())
    with qtbot.waitSignal(panel.sig_shown, timeout=5000):
        panel.add_events([_epoch(1, [(4, 2, 3)])])
    assert "folder vanished" in panel.caption.text()
    assert [w.text() for w in panel.thumbs.box.findChildren(QLabel) if w.text()] == ["#4", "digit 2 → digit 3"]


def test_val_image_source_reads_the_trainers_validation_split():
    """The helper rebuilds the split the trainer validated on (same config and seed)."""
    from backend.core.config import RunConfig
    from backend.data import build_data
    from gui.val_samples import ValImageSource

    config = RunConfig(name="t")
    images = ValImageSource(config).images([0, 7, 3])
    expected = build_data(config.data, config.seed).x_val[[0, 7, 3]].numpy()
    assert images.dtype == np.uint8 and images.shape == expected.shape
    assert np.array_equal(images, expected)


def test_gallery_fills_after_a_real_run(window, qtbot, monkeypatch):
    """End to end: the engine's epoch event carries the field and the window shows images, read
    from the dataset the worker hands over (the gallery never decodes the images a second time)."""
    import backend.data
    import backend.engine.trainer  # noqa: F401 - imported before the patch, so only the gallery's own loads count

    rebuilt = []
    real = backend.data.build_data
    monkeypatch.setattr(backend.data, "build_data", lambda *a, **k: rebuilt.append(a) or real(*a, **k))
    window.train_panel.epochs.setValue(1)
    with qtbot.waitSignal(window.controller.sig_finished, timeout=45_000):
        assert window.start_run()
    gallery = window.run_view.misclassified
    qtbot.waitUntil(lambda: bool(gallery.shown), timeout=10_000)
    gallery.wait()
    qtbot.waitUntil(
        lambda: any(
            w.pixmap() is not None and not w.pixmap().isNull() for w in gallery.thumbs.box.findChildren(QLabel)
        ),
        timeout=10_000,
    )
    assert "→" in gallery.caption.text()
    assert rebuilt == []
