"""Interface languages: English (the source strings) and Simplified Chinese.

The ``.ts`` sources live in ``resources/translations/``; ``make translations`` compiles them
into ``.qm`` files with ``pyside6-lrelease`` (``make setup`` does it too). The language follows
the system locale unless View > Language chose one; a change applies when the app restarts
(View > Language offers "Restart now").

Chinese needs a font with Chinese characters. No such font is shipped (the Noto CJK fonts weigh
16+ MB each), so when the system has none the interface stays in English, which it can draw, and
says how to install one instead of showing empty boxes.
"""

from __future__ import annotations

import sys
import weakref
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, QProcess, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from gui import settings

# Setting value -> the name shown in the menu (each in its own language, as is customary).
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
SYSTEM = "system"

_installed: list[QTranslator] = []  # kept alive: Qt does not own installed translators
_missing_font: list[str] = []  # the language that install() could not show for want of a font
CJK_SAMPLE = "中文设置"  # characters every Simplified Chinese font has
CJK_WRITING_SYSTEMS = {"zh_CN": QFontDatabase.WritingSystem.SimplifiedChinese}
FONT_HELP = (
    "Debian/Ubuntu: sudo apt install fonts-noto-cjk\n"
    "Fedora: sudo dnf install google-noto-sans-cjk-fonts\n"
    "Arch: sudo pacman -S noto-fonts-cjk\n"
    "Or download Noto Sans CJK SC (free, SIL Open Font License) from https://github.com/notofonts/noto-cjk"
)


class Translator(QTranslator):
    """A QTranslator that also looks in the empty context.

    lupdate files ``tr = self.tr; tr("...")`` and ``tr("...")`` in plain functions (the menus)
    under the empty context, and ``window.tr("...")`` in gui/menus.py under "window", while
    at run time ``self.tr`` asks for the class names.
    """

    FALLBACK_CONTEXTS = ("", "window")

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        text = super().translate(context, source, disambiguation, n)
        for fallback in self.FALLBACK_CONTEXTS:
            if text or context == fallback:
                break
            text = super().translate(fallback, source, disambiguation, n)
        # None, not "": an empty string would count as a translation and blank the text.
        return text or None

    def load(self, *args: Any, **kwargs: Any) -> bool:
        loaded = super().load(*args, **kwargs)
        if loaded:
            _loaded.add(self)
        return loaded


# Every Translator that has loaded a file, while it exists. Empty: no TorchDesk translation can be
# installed, so the interface is in English and gui/backend_text.py need not look anything up
# (parsing engine text back into templates took ~0.4 s of the GUI thread at start-up).
_loaded: weakref.WeakSet[Translator] = weakref.WeakSet()


def may_translate() -> bool:
    """False when no TorchDesk translation is loaded in this process (English text stays as it is)."""
    return bool(_loaded)


def translations_dir() -> Path:
    from backend.core.paths import resource_path  # stdlib only: cheap at start-up

    return resource_path("translations")


def qm_path(language: str) -> Path:
    return translations_dir() / f"torchdesk_{language}.qm"


def chosen_language() -> str:
    """The stored choice: ``system``, ``en`` or ``zh_CN``."""
    name = settings.value(settings.UI_LANGUAGE, SYSTEM, str)
    return name if name in LANGUAGES or name == SYSTEM else SYSTEM


def effective_language(choice: str | None = None, locale: QLocale | None = None) -> str:
    """The language the interface uses for ``choice`` (``system``: from the locale)."""
    choice = chosen_language() if choice is None else choice
    if choice in LANGUAGES:
        return choice
    locale = locale or QLocale.system()
    if locale.language() == QLocale.Language.Chinese:
        return "zh_CN"  # Traditional-script users read Simplified better than English, mostly
    return "en"


def font_covers(language: str) -> bool:
    """Whether an installed font draws ``language``'s script: a family declaring the writing system
    whose glyphs include CJK_SAMPLE (with the system's fallbacks). Latin-script languages: True."""
    system = CJK_WRITING_SYSTEMS.get(language)
    if system is None:
        return True
    for family in QFontDatabase.families(system):
        metrics = QFontMetrics(QFont(family))
        if all(metrics.inFontUcs4(ord(ch)) for ch in CJK_SAMPLE):
            return True
    return False


def install(app: QApplication, language: str | None = None) -> str:
    """Install the translators for ``language`` (default: the effective one); returns it. A language
    that no installed font can draw stays English (``notify_missing_font`` says why)."""
    remove(app)
    _missing_font.clear()
    language = language or effective_language()
    if language == "en":
        return language
    if not font_covers(language):
        _missing_font.append(language)
        return "en"
    ours = Translator(app)
    if ours.load(str(qm_path(language))):
        app.installTranslator(ours)
        _installed.append(ours)
    else:
        return "en"  # not built (run `make translations`): stay in English rather than mix
    # Qt's own strings (standard buttons, file dialogs), when Qt ships them.
    qt_base = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_base.load(QLocale(language), "qtbase", "_", folder):
        app.installTranslator(qt_base)
        _installed.append(qt_base)
    return language


def remove(app: QApplication) -> None:
    while _installed:
        app.removeTranslator(_installed.pop())


def set_language(choice: str) -> None:
    """Remember the choice (``system``, ``en`` or ``zh_CN``); it applies at the next start."""
    settings.set_value(settings.UI_LANGUAGE, choice if choice in LANGUAGES else SYSTEM)


def missing_font_text(language: str) -> str:
    """In English: the interface cannot show Chinese text, so this text must not need it."""
    name = LANGUAGES.get(language, language)
    return (
        f"The {name} interface needs a font with Chinese characters, and none is installed, so "
        "TorchDesk is shown in English. Install one, then restart TorchDesk:\n\n" + FONT_HELP
    )


def notify_missing_font(parent: QWidget) -> None:
    """After start-up: say (non-modally) that the chosen language fell back to English, and the fix."""
    if not _missing_font:
        return
    text = missing_font_text(_missing_font[0])
    box = QMessageBox(
        QMessageBox.Icon.Information, "TorchDesk: font missing", text, QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("missingFontMessage")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the commands can be copied
    box.open()  # not modal: the window stays usable


def restart_command() -> tuple[str, list[str]]:
    """The program and arguments that start this app again as it was started."""
    args = sys.argv[1:]
    if getattr(sys, "frozen", False):  # the bundle's own executable
        return sys.executable, args
    if Path(sys.argv[0]).name == "__main__.py":  # python -m gui
        return sys.executable, ["-m", "gui", *args]
    return sys.executable, [sys.argv[0], *args]  # the torchdesk script


def offer_restart(window: Any, language: str) -> None:  # a MainWindow
    """After View > Language: "Restart now" (the window closes as usual, so its settings are kept),
    or the choice applies at the next start. A language no font can draw says so instead."""
    tr = window.tr
    if not font_covers(effective_language(language)):
        QMessageBox.warning(window, tr("Language"), missing_font_text(effective_language(language)))
        return
    if window.controller.is_running():  # no restart in the middle of a run
        QMessageBox.information(window, tr("Language"), tr("The new language is used the next time TorchDesk starts."))
        return
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("Language"))
    box.setText(tr("The new language applies when TorchDesk restarts. Restart now? Your settings are kept."))
    box.setObjectName("restartQuestion")
    restart = box.addButton(tr("Restart now"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(tr("Later"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is restart and window.close():  # closing may ask about a run first
        program, args = restart_command()
        QProcess.startDetached(program, args)
        QApplication.quit()
