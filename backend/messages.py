"""The engine's user-facing message templates, in English.

Every module-level upper-case string here is a template that the engine fills with
``str.format`` (``{name}`` fields, optionally ``{name!r}`` or ``{name:.4g}``). The GUI collects
them for translation (gui/backend_text.py) and recognises a formatted message by matching it
against them, so a message must be one of two shapes:

- one template, whose fields may themselves hold a formatted template (a hint, a reason);
- templates written one after another, each one after the first starting with fixed text
  (``TV_PAPER`` starts with ", from '"), so that the pieces can be told apart again.

Exception messages (ConfigError, DataError, ...) are not templates: they stay in English.
"""

from __future__ import annotations

# Training (backend/trainer.py): a loss that is not a number, early stopping, the weights file.
NAN_STOPPED = "the training loss became {loss} at epoch {epoch}, batch {batch}; training stopped. {hint}"
NAN_HINT_CHECKPOINT = "the last good checkpoint is {checkpoint} (untouched); resume from it with a lower optim.lr"
NAN_HINT_NO_CHECKPOINT = "no checkpoint was written before it; lower optim.lr or enable train.clip_grad_norm"
EARLY_STOP = "{monitor} did not improve by more than {min_delta} for {patience} epoch(s)"
WEIGHTS_WARNING = "model.weights: {report}"
TENSORBOARD_GRAPH = "TensorBoard could not trace the model graph: {error}"

# What a weights file gave the model (backend/models/weights.py): the first entry of a list
# uses WEIGHTS_ADAPTED or WEIGHTS_SKIPPED, the next ones WEIGHTS_NEXT, and WEIGHTS_MORE the rest.
WEIGHTS_LOADED = "loaded {loaded} of the model's tensors from {path}"
WEIGHTS_ADAPTED = "; adapted {key} ({reason})"
WEIGHTS_SKIPPED = "; skipped {key} ({reason})"
WEIGHTS_NEXT = ", {key} ({reason})"
WEIGHTS_KEPT = "; kept at initialisation: {keys}"
WEIGHTS_MORE = " and {count} more"
WEIGHTS_NOT_IN_MODEL = "not in this model"
WEIGHTS_CHANNELS = "{file_channels} input channels in the file, {model_channels} in the model: {how}"
WEIGHTS_RGB_AVERAGED = "RGB filters averaged (x3)"
WEIGHTS_FILTERS_CYCLED = "filters cycled and rescaled"
WEIGHTS_POSITIONS = "position embedding resized from {file_tokens} to {model_tokens} tokens"
WEIGHTS_SHAPES = "shape {file_shape} in the file, {model_shape} in the model"
WEIGHTS_NEW_HEAD = "; the new head keeps its initialisation"

# Data warnings (backend/data/csv_table.py, image_folder.py, test_sets.py, cache.py).
CSV_ROWS_DROPPED = "{count} row(s) with no value in target column {column!r} were dropped"
CSV_EMPTY_COLUMN = "column {column!r} is empty and was ignored"
CSV_FILLED_WITH_MEAN = "column {column!r}: {count} missing value(s) filled with the training mean {fill:.4g}"
CSV_MISSING_ONE_HOT = "column {column!r}: {count} missing value(s) encoded as all-zero one-hot"
IMAGES_SKIPPED = "{count} unreadable or corrupt image file(s) under {root} were skipped"
TEST_IMAGES_SKIPPED = "{count} unreadable image file(s) under {root} were skipped"
IMAGE_DATA_NOTE = "image data: {reason}"
CACHE_SIZE = "{mib:.0f} MiB as uint8"
CACHE_OFF = "data.cache = 'off': images are decoded from disk every epoch ({size})"
CACHE_MEMORY = "data.cache = 'memory': decoded once into {size}"
CACHE_FITS = "decoded once into memory ({size}, fits in {where})"
CACHE_STREAMED = "streamed from disk: the decoded dataset ({size}) would not fit in {where}"
CACHE_IN_RAM = "RAM"
CACHE_IN_GPU = "GPU memory"

# torchvision model descriptions (backend/models/tv.py): TV_MODEL (or TV_MODEL_PLAIN), then
# TV_PAPER when the paper is known, then TV_WEIGHTS or TV_WEIGHTS_ENLARGED. Titles and paper
# titles are proper names and stay in English.
TV_MODEL = "{title} (torchvision, {params:.1f}M parameters, {gflops:.2f} GFLOPs at ImageNet size)"
TV_MODEL_PLAIN = "{title} (torchvision)"
TV_PAPER = ", from '{paper}'"
TV_WEIGHTS = ". Random weights, or a local weights file."
TV_WEIGHTS_ENLARGED = (
    ". Random weights, or a local weights file; images smaller than {size}x{size} are enlarged inside the model."
)

# Why torch.compile cannot be offered (backend/device.py).
COMPILE_FROZEN = (
    "torch.compile is not available in the packaged app: it needs the Python sources and a C++ compiler at run time"
)
COMPILE_PYTHON = "torch.compile does not support Python {version} yet"
COMPILE_IMPORT = "torch.compile cannot be imported here: {error}"
COMPILE_NO_COMPILER = "torch.compile needs a C++ compiler (gcc, clang or MSVC) on the PATH, and none was found"
