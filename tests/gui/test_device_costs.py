"""The Device panel's measured precision costs and its "Find largest batch" probe: both run on Tasks;
the probe's CUDA step is replaced by a fake out-of-memory above a threshold (its search is real)."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from backend.core.config import RunConfig
from backend.engine import batch_probe
from backend.engine import precision_cost as pc
from gui.panels import device_panel
from gui.panels.device_panel import DevicePanel
from gui.widgets import set_combo_key

CPU_ENTRY = {"device": "cpu", "name": "CPU", "precisions": ["fp32", "bf16-mixed", "fp16-mixed"], "precision_native": {}}
GPU_ENTRY = {
    "device": "cuda:0",
    "name": "H200",
    "memory_gib": 140.0,
    "precisions": ["fp32", "bf16-mixed", "fp16-mixed"],
    "precision_native": {"bf16-mixed": True, "fp16-mixed": True},
}
INSPECTION = {
    "data": {"train_samples": 5000, "val_samples": 1000, "task": "classification"},
    "model": {"input_shape": [3, 32, 32], "num_outputs": 10},
}


@pytest.fixture(autouse=True)
def short_delay(monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setattr(device_panel, "MEASURE_DELAY_MS", 10)


def fake_costs(ratios: dict[str, float]):  # noqa: ANN201
    def measure(workload, device, precisions=None, **kwargs):  # noqa: ANN001, ANN202
        return {name: pc.PrecisionCost(name, 0.01 * r, r) for name, r in ratios.items()}

    return measure


def panel_with(qtbot, catalog, devices: list[dict]) -> DevicePanel:  # noqa: ANN001
    panel = DevicePanel()
    qtbot.addWidget(panel)
    panel.set_catalog(replace(catalog, devices=devices))
    return panel


def measured(qtbot, panel: DevicePanel) -> None:  # noqa: ANN001
    config = RunConfig()
    panel.update_config(config)
    with qtbot.waitSignal(panel._cost_task.sig_finished, timeout=10_000):
        panel.set_workload(config, INSPECTION)


def item_text(panel: DevicePanel, key: str) -> str:
    return panel.precision.itemText(panel.precision.findData(key))


def test_precisions_read_their_measured_cost(qtbot, catalog, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(pc, "measure_precision_costs", fake_costs({"fp32": 1.0, "bf16-mixed": 9.8, "fp16-mixed": 1.0}))
    panel = panel_with(qtbot, catalog, [CPU_ENTRY])
    set_combo_key(panel.device, "cpu")
    measured(qtbot, panel)
    assert item_text(panel, "bf16-mixed") == "bf16-mixed: 9.8x slower than fp32 here (measured)"
    assert item_text(panel, "fp16-mixed") == "fp16-mixed: about as fast as fp32 here (measured)"
    assert item_text(panel, "auto") == "auto — fp32 here (measured)"
    set_combo_key(panel.precision, "bf16-mixed")
    assert "9.8x slower" in panel.note.text()
    assert panel.probe_row.isHidden() or not panel.form.isRowVisible(panel.probe_row)  # no CUDA: no probe


def test_auto_takes_no_precision_measured_slower(qtbot, catalog, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(pc, "measure_precision_costs", fake_costs({"fp32": 1.0, "bf16-mixed": 1.6, "fp16-mixed": 0.5}))
    panel = panel_with(qtbot, catalog, [CPU_ENTRY, GPU_ENTRY])
    set_combo_key(panel.device, "cuda:0")
    set_combo_key(panel.precision, "auto")
    config = RunConfig()
    panel.update_config(config)
    assert config.train.precision == "auto"  # not measured yet: auto as detected (bf16 here)
    measured(qtbot, panel)
    panel.update_config(config)
    assert config.train.precision == "fp16-mixed"  # bf16-mixed measured 1.6x slower: auto takes fp16
    panel.apply_config(config)  # the window's config coming back: auto stays the choice
    assert panel.precision.currentData() == "auto"
    assert item_text(panel, "fp16-mixed") == "fp16-mixed: 2.0x faster than fp32 here (measured)"


def probe_on_the_cpu(monkeypatch, threshold: int) -> None:  # noqa: ANN001
    """The real probe, run on the CPU with a step that runs out of memory above ``threshold`` samples."""
    real_probe = batch_probe.probe_batch

    def probe(workload, device, precision, limit, **kwargs):  # noqa: ANN001, ANN202
        assert device.type == "cuda" and limit == 5000

        def fake_step(batch: int) -> None:
            if batch > threshold:
                raise torch.OutOfMemoryError("CUDA out of memory (fake)")

        return real_probe(workload, torch.device("cpu"), precision, limit, step=fake_step, **kwargs)

    monkeypatch.setattr(pc, "measure_precision_costs", fake_costs({"fp32": 1.0}))
    monkeypatch.setattr(batch_probe, "probe_batch", probe)


def probed_gpu_panel(qtbot, catalog) -> DevicePanel:  # noqa: ANN001
    """cuda:0 in fp32, the workload known, the probe run once."""
    panel = panel_with(qtbot, catalog, [CPU_ENTRY, GPU_ENTRY])
    set_combo_key(panel.device, "cuda:0")
    set_combo_key(panel.precision, "fp32")
    assert panel.form.isRowVisible(panel.probe_row) and not panel.probe_button.isEnabled()  # no model yet
    measured(qtbot, panel)
    assert panel.probe_button.isEnabled()
    with qtbot.waitSignal(panel._probe_task.sig_finished, timeout=10_000):
        panel.probe_button.click()
    return panel


def test_find_largest_batch_offers_the_size_and_applies_it(qtbot, catalog, monkeypatch) -> None:  # noqa: ANN001
    probe_on_the_cpu(monkeypatch, 700)
    panel = probed_gpu_panel(qtbot, catalog)
    assert "largest batch that fits on cuda:0 with fp32" in panel.probe_status.text()
    assert panel.probe_use.isVisibleTo(panel) and panel.probe_button.isVisibleTo(panel)
    with qtbot.waitSignal(panel.sig_fix) as fix:
        panel.probe_use.click()
    key, value = fix.args[0]
    assert key == "data.batch_size" and 600 <= value <= 630  # 90% of the largest batch that fitted (~700)


def test_a_probe_that_fits_nothing_says_so_and_the_panel_goes_on(qtbot, catalog, monkeypatch) -> None:  # noqa: ANN001
    probe_on_the_cpu(monkeypatch, 0)
    panel = probed_gpu_panel(qtbot, catalog)
    assert "not even data.batch_size = 1 fits" in panel.probe_status.text()
    assert not panel.probe_use.isVisibleTo(panel) and panel.probe_button.isEnabled()
    panel.stop()  # as the window does when it closes
    assert not panel._cost_task.is_running() and not panel._probe_task.is_running()


def test_nothing_is_measured_or_probed_while_a_run_trains(qtbot, catalog, monkeypatch) -> None:  # noqa: ANN001
    calls: list[str] = []

    def measure(workload, device, precisions=None, **kwargs):  # noqa: ANN001, ANN202
        calls.append(device.type)
        return {"fp32": pc.PrecisionCost("fp32", 0.01, 1.0)}

    monkeypatch.setattr(pc, "measure_precision_costs", measure)
    panel = panel_with(qtbot, catalog, [CPU_ENTRY, GPU_ENTRY])
    set_combo_key(panel.device, "cuda:0")
    panel.set_run_active(True)
    config = RunConfig()
    panel.set_workload(config, INSPECTION)
    qtbot.wait(50)
    assert not calls and not panel.probe_button.isEnabled()
    with qtbot.waitSignal(panel._cost_task.sig_finished, timeout=10_000):
        panel.set_run_active(False)  # the run has ended: measured now
    assert calls == ["cuda"] and panel.probe_button.isEnabled()
