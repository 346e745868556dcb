"""backend.core.paths (resources from source and frozen, the user's folders) and the frozen-app rules."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from backend.core import paths
from backend.core.errors import DeviceError
from backend.data.pipeline import BatchPipeline
from backend.engine import device

ROOT = Path(__file__).resolve().parents[2]


def test_not_frozen_from_source(monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert not paths.is_frozen()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert paths.is_frozen()


def test_resource_path_from_source(monkeypatch):
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert paths.resource_path() == ROOT / "resources"
    assert paths.resource_path("configs", "digits-mlp.toml").is_file()
    assert paths.resource_path("icons", "torchdesk.png").is_file()
    assert paths.resource_path("torchdesk.desktop").is_file()


def test_resource_path_in_a_bundle(monkeypatch, tmp_path):
    bundle = tmp_path / "TorchDesk" / "_internal"
    (bundle / "resources" / "icons").mkdir(parents=True)
    (bundle / "resources" / "icons" / "torchdesk.png").write_bytes(b"png")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert paths.bundle_root() == bundle
    assert paths.resource_path("icons", "torchdesk.png") == bundle / "resources" / "icons" / "torchdesk.png"
    assert paths.resource_path("icons", "torchdesk.png").read_bytes() == b"png"


def _linux(monkeypatch, home: Path) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("HOME", str(home))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(var, raising=False)


def test_user_dirs_default_to_home_on_linux(monkeypatch, tmp_path):
    _linux(monkeypatch, tmp_path)
    assert paths.user_config_dir() == tmp_path / ".config" / "torchdesk"
    assert paths.user_data_dir() == tmp_path / ".local" / "share" / "torchdesk"
    assert paths.user_log_dir() == tmp_path / ".local" / "state" / "torchdesk" / "logs"
    assert paths.default_runs_dir() == tmp_path / ".local" / "share" / "torchdesk" / "runs"


def test_user_dirs_follow_xdg_variables(monkeypatch, tmp_path):
    _linux(monkeypatch, tmp_path / "home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert paths.user_config_dir() == tmp_path / "cfg" / "torchdesk"
    assert paths.user_data_dir() == tmp_path / "data" / "torchdesk"
    assert paths.user_log_dir() == tmp_path / "state" / "torchdesk" / "logs"
    assert paths.default_runs_dir() == tmp_path / "data" / "torchdesk" / "runs"


def test_relative_xdg_values_are_ignored(monkeypatch, tmp_path):
    _linux(monkeypatch, tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", "relative/data")
    assert paths.user_data_dir() == tmp_path / ".local" / "share" / "torchdesk"


def test_user_dirs_on_windows_and_macos(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert paths.user_config_dir() == tmp_path / "Roaming" / "TorchDesk"
    assert paths.user_data_dir() == tmp_path / "Local" / "TorchDesk"
    assert paths.user_log_dir() == tmp_path / "Local" / "TorchDesk" / "Logs"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert paths.user_data_dir() == tmp_path / "Library" / "Application Support" / "TorchDesk"
    assert paths.user_log_dir() == tmp_path / "Library" / "Logs" / "TorchDesk"


def test_user_dirs_are_outside_the_bundle(monkeypatch, tmp_path):
    _linux(monkeypatch, tmp_path / "home")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "TorchDesk" / "_internal"), raising=False)
    for folder in (paths.user_config_dir(), paths.user_data_dir(), paths.user_log_dir(), paths.default_runs_dir()):
        assert tmp_path / "TorchDesk" not in folder.parents


def test_compile_is_refused_when_frozen(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    ok, reason = device.compile_support()
    assert not ok and "packaged app" in reason
    with pytest.raises(DeviceError, match="train.compile = true cannot be used here: torch.compile is not available"):
        device.check_compile_support(True)
    device.check_compile_support(False)  # not asked for: nothing to refuse


def test_compile_needs_a_compiler(monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    ok, reason = device.compile_support()
    assert not ok and "C++ compiler" in reason
    with pytest.raises(DeviceError, match="set train.compile = false"):
        device.check_compile_support()
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/gcc" if name == "gcc" else None)
    assert device.compile_support() == (True, "")
    device.check_compile_support()


@pytest.mark.parametrize(("frozen", "expected"), [(False, 2), (True, 0)])
def test_data_loader_workers_are_zero_when_frozen(monkeypatch, frozen, expected):
    if frozen:
        monkeypatch.setattr(sys, "frozen", True, raising=False)
    else:
        monkeypatch.delattr(sys, "frozen", raising=False)
    fake = SimpleNamespace(
        cfg=SimpleNamespace(num_workers=2, pin_memory=False, persistent_workers=True), device=torch.device("cpu")
    )
    dataset = torch.utils.data.TensorDataset(torch.arange(8.0))
    loader = BatchPipeline._loader(fake, dataset, [torch.arange(4), torch.arange(4, 8)])
    assert loader.num_workers == expected
    assert loader.persistent_workers == (expected > 0)
