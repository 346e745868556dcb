"""A last-resort watchdog around every test, for hangs that pytest-timeout cannot end.

pytest-timeout's thread method needs the GIL to print and exit; in a deadlock where a thread
holds the GIL (a C call that blocks without releasing it) it never runs, and CI would wait for
its own limit. faulthandler's watchdog is a C thread: it prints every thread's Python stack and
ends the process even then, a minute after the test's own time limit.
"""

from __future__ import annotations

import faulthandler
import os
import tempfile

import pytest

MARGIN_S = 60
_stderr_fd: int | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _stderr_fd
    # The terminal's stderr, kept before pytest captures fd 2 during each test.
    _stderr_fd = os.dup(2)
    # Test runs keep their decoded image cache (backend/data/decoded_cache.py) out of the user's cache folder.
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="torchdesk-test-cache-")


def _time_limit(item: pytest.Item) -> float:
    marker = item.get_closest_marker("timeout")
    if marker is not None and marker.args:
        return float(marker.args[0])
    return float(item.config.getini("timeout") or 120)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):  # noqa: ANN201
    faulthandler.dump_traceback_later(_time_limit(item) + MARGIN_S, exit=True, file=_stderr_fd)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
