"""The engine's English text reaches the Chinese interface translated (gui/backend_text.py).

The registries are walked here independently of ``backend_strings``; the messages are made by
the engine's own code (a CSV load, a weights report, a torchvision description).
"""

from __future__ import annotations

import re
import string

import pytest

pytestmark = pytest.mark.timeout(60, method="thread")

CJK = re.compile(r"[\u4e00-\u9fff]")
TV_ENGLISH = re.compile(r"Random weights|M parameters|at ImageNet size|enlarged inside|, from '")  # the TV_* text


def _english_words(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """Latin words left in ``text`` once the allowed names (identifiers, paths, titles) are removed."""
    for name in sorted(allowed, key=len, reverse=True):
        text = text.replace(name, " ")
    return re.findall(r"[A-Za-z]{2,}", text)


def test_backend_strings_cover_the_registries():
    from backend.core.schema import MODEL_OPTIONS
    from backend.data.builtin import BUILTIN_DATASETS
    from backend.data.registry import AUGMENT_DESCRIPTIONS
    from backend.data.torchvision_sets import TORCHVISION_SETS
    from backend.models.registry import MODELS
    from gui.backend_text import backend_strings

    strings = set(backend_strings())
    expected = [text for option in MODEL_OPTIONS.values() for text in (option.title, option.help)]
    expected += [spec.description for spec in MODELS.values() if spec.source == "torchdesk"]
    expected += [spec.description for spec in BUILTIN_DATASETS.values()]
    expected += [spec.description for spec in TORCHVISION_SETS.values()]
    expected += list(AUGMENT_DESCRIPTIONS.values())
    assert len(expected) > 30
    assert [text for text in expected if text not in strings] == []


def test_templates_can_be_recognised():
    """Named fields only, and fixed text in each template (see backend/core/messages.py)."""
    from gui.backend_text import message_templates

    templates = message_templates()
    assert len(templates) > 30
    for template in templates:
        parsed = list(string.Formatter().parse(template))
        assert all(name is None or name.isidentifier() for _lit, name, _spec, _conv in parsed), template
        assert any(literal.strip() for literal, *_ in parsed), template


def test_backend_tr_translates_engine_messages(zh_translator, tmp_path):
    from backend.core import messages
    from backend.core.config import DataConfig
    from backend.data.csv_table import load_csv
    from backend.models.weights import WeightsReport
    from gui.backend_text import backend_tr

    rows = ["age,colour,label", "31,red,a", ",blue,b", "45,,a", "52,red,b", "38,blue,a", "29,red,b", "61,blue,a"]
    (tmp_path / "people.csv").write_text("\n".join(rows) + "\n")
    bundle = load_csv(DataConfig(source="csv", root=str(tmp_path / "people.csv"), target="label"), seed=0)
    filled = next(w for w in bundle.warnings if "training mean" in w)
    mean = re.search(r"mean (\S+)$", filled).group(1)
    assert backend_tr(filled).startswith("列 'age'：1 个缺失值已用训练集均值") and mean in backend_tr(filled)

    skipped = messages.IMAGES_SKIPPED.format(count=2, root="/data/pets")
    assert backend_tr(skipped) == "已跳过 /data/pets 下 2 个无法读取或已损坏的图像文件"

    nan = messages.NAN_STOPPED.format(
        loss=float("nan"), epoch=3, batch=7, hint=messages.NAN_HINT_CHECKPOINT.format(checkpoint="/r/last.ckpt")
    )
    assert backend_tr(nan) == (
        "训练损失在第 3 轮第 7 个批次变为 nan；训练已停止。最后一个正常的检查点是 /r/last.ckpt（未被改动）；"
        "请调低 optim.lr 后从它继续训练"
    )

    shape = messages.WEIGHTS_SHAPES.format(file_shape=(1000, 512), model_shape=(10, 512)) + messages.WEIGHTS_NEW_HEAD
    report = WeightsReport(
        path="/w/resnet18.pth",
        loaded=["a"] * 60,
        skipped=[("fc.weight", shape), ("extra", messages.WEIGHTS_NOT_IN_MODEL)],
        missing=["net.fc.weight", "net.fc.bias"],
    )
    warning = backend_tr(messages.WEIGHTS_WARNING.format(report=report.message()))
    assert warning.startswith("model.weights：已从 /w/resnet18.pth 载入模型的 60 个张量；已跳过 fc.weight（")
    names = ("model.weights", "/w/resnet18.pth", "fc.weight", "net.fc.bias", "net.fc.weight", "extra")
    assert _english_words(warning, names) == [], warning

    assert backend_tr("Not an engine message: 42") == "Not an engine message: 42"
    assert backend_tr("") == ""


def test_every_torchvision_description_translates(zh_translator):
    from backend.models.registry import MODELS
    from gui.backend_text import backend_tr

    resnet = backend_tr(MODELS["tv:resnet18"].description)
    assert resnet.startswith("ResNet-18（torchvision，11.7M 参数"), resnet
    assert "Deep Residual Learning for Image Recognition" in resnet and "随机初始化权重" in resnet
    left = [
        name
        for name, spec in MODELS.items()
        if spec.source == "torchvision" and TV_ENGLISH.search(backend_tr(spec.description))
    ]
    assert left == []


def test_panels_and_log_in_chinese(qtbot, catalog, zh_translator):
    from gui.panels.log_panel import describe_event
    from gui.panels.model_panel import ModelPanel

    panel = ModelPanel()
    qtbot.addWidget(panel)
    panel.set_catalog(catalog)
    hidden = panel.rows.widgets["hidden_sizes"]
    assert panel.form.labelForField(hidden).text() == "隐藏层大小"
    assert CJK.search(hidden.toolTip())
    assert CJK.search(panel.note.text())  # the chosen model's description

    run_dir = "/tmp/runs/demo-20240101"
    events = [
        {"event": "start", "epochs": 3, "steps_per_epoch": 20, "device": "cpu", "precision": "fp32"}
        | {"task": "classification", "run_dir": run_dir},
        {"event": "epoch", "epoch": 1, "train_loss": 0.52, "val_loss": 0.41, "val_acc": 0.9, "lr": 1e-3}
        | {"epoch_time_s": 2.5},
        {"event": "checkpoint", "kind": "best", "epoch": 1, "step": 20, "path": f"{run_dir}/checkpoints/best.ckpt"},
        {"event": "end", "status": "completed", "monitor": "val_acc", "best_metric": 0.9},
        {"event": "note", "message": "image data: decoded once into memory (12.0 MiB as uint8, fits in RAM)"},
    ]
    for event in events:
        line = describe_event(event)
        assert CJK.search(line), line
        assert (
            _english_words(line, (run_dir, "best.ckpt", "checkpoints", "cpu", "fp32", "val_acc", "uint8", "MiB")) == []
        ), line
    assert "已完成" in describe_event(events[-2])
    assert not describe_event(events[-1]).startswith("警告")  # a note is not a warning


# Technical names that stay in English inside the Chinese artifact messages.
ARTIFACT_NAMES = (
    "ONNX Runtime", "ONNX", "onnxruntime", "TorchScript", "torch.jit.load", "torch.export.load", "torch.export",
    "torch.ao.quantization", "torch.ao", "torch.compile", "torchao", "PT2E", "PyTorch", "TorchDesk", "FX", "QDQ",
    "MatMul", "Gemm", "quant_pre_process", "int8", "fp16", "fp32", "bf16", "bfloat16", "float32", "Linear",
    "LSTM", "GRU", "CPU", "fbgemm", "x86", "qnnpack", "opset", "GB", ".onnx", ".safetensors", "F1", "MSE", "MAE",
    "R^2", "AUC", "Python", "trace", "pickle",
)  # fmt: skip
ARTIFACT_PREFIXES = ("PROGRESS_", "EXAMPLE_", "QUANT_", "EXPORT_", "SAVE_", "LOAD_", "EVAL_")


def _example(template: str) -> str:
    """``template`` filled with sample values: a number where a field has a format spec, a name otherwise."""
    fields = {name: 0.25 if spec else "x1" for _lit, name, spec, _conv in string.Formatter().parse(template) if name}
    return template.format(**fields)


def _tiny_model(layer):  # noqa: ANN001, ANN202 - a LoadedModel with no dataset (so no calibration data)
    from backend.artifacts.model_io import LoadedModel

    return LoadedModel.from_module(layer, {"input_shape": [4], "task": "classification"})


def test_artifact_messages_translate(zh_translator):
    """Progress, quantization, export, save, load and evaluation messages of backend/artifacts."""
    from torch import nn

    from backend.artifacts.quantize import quantization_methods
    from backend.core import messages
    from gui.backend_text import backend_tr

    names = [name for name in vars(messages) if name.startswith(ARTIFACT_PREFIXES)]
    assert len([name for name in names if name.startswith("PROGRESS_")]) == 16
    for name in names:
        text = backend_tr(_example(getattr(messages, name)))
        assert CJK.search(text) and _english_words(text, ARTIFACT_NAMES) == [], (name, text)

    building = backend_tr(messages.PROGRESS_BUILDING.format(method=messages.QUANT_DYNAMIC_INT8))
    assert building == "动态 int8（Linear/LSTM/GRU 权重）：正在构建"
    # The nested message is the field, not the start of a template that begins with a field.
    random = messages.EXAMPLE_RANDOM.format(count=32, error="no data")
    latency = backend_tr(messages.QUANT_LATENCY_INPUTS.format(inputs=random, threads=2))
    assert latency == "延迟测量输入：32 个随机输入（无法加载验证集数据：no data）；2 个 CPU 线程"

    methods = quantization_methods(_tiny_model(nn.Linear(4, 3))) + quantization_methods(_tiny_model(nn.ReLU()))
    assert {m.available for m in methods} == {True, False}
    for method in methods:
        for text in (backend_tr(method.title), backend_tr(method.reason)):
            assert CJK.search(text) and _english_words(text, ARTIFACT_NAMES) == [], (method.name, text)


def test_quantize_dialog_in_chinese(qtbot, zh_translator, tmp_path):
    from PySide6.QtCore import Qt
    from torch import nn

    from backend.artifacts.quantize import QuantReport, QuantRow, quantization_methods
    from backend.core import messages
    from gui.dialogs.quantize_dialog import QuantizeDialog

    rows = []
    for m in quantization_methods(_tiny_model(nn.Linear(4, 3))):
        row = QuantRow(m.name, m.title, m.runtime, m.available, m.reason)
        if m.name == "dynamic_int8":
            row.error = messages.QUANT_FAILED.format(error="RuntimeError: boom")
        elif m.available:
            row.path, row.size_bytes, row.size_ratio, row.metric = str(tmp_path / m.name), 1000, 2.0, 0.9
            row.notes = [messages.QUANT_HALF_MEASURED.format(dtype="float16")]
        rows.append(row)
    assert any(r.ok for r in rows) and any(not r.available for r in rows)
    inputs = messages.EXAMPLE_VALIDATION.format(count=32)
    notes = [messages.QUANT_LATENCY_INPUTS.format(inputs=inputs, threads=1), messages.QUANT_NO_TORCHAO]
    report = QuantReport(rows, "accuracy", 0.9, 100, str(tmp_path / "work"), notes)

    dialog = QuantizeDialog()
    qtbot.addWidget(dialog)
    dialog.controls._on_progress(0.5, messages.PROGRESS_FP32_REFERENCE)
    assert dialog.status.text() == "正在准备 fp32 参考结果"
    dialog.show_result(report)
    allowed = (*ARTIFACT_NAMES, "RuntimeError", "boom", "float16")
    shown = [dialog.notes.text()]
    for r in range(dialog.table.rowCount()):
        if dialog.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "fp32":
            continue  # an fp32 baseline row: GUI text only
        shown += [dialog.table.item(r, 0).toolTip(), dialog.table.item(r, 9).text()]
    for text in shown:
        assert CJK.search(text) and _english_words(text, allowed) == [], text


def _error(call) -> str:  # noqa: ANN001 - a call that raises a TorchDeskError
    from backend.core.errors import TorchDeskError

    with pytest.raises(TorchDeskError) as info:
        call()
    return str(info.value)


def test_engine_errors_translate(zh_translator, tmp_path, monkeypatch):
    """Errors raised by the engine come out in Chinese, with their paths, keys and values kept."""
    from torch import nn

    from backend.core.config import DataConfig, RunConfig, validate
    from backend.data import build_data
    from backend.engine.model_summary import model_summary
    from backend.models import registry
    from gui.backend_text import backend_tr

    pets = str(tmp_path / "pets")
    folder = backend_tr(_error(lambda: build_data(DataConfig(source="image_folder", root=pets), seed=0)))
    assert folder == f"图像文件夹 {pets} 不存在；请将 data.root 设为一个包含类别子文件夹的文件夹"

    (tmp_path / "people.csv").write_text("age,colour,label\n31,red,a\n45,blue,b\n52,red,b\n")
    csv = DataConfig(source="csv", root=str(tmp_path / "people.csv"), target="kind")
    target = backend_tr(_error(lambda: build_data(csv, seed=0)))
    assert target == "data.target = 'kind' 不是 people.csv 中的列；现有的列：age, colour, label"

    mnist = tmp_path / "mnist"
    missing = backend_tr(_error(lambda: build_data(DataConfig(source="torchvision", name="MNIST", root=str(mnist)), 0)))
    assert missing.startswith("未找到 MNIST 的文件：请把文件放到 ") and missing.endswith("data.download = true")
    files = f"{mnist / 'MNIST' / 'raw'}/train-images-idx3-ubyte 和 train-labels-idx1-ubyte（或 .gz）"
    assert files in missing

    config = RunConfig()
    config.optim.lr = -1.0
    assert backend_tr(_error(lambda: validate(config))) == "optim.lr 必须 > 0，实际为 -1.0"

    config = RunConfig()
    config.data.name, config.model.arch = "iris", "simple_cnn"
    needs_images = backend_tr(_error(lambda: model_summary(config, (4,), 3)))
    assert needs_images.startswith("模型 simple_cnn 需要图像输入") and "(4,)" in needs_images
    config.model.arch = "mlp"
    monkeypatch.setattr(registry, "build_model", lambda cfg, shape, n: nn.Linear(4, 2))
    assert backend_tr(_error(lambda: model_summary(config, (4,), 3))) == (
        "对于来自数据集 'iris'、形状为 (4,) 的样本，模型 mlp 每个样本输出的形状为 (2,)，而该数据集需要每个样本 3 个输出"
    )
    # Two templates one after the other (the suggestion follows the choices) are translated piece by piece.
    arch = backend_tr(_error(lambda: registry.check_arch("resnet18")))
    assert arch.startswith("model.arch 必须是 ") and arch.endswith("实际为 'resnet18'；您是不是想用 'tv:resnet18'？")


def test_error_dialog_shows_engine_errors_in_chinese(zh_translator, window, qtbot, tmp_path):
    panel = window.dataset_panel
    panel.source.setCurrentIndex(panel.source.findData("image_folder"))
    pets = str(tmp_path / "pets")
    panel.root.set_path(pets)
    qtbot.waitUntil(lambda: pets in window.run_view.problem.text(), timeout=20_000)
    assert window.run_view.problem.text().startswith("数据集：图像文件夹 ")
    assert not window.start_run()
    assert window.error_dialog.isVisible()
    shown = window.error_dialog.message.text()
    assert shown.startswith("数据集：图像文件夹 ") and pets in shown and "data.root" in shown, shown
    assert _english_words(shown, (pets, "data.root")) == [], shown
