"""Several processes from the window: the run as torchrun child processes (gloo on the CPU), shown like a
local run; CUDA out of memory as a clear error that leaves the GUI running; the Device panel's choices."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from PySide6.QtCore import Slot

from backend.core.config import RunConfig
from backend.engine.launch import LaunchPlan
from backend.store import checkpoint as ckpt
from gui.catalog import Catalog
from gui.panels.device_panel import ALL_GPUS, CHOSEN_GPUS, CPU_PROCESSES, DevicePanel
from gui.widgets import combo_key, set_combo_key

pytestmark = pytest.mark.timeout(300, method="thread")


def _config(tmp_path: Path, epochs: int = 2) -> RunConfig:
    cfg = RunConfig(name="gui-ddp")
    cfg.train.device = "cpu"
    cfg.train.epochs = epochs
    cfg.train.runs_dir = str(tmp_path / "runs")
    return cfg


def test_out_of_memory_reaches_the_error_dialog_and_keeps_the_checkpoint(
    qtbot, tmp_path, monkeypatch, recorded_controller
):
    from backend.engine import trainer

    calls = []
    real_step = trainer.Trainer._optimizer_step

    def step_then_oom(self, is_last_of_epoch):  # noqa: ANN001, ANN202
        calls.append(1)
        if len(calls) == 3:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return real_step(self, is_last_of_epoch)

    monkeypatch.setattr(trainer.Trainer, "_optimizer_step", step_then_oom)
    cfg = _config(tmp_path, epochs=1)
    cfg.data.name, cfg.data.batch_size = "iris", 16  # tiny and quick
    cfg.train.checkpoint_every_steps = 1
    controller, recorder = recorded_controller()
    with qtbot.waitSignal(controller.sig_finished, timeout=60_000):
        controller.start(cfg)
    assert not controller.is_running()
    (failure,) = recorder.failures
    assert failure["kind"] == "input"  # a user-fixable problem: the dialog shows the fix, the app goes on
    assert "out of memory" in failure["message"] and "data.batch_size = 16" in failure["message"]
    last = Path(failure["last_checkpoint"])
    assert last.name == "last.ckpt" and str(last) in failure["message"]
    assert ckpt.load_checkpoint(last)["progress"]["global_step"] == 2  # the checkpoint before the OOM, intact


def _catalog(catalog: Catalog, devices: list[dict]) -> Catalog:
    from dataclasses import replace

    return replace(catalog, devices=devices)


def test_device_panel_offers_processes_gpu_sets_and_unusable_gpus(qtbot, catalog):
    cpu = {"device": "cpu", "name": "CPU", "precisions": ["fp32", "bf16-mixed"], "precision_native": {}}
    gpu = {"precisions": ["fp32", "bf16-mixed", "fp16-mixed"], "memory_gib": 80.0}
    panel = DevicePanel()
    qtbot.addWidget(panel)
    panel.set_catalog(_catalog(catalog, [cpu]))
    assert panel.device.findData(ALL_GPUS) < 0
    set_combo_key(panel.device, CPU_PROCESSES)
    assert panel.launch_plan() == LaunchPlan(nproc=2)
    cfg = RunConfig()
    panel.update_config(cfg)
    assert cfg.train.device == "cpu"
    assert "for testing" in panel.device.currentText() and "gloo" in panel.note.text()

    devices = [
        cpu,
        {**gpu, "device": "cuda:0", "name": "H200"},
        {**gpu, "device": "cuda:1", "name": "H200"},
        {**gpu, "device": "cuda:2", "name": "H200"},
        {"device": "cuda:3", "name": "GTX 1080", "precisions": [], "problem": "no kernels for sm_61; install ..."},
    ]
    panel.set_catalog(_catalog(catalog, devices))
    assert panel.device.findData(CPU_PROCESSES) < 0
    broken = panel.device.model().item(panel.device.findData("cuda:3"))
    assert not broken.isEnabled() and "sm_61" in broken.toolTip()
    assert "cuda:3 (GTX 1080) cannot be used" in panel.note.text()
    set_combo_key(panel.device, ALL_GPUS)
    assert panel.launch_plan() == LaunchPlan(nproc=3)
    set_combo_key(panel.device, CHOSEN_GPUS)
    assert not panel.gpu_set.isHidden() and len(panel._gpu_boxes) == 3
    panel._gpu_boxes["cuda:1"].setChecked(False)
    assert panel.launch_plan() == LaunchPlan(nproc=2, gpus=(0, 2))
    panel.update_config(cfg)
    assert cfg.train.device == "cuda"
    panel.apply_config(cfg)  # the config's device agrees: the chosen set stays
    assert combo_key(panel.device) == CHOSEN_GPUS
    panel._gpu_boxes["cuda:2"].setChecked(False)  # one GPU left: trained in the GUI's own process, on it
    assert panel.launch_plan() is None
    panel.update_config(cfg)
    assert cfg.train.device == "cuda:0"


@pytest.mark.slow
def test_two_process_run_from_the_gui_shows_curves_and_resumes(qtbot, tmp_path, recorded_controller):
    controller, recorder = recorded_controller()
    with qtbot.waitSignal(controller.sig_finished, timeout=240_000):
        controller.start(_config(tmp_path), launch=LaunchPlan(nproc=2))
    assert not recorder.failures, recorder.failures
    kinds = [e["event"] for e in recorder.events]
    start = next(e for e in recorder.events if e["event"] == "start")
    assert start["world_size"] == 2 and kinds.count("epoch") == 2 and kinds.count("step") > 10
    assert all("eta_s" in e and "val_loss" in e for e in recorder.events if e["event"] == "epoch")
    (summary,) = recorder.finished
    assert summary["status"] == "completed" and Path(summary["last_checkpoint"]).exists()
    # Resumed from the GUI with one more epoch: the ranks continue the run folder.
    recorder.events.clear()
    with qtbot.waitSignal(controller.sig_finished, timeout=240_000):
        controller.start(
            _config(tmp_path, epochs=3), resume_from=summary["last_checkpoint"], launch=LaunchPlan(nproc=2)
        )
    assert [e["epoch"] for e in recorder.events if e["event"] == "epoch"] == [3]


def _rank_pids(folder: Path) -> list[int]:
    """The processes started for the launch folder ``folder`` (Linux: their environment names it)."""
    pids = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"TORCHDESK_LAUNCH_DIR={folder}".encode() in environ.read_bytes():
                pids.append(int(environ.parent.name))
        except OSError:
            continue
    return pids


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="finds the processes through /proc")
def test_stop_mid_run_saves_a_checkpoint_and_leaves_no_process(qtbot, tmp_path, monkeypatch, recorded_controller):
    from backend.engine import launch

    folders: list[Path] = []
    real_start = launch.Launch.start

    def start(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        folders.append(self.folder)
        return real_start(self, *args, **kwargs)

    monkeypatch.setattr(launch.Launch, "start", start)
    controller, recorder = recorded_controller()
    cfg = _config(tmp_path, epochs=50)
    cfg.data.batch_size = 16
    pids: list[int] = []

    @Slot(list)
    def stop_after_steps(events: list) -> None:
        if sum(e["event"] == "step" for e in recorder.events) >= 5 and not pids:
            pids.extend(_rank_pids(folders[0]))
            controller.pause()
            controller.resume()
            controller.stop()

    controller.sig_events.connect(stop_after_steps)
    with qtbot.waitSignal(controller.sig_finished, timeout=240_000):
        controller.start(cfg, launch=LaunchPlan(nproc=2))
    (summary,) = recorder.finished
    assert summary["status"] == "stopped", recorder.failures
    state = ckpt.load_checkpoint(summary["last_checkpoint"])
    assert state["progress"]["epoch"] == 0 and state["progress"]["global_step"] >= 5
    assert len(pids) >= 3, "torchrun and its two ranks were seen running"
    assert not _rank_pids(folders[0]) and not folders[0].exists(), "no process and no launch folder is left"
