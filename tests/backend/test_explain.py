"""Explanations (backend/artifacts/explain.py, torchdesk-cli explain) on tiny trained digits and iris models."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from sklearn.datasets import load_digits

from backend.artifacts.explain import Explainer, explain_files
from backend.cli.main import main


@pytest.fixture(scope="module")
def digit_pngs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("digits")
    images = load_digits().images[:2]
    paths = []
    for i, image in enumerate(images):
        paths.append(folder / f"digit{i}.png")
        Image.fromarray((image * 16).clip(0, 255).astype(np.uint8)).save(paths[-1])
    return paths


def test_gradcam_on_a_cnn_writes_overlays_never_replacing(trained_run, digit_pngs, tmp_path, capsys) -> None:
    run = trained_run("digits-cnn")
    out = tmp_path / "explained"
    assert main(["explain", str(run), *map(str, digit_pngs), "--out", str(out)]) == 0
    written = sorted(out.glob("*.png"))
    assert [p.name for p in written] == ["digit0-gradcam.png", "digit1-gradcam.png"]
    for path in written:
        with Image.open(path) as png:
            assert png.size == (256, 256)  # 8x8 inputs, enlarged 32 times
            pixels = np.asarray(png.convert("RGB"))
        assert pixels.std() > 10
    assert "Grad-CAM of" in capsys.readouterr().out
    _, results = explain_files(run, [digit_pngs[0]])
    heat = results[0].heatmap
    assert heat.shape == (8, 8) and heat.max() == pytest.approx(1.0) and heat.min() < 0.5  # not constant
    assert main(["explain", str(run), str(digit_pngs[0]), "--out", str(out)]) == 0
    assert (out / "digit0-gradcam-2.png").is_file()  # the first one is kept


def test_mlp_gets_integrated_gradients_and_refuses_gradcam(trained_run, digit_pngs, tmp_path, capsys) -> None:
    run = trained_run("digits-mlp")
    assert main(["explain", str(run), str(digit_pngs[1]), "--out", str(tmp_path)]) == 0
    with Image.open(tmp_path / "digit1-integrated_gradients.png") as png:
        assert png.size == (256, 256)
    assert main(["explain", str(run), str(digit_pngs[1]), "--method", "gradcam", "--out", str(tmp_path)]) == 2
    assert "Grad-CAM needs an image model with a convolution layer" in capsys.readouterr().err

    explainer = Explainer.open(run)  # a validation image as an array explains as the same image's file
    from_file = explainer.explain([digit_pngs[1]], "saliency")[0]
    from_array = explainer.explain_image(from_file.image, "sample", "saliency")
    assert np.allclose(from_file.heatmap, from_array.heatmap)
    assert from_file.heatmap.max() > from_file.heatmap.min()


def test_table_rows_get_attribution_bar_charts(trained_run, tmp_path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n", encoding="utf-8")
    _, results = explain_files(trained_run("iris"), [rows])
    assert [len(r.attributions) for r in results] == [4, 4]
    assert results[0].method == "integrated_gradients" and any(a != 0 for a in results[0].attributions)
    assert main(["explain", str(trained_run("iris")), str(rows), "--out", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "rows-row1-integrated_gradients.png",
        "rows-row2-integrated_gradients.png",
    ]
    missing = main(["explain", str(trained_run("iris")), str(tmp_path / "nope.csv"), "--out", str(tmp_path)])
    assert missing == 2
