"""The events of a training run, one TypedDict per kind: the fields each one carries.

The trainer (backend/engine/trainer.py) emits them as plain dicts; metrics.jsonl stores them one
per line; the CLI, the GUI and the runs list read them. ``EVENTS`` lists every kind, and
``events_markdown()`` is the README's "Events" section (tests/backend/test_events.py keeps the
two, and the trainer's events, in step). Torch-free.

Every event also has ``elapsed_s`` (seconds since the run started), added when it is emitted.
A ``message`` is English text (in process: a Message, see backend/core/message_text.py).
"""

from __future__ import annotations

from typing import Any, TypedDict


class _Event(TypedDict):
    event: str
    elapsed_s: float


class StartEvent(_Event):
    """The run starts (or resumes): what it trains, on what, for how long."""

    name: str
    started: str
    run_dir: str | None
    resumed_from: str | None
    epochs: int
    start_epoch: int
    steps_per_epoch: int
    total_steps: int
    task: str
    class_names: list[str] | None
    input_shape: list[int]
    device: str
    precision: str
    world_size: int
    monitor: str
    mode: str
    train_samples: int
    val_samples: int
    history_lines: int  # the metrics.jsonl lines of the run before this start (a resume's history), else 0


class NoteEvent(_Event):
    """Something worth knowing: a stale lock taken over, a run moved aside, a note about the data."""

    message: str


class WarningEvent(_Event):
    """Something that may go wrong: an unusual value, weights only partly loaded, no TensorBoard graph."""

    message: str


class _StepRequired(_Event):
    epoch: int
    step: int
    loss: float
    lr: float
    grad_norm: float
    samples_per_s: float


class StepEvent(_StepRequired, total=False):
    """One optimizer step: its loss (averaged over the step's samples and ranks) and learning rate."""

    mem_mb: float  # CUDA only


class _EpochRequired(_Event):
    epoch: int
    step: int
    train_loss: float
    val_loss: float
    lr: float
    samples_per_s: float
    epoch_time_s: float
    eta_s: float


class EpochEvent(_EpochRequired, total=False):
    """One epoch ended and was validated. Classification adds accuracies and the confusion matrix,
    regression the errors in the target's units."""

    train_acc: float
    val_acc: float
    per_class_acc: list[float]
    confusion: list[list[int]]
    misclassified: list[dict[str, float]]  # index, true, pred (ints) and confidence, the first mistakes
    cell_samples: list[dict[str, float]]  # the same, up to 8 per confusion cell (issue 12: cell click)
    val_top5: float  # more than 5 classes
    val_mae: float
    val_mse: float
    peak_mem_mb: float  # CUDA only
    peak_ram_mb: float


class PausedEvent(_Event):
    """The user paused the run (it waits before the next batch)."""

    epoch: int
    step: int


class ResumedEvent(_Event):
    """The paused run goes on; `paused_s` is left out of the epoch times and the ETA."""

    epoch: int
    step: int
    paused_s: float


class CheckpointEvent(_Event):
    """`checkpoints/<kind>.ckpt` was written (`kind`: last or best)."""

    kind: str
    path: str
    epoch: int
    step: int


class EarlyStopEvent(_Event):
    """The monitored metric did not improve for `patience` epochs: the run stops."""

    epoch: int
    monitor: str
    best_metric: float | None
    patience: int
    message: str


class DivergedEvent(_Event):
    """The loss became NaN/Inf or exploded: the run stops, nothing more is saved (`nan` in older runs)."""

    message: str
    epoch: int
    step: int
    last_checkpoint: str | None


class _EndRequired(_Event):
    status: str
    run_dir: str | None
    monitor: str
    best_metric: float | None
    epochs_done: int
    global_step: int
    last_checkpoint: str | None


class EndEvent(_EndRequired, total=False):
    """The run ended: `status` completed, stopped, early_stopped or diverged. `final` holds the last
    epoch's metrics, `best` the best value of each over the whole run (a resumed run's earlier epochs
    included; `epoch_metrics` in backend/store/runs.py)."""

    final: dict[str, float]
    best: dict[str, float]

    weights: str  # model.safetensors, unless the run diverged


class ErrorEvent(_Event):
    """The run failed: the error's message."""

    message: str
    last_checkpoint: str | None


EVENTS: dict[str, type] = {
    "start": StartEvent,
    "note": NoteEvent,
    "warning": WarningEvent,
    "step": StepEvent,
    "epoch": EpochEvent,
    "paused": PausedEvent,
    "resumed": ResumedEvent,
    "checkpoint": CheckpointEvent,
    "early_stop": EarlyStopEvent,
    "diverged": DivergedEvent,
    "end": EndEvent,
    "error": ErrorEvent,
}
COMMON_FIELDS = frozenset(_Event.__annotations__)


def event_fields(kind: str) -> tuple[frozenset[str], frozenset[str]]:
    """The required and the optional fields of an event kind, ``event`` and ``elapsed_s`` left out."""
    cls: Any = EVENTS[kind]
    return cls.__required_keys__ - COMMON_FIELDS, cls.__optional_keys__


def events_markdown() -> str:
    """The README's table of events: every kind, when it comes, its fields (optional ones in brackets)."""
    lines = ["| event | when | fields |", "|---|---|---|"]
    for kind, cls in EVENTS.items():
        required, optional = event_fields(kind)
        ordered = [name for name in cls.__annotations__ if name not in COMMON_FIELDS]
        names = [f"`{n}`" if n in required else f"[`{n}`]" for n in ordered if n in required | optional]
        when = " ".join((cls.__doc__ or "").split())
        lines.append(f"| `{kind}` | {when} | {', '.join(names)} |")
    return "\n".join(lines)
