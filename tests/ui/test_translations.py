"""Every string shown in the window has a finished Indonesian translation (the product's main language)."""

from __future__ import annotations

from tools import i18n


def test_every_ui_string_has_an_indonesian_translation() -> None:
    problems = i18n.check()
    assert not problems, "untranslated strings:\n" + "\n".join(problems[:50])
