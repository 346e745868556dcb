"""Data that cannot train a model: non-finite numbers, stray text, a single class, the seed range.

Each bad input is refused up front (CLI exit 2, one line naming the column and line, or the field)
instead of surfacing later as "the loss became nan", and nothing is written.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path

import numpy as np
import pytest
import torch

from backend.cli import main as cli
from backend.core.config import SECTIONS, DataConfig, RunConfig, config_from_dict, validate
from backend.core.errors import ConfigError, DataError
from backend.data import DataBundle, build_data
from backend.data.bundle import check_targets

pytestmark = pytest.mark.timeout(120)


# --------------------------------------------------------------------------- helpers
def _table(n: int = 40, seed: int = 0) -> list[list[str]]:
    """Two numeric features and a yes/no label."""
    rng = np.random.default_rng(seed)
    return [[f"{a:.3f}", f"{b:.3f}", "yes" if i % 2 else "no"] for i, (a, b) in enumerate(rng.normal(size=(n, 2)))]


def _regression_table(n: int = 40) -> list[list[str]]:
    rng = np.random.default_rng(1)
    return [[f"{a:.3f}", f"{b:.3f}", f"{3 * a - b:.3f}"] for a, b in rng.normal(size=(n, 2))]


def _write(path: Path, rows: list[list[str]], header: tuple[str, ...] = ("a", "b", "label")) -> Path:
    path.write_text("\n".join(",".join(r) for r in [list(header), *rows]) + "\n", encoding="utf-8")
    return path


def _config(tmp_path: Path, data: str) -> Path:
    config = tmp_path / "run.toml"
    config.write_text(
        f'name = "trust"\n[data]\n{data}\nbatch_size = 8\n'
        f'[train]\nepochs = 1\ndevice = "cpu"\nruns_dir = "{(tmp_path / "runs").as_posix()}"\n',
        encoding="utf-8",
    )
    return config


def _csv_config(tmp_path: Path, csv: Path, target: str = "label", task: str = "auto") -> Path:
    return _config(tmp_path, f'source = "csv"\nroot = "{csv.as_posix()}"\ntarget = "{target}"\ntask = "{task}"')


def _data_cfg(path: Path, target: str = "label", task: str = "auto") -> DataConfig:
    return DataConfig(source="csv", root=str(path), target=target, task=task, val_split=0.25)


def _train(capsys, config: Path, *sets: str) -> tuple[int, str, str]:
    argv = ["train", str(config)]
    for item in sets:
        argv += ["--set", item]
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _refused(capsys, tmp_path: Path, config: Path, *sets: str) -> str:
    """Train, expect a one-line bad-input refusal, and that no run folder was written."""
    code, _, err = _train(capsys, config, *sets)
    assert code == cli.EXIT_BAD_INPUT, err
    assert err.startswith("torchdesk-cli: error: ") and err.count("\n") == 1, err
    assert "internal error" not in err
    runs = tmp_path / "runs"
    assert not runs.exists() or not any(runs.iterdir())
    return err


# --------------------------------------------------------------------------- non-finite CSV values
@pytest.mark.parametrize("bad", ["inf", "-inf", "1e999", "nan", "NaN", "Infinity", "5e38"])
def test_non_finite_feature_is_refused_naming_column_and_line(capsys, tmp_path, bad):
    rows = _table()
    rows[6][1] = bad  # data row 7, line 8 of the file
    csv = _write(tmp_path / "t.csv", rows)
    before = csv.read_bytes()
    err = _refused(capsys, tmp_path, _csv_config(tmp_path, csv))
    assert "column 'b' of t.csv" in err
    assert "line(s) 8 of the file (data row(s) 7)" in err
    assert repr(bad) in err and "finite" in err
    assert csv.read_bytes() == before


def test_line_numbers_count_blank_lines_and_list_the_first_cells(capsys, tmp_path):
    rows = _table()
    for i in (2, 5, 9, 11, 14, 20, 30):
        rows[i][0] = "inf"
    csv = tmp_path / "t.csv"
    text = "\n".join(",".join(r) for r in [["a", "b", "label"], *rows]) + "\n"
    csv.write_text(text.replace("\n", "\n\n", 1), encoding="utf-8")  # a blank line 2 after the header
    err = _refused(capsys, tmp_path, _csv_config(tmp_path, csv))
    assert "holds 7 value(s)" in err
    # Data rows 3, 6, 10, 12, 15 sit on lines 5, 8, 12, 14, 17 (header on line 1, blank line 2); only 5 are quoted.
    assert "line(s) 5, 8, 12, 14, 17 of the file (data row(s) 3, 6, 10, 12, 15)" in err


def test_nan_text_in_a_regression_target_is_refused(capsys, tmp_path):
    rows = _regression_table()
    rows[3][2] = "nan"
    csv = _write(tmp_path / "reg.csv", rows, ("a", "b", "y"))
    err = _refused(capsys, tmp_path, _csv_config(tmp_path, csv, target="y", task="regression"))
    assert "column 'y' of reg.csv" in err and "line(s) 5 of the file" in err and "'nan'" in err


def test_inf_in_a_numeric_class_label_is_refused(tmp_path):
    rows = [[r[0], r[1], "1" if r[2] == "yes" else "0"] for r in _table()]
    rows[10][2] = "inf"
    with pytest.raises(DataError, match=r"column 'label' of t\.csv .* line\(s\) 12 of the file"):
        build_data(_data_cfg(_write(tmp_path / "t.csv", rows)), seed=0)


def test_empty_cells_are_still_missing_values_not_errors(tmp_path):
    rows = _table()
    rows[4][0] = ""
    bundle = build_data(_data_cfg(_write(tmp_path / "t.csv", rows)), seed=0)
    assert any("'a': 1 missing value(s) filled" in w for w in bundle.warnings), bundle.warnings
    assert torch.isfinite(bundle.x_train).all() and torch.isfinite(bundle.x_val).all()


def test_huge_finite_values_stay_finite_after_scaling(tmp_path):
    rows = _regression_table()
    for i, row in enumerate(rows):
        row[0] = f"{3e38 if i % 2 else -3e38:.6g}"
        row[2] = f"{3e38 * (1 if i % 3 else -1):.6g}"  # a float32 sum of these targets would overflow
    bundle = build_data(_data_cfg(_write(tmp_path / "big.csv", rows, ("a", "b", "y")), "y", "regression"), seed=0)
    assert bundle.task == "regression"
    for t in (bundle.x_train, bundle.x_val, bundle.y_train, bundle.y_val):
        assert torch.isfinite(t).all()


# --------------------------------------------------------------------------- stray text in a number column
def test_one_stray_word_in_a_number_column_is_missing_with_a_warning(capsys, tmp_path):
    rows = _table()
    rows[9][0] = "oops"  # line 11, data row 10
    csv = _write(tmp_path / "t.csv", rows)
    bundle = build_data(_data_cfg(csv), seed=0)
    assert bundle.input_shape == (2,)  # not a one-hot column per distinct number
    assert [c["kind"] for c in bundle.normalization["columns"]] == ["numeric", "numeric"]
    (stray,) = [w for w in bundle.warnings if "non-numeric" in w]
    assert "column 'a'" in stray and "line(s) 11 of the file (data row(s) 10)" in stray and "'oops'" in stray
    assert any("'a': 1 missing value(s) filled" in w for w in bundle.warnings)
    code, out, err = _train(capsys, _csv_config(tmp_path, csv))
    assert code == cli.EXIT_OK, err
    assert "warning: column 'a' holds numbers but also 1 non-numeric value(s)" in out


def test_mostly_text_column_stays_categorical(tmp_path):
    rows = _table()
    for i, row in enumerate(rows):
        row[0] = ["red", "green", "blue"][i % 3] if i % 5 else str(i)  # 8 numbers among 40 cells
    bundle = build_data(_data_cfg(_write(tmp_path / "t.csv", rows)), seed=0)
    assert bundle.normalization["columns"][0]["kind"] == "categorical"


def test_nan_in_a_text_column_is_a_missing_value_not_a_category(tmp_path):
    rows = _table()
    for i, row in enumerate(rows):
        row[0] = "nan" if i == 7 else ["red", "blue"][i % 2]
    bundle = build_data(_data_cfg(_write(tmp_path / "t.csv", rows)), seed=0)
    assert bundle.normalization["columns"][0]["categories"] == ["blue", "red"]
    assert any("'a': 1 missing value(s) encoded as all-zero one-hot" in w for w in bundle.warnings)


def test_stray_word_in_a_regression_target_drops_the_row_with_a_warning(tmp_path):
    rows = _regression_table()
    rows[0][2] = "unknown"
    bundle = build_data(_data_cfg(_write(tmp_path / "r.csv", rows, ("a", "b", "y")), target="y"), seed=0)
    assert bundle.task == "regression"
    assert len(bundle.y_train) + len(bundle.y_val) == 39
    assert any("column 'y'" in w and "'unknown'" in w and "line(s) 2 of the file" in w for w in bundle.warnings)


# --------------------------------------------------------------------------- a single class
def test_a_csv_with_one_class_is_refused_naming_it(capsys, tmp_path):
    rows = [[a, b, "spam"] for a, b, _ in _table()]
    err = _refused(capsys, tmp_path, _csv_config(tmp_path, _write(tmp_path / "mail.csv", rows)))
    assert "'spam'" in err and "single class" in err and "at least 2" in err


def test_an_image_folder_with_one_class_folder_is_refused_naming_it(capsys, tmp_path):
    from PIL import Image

    folder = tmp_path / "pets" / "cat"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for i in range(10):
        Image.fromarray(rng.integers(0, 255, (8, 8, 3), dtype=np.uint8)).save(folder / f"{i}.png")
    config = _config(tmp_path, f'source = "image_folder"\nroot = "{(tmp_path / "pets").as_posix()}"')
    err = _refused(capsys, tmp_path, config, "model.arch='mlp'")
    assert "pets has a single class in its training split, 'cat'" in err


def test_a_class_only_in_validation_is_a_warning():
    bundle = DataBundle(
        name="toy",
        x_train=torch.zeros(4, 2),
        y_train=torch.tensor([0, 1, 0, 1]),
        x_val=torch.zeros(3, 2),
        y_val=torch.tensor([0, 2, 1]),
        task="classification",
        class_names=["a", "b", "c"],
    )
    check_targets(bundle)
    assert any("class(es) c appear only in the validation split" in w for w in bundle.warnings)
    bundle.y_train = torch.tensor([2, 2, 2, 2])
    with pytest.raises(DataError, match="single class in its training split, 'c'"):
        check_targets(bundle)


def test_a_constant_regression_target_is_refused(capsys, tmp_path):
    rows = [[a, b, "7.5"] for a, b, _ in _regression_table()]
    csv = _write(tmp_path / "flat.csv", rows, ("a", "b", "y"))
    err = _refused(capsys, tmp_path, _csv_config(tmp_path, csv, target="y", task="regression"))
    assert "flat has the same target value, 7.5, in every training sample" in err


# --------------------------------------------------------------------------- config: seed and every float field
def _iris(tmp_path: Path) -> Path:
    return _config(tmp_path, 'source = "builtin"\nname = "iris"')


@pytest.mark.parametrize("seed", ["99999999999", "-1", "4294967296"])
def test_seed_outside_numpy_range_is_blamed_on_seed(capsys, tmp_path, seed):
    err = _refused(capsys, tmp_path, _iris(tmp_path), f"seed={seed}")
    assert f"seed must be an integer from 0 to 4294967295 (2**32 - 1), got {seed}" in err
    assert "val_split" not in err


def test_largest_seed_is_accepted():
    assert config_from_dict({"seed": 2**32 - 1}).seed == 2**32 - 1


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ("loss.class_weights=[1,nan,1]", "loss.class_weights[1]"),
        ("loss.class_weights=[inf,1,1]", "loss.class_weights[0]"),
        ("optim.lr=inf", "optim.lr"),
        ("optim.lr=nan", "optim.lr"),
        ("optim.lr=-inf", "optim.lr"),
    ],
)
def test_non_finite_overrides_are_refused_naming_the_field(capsys, tmp_path, item, field):
    err = _refused(capsys, tmp_path, _iris(tmp_path), item)
    assert f"error: {field} must be a finite number" in err


def test_zero_class_weight_is_refused(capsys, tmp_path):
    err = _refused(capsys, tmp_path, _iris(tmp_path), "loss.class_weights=[1,0,1]")
    assert "loss.class_weights must all be > 0" in err


def _float_fields() -> list[tuple[str, str, bool]]:
    """(section, field, is a list) for every float field of the run config."""
    out = []
    for section, cls in SECTIONS.items():
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            if hints[f.name] is float or hints[f.name] == list[float]:
                out.append((section, f.name, hints[f.name] is not float))
    return out


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize(("section", "name", "is_list"), _float_fields(), ids=lambda v: str(v))
def test_every_float_field_refuses_non_finite_values(section, name, is_list, value):
    bad, path = ([value], f"{section}.{name}[0]") if is_list else (value, f"{section}.{name}")
    # Through the TOML / --set path ...
    raw = RunConfig().to_dict()
    raw[section][name] = bad
    with pytest.raises(ConfigError, match=rf"^{re.escape(path)} must be a finite number"):
        config_from_dict(raw)
    # ... and through the GUI path, which fills a RunConfig and calls validate().
    config = RunConfig()
    setattr(getattr(config, section), name, bad)
    with pytest.raises(ConfigError, match=rf"^{re.escape(path)} must be a finite number"):
        validate(config)


def test_float_fields_are_found():
    names = {f"{s}.{n}" for s, n, _ in _float_fields()}
    assert {"optim.lr", "optim.betas", "loss.class_weights", "data.val_split", "train.min_delta"} <= names


# --------------------------------------------------------------------------- predict and evaluate inputs
@pytest.fixture(scope="module")
def iris_run(tmp_path_factory) -> Path:
    from backend.core.config import apply_overrides
    from backend.engine.trainer import fit

    run = tmp_path_factory.mktemp("iris") / "run"
    config = apply_overrides(
        RunConfig(name="iris"),
        ["data.name='iris'", "train.epochs=1", "train.device='cpu'", "data.batch_size=16", "model.hidden_sizes=[8]"],
    )
    assert fit(config, run_dir=run)["status"] == "completed"
    return run


@pytest.fixture(scope="module")
def csv_run(tmp_path_factory) -> Path:
    from backend.core.config import apply_overrides
    from backend.engine.trainer import fit

    folder = tmp_path_factory.mktemp("csvrun")
    rows = _table(60)
    csv = _write(folder / "train.csv", rows)
    run = folder / "run"
    config = apply_overrides(
        RunConfig(name="csv"),
        [
            "data.source='csv'",
            f"data.root='{csv.as_posix()}'",
            "data.target='label'",
            "train.epochs=1",
            "train.device='cpu'",
            "data.batch_size=16",
            "model.hidden_sizes=[8]",
        ],
    )
    assert fit(config, run_dir=run)["status"] == "completed"
    return run


def _predict(capsys, run: Path, *inputs: Path) -> tuple[int, str, str]:
    code = cli.main(["predict", str(run), *map(str, inputs)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("bad", ["inf", "-inf", "1e999", "nan"])
def test_predict_refuses_non_finite_rows_of_a_builtin_table(capsys, tmp_path, iris_run, bad):
    rows = tmp_path / "rows.csv"
    rows.write_text(f"sl,sw,pl,pw\n5.1,3.5,1.4,0.2\n6.0,{bad},4.5,1.5\n", encoding="utf-8")
    code, out, err = _predict(capsys, iris_run, rows)
    assert code == cli.EXIT_BAD_INPUT
    assert "rows.csv line 3 (data row 2), column 'sw'" in err and repr(bad) in err and "not a finite number" in err
    assert "nan%" not in out + err


def test_predict_refuses_non_finite_rows_without_a_header(capsys, tmp_path, iris_run):
    rows = tmp_path / "plain.csv"
    rows.write_text("5.1,3.5,1.4,0.2\n\n5.1,3.5,inf,0.2\n", encoding="utf-8")
    code, _, err = _predict(capsys, iris_run, rows)
    assert code == cli.EXIT_BAD_INPUT
    assert "plain.csv line 3 (data row 2), column 3: 'inf'" in err


def test_predict_refuses_an_input_whose_output_is_not_finite(capsys, tmp_path, iris_run):
    rows = tmp_path / "huge.csv"
    rows.write_text("3e38,3.5,1.4,0.2\n", encoding="utf-8")  # finite, but not once scaled by the training std
    code, out, err = _predict(capsys, iris_run, rows)
    assert code == cli.EXIT_BAD_INPUT
    assert "output for this input is not a finite number" in err
    assert "nan%" not in out


def test_predict_refuses_non_finite_cells_of_a_csv_trained_model(capsys, tmp_path, csv_run):
    rows = tmp_path / "new.csv"
    rows.write_text("label,b,a\nyes,0.1,0.2\nno,NaN,0.3\n", encoding="utf-8")
    code, _, err = _predict(capsys, csv_run, rows)
    assert code == cli.EXIT_BAD_INPUT
    assert "new.csv line 3 (data row 2), column 'b': 'NaN' is not a finite number" in err
    rows.write_text("label,b,a\nyes,0.1,0.2\nno,,0.3\n", encoding="utf-8")  # an empty cell is filled
    code, out, err = _predict(capsys, csv_run, rows)
    assert code == cli.EXIT_OK, err
    assert out.count("new.csv:row ") == 2


def test_evaluate_refuses_non_finite_cells_of_a_csv_test_set(capsys, tmp_path, csv_run):
    test = _write(tmp_path / "test.csv", _table(10, seed=3))
    lines = test.read_text().splitlines()
    lines[4] = "1e999," + lines[4].split(",", 1)[1]
    test.write_text("\n".join(lines) + "\n")
    code = cli.main(["evaluate", str(csv_run), "--split", "test", "--test-root", str(test)])
    _, err = capsys.readouterr()
    assert code == cli.EXIT_BAD_INPUT
    assert "test.csv line 5 (data row 4), column 'a': '1e999'" in err
