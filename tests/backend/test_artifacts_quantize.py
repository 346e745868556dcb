"""Quantization: methods detected at run time with reasons, the comparison against fp32, artifacts
that load in their runtime, and the issue's target on the digits MLP (784-1024-1024-10 style)."""

from __future__ import annotations

import warnings

import pytest
import torch
from torch import nn

from backend.artifacts.model_io import LoadedModel, load_model
from backend.artifacts.predict import Predictor
from backend.artifacts.quantize import compare_methods, quantization_methods, quantize_model
from backend.core.errors import TorchDeskError

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def mlp(trained_run):
    return load_model(trained_run("digits-mlp"))


@pytest.fixture(scope="module")
def cnn(trained_run):
    return load_model(trained_run("digits-cnn"))


def test_dynamic_int8_target_on_the_digits_mlp(mlp, tmp_path):
    """The issue's target: >= 2x faster at batch 32, >= 3.5x smaller, accuracy within 1 point.

    One thread and interleaved timing keep the ratio steady on a machine other jobs are using.
    """
    report = compare_methods(mlp, ["dynamic_int8"], threads=1, work_dir=tmp_path / "work")
    row = report.row("dynamic_int8")
    assert row.ok, row.error or row.reason
    print(
        f"\ndigits MLP 64-1024-1024-10, dynamic int8 vs fp32 TorchScript: {row.size_ratio:.2f}x smaller, "
        f"batch 32 {row.baseline_b32_ms:.3f} -> {row.latency_b32_ms:.3f} ms ({row.speedup_b32:.2f}x), "
        f"batch 1 {row.baseline_b1_ms:.3f} -> {row.latency_b1_ms:.3f} ms ({row.speedup_b1:.2f}x), "
        f"accuracy {row.fp32_metric:.2%} -> {row.metric:.2%}, max diff {row.max_abs_diff:.3g}"
    )
    assert row.size_ratio >= 3.5
    assert row.speedup_b32 >= 2.0
    assert abs(row.metric_delta) <= 0.01
    assert report.eval_samples == 360 and report.metric_name == "accuracy"


def test_all_methods_on_a_conv_net(cnn, tmp_path):
    report = compare_methods(cnn, threads=1, work_dir=tmp_path / "work", latency_budget_s=0.2)
    rows = {r.method: r for r in report.rows}
    assert set(rows) == {"dynamic_int8", "static_int8", "fp16", "bf16", "ort_dynamic_int8", "ort_static_int8"}
    for row in report.rows:
        assert row.ok, f"{row.method}: {row.error or row.reason}"
        assert row.size_bytes > 0 and row.latency_b1_ms > 0 and row.latency_b32_ms > 0
        # int8 logits of this small CNN move by up to ~2 with onnxruntime 1.32 (below 1 with 1.31):
        # the metric is what must hold there; half precision stays close.
        assert row.max_abs_diff < (4.0 if "int8" in row.method else 0.5), row
        assert abs(row.metric_delta) <= 0.05, row
    assert rows["static_int8"].size_ratio > 2, "conv and linear weights in int8"
    assert rows["fp16"].size_ratio == pytest.approx(2, rel=0.05)
    assert any("calibrated on 256 training samples" in n for n in rows["static_int8"].notes)
    lines = report.table_lines()
    baselines = {r.baseline for r in report.rows}  # one fp32 row per container, with its size and latency
    assert len(lines) == 1 + len(baselines) + len(rows) and "fp32 TorchScript" in lines[2]
    assert lines[1].split()[0] == "fp32" and "1.00x" in lines[1] and "fp32 TorchScript" in lines[1]
    # Every artifact loads in its own runtime.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in ("dynamic_int8", "static_int8"):
            module = torch.jit.load(rows[name].path)
            assert module(torch.zeros(2, 1, 8, 8)).shape == (2, 10)
    import onnxruntime as ort

    for name in ("ort_dynamic_int8", "ort_static_int8"):
        session = ort.InferenceSession(rows[name].path, providers=["CPUExecutionProvider"])
        assert session.run(None, {"input": torch.zeros(3, 1, 8, 8).numpy()})[0].shape == (3, 10)
    half = load_model(rows["fp16"].path)
    assert half.meta["weights_dtype"] == "float16" and next(half.model.parameters()).dtype == torch.float32
    saved = report.save("ort_static_int8", tmp_path / "chosen.onnx")
    assert Predictor.open(saved).class_names == cnn.class_names
    report.close()
    assert not (tmp_path / "work").exists()


def test_quantize_model_saves_and_predicts(mlp, tmp_path):
    path, report = quantize_model(mlp, "ort_dynamic_int8", tmp_path / "q.onnx", threads=1)
    assert path == tmp_path / "q.onnx" and path.stat().st_size < 1_500_000
    assert report.row("ort_dynamic_int8").size_ratio > 3.5
    predictor = Predictor.open(path)
    assert predictor.runtime_name == "ONNX Runtime" and predictor.task == "classification"
    with pytest.raises(TorchDeskError, match="method must be one of"):
        quantize_model(mlp, "int3", tmp_path / "x.pt")


def test_methods_that_do_not_apply_say_why(mlp):
    conv_only = nn.Sequential(nn.Conv2d(1, 10, 8), nn.Flatten())
    loaded = LoadedModel.from_module(conv_only, {**mlp.meta}, config=None)
    methods = {m.name: m for m in quantization_methods(loaded)}
    assert not methods["dynamic_int8"].available
    assert "no Linear, LSTM or GRU layer" in methods["dynamic_int8"].reason
    assert not methods["static_int8"].available and "calibration" in methods["static_int8"].reason
    assert methods["fp16"].available and methods["ort_dynamic_int8"].available
    with pytest.raises(TorchDeskError, match="does not apply here: the model has no Linear"):
        quantize_model(loaded, "dynamic_int8")
    report = compare_methods(loaded, ["dynamic_int8", "fp16"], threads=1, latency_budget_s=0.1)
    try:
        assert not report.row("dynamic_int8").ok and report.row("fp16").ok
        assert report.row("fp16").metric is None, "no data: outputs compared, no accuracy"
        assert "n/a: the model has no Linear" in "\n".join(report.table_lines())
    finally:
        report.close()


def test_cancel_stops_and_cleans_up(mlp, tmp_path, monkeypatch):
    import tempfile

    from backend.artifacts.progress import Cancelled, TaskHooks

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the work folder goes here
    seen = []
    hooks = TaskHooks(progress=lambda f, m: seen.append(m), cancel=lambda: len(seen) >= 2)
    with pytest.raises(Cancelled):
        compare_methods(mlp, ["fp16"], task=hooks)
    assert seen == ["preparing the fp32 reference", "fp16 weights: building"]  # cancelled before measuring
    assert list(tmp_path.iterdir()) == [], "the work folder is removed"
