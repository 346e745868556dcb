"""The engine's user-facing message templates, in English.

Every module-level upper-case string here is a template that the engine fills with
``str.format`` (``{name}`` fields, optionally ``{name!r}`` or ``{name:.4g}``). The GUI collects
them for translation (gui/backend_text.py) and recognises a formatted message by matching it
against them, so a message must be one of two shapes:

- one template, whose fields may themselves hold a formatted template (a hint, a reason);
- templates written one after another, each one after the first starting with fixed text
  (``TV_PAPER`` starts with ", from '"), so that the pieces can be told apart again.

The errors a user can cause (ConfigError, DataError, ...) are made from the ``ERR_*`` templates,
so the GUI shows them translated too; an ``{error}`` field holds the text of a Python, OS or
library exception, which stays in English.
"""

from __future__ import annotations

from backend.core.message_text import make_templates

# Training (backend/engine/trainer.py): a loss that is not a number, early stopping, the weights file.
NAN_STOPPED = "the training loss became {loss} at epoch {epoch}, batch {batch}; training stopped. {hint}"
# A hint is a sentence of its own (after "training stopped."): it starts with a capital letter.
NAN_HINT_CHECKPOINT = "The last good checkpoint is {checkpoint} (untouched); resume from it with a lower optim.lr"
NAN_HINT_NO_CHECKPOINT = "No checkpoint was written before it; lower optim.lr or enable train.clip_grad_norm"
EARLY_STOP = "{monitor} did not improve by more than {min_delta} for {patience} epoch(s)"
WEIGHTS_WARNING = "model.weights: {report}"
TENSORBOARD_GRAPH = "TensorBoard could not trace the model graph: {error}"

# Divergence (backend/engine/divergence.py, backend/engine/trainer.py): a loss that exploded while staying finite.
# The stop messages take one DIVERGED_* reason and one NAN_HINT_* hint.
DIVERGED_STOPPED = (
    "the training loss diverged at epoch {epoch}, batch {batch}: its smoothed value {reason}; training stopped. {hint}"
)
DIVERGED_VAL_STOPPED = (
    "the validation loss diverged at the end of epoch {epoch}: its value {reason}; training stopped. {hint}"
)
DIVERGED_WEIGHTS_STOPPED = (
    "the model diverged at epoch {epoch}, step {step}: its loss on the first training samples {reason};"
    " training stopped without saving it. {hint}"
)
DIVERGED_NOT_FINITE = "{value} is not a finite number"
DIVERGED_OVER_BASELINE = (
    "{value:.4g} is more than {factor:g} times {scale:.4g}, the loss of the untrained model or of a constant prediction"
)
DIVERGED_OVER_LOWEST = (
    "{value:.4g} is more than {factor:g} times the lowest smoothed training loss ({lowest:.4g})"
    " and {start_factor:g} times the smoothed loss of the first steps ({start:.4g})"
)
# A value far outside its usual range (Option.usual in backend/core/schema.py): a warning, never a refusal.
UNUSUAL_VALUE = (
    "{key} = {value:g} ({label}) is outside its usual range {low:g} to {high:g};"
    " training starts anyway: check that this is the value you meant"
)

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
CACHE_SIZE = "{mib:.1f} MiB as uint8"
CACHE_OFF = "data.cache = 'off': images are decoded from disk every epoch ({size})"
CACHE_MEMORY = "data.cache = 'memory': decoded once into {size}"
CACHE_FITS = "decoded once into memory ({size}, fits in {where})"
CACHE_STREAMED = "streamed from disk: the decoded dataset ({size}) would not fit in {where}"
CACHE_IN_RAM = "RAM"
CACHE_IN_GPU = "GPU memory"

# Resource limits (backend/data/image_io.py, summary.py, bundle.py, backend/models/footprint.py,
# backend/core/config.py): images above the pixel limit, sizes that cannot fit in memory. The {where}
# of the memory errors is CACHE_IN_RAM or CACHE_IN_GPU; {what} a MODEL_MEMORY_*; {fix} a MODEL_FIX_*.
ERR_IMAGE_TOO_LARGE = (
    "{name} is {width}x{height} pixels ({megapixels:.1f} MP), above the {limit:.1f} MP limit for images; "
    "resize it to fewer pixels"
)
ERR_IMAGE_BOMB = (
    "{name} declares more than {limit:.1f} MP, the limit for images (a decompression bomb?); "
    "resize it to fewer pixels or remove it"
)
SUMMARY_IMAGES_SKIPPED = (
    "{count} of the {checked} image file(s) checked under {root} are unreadable or above the pixel limit "
    "and will be skipped"
)
ERR_SIZE_RANGE = "{path} must be 0 (automatic) or between 1 and {max} pixels, got {value}"
ERR_WORKERS_TOO_MANY = "data.num_workers must be at most {max} (each worker is a process of its own), got {value}"
ERR_IMAGES_TOO_BIG = (
    "{count} images of {name} at {height}x{width} pixels need {need_gib:,.1f} GiB as uint8, more than the "
    "{free_gib:,.1f} GiB of RAM free; use a smaller data.image_size"
)
ERR_MODEL_TOO_BIG = (
    "{fields}: model {arch} has {params:,} parameters and would need about {need_gib:,.1f} GiB for {what}, "
    "more than the {free_gib:,.1f} GiB free in {where}; {fix}"
)
ERR_MODEL_OUT_OF_MEMORY = "{fields}: building model {arch} ran out of memory ({error}); {fix}"
ERR_BATCH_TOO_BIG = (
    "data.batch_size = {batch}: a training step of {arch} would need about {need_gib:,.1f} GiB "
    "(gradients, optimizer state and {sample_mib:,.2f} MiB of activations per sample), more than "
    "the {free_gib:,.1f} GiB free in {where}; use a smaller data.batch_size or data.image_size"
)
MODEL_MEMORY_WEIGHTS = "its weights"
MODEL_MEMORY_TRAINING = "training (weights, gradients and optimizer state)"
MODEL_FIX_OPTIONS = "make {fields} smaller or choose a smaller model"
MODEL_FIX_ARCH = "choose a smaller model"

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

# Why torch.compile cannot be offered (backend/engine/device.py).
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

# Errors: data loading (backend/data/...). TV_FILES_* say where torchvision's layout keeps a
# dataset's files (the {files} of the TV errors).
ERR_TRANSFORM_UNKNOWN = "data.transforms: unknown transform {name!r}; available: {names}"
ERR_TRANSFORM_NOT_NUMBER = "data.transforms: {text!r} has a non-numeric argument; write it like '{example}'"
ERR_TRANSFORM_TOO_MANY = "data.transforms: {name} takes at most {count} argument(s), got {text!r}"
ERR_CENTER_CROP_SIZE = "data.transforms: center_crop needs a size in pixels, e.g. 'center_crop:24'"
ERR_FLIP_PROBABILITY = "data.transforms: {name} probability must be in [0, 1], got {value:g}"
ERR_BUILTIN_NAME = "data.name must be one of {names} for builtin data; got {name!r}"
ERR_BUILTIN_TASK = "builtin dataset {name!r} is a {task} task; set data.task = 'auto' or {value!r}"
ERR_SPLIT_FAILED = (
    "cannot split {count} samples with data.val_split = {val_split}: {error}; use more data or a different val_split"
)
ERR_IMAGENET_NEEDS_RGB = (
    "data.normalize = 'imagenet' needs RGB images but these have {channels} channel(s); use 'dataset' or 'none'"
)
ERR_CACHE_TOO_BIG = (
    "data.cache = 'memory' but the decoded dataset ({size}) is larger than the free RAM; "
    "use data.cache = 'auto' or 'off', or a smaller data.image_size"
)
ERR_AUGMENT_TABULAR = (
    "data.augment = {augment!r} applies to images, but dataset {name} is tabular; set data.augment = 'none'"
)
ERR_CSV_UNREADABLE = "cannot read {path} as CSV text: {error}"
ERR_CSV_MISSING = "CSV file {path} does not exist; set data.root to the path of a .csv file"
ERR_CSV_EMPTY = "CSV file {path} is empty; it needs a header line and at least one row"
ERR_CSV_NO_ROWS = "CSV file {path} has a header but no rows of data"
ERR_CSV_ROW_LENGTH = "{path} line {line} has {count} fields but the header has {expected}; fix that row"
ERR_CSV_ROOT_EMPTY = "data.root is empty; set it to the path of a .csv file"
ERR_CSV_TARGET_EMPTY = "data.target is empty; set it to one of the columns of {name}: {columns}"
ERR_CSV_TARGET_UNKNOWN = "data.target = {target!r} is not a column of {name}; columns: {columns}"
ERR_CSV_TOO_FEW_ROWS = "{name} has fewer than 2 rows with a value in column {column!r}"
ERR_CSV_REGRESSION_TEXT = "data.task = 'regression' but column {column!r} holds text; use 'classification'"
ERR_CSV_FREE_TEXT = (
    "column {column!r} of {name} holds {count} different non-numeric values; "
    "it looks like free text or a broken number column: fix or remove it"
)
ERR_CSV_NO_FEATURES = "{name} has no usable feature columns besides the target {column!r}"
ERR_NO_CLASS_FOLDERS = (
    "{root} has no class sub-folders; put the images in one folder per class "
    "(for example {root}/cat/*.png and {root}/dog/*.png)"
)
ERR_CLASS_FOLDER_EMPTY = "class folder {folder} has no images ({extensions}); add images or remove the folder"
ERR_IMAGE_ROOT_EMPTY = "data.root is empty; set it to a folder of class sub-folders of images"
ERR_IMAGE_FOLDER_MISSING = "image folder {path} does not exist; set data.root to a folder of class sub-folders"
ERR_TRAIN_VAL_CLASSES = "{path}/train and {path}/val must hold the same class folders; train has {train}, val has {val}"
ERR_IMAGES_UNREADABLE = "none of the first images under {folder} could be read; check that the folder holds image files"
ERR_IMAGES_UNDECODABLE = "none of the images could be decoded; check the files under data.root"
ERR_TOO_FEW_IMAGES = "{root} has too few readable images for a training and a validation split"
ERR_TV_NAME = "data.name must be one of {names} for torchvision data; got {name!r}"
ERR_TV_ROOT_EMPTY = "data.root is empty; set it to the folder that holds {name} in torchvision's layout"
ERR_TV_DOWNLOAD_FAILED = (
    "downloading {name} failed ({error}); this machine may be offline: put {files} there and set data.download = false"
)
ERR_TV_FILES_MISSING = (
    "{name} files were not found: put {files}, or set data.download = true on a machine that is online"
)
ERR_TV_DAMAGED = "{name} files under {root} are damaged ({error}); replace them with a fresh copy"
ERR_TV_COUNTS = "{name} under {root} has {images} images but {labels} labels; replace the files with a matching pair"
ERR_TV_LABELS = "{name} under {root} has labels outside 0..{last}; the files are damaged"
TV_FILES_IDX = "{folder}/{prefix}-images-idx3-ubyte and {prefix}-labels-idx1-ubyte (or .gz)"
TV_FILES_CIFAR10 = "{folder}/{files} and batches.meta"
TV_FILES_CIFAR100 = "{folder}/{split} and meta"
ERR_TEST_UNKNOWN_CLASSES = "{where} has class(es) {unknown} that the model was not trained on; its classes are {known}"
ERR_TEST_TV_MISSING = "the {name} test files were not found: put {files}"
ERR_TEST_TV_DAMAGED = "the {name} test files under {root} are damaged ({error})"
ERR_TEST_CSV_MISSING = "test CSV file {path} does not exist"
ERR_TEST_CSV_NO_TARGET = "{name} has no target column {column!r}; the test file needs the same columns"
ERR_TEST_CSV_NO_VALUES = "{name} has no rows with a value in the target column {column!r}"
ERR_TEST_CSV_TEXT_TARGET = "the target column {column!r} of {name} holds text, but the model predicts numbers"
ERR_TEST_FOLDER_NEEDED = "give the test set's folder (class sub-folders of images)"
ERR_TEST_CSV_NEEDED = "give the test set's CSV file (with the same columns, target {column!r} included)"
ERR_TEST_BUILTIN = "built-in datasets have no separate test set; evaluate on the validation split"

# Errors: building a model (backend/models/..., backend/engine/model_summary.py). ERR_MODEL_* (a catalogue
# model, in the summary and the trainer) and ERR_CUSTOM_FORWARD_* take the fields that
# backend/models/output_check.py fills. MODEL_DATASET or MODEL_THE_DATASET is the {dataset} of ERR_MODEL_*;
# CUSTOM_CLASSES or CUSTOM_NO_CLASS the {found} of ERR_CUSTOM_CLASS_MISSING; ERR_ARCH_DID_YOU_MEAN may follow ERR_ARCH_UNKNOWN.
ERR_FILE_ARCH_FORMAT = (
    "model.arch = {arch!r} must look like file:path/to/model.py:ClassName "
    "(a Python file and the name of an nn.Module class defined in it)"
)
ERR_ARCH_UNKNOWN = (
    "model.arch must be one of {names}, a torchvision model written tv:<name> ({count} of them, for example "
    "tv:resnet18 or tv:mobilenet_v3_small), or file:path/to/model.py:ClassName for your own nn.Module; got {arch!r}"
)
ERR_ARCH_DID_YOU_MEAN = "; did you mean {name!r}?"
ERR_CUSTOM_ARGUMENT = (
    "{cls}.__init__ needs {names}, which TorchDesk cannot supply; give it a default value "
    "(TorchDesk passes {available} when the signature names them)"
)
ERR_CUSTOM_ARGUMENTS = (
    "{cls}.__init__ needs {names}, which TorchDesk cannot supply; give them a default value "
    "(TorchDesk passes {available} when the signature names them)"
)
ERR_CUSTOM_FILE_MISSING = (
    "model file {path} does not exist; model.arch must look like "
    "file:path/to/model.py:ClassName with a path to a Python file"
)
ERR_CUSTOM_NOT_PYTHON = "model file {path} cannot be imported as Python (use a .py file)"
ERR_CUSTOM_SYNTAX = "model file {path} has a syntax error at line {line}: {error}"
ERR_CUSTOM_IMPORT = "importing model file {path} failed: {error}"
ERR_CUSTOM_CLASS_MISSING = "model file {path} does not define {name!r}; {found}"
CUSTOM_CLASSES = "nn.Module classes defined there: {names}"
CUSTOM_NO_CLASS = "it defines no nn.Module class"
ERR_CUSTOM_NOT_MODULE_CLASS = (
    "{name} in {path} is not a torch.nn.Module subclass (it is {kind} {value!r}); "
    "point model.arch at a class that subclasses nn.Module"
)
ERR_CUSTOM_FORWARD_FAILED = (
    "the forward of {name} from {path} failed on a sample batch of shape {batch_shape} "
    "(the dataset's samples are {input_shape}): {error}"
)
ERR_CUSTOM_FORWARD_NOT_TENSOR = (
    "the forward of {name} from {path} returned {kind}, not a tensor; return the logits of shape (batch, {outputs})"
)
ERR_CUSTOM_FORWARD_SHAPE = (
    "the forward of {name} from {path} returned shape {output_batch_shape} for a batch of {batch} samples of shape "
    "{input_shape}, but the dataset needs ({batch}, {outputs}): {outputs} output(s) per sample"
)
ERR_CUSTOM_CONSTRUCTOR = "{name}({arguments}) from {path} raised {error}"
ERR_CUSTOM_NOT_MODULE = "{name}(...) from {path} did not return an nn.Module"
ERR_HEAD_NOT_SUBMODULE = "{cls}.{attribute} names {name!r}, which is not a sub-module of the model"
ERR_FREEZE_NO_HEAD = (
    "cannot freeze the backbone of {cls}: its head (output layer) was not found; "
    "give the class a head_module_names attribute"
)
ERR_NO_TRAINABLE = "the model has no trainable parameters; unset model.freeze_backbone"
ERR_MODEL_NEEDS_IMAGES = (
    "model {arch} needs images (channels, height, width) but the dataset gives {dims}-d samples of shape "
    "{shape}; use model.arch = 'mlp' for tabular data"
)
ERR_SIMPLE_CNN_TOO_SMALL = "model simple_cnn needs images of at least 4x4 pixels, got {height}x{width}"
ERR_VGG_TOO_SMALL = (
    "model vgg_small needs images of at least {side}x{side} pixels (three 2x2 max-pools) "
    "but the dataset's are {height}x{width}"
)
ERR_TV_INPUT_TOO_SMALL = (
    "model.input_size = {size} is smaller than {arch} accepts ({smallest} pixels); use 0 (automatic) or at least "
    "{smallest}"
)
ERR_TV_PATCHES = (
    "{arch} cuts images into {patch}x{patch} patches, so model.input_size must be a multiple of {patch}; got {size}"
)
ERR_TV_INPUT_MULTIPLE = "{arch} needs model.input_size to be a multiple of {multiple}; got {size}"
ERR_TV_NO_STEM = "{cls} has no Conv2d reading {channels} channels to adapt"
ERR_TV_NOT_CLASSIFIER = "{arch} is not a classification model of torchvision {version}"
ERR_TV_BUILD_FAILED = "torchvision cannot build {arch} for images of shape {shape} (fed at {height}x{width}): {error}"
ERR_WEIGHTS_MISSING = (
    "model.weights file {path} does not exist; pick a local .pth, .pt or .safetensors file "
    "(TorchDesk never downloads weights)"
)
ERR_WEIGHTS_EMPTY = "model.weights file {path} is empty (0 bytes)"
ERR_WEIGHTS_UNREADABLE = (
    "{path} is not a readable PyTorch or safetensors weights file (truncated, corrupted or another format)"
)
ERR_WEIGHTS_NO_TENSORS = "{path} holds no tensors (no state dict found, also not under {keys})"
ERR_SAFETENSORS_UNREADABLE = "{path} is not a readable safetensors file: {error}"
ERR_WEIGHTS_NONE_FIT = (
    "none of the {count} tensors in {path} fit model {arch} (file keys start {file_keys}; the model's start "
    "{model_keys}); pick weights saved from the same architecture"
)
ERR_MODEL_CANNOT_PROCESS = "model {arch} cannot process samples of shape {shape} from {dataset}: {error}"
ERR_MODEL_NOT_TENSOR = (
    "model {arch} returns {kind} for samples of shape {shape} from {dataset}; "
    "it must return a tensor of shape (batch, {outputs})"
)
ERR_MODEL_OUTPUT_SHAPE = (
    "model {arch} outputs shape {shape} per sample for samples of shape {input_shape} from {dataset}, "
    "which needs {outputs} output(s) per sample"
)
MODEL_DATASET = "dataset {name!r}"
MODEL_THE_DATASET = "the dataset"

# Errors: checkpoints, training setup, devices and losses (backend/store/checkpoint.py, trainer.py,
# device.py, losses.py, runs.py, tensorboard_logger.py). ERR_COMPILE's {reason} is a COMPILE_* message.
ERR_CKPT_MISSING = "checkpoint {path} does not exist; pick a .ckpt file from a run's checkpoints folder"
ERR_CKPT_EMPTY = "checkpoint {path} is empty (0 bytes); use another checkpoint of the run"
ERR_CKPT_NOT_PYTORCH = "{path} is not a readable PyTorch checkpoint (corrupted or another format)"
ERR_CKPT_UNREADABLE = "{path} is not a readable PyTorch checkpoint (truncated or corrupted?): {error}"
ERR_CKPT_NOT_TORCHDESK = "{path} is not a TorchDesk checkpoint (no 'model' and 'config' entries)"
ERR_CKPT_WEIGHTS_MISFIT = (
    "the weights in {source} do not fit this model ({error}); "
    "check that model.arch and its options match the run that saved them"
)
ERR_MONITOR_TASK = "train.monitor = {monitor!r} does not exist for a {task} task; use one of {names}"
ERR_TOO_FEW_TRAINING = "the training split has fewer than 2 samples; lower data.val_split or use more data"
ERR_BATCH_TOO_LARGE = (
    "data.batch_size = {size} is larger than the {count} training samples each process sees; "
    "use data.batch_size <= {count}"
)
ERR_RESUME_MODEL = (
    "the checkpoint {path} was saved with a different [model] section; resume with the run's own config.toml"
)
ERR_RESUME_OPTIMIZER = (
    "the optimizer or schedule in {path} does not match the config ({error}); resume with the run's own config.toml"
)
ERR_NO_CUDA = "train.device = {name!r} but no CUDA device is available here; use 'auto' or 'cpu'"
ERR_CUDA_INDEX = "train.device = {name!r} but this machine has {count} CUDA device(s); use cuda:0 to cuda:{last}"
ERR_NO_MPS = "train.device = 'mps' but Apple MPS is not available here; use 'auto' or 'cpu'"
ERR_PRECISION = "train.precision = {name!r} is not supported on {device}; choose one of {names} or 'auto'"
ERR_COMPILE = "train.compile = true cannot be used here: {reason}; set train.compile = false"
ERR_LOSS_TASK = "loss.name = {name!r} does not fit a {task} task; use one of {names}"
ERR_CLASS_WEIGHTS_REGRESSION = "loss.class_weights only applies to classification; remove it for a regression task"
ERR_CLASS_WEIGHTS_COUNT = (
    "loss.class_weights has {count} values but the dataset has {classes} classes; "
    "give one weight per class or leave it empty"
)
ERR_LABEL_SMOOTHING_REGRESSION = "loss.label_smoothing only applies to classification; set it to 0 for regression"
ERR_TOO_MANY_RUNS = "too many runs named {name!r} in {root}"
ERR_NO_TENSORBOARD = (
    "train.tensorboard = true needs the tensorboard package: pip install 'torchdesk[tensorboard]', "
    "or set train.tensorboard = false"
)

# Errors of the operating system while writing, and run folders that are taken (backend/core/os_errors.py,
# run_lock.py, run_store.py). ERR_RUN_STOPPED_OS's {error} is one of the ERR_* of the first group.
ERR_DISK_FULL = "the disk holding {path} is full: free some space on it, or choose a folder on another disk"
ERR_READ_ONLY = "{path} is on a read-only file system: choose a folder on a writable disk"
ERR_NO_PERMISSION = "no permission to write {path}: choose a folder you can write to, or change its permissions"
ERR_NOT_A_FOLDER = "{path} is a file, not a folder: give a folder path, or move that file away"
ERR_IS_A_FOLDER = "{path} is a folder, not a file: give a file path"
ERR_OUT_IS_FOLDER = "{path} is a folder: give a file path for the output, for example {example}"
ERR_NAME_TOO_LONG = "a name in {path} is too long for its file system: choose a shorter name"
ERR_CANNOT_WRITE = "cannot write {path} ({error}): check the disk, or choose another folder"
ERR_RUN_STOPPED_OS = (
    "{error}. The run stopped; its last good checkpoint {checkpoint} is intact: resume from it once this is fixed"
)
ERR_RUN_DIR_HAS_RUN = (
    "{path} already holds a run ({files}); continue it with 'torchdesk-cli resume {path}', or train into a "
    "fresh folder (another --run-dir, or --overwrite to move the old run aside)"
)
ERR_RUN_DIR_HAS_STUB = (
    "{path} already holds a run that wrote no checkpoint ({files}); train into a fresh folder "
    "(another --run-dir, or --overwrite to move the old run aside)"
)
ERR_RUN_LOCKED = (
    "{path} is in use by another training process (PID {pid} on {host}, since {started}); "
    "wait for that run to end or stop it, or train into another folder"
)
RUN_LOCK_STALE = "took over the lock of {path} left by PID {pid} on {host} (since {started}): that process has ended"
RUN_MOVED_ASIDE = "the run that was in {path} was moved to {aside}"
PREDICT_IS_FOLDER = "a folder, not a file; give the image or CSV files inside it (for example {example})"

# Errors: configuration files and values (backend/core/config.py). The generic ones name the key
# ({path}: optim.lr, data.batch_size, ...).
ERR_CHOICE = "{path} must be one of {allowed}; got {value!r}"
ERR_NOT_FINITE = "{path} must be a finite number, got {value}"
ERR_NOT_POSITIVE = "{path} must be > 0, got {value}"
ERR_NEGATIVE = "{path} must be >= 0, got {value}"
ERR_NOT_BETWEEN_0_AND_1 = "{path} must be between 0 and 1 (exclusive), got {value}"
ERR_NOT_IN_0_TO_1 = "{path} must be in [0, 1), got {value}"
ERR_NOT_ALL_POSITIVE = "{path} must all be > 0, got {value}"
ERR_TYPE_INTEGER = "{path} must be an integer, got {value!r}"
ERR_TYPE_NUMBER = "{path} must be a number, got {value!r}"
ERR_TYPE_BOOL = "{path} must be true or false, got {value!r}"
ERR_TYPE_STRING = "{path} must be a string, got {value!r}"
ERR_TYPE_LIST = "{path} must be a list of {kind}, got {value!r}"
ERR_SECTION_NOT_TABLE = "[{section}] must be a table of keys, got {value!r}"
ERR_UNKNOWN_KEY = "unknown key {section}.{key}; allowed keys in [{section}]: {allowed}"
ERR_UNKNOWN_TOP_KEY = "unknown key {key!r} at the top level; allowed: {allowed}"
ERR_CONFIG_MISSING = "config file {path} does not exist; check the path"
ERR_CONFIG_UNREADABLE = "cannot read config file {path}: {error}"
ERR_CONFIG_TOML = "{source} is not valid TOML: {error}"
ERR_NAME_EMPTY = "name must not be empty; give the run a short name such as 'digits-mlp'"
ERR_TRANSFORMS_NOT_CUSTOM = "data.transforms is only used with data.augment = 'custom'; set that or remove the list"
ERR_PERSISTENT_WORKERS = "data.persistent_workers needs data.num_workers > 0"
ERR_NESTEROV = "optim.nesterov needs optim.name = 'sgd' and optim.momentum > 0"
ERR_BETAS = "optim.betas must be two numbers in [0, 1), got {value}"
ERR_MILESTONES = "schedule.milestones must be increasing epochs > 0, got {value}"
ERR_RUNS_DIR_EMPTY = "train.runs_dir must not be empty; use 'runs' for the default folder"

# Errors: model files and the artifact actions (backend/artifacts/...). KIND_* is the {kind} of
# ERR_NOT_WEIGHTS. Argument checks that only the command line or the Python API can fail (a split,
# method or format name, an opset, top-k, threads, attack strengths) stay in English.
ERR_NO_RUN_CONFIG = (
    "{source} does not say which dataset the model was trained on (no run config); "
    "use the run's checkpoint, or a weights file saved by TorchDesk"
)
ERR_DATA_CHANGED = (
    "the dataset {name} now gives samples of shape {shape} with {outputs} output(s), but the model was trained "
    "on {model_shape} with {model_outputs}; the data changed since training"
)
ERR_TEST_SHAPE = (
    "the test samples have shape {shape} but the model takes {model_shape}; use images of the training size"
)
ERR_SPLIT_EMPTY = "the {split} split of the run's dataset is empty"
ERR_ONNX_NEEDS_PLAIN = "ONNX export needs a PyTorch checkpoint or weights file; {source} is a {format} archive"
ERR_TORCHSCRIPT_NEEDS_PLAIN = (
    "TorchScript export needs a PyTorch checkpoint or weights file; {source} is a {format} archive"
)
ERR_TORCH_EXPORT_NEEDS_PLAIN = "torch.export needs a PyTorch checkpoint or weights file; {source} is a {format} archive"
ERR_QUANTIZATION_NEEDS_PLAIN = "quantization needs a PyTorch checkpoint or weights file; {source} is a {format} archive"
ERR_ONNX_BOTH_FAILED = (
    "the model cannot be exported to ONNX: both exporters failed (last: {error}); try TorchScript or .pt2 instead"
)
ERR_ONNX_PACKAGES = "ONNX export needs the 'onnx' and 'onnxscript' packages; install them"
ERR_TORCHSCRIPT_FAILED = (
    "TorchScript {method} failed for this model ({error}); try --method {other} or export to ONNX or .pt2"
)
ERR_TORCH_EXPORT_FAILED = "torch.export cannot capture this model ({error}); export to TorchScript or ONNX instead"
ERR_PATH_IS_FOLDER = "{path} is a folder; pick a model file (.ckpt, .pth, .safetensors, .pt, .pt2 or .onnx)"
ERR_MODEL_FILE_MISSING = "model file {path} does not exist; check the path"
ERR_MODEL_FILE_EMPTY = "model file {path} is empty (0 bytes); it was not written completely - save it again"
ERR_ZIP_CORRUPTED = (
    "{path} starts like a PyTorch archive (zip) but is truncated or corrupted; save or copy the file again"
)
ERR_ZIP_FOREIGN = "{path} is a zip archive but not one PyTorch wrote (no data.pkl); pick a model file"
ERR_SAFETENSORS_HEADER = "{path} has a corrupted safetensors header; save the weights again"
ERR_SAFETENSORS_TRUNCATED = (
    "{path} is a truncated safetensors file (its header promises more bytes than the file has); "
    "save or copy the weights again"
)
ERR_UNKNOWN_FORMAT = (
    "{path} is not a model file TorchDesk can read (not a PyTorch checkpoint or weights, "
    "safetensors, TorchScript, .pt2 or ONNX file); it may be corrupted"
)
ERR_LOAD_STRICT = (
    "the weights in {name} do not fit this model ({summary}); load them partially (strict off) to keep the "
    "fitting tensors, or pick weights saved from the same architecture"
)
ERR_LOAD_NONE_FIT = (
    "none of the tensors in {name} fit this model ({summary}); pick weights saved from the same architecture"
)
ERR_RUN_FOLDER_NO_MODEL = (
    "{path} holds no checkpoints/best.ckpt, checkpoints/last.ckpt or model.safetensors; "
    "give a run folder or a model file"
)
ERR_NO_METADATA = (
    "{source} has no TorchDesk metadata (architecture, input shape, outputs), so the model cannot be rebuilt "
    "from it alone; load it into a model of the same architecture instead (File > Load weights into the "
    "current model)"
)
ERR_REBUILD_FAILED = "cannot rebuild the model of {source}: {error}"
ERR_REBUILD_MISFIT = (
    "the weights in {source} do not fit model {arch} ({summary}); "
    "the file holds weights of another architecture or was edited"
)
ERR_ONNX_NOT_PYTORCH = (
    "{path} is an ONNX model; it can be used for prediction, but saving, exporting, quantizing and evaluating "
    "need the PyTorch checkpoint or weights file"
)
PREDICT_FILE_NOT_FOUND = "file not found"
ERR_PREDICT_IMAGE_FOR_TABLE = "{name} is an image, but this model takes table rows; give a .csv file"
ERR_PREDICT_NOT_IMAGE = "{name} cannot be read as an image (corrupted or not an image)"
ERR_PREDICT_TABLE_FOR_IMAGES = "{name} is a table, but this model takes images; give image files"
ERR_PREDICT_EMPTY = "{name} is empty"
ERR_PREDICT_NO_METADATA = (
    "{path} carries no TorchDesk metadata, so its preprocessing and class names are unknown; "
    "export it with TorchDesk (torchdesk-cli export) and predict with that file"
)
ERR_PREDICT_NOT_NUMBER = "{name} line {line} holds a value that is not a number"
ERR_PREDICT_ROW_VALUES = "{name} line {line} has {count} value(s) but the model takes {features} features"
ERR_PREDICT_COLUMNS = (
    "{name} lacks the column(s) {columns} the model was trained on; "
    "its header must name them (extra columns such as the target are ignored)"
)
ERR_PREDICT_ROW_LENGTH = "{name} line {line} has {count} fields but the header has {expected}"
ERR_QUANT_NO_RESULT = "method {method} has no result to save: {reason}"
ERR_QUANT_NOT_APPLICABLE = "quantization method {method} does not apply here: {reason}"
ERR_QUANT_METHOD_FAILED = "quantization method {method} failed: {error}"
ERR_PYTORCH_UNREADABLE = "{path} is not a readable PyTorch file (truncated or corrupted)"
ERR_PYTORCH_UNREADABLE_DETAIL = "{path} is not a readable PyTorch file (truncated or corrupted?): {error}"
ERR_SAFETENSORS_CORRUPTED = "{path} is not a readable safetensors file (truncated or corrupted?): {error}"
ERR_NOT_WEIGHTS = "{path} is a {kind}, not a weights file; weights come from a .pth, .safetensors or .ckpt file"
KIND_TORCH = "PyTorch file (torch.save)"
KIND_TORCHSCRIPT = "TorchScript archive"
KIND_PT2 = "torch.export program (.pt2)"
KIND_SAFETENSORS = "safetensors weights"
KIND_ONNX = "ONNX model"
ERR_NOT_STATE_DICT = "{path} holds a {kind}, not a state dict or a checkpoint"
ERR_NO_TENSORS_NESTED = "{path} holds no tensors (no state dict at the top level or under {keys})"
ERR_TORCHSCRIPT_UNREADABLE = "{path} is not a loadable TorchScript archive (truncated or corrupted?): {error}"
ERR_PT2_UNREADABLE = (
    "{path} is not a loadable torch.export program (truncated, corrupted or from an incompatible PyTorch?): {error}"
)
ERR_UNPICKLE_FAILED = "{path} could not be unpickled ({error}); the classes it needs may be missing"
ERR_NOT_A_MODEL = "{path} holds a {kind}, not a model"
ERR_NO_ONNXRUNTIME = "ONNX Runtime is not installed; install the 'onnxruntime' package to run .onnx models"
ERR_ORT_LOAD = "ONNX Runtime cannot load {path}: {error}"
ERR_SAVE_NOT_PLAIN = "{source} is a {format} archive; weights are saved from a PyTorch checkpoint or weights file"
ERR_CKPT_NEEDS_CHECKPOINT = (
    "a resumable .ckpt needs a training checkpoint as the source (a run's checkpoints/last.ckpt); "
    "{source} holds weights only - save it as .pth or .safetensors instead"
)

# The GUI's restored session (gui/session.py): a custom model file is never imported at start.
SESSION_NOT_RESTORED = "the last session's settings could not be restored, so the defaults are shown: {reason}"
SESSION_FILE_MODEL_NOT_RESTORED = (
    "the last session used the model file {path}; it was not loaded at start, because loading it runs its code: "
    "choose it again under Model > Architecture to use it"
)

# Files that would run code, and damaged metadata (backend/store/trust.py, backend/artifacts/metadata.py).
# ERR_PICKLED_CODE's {names} lists globals (WEIGHTS_MORE counts the rest) and its {fix} is PICKLE_FIX_*;
# ERR_METADATA_DAMAGED's {what} is a METADATA_* message, whose {expected} is a META_* description.
ERR_PICKLED_CODE = (
    "{path} contains Python code: pickled objects that run when the file is loaded ({names}), so it was refused; {fix}"
)
PICKLE_FIX_TRUSTED = (
    "load it only if you trust its source (--trusted on the command line, or confirm in the app), "
    "otherwise ask for a .safetensors weights file"
)
PICKLE_FIX_TENSORS_ONLY = (
    "checkpoints and starting weights are read as plain tensors only, even from trusted sources: "
    "ask for a .safetensors or weights-only .pth file"
)
ERR_UNTRUSTED_MODEL_FILE = (
    "{source} defines its model by the Python file {path} (SHA-256 {sha256}), named in its metadata; "
    "importing that file runs its code, so it was not imported. If you trust it, run again with --trusted "
    "(in the app: confirm when asked); otherwise {fix}"
)
# ERR_UNTRUSTED_MODEL_FILE's {fix}, by what the file was opened for: using the model (predict, evaluate, export)
# or its run's configuration (resume the run, restore its settings), which an export cannot replace.
UNTRUSTED_FIX_MODEL = "use an ONNX or TorchScript export of the model"
UNTRUSTED_FIX_RUN = (
    "start a new run with a model you choose: resuming this run, or restoring its settings, needs that file's model"
)
ERR_METADATA_DAMAGED = (
    "the TorchDesk metadata in {path} is damaged ({what}); save or export the model again from its run, "
    "or load its weights into a model you configure (File > Load weights into the current model)"
)
METADATA_NOT_JSON = "not valid JSON: {error}"
METADATA_NOT_TABLE = "it holds {value}, not a table of values"
METADATA_MISSING = "{key} is missing"
METADATA_BAD_VALUE = "{key} is {value}, not {expected}"
METADATA_COUNT = "{key} has {count} value(s) for {expected} {what}"
METADATA_MODEL = "model: {error}"
META_TABLE = "a table of values"
META_STRING = "a string"
META_STRINGS = "a list of strings"
META_NUMBER = "a finite number"
META_NUMBERS = "a list of finite numbers"
META_POSITIVE_INT = "a positive integer"
META_SHAPE = "a list of 1 to 4 positive integers"
META_SIZE = "a list of two positive integers"
META_CHANNELS = "1 or 3"
META_OPTIONAL_INT = "a positive integer or null"
META_CHOICE = "one of {names}"
META_OUTPUTS = "outputs"
META_CHANNELS_OR_FEATURES = "inputs"

# Data that cannot train a model (backend/data/csv_table.py, bundle.py, test_sets.py, backend/core/config.py,
# backend/artifacts/predict.py): numbers that are not finite, stray text in a number column, a single
# class, the seed. {lines} are line numbers of the file (the header is line 1, as in a spreadsheet) and
# {rows} the same cells counted as data rows (the header not counted); {values} quotes the cells.
CSV_TEXT_IN_NUMBERS = (
    "column {column!r} holds numbers but also {count} non-numeric value(s), first on line(s) {lines} of the file "
    "(data row(s) {rows}): {values}; they were treated as missing values"
)
ERR_CSV_NOT_FINITE = (
    "column {column!r} of {name} holds {count} value(s) that are not finite numbers (inf, nan or beyond "
    "+-3.4e38), first on line(s) {lines} of the file (data row(s) {rows}): {values}; replace them with finite "
    "numbers, or leave the cells empty to mark them missing"
)
ERR_ONE_CLASS = (
    "{name} has a single class in its training split, {label!r}, and a classifier needs at least 2: add samples "
    "of another class (an image folder needs one sub-folder per class)"
)
CLASSES_ONLY_IN_VAL = (
    "class(es) {names} appear only in the validation split, so the model never trains on them; "
    "add training samples of them or change data.val_split"
)
ERR_CONSTANT_TARGET = (
    "{name} has the same target value, {value:.6g}, in every training sample, so a regression has nothing to "
    "learn; use a target column whose values vary"
)
ERR_SEED_RANGE = "seed must be an integer from 0 to 4294967295 (2**32 - 1), got {value}"
ERR_PREDICT_NOT_FINITE = (
    "{name} line {line} (data row {row}), column {column}: {value!r} is not a finite number (inf, nan or beyond "
    "+-3.4e38); replace it with a finite number"
)
ERR_PREDICT_OUTPUT_NOT_FINITE = (
    "the model's output for this input is not a finite number: the input lies far outside the range the model "
    "was trained on, or the model's weights are broken"
)


# Errors: a config value outside the range the option schema declares (backend/core/schema.py).
ERR_OPTION_RANGE = "{path} must be between {low:g} and {high:g}, got {value}"

# Errors that held-out hostile inputs found: a run folder inside another run (backend/store/run_store.py),
# CSV files (backend/data/csv_table.py). {position} is the
# offset of the first byte that is not UTF-8.
ERR_CSV_NOT_UTF8 = (
    "cannot read {path}: it is not UTF-8 text (byte {position}); save it again as 'CSV UTF-8' "
    "(a spreadsheet's Save as offers it), then load it"
)
ERR_RUN_DIR_INSIDE_RUN = (
    "--run-dir {path} lies inside the run folder {run}, where a new run would mix its files into that run's; "
    "train into a folder outside it (another --run-dir), or continue that run with 'torchdesk-cli resume {run}'"
)
ERR_CSV_DECIMAL_COMMA = (
    "column {column!r} of {name} holds numbers written with a decimal comma, first on line(s) {lines} of the file "
    "(data row(s) {rows}): {values}; save the file with a decimal point (5.1, not 5,1) so that they read as numbers"
)
ERR_CSV_DUPLICATE_COLUMN = (
    "{path} has two columns named {column!r}; rename one of them so that each column has its own name"
)

# Learning-rate range test (backend/engine/lr_finder.py, backend/artifacts/lr_find_files.py, Tools > Find
# learning rate). LR_RULE_* name the rule that picked the suggestion; LR_STOP_* say why the test ended.
LR_RULE_STEEPEST = "steepest descent of the smoothed loss"
LR_RULE_MINIMUM = "a tenth of the learning rate at the lowest smoothed loss"
LR_STOP_DIVERGED = "stopped at lr {lr:.2e}: the smoothed loss rose above {factor:g} times its lowest value"
LR_STOP_NOT_FINITE = "stopped at lr {lr:.2e}: the loss is not a finite number"
LR_STOP_END = "reached the end of the range, lr {lr:.2e}"
LR_FIND_PROGRESS = "step {step} of {steps}: lr {lr:.2e}, smoothed loss {loss:.4g}"
LR_FIND_LOADING = "loading the data and building the model"
ERR_LR_FIND_RANGE = (
    "the learning-rate range must rise from a start above 0 to a larger end; got start {start:g} and end {end:g}"
)
ERR_LR_FIND_STEPS = "the range test needs at least {low} steps; got {steps}"
ERR_LR_FIND_TOO_FEW = (
    "the range test stopped after {count} step(s), too few to suggest a learning rate: the loss diverged at once; "
    "start the range lower (--start-lr) or check the data and the model"
)
ERR_LR_FIND_OUT_TAKEN = (
    "{path} already holds {names}; choose another --out folder, or drop --out to write into a new one "
    "(nothing is overwritten)"
)

# Show the code (backend/artifacts/script_export.py, File > Export as Python script, the Code view).
# ERR_SCRIPT_UNSUPPORTED's {reason} is a SCRIPT_WHY_* message.
ERR_SCRIPT_UNSUPPORTED = (
    "the Python script cannot express {field} = {value}: {reason}; change {field}, or train this run in TorchDesk"
)
SCRIPT_WHY_FILE_MODEL = "a model class from your own file is not written into the script"
SCRIPT_WHY_SHAPES = "the generated shapes images exist only inside TorchDesk"
SCRIPT_WHY_WEIGHTS = "starting from a weights file is not written into the script"
SCRIPT_WHY_BACKBONE = "freezing or slowing down the backbone is not written into the script"
SCRIPT_WHY_NOT_CLASSIFIER = "the script writes out mlp, simple_cnn and the torchvision models (tv:...)"
ERR_SCRIPT_EXISTS = "{path} already exists; choose another --out file, or add --force to replace it"
ERR_SCRIPT_SOURCE = (
    "{path} is neither a run folder (with config.toml), a checkpoint nor a config file (.toml); "
    "give one of those to write its script"
)

# Curves and run comparison (H3: backend/engine/trainer.py, backend/cli/main.py): resuming a run that
# has trained all its epochs.
ERR_RESUME_FINISHED = (
    "the run of {path} has already trained all its {epochs} epoch(s); to train it further, resume it with "
    "more epochs in total (torchdesk-cli resume RUN --epochs {more}; in the app, answer 'Train further')"
)

# Results a user can trust (issue 12; backend/artifacts/predict.py): an input unlike the training data
# still gets an answer, with a warning. PREDICT_WARN_MODE's {mode} and {train_mode} are PREDICT_MODE_*.
PREDICT_WARN_SIZE = (
    "{name} is {width}x{height} pixels, but the model was trained on {train_width}x{train_height} images: "
    "it was resized to {train_width}x{train_height}, so the answer may be unreliable"
)
PREDICT_WARN_MODE = (
    "{name} is {mode}, but the model was trained on {train_mode} images: it was converted, "
    "so the answer may be unreliable"
)
PREDICT_MODE_GRAY = "grayscale"
PREDICT_MODE_COLOUR = "colour"

# Sweeps (backend/engine/sweep.py): --param KEY=SPEC checks ({item} is the whole --param text; the {error}
# of ERR_SWEEP_PARAM_VALUE is the option's own range or choice error), the study, and the notes of a sweep.
ERR_SWEEP_PARAM_FORM = (
    "--param {item!r} must look like KEY=SPEC with SPEC log:LOW:HIGH, float:LOW:HIGH, int:LOW:HIGH or a comma "
    "list of choices, for example optim.lr=log:1e-4:1e-1 or optim.name=adam,sgd"
)
ERR_SWEEP_PARAM_UNKNOWN = "--param {item!r}: {key!r} is not a config key; 'torchdesk-cli keys' lists them"
ERR_SWEEP_PARAM_KIND = "--param {item!r}: {key} takes {kind} values; give {allowed}"
ERR_SWEEP_PARAM_NUMBER = "--param {item!r}: {value!r} is not a number; write the bounds like 0.001 or 1e-3"
ERR_SWEEP_PARAM_ORDER = "--param {item!r}: LOW must be below HIGH, got {low} and {high}"
ERR_SWEEP_PARAM_LOG = "--param {item!r}: a log range needs LOW above 0, got {low}; use float:LOW:HIGH to include 0"
ERR_SWEEP_PARAM_VALUE = "--param {item!r}: {error}"
ERR_SWEEP_PARAM_TWICE = "--param {key} is given twice; give each key once"
ERR_SWEEP_PARAM_NO_EFFECT = (
    "--param {item!r}: {key} has no effect unless {needs}; set that in the config or sweep it too"
)
ERR_SWEEP_NO_PARAMS = "a sweep needs at least one --param KEY=SPEC, for example --param optim.lr=log:1e-4:1e-1"
ERR_SWEEP_TRIALS = "--trials must be at least 1, got {value}"
SWEEP_MAXIMISE = "maximise"
SWEEP_MINIMISE = "minimise"
ERR_SWEEP_DIRECTION = (
    "the study {study!r} in {storage} is set to {has} its metric, but this config wants to {wants} {monitor}; "
    "give another --study name, or the config's train.monitor/train.mode of that study"
)
ERR_SWEEP_STORAGE = (
    "cannot open the study storage {storage}: {error}; give a writable folder (--out), a journal file path, "
    "or a database URL such as sqlite:///sweep.db or postgresql://user:password@host/db"
)
SWEEP_RETRY_STALE = "trial {number} was left running by a process that has ended; marked failed and queued again"
SWEEP_RETRY_STOPPED = "trial {number} was stopped before it finished; marked failed and queued again"
SWEEP_PRUNED = (
    "trial {number} pruned after epoch {epoch}: {monitor} {value:.4g} is worse than the median of earlier trials"
)
SWEEP_DIVERGED = "trial {number} failed: its training diverged ({status})"

# Explanations (backend/artifacts/explain.py).
ERR_EXPLAIN_NO_CONV = (
    "Grad-CAM needs an image model with a convolution layer, and {path} has none; "
    "use integrated_gradients or saliency, which explain any model"
)
ERR_EXPLAIN_METHOD = "unknown explanation method {method!r}; use one of {allowed}"

# Data at speed and at scale (H8: backend/data/cache.py, image_folder.py, decoded_cache.py, pipeline.py,
# backend/engine/presets.py). CACHE_DISK is a {reason} of IMAGE_DATA_NOTE; CACHE_DISK_NEW or CACHE_DISK_HIT
# follows it. PRESET_APPLIED lists the settings replaced: the first a PRESET_CHANGE, the next ones PRESET_CHANGE_NEXT.
CACHE_DISK = "kept decoded on disk ({size}) and memory-mapped"
CACHE_DISK_NEW = "decoded now into the cache {path}; the next run of the same files starts from it"
CACHE_DISK_HIT = "read from the cache {path}, decoded by an earlier run of the same files"
CACHE_DISK_FAILED = (
    "the decoded cache under {folder} could not be written ({error}); the images are held in memory, "
    "or streamed from the files when they do not fit"
)
IMAGES_SKIPPED_STREAMED = "{count} unreadable or corrupt image file(s) under {root} were skipped while training"
PRESET_APPLIED = "train.preset = 'fast' replaced: {changes}"
PRESET_CHANGE = "{key} {old} -> {new}"
PRESET_CHANGE_NEXT = "; {key} {old} -> {new}"
PRESET_NOTHING = "train.preset = 'fast': the settings already match the recipe"

# Several processes and devices (backend/engine/launch.py, device.py, trainer.py; issue 13): the launcher's
# checks, a rank that crashed, what each precision costs here (PRECISION_*), why a GPU cannot be used
# (GPU_*), and CUDA out of memory (ERR_CUDA_OOM: {memory} is OOM_MEMORY*, {hint} is OOM_HINT_*).
ERR_LAUNCH_NPROC = "--nproc must be at least 1, got {value}"
ERR_LAUNCH_NNODES = "--nnodes must be at least 1, got {value}"
ERR_LAUNCH_NODE_RANK = (
    "--node-rank {value} is outside 0 to {last}; give each machine its own number, 0 to the one at --rdzv-endpoint"
)
ERR_LAUNCH_ENDPOINT_MISSING = (
    "--nnodes {nnodes} needs --rdzv-endpoint HOST:PORT: the address of the machine with --node-rank 0 and a free port"
)
ERR_LAUNCH_ENDPOINT = "--rdzv-endpoint {value!r} is not HOST:PORT; give one such as 192.168.1.10:29500"
ERR_LAUNCH_GPUS = "{nproc} processes need {nproc} GPUs but {count} were chosen; choose more GPUs or fewer processes"
ERR_LAUNCH_TOO_FEW_GPUS = (
    "{nproc} processes train on one GPU each, but {count} GPU(s) can be used here; "
    "use {count} processes or fewer, or train.device = 'cpu' (gloo, for testing)"
)
ERR_LAUNCH_NESTED = "--nproc cannot be used in a process that torchrun started; leave --nproc out there"
ERR_LAUNCH_CRASHED = (
    "the training processes ended with exit code {code} without reporting an error (a crash, or killed); "
    "the launcher's log is {log}"
)
ERR_LAUNCH_START = "cannot start the training processes ({error}); check that PyTorch's torchrun works here"
PRECISION_EMULATED = (
    "{precision}: no native support on this CPU (no AVX-512 BF16/FP16 or AMX), so it is emulated and much slower "
    "than fp32; keep fp32 here"
)
PRECISION_NATIVE_CPU = "{precision}: computed natively by this CPU (AVX-512 or AMX); it can be faster than fp32"
PRECISION_EMULATED_GPU = "{precision}: this GPU has no tensor cores for it, so it is usually no faster than fp32"
PRECISION_NATIVE_GPU = "{precision}: runs on this GPU's tensor cores, usually faster than fp32"
GPU_CPU_BUILD = (
    "this PyTorch ({version}) is a CPU-only build; install a CUDA build of PyTorch "
    "(pip install torch --index-url https://download.pytorch.org/whl/cu128) to train on this GPU"
)
GPU_DRIVER = (
    "CUDA cannot start with NVIDIA driver {driver} (this PyTorch is built for CUDA {cuda}); "
    "update the NVIDIA driver, or install a PyTorch built for an older CUDA"
)
GPU_ARCH = (
    "this PyTorch has no kernels for its architecture sm_{arch} (it is built for {archs}); "
    "install a PyTorch build that supports sm_{arch}"
)
ERR_CUDA_OOM = (
    "out of memory on {device} at data.batch_size = {batch} ({memory}); use a smaller data.batch_size "
    "(e.g. {half}) with train.grad_accum = {accum} to keep the effective batch, or mixed precision "
    "(train.precision = bf16-mixed or fp16-mixed). {hint}"
)
OOM_MEMORY = "{used:.1f} GiB in use of {total:.1f} GiB"
OOM_MEMORY_UNKNOWN = "memory in use not known"
OOM_HINT_CHECKPOINT = "The last checkpoint is intact: {checkpoint}"
OOM_HINT_NO_CHECKPOINT = "No checkpoint was written yet."

# Precision cost and largest batch, measured (W2, issue 13: backend/engine/precision_cost.py, batch_probe.py,
# device.py, backend/cli/probe_batch.py, the Device panel). PRECISION_MEASURED_* say what a few training steps
# of the current model took against fp32; WARN_PRECISION_* are the warning of a run that uses a slower one.
PRECISION_MEASURED_SLOWER = "{precision}: {ratio:.1f}x slower than fp32 here (measured)"
PRECISION_MEASURED_FASTER = "{precision}: {ratio:.1f}x faster than fp32 here (measured)"
PRECISION_MEASURED_SAME = "{precision}: about as fast as fp32 here (measured)"
PRECISION_NOT_MEASURED = "{precision}: could not be measured here ({error})"
PRECISION_MEASURING = "Measuring what each precision costs for this model…"
WARN_PRECISION_MEASURED = (
    "train.precision = {precision} was measured {ratio:.1f}x slower than fp32 on {device} for this model; "
    "use fp32 (or auto) there"
)
WARN_PRECISION_EMULATED = (
    "train.precision = {precision} is emulated on {device} (no native support), typically several times "
    "slower than fp32; use fp32 (or auto) there"
)
ERR_PROBE_NEEDS_CUDA = (
    "the largest-batch probe needs a CUDA device, not {device}: there memory runs out with an error it can "
    "catch, while the CPU swaps; set train.device = 'cuda' (or cuda:N)"
)
ERR_PROBE_NOTHING_FITS = (
    "not even data.batch_size = 1 fits on {device} with {precision}; choose a smaller model or "
    "mixed precision (train.precision = bf16-mixed or fp16-mixed)"
)
PROBE_TRYING = "Trying data.batch_size = {batch}…"
PROBE_RESULT = (
    "the largest batch that fits on {device} with {precision} is {largest} ({tried} sizes tried); "
    "data.batch_size = {suggested} leaves 10% headroom"
)
ERR_RANDOM_CROP_PADDING = (
    "data.transforms: random_crop needs a padding of whole pixels, 0 or more, e.g. 'random_crop:4'; got {value:g}"
)
PROBE_RESULT_AT_LIMIT = (
    "all {largest} training samples fit in one batch on {device} with {precision}: the data, not the memory, "
    "is the limit ({tried} sizes tried); data.batch_size = {suggested}"
)

# Every template above becomes a Template: formatting one keeps the template and its values.
make_templates(globals())
