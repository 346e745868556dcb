"""The torchrun launcher's logic without starting processes (the runs are in test_launch_runs.py), and the
device honesty decisions: precisions' cost, GPUs this PyTorch cannot use, CUDA out of memory."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
import torch

from backend.cli.main import main
from backend.cli.multiprocess import hidden_entry
from backend.core import messages
from backend.core.config import RunConfig
from backend.core.errors import ConfigError, DataError, DeviceError, TorchDeskError
from backend.engine import device as dev
from backend.engine import launch as ln


def test_plan_checks_name_the_option() -> None:
    ln.LaunchPlan(nproc=2).validate()
    ln.LaunchPlan(nproc=1, nnodes=2, node_rank=1, rdzv_endpoint="10.0.0.1:29500").validate()
    ln.LaunchPlan(nproc=1, nnodes=2, rdzv_endpoint="[fe80::1]:29500").validate()
    for plan, flag in [
        (ln.LaunchPlan(nproc=0), "--nproc"),
        (ln.LaunchPlan(nproc=1, nnodes=0), "--nnodes"),
        (ln.LaunchPlan(nproc=1, nnodes=2, node_rank=2, rdzv_endpoint="h:1"), "--node-rank"),
        (ln.LaunchPlan(nproc=1, nnodes=2), "--rdzv-endpoint"),
        (ln.LaunchPlan(nproc=1, nnodes=2, rdzv_endpoint="host"), "--rdzv-endpoint"),
        (ln.LaunchPlan(nproc=1, nnodes=2, rdzv_endpoint="host:70000"), "--rdzv-endpoint"),
        (ln.LaunchPlan(nproc=3, gpus=(0, 1)), "GPUs"),
    ]:
        with pytest.raises(ConfigError, match=flag):
            plan.validate()
    with pytest.raises(ConfigError, match="use 2 processes or fewer") as info:
        ln.LaunchPlan(nproc=4).check_gpus("cuda", 2)
    assert info.value.field == "train.device"
    ln.LaunchPlan(nproc=4).check_gpus("cpu", 2)  # gloo on the CPU: any number
    ln.LaunchPlan(nproc=4).check_gpus("auto", 0)  # no GPU: auto trains on the CPU


def test_torchrun_command_from_source_and_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["train", "c.toml"]
    one = ln.launcher_command(ln.LaunchPlan(nproc=2), args)
    assert one[:3] == [sys.executable, "-m", "torch.distributed.run"]
    assert "--standalone" in one and "--nproc-per-node=2" in one and one[-4:] == ["-m", "backend.cli", *args]
    nodes = ln.torchrun_args(ln.LaunchPlan(nproc=2, nnodes=2, node_rank=1, rdzv_endpoint="h:29500"))
    assert "--standalone" not in nodes
    assert {"--nnodes=2", "--node-rank=1", "--rdzv-backend=static", "--rdzv-endpoint=h:29500"} <= set(nodes)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    frozen = ln.launcher_command(ln.LaunchPlan(nproc=2), args)
    # The bundle has no interpreter: its executable is torchrun, and each rank is it again as the CLI.
    assert frozen[:2] == [sys.executable, ln.FROZEN_TORCHRUN]
    assert frozen[-5:] == ["--no-python", sys.executable, ln.FROZEN_CLI, *args]


def test_hidden_entry_modes(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    assert hidden_entry(["TorchDesk"]) is None
    assert hidden_entry(["TorchDesk", "--self-test"]) is None
    assert hidden_entry(["TorchDesk", ln.FROZEN_CLI, "keys"]) == 0
    assert "train.device" in capsys.readouterr().out
    seen = []
    monkeypatch.setattr(ln, "run_torchrun", lambda argv: seen.append(argv) or 0)
    assert hidden_entry(["TorchDesk", ln.FROZEN_TORCHRUN, "--standalone"]) == 0
    assert seen == [["--standalone"]]


def test_control_file_pause_stop_stale_and_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ln, "POLL_S", 0.0)
    launch_dir = tmp_path
    control_file = launch_dir / ln.CONTROL
    control_file.write_text(ln.RUN)
    control = ln.LaunchControl(launch_dir)
    assert not control.paused and not control.stop_requested
    control_file.write_text(ln.PAUSE)
    assert control.paused and not control.stop_requested
    control_file.write_text(ln.RUN)
    assert not control.paused
    old = time.time() - ln.STALE_S - 5
    os.utime(control_file, (old, old))  # the launcher stopped beating: it is gone
    assert control.stop_requested and not control.paused
    other = ln.LaunchControl(launch_dir)
    control_file.unlink()
    assert other.stop_requested


def test_launch_folder_events_exits_and_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    launch = ln.Launch(ln.LaunchPlan(nproc=2))
    try:
        assert (launch.folder / ln.CONTROL).read_text() == ln.RUN
        launch.pause()
        assert (launch.folder / ln.CONTROL).read_text() == ln.PAUSE
        launch.stop()
        assert launch.stop_sent and (launch.folder / ln.CONTROL).read_text() == ln.STOP
        chosen = ln.Launch(ln.LaunchPlan(nproc=2, gpus=(1, 3)))
        env = chosen.env({})
        chosen.close()
        assert env["CUDA_VISIBLE_DEVICES"] == "1,3" and env[ln.ENV_LAUNCH_DIR] == str(chosen.folder)

        monkeypatch.setenv(ln.ENV_LAUNCH_DIR, str(launch.folder))
        monkeypatch.setenv("RANK", "0")
        printed = []
        sink = ln.rank_event_sink(printed.append)
        sink({"event": "start", "message": messages.OOM_HINT_NO_CHECKPOINT, "loss": float("nan")})
        with (launch.folder / ln.EVENTS).open("a") as fh:
            fh.write('{"event": "step", "st')  # a line still being written is left for the next read
        events = launch.new_events()
        assert [e["event"] for e in events] == ["start"] and len(printed) == 1
        with (launch.folder / ln.EVENTS).open("a") as fh:
            fh.write('ep": 1}\n')
        assert launch.new_events() == [{"event": "step", "step": 1}]

        assert launch.failure(0) == (0, None)
        code, error = launch.failure(1)  # nothing reported: a crash, with the log named
        assert code == 1 and isinstance(error, ln.RankError) and "launcher.log" in str(error)
        ln.report_exit(1, "diverged")
        assert launch.failure(1) == (1, None)
        monkeypatch.setenv("RANK", "1")
        monkeypatch.setenv("WORLD_SIZE", "2")
        ln.report_exit(2, "input", DataError("bad data", field="data.root"))
        code, error = launch.failure(1)
        assert code == 2 and isinstance(error, DataError)
        assert (error.field, error.rank, error.world, str(error)) == ("data.root", 1, 2, "bad data")
    finally:
        launch.close()
    assert not launch.folder.exists()


def test_cli_refuses_bad_launch_options_before_starting(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[train]\ndevice = 'cpu'\n")
    assert main(["train", str(config), "--nproc", "2", "--nnodes", "2"]) == 2
    assert "--rdzv-endpoint HOST:PORT" in capsys.readouterr().err
    assert main(["train", str(config), "--nproc", "2", "--gpus", "a"]) == 2
    assert "--gpus" in capsys.readouterr().err


# ----------------------------------------------------------------------------- honest devices
def test_precision_cost_follows_native_support() -> None:
    cpu = torch.device("cpu")
    assert dev.native_precisions(cpu, flags={"avx2"}) == {"bf16-mixed": False, "fp16-mixed": False}
    assert dev.native_precisions(cpu, flags={"amx_bf16", "avx512_fp16"}) == {"bf16-mixed": True, "fp16-mixed": True}
    assert dev.auto_precision(cpu) == "fp32"  # never an emulated, slower precision
    notes = dev.precision_notes(cpu)
    native = dev.native_precisions(cpu)
    for name in ("bf16-mixed", "fp16-mixed"):
        wanted = messages.PRECISION_NATIVE_CPU if native[name] else messages.PRECISION_EMULATED
        assert notes[name].template == wanted
    inventory = dev.device_inventory()
    assert inventory[0]["precision_notes"] == notes and inventory[0]["precision_native"] == native


def test_gpu_problem_decisions() -> None:
    archs = ["sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120"]
    assert dev.arch_supported((8, 9), archs)  # sm_86 kernels run on sm_89
    assert not dev.arch_supported((6, 1), archs)  # a Pascal GPU: no kernels
    assert dev.arch_supported((6, 1), ["sm_50", "compute_50"])  # PTX is compiled for later GPUs
    assert not dev.arch_supported((9, 1), ["sm_90a"])  # sm_90a runs on sm_90 only
    common = {"capability": (8, 6), "arch_list": archs, "driver": "535.1", "torch_version": "2.14.1"}
    assert dev.gpu_problem(cuda_build="13.0", cuda_available=True, **common) is None
    cpu_only = dev.gpu_problem(cuda_build=None, cuda_available=False, **common)
    assert cpu_only.template == messages.GPU_CPU_BUILD and "download.pytorch.org" in cpu_only
    driver = dev.gpu_problem(cuda_build="13.0", cuda_available=False, **common)
    assert driver.template == messages.GPU_DRIVER and "535.1" in driver and "update the NVIDIA driver" in driver
    old = dev.gpu_problem(cuda_build="13.0", cuda_available=True, **{**common, "capability": (6, 1)})
    assert old.template == messages.GPU_ARCH and "sm_61" in old


def test_unusable_gpu_is_listed_with_its_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    gpu = {"index": 0, "name": "NVIDIA GeForce GTX 1080", "memory_gib": 8.0, "capability": (6, 1), "driver": "470"}
    monkeypatch.setattr(dev, "nvidia_smi_gpus", lambda: [gpu])
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    entry = dev.device_inventory()[-1]
    assert entry["device"] == "cuda:0" and entry["name"] == gpu["name"] and entry["precisions"] == []
    assert entry["problem"].template in (messages.GPU_CPU_BUILD, messages.GPU_DRIVER)


def test_out_of_memory_is_a_clear_device_error(tmp_path: Path) -> None:
    config = RunConfig()
    config.data.batch_size = 256
    error = dev.out_of_memory_error(torch.device("cpu"), config, tmp_path / "last.ckpt")
    assert isinstance(error, DeviceError) and error.field == "data.batch_size"
    text = str(error)
    for part in ("batch_size = 256", "128", "train.grad_accum = 2", "bf16-mixed", "last.ckpt", "memory in use"):
        assert part in text
    assert isinstance(error, TorchDeskError)


def test_hidden_resume_flag_is_not_in_help(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    out = capsys.readouterr().out
    assert "--nproc" in out and "--rdzv-endpoint" in out and "--resume-from" not in out
