"""Hostile inputs of the kinds issue 10 names, but not named in it, that failed before they were fixed.

Each goes through the real command line (``backend.cli.main.main``): exit code 2 and a one-line message
that names the file or field and the fix, nothing saved before changed; or, where the input is fine
after all (a ';'-separated CSV), a run that completes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.cli.main import main as cli_main
from backend.store.runs import MAX_SLUG_CHARS, new_run_dir

pytestmark = pytest.mark.timeout(300)

IRIS = Path(__file__).resolve().parents[2] / "resources" / "configs" / "iris.csv"
FAST = ["train.epochs=1", "train.device='cpu'", "train.precision='fp32'", "model.hidden_sizes=[8]"]


def train(tmp_path: Path, csv: Path, *more: str) -> list[str]:
    """``train`` argv for the iris config on ``csv``, one fast epoch, runs under ``tmp_path``."""
    sets = [*FAST, f"data.root='{csv}'", f"train.runs_dir='{tmp_path / 'runs'}'", *more]
    return ["train", str(IRIS.parent / "iris-csv.toml"), *[a for s in sets for a in ("--set", s)]]


def refused(capsys: pytest.CaptureFixture[str], argv: list[str], *needles: str) -> str:
    assert cli_main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("torchdesk-cli: error: ") and "\n" not in err, err
    assert "internal error" not in err
    for needle in needles:
        assert needle in err, err
    return err


def iris_lines() -> list[str]:
    return IRIS.read_text().splitlines()


# ----------------------------------------------------------------- run folders


def test_a_very_long_run_name_gets_a_bounded_folder_name(tmp_path: Path) -> None:
    # was: internal error: OSError: [Errno 36] File name too long
    folder = new_run_dir(tmp_path, "x" * 400)
    assert folder.is_dir()
    assert len(folder.name) <= len("YYYYmmdd-HHMMSS-") + MAX_SLUG_CHARS


@pytest.mark.parametrize("inside", ["checkpoints", "checkpoints/new", "checkpoints/last.ckpt"])
def test_run_dir_inside_another_run_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], inside: str) -> None:
    # was: exit 0, a second run written into the first run's checkpoints/ folder
    run = tmp_path / "old-run"
    (run / "checkpoints").mkdir(parents=True)
    files = {"metrics.jsonl": b'{"event": "start"}\n', "checkpoints/last.ckpt": b"ckpt", "config.toml": b'name = "x"\n'}
    for name, data in files.items():
        (run / name).write_bytes(data)
    target = run / inside
    refused(capsys, [*train(tmp_path, IRIS), "--run-dir", str(target)], str(run), "resume", "--run-dir")
    assert {name: (run / name).read_bytes() for name in files} == files
    assert sorted(p.relative_to(run).as_posix() for p in run.rglob("*")) == [
        "checkpoints",
        "checkpoints/last.ckpt",
        "config.toml",
        "metrics.jsonl",
    ]


def test_a_stray_config_toml_in_a_parent_is_no_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "config.toml").write_text('name = "not a run"\n')
    assert cli_main([*train(tmp_path, IRIS), "--run-dir", str(tmp_path / "fresh")]) == 0
    assert (tmp_path / "fresh" / "checkpoints" / "last.ckpt").is_file()


# ----------------------------------------------------------------- CSV files


def test_semicolon_separated_csv_trains(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # was: "data.target = 'species' is not a column", the whole header read as one column
    csv = tmp_path / "semicolon.csv"
    csv.write_text("\n".join(line.replace(",", ";") for line in iris_lines()) + "\n")
    assert cli_main(train(tmp_path, csv)) == 0


def test_tab_separated_csv_trains(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "tabs.csv"
    csv.write_text("\n".join(line.replace(",", "\t") for line in iris_lines()) + "\n")
    assert cli_main(train(tmp_path, csv)) == 0


def test_decimal_comma_numbers_are_refused_not_one_hot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # was: exit 0, each number column silently one-hot encoded as ~35 text categories
    csv = tmp_path / "european.csv"
    csv.write_text("\n".join(line.replace(",", ";").replace(".", ",") for line in iris_lines()) + "\n")
    refused(capsys, train(tmp_path, csv), "'sepal_length'", "decimal comma", "line(s) 2", "'5,1'", "decimal point")
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").rglob("*.ckpt"))


@pytest.mark.parametrize("renamed", ["sepal_length", "species"])
def test_duplicate_column_names_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], renamed: str) -> None:
    # was: exit 0 with one of the two columns silently dropped (or, for the target, a regression task)
    lines = iris_lines()
    csv = tmp_path / "dup.csv"
    csv.write_text("\n".join([lines[0].replace("sepal_width", renamed), *lines[1:]]) + "\n")
    refused(capsys, train(tmp_path, csv), str(csv), f"two columns named {renamed!r}", "rename")


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_csv_that_is_not_utf8_names_the_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str) -> None:
    # was: "cannot read ... as CSV text: 'utf-8' codec can't decode byte 0xff ...", no fix named
    csv = tmp_path / "encoded.csv"
    csv.write_bytes(IRIS.read_text().replace("setosa", "sétosa").encode(encoding))
    refused(capsys, train(tmp_path, csv), str(csv), "not UTF-8", "CSV UTF-8")


def test_predict_refuses_duplicate_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str], trained_run) -> None:
    run = trained_run("iris-csv-heldout", [*FAST, "data.source='csv'", f"data.root='{IRIS}'", "data.target='species'"])
    lines = iris_lines()
    csv = tmp_path / "dup.csv"
    csv.write_text("\n".join([lines[0].replace("sepal_width", "sepal_length"), *lines[1:4]]) + "\n")
    refused(capsys, ["predict", str(run), str(csv)], "two columns named 'sepal_length'")
