"""Datasets: the built-in scikit-learn sets and CSV tables, with every bad input the issue names."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest
import sklearn.datasets
import torch

from backend.core.config import DataConfig
from backend.core.errors import DataError
from backend.data import build_data
from backend.data.builtin import BUILTIN_DATASETS
from backend.data.bundle import split_indices

pytestmark = pytest.mark.timeout(120)

# name -> (samples, sample shape, task, class names)
BUILTIN_EXPECTED = {
    "digits": (1797, (1, 8, 8), "classification", [str(i) for i in range(10)]),
    "iris": (150, (4,), "classification", ["setosa", "versicolor", "virginica"]),
    "wine": (178, (13,), "classification", ["class_0", "class_1", "class_2"]),
    "breast_cancer": (569, (30,), "classification", ["malignant", "benign"]),
    "shapes": (2400, (3, 32, 32), "classification", ["circle", "square", "triangle", "cross"]),
    "diabetes": (442, (10,), "regression", []),
}
IMAGE_SETS = {"digits", "shapes"}
LOADERS = {
    "digits": sklearn.datasets.load_digits,
    "iris": sklearn.datasets.load_iris,
    "wine": sklearn.datasets.load_wine,
    "breast_cancer": sklearn.datasets.load_breast_cancer,
    "diabetes": sklearn.datasets.load_diabetes,
}


def test_builtin_catalogue_matches_the_issue():
    assert set(BUILTIN_DATASETS) >= {"digits", "iris", "wine", "breast_cancer"}
    assert set(BUILTIN_EXPECTED) == set(BUILTIN_DATASETS)
    for spec in BUILTIN_DATASETS.values():
        assert spec.description


@pytest.mark.parametrize("name", list(BUILTIN_EXPECTED))
def test_builtin_dataset_shapes_task_and_classes(name):
    total, shape, task, class_names = BUILTIN_EXPECTED[name]
    bundle = build_data(DataConfig(source="builtin", name=name, val_split=0.2), seed=0)
    assert bundle.task == task
    assert bundle.class_names == class_names
    assert bundle.input_shape == shape
    assert len(bundle.x_train) + len(bundle.x_val) == total
    assert len(bundle.x_val) == math.ceil(total * 0.2)
    assert len(bundle.y_train) == len(bundle.x_train) and len(bundle.y_val) == len(bundle.x_val)
    if name in IMAGE_SETS:
        # Images stay uint8 (the batch pipeline scales and normalises them on the device).
        assert bundle.x_train.dtype == torch.uint8 and bundle.is_image_data
    else:
        assert bundle.x_train.dtype == torch.float32 and bundle.x_val.dtype == torch.float32
        assert torch.isfinite(bundle.x_train).all() and torch.isfinite(bundle.x_val).all()
    if task == "classification":
        assert bundle.y_train.dtype == torch.int64
        assert bundle.num_outputs == len(class_names)
        assert set(bundle.y_train.tolist()) == set(range(len(class_names)))
        assert set(bundle.y_val.tolist()) <= set(range(len(class_names)))
    else:
        assert bundle.y_train.dtype == torch.float32
        assert bundle.num_outputs == 1
        # The target is standardised with the training statistics, kept for reporting in real units.
        assert abs(float(bundle.y_train.mean())) < 1e-4
        assert float(bundle.y_train.std(unbiased=False)) == pytest.approx(1.0, abs=1e-4)
        assert bundle.normalization["target_std"] > 1
    meta = bundle.metadata()
    assert meta["task"] == task and meta["input_shape"] == list(shape)
    assert meta["class_names"] == class_names and meta["dataset"] == name


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer", "digits"])
def test_builtin_split_is_disjoint_stratified_and_reproducible(name):
    raw = LOADERS[name]()
    y = np.asarray(raw.target)
    train_idx, val_idx = split_indices(y, 0.2, seed=0, stratify=True)
    assert not set(train_idx.tolist()) & set(val_idx.tolist())
    assert sorted([*train_idx.tolist(), *val_idx.tolist()]) == list(range(len(y)))
    # Stratified: each class keeps its share in the validation split (within one sample).
    for cls in np.unique(y):
        expected = (y == cls).sum() * len(val_idx) / len(y)
        assert abs((y[val_idx] == cls).sum() - expected) <= 1
    again_train, again_val = split_indices(y, 0.2, seed=0, stratify=True)
    assert np.array_equal(train_idx, again_train) and np.array_equal(val_idx, again_val)
    _, other_val = split_indices(y, 0.2, seed=1, stratify=True)
    assert not np.array_equal(val_idx, other_val)


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer"])
def test_tabular_standardisation_uses_training_statistics_only(name):
    raw = LOADERS[name]()
    x, y = np.asarray(raw.data, dtype=np.float32), np.asarray(raw.target)
    bundle = build_data(DataConfig(source="builtin", name=name, val_split=0.2), seed=3)
    train_idx, val_idx = split_indices(y, 0.2, seed=3, stratify=True)
    mean, std = x[train_idx].mean(axis=0), x[train_idx].std(axis=0)
    assert np.allclose(bundle.normalization["mean"], mean, rtol=1e-5, atol=1e-5)
    assert np.allclose(bundle.normalization["std"], std, rtol=1e-5, atol=1e-5)
    assert not np.allclose(bundle.normalization["mean"], x.mean(axis=0), rtol=1e-7, atol=0)  # not the full data
    assert torch.allclose(bundle.x_train.mean(dim=0), torch.zeros(x.shape[1]), atol=1e-4)
    assert torch.allclose(bundle.x_train.std(dim=0, unbiased=False), torch.ones(x.shape[1]), atol=1e-3)
    expected_val = (x[val_idx] - mean) / std
    assert torch.allclose(bundle.x_val, torch.from_numpy(expected_val), atol=1e-4)
    assert bundle.y_val.tolist() == y[val_idx].tolist()


def test_digits_are_uint8_images_normalised_with_training_pixel_statistics():
    raw = sklearn.datasets.load_digits()
    bundle = build_data(DataConfig(source="builtin", name="digits", val_split=0.2), seed=0)
    train_idx, _ = split_indices(np.asarray(raw.target), 0.2, seed=0, stratify=True)
    pixels = np.round(np.asarray(raw.data)[train_idx] * (255 / 16)) / 255
    assert bundle.x_train.dtype == torch.uint8 and int(bundle.x_train.max()) == 255
    assert bundle.normalization["mean"] == [pytest.approx(float(pixels.mean()), rel=1e-5)]
    assert bundle.normalization["std"] == [pytest.approx(float(pixels.std()), rel=1e-5)]
    assert bundle.normalization["scale"] == pytest.approx(1 / 255)


def test_bad_builtin_name_lists_the_choices():
    with pytest.raises(DataError) as info:
        build_data(DataConfig(source="builtin", name="mnist_tiny"), seed=0)
    message = str(info.value)
    assert "'mnist_tiny'" in message
    for name in BUILTIN_DATASETS:
        assert name in message


def test_builtin_task_mismatch():
    with pytest.raises(DataError, match="classification"):
        build_data(DataConfig(source="builtin", name="iris", task="regression"), seed=0)


# --------------------------------------------------------------------------- CSV
def _write_csv(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _csv_cfg(path, target="label", **kw):
    return DataConfig(source="csv", root=str(path), target=target, val_split=kw.pop("val_split", 0.25), **kw)


def _mixed_rows(n=40):
    rng = np.random.default_rng(0)
    rows = []
    for i in range(n):
        age = "" if i in (3, 17) else f"{rng.normal(40, 10):.1f}"
        color = "NA" if i == 5 else ["red", "green", "blue"][i % 3]
        height = f"{rng.normal(170, 8):.2f}"
        label = "yes" if i % 2 else "no"
        rows.append([age, color, height, label])
    return rows


def test_csv_mixed_columns_classification(tmp_path):
    path = _write_csv(tmp_path / "people.csv", ["age", "color", "height", "label"], _mixed_rows())
    bundle = build_data(_csv_cfg(path), seed=0)
    assert bundle.task == "classification"
    assert bundle.class_names == ["no", "yes"]
    assert bundle.name == "people"
    # age (1) + color one-hot (blue, green, red) + height (1)
    assert bundle.input_shape == (5,)
    assert bundle.normalization["features"] == ["age", "color=blue", "color=green", "color=red", "height"]
    assert len(bundle.x_train) + len(bundle.x_val) == 40
    assert len(bundle.x_val) == 10
    assert torch.isfinite(bundle.x_train).all() and torch.isfinite(bundle.x_val).all()
    # Numeric columns standardised with the training split; one-hot columns are 0/1.
    assert abs(float(bundle.x_train[:, 0].mean())) < 1e-4
    assert set(bundle.x_train[:, 1:4].unique().tolist()) <= {0.0, 1.0}
    # Stratified split: 5 of each class in validation.
    assert sorted(bundle.y_val.tolist()) == [0] * 5 + [1] * 5


def test_csv_missing_values_are_reported(tmp_path):
    path = _write_csv(tmp_path / "people.csv", ["age", "color", "height", "label"], _mixed_rows())
    warnings = build_data(_csv_cfg(path), seed=0).warnings
    joined = "\n".join(warnings)
    assert any("'age'" in w and "2 missing" in w for w in warnings), joined
    assert any("'color'" in w and "1 missing" in w for w in warnings), joined
    assert not any("'height'" in w for w in warnings), joined


def test_csv_rows_without_target_are_dropped_with_a_warning(tmp_path):
    rows = _mixed_rows()
    rows[0][3] = ""
    rows[1][3] = "?"
    path = _write_csv(tmp_path / "t.csv", ["age", "color", "height", "label"], rows)
    bundle = build_data(_csv_cfg(path), seed=0)
    assert len(bundle.x_train) + len(bundle.x_val) == 38
    assert any("2 row(s)" in w and "'label'" in w for w in bundle.warnings)


def test_csv_float_target_is_regression(tmp_path):
    rng = np.random.default_rng(1)
    rows = [[f"{a:.3f}", f"{b:.3f}", f"{2 * a - b + 0.5:.4f}"] for a, b in rng.normal(size=(30, 2))]
    path = _write_csv(tmp_path / "reg.csv", ["a", "b", "y"], rows)
    bundle = build_data(_csv_cfg(path, target="y"), seed=0)
    assert bundle.task == "regression"
    assert bundle.class_names == []
    assert bundle.num_outputs == 1
    assert bundle.y_train.dtype == torch.float32
    assert bundle.input_shape == (2,)
    assert "target_mean" in bundle.normalization and "target_std" in bundle.normalization


def test_csv_integer_target_with_many_values_is_regression(tmp_path):
    rows = [[str(i % 7), str(i * 3)] for i in range(60)]  # 60 distinct whole numbers
    path = _write_csv(tmp_path / "count.csv", ["x", "y"], rows)
    assert build_data(_csv_cfg(path, target="y"), seed=0).task == "regression"


def test_csv_integer_target_with_few_values_is_classification_in_numeric_order(tmp_path):
    rows = [[str(i), ["1", "2", "10"][i % 3]] for i in range(30)]
    path = _write_csv(tmp_path / "cls.csv", ["x", "y"], rows)
    bundle = build_data(_csv_cfg(path, target="y"), seed=0)
    assert bundle.task == "classification"
    assert bundle.class_names == ["1", "2", "10"]


def test_csv_task_override(tmp_path):
    rows = [[str(i), ["1", "2", "10"][i % 3]] for i in range(30)]
    path = _write_csv(tmp_path / "cls.csv", ["x", "y"], rows)
    assert build_data(_csv_cfg(path, target="y", task="regression"), seed=0).task == "regression"
    text = _write_csv(tmp_path / "text.csv", ["x", "y"], [[str(i), "ab"[i % 2]] for i in range(20)])
    with pytest.raises(DataError, match="holds text"):
        build_data(_csv_cfg(text, target="y", task="regression"), seed=0)


def test_csv_missing_file(tmp_path):
    missing = tmp_path / "absent.csv"
    with pytest.raises(DataError) as info:
        build_data(_csv_cfg(missing), seed=0)
    assert str(missing) in str(info.value) and "does not exist" in str(info.value)


def test_csv_empty_root():
    with pytest.raises(DataError, match="data.root is empty"):
        build_data(DataConfig(source="csv", root="", target="y"), seed=0)


def test_csv_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="is empty"):
        build_data(_csv_cfg(path), seed=0)


def test_csv_blank_lines_only_is_empty(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("\n\n  \n", encoding="utf-8")
    with pytest.raises(DataError, match="is empty"):
        build_data(_csv_cfg(path), seed=0)


def test_csv_header_only(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("a,b,label\n", encoding="utf-8")
    with pytest.raises(DataError, match="header but no rows"):
        build_data(_csv_cfg(path), seed=0)


def test_csv_bad_target_lists_the_columns(tmp_path):
    path = _write_csv(tmp_path / "people.csv", ["age", "color", "height", "label"], _mixed_rows())
    with pytest.raises(DataError) as info:
        build_data(_csv_cfg(path, target="species"), seed=0)
    message = str(info.value)
    assert "'species'" in message
    assert "age, color, height, label" in message


def test_csv_empty_target_lists_the_columns(tmp_path):
    path = _write_csv(tmp_path / "people.csv", ["age", "color", "height", "label"], _mixed_rows())
    with pytest.raises(DataError) as info:
        build_data(_csv_cfg(path, target=""), seed=0)
    assert "data.target is empty" in str(info.value)
    assert "age, color, height, label" in str(info.value)


def test_csv_ragged_row_names_the_line(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,label\n1,2,x\n3,4,y\n5,6,x,extra\n7,8,y\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        build_data(_csv_cfg(path), seed=0)
    message = str(info.value)
    assert "line 4" in message
    assert "4 fields" in message and "header has 3" in message


def test_csv_short_row_is_ragged_too(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("a,b,label\n1,2,x\n3,y\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 3 has 2 fields"):
        build_data(_csv_cfg(path), seed=0)


def test_csv_text_column_of_unique_garbage(tmp_path):
    rng = np.random.default_rng(2)
    rows = [[f"{rng.normal():.3f}", f"id-{i:05d}-{rng.integers(1e9)}", "ab"[i % 2]] for i in range(150)]
    path = _write_csv(tmp_path / "ids.csv", ["x", "row_id", "label"], rows)
    with pytest.raises(DataError) as info:
        build_data(_csv_cfg(path), seed=0)
    message = str(info.value)
    assert "'row_id'" in message
    assert "150 different non-numeric values" in message


def test_csv_no_feature_columns(tmp_path):
    path = _write_csv(tmp_path / "only.csv", ["label"], [["ab"[i % 2]] for i in range(20)])
    with pytest.raises(DataError, match="no usable feature columns"):
        build_data(_csv_cfg(path), seed=0)


def test_csv_too_few_rows_to_split(tmp_path):
    path = _write_csv(tmp_path / "tiny.csv", ["x", "label"], [["1", "a"], ["2", "b"], ["3", "c"]])
    with pytest.raises(DataError, match="cannot split"):
        build_data(_csv_cfg(path), seed=0)


def test_csv_not_utf8_text(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"a,b,label\n\xff\xfe\x00\x81,\x90,x\n")
    with pytest.raises(DataError, match="cannot read"):
        build_data(_csv_cfg(path), seed=0)


def test_example_iris_csv_loads():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "resources" / "configs" / "iris.csv"  # committed: must exist
    bundle = build_data(DataConfig(source="csv", root=str(path), target="species", val_split=0.25), seed=0)
    assert bundle.task == "classification"
    assert len(bundle.class_names) == 3
    assert bundle.input_shape == (4,)
