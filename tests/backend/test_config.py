"""RunConfig: TOML round trip, the issue's minimal schema, unknown keys, types, ranges, overrides, files."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import tomllib

from backend.core.config import (
    SECTIONS,
    RunConfig,
    apply_overrides,
    config_from_dict,
    load_config,
    loads_config,
    save_config,
)
from backend.core.errors import ConfigError, TorchDeskError
from backend.core.schema import LOSSES, OPTIMIZERS, SCHEDULES

MINIMAL_SCHEMA = """
name = "digits-mlp"
seed = 0
[data]      # source = builtin|torchvision|image_folder|csv ; name ; root ; val_split ; batch_size
source = "builtin"
name = "digits"
batch_size = 64
val_split = 0.2
[model]     # arch = mlp|simple_cnn|... (the catalogue issue adds more)
arch = "mlp"
[optim]     # name = sgd|adam|adamw|rmsprop ; lr ; weight_decay ; momentum ; nesterov
name = "adamw"
lr = 0.001
[schedule]  # name = none|step|multistep|exponential|cosine|plateau|onecycle|warmup_cosine
name = "cosine"
[loss]      # name = cross_entropy|bce_with_logits|mse|l1|smooth_l1|focal ; label_smoothing ; class_weights
name = "cross_entropy"
[train]     # epochs ; device = auto|cpu|cuda|cuda:N|mps ; precision = auto|fp32|bf16-mixed|fp16-mixed
epochs = 5  # grad_accum ; clip_grad_norm ; clip_grad_value ; deterministic ; early_stopping ; checkpoint_every_steps
"""


# --------------------------------------------------------------------------- round trip and schema
def test_defaults_round_trip_through_toml():
    config = RunConfig()
    text = config.to_toml()
    assert tomllib.loads(text)  # valid TOML for the stdlib reader
    loaded = loads_config(text)
    assert loaded == config
    assert loaded.to_dict() == config.to_dict()


def test_non_default_values_round_trip_through_toml():
    config = RunConfig(name='mé "quoted" \\ back\tslash', seed=12345)
    config.data.root = r"C:\data\table.csv"
    config.optim.lr = 1e-5
    config.optim.betas = [0.85, 0.995]
    config.model.hidden_sizes = [7]
    config.loss.class_weights = [0.5, 2.0, 1.0]
    config.schedule.milestones = [1, 2, 3]
    config.train.clip_grad_norm = 1.5
    config.train.deterministic = True
    loaded = loads_config(config.to_toml())
    assert loaded == config
    assert loaded.optim.lr == 1e-5
    assert loaded.data.root == r"C:\data\table.csv"


def test_every_section_is_written_as_a_table():
    raw = tomllib.loads(RunConfig().to_toml())
    assert set(raw) == {"name", "seed", *SECTIONS}
    for section, cls in SECTIONS.items():
        assert set(raw[section]) == {f.name for f in dataclasses.fields(cls)}


def test_minimal_schema_from_the_issue_loads():
    config = loads_config(MINIMAL_SCHEMA)
    assert config.name == "digits-mlp"
    assert config.seed == 0
    assert (config.data.source, config.data.name, config.data.batch_size, config.data.val_split) == (
        "builtin",
        "digits",
        64,
        0.2,
    )
    assert config.model.arch == "mlp"
    assert (config.optim.name, config.optim.lr) == ("adamw", 0.001)
    assert config.schedule.name == "cosine"
    assert config.loss.name == "cross_entropy"
    assert config.train.epochs == 5
    # Keys left out keep their defaults.
    assert config.train.grad_accum == RunConfig().train.grad_accum


def test_empty_document_gives_the_defaults():
    assert loads_config("") == RunConfig()


def test_integer_accepted_where_a_float_is_expected():
    config = loads_config("[optim]\nlr = 1\n")
    assert config.optim.lr == 1.0
    assert isinstance(config.optim.lr, float)


# --------------------------------------------------------------------------- unknown keys
def test_unknown_top_level_key_names_key_and_allowed_keys():
    with pytest.raises(ConfigError) as info:
        loads_config('name = "x"\nepochs = 3\n')
    message = str(info.value)
    assert "'epochs'" in message
    for allowed in ("name", "seed", "data", "model", "optim", "schedule", "loss", "train"):
        assert allowed in message


def test_unknown_top_level_table_is_an_error():
    with pytest.raises(ConfigError, match="unknown key 'trian'"):
        loads_config("[trian]\nepochs = 3\n")


def test_unknown_key_in_a_section_names_key_and_allowed_keys():
    with pytest.raises(ConfigError) as info:
        loads_config("[optim]\nlearning_rate = 0.1\n")
    message = str(info.value)
    assert "optim.learning_rate" in message
    for allowed in ("name", "lr", "weight_decay", "momentum", "nesterov", "betas"):
        assert allowed in message


@pytest.mark.parametrize("section", list(SECTIONS))
def test_unknown_key_in_every_section(section):
    with pytest.raises(ConfigError, match=rf"unknown key {section}\.bogus_key; allowed keys in \[{section}\]"):
        loads_config(f"[{section}]\nbogus_key = 1\n")


def test_section_that_is_not_a_table():
    with pytest.raises(ConfigError, match=r"\[optim\] must be a table"):
        loads_config("optim = 5\n")


# --------------------------------------------------------------------------- types
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[optim]\nlr = "0.1"\n', "optim.lr must be a number, got '0.1'"),
        ("[train]\nepochs = true\n", "train.epochs must be an integer, got True"),
        ("[data]\nbatch_size = false\n", "data.batch_size must be an integer, got False"),
        ("[train]\nepochs = 2.5\n", "train.epochs must be an integer, got 2.5"),
        ("seed = true\n", "seed must be an integer, got True"),
        ("name = 5\n", "name must be a string, got 5"),
        ("[train]\ndeterministic = 1\n", "train.deterministic must be true or false, got 1"),
        ('[model]\nhidden_sizes = [32, "a"]\n', "model.hidden_sizes[1] must be an integer, got 'a'"),
        ("[model]\nhidden_sizes = 32\n", "model.hidden_sizes must be a list"),
        ("[data]\nname = 3\n", "data.name must be a string, got 3"),
    ],
)
def test_type_errors_name_field_and_value(text, expected):
    with pytest.raises(ConfigError) as info:
        loads_config(text)
    assert expected in str(info.value)


# --------------------------------------------------------------------------- ranges and choices
RANGE_CASES = [
    ("data", "val_split", 0.0, "data.val_split must be between 0 and 1 (exclusive), got 0.0"),
    ("data", "val_split", 1.0, "data.val_split must be between 0 and 1 (exclusive), got 1.0"),
    ("data", "val_split", -0.5, "data.val_split must be between 0 and 1 (exclusive), got -0.5"),
    ("data", "batch_size", 0, "data.batch_size must be > 0, got 0"),
    ("data", "batch_size", -8, "data.batch_size must be > 0, got -8"),
    ("data", "num_workers", -1, "data.num_workers must be >= 0, got -1"),
    ("optim", "lr", -0.1, "optim.lr must be > 0, got -0.1"),
    ("optim", "lr", 0.0, "optim.lr must be > 0, got 0.0"),
    ("optim", "weight_decay", -1.0, "optim.weight_decay must be >= 0, got -1.0"),
    ("optim", "momentum", -0.5, "optim.momentum must be >= 0, got -0.5"),
    ("optim", "betas", [0.9], "optim.betas must be two numbers in [0, 1), got [0.9]"),
    ("optim", "betas", [0.9, 1.0], "optim.betas must be two numbers in [0, 1), got [0.9, 1.0]"),
    ("train", "epochs", 0, "train.epochs must be > 0, got 0"),
    ("train", "epochs", -3, "train.epochs must be > 0, got -3"),
    ("train", "grad_accum", 0, "train.grad_accum must be > 0, got 0"),
    ("train", "clip_grad_norm", -1.0, "train.clip_grad_norm must be >= 0, got -1.0"),
    ("train", "clip_grad_value", -1.0, "train.clip_grad_value must be >= 0, got -1.0"),
    ("train", "patience", -1, "train.patience must be >= 0, got -1"),
    ("train", "min_delta", -0.1, "train.min_delta must be >= 0, got -0.1"),
    ("train", "checkpoint_every_steps", -5, "train.checkpoint_every_steps must be >= 0, got -5"),
    ("model", "dropout", 1.0, "model.dropout must be in [0, 1), got 1.0"),
    ("model", "dropout", -0.1, "model.dropout must be in [0, 1), got -0.1"),
    ("model", "hidden_sizes", [32, 0], "model.hidden_sizes must all be > 0, got [32, 0]"),
    ("loss", "label_smoothing", 1.0, "loss.label_smoothing must be in [0, 1), got 1.0"),
    ("loss", "label_smoothing", -0.2, "loss.label_smoothing must be in [0, 1), got -0.2"),
    ("loss", "class_weights", [1.0, -1.0], "loss.class_weights must all be > 0, got [1.0, -1.0]"),
    ("loss", "focal_gamma", -1.0, "loss.focal_gamma must be >= 0, got -1.0"),
    ("schedule", "step_size", 0, "schedule.step_size must be > 0, got 0"),
    ("schedule", "gamma", 0.0, "schedule.gamma must be > 0, got 0.0"),
    ("schedule", "milestones", [5, 3], "schedule.milestones must be increasing epochs > 0, got [5, 3]"),
    ("schedule", "min_lr", -1e-3, "schedule.min_lr must be >= 0, got -0.001"),
    ("schedule", "factor", 1.0, "schedule.factor must be between 0 and 1 (exclusive), got 1.0"),
    ("schedule", "pct_start", 0.0, "schedule.pct_start must be between 0 and 1 (exclusive), got 0.0"),
    ("schedule", "warmup_epochs", -1.0, "schedule.warmup_epochs must be >= 0, got -1.0"),
    ("schedule", "max_lr", -1.0, "schedule.max_lr must be >= 0, got -1.0"),
]


@pytest.mark.parametrize(
    ("section", "key", "value", "expected"), RANGE_CASES, ids=[f"{c[0]}.{c[1]}={c[2]}" for c in RANGE_CASES]
)
def test_range_checks_name_field_and_value(section, key, value, expected):
    raw = RunConfig().to_dict()
    raw[section][key] = value
    with pytest.raises(ConfigError) as info:
        config_from_dict(raw)
    assert str(info.value) == expected


def test_issue_example_message_exactly():
    with pytest.raises(ConfigError) as info:
        loads_config("[optim]\nlr = -0.1\n")
    assert str(info.value) == "optim.lr must be > 0, got -0.1"


CHOICE_CASES = [
    ("data", "source", "s3", "data.source", ("builtin", "torchvision", "image_folder", "csv")),
    ("data", "task", "clustering", "data.task", ("auto", "classification", "regression")),
    ("model", "arch", "resnet9000", "model.arch", ("mlp", "simple_cnn")),
    ("model", "activation", "swish", "model.activation", ("relu", "gelu", "tanh")),
    ("optim", "name", "lbfgs", "optim.name", OPTIMIZERS),
    ("schedule", "name", "linear", "schedule.name", SCHEDULES),
    ("loss", "name", "hinge", "loss.name", LOSSES),
    ("train", "precision", "fp8", "train.precision", ("auto", "fp32", "bf16-mixed", "fp16-mixed")),
    ("train", "monitor", "val_f1", "train.monitor", ("val_loss", "val_acc", "train_loss", "val_mae", "val_mse")),
    ("train", "mode", "up", "train.mode", ("auto", "min", "max")),
]


@pytest.mark.parametrize(
    ("section", "key", "value", "field", "allowed"), CHOICE_CASES, ids=[f"{c[0]}.{c[1]}" for c in CHOICE_CASES]
)
def test_choices_name_field_value_and_allowed_values(section, key, value, field, allowed):
    raw = RunConfig().to_dict()
    raw[section][key] = value
    with pytest.raises(ConfigError) as info:
        config_from_dict(raw)
    message = str(info.value)
    assert message.startswith(f"{field} must be one of ")
    assert repr(value) in message
    for choice in allowed:
        assert choice in message


@pytest.mark.parametrize("device", ["gpu", "cuda:", "cuda:x", "CPU", "tpu", ""])
def test_bad_device_names(device):
    raw = RunConfig().to_dict()
    raw["train"]["device"] = device
    with pytest.raises(ConfigError) as info:
        config_from_dict(raw)
    message = str(info.value)
    assert message.startswith("train.device must be one of auto, cpu, cuda, cuda:N, mps")
    assert repr(device) in message


@pytest.mark.parametrize("device", ["auto", "cpu", "cuda", "cuda:0", "cuda:3", "mps"])
def test_good_device_names_validate_without_the_hardware(device):
    raw = RunConfig().to_dict()
    raw["train"]["device"] = device
    assert config_from_dict(raw).train.device == device


def test_nesterov_needs_sgd_with_momentum():
    with pytest.raises(ConfigError, match="optim.nesterov needs optim.name = 'sgd'"):
        loads_config('[optim]\nname = "adam"\nnesterov = true\n')
    with pytest.raises(ConfigError, match="optim.momentum > 0"):
        loads_config('[optim]\nname = "sgd"\nmomentum = 0.0\nnesterov = true\n')
    assert loads_config('[optim]\nname = "sgd"\nnesterov = true\n').optim.nesterov is True


def test_empty_name_and_runs_dir_are_errors():
    with pytest.raises(ConfigError, match="name must not be empty"):
        loads_config('name = "  "\n')
    with pytest.raises(ConfigError, match="train.runs_dir must not be empty"):
        loads_config('[train]\nruns_dir = ""\n')


def test_config_errors_are_torchdesk_errors():
    with pytest.raises(TorchDeskError):
        loads_config("[optim]\nlr = -1\n")


def test_infinite_learning_rate_is_rejected():
    with pytest.raises(ConfigError, match="optim.lr"):
        loads_config("[optim]\nlr = inf\n")


def test_name_with_delete_character_round_trips():
    config = RunConfig(name="a\x7fb")
    assert loads_config(config.to_toml()) == config


# --------------------------------------------------------------------------- overrides
def test_apply_overrides_sets_values_with_toml_types():
    config = apply_overrides(RunConfig(), ["optim.lr=0.01", "train.epochs=2", "model.hidden_sizes=[32]"])
    assert config.optim.lr == 0.01
    assert config.train.epochs == 2
    assert config.model.hidden_sizes == [32]


def test_apply_overrides_does_not_modify_the_original():
    base = RunConfig()
    apply_overrides(base, ["optim.lr=0.5"])
    assert base.optim.lr == RunConfig().optim.lr


def test_apply_overrides_bare_text_and_top_level_keys():
    config = apply_overrides(RunConfig(), ["data.name=iris", "seed=7", "name=my-run", " optim.name = sgd "])
    assert config.data.name == "iris"
    assert config.seed == 7
    assert config.name == "my-run"
    assert config.optim.name == "sgd"


@pytest.mark.parametrize("item", ["optim.lr", "noequals", "=3", "a.b.c=1"])
def test_apply_overrides_malformed(item):
    with pytest.raises(ConfigError) as info:
        apply_overrides(RunConfig(), [item])
    message = str(info.value)
    assert repr(item) in message
    assert "section.key=value" in message


def test_apply_overrides_unknown_section_lists_sections():
    with pytest.raises(ConfigError) as info:
        apply_overrides(RunConfig(), ["optimizer.lr=0.1"])
    message = str(info.value)
    assert "unknown section 'optimizer'" in message
    for section in SECTIONS:
        assert section in message


def test_apply_overrides_unknown_key_and_bad_values_are_validated():
    with pytest.raises(ConfigError, match="unknown key optim.learning_rate"):
        apply_overrides(RunConfig(), ["optim.learning_rate=0.1"])
    with pytest.raises(ConfigError, match="optim.lr must be a number, got 'abc'"):
        apply_overrides(RunConfig(), ["optim.lr=abc"])
    with pytest.raises(ConfigError, match=re.escape("optim.lr must be > 0, got -1.0")):
        apply_overrides(RunConfig(), ["optim.lr=-1.0"])


# --------------------------------------------------------------------------- files
def test_load_config_missing_file(tmp_path):
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as info:
        load_config(missing)
    assert str(missing) in str(info.value)
    assert "does not exist" in str(info.value)


def test_load_config_invalid_toml(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('name = "unterminated\n[data\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert "not valid TOML" in str(info.value)


def test_load_config_on_a_folder_and_on_binary(tmp_path):
    with pytest.raises(ConfigError):
        load_config(tmp_path)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00\x81garbage")
    with pytest.raises(ConfigError):
        load_config(binary)


def test_relative_data_root_resolved_against_config_folder(tmp_path, monkeypatch):
    folder = tmp_path / "configs" / "sub"
    folder.mkdir(parents=True)
    path = folder / "run.toml"
    path.write_text('[data]\nsource = "csv"\nroot = "../data/table.csv"\ntarget = "y"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # not the config folder: the root must not depend on the working directory
    config = load_config(path)
    assert Path(config.data.root) == (tmp_path / "configs" / "data" / "table.csv").resolve()
    assert Path(config.data.root).is_absolute()


def test_absolute_data_root_is_kept(tmp_path):
    target = tmp_path / "elsewhere" / "t.csv"
    path = tmp_path / "run.toml"
    path.write_text(f'[data]\nroot = "{target.as_posix()}"\n', encoding="utf-8")
    assert Path(load_config(path).data.root) == target


def test_save_config_then_load_config(tmp_path):
    config = apply_overrides(RunConfig(name="saved"), ["optim.lr=0.02", "model.hidden_sizes=[16, 8]"])
    path = tmp_path / "out" / "config.toml"
    save_config(config, path)
    assert load_config(path) == config
    # The atomic writer leaves no temporary files behind.
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]


@pytest.mark.parametrize(
    "name", sorted((Path(__file__).resolve().parents[2] / "resources" / "configs").glob("*.toml")), ids=lambda p: p.name
)
def test_example_configs_validate(name):
    config = load_config(name)
    assert config.name.strip()
    assert loads_config(config.to_toml()) == config
