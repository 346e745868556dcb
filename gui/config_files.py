"""File > New, Open config…, Save config as… for the main window (a mixin over its panels)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog

from gui import settings
from gui.tasks import Task, TaskState

if TYPE_CHECKING:
    from backend.core.config import RunConfig


def default_config() -> RunConfig:
    """Built-in digits + MLP, saved under the user's runs folder: Start trains at once."""
    from backend.core.config import RunConfig

    config = RunConfig()
    config.name = suggested_run_name(config)
    config.train.runs_dir = settings.runs_dir()
    return config


def suggested_run_name(config: RunConfig) -> str:
    """``<dataset>-<model>`` (digits-mlp, pets-resnet18): the run name until the user types one."""
    d, arch = config.data, config.model.arch
    data = d.name if d.source in ("builtin", "torchvision") else Path(d.root).stem if d.root else d.source
    model = arch.rsplit(":", 1)[-1]  # tv:resnet18 -> resnet18, file:net.py:MyNet -> MyNet
    name = re.sub(r"[^A-Za-z0-9_.]+", "-", f"{data}-{model}").strip("-.").lower()
    return name or "run"


def with_absolute_runs_dir(config: RunConfig) -> RunConfig:
    """An empty runs folder is the user's default; a relative one lives beside the default."""
    if not config.train.runs_dir:
        config.train.runs_dir = settings.runs_dir()
    runs_dir = Path(config.train.runs_dir).expanduser()
    if not runs_dir.is_absolute():
        config.train.runs_dir = str(Path(settings.default_runs_dir()).parent / runs_dir)
    return config


def epochs_trained(_state: TaskState, run_dir: Path) -> int:
    """The epochs a run's metrics.jsonl records (a Task: the file of a long run can be large)."""
    from backend.store.runs import run_summary

    return run_summary(run_dir)["epochs_done"]


class ConfigFileActions:
    """Needs ``apply_config``, ``collect_config``, ``error_dialog``, ``log``, ``actions``,
    ``controller`` and ``start_run`` on self."""

    _config_path = ""
    resume_check: Task | None = None  # reads a run's history before a resume; made on first use
    _resuming: tuple[RunConfig, Path] | None = None  # (the run's config, the checkpoint) while it reads

    def new_config(self) -> None:
        self._config_path = ""
        self.apply_config(default_config())
        self.statusBar().showMessage(self.tr("New configuration: built-in digits with an MLP."), 5000)

    def _config_folder(self) -> str:
        return settings.value(settings.PATHS_CONFIG_DIR, str(Path.home()), str)

    def _remember(self, path: str) -> None:
        self._config_path = path
        settings.set_value(settings.PATHS_CONFIG_DIR, str(Path(path).parent))
        settings.add_recent_config(str(Path(path).resolve()))
        self.menu_actions["refresh_recent"]()

    def open_config(self, path: str = "") -> bool:
        from backend.core.config import load_config
        from backend.core.errors import TorchDeskError

        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Open config"), self._config_folder(), self.tr("TorchDesk configs (*.toml)")
            )
        if not path:
            return False
        try:
            config = load_config(path)
        except TorchDeskError as exc:
            self.error_dialog.show_failure(self.tr("Cannot open the config"), str(exc))
            return False
        # A relative runs folder means "next to the config", as it does for the command line there.
        if not Path(config.train.runs_dir).expanduser().is_absolute():
            config.train.runs_dir = str((Path(path).parent / config.train.runs_dir).resolve())
        self.apply_config(config)
        self._remember(path)
        self.log.add_line(self.tr("Opened config {path}").format(path=path))
        return True

    def save_config_as(self, path: str = "") -> bool:
        from backend.core.config import save_config, validate
        from backend.core.errors import TorchDeskError

        config = self.collect_config()
        try:
            validate(config)
        except TorchDeskError as exc:
            self.error_dialog.show_failure(self.tr("The configuration needs a fix"), str(exc))
            return False
        if not path:
            start = self._config_path or str(Path(self._config_folder()) / f"{config.name}.toml")
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save config as"), start, self.tr("TorchDesk configs (*.toml)")
            )
        if not path:
            return False
        if not path.endswith(".toml"):
            path += ".toml"
        try:
            save_config(config, path)
        except TorchDeskError as exc:  # a read-only or full disk, a folder of that name: names the path
            self.error_dialog.show_failure(self.tr("Cannot save the config"), str(exc))
            return False
        self._remember(path)
        self.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 5000)
        return True

    def _train_further(self, saved: RunConfig, done: int) -> bool:
        """A run whose last checkpoint has trained all the epochs asked for (``done``) would end at
        once: say so and ask up to which epoch to train it further (sets ``saved.train.epochs``).
        False: not resumed."""
        from backend.core.schema import EPOCHS_MAX

        dialog = QInputDialog(self)
        dialog.setObjectName("trainFurtherDialog")
        dialog.setWindowTitle(self.tr("Train further?"))
        dialog.setLabelText(
            self.tr("{name} has already trained all its {n} epochs.\nTrain it further, up to epoch:").format(
                name=saved.name, n=done
            )
        )
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setIntRange(done + 1, EPOCHS_MAX)
        dialog.setIntValue(min(2 * done, EPOCHS_MAX))
        dialog.setOkButtonText(self.tr("Train further"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            self.log.add_line(self.tr("Not resumed: {name} has already trained all its epochs").format(name=saved.name))
            return False
        saved.train.epochs = dialog.intValue()
        return True

    def resume_from_checkpoint(self, path: str = "") -> bool:
        """Run > Resume from checkpoint…: continue a run up to the Epochs shown in the panel.

        The run's own config.toml (next to its checkpoints folder) is loaded into the panels,
        since the engine only resumes with the model and optimizer it was saved with. A custom
        model's Python file named there is code the run brings: the user confirms it first (path
        and SHA-256), before the panels build the model. True: the resume goes on; from a last
        checkpoint, once the run's history has been read off the GUI thread (a finished run first
        asks to train further).
        """
        from backend.core.config import load_config
        from backend.core.errors import TorchDeskError, UntrustedCodeError
        from backend.store.trust import check_model_trust, metadata_folder
        from gui.dialogs.trust_prompt import confirm_trust

        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Resume from checkpoint"), settings.runs_dir(), self.tr("TorchDesk checkpoints (*.ckpt)")
            )
        if not path:
            return False
        ckpt = Path(path)
        run_dir = metadata_folder(ckpt)
        if (run_dir / "config.toml").is_file():
            try:
                saved = load_config(run_dir / "config.toml")
                check_model_trust(saved.model, ckpt, trusted=False, for_run=True)
            except UntrustedCodeError as exc:
                if not confirm_trust(self, exc):
                    self.log.add_line(
                        self.tr("Not resumed: the run's model file was not trusted ({path})").format(path=exc.path)
                    )
                    return False
            except TorchDeskError as exc:
                self.error_dialog.show_failure(self.tr("Cannot resume"), str(exc))
                return False
            saved.train.epochs = max(saved.train.epochs, self.collect_config().train.epochs)
            if ckpt.name == "last.ckpt":
                # Whether the run has trained all its epochs is in its metrics.jsonl, read on a Task;
                # an earlier checkpoint (best.ckpt) has epochs left, and the engine checks the rest.
                self._resuming = (saved, ckpt)
                self._resume_task().start(epochs_trained, run_dir)
                return True
            self.apply_config(saved)
        return self._start_resume(ckpt)

    def _resume_task(self) -> Task:
        if self.resume_check is None:
            self.resume_check = Task(self, name="ResumeCheck")
            self.resume_check.sig_result.connect(self._on_epochs_trained)
            self.resume_check.sig_failed.connect(self._on_epochs_unknown)
        return self.resume_check

    def stop_resume_check(self) -> None:
        """Closing: cancel and wait for a history read."""
        if self.resume_check is not None:
            self.resume_check.shutdown()

    @Slot(object)
    def _on_epochs_trained(self, done: object) -> None:
        if self._resuming is None or self.controller.is_running():
            return  # a run started meanwhile: its settings stay
        (saved, ckpt), self._resuming = self._resuming, None
        if isinstance(done, int) and done >= saved.train.epochs and not self._train_further(saved, done):
            return
        self.apply_config(saved)
        self._start_resume(ckpt)

    @Slot(object, str)
    def _on_epochs_unknown(self, _message: object, _details: str) -> None:
        self._on_epochs_trained(None)  # unreadable: the engine refuses a finished run with its own message

    def _start_resume(self, ckpt: Path) -> bool:
        self.log.add_line(self.tr("Resuming from {path}").format(path=ckpt))
        return self.start_run(resume_from=str(ckpt))
