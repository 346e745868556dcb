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

# Progress of the artifact actions (backend/artifacts/evaluate.py, export.py, quantize.py), shown
# under the dialogs' progress bars. PROGRESS_BUILDING and PROGRESS_MEASURING name a QUANT_* title.
PROGRESS_TEST_SET = "reading the test set"
PROGRESS_EVALUATING = "evaluating on the {split} split"
PROGRESS_METRICS = "computing metrics"
PROGRESS_EXAMPLE_BATCH = "loading a validation batch"
PROGRESS_ONNX = "exporting to ONNX"
PROGRESS_WRITING = "writing the file"
PROGRESS_CHECKING = "checking the model"
PROGRESS_ORT_PARITY = "parity in ONNX Runtime"
PROGRESS_TORCHSCRIPT = "TorchScript {method}"
PROGRESS_JIT_RELOAD = "reloading with torch.jit.load"
PROGRESS_TORCH_EXPORT = "torch.export"
PROGRESS_PT2_RELOAD = "reloading with torch.export.load"
PROGRESS_FP32_REFERENCE = "preparing the fp32 reference"
PROGRESS_BUILDING = "{method}: building"
PROGRESS_MEASURING = "{method}: measuring"
PROGRESS_DONE = "done"

# The inputs an export or a quantization is checked and timed on (backend/artifacts/data.py).
EXAMPLE_VALIDATION = "{count} validation samples"
EXAMPLE_RANDOM = "{count} random inputs (the validation data could not be loaded: {error})"

# Quantization methods (backend/artifacts/quant_methods.py): a title, then what the method does
# or why it does not apply here; the notes of a comparison (backend/artifacts/quantize.py).
QUANT_DYNAMIC_INT8 = "dynamic int8 (Linear/LSTM/GRU weights)"
QUANT_DYNAMIC_INT8_DOES = "int8 weights, activations quantized on the fly; saved as TorchScript"
QUANT_STATIC_INT8 = "static int8 (FX graph mode, calibrated)"
QUANT_STATIC_INT8_DOES = "int8 weights and activations, ranges calibrated on training batches; best for conv nets"
QUANT_FP16 = "fp16 weights"
QUANT_FP16_DOES = "half-precision weights: half the size; CPU speed depends on the processor"
QUANT_BF16 = "bf16 weights"
QUANT_BF16_DOES = "bfloat16 weights: half the size; fast only on CPUs with bf16 instructions"
QUANT_ORT_DYNAMIC_INT8 = "ONNX Runtime dynamic int8"
QUANT_ORT_DYNAMIC_INT8_DOES = "exported to ONNX, pre-processed (quant_pre_process), int8 MatMul/Gemm weights"
QUANT_ORT_STATIC_INT8 = "ONNX Runtime static int8 (QDQ)"
QUANT_ORT_STATIC_INT8_DOES = "exported to ONNX, QDQ int8 weights and activations calibrated on training batches"
QUANT_NOT_PLAIN = "{name} is a {format} archive; quantize from the checkpoint or weights file"
QUANT_NO_DATA = "needs the run's training data for calibration, and this file does not name its dataset"
QUANT_NO_DYNAMIC_LAYERS = "the model has no Linear, LSTM or GRU layer, the only layers dynamic int8 quantizes"
QUANT_NO_CONV_OR_LINEAR = "the model has no convolution or Linear layer to quantize"
QUANT_NO_TORCH_AO = "torch.ao.quantization is not part of PyTorch {version}"
QUANT_NO_ENGINE = "this PyTorch build has no quantized CPU engine (fbgemm/x86/qnnpack)"
QUANT_FX_GONE_PT2E = (
    "torch.ao FX quantization is gone from this PyTorch; its successor (PT2E in torchao) is not wired in TorchDesk yet"
)
QUANT_FX_GONE = "torch.ao FX quantization is gone from this PyTorch and torchao (PT2E) is not installed"
QUANT_ORT_MISSING = "needs the {packages} package(s), which are not installed"
QUANT_ORT_NO_TOOLS = "this onnxruntime has no quantization tools"
QUANT_FAILED = "failed on this model: {error}"
QUANT_CALIBRATED = "calibrated on {count} training samples ({engine} engine)"
QUANT_HALF_MEASURED = (
    "latency and accuracy measured computing in {dtype}; loading the file in TorchDesk gives a float32 "
    "model with these rounded weights"
)
QUANT_LATENCY_INPUTS = "latency inputs: {inputs}; {threads} CPU thread(s)"
QUANT_EVAL_LIMIT = "accuracy on the first {count} validation samples"
QUANT_NO_TORCHAO = "torchao is not installed: its int8 paths (fast only with torch.compile) are not offered"

# Export notes (backend/artifacts/export.py) and save notes (backend/artifacts/save.py).
EXPORT_DYNAMO_FAILED = "the torch.export-based exporter failed ({error}); used the TorchScript-based one"
EXPORT_DYNAMO_OPSET = (
    "the torch.export-based exporter could not produce opset {opset} (it wrote {written}); "
    "tried the TorchScript-based exporter for opset {opset}"
)
EXPORT_LEGACY_FAILED = "the TorchScript-based exporter failed too ({error}); the file uses opset {opset}"
EXPORT_TWO_FILES = (
    "the weights pass 2 GB, so ONNX keeps them in a second file {name}: copy both files together, "
    "the .onnx file alone does not work"
)
EXPORT_BATCH_OF_ONE = "the exported model failed on a batch of 1 ({error}); it only takes batches of {size}"
EXPORT_TRACED = "traced: Python control flow that depends on the input values is frozen at the traced path"
EXPORT_STATIC_BATCH = "a dynamic batch axis could not be exported ({error}); the program takes batches of {size} only"
SAVE_PICKLE_WARNING = (
    "a pickled full model runs code from the file when it is loaded: load it only from trusted "
    "sources, and share .safetensors weights instead"
)
SAVE_TORCHSCRIPT_DIFFERS = "the reloaded TorchScript model differs from the original by {diff:.3g}"

# What a weights file gives a model (backend/artifacts/load.py): LOAD_FIT, then any of the others.
LOAD_FIT = "{count} tensor(s) fit"
LOAD_MISSING = "; {count} missing from the file (e.g. {keys})"
LOAD_UNEXPECTED = "; {count} unexpected (e.g. {keys})"
LOAD_MISMATCHED = "; {count} with another shape (e.g. {key}: {file_shape} in the file, {model_shape} in the model)"

# Evaluation (backend/artifacts/evaluate.py): the summary line, the robustness lines, a table row.
EVAL_CLASSIFICATION = (
    "{split} split, {samples} samples: accuracy {accuracy:.2%}, macro F1 {macro_f1:.4f}, weighted F1 {weighted_f1:.4f}"
)
EVAL_REGRESSION = "{split} split, {samples} samples: MSE {mse:.4g}, MAE {mae:.4g}, R^2 {r2:.4f}"
EVAL_ACCURACY_UNDER = "accuracy under {attack} ({parameter} {value}): {accuracy:.2%} ({change:+.2%})"
EVAL_MSE_UNDER = "MSE under {attack} ({parameter} {value}): {mse:.4g}"
EVAL_ROW_ACCURACY_UNDER = "accuracy under {attack} ({parameter} {value})"
