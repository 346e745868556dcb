"""Themes and languages (issue 12): run-bar icons and check boxes visible on the dark theme; Chinese
without a CJK font falls back to English and says how to install one; a language change offers
"Restart now"."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QFontDatabase
from PySide6.QtWidgets import QApplication, QCheckBox, QMessageBox, QWidget

pytestmark = pytest.mark.timeout(60, method="thread")


@pytest.fixture
def theme(qapp):
    """apply_theme for one test; the system look is put back afterwards."""
    from gui.theme import apply_theme

    yield apply_theme
    apply_theme("system")


def _icon_lightness(icon, size: int = 24) -> int:
    """The mean lightness of the icon's opaque pixels (the symbol itself)."""
    image = icon.pixmap(size, size).toImage()
    values = [
        QColor.fromRgba(image.pixel(x, y)).lightness()
        for x in range(size)
        for y in range(size)
        if QColor.fromRgba(image.pixel(x, y)).alpha() > 200
    ]
    assert values, "an empty icon"
    return sum(values) // len(values)


def test_run_bar_icons_take_the_palette_text_colour(qtbot, theme):
    from gui.panels.run_bar import RunBar

    bar = RunBar()
    qtbot.addWidget(bar)
    assert theme("dark")
    for button in (bar.start_button, bar.pause_button, bar.stop_button):
        assert _icon_lightness(button.icon()) > 180, button.objectName()  # light on dark grey
    bar.set_paused(True)
    assert _icon_lightness(bar.pause_button.icon()) > 180
    assert not theme("light")
    assert _icon_lightness(bar.start_button.icon()) < 80  # the same icon, dark on light


def test_dark_check_boxes_have_a_visible_outline(qtbot, theme):
    theme("dark")
    box = QCheckBox("Balanced sampling")
    qtbot.addWidget(box)
    box.resize(box.sizeHint())
    image = box.grab().toImage()
    background = QColor(image.pixel(image.width() - 2, 1)).lightness()
    # The indicator's left edge: the brightest pixel of the row through its middle, left of the text.
    middle = image.height() // 2
    edge = max(QColor(image.pixel(x, middle)).lightness() for x in range(0, 6))
    assert edge - background > 60, (edge, background)


def test_chinese_without_a_cjk_font_stays_english_and_says_how_to_install_one(qtbot, qapp, monkeypatch):
    from gui import i18n

    monkeypatch.setattr(QFontDatabase, "families", staticmethod(lambda *args: []))
    assert not i18n.font_covers("zh_CN") and i18n.font_covers("en")
    assert i18n.install(qapp, "zh_CN") == "en"
    parent = QWidget()
    qtbot.addWidget(parent)
    i18n.notify_missing_font(parent)
    box = parent.findChild(QMessageBox, "missingFontMessage")
    assert "fonts-noto-cjk" in box.text() and "English" in box.text()
    box.close()
    i18n.remove(qapp)


def test_changing_the_language_offers_restart_now(qtbot, monkeypatch):
    from PySide6.QtCore import QProcess

    from gui import i18n

    class Controller:
        def is_running(self) -> bool:
            return False

    window = QWidget()
    window.controller = Controller()
    qtbot.addWidget(window)
    started, quit_called = [], []
    monkeypatch.setattr(QProcess, "startDetached", staticmethod(lambda program, args: started.append([program, *args])))
    monkeypatch.setattr(QApplication, "quit", staticmethod(lambda: quit_called.append(True)))
    monkeypatch.setattr(i18n, "font_covers", lambda language: True)
    asked = []

    def answer(box):
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == "Restart now").click()

    monkeypatch.setattr(QMessageBox, "exec", answer)
    monkeypatch.setattr("sys.argv", ["/opt/venv/bin/torchdesk", "--some-flag"])
    i18n.offer_restart(window, "zh_CN")
    assert "restarts" in asked[0]
    assert started and started[0][1:] == ["/opt/venv/bin/torchdesk", "--some-flag"] and quit_called
    monkeypatch.setattr("sys.argv", ["/src/gui/__main__.py"])
    assert i18n.restart_command()[1] == ["-m", "gui"]
