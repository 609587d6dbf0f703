"""Install the translations of the chosen language (Indonesian by default; English is the source text)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.resources import resource_path
from ui.locale_format import locale_for

_installed: list[QTranslator] = []


def remove(app: QCoreApplication) -> None:
    """Take every installed translator away: the source text shows (what tests of the window read)."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()


def install(app: QCoreApplication, lang: str) -> None:
    """Replace the installed translators with those of ``lang`` ("id" or "en")."""
    remove(app)
    QLocale.setDefault(locale_for(lang))  # what %Ln and every bare QLocale() write numbers and dates with
    if lang != "id":
        # English is the source text; its .qm files hold only the singular and plural of counts (tools/i18n.py).
        for qm in sorted(resource_path("translations").glob("*_en.qm")):
            translator = QTranslator(app)
            if translator.load(str(qm)):
                app.installTranslator(translator)
                _installed.append(translator)
        return
    qt_own = QTranslator(app)
    if qt_own.load(QLocale(QLocale.Language.Indonesian), "qtbase", "_",
                   QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    for qm in sorted(resource_path("translations").glob("*_id.qm")):
        translator = QTranslator(app)
        if translator.load(str(qm)):
            app.installTranslator(translator)
            _installed.append(translator)
