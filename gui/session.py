"""The last session's run configuration: saved when the window closes, shown again at start.

Kept as TOML text in the settings (``settings.SESSION_CONFIG``) and read back through the same
validation as a config file, so a broken or outdated one (a key a newer version removed, a value
out of range) gives the defaults and a note saying why, never a crash.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gui import settings
from gui.config_files import default_config

if TYPE_CHECKING:
    from backend.core.config import RunConfig

SOURCE = "the last session's settings"  # names the source in a TOML syntax error


def save_config(config: RunConfig) -> None:
    settings.set_value(settings.SESSION_CONFIG, config.to_toml())


def restore_config() -> tuple[RunConfig, str]:
    """(the last session's config, a note on what was not restored or ""); the defaults when
    nothing was saved (no note) or when the saved one cannot be used (the note says why)."""
    from backend.core import messages
    from backend.core.config import loads_config
    from backend.core.errors import TorchDeskError
    from backend.core.model_catalogue import FILE_PREFIX

    text = settings.value(settings.SESSION_CONFIG, "", str)
    if not text:
        return default_config(), ""
    try:
        config = loads_config(text, source=SOURCE)
    except TorchDeskError as exc:
        return default_config(), messages.SESSION_NOT_RESTORED.format(reason=exc.message)
    if config.model.arch.startswith(FILE_PREFIX):
        # The file may have changed since it was chosen, and restoring runs at start with no
        # question asked: a model file's code runs only when the user picks it again.
        path = config.model.arch[len(FILE_PREFIX) :]
        config.model.arch = default_config().model.arch
        return config, messages.SESSION_FILE_MODEL_NOT_RESTORED.format(path=path)
    return config, ""
