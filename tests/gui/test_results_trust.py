"""Results a user can trust (issue 12): Predict warns about inputs unlike the training data, shows
what the model saw and saves CSV; the Quantize table has its fp32 baseline and readable ratios;
a confusion-matrix cell shows its validation samples; gallery tooltips name file and confidence."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QLabel

pytestmark = pytest.mark.timeout(90, method="thread")


@pytest.fixture(scope="module")
def digits_run(digits_mlp_run) -> Path:
    return digits_mlp_run  # 8x8 grayscale inputs (conftest, shared with the artifact dialogs' tests)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("inputs")
    rng = np.random.default_rng(0)
    files = {
        "big": (rng.random((28, 28)) * 255, "L"),
        "fits": (rng.random((8, 8)) * 255, "L"),
        "colour": (rng.random((8, 8, 3)) * 255, "RGB"),
    }
    out = {}
    for name, (pixels, mode) in files.items():
        out[name] = str(folder / f"{name}.png")
        Image.fromarray(pixels.astype("uint8"), mode).save(out[name])
    return out


# ----------------------------------------------------------------------------- predict
def test_predict_warns_when_an_input_differs_from_the_training_images(digits_run, inputs, tmp_path, capsys):
    from backend.artifacts.predict import predict_files, predictions_csv
    from backend.cli.main import main

    model = digits_run / "checkpoints" / "best.ckpt"
    big, fits, colour = predict_files(model, [inputs["big"], inputs["fits"], inputs["colour"]], top_k=3)
    assert len(big.warnings) == 1 and "28x28" in big.warnings[0] and "trained on 8x8 images" in big.warnings[0]
    assert big.top and big.image.shape == (1, 8, 8)  # answered, and the thumbnail is what the model saw
    assert fits.warnings == []
    assert len(colour.warnings) == 1 and "colour" in colour.warnings[0] and "grayscale" in colour.warnings[0]

    rows = list(csv.DictReader(io.StringIO(predictions_csv([big, fits]))))
    assert [r["input"] for r in rows] == [inputs["big"], inputs["fits"]]
    assert rows[0]["class_1"] == big.top[0][0] and float(rows[0]["probability_1"]) == pytest.approx(big.top[0][1])
    assert "28x28" in rows[0]["warnings"] and rows[1]["warnings"] == ""

    out = tmp_path / "predictions.csv"
    assert main(["predict", str(model), inputs["big"], inputs["fits"], "--csv", str(out)]) == 0
    captured = capsys.readouterr()
    assert "torchdesk-cli: warning: big.png is 28x28 pixels" in captured.err and "8x8" in captured.err
    assert "fits.png" not in captured.err
    assert out.read_text().startswith("input,class_1,probability_1")


def test_predict_dialog_shows_the_warning_the_thumbnail_and_saves_csv(qtbot, digits_run, inputs, tmp_path):
    from gui.dialogs.predict_dialog import PredictDialog

    dialog = PredictDialog(str(digits_run / "model.safetensors"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.save_button.isEnabled()
    dialog.add_inputs([inputs["big"], inputs["fits"]])
    with qtbot.waitSignal(dialog.task.sig_finished, timeout=30_000):
        assert dialog.start()
    assert dialog.warning.isVisible() and "1 of 2" in dialog.warning.text()
    big, fits = (dialog.tree.topLevelItem(i) for i in range(2))
    assert not big.icon(0).isNull() and not fits.icon(0).isNull()  # a thumbnail next to each input's answer
    assert "%" in big.text(1)  # the top class on the input's own row
    warning = big.child(0).text(0)
    assert "28x28" in warning and "8x8" in warning
    assert all("Warning" not in fits.child(i).text(0) for i in range(fits.childCount()))
    saved = dialog.save_csv(str(tmp_path / "out.csv"))
    assert saved and "28x28" in Path(saved).read_text()
    assert str(tmp_path / "out.csv") in dialog.status.text()


# ----------------------------------------------------------------------------- quantize
def _report(tmp_path):
    from backend.artifacts.quantize import QuantReport, QuantRow

    artifact = tmp_path / "q.bin"
    artifact.write_bytes(b"x")

    def row(method, size, base_size, ms, base_ms, note):
        r = QuantRow(method, f"{method} title", "PyTorch", True, "", path=str(artifact), baseline="fp32 TorchScript")
        r.size_bytes, r.baseline_size_bytes, r.size_ratio = size, base_size, base_size / size
        r.latency_b1_ms, r.baseline_b1_ms = ms / 4, base_ms / 4
        r.latency_b32_ms, r.baseline_b32_ms, r.speedup_b32 = ms, base_ms, base_ms / ms
        r.metric, r.fp32_metric, r.metric_delta, r.max_abs_diff = 0.95, 0.96, -0.01, 0.02
        r.notes = [note]
        return r

    long_note = "a long explanation of this method " * 6 + "END"
    rows = [
        row("dynamic_int8", 500_000, 1_055_000, 1.0, 2.0, "int8"),
        row("fp16", 530_000, 1_055_000, 3.2, 2.0, long_note),
        QuantRow("ort_static_int8", "t", "ONNX Runtime", False, "onnxruntime is not installed"),
    ]
    return QuantReport(rows, "accuracy", 0.96, 360, str(tmp_path)), long_note


def test_quantize_table_has_the_fp32_baseline_and_ratios_that_read_right(qtbot, tmp_path):
    from gui.dialogs.quantize_dialog import NOTE_COLUMN, QuantizeDialog

    report, long_note = _report(tmp_path)
    dialog = QuantizeDialog(None)
    qtbot.addWidget(dialog)
    dialog.show_result(report)
    table = dialog.table
    cells = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    base, faster, slower, missing = cells
    assert base[0] == "fp32 TorchScript" and base[1] == "1.055" and base[4] == "2.000"  # size and latency
    assert faster[2] == "2.11x (smaller)" and faster[5] == "2.00x (faster)"
    assert slower[5] == "0.62x (1.60x slower)"  # a slowdown reads as one
    assert table.item(2, 5).foreground().color() != table.item(1, 5).foreground().color()
    assert "not installed" in missing[NOTE_COLUMN]
    assert table.item(2, NOTE_COLUMN).toolTip().endswith("END")
    table.selectRow(2)
    assert dialog.details.text().endswith("END") and dialog.details.wordWrap()
    assert report.table_lines()[1].split()[:3] == ["fp32", "1.055", "1.00x"]  # the CLI table too


# ----------------------------------------------------------------------------- confusion cells
def test_every_cell_keeps_its_samples_most_telling_first():
    import torch

    from backend.engine.evaluation import CELL_SAMPLES, _samples

    true = [0] * 12 + [0, 0, 1]
    pred = [0] * 12 + [1, 1, 0]
    conf = [0.5 + i / 40 for i in range(12)] + [0.7, 0.9, 0.6]
    answers = torch.tensor(list(zip(true, pred, conf, strict=True)), dtype=torch.float64)
    out = _samples(answers, torch.arange(100, 115), 2)
    assert [e["index"] for e in out["misclassified"]] == [112, 113, 114]
    cells = {}
    for e in out["cell_samples"]:
        cells.setdefault((e["true"], e["pred"]), []).append(e)
    assert [e["index"] for e in cells[(0, 1)]] == [113, 112]  # the most confident mistake first
    assert len(cells[(0, 0)]) == CELL_SAMPLES and cells[(0, 0)][0]["index"] == 100  # least confident right
    assert out["cell_samples"][0]["true"] != out["cell_samples"][0]["pred"]  # mistakes before right answers


class FakeSource:
    def images(self, indices):
        return np.stack([np.full((1, 8, 8), i % 256, dtype=np.uint8) for i in indices])

    def names(self, indices):
        return [f"/data/val/img{i}.png" for i in indices]


def _thumb_tips(gallery) -> list[str]:
    return [w.toolTip() for w in gallery.thumbs.box.findChildren(QLabel) if w.pixmap() and not w.pixmap().isNull()]


def test_clicking_a_confusion_cell_shows_its_samples(qtbot):
    from gui.panels.confusion_panel import ConfusionPanel

    panel = ConfusionPanel()
    qtbot.addWidget(panel)
    panel.set_class_names(["cat", "dog", "fox"])
    panel.set_source(FakeSource())
    panel.resize(600, 700)
    panel.show()
    qtbot.waitExposed(panel)
    samples = [
        {"index": 7, "true": 1, "pred": 2, "confidence": 0.91},
        {"index": 3, "true": 1, "pred": 2, "confidence": 0.55},
        {"index": 4, "true": 0, "pred": 0, "confidence": 0.4},
    ]
    panel.add_events(
        [{"event": "epoch", "epoch": 2, "confusion": [[5, 0, 0], [0, 4, 3], [0, 0, 6]], "cell_samples": samples}]
    )

    class Click:  # what pyqtgraph's scene sends
        def __init__(self, x: float, y: float) -> None:
            self.pos = panel.plot.getPlotItem().vb.mapViewToScene(QPointF(x, y))

        def button(self):
            return Qt.MouseButton.LeftButton

        def scenePos(self):
            return self.pos

    with qtbot.waitSignal(panel.samples.sig_shown, timeout=5000) as shown:
        panel._on_click(Click(2.5, 1.5))  # column: predicted fox, row: true dog
    assert panel.selected == (1, 2) and shown.args == [2]
    assert "3 sample(s) of class dog predicted as fox; 2 shown" in panel.samples.caption.text()
    tips = _thumb_tips(panel.samples)
    assert "File img7.png: true dog, predicted fox, confidence 91.0%" in tips[0]
    assert "/data/val/img7.png" in tips[0]
    with qtbot.waitSignal(panel.samples.sig_shown, timeout=5000):
        panel.select_cell(0, 1)
    assert "no validation sample of class cat was predicted as dog" in panel.samples.caption.text()
    panel.wait()


def test_misclassified_tooltips_name_the_file_and_the_confidence(qtbot):
    from gui.panels.misclassified_panel import MisclassifiedPanel

    panel = MisclassifiedPanel()
    qtbot.addWidget(panel)
    panel.set_class_names(["cat", "dog"])
    panel.set_source(FakeSource())
    with qtbot.waitSignal(panel.sig_shown, timeout=5000):
        panel.add_events(
            [{"event": "epoch", "epoch": 1, "misclassified": [{"index": 5, "true": 0, "pred": 1, "confidence": 0.734}]}]
        )
    (tip,) = _thumb_tips(panel)
    assert "img5.png" in tip and "confidence 73.4%" in tip and "true cat, predicted dog" in tip
    panel.wait()


def test_val_image_source_names_the_files_of_an_image_folder(tmp_path):
    from backend.core.config import RunConfig, apply_overrides
    from gui.val_samples import ValImageSource

    for label in ("a", "b"):
        (tmp_path / "data" / label).mkdir(parents=True)
        for i in range(5):
            Image.new("L", (8, 8), 40 * i).save(tmp_path / "data" / label / f"{label}{i}.png")
    config = apply_overrides(RunConfig(name="t"), ["data.source='image_folder'", f"data.root='{tmp_path / 'data'}'"])
    source = ValImageSource(config)
    data = source._data()
    names = source.names(list(range(len(data.y_val))))
    assert names and all(
        Path(n).parent.name == data.class_names[int(y)] for n, y in zip(names, data.y_val, strict=True)
    )
    assert ValImageSource(RunConfig(name="digits")).names([0, 1]) is None  # built-in data: no files
