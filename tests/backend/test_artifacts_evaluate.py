"""Evaluation checked against sklearn.metrics on the same predictions, robustness under noise and
FGSM, the CSV table; prediction from PNG files and CSV rows with the model's own preprocessing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
import torch
from sklearn import metrics as skm

from backend.artifacts import data as artifact_data
from backend.artifacts.evaluate import evaluate_model
from backend.artifacts.export import export_model
from backend.artifacts.metrics import classification_summary, precision_recall_curve, roc_curve
from backend.artifacts.model_io import load_model
from backend.artifacts.predict import Predictor, predict_files
from backend.artifacts.save import save_model
from backend.core.errors import TorchDeskError

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def cnn(trained_run):
    return load_model(trained_run("digits-cnn"))


@pytest.fixture(scope="module")
def cnn_report(cnn):
    return evaluate_model(cnn, noise_std=0.0, fgsm_epsilon=0.0)


# ----------------------------------------------------------------------------- metrics vs sklearn
def test_classification_metrics_match_sklearn(cnn, cnn_report):
    report = cnn_report
    y, probs = report.y_true, report.outputs
    pred = probs.argmax(1)
    m = report.metrics
    assert report.samples == 360 == len(y)
    assert m["accuracy"] == pytest.approx(skm.accuracy_score(y, pred))
    p, r, f, s = skm.precision_recall_fscore_support(y, pred, labels=range(10), zero_division=0)
    for c, row in enumerate(m["per_class"]):
        assert (row["precision"], row["recall"], row["f1"], row["support"]) == pytest.approx((p[c], r[c], f[c], s[c]))
    for avg in ("macro", "weighted"):
        p, r, f, _ = skm.precision_recall_fscore_support(y, pred, average=avg, zero_division=0)
        assert (m[avg]["precision"], m[avg]["recall"], m[avg]["f1"]) == pytest.approx((p, r, f))
    assert m["confusion"] == skm.confusion_matrix(y, pred, labels=range(10)).tolist()
    for c in range(10):
        fpr, tpr, _ = skm.roc_curve(y == c, probs[:, c])
        assert np.allclose(m["roc"][c]["fpr"], fpr) and np.allclose(m["roc"][c]["tpr"], tpr)
        assert m["roc"][c]["auc"] == pytest.approx(skm.roc_auc_score(y == c, probs[:, c]))
        precision, recall, _ = skm.precision_recall_curve(y == c, probs[:, c])
        assert np.allclose(m["pr"][c]["precision"], precision) and np.allclose(m["pr"][c]["recall"], recall)
        assert m["pr"][c]["average_precision"] == pytest.approx(skm.average_precision_score(y == c, probs[:, c]))


@pytest.mark.parametrize("seed", range(5))
def test_curves_with_ties_match_sklearn(seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, 200)
    score = rng.integers(0, 12, 200) / 11.0  # many ties
    fpr, tpr, thr = roc_curve(y, score)
    s_fpr, s_tpr, s_thr = skm.roc_curve(y, score)
    assert np.allclose(fpr, s_fpr) and np.allclose(tpr, s_tpr) and np.allclose(thr[1:], s_thr[1:])
    precision, recall, pthr = precision_recall_curve(y, score)
    s_p, s_r, s_t = skm.precision_recall_curve(y, score)
    assert np.allclose(precision, s_p) and np.allclose(recall, s_r) and np.allclose(pthr, s_t)


def test_a_class_without_samples_gets_no_curve():
    probs = np.full((4, 3), 1 / 3)
    summary = classification_summary(np.array([0, 1, 0, 1]), probs, ["a", "b", "c"])
    assert summary["roc"][2]["auc"] is None and summary["roc"][2]["note"] == "no samples of this class"
    assert summary["per_class"][2]["support"] == 0 and summary["per_class"][2]["f1"] == 0.0


# ----------------------------------------------------------------------------- robustness
def test_zero_strength_perturbations_change_nothing(cnn_report):
    rob = cnn_report.robustness
    assert rob["gaussian_noise"]["accuracy"] == cnn_report.accuracy
    assert rob["fgsm"]["accuracy"] == cnn_report.accuracy


def test_noise_and_fgsm_lower_accuracy(cnn, cnn_report):
    report = evaluate_model(cnn, noise_std=0.5, fgsm_epsilon=0.1)
    assert report.robustness["gaussian_noise"]["accuracy"] < cnn_report.accuracy
    assert report.robustness["fgsm"]["accuracy"] < cnn_report.accuracy - 0.05
    assert report.accuracy == cnn_report.accuracy
    assert all(p.grad is None for p in cnn.model.parameters()), "the attack leaves no gradients behind"
    with pytest.raises(TorchDeskError, match="FGSM epsilon must be"):
        evaluate_model(cnn, fgsm_epsilon=-1)


def test_csv_table(cnn_report, tmp_path):
    path = tmp_path / "table.csv"
    cnn_report.save_csv(path)
    rows = list(csv.reader(io.StringIO(path.read_text())))
    assert rows[0] == ["class", "precision", "recall", "f1", "support", "roc_auc", "average_precision"]
    assert [r[0] for r in rows[1:11]] == [str(i) for i in range(10)]
    assert [r[0] for r in rows[11:14]] == ["macro avg", "weighted avg", "accuracy"]
    assert rows[13][3] == f"{cnn_report.accuracy:.6g}"
    assert rows[14][0].startswith("accuracy under gaussian_noise") and rows[15][0].startswith("accuracy under fgsm")
    assert cnn_report.to_dict(curves=False)["metrics"].get("roc") is None


def test_regression_metrics_in_target_units(trained_run):
    loaded = load_model(trained_run("diabetes"))
    report = evaluate_model(loaded, noise_std=0.1, fgsm_epsilon=0.1)
    y, pred = report.y_true, report.outputs
    assert y.std() > 10, "the target is in its own units (diabetes progression), not standardised"
    assert report.metrics["mse"] == pytest.approx(skm.mean_squared_error(y, pred), rel=1e-5)
    assert report.metrics["mae"] == pytest.approx(skm.mean_absolute_error(y, pred), rel=1e-5)
    assert report.metrics["r2"] == pytest.approx(skm.r2_score(y, pred), rel=1e-4, abs=1e-6)
    assert report.robustness["fgsm"]["mse"] > report.metrics["mse"]
    assert report.table_rows()[0] == ["metric", "value"]


# ----------------------------------------------------------------------------- predict
@pytest.fixture(scope="module")
def digit_pngs(cnn, tmp_path_factory):
    """Validation digits written as 8x8 grey PNG files, with the model's outputs on the pipeline's inputs."""
    from PIL import Image

    folder = tmp_path_factory.mktemp("pngs")
    pipeline = artifact_data._pipeline(cnn)
    images = pipeline.data.x_val[:6]
    paths = []
    for i, image in enumerate(images):
        path = folder / f"digit{i}.png"
        Image.fromarray(image[0].numpy(), mode="L").save(path)
        paths.append(path)
    x, _ = next(artifact_data.batches(cnn, "val", 6, limit=6))
    with torch.no_grad():
        probs = cnn.model(x).softmax(1)
    return paths, probs


def _check(predictions, probs, k):
    for pred, expected in zip(predictions, probs, strict=True):
        assert pred.error is None
        values, idx = expected.topk(k)
        assert [c for c, _ in pred.top] == [str(int(i)) for i in idx]
        assert np.allclose([p for _, p in pred.top], values.numpy(), atol=1e-4)


def test_predict_png_files_from_every_model_format(cnn, digit_pngs, tmp_path):
    paths, probs = digit_pngs
    files = [
        cnn.source,
        save_model(cnn, "safetensors", tmp_path / "w.safetensors").path,
        save_model(cnn, "pth", tmp_path / "w.pth").path,
        export_model(cnn, "onnx", tmp_path / "m.onnx").path,
        export_model(cnn, "torchscript", tmp_path / "m.pt").path,
    ]
    for model_file in files:
        predictions = predict_files(model_file, paths, top_k=3)
        assert len(predictions) == len(paths)
        _check(predictions, probs, 3)
        assert "(" in predictions[0].line() and "%" in predictions[0].line()


def test_bad_inputs_are_reported_per_input(cnn, digit_pngs, tmp_path):
    paths, probs = digit_pngs
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG not really")
    table = tmp_path / "rows.csv"
    table.write_text("a,b\n1,2\n")
    predictions = Predictor.open(cnn.source).predict([paths[0], broken, tmp_path / "missing.png", table], top_k=2)
    assert predictions[0].error is None
    assert "cannot be read as an image" in predictions[1].error
    assert predictions[2].error == "file not found"
    assert "takes images" in predictions[3].error
    with pytest.raises(TorchDeskError, match="top-k"):
        Predictor.open(cnn.source).predict(paths, top_k=0)


def test_predict_csv_rows_of_a_builtin_table(trained_run, tmp_path):
    loaded = load_model(trained_run("iris"))
    from sklearn.datasets import load_iris

    raw = load_iris()
    rows = raw.data[:4]
    table = tmp_path / "flowers.csv"
    table.write_text("sepal_l,sepal_w,petal_l,petal_w\n" + "\n".join(",".join(map(str, r)) for r in rows) + "\n")
    predictions = predict_files(export_model(loaded, "onnx", tmp_path / "iris.onnx").path, [table], top_k=3)
    norm = loaded.meta["normalization"]
    x = (torch.tensor(rows, dtype=torch.float32) - torch.tensor(norm["mean"])) / torch.tensor(norm["std"])
    with torch.no_grad():
        expected = loaded.model(x).softmax(1)
    assert [p.input for p in predictions] == [f"{table}:row {i}" for i in range(1, 5)]
    names = loaded.class_names
    for pred, probs in zip(predictions, expected, strict=True):
        assert pred.top[0][0] == names[int(probs.argmax())]
        assert pred.top[0][1] == pytest.approx(float(probs.max()), abs=1e-4)


def test_predict_csv_rows_of_a_csv_trained_model(trained_run, tmp_path):
    """Columns matched by name, numbers scaled and categories one-hot encoded as in training."""
    rng = np.random.default_rng(0)
    data = tmp_path / "train.csv"
    lines = ["size,colour,weight,kind"]
    for i in range(120):
        colour = ["red", "green", "blue"][i % 3]
        size = rng.normal(5 + i % 2 * 3, 1)
        lines.append(f"{size:.3f},{colour},{rng.normal(50, 10):.2f},{'big' if i % 2 else 'small'}")
    data.write_text("\n".join(lines) + "\n")
    run = trained_run(
        "csv-table",
        [
            "data.source='csv'",
            f"data.root='{data.as_posix()}'",
            "data.target='kind'",
            "model.arch='mlp'",
            "model.hidden_sizes=[8]",
            "data.batch_size=16",
        ],
    )
    loaded = load_model(run)
    pipeline = artifact_data._pipeline(loaded)
    # The training file itself, columns in another order plus the target: rows are read by name.
    shuffled = tmp_path / "predict.csv"
    shuffled.write_text(
        "kind,weight,size,colour\n"
        + "\n".join(",".join([r.split(",")[3], r.split(",")[2], r.split(",")[0], r.split(",")[1]]) for r in lines[1:])
        + "\n"
    )
    predictions = predict_files(run / "model.safetensors", [shuffled], top_k=2)
    assert len(predictions) == 120
    from backend.data.csv_table import load_csv

    bundle = load_csv(loaded.config.data, loaded.config.seed)
    full = torch.cat([bundle.x_train, bundle.x_val])
    order = _split_order(len(lines) - 1, loaded)
    with torch.no_grad():
        expected = loaded.model(full).softmax(1)
    got = {int(p.input.rsplit(" ", 1)[1]) - 1: p for p in predictions}
    for position, row in enumerate(order):
        probs = expected[position]
        pred = got[row]
        assert pred.top[0][0] == loaded.class_names[int(probs.argmax())]
        assert pred.top[0][1] == pytest.approx(float(probs.max()), abs=1e-4)
    assert pipeline.input_shape == loaded.input_shape
    missing = tmp_path / "missing.csv"
    missing.write_text("size,weight\n1,2\n")
    assert "lacks the column(s) colour" in predict_files(run / "model.safetensors", [missing])[0].error


def _split_order(n: int, loaded) -> list[int]:
    """File row index of each sample in train-then-val order (the split the run used)."""
    from backend.data.bundle import split_indices
    from backend.data.csv_table import _read_rows

    header, body = _read_rows(Path(loaded.config.data.root))
    target = [row.cells[header.index("kind")] for row in body]
    names = sorted(set(target))
    y = np.array([names.index(t) for t in target])
    train, val = split_indices(y, loaded.config.data.val_split, loaded.config.seed, stratify=True)
    return list(train) + list(val)


def test_predict_resizes_and_crops_like_validation(trained_run, tmp_path):
    """data.image_size and a center_crop transform are replayed from the run's config."""
    from PIL import Image

    run = trained_run(
        "digits-crop",
        [
            "data.name='digits'",
            "model.arch='simple_cnn'",
            "model.hidden_sizes=[16]",
            "data.image_size=12",
            "data.augment='custom'",
            "data.transforms=['center_crop:10']",
            "train.epochs=1",
        ],
    )
    loaded = load_model(run)
    assert loaded.input_shape == (1, 10, 10)
    spec = Predictor.open(run / "model.safetensors").spec
    assert spec["resize"] == [12, 12] and spec["center_crop"] == 10
    pipeline = artifact_data._pipeline(loaded)
    paths = []
    for i, image in enumerate(pipeline.data.x_val[:4]):  # 12x12 after the dataset's resize
        paths.append(tmp_path / f"d{i}.png")
        Image.fromarray(image[0].numpy(), mode="L").save(paths[-1])
    x, _ = next(artifact_data.batches(loaded, "val", 4, limit=4))
    with torch.no_grad():
        probs = loaded.model(x).softmax(1)
    pt2 = export_model(loaded, "pt2", tmp_path / "crop.pt2").path
    for model_file in (run / "model.safetensors", pt2):
        _check(predict_files(model_file, paths, top_k=3), probs, 3)


def test_evaluate_an_exported_torchscript_model(cnn, cnn_report, tmp_path):
    exported = load_model(export_model(cnn, "torchscript", tmp_path / "m.pt").path)
    report = evaluate_model(exported, fgsm_epsilon=0.05)
    assert report.accuracy == pytest.approx(cnn_report.accuracy)
    assert report.metrics["confusion"] == cnn_report.metrics["confusion"]
    assert report.robustness["fgsm"]["accuracy"] < report.accuracy


# ----------------------------------------------------------------------------- a separate test set
def _image_tree(root: Path, per_class: int) -> None:
    from PIL import Image

    rng = np.random.default_rng(0)
    for c, name in enumerate(("dark", "mid", "light")):
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            Image.fromarray((rng.integers(0, 40, (12, 12)) + c * 100).astype(np.uint8), mode="L").save(
                root / name / f"{i}.png"
            )


def test_evaluate_on_a_separate_image_folder(trained_run, tmp_path):
    _image_tree(tmp_path / "train", 12)
    _image_tree(tmp_path / "test", 5)
    run = trained_run(
        "folder-run",
        [
            "data.source='image_folder'",
            f"data.root='{(tmp_path / 'train').as_posix()}'",
            "data.batch_size=8",
            "model.arch='simple_cnn'",
            "model.hidden_sizes=[16]",
            "train.epochs=3",
            "optim.lr=0.01",
        ],
    )
    report = evaluate_model(load_model(run), split="test", test_root=str(tmp_path / "test"))
    assert report.split == "test" and report.samples == 15
    assert report.metrics["accuracy"] > 0.6  # three brightness levels are easy to tell apart
    (tmp_path / "test" / "zebra").mkdir()
    (tmp_path / "test" / "zebra" / "z.png").write_bytes((tmp_path / "test" / "dark" / "0.png").read_bytes())
    with pytest.raises(TorchDeskError, match="zebra.*not trained on"):
        evaluate_model(load_model(run), split="test", test_root=str(tmp_path / "test"))


def test_evaluate_on_a_csv_test_file_and_refusals(trained_run, tmp_path):
    iris = Path(__file__).resolve().parents[2] / "resources" / "configs" / "iris.csv"
    run = trained_run(
        "iris-csv",
        [
            "data.source='csv'",
            f"data.root='{iris.as_posix()}'",
            "data.target='species'",
            "data.batch_size=16",
            "model.hidden_sizes=[16]",
            "train.epochs=20",
            "optim.lr=0.01",
        ],
    )
    lines = iris.read_text().splitlines()
    test = tmp_path / "test.csv"  # the columns in another order: they are matched by name
    header = lines[0].split(",")
    order = [4, 2, 0, 3, 1]
    test.write_text("\n".join(",".join(row.split(",")[i] for i in order) for row in lines) + "\n")
    assert [header[i] for i in order][0] == "species"
    report = evaluate_model(load_model(run), split="test", test_root=str(test))
    assert report.samples == 150 and report.metrics["accuracy"] > 0.8
    with pytest.raises(TorchDeskError, match="built-in datasets have no separate test set"):
        evaluate_model(load_model(trained_run("iris")), split="test", test_root=str(test))
    with pytest.raises(TorchDeskError, match="give the test set's CSV file"):
        evaluate_model(load_model(run), split="test")


def test_evaluate_on_torchvision_official_test_files(trained_run, tmp_path):
    def write_idx(path: Path, array: np.ndarray) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        dims = b"".join(int(d).to_bytes(4, "big") for d in array.shape)
        path.write_bytes(bytes([0, 0, 0x08, array.ndim]) + dims + array.astype(np.uint8).tobytes())

    raw = tmp_path / "data" / "MNIST" / "raw"
    for prefix, n in (("train", 200), ("t10k", 50)):
        labels = np.arange(n) % 10
        images = np.zeros((n, 28, 28), dtype=np.uint8)
        for i, label in enumerate(labels):
            images[i, 2 + 2 * label : 4 + 2 * label, 4:24] = 255
        write_idx(raw / f"{prefix}-images-idx3-ubyte", images)
        write_idx(raw / f"{prefix}-labels-idx1-ubyte", labels)
    run = trained_run(
        "mnist-like",
        [
            "data.source='torchvision'",
            "data.name='MNIST'",
            f"data.root='{(tmp_path / 'data').as_posix()}'",
            "data.batch_size=32",
            "model.hidden_sizes=[32]",
            "train.epochs=5",
            "optim.lr=0.01",
        ],
    )
    report = evaluate_model(load_model(run), split="test")  # the run's own folder: its t10k files
    assert report.samples == 50 and report.metrics["accuracy"] > 0.8
    (raw / "t10k-images-idx3-ubyte").unlink()
    with pytest.raises(TorchDeskError, match="t10k-images-idx3-ubyte"):
        evaluate_model(load_model(run), split="test")
