"""Optional TensorBoard output: scalars, weight/gradient histograms per epoch and the model graph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn

from backend.core import messages
from backend.core.errors import ConfigError, first_line
from backend.store.runs import flat_params

STEP_SCALARS = ("loss", "lr", "grad_norm", "samples_per_s")
EPOCH_SCALARS = ("train_loss", "val_loss", "train_acc", "val_acc", "val_top5", "val_mse", "val_mae", "lr")


class TensorBoardLogger:
    def __init__(self, run_dir: Path) -> None:
        try:
            from torch.utils.tensorboard import SummaryWriter
        except ImportError:
            raise ConfigError(messages.ERR_NO_TENSORBOARD) from None
        self.writer = SummaryWriter(log_dir=str(run_dir / "tensorboard"))

    def graph(self, model: nn.Module, sample: torch.Tensor) -> str | None:
        """Trace the model graph; returns a warning message if the model cannot be traced."""
        try:
            self.writer.add_graph(model, sample)
        except Exception as exc:  # noqa: BLE001 - a graph is a nicety, never a reason to stop training
            return messages.TENSORBOARD_GRAPH.format(error=first_line(exc))
        return None

    def event(self, event: dict[str, Any]) -> None:
        if event["event"] == "step":
            keys, tag, step = STEP_SCALARS, "step", event["step"]
        elif event["event"] == "epoch":
            keys, tag, step = EPOCH_SCALARS, "epoch", event["epoch"]
        else:
            return
        for key in keys:
            value = event.get(key)
            if isinstance(value, (int, float)):
                self.writer.add_scalar(f"{tag}/{key}", value, step)

    def gradient_histograms(self, model: nn.Module, epoch: int) -> None:
        for name, param in model.named_parameters():
            if param.grad is not None:
                self.writer.add_histogram(f"grad/{name}", param.grad.detach().float().cpu(), epoch)

    def weight_histograms(self, model: nn.Module, epoch: int) -> None:
        for name, param in model.named_parameters():
            self.writer.add_histogram(f"weight/{name}", param.detach().float().cpu(), epoch)

    def hparams(self, config: dict[str, Any], final: dict[str, float]) -> None:
        """TensorBoard's HParams summary: the run's options (flat ``section.key``) and its final metrics.

        Written into the run's own log folder (run_name "."), so the HParams table and the scalars
        are one run in TensorBoard, not two.
        """
        # The summary takes numbers, text and booleans: a list or None is shown as text.
        scalars = (bool, int, float, str)
        flat = {k: v if isinstance(v, scalars) else str(v) for k, v in flat_params(config).items()}
        metrics = {f"hparams/{key}": value for key, value in final.items()}
        self.writer.add_hparams(flat, metrics, run_name=".")

    def close(self) -> None:
        self.writer.close()
