"""The option schema (backend/core/schema.py): one declaration per config key, validation derived from it."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from backend.core import messages
from backend.core.config import SECTIONS, RunConfig, apply_overrides
from backend.core.errors import ConfigError
from backend.core.model_catalogue import TORCHVISION_CLASSIFIERS, check_arch
from backend.core.schema import (
    BY_KEY,
    DATA_SOURCES,
    LOSSES,
    MONITORS,
    MONITORS_BY_TASK,
    OPTIONS,
    applies_with,
    source_options,
)


def _config_keys() -> list[str]:
    top = [f.name for f in dataclasses.fields(RunConfig) if f.name not in SECTIONS]
    return top + [f"{s}.{f.name}" for s, cls in SECTIONS.items() for f in dataclasses.fields(cls)]


def test_every_config_key_is_declared_once_with_label_help_and_a_valid_default() -> None:
    keys = [o.key for o in OPTIONS]
    assert len(keys) == len(set(keys))
    assert sorted(keys) == sorted(_config_keys())
    for option in OPTIONS:
        assert option.label and option.help, option.key
        default = option.default
        if option.choices:
            assert default in option.choices, option.key
        elif isinstance(default, (int, float)) and not isinstance(default, bool):
            assert option.in_range(default), option.key
        for key in option.when:
            assert key in BY_KEY, (option.key, key)


def test_validating_a_config_does_not_import_torch() -> None:
    code = (
        "import sys; import backend.core.config as c; c.validate(c.RunConfig()); "
        "c.apply_overrides(c.RunConfig(), ['model.arch=\"tv:resnet18\"', 'data.augment=\"custom\"', "
        "'data.transforms=[\"hflip\"]', 'train.device=\"cuda:1\"']); "
        "assert 'torch' not in sys.modules, 'torch imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_static_torchvision_table_matches_the_installed_torchvision() -> None:
    torchvision_models = pytest.importorskip("torchvision.models")
    from backend.core.torchvision_models import TORCHVISION_MODELS
    from backend.models.tv import read_facts

    assert TORCHVISION_CLASSIFIERS == tuple(torchvision_models.list_models(module=torchvision_models))
    # If this fails after a torchvision upgrade: python -m backend.models.tv prints the new table.
    assert TORCHVISION_MODELS == {name: read_facts(name) for name in TORCHVISION_CLASSIFIERS}


def test_unknown_arch_keeps_its_did_you_mean_and_names_the_field() -> None:
    with pytest.raises(ConfigError) as info:
        check_arch("resnet18")
    assert info.value.field == "model.arch"
    assert "tv:resnet18" in str(info.value)


@pytest.mark.parametrize(
    ("override", "field", "template"),
    [
        ("optim.lr=0", "optim.lr", messages.ERR_NOT_POSITIVE),
        ("optim.weight_decay=-1", "optim.weight_decay", messages.ERR_NEGATIVE),
        ("data.val_split=1.0", "data.val_split", messages.ERR_NOT_BETWEEN_0_AND_1),
        ("model.dropout=1.0", "model.dropout", messages.ERR_NOT_IN_0_TO_1),
        ("data.image_size=2000", "data.image_size", messages.ERR_SIZE_RANGE),
        ("data.num_workers=65", "data.num_workers", messages.ERR_WORKERS_TOO_MANY),
        ("data.num_workers=-1", "data.num_workers", messages.ERR_NEGATIVE),
        ("seed=-1", "seed", messages.ERR_SEED_RANGE),
        ("model.hidden_sizes=[4, 0]", "model.hidden_sizes", messages.ERR_NOT_ALL_POSITIVE),
        ("model.width=2048", "model.width", messages.ERR_OPTION_RANGE),
        ("optim.name='lbfgs'", "optim.name", messages.ERR_CHOICE),
        ("train.device='gpu'", "train.device", messages.ERR_CHOICE),
        ("data.transforms=['hflip']", "data.transforms", messages.ERR_TRANSFORMS_NOT_CUSTOM),
        ("optim.betas=[0.9]", "optim.betas", messages.ERR_BETAS),
        ("optim.lr=nan", "optim.lr", messages.ERR_NOT_FINITE),
    ],
)
def test_a_bad_value_names_its_field_with_the_usual_message(override: str, field: str, template: str) -> None:
    with pytest.raises(ConfigError) as info:
        apply_overrides(RunConfig(), [override])
    assert info.value.field == field
    message = info.value.message  # a bare Template when it has no fields to fill
    assert (message if message is template else message.template) is template


def test_custom_transforms_errors_name_the_field() -> None:
    with pytest.raises(ConfigError) as info:
        apply_overrides(RunConfig(), ["data.augment='custom'", "data.transforms=['spin']"])
    assert info.value.field == "data.transforms"


def test_applies_when_drives_visibility() -> None:
    momentum = BY_KEY["optim.momentum"]
    assert applies_with({"optim.name": "sgd"}, momentum)
    assert not applies_with({"optim.name": "adamw"}, momentum)
    assert BY_KEY["optim.lr"].applies(RunConfig())
    assert not BY_KEY["train.patience"].applies(RunConfig())  # early stopping is off by default
    assert "cache" in source_options("image_folder") and "cache" not in source_options("csv")
    assert "target" in source_options("csv") and "image_size" not in source_options("csv")
    assert set(BY_KEY["data.source"].choices) == set(DATA_SOURCES)


def test_task_tables_stay_inside_the_choices() -> None:
    for monitors in MONITORS_BY_TASK.values():
        assert set(monitors) <= set(MONITORS)
    assert set(BY_KEY["loss.name"].choices) == set(LOSSES)


def test_the_readme_table_of_keys_is_the_schema_s() -> None:
    from pathlib import Path

    from backend.core.schema_table import README_END, README_START, keys_markdown

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split(README_START, 1)[1].split(README_END, 1)[0]
    assert table.strip() == keys_markdown().strip(), "regenerate it: torchdesk-cli keys"


def test_cli_keys_prints_every_key(capsys: pytest.CaptureFixture[str]) -> None:
    from backend.cli.main import main

    assert main(["keys"]) == 0
    out = capsys.readouterr().out
    assert all(f"| `{option.key}` |" in out for option in OPTIONS)


def test_dataset_names_are_declared_once_per_source() -> None:
    from backend.core.config import validate
    from backend.core.schema import DATASET_NAMES
    from backend.data.builtin import BUILTIN_DATASETS
    from backend.data.torchvision_sets import TORCHVISION_SETS

    # The registries describe exactly the names the schema declares, in the same order.
    assert DATASET_NAMES == {"builtin": tuple(BUILTIN_DATASETS), "torchvision": tuple(TORCHVISION_SETS)}
    name = BY_KEY["data.name"]
    assert name.type == "choice" and name.choices_with({"data.source": "torchvision"})[0] == "MNIST"
    assert name.choices_with({"data.source": "csv"}) == ()  # a path source has no names
    config = RunConfig()
    config.data.name = "MNIST"  # a torchvision name for the builtin source
    with pytest.raises(ConfigError, match="data.name must be one of digits, iris") as info:
        validate(config)
    assert info.value.field == "data.name"
    config.data.source, config.data.root = "csv", "table.csv"  # ignored for a CSV file
    validate(config)


def test_limits_a_form_needs_are_the_schema_s() -> None:
    from backend.core.schema import EPOCHS_MAX, IS_SET

    assert BY_KEY["seed"].max == 2**32 - 1  # wider than a 32-bit QSpinBox: the GUI uses a wide spin box
    assert BY_KEY["train.epochs"].max == EPOCHS_MAX and not BY_KEY["train.epochs"].in_range(EPOCHS_MAX + 1)
    from backend.core.config import validate

    config = RunConfig()
    config.train.epochs = EPOCHS_MAX + 1
    with pytest.raises(ConfigError) as info:
        validate(config)
    assert info.value.field == "train.epochs"
    freeze = BY_KEY["model.freeze_backbone"]
    assert freeze.when == {"model.weights": IS_SET}
    assert not freeze.applies(RunConfig())  # no pretrained weights: nothing to freeze
    assert applies_with({"model.weights": "resnet18.pth"}, freeze)
    assert BY_KEY["data.image_size"].zero_means == "auto"
