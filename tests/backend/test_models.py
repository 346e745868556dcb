"""The model catalogue: every registered model builds, adapts to the data and trains a step;
fine-tuning (heads, frozen backbones, per-group learning rates), initialisation schemes,
custom file models and local weights files, with the message of every bad input.

Parametrised over the registry, so a new entry is tested automatically. Models over
HEAVY_PARAMS parameters are built once, for grey 28x28 images (the case that needs both the
stem and the size adapted); the two largest (SLOW) only run with ``-m slow``.
"""

from __future__ import annotations

import gc
import math
from pathlib import Path

import pytest
import torch
import torchvision
from torch import nn

from backend.core.config import ModelConfig, OptimConfig, RunConfig, apply_overrides, config_from_dict
from backend.core.errors import CheckpointError, ConfigError, ModelError
from backend.core.schema import MODEL_INITS, MODEL_OPTIONS, Option
from backend.engine.optim import build_optimizer
from backend.engine.trainer import fit
from backend.models.finetune import head_parameter_names, param_groups, split_parameters
from backend.models.registry import MODELS, build_model, check_arch, families
from backend.models.weights import adapt_conv_weight, weights_report

pytestmark = pytest.mark.timeout(120)

HEAVY_PARAMS = 25_000_000  # torchvision's count at 1000 classes
SLOW = {"tv:regnet_y_128gf", "tv:vit_h_14"}  # over 600M parameters: ~30 s and ~5 GB each
SHAPES = [((1, 28, 28), 10), ((3, 32, 32), 100)]


# Variants whose code differs from their family's smallest model (its own classes, another head).
OWN_CODE = {"tv:inception_v3", "tv:swin_v2_t", "tv:efficientnet_v2_s", "tv:mobilenet_v2"}


def _default_suite_models() -> set[str]:
    """The default suite builds our own models, the smallest of each torchvision family (the others share its
    head and stem code) and OWN_CODE; ``make test-slow`` builds every other one too."""
    fams = families()
    smallest = {min(names, key=lambda n: MODELS[n].num_params or 0) for names in fams.values()}
    return smallest | set(fams["torchdesk"]) | OWN_CODE


def _cases():
    default = _default_suite_models()
    for name, spec in MODELS.items():
        heavy = (spec.num_params or 0) > HEAVY_PARAMS
        marks = [pytest.mark.slow] if name in SLOW or name not in default else []
        for shape, classes in SHAPES[:1] if heavy else SHAPES:
            yield pytest.param(name, shape, classes, marks=marks, id=f"{name}-{'x'.join(map(str, shape))}-{classes}")


def small(arch: str, **kw) -> ModelConfig:
    """A model config that trains fast on a CPU (narrow own models)."""
    return ModelConfig(arch=arch, width=kw.pop("width", 8), hidden_sizes=kw.pop("hidden_sizes", [16]), **kw)


# ----------------------------------------------------------------------------- every registered model
@pytest.mark.parametrize(("name", "shape", "classes"), list(_cases()))
def test_every_model_builds_and_trains_a_step(name, shape, classes):
    torch.manual_seed(0)
    model = build_model(small(name), shape, classes)
    heads = head_parameter_names(model)
    assert heads, f"{name}: no head found"
    head_weight = dict(model.named_parameters())[next(h for h in heads if h.endswith("weight"))]
    assert head_weight.shape[0] == classes, f"{name}: the head {heads} does not produce the outputs"
    model.train()
    out = model(torch.randn(2, *shape))
    assert out.shape == (2, classes)
    out.float().logsumexp(dim=1).sum().backward()
    params = dict(model.named_parameters())
    assert all(params[h].grad is not None for h in heads)
    stem = next(m for m in model.modules() if isinstance(m, nn.Conv2d)) if MODELS[name].needs_images else None
    if stem is not None:
        assert stem.in_channels == shape[0]
    del model, out, params
    gc.collect()


def test_registry_has_every_torchvision_classifier_and_the_tutorial_models():
    expected = {f"tv:{n}" for n in torchvision.models.list_models(module=torchvision.models)}
    assert expected <= set(MODELS)
    assert {"mlp", "simple_cnn", "vgg_small", "resnet18_small"} <= set(MODELS)
    assert set(MODELS) - expected == {"mlp", "simple_cnn", "vgg_small", "resnet18_small"}
    fams = families()
    for family in ("resnet", "mobilenet", "efficientnet", "convnext", "regnet", "vit", "swin", "vgg"):
        assert fams[family], family
    assert "tv:resnext50_32x4d" in fams["resnet"] and "tv:vit_b_16" in fams["vit"]


def test_registry_metadata_is_complete_and_typed():
    defaults = ModelConfig()
    for name, spec in MODELS.items():
        assert spec.description.strip(), name
        assert spec.needs_images == (name != "mlp"), name
        assert spec.family, name
        assert {"weights", "init", "freeze_backbone", "backbone_lr_scale"} <= set(spec.options), name
        for option in spec.option_specs:
            assert isinstance(option, Option)
            assert option.default == getattr(defaults, option.name), (name, option.name)
            assert option.type in ("int", "float", "bool", "str", "choice", "int_list", "path")
            assert option.help
            if option.type == "choice":
                assert option.default in option.choices
            if option.min is not None and option.type in ("int", "float"):
                assert option.min <= option.default or option.default == 0
        if spec.source == "torchvision":
            assert spec.num_params and spec.num_params > 100_000
            assert "input_size" in spec.options
    assert MODEL_OPTIONS["init"].choices == MODEL_INITS


# ----------------------------------------------------------------------------- arch names and config keys
@pytest.mark.parametrize(
    ("arch", "expected"),
    [
        ("resnet9000", "model.arch must be one of mlp, simple_cnn, vgg_small, resnet18_small"),
        ("resnet18", "did you mean 'tv:resnet18'?"),
        ("tv:resnet19", "did you mean 'tv:resnet18'?"),
        ("file:model.py", "must look like file:path/to/model.py:ClassName"),
        ("file:model.py:not a name", "must look like file:path/to/model.py:ClassName"),
    ],
)
def test_bad_arch_is_a_config_error_that_helps(arch, expected):
    with pytest.raises(ConfigError) as info:
        check_arch(arch)
    assert expected in str(info.value)
    raw = RunConfig().to_dict()
    raw["model"]["arch"] = arch
    with pytest.raises(ConfigError, match="model.arch"):
        config_from_dict(raw)


def test_arch_forms_accepted_by_validation():
    for arch in ("vgg_small", "tv:mobilenet_v3_small", "file:my_models/net.py:Net", r"file:C:\models\net.py:Net"):
        assert apply_overrides(RunConfig(), [f"model.arch='{arch}'"]).model.arch == arch


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("width", 0, "model.width must be > 0, got 0"),
        ("input_size", -1, "model.input_size must be 0 (automatic) or between 1 and 1024 pixels, got -1"),
        ("init", "orthogonal", "model.init must be one of default, kaiming, xavier, normal; got 'orthogonal'"),
        ("backbone_lr_scale", 0.0, "model.backbone_lr_scale must be > 0, got 0.0"),
        ("freeze_backbone", "yes", "model.freeze_backbone must be true or false, got 'yes'"),
        ("weights", 3, "model.weights must be a string, got 3"),
    ],
)
def test_new_model_keys_are_validated(key, value, expected):
    raw = RunConfig().to_dict()
    raw["model"][key] = value
    with pytest.raises(ConfigError) as info:
        config_from_dict(raw)
    assert str(info.value) == expected


def test_new_model_keys_round_trip_through_toml():
    from backend.core.config import loads_config

    config = apply_overrides(
        RunConfig(),
        [
            "model.arch='tv:resnet18'",
            "model.weights='w.pth'",
            "model.init='xavier'",
            "model.freeze_backbone=true",
            "model.backbone_lr_scale=0.1",
            "model.input_size=64",
            "model.width=32",
        ],
    )
    again = loads_config(config.to_toml())
    assert again.model == config.model


# ----------------------------------------------------------------------------- input adaptation
@pytest.mark.parametrize("arch", ["simple_cnn", "vgg_small", "resnet18_small", "tv:resnet18", "tv:vit_b_16"])
def test_tabular_data_on_an_image_model_names_model_and_shape(arch):
    with pytest.raises(ModelError) as info:
        build_model(small(arch), (4,), 3)
    message = str(info.value)
    assert arch in message and "(4,)" in message and "needs images" in message


def test_images_too_small_for_vgg_small():
    with pytest.raises(ModelError, match=r"vgg_small needs images of at least 8x8 pixels .* 4x4"):
        build_model(small("vgg_small"), (1, 4, 4), 3)


def test_grey_digits_and_mnist_fit_torchvision_models_without_settings():
    resnet = build_model(ModelConfig(arch="tv:resnet18"), (1, 8, 8), 10)
    assert resnet.net.conv1.in_channels == 1 and resnet.resize_to is None  # ResNet takes 8x8 as it is
    vit = build_model(ModelConfig(arch="tv:vit_b_32"), (1, 28, 28), 10)
    assert vit.resize_to == (32, 32) and vit.net.image_size == 32 and vit.net.conv_proj.in_channels == 1
    squeeze = build_model(ModelConfig(arch="tv:squeezenet1_1"), (1, 8, 8), 10)
    assert squeeze.resize_to == (17, 17)
    for model, shape in ((resnet, (1, 8, 8)), (vit, (1, 28, 28)), (squeeze, (1, 8, 8))):
        assert model(torch.randn(2, *shape)).shape == (2, 10)


def test_input_size_option_resizes_inside_the_model_and_is_checked():
    model = build_model(ModelConfig(arch="tv:resnet18", input_size=48), (3, 32, 32), 5)
    assert model.resize_to == (48, 48)
    assert model(torch.randn(2, 3, 32, 32)).shape == (2, 5)
    with pytest.raises(ModelError, match=r"model.input_size = 40 is smaller than tv:inception_v3 accepts \(75"):
        build_model(ModelConfig(arch="tv:inception_v3", input_size=40), (3, 32, 32), 5)
    with pytest.raises(ModelError, match="multiple of 32; got 48"):
        build_model(ModelConfig(arch="tv:vit_b_32", input_size=48), (3, 32, 32), 5)


def test_four_channel_images_adapt_the_stem():
    model = build_model(ModelConfig(arch="tv:mobilenet_v3_small"), (4, 16, 16), 2)
    assert model.net.features[0][0].in_channels == 4
    assert model(torch.randn(2, 4, 16, 16)).shape == (2, 2)


# ----------------------------------------------------------------------------- training through fit()
def digits_config(tmp_path: Path, arch: str, *overrides: str) -> RunConfig:
    config = RunConfig(name=f"models-{arch.replace(':', '-')}")
    config.data.name = "digits"
    config.data.batch_size = 64
    config.model = small(arch)
    config.train.epochs = 1
    config.train.device = "cpu"
    config.train.precision = "fp32"
    config.train.runs_dir = str(tmp_path / "runs")
    return apply_overrides(config, list(overrides))


@pytest.mark.parametrize("arch", ["mlp", "simple_cnn", "vgg_small", "resnet18_small", "tv:resnet18"])
def test_one_epoch_on_digits(tmp_path, arch):
    events = []
    end = fit(digits_config(tmp_path, arch), on_event=events.append, run_dir=tmp_path / "run")
    assert end["status"] == "completed"
    epoch = next(e for e in events if e["event"] == "epoch")
    assert math.isfinite(epoch["train_loss"]) and 0 <= epoch["val_acc"] <= 1


def test_fine_tuning_options_train_through_fit(tmp_path):
    config = digits_config(tmp_path, "resnet18_small", "model.freeze_backbone=true", "model.init='kaiming'")
    assert fit(config, run_dir=tmp_path / "run")["status"] == "completed"


# ----------------------------------------------------------------------------- fine-tuning
@pytest.mark.parametrize(
    ("arch", "head"),
    [
        ("mlp", {"3.weight", "3.bias"}),
        ("simple_cnn", {"classifier.4.weight", "classifier.4.bias"}),
        ("vgg_small", {"classifier.5.weight", "classifier.5.bias"}),
        ("resnet18_small", {"fc.weight", "fc.bias"}),
        ("tv:resnet18", {"net.fc.weight", "net.fc.bias"}),
        ("tv:vit_b_32", {"net.heads.head.weight", "net.heads.head.bias"}),
        ("tv:squeezenet1_1", {"net.classifier.1.weight", "net.classifier.1.bias"}),
    ],
)
def test_head_parameter_names(arch, head):
    model = build_model(small(arch), (1, 16, 16), 7)
    assert set(head_parameter_names(model)) == head
    assert set(head_parameter_names(nn.parallel.DataParallel(model))) == head  # wrappers are looked through


def test_freeze_backbone_trains_only_the_head():
    torch.manual_seed(0)
    cfg = ModelConfig(arch="tv:resnet18", freeze_backbone=True)
    model = build_model(cfg, (1, 16, 16), 4)
    head, backbone = split_parameters(model)
    assert all(p.requires_grad for _, p in head) and not any(p.requires_grad for _, p in backbone)
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    opt = build_optimizer(OptimConfig(name="sgd", lr=0.5), param_groups(model, cfg, 0.5))
    loss = nn.functional.cross_entropy(model(torch.randn(8, 1, 16, 16)), torch.randint(0, 4, (8,)))
    loss.backward()
    opt.step()
    for name, param in model.named_parameters():
        changed = not torch.equal(before[name], param)
        assert changed == (name in {"net.fc.weight", "net.fc.bias"}), name


def test_param_groups_scale_the_backbone_lr():
    model = build_model(small("resnet18_small"), (1, 8, 8), 3)
    cfg = ModelConfig(arch="resnet18_small", backbone_lr_scale=0.1)
    groups = param_groups(model, cfg, 0.01)
    assert [g["name"] for g in groups] == ["head", "backbone"]
    assert groups[0]["lr"] == pytest.approx(0.01) and groups[1]["lr"] == pytest.approx(0.001)
    assert groups[1]["lr_scale"] == 0.1
    ids = [id(p) for g in groups for p in g["params"]]
    assert sorted(ids) == sorted(id(p) for p in model.parameters()) and len(set(ids)) == len(ids)
    assert {id(p) for p in groups[0]["params"]} == {id(model.fc.weight), id(model.fc.bias)}
    opt = build_optimizer(OptimConfig(name="adamw", lr=0.01), groups)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    opt.step()
    sched.step()
    assert [g["lr"] for g in opt.param_groups] == pytest.approx([0.005, 0.0005])
    # Defaults: one group, every parameter in model order (what the optimizer always got).
    plain = param_groups(model, ModelConfig(), 0.01)
    assert len(plain) == 1 and [id(p) for p in plain[0]["params"]] == [id(p) for p in model.parameters()]
    frozen = param_groups(
        build_model(small("mlp", freeze_backbone=True), (4,), 3),
        ModelConfig(freeze_backbone=True, backbone_lr_scale=0.1),
        0.01,
    )
    assert [g["name"] for g in frozen] == ["head"]


# ----------------------------------------------------------------------------- initialisation
def _stats(model: nn.Module, kind: type) -> list[torch.Tensor]:
    return [m.weight.detach() for m in model.modules() if isinstance(m, kind)]


def test_init_schemes_set_the_expected_statistics():
    torch.manual_seed(0)
    models = {
        init: build_model(ModelConfig(arch="resnet18_small", width=32, init=init), (3, 16, 16), 10)
        for init in MODEL_INITS
    }
    conv = {k: _stats(m, nn.Conv2d)[3] for k, m in models.items()}  # a 3x3 conv, 32 -> 32 channels
    fan_in = fan_out = 32 * 9
    assert conv["normal"].std().item() == pytest.approx(0.01, rel=0.1)
    assert conv["kaiming"].std().item() == pytest.approx(math.sqrt(2 / fan_out), rel=0.1)
    assert conv["xavier"].std().item() == pytest.approx(math.sqrt(2 / (fan_in + fan_out)), rel=0.1)
    mlp = {
        init: build_model(ModelConfig(arch="mlp", hidden_sizes=[256], init=init), (512,), 10) for init in MODEL_INITS
    }
    first = {k: _stats(m, nn.Linear)[0] for k, m in mlp.items()}
    assert first["kaiming"].std().item() == pytest.approx(math.sqrt(2 / 512), rel=0.1)
    assert first["normal"].std().item() == pytest.approx(0.01, rel=0.1)
    # default keeps PyTorch's Linear init: uniform(+-1/sqrt(fan_in)), std 1/sqrt(3 * fan_in)
    assert first["default"].std().item() == pytest.approx(1 / math.sqrt(3 * 512), rel=0.1)
    for init in ("kaiming", "xavier", "normal"):
        linear = next(m for m in mlp[init].modules() if isinstance(m, nn.Linear))
        assert torch.count_nonzero(linear.bias) == 0
    bn = next(m for m in models["normal"].modules() if isinstance(m, nn.BatchNorm2d))
    assert torch.all(bn.weight == 1) and torch.all(bn.bias == 0)


# ----------------------------------------------------------------------------- custom file models
GOOD_MODEL = """
import torch
from torch import nn


class Net(nn.Module):
    def __init__(self, in_channels, num_classes, hidden=16):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(in_channels, hidden, 3, padding=1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.out = nn.Linear(hidden, num_classes)

    def forward(self, x):
        return self.out(self.body(x))


class ByShape(nn.Module):
    def __init__(self, input_shape, num_outputs):
        super().__init__()
        self.fc = nn.Linear(int(torch.tensor(input_shape).prod()), num_outputs)

    def forward(self, x):
        return self.fc(x.flatten(1))


class WrongForward(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.fc = nn.Linear(3, num_classes)

    def forward(self, x):
        return self.fc(x)


class WrongOutputs(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(x.flatten(1)[:, :4])


class NeedsDepth(nn.Module):
    def __init__(self, depth):
        super().__init__()


class Plain:
    pass


NOT_A_CLASS = 3
"""


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "my_model.py"
    path.write_text(GOOD_MODEL, encoding="utf-8")
    return path


def test_custom_file_model_builds_with_the_arguments_it_names(model_file):
    model = build_model(ModelConfig(arch=f"file:{model_file}:Net"), (1, 8, 8), 10)
    assert type(model).__name__ == "Net" and model.out.out_features == 10 and model.body[0].in_channels == 1
    assert set(head_parameter_names(model)) == {"out.weight", "out.bias"}
    by_shape = build_model(ModelConfig(arch=f"file:{model_file}:ByShape"), (4,), 3)
    assert by_shape(torch.randn(5, 4)).shape == (5, 3)


def test_custom_file_model_trains_through_fit(tmp_path, model_file):
    config = digits_config(tmp_path, "mlp", f"model.arch='file:{model_file}:Net'")
    assert fit(config, run_dir=tmp_path / "run")["status"] == "completed"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("{dir}/nowhere.py:Net", "model file {dir}/nowhere.py does not exist"),
        (
            "{file}:Missing",
            "does not define 'Missing'; nn.Module classes defined there: ByShape, NeedsDepth, Net, "
            "WrongForward, WrongOutputs",
        ),
        ("{file}:Plain", "Plain in {file} is not a torch.nn.Module subclass"),
        ("{file}:NOT_A_CLASS", "NOT_A_CLASS in {file} is not a torch.nn.Module subclass"),
        (
            "{file}:WrongForward",
            "the forward of WrongForward from {file} failed on a sample batch of shape (2, 1, 8, 8)",
        ),
        (
            "{file}:WrongOutputs",
            "returned shape (2, 2) for a batch of 2 samples of shape (1, 8, 8), but the dataset needs (2, 10)",
        ),
        ("{file}:NeedsDepth", "NeedsDepth.__init__ needs 'depth', which TorchDesk cannot supply"),
    ],
)
def test_custom_file_model_errors(model_file, target, expected):
    target = target.format(dir=model_file.parent, file=model_file)
    with pytest.raises(ModelError) as info:
        build_model(ModelConfig(arch=f"file:{target}"), (1, 8, 8), 10)
    assert expected.format(dir=model_file.parent, file=model_file) in str(info.value)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("class Net(:\n", "has a syntax error at line 1"),
        ("import not_a_module_anywhere\n", "importing model file {file} failed: ModuleNotFoundError"),
        (
            "from torch import nn\nclass Net(nn.Module):\n    def __init__(self):\n        raise ValueError('bad')\n",
            "Net() from {file} raised ValueError: bad",
        ),
    ],
)
def test_custom_file_that_cannot_be_imported_or_built(tmp_path, source, expected):
    path = tmp_path / "broken.py"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(ModelError) as info:
        build_model(ModelConfig(arch=f"file:{path}:Net"), (4,), 2)
    assert expected.format(file=path) in str(info.value)


# ----------------------------------------------------------------------------- local weights files
def _assert_same_state(a: nn.Module, b: nn.Module) -> None:
    sa, sb = a.state_dict(), b.state_dict()
    assert sa.keys() == sb.keys()
    for key in sa:
        assert torch.equal(sa[key], sb[key]), key


@pytest.mark.parametrize("prefix", ["", "module.", "_orig_mod."])
def test_weights_file_round_trip(tmp_path, prefix):
    torch.manual_seed(1)
    source = build_model(small("resnet18_small"), (1, 8, 8), 10)
    path = tmp_path / "weights.pth"
    torch.save({prefix + k: v for k, v in source.state_dict().items()}, path)
    torch.manual_seed(2)
    loaded = build_model(small("resnet18_small", weights=str(path)), (1, 8, 8), 10)
    _assert_same_state(source, loaded)
    report = weights_report(loaded)
    assert report is not None and not report.skipped and not report.adapted
    assert len(report.loaded) == len(source.state_dict())


def test_weights_from_safetensors_and_torchdesk_checkpoints(tmp_path):
    from safetensors.torch import save_file

    source = build_model(small("vgg_small"), (1, 8, 8), 10)
    save_file({k: v.contiguous() for k, v in source.state_dict().items()}, str(tmp_path / "w.safetensors"))
    _assert_same_state(source, build_model(small("vgg_small", weights=str(tmp_path / "w.safetensors")), (1, 8, 8), 10))
    torch.save({"model": source.state_dict(), "config": {}, "epoch": 3}, tmp_path / "last.ckpt")
    _assert_same_state(source, build_model(small("vgg_small", weights=str(tmp_path / "last.ckpt")), (1, 8, 8), 10))


def test_torchvision_weights_adapt_stem_and_skip_the_head(tmp_path):
    torch.manual_seed(0)
    reference = torchvision.models.resnet18(weights=None)  # what a downloaded resnet18-*.pth holds
    path = tmp_path / "resnet18.pth"
    torch.save(reference.state_dict(), path)
    model = build_model(ModelConfig(arch="tv:resnet18", weights=str(path), freeze_backbone=True), (1, 28, 28), 10)
    report = weights_report(model)
    assert [k for k, _ in report.adapted] == ["net.conv1.weight"]
    assert {k for k, _ in report.skipped} == {"fc.weight", "fc.bias"}
    assert all("the new head keeps its initialisation" in why for _, why in report.skipped)
    assert set(report.missing) == {"net.fc.weight", "net.fc.bias"}
    assert "skipped fc.weight" in report.message()
    expected = reference.conv1.weight.detach().sum(dim=1, keepdim=True)
    assert torch.allclose(model.net.conv1.weight, expected, atol=1e-6)
    assert torch.equal(model.net.layer3[1].conv2.weight, reference.layer3[1].conv2.weight)
    assert model.net.fc.weight.shape == (10, 512) and model.net.fc.weight.requires_grad
    assert not model.net.layer1[0].conv1.weight.requires_grad


def test_vit_weights_resize_the_position_embedding(tmp_path):
    reference = torchvision.models.vit_b_32(weights=None, image_size=64)  # 2x2 patches + class token
    torch.save(reference.state_dict(), tmp_path / "vit.pth")
    model = build_model(ModelConfig(arch="tv:vit_b_32", weights=str(tmp_path / "vit.pth")), (3, 96, 96), 5)
    assert model.net.encoder.pos_embedding.shape == (1, 10, 768)
    assert "net.encoder.pos_embedding" in [k for k, _ in weights_report(model).adapted]
    assert torch.equal(model.net.encoder.pos_embedding[:, 0], reference.encoder.pos_embedding[:, 0])


def test_adapt_conv_weight_for_other_channel_counts():
    weight = torch.randn(8, 3, 3, 3)
    assert torch.allclose(adapt_conv_weight(weight, 1), weight.sum(1, keepdim=True))
    four = adapt_conv_weight(weight, 4)
    assert four.shape == (8, 4, 3, 3) and torch.allclose(four[:, 3], weight[:, 0] * 0.75)


def test_bad_weights_files(tmp_path):
    cases = {
        tmp_path / "missing.pth": "does not exist; pick a local .pth, .pt or .safetensors file",
        tmp_path / "garbage.pth": "is not a readable PyTorch or safetensors weights file",
        tmp_path / "pickled.pth": "contains Python code",
        tmp_path / "foreign.pth": "none of the 1 tensors in",
        tmp_path / "empty.pth": "is empty (0 bytes)",
    }
    (tmp_path / "garbage.pth").write_bytes(b"not a checkpoint at all" * 10)
    torch.save(nn.Linear(4, 3), tmp_path / "pickled.pth")
    torch.save({"encoder.weight": torch.zeros(3)}, tmp_path / "foreign.pth")
    (tmp_path / "empty.pth").write_bytes(b"")
    for path, expected in cases.items():
        with pytest.raises(CheckpointError) as info:
            build_model(ModelConfig(arch="mlp", hidden_sizes=[8], weights=str(path)), (4,), 3)
        assert expected in str(info.value), path.name


def test_resume_can_skip_the_weights_file(tmp_path):
    cfg = ModelConfig(arch="mlp", weights=str(tmp_path / "gone.pth"))
    model = build_model(cfg, (4,), 3, load_weights=False)  # a checkpoint's state replaces it anyway
    assert weights_report(model) is None
