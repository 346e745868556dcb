"""The text of the plain-PyTorch training script, piece by piece (backend/artifacts/script_export.py
picks the pieces a config needs and writes the settings block above them).

Each piece is code of the generated script, written like the tutorials: no TorchDesk import, the
settings as upper-case constants at the top. They follow TorchDesk's engine step for step (the
same split, normalisation, initialisation order, batch order and metrics), so that the script
reaches the run's validation accuracy: a change to the engine's data path or loop shows in
tests/backend/test_script_export.py.
"""


def own_model(class_name: str, class_code: str) -> str:
    """The code of one of TorchDesk's own networks: its class, then the ``build_model`` that makes it."""
    return f"{class_code}\n\ndef build_model(input_shape, num_outputs):\n    return {class_name}(input_shape, num_outputs)\n"


SEEDING = """
def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
"""

SPLIT = '''
def split_indices(labels, stratify):
    """A reproducible train/validation split (stratified by class for classification)."""
    indices = np.arange(len(labels))
    train_idx, val_idx = train_test_split(
        indices, test_size=VAL_SPLIT, random_state=SEED, stratify=labels if stratify else None
    )
    return np.sort(train_idx), np.sort(val_idx)


def standardize(train, val):
    """Scale by the training split's mean and standard deviation (the validation split must not leak into them)."""
    mean, std = train.mean(axis=0, keepdims=True), train.std(axis=0, keepdims=True)
    std = np.where(std < 1e-8, 1.0, std)
    return (train - mean) / std, (val - mean) / std
'''

TABULAR_BUILTIN = '''
def load_data():
    """scikit-learn's bundled table: features standardised, the split as TorchDesk makes it."""
    raw = LOAD_DATASET()
    x, y = np.asarray(raw.data, dtype=np.float32), np.asarray(raw.target)
    train_idx, val_idx = split_indices(y, stratify=CLASSIFICATION)
    x_train, x_val = standardize(x[train_idx], x[val_idx])
    x_train, x_val = torch.from_numpy(x_train.astype(np.float32)), torch.from_numpy(x_val.astype(np.float32))
    if CLASSIFICATION:
        y_train = torch.from_numpy(y[train_idx].astype(np.int64))
        y_val = torch.from_numpy(y[val_idx].astype(np.int64))
        num_outputs, target_std = len(raw.target_names), 1.0
    else:  # the target is standardised too; errors are reported in its own units
        y = y.astype(np.float32)
        std = y[train_idx].std()
        target_std = float(std) if std >= 1e-8 else 1.0
        y_train, y_val = standardize(y[train_idx], y[val_idx])
        y_train, y_val = torch.from_numpy(y_train.astype(np.float32)), torch.from_numpy(y_val.astype(np.float32))
        num_outputs = 1
    return TensorDataset(x_train, y_train), TensorDataset(x_val, y_val), y_train, num_outputs, target_std
'''

DIGITS_IMAGES = '''
def load_images():
    """scikit-learn's 8x8 digits as uint8 images (values 0..16 scaled to 0..255)."""
    raw = load_digits()
    images = np.round(np.asarray(raw.data).reshape(-1, 1, 8, 8) * (255 / 16)).astype(np.uint8)
    return torch.from_numpy(images), np.asarray(raw.target), [str(n) for n in raw.target_names]
'''

TORCHVISION_IMAGES = '''
def load_images():
    """The training files of a torchvision dataset, read from DATA_ROOT, as uint8 images (N, C, H, W)."""
    dataset = DATASET_CLASS(DATA_ROOT, train=True, download=DOWNLOAD)
    images = torch.as_tensor(np.asarray(dataset.data))
    images = images[:, None] if images.dim() == 3 else images.permute(0, 3, 1, 2)  # grey (N, H, W) or RGB (N, H, W, C)
    return images.contiguous(), np.asarray(dataset.targets), list(dataset.classes)
'''

CHANNEL_STATS = '''
def channel_stats(batches):
    """Per-channel mean and standard deviation of uint8 images scaled to [0, 1] (the training split only)."""
    total = square = count = 0
    for images in batches:
        pixels = images.double().div(255).transpose(0, 1).flatten(1)
        total, square, count = total + pixels.sum(1), square + (pixels**2).sum(1), count + pixels.shape[1]
    mean = total / count
    std = (square / count - mean**2).clamp(min=1e-12).sqrt().clamp(min=1e-3)
    return mean.tolist(), std.tolist()
'''

IMAGE_TENSORS = '''
class ImageTensors(Dataset):
    """uint8 images (N, C, H, W) in memory with their labels; each image goes through ``transform``."""

    def __init__(self, images, labels, transform):
        self.images, self.labels, self.transform = images, labels, transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        return self.transform(self.images[index]), self.labels[index]


def load_data():
    images, labels, classes = load_images()
    if IMAGE_SIDE:  # data.image_size: every image resized to this square
        images = v2.Resize((IMAGE_SIDE, IMAGE_SIDE), antialias=True)(images)
    train_idx, val_idx = split_indices(labels, stratify=True)
    train_tf, val_tf = make_transforms(tuple(images.shape[-2:]), lambda: [images[train_idx]])
    y = torch.from_numpy(labels.astype(np.int64))
    train_set = ImageTensors(images[train_idx], y[train_idx], train_tf)
    val_set = ImageTensors(images[val_idx], y[val_idx], val_tf)
    return train_set, val_set, y[train_idx], len(classes), 1.0
'''

IMAGE_FOLDER = '''
EXTENSIONS = EXTENSION_LIST
GREY_MODES = {"L", "1", "I;16", "I"}


def is_image(path):
    return path.lower().endswith(EXTENSIONS)


def open_image(path, mode):
    with Image.open(path) as img:
        return img.convert(mode)


def image_format(paths):
    """The size (height, width) and colour mode every image is decoded at: IMAGE_SIDE square, or the
    most common size of (up to 512 of) the images with its longer side at most 512; grey when all are grey."""
    picked = paths[:: max(1, -(-len(paths) // 512))]
    sizes, modes = Counter(), set()
    for path in picked:
        with Image.open(path) as img:
            sizes[(img.height, img.width)] += 1
            modes.add(img.mode)
    mode = "L" if modes <= GREY_MODES else "RGB"
    if IMAGE_SIDE:
        return (IMAGE_SIDE, IMAGE_SIDE), mode
    (height, width), _ = sizes.most_common(1)[0]
    scale = min(1.0, 512 / max(height, width))
    return (max(1, round(height * scale)), max(1, round(width * scale))), mode


def load_data():
    """One sub-folder per class (or train/ and val/ folders of those), read with torchvision's ImageFolder."""
    root = Path(DATA_ROOT)
    presplit = (root / "train").is_dir() and (root / "val").is_dir()
    train_root, val_root = (root / "train", root / "val") if presplit else (root, root)
    listing = datasets.ImageFolder(train_root, is_valid_file=is_image)
    if presplit:
        val_listing = datasets.ImageFolder(val_root, is_valid_file=is_image)
        train_idx, val_idx = np.arange(len(listing)), np.arange(len(val_listing))
        paths = [p for p, _ in listing.samples] + [p for p, _ in val_listing.samples]
    else:
        train_idx, val_idx = split_indices(np.array(listing.targets), stratify=True)
        paths = [listing.samples[i][0] for i in [*train_idx, *val_idx]]
    size, mode = image_format(paths)
    loader = functools.partial(open_image, mode=mode)
    decode = v2.Compose([v2.Resize(size, interpolation=v2.InterpolationMode.BILINEAR), v2.PILToTensor()])

    def training_images():  # decoded once more, for the normalisation statistics
        raw = Subset(datasets.ImageFolder(train_root, decode, loader=loader, is_valid_file=is_image), train_idx)
        return (x for x, _ in DataLoader(raw, batch_size=256, num_workers=NUM_WORKERS))

    train_tf, val_tf = make_transforms(size, training_images, decode)
    train_set = Subset(datasets.ImageFolder(train_root, train_tf, loader=loader, is_valid_file=is_image), train_idx)
    val_set = Subset(datasets.ImageFolder(val_root, val_tf, loader=loader, is_valid_file=is_image), val_idx)
    labels = torch.tensor(listing.targets)[train_idx]
    return train_set, val_set, labels, len(listing.classes), 1.0
'''

CSV_TABLE = '''
MISSING = {"", "na", "null", "none", "?"}  # cells that mean "no value"
FLOAT32_MAX = 3.4028234663852886e38


def read_table(path):
    """The header and the non-blank rows of a CSV file, cells stripped; the separator is a comma,
    else the most frequent of ; tab | in the first line."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        first = next((line for line in fh if line.strip()), "")
        fh.seek(0)
        counts = {d: first.count(d) for d in ";\\t|"}
        best = max(counts, key=counts.get)
        delimiter = "," if "," in first or not counts[best] else best
        rows = [[c.strip() for c in row] for row in csv.reader(fh, delimiter=delimiter) if any(c.strip() for c in row)]
    return rows[0], rows[1:]


def as_float(cell):
    """The cell as a float (inf and nan included), or None when it is text."""
    try:
        return float(cell)
    except ValueError:
        return None


def parse_column(cells):
    """(values: float64 with nan where a cell is missing, text or not a finite number; blank: missing
    or a non-finite number; is_numeric: most present cells are numbers, so a stray word stays a missing value)."""
    values, blank, present, text = np.full(len(cells), np.nan), np.zeros(len(cells), bool), 0, 0
    for i, cell in enumerate(cells):
        if cell.lower() in MISSING:
            blank[i] = True
            continue
        present += 1
        number = as_float(cell)
        if number is None:
            text += 1
        elif math.isfinite(number) and abs(number) <= FLOAT32_MAX:
            values[i] = number
        else:
            blank[i] = True
    return values, blank, present, present > 0 and text * 2 < present


def load_data():
    """A table: numeric columns standardised (missing cells filled with the training mean), text
    columns one-hot encoded; rows without a target are left out."""
    header, rows = read_table(DATA_ROOT)
    t = header.index(TARGET)
    target = [row[t] for row in rows]
    values, blank, _, numeric = parse_column(target)
    numeric = numeric and TASK != "classification"
    keep = ~(blank | (np.isnan(values) if numeric else False))
    rows = [row for row, k in zip(rows, keep, strict=True) if k]
    target, values = [cell for cell, k in zip(target, keep, strict=True) if k], values[keep]
    task = TASK
    if task == "auto":  # whole numbers with few distinct values, or text: classes; else a regression
        few = numeric and np.all(np.mod(values, 1) == 0) and len(np.unique(values)) <= 20
        task = "classification" if few or not numeric else "regression"
    classification = task == "classification"
    if classification:
        classes = sorted(set(target), key=lambda s: (as_float(s) is None, as_float(s) or 0.0, s))
        y = np.array([classes.index(v) for v in target], dtype=np.int64)
    else:
        y = values
    train_idx, val_idx = split_indices(y, stratify=classification)
    train_cols, val_cols = [], []
    for c in range(len(header)):
        if c == t:
            continue
        cells = [row[c] for row in rows]
        numbers, blank, present, numeric_column = parse_column(cells)
        if not present:
            continue
        if numeric_column:
            known = numbers[train_idx][~np.isnan(numbers[train_idx])]
            fill = float(known.mean()) if len(known) else 0.0
            numbers = np.where(np.isnan(numbers), fill, numbers)
            train, val = standardize(numbers[train_idx, None], numbers[val_idx, None])
        else:
            categories = sorted({v for v, b in zip(cells, blank, strict=True) if not b})
            onehot = np.array([[v == cat for cat in categories] for v in cells], dtype=np.float32)
            train, val = onehot[train_idx], onehot[val_idx]
        train_cols.append(train)
        val_cols.append(val)
    x_train = torch.from_numpy(np.concatenate(train_cols, axis=1).astype(np.float32))
    x_val = torch.from_numpy(np.concatenate(val_cols, axis=1).astype(np.float32))
    if classification:
        y_train, y_val = torch.from_numpy(y[train_idx]), torch.from_numpy(y[val_idx])
        num_outputs, target_std = len(classes), 1.0
    else:  # the target is standardised too; errors are reported in its own units
        std = y[train_idx].std()
        target_std = float(std) if std >= 1e-8 else 1.0
        y_train, y_val = standardize(y[train_idx], y[val_idx])
        y_train, y_val = torch.from_numpy(y_train.astype(np.float32)), torch.from_numpy(y_val.astype(np.float32))
        num_outputs = 1
    return TensorDataset(x_train, y_train), TensorDataset(x_val, y_val), y_train, num_outputs, target_std
'''

BATCHES = '''
class EpochBatches(Sampler):
    """Index batches of a new shuffle each epoch, from a generator seeded by (SEED, epoch): the same
    order every time (TorchDesk's). BALANCED draws every class equally often, with replacement."""

    def __init__(self, labels):
        self.labels, self.epoch = labels, 0

    def set_epoch(self, epoch):
        self.epoch = epoch

    def _batches(self):
        generator = torch.Generator().manual_seed(SEED * 1_000_003 + self.epoch)
        n = len(self.labels)
        if BALANCED:
            weights = 1.0 / torch.bincount(self.labels)[self.labels].double()
            order = torch.multinomial(weights, n, replacement=True, generator=generator)
        else:
            order = torch.randperm(n, generator=generator)
        batches = list(order.split(BATCH_SIZE))
        if DROP_LAST and len(batches) > 1 and len(batches[-1]) < BATCH_SIZE:
            batches.pop()
        if len(batches) > 1 and len(batches[-1]) == 1:  # a batch of one breaks BatchNorm and adds only noise
            batches.pop()
        return [b.tolist() for b in batches]

    def __iter__(self):
        return iter(self._batches())

    def __len__(self):
        n = len(self.labels)
        count, rest = -(-n // BATCH_SIZE), n % BATCH_SIZE
        return count - 1 if rest and count > 1 and (DROP_LAST or rest == 1) else count
'''

MLP = own_model(
    "MLP",
    '''
class MLP(nn.Module):
    """Fully connected layers on the flattened input: Linear[, BatchNorm1d], activation[, Dropout] per hidden size."""

    def __init__(self, input_shape, num_outputs):
        super().__init__()
        layers = [nn.Flatten()]
        width = math.prod(input_shape)
        for hidden in HIDDEN_SIZES:
            layers.append(nn.Linear(width, hidden))
            if BATCH_NORM:
                layers.append(nn.BatchNorm1d(hidden))
            layers.append(ACTIVATION())
            if DROPOUT > 0:
                layers.append(nn.Dropout(DROPOUT))
            width = hidden
        layers.append(nn.Linear(width, num_outputs))
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)
''',
)

SIMPLE_CNN = own_model(
    "SimpleCNN",
    '''
def activation_and_pool():
    """The activation and a 2x2 max-pool. ReLU and max commute, so with ReLU the pool goes first:
    the same numbers, forward and backward, and ReLU runs on a quarter of the values (faster)."""
    if ACTIVATION is nn.ReLU:
        return [nn.MaxPool2d(2), ACTIVATION()]
    return [ACTIVATION(), nn.MaxPool2d(2)]


class SimpleCNN(nn.Module):
    """Two (convolution, activation, max-pool) blocks, then two linear layers."""

    def __init__(self, input_shape, num_outputs):
        super().__init__()
        channels, height, width = input_shape
        self.features = nn.Sequential(
            nn.Conv2d(channels, 32, kernel_size=3, padding=1),
            *activation_and_pool(),
            nn.Conv2d(32, 64, kernel_size=3, padding=1),
            *activation_and_pool(),
        )
        flat = 64 * (height // 4) * (width // 4)  # the convolutions keep the size, each pool halves it
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(flat, HIDDEN_SIZES[0] if HIDDEN_SIZES else 128),
            ACTIVATION(),
            nn.Dropout(DROPOUT),
            nn.Linear(HIDDEN_SIZES[0] if HIDDEN_SIZES else 128, num_outputs),
        )

    def forward(self, x):
        return self.classifier(self.features(x))
''',
)

TORCHVISION_MODEL = '''
class Resized(nn.Module):
    """A torchvision network behind a resize to the image size it needs (smaller images do not fit it)."""

    def __init__(self, net, size):
        super().__init__()
        self.net, self.size = net, size

    def forward(self, x):
        if tuple(x.shape[-2:]) != self.size:
            shrink = x.shape[-2] > self.size[0] or x.shape[-1] > self.size[1]
            x = F.interpolate(x, size=self.size, mode="bilinear", align_corners=False, antialias=shrink)
        return self.net(x)


def replace_input_channels(net, channels):
    """The first convolution reads ``channels`` channels (grey images) instead of 3, cycling its R, G, B filters."""
    name, old = next((n, m) for n, m in net.named_modules() if isinstance(m, nn.Conv2d) and m.in_channels == 3)
    new = nn.Conv2d(
        channels,
        old.out_channels,
        old.kernel_size,
        old.stride,
        old.padding,
        old.dilation,
        old.groups,
        old.bias is not None,
        old.padding_mode,
    )
    with torch.no_grad():
        new.weight.copy_(old.weight[:, [i % old.in_channels for i in range(channels)]])
        if old.bias is not None:
            new.bias.copy_(old.bias)
    net.set_submodule(name, new)


def build_model(input_shape, num_outputs):
    """torchvision's network, untrained (weights=None: nothing is downloaded)."""
    channels, height, width = input_shape
    size = input_size(height, width)
    net = torchvision.models.get_model(ARCH, weights=None, num_classes=num_outputs, ARCH_OPTIONS)
    if channels != 3:
        replace_input_channels(net, channels)
    return Resized(net, size) if size != (height, width) else net
'''

INIT = '''
CONVOLUTIONS = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)


def init_weights(model):
    """model.init: convolutions and linear layers re-initialised, biases 0, normalisation layers 1 and 0."""
    norms = (nn.modules.batchnorm._NormBase, nn.LayerNorm, nn.GroupNorm)
    for module in model.modules():
        if isinstance(module, (*CONVOLUTIONS, nn.Linear)):
            INIT_WEIGHT
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, norms):
            if getattr(module, "weight", None) is not None:
                nn.init.ones_(module.weight)
            if getattr(module, "bias", None) is not None:
                nn.init.zeros_(module.bias)
'''

FOCAL_LOSS = '''
class FocalLoss(nn.Module):
    """Cross-entropy down-weighted on easy examples: (1 - p_t)^gamma * CE (Lin et al., 2017)."""

    def __init__(self, gamma, weight, label_smoothing):
        super().__init__()
        self.gamma, self.label_smoothing = gamma, label_smoothing
        self.register_buffer("weight", weight)

    def forward(self, logits, target):
        ce = F.cross_entropy(logits, target, reduction="none", label_smoothing=self.label_smoothing)
        p_t = torch.exp(-F.cross_entropy(logits, target, reduction="none"))
        loss = (1 - p_t) ** self.gamma * ce
        if self.weight is not None:
            loss = loss * self.weight[target]
        return loss.mean()
'''

ONE_HOT_BCE = '''
class OneHotBCE(nn.Module):
    """Binary cross-entropy on one logit per class, the integer targets turned one-hot."""

    def __init__(self, num_classes, weight, label_smoothing):
        super().__init__()
        self.num_classes, self.label_smoothing = num_classes, label_smoothing
        self.register_buffer("weight", weight)

    def forward(self, logits, target):
        onehot = F.one_hot(target, self.num_classes).to(logits.dtype)
        if self.label_smoothing:
            onehot = onehot * (1 - self.label_smoothing) + self.label_smoothing / 2
        return F.binary_cross_entropy_with_logits(logits, onehot, pos_weight=self.weight)
'''

REGRESSION_LOSS = '''
class RegressionLoss(nn.Module):
    """A regression loss on the (N, 1) output against the (N,) target."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, outputs, target):
        return self.fn(outputs.reshape(target.shape).float(), target)
'''

WARMUP_COSINE = '''
def warmup_cosine(warmup_steps, total_steps, floor):
    """The lr factor at each step: a linear warm-up, then a cosine decay down to ``floor``."""

    def factor(step):
        if step < warmup_steps:
            return (step + 1) / warmup_steps
        progress = min(1.0, (step - warmup_steps) / max(1, total_steps - warmup_steps))
        return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress))

    return factor
'''

EVALUATE = '''
def validate(model, loader, loss_fn, target_std):
    """Loss and accuracy (classification) or mean absolute error in the target's units (regression)."""
    model.eval()
    loss_sum = correct = abs_err = sq_err = count = 0.0
    with torch.inference_mode(), autocast():
        for x, y in loader:
            x, y = to_device(x), y.to(DEVICE)
            out = model(x)
            loss_sum += loss_fn(out, y).double().item() * len(y)
            count += len(y)
            if CLASSIFICATION:
                correct += (out.argmax(dim=1) == y).sum().item()
            else:
                diff = out.float().reshape(y.shape) - y
                abs_err += diff.abs().sum().double().item()
                sq_err += (diff**2).sum().double().item()
    model.train()
    if CLASSIFICATION:
        return {"val_loss": loss_sum / count, "val_acc": correct / count}
    mae, mse = abs_err / count * target_std, sq_err / count * target_std**2
    return {"val_loss": loss_sum / count, "val_mae": mae, "val_mse": mse}
'''

TRAIN_EPOCH = '''
def train_one_epoch(model, loader, loss_fn, optimizer, scheduler, scaler, epoch, step):
    """One pass over the training set, an optimizer step every GRAD_ACCUM batches; (metrics, steps so far)."""
    model.train()
    loss_sum = correct = seen = 0.0
    batches = len(loader)
    for b, (x, y) in enumerate(loader):
        x, y = to_device(x), y.to(DEVICE)
        with autocast():
            out = model(x)
            loss = loss_fn(out, y)
        scaler.scale(loss / GRAD_ACCUM).backward()
        if not math.isfinite(loss.item()):
            raise SystemExit(f"the training loss became {loss.item()} at epoch {epoch + 1}, batch {b + 1}: lower LR")
        loss_sum += loss.item() * len(y)
        seen += len(y)
        if CLASSIFICATION:
            correct += (out.argmax(dim=1) == y).sum().item()
        if (b + 1) % GRAD_ACCUM and b != batches - 1:
            continue
        scaler.unscale_(optimizer)  # clip true gradients, not scaled ones
        if CLIP_GRAD_VALUE:
            nn.utils.clip_grad_value_(model.parameters(), CLIP_GRAD_VALUE)
        if CLIP_GRAD_NORM:
            nn.utils.clip_grad_norm_(model.parameters(), CLIP_GRAD_NORM)
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad(set_to_none=True)
        STEP_SCHEDULE_STEP
        step += 1
        if CHECKPOINT_EVERY_STEPS and step % CHECKPOINT_EVERY_STEPS == 0:
            save_checkpoint("last.pt", model, optimizer, scheduler, scaler, epoch)
    metrics = {"train_loss": loss_sum / seen}
    if CLASSIFICATION:
        metrics["train_acc"] = correct / seen
    return metrics, step
'''

CHECKPOINT = '''
def save_checkpoint(name, model, optimizer, scheduler, scaler, epoch):
    """Everything needed to continue: weights, optimizer, schedule, loss scaler, epoch.
    Written to a temporary file, then renamed: a crash never leaves half a checkpoint."""
    CHECKPOINT_DIR.mkdir(parents=True, exist_ok=True)
    state = {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict() if scheduler is not None else None,
        "scaler": scaler.state_dict(),
        "epoch": epoch,
    }
    torch.save(state, CHECKPOINT_DIR / (name + ".tmp"))
    os.replace(CHECKPOINT_DIR / (name + ".tmp"), CHECKPOINT_DIR / name)
'''

MAIN = """
def to_device(x):
    x = x.to(DEVICE)
    return x.contiguous(memory_format=torch.channels_last) if CHANNELS_LAST and x.dim() == 4 else x


def autocast():
    return torch.autocast(DEVICE.type, dtype=AMP_DTYPE, enabled=AMP_DTYPE is not None)


def main():
    DETERMINISTIC
    train_set, val_set, train_labels, num_outputs, target_std = load_data()
    sampler = EpochBatches(train_labels)
    train_loader = DataLoader(train_set, batch_sampler=sampler, num_workers=NUM_WORKERS, pin_memory=PIN_MEMORY)
    val_loader = DataLoader(val_set, batch_size=max(256, BATCH_SIZE * 2), num_workers=NUM_WORKERS)
    input_shape = tuple(val_set[0][0].shape)

    seed_everything(SEED)  # right before the model: its initial weights depend on the seed only
    model = build_model(input_shape, num_outputs)
    INIT_CALL
    model = model.to(DEVICE)
    if CHANNELS_LAST and len(input_shape) == 3:
        model = model.to(memory_format=torch.channels_last)
    loss_fn = LOSS.to(DEVICE)
    optimizer = OPTIMIZER
    STEPS_PER_EPOCH
    SCHEDULER
    scaler = torch.amp.GradScaler(DEVICE.type, enabled=AMP_DTYPE == torch.float16)  # fp16 needs loss scaling
    COMPILED_MODEL

    best, bad_epochs, step = None, 0, 0
    for epoch in range(EPOCHS):
        sampler.set_epoch(epoch)
        metrics, step = train_one_epoch(train_model, train_loader, loss_fn, optimizer, scheduler, scaler, epoch, step)
        metrics.update(validate(model, val_loader, loss_fn, target_std))
        print(f"epoch {epoch + 1}: " + ", ".join(f"{k} {v:.4f}" for k, v in metrics.items()), flush=True)
        value = metrics[MONITOR]
        EPOCH_SCHEDULE_STEP
        improved = math.isfinite(value) and (
            best is None or (value < best - MIN_DELTA if MODE == "min" else value > best + MIN_DELTA)
        )
        save_checkpoint("last.pt", model, optimizer, scheduler, scaler, epoch + 1)
        if improved:
            best, bad_epochs = value, 0
            save_checkpoint("best.pt", model, optimizer, scheduler, scaler, epoch + 1)
        else:
            bad_epochs += 1
        if EARLY_STOPPING and bad_epochs >= PATIENCE and epoch + 1 < EPOCHS:
            print(f"{MONITOR} did not improve for {PATIENCE} epoch(s): stopping early")
            break
    LAST_LINE


if __name__ == "__main__":
    main()
"""
