"""Interface languages: English (the source strings) and Simplified Chinese.

The ``.ts`` sources live in ``resources/translations/``; ``make translations`` compiles them
into ``.qm`` files with ``pyside6-lrelease`` (``make setup`` does it too). The language follows
the system locale unless View > Language chose one; a change applies at the next start.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from gui import settings

# Setting value -> the name shown in the menu (each in its own language, as is customary).
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
SYSTEM = "system"

_installed: list[QTranslator] = []  # kept alive: Qt does not own installed translators


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


def install(app: QApplication, language: str | None = None) -> str:
    """Install the translators for ``language`` (default: the effective one); returns it."""
    remove(app)
    language = language or effective_language()
    if language == "en":
        return language
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
