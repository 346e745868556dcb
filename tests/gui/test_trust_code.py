"""The app asks before it runs code a model file brings, shows the code's path and SHA-256, and keeps
running when the user declines (backend/store/trust.py, gui/dialogs/trust_prompt.py)."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

pytestmark = pytest.mark.timeout(90, method="thread")

NET = """
from torch import nn


class Net(nn.Module):
    def __init__(self, in_features, num_classes):
        super().__init__()
        self.fc = nn.Linear(in_features, num_classes)

    def forward(self, x):
        return self.fc(x.flatten(1))
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Questions:
    """QMessageBox.question, answered by the test; the texts asked are kept."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.texts: list[str] = []
        self.answer = QMessageBox.StandardButton.No
        monkeypatch.setattr(QMessageBox, "question", self)

    def __call__(self, _parent, _title, text, *_args, **_kwargs):  # noqa: ANN001, ANN002, ANN003, ANN204
        self.texts.append(text)
        return self.answer


@pytest.fixture
def questions(monkeypatch) -> Questions:
    return Questions(monkeypatch)


@pytest.fixture
def errors(monkeypatch) -> list[str]:
    """Failures shown in the error dialog, without opening it."""
    from gui.dialogs.error_dialog import ErrorDialog

    shown: list[str] = []
    monkeypatch.setattr(ErrorDialog, "open", lambda self: shown.append(self.message.text()))
    return shown


@pytest.fixture
def downloaded(tmp_path, monkeypatch) -> dict:
    """Weights whose metadata names ``file:payload.py:Net``, the payload next to them, and a current
    folder with a payload of its own; each payload leaves a marker when it is imported."""
    import torch
    from safetensors.torch import save_file

    folder, cwd = tmp_path / "download", tmp_path / "cwd"
    folder.mkdir()
    cwd.mkdir()
    markers = {"download": tmp_path / "RAN_DOWNLOAD", "cwd": tmp_path / "RAN_CWD"}
    for where, marker in ((folder, markers["download"]), (cwd, markers["cwd"])):
        (where / "payload.py").write_text(f"from pathlib import Path\nPath({str(marker)!r}).touch()\n{NET}")
    arch = "file:payload.py:Net"
    meta = {
        "task": "classification",
        "input_shape": [4],
        "num_outputs": 3,
        "class_names": ["setosa", "versicolor", "virginica"],
        "normalization": {"mean": [5.8, 3.0, 3.7, 1.2], "std": [0.8, 0.4, 1.7, 0.7]},
        "model": {"arch": arch},
    }
    weights = folder / "model.safetensors"
    state = {"fc.weight": torch.randn(3, 4), "fc.bias": torch.zeros(3)}
    save_file(state, str(weights), metadata={"torchdesk": json.dumps(meta)})
    rows = cwd / "rows.csv"
    rows.write_text("5.1,3.5,1.4,0.2\n")
    monkeypatch.chdir(cwd)
    return {"weights": weights, "payload": folder / "payload.py", "markers": markers, "rows": rows}


def _run(qtbot, dialog) -> None:
    with qtbot.waitSignal(dialog.task.sig_finished, timeout=30_000):
        assert dialog.start()
    qtbot.waitUntil(lambda: not dialog.task.is_running(), timeout=30_000)


def test_predict_asks_with_path_and_hash_and_declining_runs_nothing(qtbot, downloaded, questions, errors):
    from gui.dialogs.predict_dialog import PredictDialog

    dialog = PredictDialog(str(downloaded["weights"]))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.add_inputs([str(downloaded["rows"])])
    _run(qtbot, dialog)
    payload = downloaded["payload"].resolve()
    assert len(questions.texts) == 1
    assert str(payload) in questions.texts[0] and sha256(payload) in questions.texts[0]
    assert not any(m.exists() for m in downloaded["markers"].values())
    assert len(errors) == 1 and "--trusted" in errors[0] and sha256(payload) in errors[0]
    assert dialog.isVisible() and dialog.run_button.isEnabled()  # the app keeps working
    assert dialog.tree.topLevelItemCount() == 0

    questions.answer = QMessageBox.StandardButton.Yes
    _run(qtbot, dialog)
    assert len(questions.texts) == 2 and len(errors) == 1
    assert dialog.tree.topLevelItemCount() == 1
    assert downloaded["markers"]["download"].exists() and not downloaded["markers"]["cwd"].exists()


class _RunsCode:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_load_dialog_asks_before_unpickling_code(qtbot, tmp_path, questions, errors):
    from gui.dialogs.load_weights_dialog import LoadWeightsDialog

    marker = tmp_path / "PWNED"
    evil = tmp_path / "weights.pth"
    evil.write_bytes(pickle.dumps({"state_dict": {}, "x": _RunsCode(marker)}, protocol=2))
    dialog = LoadWeightsDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.file.set_path(str(evil))
    _run(qtbot, dialog)
    assert len(questions.texts) == 1 and str(evil) in questions.texts[0] and sha256(evil) in questions.texts[0]
    assert len(errors) == 1 and "contains Python code" in errors[0] and "refused" in errors[0]
    assert not marker.exists() and dialog.loaded is None and dialog.isVisible()


@pytest.fixture
def custom_run(tmp_path) -> Path:
    from backend.core.config import RunConfig, apply_overrides
    from backend.engine.trainer import fit

    (tmp_path / "net.py").write_text(NET)
    overrides = [
        "data.name='iris'",
        "data.batch_size=16",
        f"model.arch='file:{tmp_path / 'net.py'}:Net'",
        "train.epochs=1",
        "train.device='cpu'",
        "train.precision='fp32'",
    ]
    run = tmp_path / "custom-run"
    assert fit(apply_overrides(RunConfig(name="iris-custom"), overrides), run_dir=run)["status"] == "completed"
    return run


def test_resume_of_a_custom_model_run_asks_first(window, qtbot, custom_run, questions):
    checkpoint = custom_run / "checkpoints" / "last.ckpt"
    before = sha256(checkpoint)
    net = custom_run.parent / "net.py"
    assert not window.resume_from_checkpoint(str(checkpoint))  # declined: nothing starts
    assert len(questions.texts) == 1 and str(net) in questions.texts[0] and sha256(net) in questions.texts[0]
    assert window.controller.state == "idle" and window.collect_config().model.arch == "mlp"  # panels untouched
    assert sha256(checkpoint) == before and window.isVisible()

    questions.answer = QMessageBox.StandardButton.Yes
    window.train_panel.epochs.setValue(2)
    with qtbot.waitSignal(window.controller.sig_finished, timeout=60_000) as finished:
        assert window.resume_from_checkpoint(str(checkpoint))
    assert finished.args[0]["status"] == "completed" and finished.args[0]["run_dir"] == str(custom_run)
