"""Hyper-parameter sweeps on Optuna: a study whose trials are ordinary TorchDesk runs.

``parse_params`` turns ``KEY=SPEC`` texts into ``ParamSpec``s, checked against the option schema
(backend/core/schema.py). ``Sweep(...).run()`` opens (or continues) a study in a storage (a journal
file in the sweep folder by default, or any Optuna storage URL that several processes share),
samples with a seeded TPE sampler and prunes with the median pruner on the config's monitored
metric, reported at every epoch through the trainer's event callback. Each trial trains with
``fit`` into a new run folder under the sweep folder, named after the trial.

A process that dies leaves its trial RUNNING in the storage. Every sweep process holds the lock of
a folder of its own under ``<sweep>/.workers`` (``RunLock``: the operating system drops it when
the process ends, however it ends) and writes that folder's name into its trials; a sweep that
starts finds RUNNING trials whose worker lock is free, marks them failed and queues their
parameters again. A trial stopped by the user is queued again the same way.
"""

from __future__ import annotations

import contextlib
import math
import os
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import optuna
from optuna.trial import FrozenTrial, TrialState

from backend.core import messages
from backend.core.config import RunConfig, apply_overrides
from backend.core.errors import ConfigError, StorageError
from backend.core.experiments import DEFAULT_STUDY, PRUNE_AFTER, RANGE_KINDS
from backend.core.os_errors import make_folder
from backend.core.schema import BY_KEY, Option, check_option, value_of
from backend.engine.control import TrainControl
from backend.engine.trainer import EventCallback, fit
from backend.store.run_lock import RunLock
from backend.store.runs import is_diverged

JOURNAL_FILE = "study.journal"
WORKERS_DIR = ".workers"
FINISHED = (TrialState.COMPLETE, TrialState.PRUNED)


@dataclass(frozen=True)
class ParamSpec:
    """One swept key: a range (``log``/``float``/``int``, ``low``..``high``) or ``choices`` (texts
    as typed, each read like a ``--set`` value)."""

    key: str
    kind: str  # log | float | int | choice
    low: float = 0.0
    high: float = 0.0
    choices: tuple[str, ...] = ()
    integer: bool = False  # the option holds integers (an int range, or a log range of integers)

    def suggest(self, trial: optuna.Trial) -> Any:
        if self.kind == "choice":
            return trial.suggest_categorical(self.key, list(self.choices))
        if self.integer:
            return trial.suggest_int(self.key, int(self.low), int(self.high), log=self.kind == "log")
        return trial.suggest_float(self.key, self.low, self.high, log=self.kind == "log")

    def text(self) -> str:
        """As typed on the command line: ``optim.lr=log:0.0001:0.1``."""
        if self.kind == "choice":
            return f"{self.key}={','.join(self.choices)}"
        bounds = (int(self.low), int(self.high)) if self.integer else (self.low, self.high)
        return f"{self.key}={self.kind}:{bounds[0]:g}:{bounds[1]:g}"


def _number(item: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ConfigError(messages.ERR_SWEEP_PARAM_NUMBER.format(item=item, value=text))
    return value


def _check_bound(item: str, option: Option, value: float) -> None:
    try:
        check_option(option, value)
    except ConfigError as exc:
        raise ConfigError(
            messages.ERR_SWEEP_PARAM_VALUE.format(item=item, error=exc.message), field=option.key
        ) from None


def _range_spec(item: str, option: Option, kind: str, bounds: str) -> ParamSpec:
    low_text, sep, high_text = bounds.partition(":")
    if not sep:
        raise ConfigError(messages.ERR_SWEEP_PARAM_FORM.format(item=item), field=option.key)
    kinds = {"int": ("int", "log"), "float": ("float", "log")}.get(option.type)
    if kinds is None:
        allowed = "a comma list of values" + (f" ({', '.join(option.choices)})" if option.choices else "")
        raise ConfigError(
            messages.ERR_SWEEP_PARAM_KIND.format(item=item, key=option.key, kind=option.type, allowed=allowed),
            field=option.key,
        )
    if kind not in kinds:
        allowed = " or ".join(f"{k}:LOW:HIGH" for k in kinds)
        raise ConfigError(
            messages.ERR_SWEEP_PARAM_KIND.format(item=item, key=option.key, kind=option.type, allowed=allowed),
            field=option.key,
        )
    low, high = _number(item, low_text), _number(item, high_text)
    integer = option.type == "int"
    if integer and not (low.is_integer() and high.is_integer()):
        raise ConfigError(messages.ERR_SWEEP_PARAM_NUMBER.format(item=item, value=bounds), field=option.key)
    if low >= high:
        raise ConfigError(
            messages.ERR_SWEEP_PARAM_ORDER.format(item=item, low=low_text, high=high_text), field=option.key
        )
    if kind == "log" and low <= 0:
        raise ConfigError(messages.ERR_SWEEP_PARAM_LOG.format(item=item, low=low_text), field=option.key)
    for value in (low, high):
        _check_bound(item, option, int(value) if integer else value)
    return ParamSpec(option.key, kind, low, high, integer=integer)


def parse_param(item: str, base: RunConfig) -> ParamSpec:
    """``KEY=SPEC`` as a ParamSpec; ConfigError (naming the --param and the key) when it cannot be swept."""
    key, sep, spec = (part.strip() for part in item.partition("="))
    if not sep or not key or not spec:
        raise ConfigError(messages.ERR_SWEEP_PARAM_FORM.format(item=item))
    option = BY_KEY.get(key)
    if option is None:
        raise ConfigError(messages.ERR_SWEEP_PARAM_UNKNOWN.format(item=item, key=key))
    kind, _, bounds = spec.partition(":")
    if kind in RANGE_KINDS:
        return _range_spec(item, option, kind, bounds)
    choices = tuple(c.strip() for c in spec.split(","))
    if not all(choices):
        raise ConfigError(messages.ERR_SWEEP_PARAM_FORM.format(item=item), field=key)
    for choice in choices:  # each one read and checked exactly as a --set value is
        try:
            apply_overrides(base, [f"{key}={choice}"])
        except ConfigError as exc:
            raise ConfigError(messages.ERR_SWEEP_PARAM_VALUE.format(item=item, error=exc.message), field=key) from None
    return ParamSpec(key, "choice", choices=choices)


def parse_params(items: list[str], base: RunConfig) -> list[ParamSpec]:
    """Every ``--param``, checked: known keys, valid ranges, each key once, and each one has an effect."""
    if not items:
        raise ConfigError(messages.ERR_SWEEP_NO_PARAMS)
    specs = [parse_param(item, base) for item in items]
    keys = [s.key for s in specs]
    for key in keys:
        if keys.count(key) > 1:
            raise ConfigError(messages.ERR_SWEEP_PARAM_TWICE.format(key=key), field=key)
    for item, spec in zip(items, specs, strict=True):
        option = BY_KEY[spec.key]
        for dep, allowed in option.when.items():
            if dep not in keys and value_of(base, dep) not in allowed:
                needs = f"{dep} is " + " or ".join(str(a) for a in allowed)
                raise ConfigError(
                    messages.ERR_SWEEP_PARAM_NO_EFFECT.format(item=item, key=spec.key, needs=needs), field=spec.key
                )
    return specs


def _value_text(value: Any) -> str:
    """A sampled value as ``--set`` reads it: choices as typed, numbers in full precision."""
    return value if isinstance(value, str) else repr(value)


def trial_config(base: RunConfig, number: int, params: dict[str, Any], folder: Path) -> RunConfig:
    """The run config of trial ``number``: the base config with the sampled values, named after the
    trial, its run folder made under the sweep folder."""
    config = apply_overrides(base, [f"{key}={_value_text(value)}" for key, value in params.items()])
    config.name = f"{base.name}-trial{number:03d}"
    config.train.runs_dir = str(folder)
    return config


# ----------------------------------------------------------------------------- storage and study
def storage_text(url: str | None, folder: Path) -> str:
    """What the user reads for the storage: the URL, or the journal file."""
    return url if url and "://" in url else str(Path(url).expanduser() if url else folder / JOURNAL_FILE)


def open_storage(url: str | None, folder: Path) -> optuna.storages.BaseStorage:
    """A database URL (``sqlite:///...``, ``postgresql://...``: Optuna's RDB storage), else a journal
    file (default ``<folder>/study.journal``); several processes may share either."""
    from optuna.storages import JournalStorage, RDBStorage
    from optuna.storages.journal import JournalFileBackend, JournalFileOpenLock

    try:
        if url and "://" in url:
            return RDBStorage(url)
        path = storage_text(url, folder)
        make_folder(Path(path).parent)
        # The open lock (O_EXCL) works on every platform; the default symlink lock not on Windows.
        return JournalStorage(JournalFileBackend(path, lock_obj=JournalFileOpenLock(path)))
    except StorageError:
        raise
    except Exception as exc:  # noqa: BLE001 - a bad URL, a missing driver, a database that refuses
        raise StorageError(messages.ERR_SWEEP_STORAGE.format(storage=storage_text(url, folder), error=exc)) from exc


def open_study(
    base: RunConfig, storage: optuna.storages.BaseStorage, name: str, where: str, seed: int, prune_after: int
) -> optuna.Study:
    """Create the study, or load it when it exists (its direction must match the config's monitor)."""
    wanted = (
        optuna.study.StudyDirection.MAXIMIZE if base.monitor_mode() == "max" else optuna.study.StudyDirection.MINIMIZE
    )
    pruner = optuna.pruners.MedianPruner(n_startup_trials=prune_after)
    study = optuna.create_study(storage=storage, study_name=name, direction=wanted, pruner=pruner, load_if_exists=True)
    if study.direction != wanted:
        verbs = {
            optuna.study.StudyDirection.MAXIMIZE: messages.SWEEP_MAXIMISE.format(),
            optuna.study.StudyDirection.MINIMIZE: messages.SWEEP_MINIMISE.format(),
        }
        raise ConfigError(
            messages.ERR_SWEEP_DIRECTION.format(
                study=name,
                storage=where,
                has=verbs[study.direction],
                monitor=base.train.monitor,
                wants=verbs[wanted],
            ),
            field="train.monitor",
        )
    # Seeded for a repeatable sweep; offset by the trials already there, so that a continued sweep
    # does not draw its first trials' values again.
    study.sampler = optuna.samplers.TPESampler(seed=seed + len(study.get_trials(deepcopy=False)))
    return study


@contextlib.contextmanager
def worker_lock(folder: Path) -> Iterator[str]:
    """Hold ``<folder>/.workers/<host>-<pid>`` locked while this process sweeps; yields its name."""
    name = f"{socket.gethostname()}-{os.getpid()}"
    path = make_folder(folder / WORKERS_DIR / name)
    lock = RunLock.acquire(path)
    try:
        yield name
    finally:
        lock.release()
        with contextlib.suppress(OSError):
            path.rmdir()


def _retry(study: optuna.Study, trial: FrozenTrial | optuna.Trial) -> None:
    study.enqueue_trial(trial.params, user_attrs={"retry_of": trial.number})


def recover_stale_trials(study: optuna.Study, storage: optuna.storages.BaseStorage, folder: Path) -> list[int]:
    """Mark failed, and queue again, the RUNNING trials whose worker (a process of this sweep folder) has ended."""
    recovered = []
    study_id = storage.get_study_id_from_name(study.study_name)
    for trial in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        name = trial.user_attrs.get("worker")
        path = folder / WORKERS_DIR / str(name)
        if not name or not path.is_dir():
            continue  # not started by a worker of this folder (another machine's), or already recovered
        try:
            lock = RunLock.acquire(path)
        except StorageError:
            continue  # its process is alive
        try:
            trial_id = storage.get_trial_id_from_study_id_trial_number(study_id, trial.number)
            if storage.set_trial_state_values(trial_id, TrialState.FAIL):
                _retry(study, trial)
                recovered.append(trial.number)
        except RuntimeError:
            pass  # another process finished it first (UpdateFinishedTrialError)
        finally:
            lock.release()
            with contextlib.suppress(OSError):
                path.rmdir()
    return recovered


# ----------------------------------------------------------------------------- trials
@dataclass
class TrialRow:
    """One trial as the table shows it."""

    number: int
    state: str  # COMPLETE, PRUNED, FAIL, RUNNING, WAITING
    value: float | None
    params: dict[str, Any]
    run_dir: str
    epochs: int  # epochs reported to the study

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def trial_rows(study: optuna.Study) -> list[TrialRow]:
    return [
        TrialRow(
            t.number,
            t.state.name,
            t.value
            if t.state == TrialState.COMPLETE
            else (t.intermediate_values.get(t.last_step) if t.last_step else None),
            dict(t.params),
            str(t.user_attrs.get("run_dir", "")),
            int(t.last_step or 0),
        )
        for t in study.get_trials(deepcopy=False)
    ]


def param_importances(study: optuna.Study) -> dict[str, float]:
    """Optuna's parameter importances (fANOVA) once two trials have completed; {} before."""
    if len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))) < 2:
        return {}
    try:
        return dict(optuna.importance.get_param_importances(study))
    except (RuntimeError, ValueError):  # every completed trial has the same values: nothing to tell apart
        return {}


class _TrialControl(TrainControl):
    """One trial's control: stops on pruning (its own flag) or on the sweep's stop; pauses with the sweep."""

    def __init__(self, sweep: TrainControl) -> None:
        super().__init__()
        self.sweep = sweep

    @property
    def stop_requested(self) -> bool:
        return super().stop_requested or self.sweep.stop_requested

    def wait_while_paused(self, poll_s: float = 0.1) -> None:
        self.sweep.wait_while_paused(poll_s)


class _Stopped(Exception):
    """The user stopped the sweep during a trial."""


@dataclass
class SweepResult:
    study: str
    storage: str
    monitor: str
    direction: str  # maximize | minimize
    rows: list[TrialRow]
    best: TrialRow | None
    stopped: bool
    importances: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def table_lines(self) -> list[str]:
        """The trials as a text table (number, state, metric, epochs, parameters, run folder)."""
        keys = sorted({k for r in self.rows for k in r.params})
        header = ["trial", "state", self.monitor, "epochs", *keys, "run"]
        body = [
            [
                str(r.number),
                r.state,
                f"{r.value:.4g}" if r.value is not None else "-",
                str(r.epochs),
                *(_short(r.params.get(k, "-")) for k in keys),
                Path(r.run_dir).name if r.run_dir else "-",
            ]
            for r in self.rows
        ]
        widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
        return ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in [header, *body]]


def _short(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


class Sweep:
    """Run (or continue) a study of ``trials`` finished trials over ``specs`` on the base config."""

    def __init__(
        self,
        base: RunConfig,
        specs: list[ParamSpec],
        folder: str | Path,
        *,
        trials: int,
        study_name: str = DEFAULT_STUDY,
        storage: str | None = None,
        seed: int | None = None,
        prune_after: int = PRUNE_AFTER,
        control: TrainControl | None = None,
        on_event: EventCallback | None = None,
    ) -> None:
        if trials < 1:
            raise ConfigError(messages.ERR_SWEEP_TRIALS.format(value=trials))
        self.base, self.specs, self.trials = base, specs, trials
        self.folder = Path(folder).expanduser().resolve()
        self.study_name, self.storage_url = study_name or DEFAULT_STUDY, storage
        self.seed = base.seed if seed is None else seed
        self.prune_after = prune_after
        self.control = control or TrainControl()
        self.on_event: Callable[[dict[str, Any]], None] = on_event or (lambda event: None)
        self.worker = ""
        self.notes: list[str] = []

    def _note(self, message: str) -> None:
        self.notes.append(message)
        self.on_event({"event": "note", "message": message})

    def run(self) -> SweepResult:
        optuna.logging.set_verbosity(optuna.logging.ERROR)  # the sweep reports its own events
        make_folder(self.folder)
        where = storage_text(self.storage_url, self.folder)
        storage = open_storage(self.storage_url, self.folder)
        study = open_study(self.base, storage, self.study_name, where, self.seed, self.prune_after)
        with worker_lock(self.folder) as self.worker:
            for number in recover_stale_trials(study, storage, self.folder):
                self._note(messages.SWEEP_RETRY_STALE.format(number=number))
            remaining = self.trials - len(study.get_trials(deepcopy=False, states=FINISHED))
            if remaining > 0 and not self.control.stop_requested:
                study.optimize(
                    self._objective,
                    n_trials=remaining,
                    callbacks=[optuna.study.MaxTrialsCallback(self.trials, states=FINISHED), self._trial_done],
                    catch=(_Stopped,),
                )
        rows = trial_rows(study)
        completed = [r for r in rows if r.state == TrialState.COMPLETE.name]
        best = next((r for r in rows if r.number == study.best_trial.number), None) if completed else None
        return SweepResult(
            self.study_name,
            where,
            self.base.train.monitor,
            study.direction.name.lower(),
            rows,
            best,
            self.control.stop_requested,
            param_importances(study),
            self.notes,
        )

    def _objective(self, trial: optuna.Trial) -> float:
        trial.set_user_attr("worker", self.worker)
        params = {spec.key: spec.suggest(trial) for spec in self.specs}
        config = trial_config(self.base, trial.number, params, self.folder)
        monitor, epochs = config.train.monitor, config.train.epochs
        control = _TrialControl(self.control)
        pruned: list[dict[str, Any]] = []
        self.on_event({"event": "trial_start", "trial": trial.number, "params": params, "trials": self.trials})

        def on_event(event: dict[str, Any]) -> None:
            kind = event["event"]
            if kind == "start" and event.get("run_dir"):
                trial.set_user_attr("run_dir", str(event["run_dir"]))
            elif kind == "epoch" and isinstance(event.get(monitor), (int, float)) and not pruned:
                value, epoch = float(event[monitor]), int(event["epoch"])
                trial.report(value, step=epoch)
                if epoch < epochs and trial.should_prune():  # stops cleanly after this epoch's checkpoint
                    pruned.append({"epoch": epoch, "value": value})
                    control.request_stop()
            self.on_event({**event, "trial": trial.number})

        end = fit(config, control, on_event)
        trial.set_user_attr("status", end["status"])
        if pruned:
            message = messages.SWEEP_PRUNED.format(number=trial.number, monitor=monitor, **pruned[0])
            self._note(message)
            raise optuna.TrialPruned(str(message))
        if self.control.stop_requested and end["status"] == "stopped":
            _retry(trial.study, trial)
            self._note(messages.SWEEP_RETRY_STOPPED.format(number=trial.number))
            trial.study.stop()
            raise _Stopped
        best = end.get("best_metric")
        if is_diverged(end["status"]) or not isinstance(best, (int, float)):
            self._note(messages.SWEEP_DIVERGED.format(number=trial.number, status=end["status"]))
            return math.nan  # Optuna records the trial as failed
        return float(best)

    def _trial_done(self, study: optuna.Study, trial: FrozenTrial) -> None:
        row = next(r for r in trial_rows(study) if r.number == trial.number)
        self.on_event(
            {
                "event": "trial_end",
                "trial": trial.number,
                "row": row.to_dict(),
                "finished": len(study.get_trials(deepcopy=False, states=FINISHED)),
                "trials": self.trials,
            }
        )
