"""The files of a learning-rate range test: ``lr_find.csv`` (the whole curve) and ``lr_find.png``
(drawn with matplotlib's Agg canvas: no display needed), written atomically into a folder of their own."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from backend.core import messages
from backend.core.atomic import atomic_write_text, atomic_write_with
from backend.core.config import RunConfig
from backend.core.errors import StorageError
from backend.core.os_errors import make_folder
from backend.engine.lr_finder import LrFindResult, loss_view
from backend.store.runs import new_run_dir

CSV_NAME, PNG_NAME = "lr_find.csv", "lr_find.png"
DEFAULT_ROOT = "lr_find"  # under the current folder: a new timestamped folder per test


def output_folder(out: str | Path | None, config: RunConfig) -> Path:
    """``out`` (made if needed; refused when it already holds a test's files), or a new folder under
    ./lr_find named after the run."""
    if out is None:
        return new_run_dir(DEFAULT_ROOT, config.name)
    folder = Path(out).expanduser()
    taken = [name for name in (CSV_NAME, PNG_NAME) if (folder / name).exists()]
    if taken:
        raise StorageError(messages.ERR_LR_FIND_OUT_TAKEN.format(path=folder, names=", ".join(taken)))
    return make_folder(folder)


def curve_csv(result: LrFindResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["step", "lr", "loss", "smoothed_loss"])
    for step, row in enumerate(zip(result.lrs, result.losses, result.smoothed, strict=True)):
        writer.writerow([step, *(repr(value) for value in row)])
    return buffer.getvalue()


def plot_png(result: LrFindResult, title: str) -> bytes:
    """The smoothed (and raw) loss against the lr on a log axis, the suggestion marked and its rule named."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 4.5), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.plot(result.lrs, result.losses, color="#bbbbbb", linewidth=0.8, label="loss")
    axes.plot(result.lrs, result.smoothed, color="#1f77b4", linewidth=2, label="smoothed loss")
    if result.suggestion is not None:
        axes.axvline(result.suggestion, color="#d62728", linestyle="--", label=f"suggested lr {result.suggestion:.2e}")
    axes.set_xscale("log")
    axes.set_ylim(*loss_view(result.smoothed, result.losses))
    axes.set_xlabel("learning rate")
    axes.set_ylabel("training loss")
    axes.set_title(title)
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(title=f"rule: {result.rule_text}" if result.rule else None, fontsize="small")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def write_lr_find(result: LrFindResult, folder: Path, title: str) -> tuple[Path, Path]:
    """Write lr_find.csv and lr_find.png into ``folder``; returns their paths."""
    csv_path, png_path = folder / CSV_NAME, folder / PNG_NAME
    atomic_write_text(csv_path, curve_csv(result))
    image = plot_png(result, title)
    atomic_write_with(png_path, lambda fh: fh.write(image))
    return csv_path, png_path
