"""The "Clear cache (N MB)" button of the Dataset panel: the decoded image cache's size, and its removal."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QPushButton, QWidget

from backend.core.cache_files import cache_size, clear_cache
from gui.tasks import Task, TaskState


def _clear(_state: TaskState, cache_dir: str) -> int:
    return clear_cache(cache_dir)


class ClearCacheButton(QPushButton):
    """Shows how much the decoded cache of ``cache_dir()`` takes and removes it when clicked (off the
    GUI thread: a large cache takes a while to delete)."""

    def __init__(self, cache_dir: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clearCache")
        self.setToolTip(
            self.tr("Delete the decoded images kept between runs; the next run of a folder decodes it again")
        )
        self._cache_dir = cache_dir
        self._task = Task(self, name="ClearCache")
        self._task.sig_finished.connect(self.refresh)
        self.clicked.connect(self._on_clicked)
        self.refresh()

    def refresh(self) -> None:
        # A handful of files per cached folder: cheap enough to sum on the GUI thread.
        size = cache_size(self._cache_dir())
        self.setText(self.tr("Clear cache ({size} MB)").format(size=f"{size / 2**20:,.0f}"))
        self.setEnabled(size > 0 and not self._task.is_running())

    def _on_clicked(self) -> None:
        self.setEnabled(False)
        self._task.start(_clear, self._cache_dir())
