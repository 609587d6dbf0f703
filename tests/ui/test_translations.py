"""Every string shown in the window has a finished Indonesian translation (the product's main language)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from tools import i18n


def test_every_ui_string_has_an_indonesian_translation() -> None:
    problems = i18n.check()
    assert not problems, "untranslated strings:\n" + "\n".join(problems[:50])


def test_english_counts_say_one_complaint_and_two_complaints(tmp_path: Path, qapp: QCoreApplication) -> None:
    """English is the source text, "%n new complaint(s)": its .qm holds the singular and plural made from it."""
    assert i18n.english_forms("%n new complaint(s)") == ("%n new complaint", "%n new complaints")
    assert i18n.english_forms("%n complaints selected") == ("%n complaint selected", "%n complaints selected")
    [qm] = i18n.english_plurals(tmp_path, only="sync")
    translator = QTranslator()
    assert translator.load(str(qm))
    qapp.installTranslator(translator)
    try:
        said = [QCoreApplication.translate("SyncController", "%n new complaint(s)", "", n) for n in (1, 2)]
        kept = QCoreApplication.translate("SyncController", "Sync now")  # not a count: stays the source
    finally:
        qapp.removeTranslator(translator)
    assert said == ["1 new complaint", "2 new complaints"] and kept == "Sync now"
