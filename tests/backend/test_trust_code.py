"""No file runs code unless the user trusts it (backend/store/trust.py), and damaged metadata is a message.

Each hostile file is run through the real command line (``backend.cli.main.main``) from a current folder
that holds a ``payload.py`` of its own: exit code 2, a one-line message that names the problem and
the fix, no marker file written by the payload, and the files left as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file
from torch import nn

from backend.artifacts.model_io import load_model
from backend.cli.main import main as cli_main
from backend.core.errors import CheckpointError, UntrustedCodeError
from backend.store.trust import check_model_trust, metadata_folder, pickled_globals

pytestmark = pytest.mark.timeout(300)

NET = """
from torch import nn


class Net(nn.Module):
    def __init__(self, in_features, num_classes):
        super().__init__()
        self.fc = nn.Linear(in_features, num_classes)

    def forward(self, x):
        return self.fc(x.flatten(1))
"""


def payload_source(marker: Path) -> str:
    """A model file that also leaves ``marker`` behind when it is imported (the attack, made visible)."""
    return f"from pathlib import Path\nPath({str(marker)!r}).touch()\n{NET}"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def iris_meta(arch: str) -> dict:
    """Metadata of an iris classifier (4 features, 3 classes) whose model is ``arch``."""
    return {
        "dataset": "iris",
        "task": "classification",
        "input_shape": [4],
        "num_outputs": 3,
        "class_names": ["setosa", "versicolor", "virginica"],
        "normalization": {"mean": [5.8, 3.0, 3.7, 1.2], "std": [0.8, 0.4, 1.7, 0.7]},
        "arch": arch,
        "model": {"arch": arch},
        "config": {"name": "iris-custom", "data": {"name": "iris", "batch_size": 16}, "model": {"arch": arch}},
    }


def write_weights(path: Path, meta: dict | str, state: dict | None = None) -> Path:
    """A .safetensors file with ``state`` (Net's weights for iris by default) and ``meta`` as its metadata."""
    state = state or {"fc.weight": torch.randn(3, 4), "fc.bias": torch.zeros(3)}
    save_file(state, str(path), metadata={"torchdesk": meta if isinstance(meta, str) else json.dumps(meta)})
    return path


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    """A downloaded folder (weights + payload.py next to them) and a current folder with its own payload.py."""
    download, cwd = tmp_path / "download", tmp_path / "cwd"
    download.mkdir()
    cwd.mkdir()
    markers = {"download": tmp_path / "RAN_DOWNLOAD", "cwd": tmp_path / "RAN_CWD"}
    (download / "payload.py").write_text(payload_source(markers["download"]))
    (cwd / "payload.py").write_text(payload_source(markers["cwd"]))
    weights = write_weights(download / "model.safetensors", iris_meta("file:payload.py:Net"))
    (cwd / "rows.csv").write_text("5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n")
    monkeypatch.chdir(cwd)
    return {"weights": weights, "payload": download / "payload.py", "markers": markers, "cwd": cwd}


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli_main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("torchdesk-cli: error: "), err
    assert "internal error" not in err and "Traceback" not in err
    return lines[0]


def no_marker(markers: dict) -> None:
    assert not any(m.exists() for m in markers.values()), "a payload ran"


# ----------------------------------------------------------------------------- model files in metadata
@pytest.mark.parametrize(
    "argv",
    [
        ["predict", "{weights}", "rows.csv"],
        ["evaluate", "{weights}"],
        ["save", "{weights}", "--format", "pth", "--out", "out.pth"],
        ["export", "{weights}", "--format", "onnx", "--out", "out.onnx"],
        ["quantize", "{weights}", "--method", "dynamic_int8", "--out", "out.pt"],
    ],
    ids=["predict", "evaluate", "save", "export", "quantize"],
)
def test_model_file_named_in_metadata_is_not_imported_without_trust(hostile, capsys, argv):
    before = {p: sha256(p) for p in hostile["weights"].parent.iterdir()}
    code, out, err = cli(capsys, *[a.format(weights=hostile["weights"]) for a in argv])
    assert code == 2
    line = one_error_line(err)
    payload = hostile["payload"].resolve()
    assert f"Python file {payload} " in line  # the artifact's own folder, never the current one
    assert sha256(payload) in line and "--trusted" in line and str(hostile["weights"]) in line
    no_marker(hostile["markers"])
    assert {p: sha256(p) for p in hostile["weights"].parent.iterdir()} == before
    assert sorted(p.name for p in hostile["cwd"].iterdir()) == ["payload.py", "rows.csv"]  # nothing written


def test_trusted_imports_the_file_next_to_the_artifact_never_the_current_folder(hostile, capsys):
    code, out, err = cli(capsys, "predict", str(hostile["weights"]), "rows.csv", "--trusted")
    assert code == 0, err
    assert out.count("rows.csv:row") == 2 and "setosa" in out
    assert hostile["markers"]["download"].exists() and not hostile["markers"]["cwd"].exists()
    code, out, err = cli(capsys, "evaluate", str(hostile["weights"]), "--trusted")
    assert code == 0, err
    assert "accuracy" in out


def test_trust_error_carries_path_and_hash_for_the_app(hostile):
    with pytest.raises(UntrustedCodeError) as info:
        load_model(hostile["weights"])
    error = info.value
    assert isinstance(error, CheckpointError)
    assert Path(error.path) == hostile["payload"].resolve() and error.sha256 == sha256(hostile["payload"])
    assert error.source == str(hostile["weights"])
    no_marker(hostile["markers"])


def test_metadata_path_is_never_resolved_against_the_current_folder(tmp_path, monkeypatch):
    from backend.core.config import ModelConfig

    (tmp_path / "payload.py").write_text(NET)  # only in the current folder
    monkeypatch.chdir(tmp_path)
    artifact = tmp_path / "elsewhere" / "checkpoints" / "last.ckpt"
    model = ModelConfig(arch="file:payload.py:Net", weights="w.pth")
    check_model_trust(model, artifact, trusted=False)  # no file there: nothing to import, nothing refused
    assert model.arch == f"file:{tmp_path / 'elsewhere' / 'payload.py'}:Net"  # the run folder of the checkpoint
    assert model.weights == str(tmp_path / "elsewhere" / "w.pth")
    assert metadata_folder(tmp_path / "dl" / "x.safetensors") == tmp_path / "dl"


def test_missing_model_file_is_reported_not_searched_for(hostile, capsys):
    hostile["payload"].unlink()
    code, _out, err = cli(capsys, "predict", str(hostile["weights"]), "rows.csv", "--trusted")
    assert code == 2
    line = one_error_line(err)
    assert f"{hostile['payload'].resolve()} does not exist" in line
    no_marker(hostile["markers"])


# ----------------------------------------------------------------------------- resume
@pytest.fixture(scope="module")
def custom_run(tmp_path_factory) -> Path:
    """A real run of a custom model file (iris, one epoch)."""
    from backend.core.config import RunConfig, apply_overrides
    from backend.engine.trainer import fit

    root = tmp_path_factory.mktemp("trust-run")
    (root / "net.py").write_text(NET)
    overrides = [
        "data.name='iris'",
        "data.batch_size=16",
        f"model.arch='file:{root / 'net.py'}:Net'",
        "train.epochs=1",
        "train.device='cpu'",
        "train.precision='fp32'",
    ]
    run = root / "run"
    assert fit(apply_overrides(RunConfig(name="iris-custom"), overrides), run_dir=run)["status"] == "completed"
    return run


def test_resume_of_a_custom_model_run_asks_for_trust(custom_run, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    last = custom_run / "checkpoints" / "last.ckpt"
    before = sha256(last)
    code, _out, err = cli(capsys, "resume", str(custom_run))
    assert code == 2
    line = one_error_line(err)
    net = custom_run.parent / "net.py"
    assert f"Python file {net} (SHA-256 {sha256(net)})" in line and "--trusted" in line
    assert sha256(last) == before
    code, out, err = cli(capsys, "resume", str(custom_run), "--trusted", "--set", "train.epochs=2")
    assert code == 0, err
    assert "completed after 2 epoch(s)" in out


def test_resume_never_imports_a_relative_model_file_from_the_current_folder(custom_run, tmp_path, capsys, monkeypatch):
    """A copied run whose checkpoint names ``file:payload.py:Net``: relative to the run, and trusted or not."""
    copy = tmp_path / "copied-run"
    (copy / "checkpoints").mkdir(parents=True)
    state = torch.load(custom_run / "checkpoints" / "last.ckpt", weights_only=True)
    state["config"]["model"]["arch"] = state["meta"]["model"]["arch"] = "file:payload.py:Net"
    torch.save(state, copy / "checkpoints" / "last.ckpt")
    markers = {"run": tmp_path / "RAN_RUN", "cwd": tmp_path / "RAN_CWD"}
    (copy / "payload.py").write_text(payload_source(markers["run"]))
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    (cwd / "payload.py").write_text(payload_source(markers["cwd"]))
    monkeypatch.chdir(cwd)
    for argv in (["resume", str(copy)], ["evaluate", str(copy / "checkpoints" / "last.ckpt")]):
        code, _out, err = cli(capsys, *argv)
        assert code == 2
        assert f"Python file {copy / 'payload.py'} " in one_error_line(err)
        no_marker(markers)


# ----------------------------------------------------------------------------- pickles that run code
class RunsCode:
    """Unpickling this runs a shell command that leaves a marker file (the classic pickle attack)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


SYSTEM = f"{os.system.__module__}.system"  # posix.system here


def write_pickle(kind: str, path: Path, marker: Path) -> None:
    payload = {"state_dict": {"w": torch.zeros(2)}, "x": RunsCode(marker)}
    if kind == "torch-zip":
        torch.save(payload, path)
    elif kind == "torch-legacy":
        torch.save(payload, path, _use_new_zipfile_serialization=False)
    else:  # plain pickles of every protocol family
        path.write_bytes(pickle.dumps(payload, protocol=int(kind.removeprefix("pickle-p"))))


PICKLES = [
    ("torch-zip", "evil.pth"),
    ("torch-zip", "evil.pt"),
    ("torch-zip", "evil.ckpt"),
    ("torch-legacy", "evil.pth"),
    ("pickle-p0", "evil.pth"),
    ("pickle-p2", "evil.pth"),
    ("pickle-p4", "evil.pt"),
    ("pickle-p5", "evil.safetensors"),
    ("torch-zip", "evil.safetensors"),
]


@pytest.mark.parametrize(("kind", "name"), PICKLES, ids=[f"{k}-{n}" for k, n in PICKLES])
def test_pickled_code_is_refused_as_code_not_as_corruption(tmp_path, capsys, monkeypatch, kind, name):
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "PWNED"
    path = tmp_path / name
    write_pickle(kind, path, marker)
    before = sha256(path)
    (tmp_path / "rows.csv").write_text("1,2,3,4\n")
    for argv, fix in (
        (["predict", str(path), "rows.csv"], "--trusted"),
        (["evaluate", str(path)], "--trusted"),
        (["resume", str(path)], "plain tensors only"),
    ):
        code, _out, err = cli(capsys, *argv)
        assert code == 2, argv
        line = one_error_line(err)
        assert f"{path} contains Python code" in line and SYSTEM in line and "refused" in line, line
        assert fix in line and "corrupted" not in line
        assert not marker.exists()
    assert sha256(path) == before


@pytest.mark.parametrize(("kind", "name"), PICKLES[:3] + PICKLES[-2:], ids=lambda v: str(v))
def test_pickled_code_in_model_weights_is_refused(tmp_path, kind, name):
    from backend.core.config import ModelConfig
    from backend.models.registry import build_model

    marker = tmp_path / "PWNED"
    path = tmp_path / name
    write_pickle(kind, path, marker)
    with pytest.raises(CheckpointError, match="contains Python code") as info:
        build_model(ModelConfig(arch="mlp", hidden_sizes=[8], weights=str(path)), (4,), 3)
    assert "plain tensors only" in str(info.value) and not marker.exists()


def test_a_pickled_full_model_is_named_by_its_classes(tmp_path):
    path = tmp_path / "model.pt"
    torch.save(nn.Sequential(nn.Linear(4, 3)), path)
    assert pickled_globals(path) == ["torch.nn.modules.container.Sequential", "torch.nn.modules.linear.Linear"]
    with pytest.raises(UntrustedCodeError, match=r"contains Python code.*torch\.nn\.modules") as info:
        load_model(path)
    assert info.value.sha256 == sha256(path) and Path(info.value.path) == path.absolute()


def test_plain_weights_name_no_code(tmp_path):
    path = tmp_path / "w.pth"
    torch.save({"w": torch.zeros(2), "n": 3, "names": ["a"]}, path)
    assert pickled_globals(path) == []
    torch.save({"w": torch.zeros(2)}, path, _use_new_zipfile_serialization=False)
    assert pickled_globals(path) == []


@pytest.mark.parametrize("legacy", [False, True])
def test_truncated_weights_are_still_reported_as_damage(tmp_path, capsys, legacy):
    path = tmp_path / "cut.pth"
    torch.save({"w": torch.randn(64, 64)}, path, _use_new_zipfile_serialization=not legacy)
    path.write_bytes(path.read_bytes()[:300])
    (tmp_path / "rows.csv").write_text("1\n")
    for argv in (["predict", str(path), str(tmp_path / "rows.csv")], ["resume", str(path)]):
        code, _out, err = cli(capsys, *argv)
        assert code == 2
        line = one_error_line(err)
        assert "corrupted" in line and "Python code" not in line


# ----------------------------------------------------------------------------- damaged metadata
GOOD = iris_meta("mlp") | {"model": {"arch": "mlp", "hidden_sizes": [8]}, "config": None}
DAMAGED = {
    "not-json": ("{not json", "not valid JSON"),
    "a-list": ("[1, 2, 3]", "it holds [1, 2, 3], not a table of values"),
    "a-number": ("42", "it holds 42, not a table of values"),
    "model-not-table": (GOOD | {"model": "mlp"}, "model is 'mlp', not a table of values"),
    "arch-a-number": (GOOD | {"model": {"arch": 5}}, "model: model.arch must be a string, got 5"),
    "arch-missing": (GOOD | {"model": {"hidden_sizes": [8]}}, "model.arch is missing"),
    "hidden-sizes-text": (GOOD | {"model": {"arch": "mlp", "hidden_sizes": "big"}}, "model.hidden_sizes must be"),
    "classes-not-strings": (GOOD | {"class_names": [1, 2, 3]}, "class_names is [1, 2, 3], not a list of strings"),
    "classes-a-string": (GOOD | {"class_names": "abc"}, "class_names is 'abc', not a list of strings"),
    "classes-count": (GOOD | {"class_names": ["a", "b"]}, "class_names has 2 value(s) for 3 outputs"),
    "shape-text": (GOOD | {"input_shape": ["4"]}, "input_shape is ['4'], not a list of 1 to 4 positive integers"),
    "shape-missing": ({k: v for k, v in GOOD.items() if k != "input_shape"}, "input_shape is missing"),
    "outputs-negative": (GOOD | {"num_outputs": -3}, "num_outputs is -3, not a positive integer"),
    "outputs-bool": (GOOD | {"num_outputs": True}, "num_outputs is True, not a positive integer"),
    "task-unknown": (GOOD | {"task": "poetry"}, "task is 'poetry', not one of 'classification', 'regression'"),
    "normalization-text": (GOOD | {"normalization": "z"}, "normalization is 'z', not a table of values"),
    "mean-count": (GOOD | {"normalization": {"mean": [0.0], "std": [1.0]}}, "normalization.mean has 1 value(s)"),
    "mean-text": (GOOD | {"normalization": {"mean": "x", "std": [1.0] * 4}}, "normalization.mean is 'x'"),
    "preprocess-kind": (GOOD | {"preprocess": {"kind": "audio"}}, "preprocess.kind is 'audio'"),
    "preprocess-resize": (
        GOOD
        | {
            "preprocess": {"kind": "image", "channels": 3, "resize": "big", "scale": 1, "mean": [0] * 3, "std": [1] * 3}
        },
        "preprocess.resize is 'big', not a list of two positive integers",
    ),
    "columns-broken": (
        GOOD | {"normalization": {"columns": [{"name": "a", "kind": "numeric"}]}},
        "normalization.columns[0].mean is missing",
    ),
    "config-a-list": (GOOD | {"config": [1]}, "config is [1], not a table of values"),
}


@pytest.mark.parametrize("case", list(DAMAGED))
def test_damaged_safetensors_metadata_is_one_clear_message(tmp_path, capsys, case):
    meta, expected = DAMAGED[case]
    path = write_weights(tmp_path / "model.safetensors", meta)
    (tmp_path / "rows.csv").write_text("5.1,3.5,1.4,0.2\n")
    for argv in (["predict", str(path), str(tmp_path / "rows.csv")], ["evaluate", str(path)]):
        code, _out, err = cli(capsys, *argv)
        assert code == 2
        line = one_error_line(err)
        assert f"the TorchDesk metadata in {path} is damaged (" in line, line
        assert expected in line and "save or export the model again" in line, line


def test_well_formed_metadata_still_loads_and_predicts(tmp_path, capsys):
    from backend.core.config import ModelConfig
    from backend.models.registry import build_model

    model = build_model(ModelConfig(arch="mlp", hidden_sizes=[8]), (4,), 3)
    path = write_weights(tmp_path / "model.safetensors", GOOD, model.state_dict())
    assert load_model(path).class_names == GOOD["class_names"]
    (tmp_path / "rows.csv").write_text("5.1,3.5,1.4,0.2\n")
    code, out, err = cli(capsys, "predict", str(path), str(tmp_path / "rows.csv"))
    assert code == 0, err
    assert out.startswith(f"{tmp_path / 'rows.csv'}:row 1: ")


def test_damaged_metadata_in_a_pth_and_a_torchscript_file(tmp_path, capsys):
    pth = tmp_path / "weights.pth"
    torch.save({"state_dict": {"fc.weight": torch.zeros(3, 4)}, "torchdesk_meta": ["not", "a", "table"]}, pth)
    script = tmp_path / "model.pt"
    torch.jit.save(torch.jit.script(nn.Linear(4, 3)), str(script), _extra_files={"torchdesk.json": "{broken"})
    for path, expected in ((pth, "it holds ['not', 'a', 'table']"), (script, "not valid JSON")):
        code, _out, err = cli(capsys, "predict", str(path), "x.csv")
        assert code == 2
        line = one_error_line(err)
        assert "is damaged (" in line and expected in line


def _onnx_with_metadata(path: Path, value: str) -> Path:
    import onnx
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 4])
    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "g", [x], [y])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 9
    entry = model.metadata_props.add()
    entry.key, entry.value = "torchdesk", value
    onnx.save(model, str(path))
    return path


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{oops", "not valid JSON"),
        ("[]", "it holds [], not a table of values"),
        (json.dumps({"input_shape": "4"}), "input_shape is '4'"),
        (json.dumps({"input_shape": [4], "class_names": 7}), "class_names is 7"),
    ],
)
def test_damaged_onnx_metadata_is_one_clear_message(tmp_path, capsys, value, expected):
    pytest.importorskip("onnxruntime")
    path = _onnx_with_metadata(tmp_path / "model.onnx", value)
    (tmp_path / "rows.csv").write_text("5.1,3.5,1.4,0.2\n")
    code, _out, err = cli(capsys, "predict", str(path), str(tmp_path / "rows.csv"))
    assert code == 2
    line = one_error_line(err)
    assert f"the TorchDesk metadata in {path} is damaged (" in line and expected in line


def test_onnx_outputs_that_disagree_with_the_class_names(tmp_path, capsys):
    pytest.importorskip("onnxruntime")
    meta = {"input_shape": [4], "task": "classification", "class_names": ["a", "b", "c"], "normalization": {}}
    path = _onnx_with_metadata(tmp_path / "model.onnx", json.dumps(meta))  # the graph gives 4 outputs
    (tmp_path / "rows.csv").write_text("5.1,3.5,1.4,0.2\n")
    code, _out, err = cli(capsys, "predict", str(path), str(tmp_path / "rows.csv"))
    assert code == 2
    assert "class_names has 3 value(s) for 4 outputs" in one_error_line(err)


def test_a_pt2_archive_holding_pickled_code_is_refused(tmp_path, capsys):
    """torch.export.load unpickles some members without weights_only: the archive is scanned first."""
    import zipfile

    meta = {k: v for k, v in GOOD.items() if k != "config"}
    good = tmp_path / "model.pt2"
    program = torch.export.export(nn.Linear(4, 3).eval(), (torch.randn(2, 4),))
    torch.export.save(program, str(good), extra_files={"torchdesk.json": json.dumps(meta)})
    assert load_model(good).format == "pt2"  # a real archive holds no code
    marker = tmp_path / "PWNED"
    evil = tmp_path / "evil.pt2"
    evil.write_bytes(good.read_bytes())
    with zipfile.ZipFile(evil, "a") as archive:
        archive.writestr("model/data/constants/opaque_obj_0", pickle.dumps(RunsCode(marker), protocol=4))
    (tmp_path / "rows.csv").write_text("5.1,3.5,1.4,0.2\n")
    code, _out, err = cli(capsys, "predict", str(evil), str(tmp_path / "rows.csv"))
    assert code == 2
    line = one_error_line(err)
    assert f"{evil} contains Python code" in line and SYSTEM in line and "--trusted" in line
    assert not marker.exists()


def test_a_trusted_model_file_runs_once_per_build_and_again_when_edited(tmp_path: Path) -> None:
    from backend.core.config import ModelConfig
    from backend.models.registry import build_model

    counter = tmp_path / "imports.txt"
    code = tmp_path / "net.py"
    code.write_text(f"from pathlib import Path\nwith open({str(counter)!r}, 'a') as fh:\n    fh.write('x')\n{NET}")
    cfg = ModelConfig(arch=f"file:{code}:Net")
    build_model(cfg, (1, 8, 8), 10)  # the memory estimate and the real model share one import
    assert counter.read_text() == "x"
    code.write_text(code.read_text() + "\n# edited\n")
    build_model(cfg, (1, 8, 8), 10)
    assert counter.read_text() == "xx"
