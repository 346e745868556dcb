"""Exports verified in their own runtime: ONNX in ONNX Runtime (checker, parity < 1e-4, dynamic batch,
one file), TorchScript via torch.jit.load, torch.export programs via torch.export.load."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch

from backend.artifacts import export as export_mod
from backend.artifacts.data import example_batch
from backend.artifacts.export import export_model, export_onnx, export_pt2, export_torchscript
from backend.artifacts.model_io import load_model
from backend.core.errors import CheckpointError, TorchDeskError

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module", params=["digits-mlp", "digits-cnn"])
def loaded(request, trained_run):
    return load_model(trained_run(request.param))


@pytest.fixture(scope="module")
def cnn(trained_run):
    return load_model(trained_run("digits-cnn"))


def _ort(path):
    import onnxruntime as ort

    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def test_onnx_export_runs_in_onnx_runtime(loaded, tmp_path):
    report = export_onnx(loaded, tmp_path / "model.onnx")
    assert report.exporter.startswith("dynamo") and report.opset == 18
    assert report.checker == "passed"
    assert report.parity_ok and report.parity_max_abs_diff < 1e-4
    assert report.parity_inputs == "32 validation samples"
    assert report.files == [str(tmp_path / "model.onnx")], "a small model stays in one file"
    assert not (tmp_path / "model.onnx.data").exists()
    assert report.latency_torch_ms > 0 and report.latency_runtime_ms > 0
    session = _ort(report.path)
    meta = json.loads(session.get_modelmeta().custom_metadata_map["torchdesk"])
    assert meta["class_names"] == loaded.class_names and meta["preprocess"]["kind"] == "image"
    x, _ = example_batch(loaded, 7)  # another batch size: the batch axis is dynamic
    out = session.run(None, {session.get_inputs()[0].name: x.numpy()})[0]
    with torch.no_grad():
        ref = loaded.model(x).numpy()
    assert out.shape == (7, 10) and np.abs(out - ref).max() < 1e-4


def test_onnx_opset_choice(cnn, tmp_path):
    report = export_onnx(cnn, tmp_path / "m17.onnx", opset=17)
    assert report.opset == 17 and report.parity_ok
    import onnx

    assert onnx.load(report.path).opset_import[0].version == 17
    with pytest.raises(TorchDeskError, match="opset"):
        export_onnx(cnn, tmp_path / "bad.onnx", opset=99)


def test_onnx_fallback_to_the_torchscript_exporter(cnn, tmp_path, monkeypatch):
    real = export_mod._onnx_proto

    def dynamo_breaks(model, example, opset, dynamic_batch, dynamo):
        if dynamo:
            raise RuntimeError("simulated exporter failure")
        return real(model, example, opset, dynamic_batch, dynamo)

    monkeypatch.setattr(export_mod, "_onnx_proto", dynamo_breaks)
    report = export_onnx(cnn, tmp_path / "legacy.onnx", opset=17)
    assert report.exporter.startswith("torchscript")
    assert any("simulated exporter failure" in n for n in report.notes)
    assert report.parity_ok and report.checker == "passed"


def test_large_model_gets_two_files_and_a_note(cnn, tmp_path, monkeypatch):
    monkeypatch.setattr(export_mod, "ONE_FILE_LIMIT", 0)  # as if the weights passed 2 GB
    report = export_onnx(cnn, tmp_path / "big.onnx")
    assert report.files == [str(tmp_path / "big.onnx"), str(tmp_path / "big.onnx.data")]
    assert any("copy both files" in n for n in report.notes)
    assert report.parity_ok and report.size_bytes > Path(report.path).stat().st_size
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary leftovers"


@pytest.mark.parametrize("method", ["trace", "script"])
def test_torchscript_export_reloads(loaded, tmp_path, method):
    report = export_torchscript(loaded, tmp_path / "model.pt", method=method)
    assert report.parity_ok and report.parity_max_abs_diff < 1e-4
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        extra = {"torchdesk.json": ""}
        module = torch.jit.load(report.path, _extra_files=extra)
    assert json.loads(extra["torchdesk.json"])["torchscript_method"] == method
    x, _ = example_batch(loaded, 3)
    with torch.no_grad():
        assert (module(x) - loaded.model(x)).abs().max() < 1e-4
    assert load_model(report.path).format == "torchscript"


def test_pt2_export_reloads_with_a_dynamic_batch(loaded, tmp_path):
    report = export_pt2(loaded, tmp_path / "model.pt2")
    assert report.parity_ok and report.dynamic_batch
    program = torch.export.load(report.path)
    x, _ = example_batch(loaded, 5)
    with torch.no_grad():
        assert (program.module()(x) - loaded.model(x)).abs().max() < 1e-4
    reloaded = load_model(report.path)
    assert reloaded.format == "pt2" and reloaded.class_names == loaded.class_names


def test_exported_archives_cannot_be_re_exported(cnn, tmp_path):
    ts = export_model(cnn, "torchscript", tmp_path / "m.pt")
    with pytest.raises(CheckpointError, match="needs a PyTorch checkpoint"):
        export_model(load_model(ts.path), "onnx", tmp_path / "again.onnx")
    with pytest.raises(TorchDeskError, match="export format must be one of"):
        export_model(cnn, "tflite", tmp_path / "x")


def test_report_lines_and_dict(cnn, tmp_path):
    report = export_model(cnn, "onnx", tmp_path / "r.onnx")
    lines = report.lines()
    assert lines[0].startswith(f"exported onnx to {tmp_path / 'r.onnx'}") and "OK" in lines[1]
    assert json.loads(json.dumps(report.to_dict()))["parity_ok"] is True
