"""The training loop: ``fit(config, control, on_event)``.

Plain Python: no printing, no Qt. Progress leaves as event dicts, which also go to the run
folder's metrics.jsonl. One ``step`` is one optimizer step (``grad_accum`` batches).
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import torch
from torch import nn

from backend.core import messages
from backend.core.config import RunConfig, check_batch_fits, unusual_values, validate
from backend.core.errors import ConfigError, StorageError, TorchDeskError
from backend.core.host_memory import peak_resident_mb, reuse_freed_memory
from backend.core.schema import MONITORS_BY_TASK, SUMMARY_METRICS
from backend.data import DataBundle, build_data
from backend.data.pipeline import BatchPipeline
from backend.engine.checkpointing import Progress, TrainingState, metrics_lines
from backend.engine.control import TrainControl
from backend.engine.device import (
    check_compile_support,
    out_of_memory_error,
    resolve_device,
    resolve_precision,
)
from backend.engine.distributed import DistContext, local_device_name, setup_distributed, teardown_distributed
from backend.engine.divergence import DivergenceGuard
from backend.engine.evaluation import autocast_context, evaluate, shard
from backend.engine.losses import build_loss, constant_prediction_loss
from backend.engine.optim import ScheduleStepper, build_optimizer, build_scheduler
from backend.engine.policies import BestTracker, EarlyStopping
from backend.engine.presets import apply_preset, preset_note
from backend.engine.rng import seeded_initialisation, training_draws
from backend.engine.sampler import epoch_order, index_batches
from backend.models.finetune import param_groups
from backend.models.footprint import TrainingTarget, check_batch_memory, optimizer_state_per_param, output_bytes
from backend.models.output_check import check_output_fits, model_wording
from backend.models.registry import build_model
from backend.models.weights import weights_report
from backend.store import checkpoint as ckpt
from backend.store.run_store import RunFolder, RunStore, claim_run_folder
from backend.store.runs import DIVERGED, epoch_metrics, read_metrics
from backend.store.trust import metadata_config

EventCallback = Callable[[dict[str, Any]], None]
PROBE_SAMPLES = 64  # training samples whose loss vouches for the weights of a mid-epoch checkpoint


def fit(
    config: RunConfig,
    control: TrainControl | None = None,
    on_event: EventCallback | None = None,
    *,
    run_dir: str | Path | None = None,
    resume_from: str | Path | None = None,
    data: DataBundle | None = None,
    on_data: Callable[[DataBundle], None] | None = None,
    overwrite: bool = False,
) -> dict[str, Any]:
    """Train ``config``; returns the ``end`` event. User mistakes raise TorchDeskError.

    ``run_dir`` writes into that folder instead of a new timestamped one (refused when it holds
    another run, unless ``overwrite`` moves that run aside); ``resume_from`` is a checkpoint (its
    run folder is reused); ``data`` replaces the configured dataset (benchmarks, tests).
    ``on_data`` receives the dataset once it is loaded (read-only), so a viewer need not load it again.
    The run folder is locked while the run writes it: a second writer is refused (StorageError).
    """
    trainer = Trainer(config, control or TrainControl(), on_event, run_dir, resume_from, data, overwrite=overwrite)
    trainer.on_data = on_data
    return trainer.run()


def config_from_checkpoint(path: str | Path, *, trusted: bool = False) -> RunConfig:
    """The config a checkpoint was saved with. It is the file's metadata, not the user's own config:
    its relative paths point next to the checkpoint, and a ``file:`` model needs ``trusted``."""
    return metadata_config(ckpt.load_checkpoint(path)["config"], path, trusted=trusted)


class Trainer:
    def __init__(
        self,
        config: RunConfig,
        control: TrainControl,
        on_event: EventCallback | None,
        run_dir: str | Path | None,
        resume_from: str | Path | None,
        data: DataBundle | None,
        *,
        overwrite: bool = False,
    ) -> None:
        validate(config)
        self.config = config
        self.control = control
        self.on_event = on_event
        self.requested_run_dir = Path(run_dir) if run_dir else None
        self.resume_from = Path(resume_from) if resume_from else None
        self.overwrite = overwrite
        self.data = data
        self.started = time.perf_counter()
        self.ctx = DistContext()
        self.epochs_run = 0  # epochs finished by this process (for the ETA)
        self.paused_s = 0.0  # seconds this process waited paused (left out of the ETA)
        self.history_lines = 0  # metrics.jsonl lines of the run before this process resumed it
        self.epoch_metrics: list[dict[str, Any]] = []  # the summary metrics of every epoch of the run
        self.state: TrainingState | None = None  # what a checkpoint saves; built in _setup
        self.run_folder: RunFolder | None = None  # locked before setup when the folder is known
        self.store: RunStore | None = None  # the run folder (the main process only)
        self.on_data: Callable[[DataBundle], None] | None = None
        self.train_model: nn.Module | None = None  # the model as trained: DDP- or compile-wrapped

    # ----------------------------------------------------------------- events
    def emit(self, event: dict[str, Any]) -> None:
        event["elapsed_s"] = round(time.perf_counter() - self.started, 4)
        if not self.ctx.is_main:
            return
        if self.store:
            self.store.record(event)
        if self.on_event:
            self.on_event(event)

    # ----------------------------------------------------------------- setup
    def run(self) -> dict[str, Any]:
        cfg = self.config
        self.ctx: DistContext = setup_distributed(cfg.train.device)
        previous_deterministic = torch.are_deterministic_algorithms_enabled()
        clean = False
        try:
            if self.ctx.is_main:  # a folder that is taken is refused at once, before the data loads
                self.run_folder = claim_run_folder(self.requested_run_dir, self.resume_from, self.overwrite)
            with reuse_freed_memory():
                self._setup()
                end = self._train()
            if self.store:
                self.store.close()  # the last events reach the disk here: a full disk is an error too
            clean = True
            return end
        except TorchDeskError as exc:
            self._emit_error(str(exc))
            raise
        except torch.OutOfMemoryError as exc:  # bad input too: the batch does not fit; the checkpoint is intact
            error = out_of_memory_error(getattr(self, "device", None), cfg, self.last_checkpoint)
            self._emit_error(str(error))
            raise error from exc
        except Exception as exc:
            self._emit_error(f"{type(exc).__name__}: {exc}")
            raise
        finally:
            torch.use_deterministic_algorithms(previous_deterministic)
            if self.store:
                self.store.close(quiet=True)  # after an error: the files closed, the folder unlocked
            elif self.run_folder:
                self.run_folder.lock.release()
            if self.ctx.enabled:
                # The DDP wrapper keeps the process group alive, in a reference cycle that only the
                # garbage collector frees. Left to interpreter exit, gloo's threads are torn down
                # during finalization, which can abort a rank ("terminate called without an active
                # exception", seen once in ~35 torchrun resumes). Freed now, destroy_process_group
                # really ends the group.
                self.train_model = None
                gc.collect()
            teardown_distributed(self.ctx, clean)

    def _emit_error(self, message: str) -> None:
        # The run folder may be what failed (a full disk): the event still reaches on_event.
        with contextlib.suppress(StorageError):
            self.emit({"event": "error", "message": message, "last_checkpoint": self._last_ckpt_str()})

    def _setup(self) -> None:
        cfg = self.config
        t = cfg.train
        if t.deterministic:
            os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
            torch.use_deterministic_algorithms(True)
            torch.backends.cudnn.benchmark = False
        self.device = resolve_device(local_device_name(self.ctx, t.device))
        self.precision = resolve_precision(t.precision, self.device)
        check_compile_support(t.compile)
        if self.data is None:
            self.data = build_data(cfg.data, cfg.seed, self.device)
        data = self.data
        if self.on_data is not None:
            self.on_data(data)
        # train.preset replaces settings for this data (backend/engine/presets.py; reported in _train).
        self.preset_note = preset_note(cfg, apply_preset(cfg, data, self.device))
        self.precision = resolve_precision(t.precision, self.device)
        if t.monitor not in MONITORS_BY_TASK[data.task]:
            raise ConfigError(
                messages.ERR_MONITOR_TASK.format(
                    monitor=t.monitor, task=data.task, names=", ".join(MONITORS_BY_TASK[data.task])
                )
            )
        if len(data.y_train) < 2:
            raise ConfigError(messages.ERR_TOO_FEW_TRAINING)
        self.pipeline = BatchPipeline(
            data,
            cfg.data,
            self.device,
            cfg.seed,
            t.channels_last,
            on_warning=lambda message: self.emit({"event": "warning", "message": message}),
        )
        with seeded_initialisation(cfg.seed):
            # On resume the checkpoint's weights replace model.weights, which may have moved since.
            self.model = build_model(
                cfg.model,
                self.pipeline.input_shape,
                data.num_outputs,
                load_weights=self.resume_from is None,
                training=TrainingTarget(self.device, optimizer_state_per_param(cfg)),
            ).to(self.device)
        if t.channels_last and len(self.pipeline.input_shape) == 3:
            self.model = self.model.to(memory_format=torch.channels_last)
        per_sample = self._check_model_output()
        self.loss_fn = build_loss(cfg.loss, data.task, data.num_outputs).to(self.device)

        per_rank = -(-len(data.y_train) // self.ctx.world)
        check_batch_fits(cfg.data.batch_size, per_rank)
        check_batch_memory(cfg, self.model, self.device, per_sample)
        self.batches_per_epoch = len(index_batches(torch.arange(per_rank), cfg.data.batch_size, cfg.data.drop_last))
        self.steps_per_epoch = math.ceil(self.batches_per_epoch / t.grad_accum)

        self.optimizer = build_optimizer(cfg.optim, param_groups(self.model, cfg.model, cfg.optim.lr))
        # Listed once: walking the modules every step costs ~65 us on a ResNet-18.
        self.trainable = [q for q in self.model.parameters() if q.requires_grad]
        # All on one device and of one dtype (the usual case): the step's gradient norm is one fused call.
        self.one_norm_group = len({(q.device, q.dtype) for q in self.trainable}) == 1
        self.schedule = ScheduleStepper(
            cfg.schedule.name,
            build_scheduler(
                cfg.schedule, self.optimizer, t.epochs, self.steps_per_epoch, cfg.optim.lr, cfg.monitor_mode()
            ),
        )
        self.scaler = torch.amp.GradScaler(self.device.type) if self.precision.use_scaler else None
        baseline = constant_prediction_loss(self.loss_fn, data.y_train, data.task, data.num_outputs, self.device)
        self.guard = DivergenceGuard(baseline)
        self.best = BestTracker(cfg.monitor_mode(), t.min_delta)
        self.early_stopping = EarlyStopping(t.patience, t.early_stopping)
        self.state = TrainingState(
            self.model,
            self.optimizer,
            self.schedule,
            self.scaler,
            self.best,
            self.early_stopping,
            self.guard,
            Progress(),
        )

        resume_state = ckpt.load_checkpoint(self.resume_from, self.device) if self.resume_from else None
        if resume_state is not None:
            self.state.restore(resume_state, self.config, self.resume_from)
            done = self.state.progress
            if done.epoch >= t.epochs and done.batch == 0:  # else the run would end at once, "0% completed"
                raise ConfigError(
                    messages.ERR_RESUME_FINISHED.format(path=self.resume_from, epochs=done.epoch, more=2 * done.epoch),
                    field="train.epochs",
                )

        self.train_model = self.model
        if self.ctx.enabled:
            ids = [self.device.index] if self.device.type == "cuda" else None
            self.train_model = nn.parallel.DistributedDataParallel(self.model, device_ids=ids)
        if t.compile:
            self.train_model = torch.compile(self.train_model)

        if self.ctx.is_main:
            self._open_run_folder(resume_state)

    def _check_model_output(self) -> float:
        """Checks that the model takes the data and gives the right outputs; returns the bytes of
        input and layer outputs per sample (the activation estimate of check_batch_memory)."""
        sample = self.pipeline.sample(2)
        wording = model_wording(self.config.model.arch, self.data.name)
        with output_bytes(self.model) as layer_bytes:
            check_output_fits(self.model, sample, self.data.num_outputs, wording)
        return (layer_bytes[0] + sample.numel() * sample.element_size()) / len(sample)

    def _open_run_folder(self, resume_state: dict[str, Any] | None) -> None:
        keep_lines = metrics_lines(resume_state) if resume_state is not None else 0
        self.store = RunStore.open(self.config, self.run_folder, self.resume_from, keep_lines)
        if keep_lines:  # the run's earlier epochs count in its final and best metrics
            self.history_lines = keep_lines
            history = read_metrics(self.store.run_dir, keep_lines)
            self.epoch_metrics = [_summary_part(e) for e in history if e.get("event") == "epoch"]
        for note in self.store.folder.notes:  # a stale lock taken over, an old run moved aside
            self.emit({"event": "note", "message": note})
        if self.config.train.tensorboard:
            warning = self.store.enable_tensorboard(self.model, self.pipeline.sample(2))
            if warning:
                self.emit({"event": "warning", "message": warning})

    # ----------------------------------------------------------------- checkpoints
    @property
    def progress(self) -> Progress:
        return self.state.progress

    @property
    def run_dir(self) -> Path | None:
        return self.store.run_dir if self.store else None

    @property
    def last_checkpoint(self) -> Path | None:
        return self.store.last_checkpoint if self.store else None

    def _last_ckpt_str(self) -> str | None:
        return str(self.last_checkpoint) if self.last_checkpoint else None

    def _checkpoint_state(self) -> dict[str, Any]:
        return self.state.checkpoint(self.config, self._metadata(), self.store.metrics.lines)

    def _metadata(self) -> dict[str, Any]:
        """What it takes to rebuild the model and feed it without the dataset (checkpoints and weights files)."""
        return {
            **self.data.metadata(),
            "input_shape": list(self.pipeline.input_shape),
            "arch": self.config.model.arch,
            "model": asdict(self.config.model),
            "torch": str(torch.__version__),
        }

    def _save(self, kind: str) -> None:
        """Write checkpoints/<kind>.ckpt atomically (the main process only)."""
        if not self.store:
            return
        path = self.store.save_checkpoint(kind, self._checkpoint_state)
        event = {"event": "checkpoint", "kind": kind, "path": str(path)}
        self.emit({**event, "epoch": self.progress.epoch, "step": self.progress.global_step})

    # ----------------------------------------------------------------- the loop
    def _train(self) -> dict[str, Any]:
        cfg, data, p = self.config, self.data, self.progress
        self.emit(
            {
                "event": "start",
                "name": cfg.name,
                "started": time.strftime("%Y-%m-%d %H:%M:%S"),
                "run_dir": str(self.run_dir) if self.run_dir else None,
                "resumed_from": str(self.resume_from or "") or None,
                "epochs": cfg.train.epochs,
                "start_epoch": p.epoch + 1,
                "steps_per_epoch": self.steps_per_epoch,
                "total_steps": self.steps_per_epoch * cfg.train.epochs,
                "task": data.task,
                "class_names": data.class_names,
                "input_shape": list(data.input_shape),
                "device": str(self.device),
                "precision": self.precision.name,
                "world_size": self.ctx.world,
                "monitor": cfg.train.monitor,
                "mode": cfg.monitor_mode(),
                "train_samples": len(data.y_train),
                "val_samples": len(data.y_val),
                "history_lines": self.history_lines,
            }
        )
        for message in data.notes:
            self.emit({"event": "note", "message": message})
        if self.preset_note:  # the settings train.preset replaced
            self.emit({"event": "note", "message": self.preset_note})
        for message in data.warnings:
            self.emit({"event": "warning", "message": message})
        for unusual in unusual_values(cfg):  # allowed, but a likely cause if the run diverges
            self.emit({"event": "warning", "message": unusual.message()})
        report = weights_report(self.model)
        if report and (report.skipped or report.adapted or report.missing):
            self.emit({"event": "warning", "message": messages.WEIGHTS_WARNING.format(report=report.message())})
        status = "running"
        while status == "running" and p.epoch < cfg.train.epochs:
            status = self._train_epoch()
            if status == "running":
                status = self._end_epoch()
        if status == "running":
            status = "completed"
        end: dict[str, Any] = {
            "event": "end",
            "status": status,
            "run_dir": str(self.run_dir) if self.run_dir else None,
            "monitor": cfg.train.monitor,
            "best_metric": self.best.best,
            "epochs_done": p.epoch,
            "global_step": p.global_step,
            "last_checkpoint": self._last_ckpt_str(),
            **epoch_metrics(self.epoch_metrics),
        }
        if self.store and self.store.tensorboard and end["final"]:
            self.store.tensorboard.hparams(cfg.to_dict(), end["final"])
        if self.store and status != DIVERGED:  # diverged weights never reach model.safetensors
            end["weights"] = str(self.store.write_weights(self._metadata(), self.model.state_dict))
        self.emit(end)
        return end

    def _train_epoch(self) -> str:
        """Run the rest of the current epoch. Returns 'running', 'stopped' or 'diverged'."""
        cfg, p, t = self.config, self.progress, self.config.train
        order = epoch_order(
            cfg.seed,
            p.epoch,
            len(self.data.y_train),
            self.ctx.rank,
            self.ctx.world,
            self.data.y_train if cfg.data.balanced else None,
        )
        batches = index_batches(order, cfg.data.batch_size, cfg.data.drop_last)
        classification = self.data.task == "classification"
        model, opt = self.train_model, self.optimizer
        model.train()
        opt.zero_grad(set_to_none=True)
        epoch_started = time.perf_counter()
        step_started, step_samples = epoch_started, 0
        step_loss, window_bad = 0.0, False
        for b, (xb, yb) in self.pipeline.train_batches(batches, p.batch, p.epoch):
            # Under DDP the ranks pause together at a step's end (below): one paused alone here would
            # leave the others waiting inside a collective, which times out.
            paused = 0.0 if self.ctx.enabled else self._wait_if_paused()
            epoch_started += paused  # a pause is no training time: epoch_time_s and the ETA leave it out
            step_started += paused
            last_in_step = (b + 1) % t.grad_accum == 0 or b == len(batches) - 1
            # Under DDP, gradients are all-reduced only on the batch that ends an accumulation window.
            sync = model.no_sync() if self.ctx.enabled and not last_in_step else contextlib.nullcontext()
            with sync, training_draws():
                with autocast_context(self.device, self.precision):
                    out = model(xb)
                    loss = self.loss_fn(out, yb)
                scaled = loss / t.grad_accum if t.grad_accum > 1 else loss
                (self.scaler.scale(scaled) if self.scaler else scaled).backward()
            loss_value = loss.item()
            if not math.isfinite(loss_value):
                if not self.ctx.enabled:
                    return self._stop_on_nan(loss_value, b + 1)
                window_bad = True  # decided together with the other ranks at the end of the window
            n = len(yb)
            p.loss_sum += loss_value * n
            p.seen += n
            step_loss += loss_value * n
            step_samples += n
            if classification:
                p.correct += int((out.argmax(dim=1) == yb).sum())
            p.batch = b + 1
            if not last_in_step:
                continue
            stop = self.control.stop_requested
            loss_mean = step_loss / step_samples
            if self.ctx.enabled:
                # One small all-reduce keeps the step loss, NaN checks and stop requests the same on all ranks.
                shared = self.ctx.all_reduce_sum(
                    torch.tensor(
                        [loss_mean, float(stop), float(window_bad), float(self.control.paused)], dtype=torch.float64
                    )
                )
                loss_mean, stop = shared[0].item() / self.ctx.world, shared[1].item() > 0
                if shared[2].item() > 0:
                    return self._stop_on_nan(loss_mean, b + 1)
                if shared[3].item() > 0:  # a rank that was asked to pause waits here; the others at the next collective
                    paused = self._wait_if_paused()
                    epoch_started += paused
                    step_started += paused
            # Checked before the optimizer step: the weights that made this loss are never stepped nor saved.
            reason = self.guard.check_step(loss_mean)
            if reason is not None:
                return self._stop_diverged(messages.DIVERGED_STOPPED, reason=reason, epoch=p.epoch + 1, batch=b + 1)
            lr = opt.param_groups[0]["lr"]  # the rate this step uses, before a per-step schedule moves it
            grad_norm = self._optimizer_step(is_last_of_epoch=b == len(batches) - 1)
            p.global_step += 1
            now = time.perf_counter()
            step_event = {
                "event": "step",
                "epoch": p.epoch + 1,
                "step": p.global_step,
                "loss": loss_mean,
                "lr": lr,
                "grad_norm": grad_norm,
                "samples_per_s": step_samples * self.ctx.world / max(now - step_started, 1e-9),
            }
            if self.device.type == "cuda":  # a counter read, no device sync
                step_event["mem_mb"] = torch.cuda.memory_allocated(self.device) / 2**20
            self.emit(step_event)
            step_started, step_samples, step_loss = now, 0, 0.0
            if not self.ctx.enabled:
                stop = stop or self.control.stop_requested  # a stop asked for while this step was reported
            if stop:
                p.train_time_s += now - epoch_started
                return self._save_sound_weights() or "stopped"
            if t.checkpoint_every_steps and p.global_step % t.checkpoint_every_steps == 0 and b < len(batches) - 1:
                p.train_time_s += now - epoch_started
                if self._save_sound_weights():
                    return DIVERGED
                epoch_started = time.perf_counter()
        p.train_time_s += time.perf_counter() - epoch_started
        return "running"

    def _wait_if_paused(self) -> float:
        """Wait while the run is paused, reporting the pause and its end; returns the seconds paused."""
        if not self.control.paused:
            return 0.0
        p = self.progress
        self.emit({"event": "paused", "epoch": p.epoch + 1, "step": p.global_step})
        began = time.perf_counter()
        self.control.wait_while_paused()
        paused = time.perf_counter() - began
        self.paused_s += paused
        self.emit({"event": "resumed", "epoch": p.epoch + 1, "step": p.global_step, "paused_s": round(paused, 3)})
        return paused

    def _optimizer_step(self, is_last_of_epoch: bool) -> float:
        t = self.config.train
        params = [q for q in self.trainable if q.grad is not None]
        if self.scaler:
            self.scaler.unscale_(self.optimizer)  # clip and measure true gradients, not scaled ones
        if t.clip_grad_value:
            nn.utils.clip_grad_value_(params, t.clip_grad_value)
        # One fused norm over all gradients: torch picks it by itself only on CUDA; on the CPU it
        # halves this per-step cost (57 -> 27 us on the tutorials' MLP).
        foreach = True if self.device.type in ("cpu", "cuda") else None
        if t.clip_grad_norm:
            grad_norm = nn.utils.clip_grad_norm_(params, t.clip_grad_norm, foreach=foreach)
        else:
            grad_norm = total_grad_norm([q.grad for q in params], foreach=foreach, one_group=self.one_norm_group)
        tensorboard = self.store.tensorboard if self.store else None
        if tensorboard and is_last_of_epoch:
            tensorboard.gradient_histograms(self.model, self.progress.epoch + 1)
        if self.scaler:
            self.scaler.step(self.optimizer)
            self.scaler.update()
        else:
            self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.schedule.after_step()
        return float(grad_norm)

    def _save_sound_weights(self) -> str | None:
        """Save last.ckpt mid-epoch unless the weights just stepped have diverged (then returns DIVERGED).

        A step's loss vouches for the weights before that step, so an update that blew them up would
        otherwise be saved, and named later as the last good checkpoint. Their loss on the first
        training samples (in eval mode: no dropout draw, no BatchNorm update) vouches for them.
        Epoch-end checkpoints follow the validation check instead.
        """
        indices = torch.arange(min(PROBE_SAMPLES, len(self.data.y_train)))
        xb, yb = next(self.pipeline.eval_batches(indices, PROBE_SAMPLES, split="train"))
        self.model.eval()
        try:
            with torch.inference_mode(), autocast_context(self.device, self.precision):
                loss = float(self.loss_fn(self.model(xb), yb))
        finally:
            self.model.train()
        reason = self.guard.check_validation(loss)
        if reason is not None:
            p = self.progress
            return self._stop_diverged(
                messages.DIVERGED_WEIGHTS_STOPPED, reason=reason, epoch=p.epoch + 1, step=p.global_step
            )
        self._save("last")
        return None

    def _stop_on_nan(self, loss_value: float, batch: int) -> str:
        return self._stop_diverged(messages.NAN_STOPPED, loss=loss_value, epoch=self.progress.epoch + 1, batch=batch)

    def _stop_diverged(self, template: str, **fields: Any) -> str:
        """Report the divergence (``template`` filled with ``fields`` and the checkpoint hint); returns the status.

        Nothing is saved: the last checkpoint stays the last good one.
        """
        if self.last_checkpoint:
            hint = messages.NAN_HINT_CHECKPOINT.format(checkpoint=self.last_checkpoint)
        else:
            hint = messages.NAN_HINT_NO_CHECKPOINT
        self.emit(
            {
                "event": DIVERGED,
                "message": template.format(**fields, hint=hint),
                "epoch": self.progress.epoch + 1,
                "step": self.progress.global_step,
                "last_checkpoint": self._last_ckpt_str(),
            }
        )
        return DIVERGED

    def _end_epoch(self) -> str:
        """Validate, report, schedule, checkpoint. Returns 'running', 'early_stopped' or 'diverged'."""
        cfg, p, data, t = self.config, self.progress, self.data, self.config.train
        sums = self.ctx.all_reduce_sum(torch.tensor([p.loss_sum, float(p.correct), float(p.seen)], dtype=torch.float64))
        loss_sum, correct, seen = sums.tolist()
        val_indices = shard(len(data.y_val), self.ctx)
        val_batches = self.pipeline.eval_batches(val_indices, max(256, cfg.data.batch_size * 2))
        val = evaluate(
            self.model,
            val_batches,
            self.loss_fn,
            task=data.task,
            num_classes=data.num_outputs,
            device=self.device,
            precision=self.precision,
            ctx=self.ctx,
            target_std=data.normalization.get("target_std", 1.0),
            indices=val_indices,
        )
        epochs_done = p.epoch + 1
        event: dict[str, Any] = {
            "event": "epoch",
            "epoch": epochs_done,
            "step": p.global_step,
            "train_loss": loss_sum / max(seen, 1),
            **val,
            "lr": self.optimizer.param_groups[0]["lr"],
            "samples_per_s": seen / max(p.train_time_s, 1e-9),
            "epoch_time_s": p.train_time_s,
        }
        if data.task == "classification":
            event["train_acc"] = correct / max(seen, 1)
        self.epochs_run += 1
        active = time.perf_counter() - self.started - self.paused_s
        event["eta_s"] = active / self.epochs_run * (t.epochs - epochs_done)
        if self.device.type == "cuda":
            event["peak_mem_mb"] = torch.cuda.max_memory_allocated(self.device) / 2**20
            torch.cuda.reset_peak_memory_stats(self.device)
        peak_ram = peak_resident_mb()
        if peak_ram is not None:
            event["peak_ram_mb"] = peak_ram
        if self.store and self.store.tensorboard:
            self.store.tensorboard.weight_histograms(self.model, epochs_done)
        self.emit(event)
        self.epoch_metrics.append(_summary_part(event))
        reason = self.guard.check_validation(event["val_loss"])
        if reason is not None:  # before best tracking: a diverged epoch is never best, nor checkpointed
            return self._stop_diverged(messages.DIVERGED_VAL_STOPPED, reason=reason, epoch=epochs_done)

        current = event[t.monitor]
        self.schedule.after_epoch(current)
        improved = self.best.update(current)
        stop_early = self.early_stopping.update(improved)
        p.epoch, p.batch, p.loss_sum, p.correct, p.seen, p.train_time_s = epochs_done, 0, 0.0, 0, 0, 0.0
        self._save("last")
        if improved:
            self._save("best")  # a copy of the checkpoint just written
        if stop_early and p.epoch < t.epochs:
            self.emit(
                {
                    "event": "early_stop",
                    "epoch": epochs_done,
                    "monitor": t.monitor,
                    "best_metric": self.best.best,
                    "patience": t.patience,
                    "message": messages.EARLY_STOP.format(
                        monitor=t.monitor, min_delta=t.min_delta, patience=t.patience
                    ),
                }
            )
            return "early_stopped"
        return "running"


def total_grad_norm(grads: list[torch.Tensor], foreach: bool | None, one_group: bool) -> torch.Tensor:
    """The 2-norm of all ``grads`` together, as ``nn.utils.get_total_norm`` computes it. Gradients of
    ``one_group`` (one device, one dtype) go to the fused kernel directly: get_total_norm's grouping
    costs nearly as much as the norm itself on a small model (~30 of ~80 us a step on the overhead
    benchmark's MLP, tests/benchmarks/bench_engine_overhead.py)."""
    if not grads:
        return torch.zeros(())
    if foreach and one_group:
        return torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads)))
    return nn.utils.get_total_norm(grads, foreach=foreach)


def _summary_part(event: dict[str, Any]) -> dict[str, Any]:
    """The metrics of an epoch event that the run's summary uses (not its confusion matrix)."""
    return {key: event[key] for key in SUMMARY_METRICS if key in event}
