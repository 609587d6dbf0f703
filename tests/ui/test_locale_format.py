"""Numbers and dates follow the language in use: Indonesian 1.514 and 12,5 %, English 1,514 and 12.5% — in the
helpers, in what %Ln and a bare QLocale() write once the language is installed, and nowhere by hand."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication

from ui import i18n
from ui.locale_format import date_text, datetime_text, decimal, integer, month_text, percent

UI = Path(__file__).resolve().parents[2] / "ui"


@pytest.mark.parametrize(("lang", "expected"), [
    ("id", ("1.514", "1.514.000", "12,5", "1.514,3", "12,5 %", "100 %", "5 Okt 2026", "Oktober 2026", "Agu 2026",
            "5 Okt 2026 09.05")),
    ("en", ("1,514", "1,514,000", "12.5", "1,514.3", "12.5%", "100%", "5 Oct 2026", "October 2026", "Aug 2026",
            "5 Oct 2026 09:05")),
])
def test_numbers_and_dates_in_each_language(lang: str, expected: tuple[str, ...]) -> None:
    assert (integer(1514, lang), integer(1_514_000, lang), decimal(12.5, lang), decimal(1514.3, lang),
            percent(12.5, lang), percent(100, lang, 0), date_text(date(2026, 10, 5), lang),
            month_text(date(2026, 10, 1), lang), month_text(date(2026, 8, 1), lang, short=True),
            datetime_text(datetime(2026, 10, 5, 9, 5), lang)) == expected


@pytest.mark.usefixtures("keep_app_as_it_was")
def test_the_installed_language_sets_what_counts_and_bare_locales_write(qapp: QApplication) -> None:
    """English once meant QLocale(English, Indonesia), which groups thousands with a dot: "1.514 complaints"."""
    i18n.install(qapp, "en")
    english = (QLocale().toString(1514), QLocale().toString(12.5, "f", 1),
               QCoreApplication.translate("ComplaintListWidget", "%Ln complaint(s)", "", 1514))
    i18n.install(qapp, "id")
    indonesian = (QLocale().toString(1514), QLocale().toString(12.5, "f", 1))
    assert english == ("1,514", "12.5", "1,514 complaints")
    assert indonesian == ("1.514", "12,5")


# Formatting by hand that only ever wrote Indonesian: swapping a decimal point for a comma, or Python's thousands
# separator (",", or turned into "." afterwards). Reading what a person typed ("1,5" → 1.5) goes the other way and is
# allowed.
HAND_FORMATTING = re.compile(r"""replace\(\s*["']\.["']\s*,\s*["'],["']\s*\)|:,(\.\d+f)?}""")


def test_no_module_of_the_window_formats_numbers_by_hand() -> None:
    found = [f"{path.relative_to(UI.parent)}:{n}: {line.strip()}"
             for path in sorted(UI.rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if HAND_FORMATTING.search(line)]
    assert not found, "numbers formatted by hand (use ui.locale_format):\n" + "\n".join(found)


def test_the_hand_formatting_check_finds_the_old_ways() -> None:
    """The check above would have caught what the report and the dashboard did before."""
    old = ['return f"{value:,}".replace(",", ".")', 'text = f"{value:.1f}".replace(".", ",")',
           'f"{value:,.1f}"']
    assert all(HAND_FORMATTING.search(line) for line in old)
    assert not HAND_FORMATTING.search('return float(text.strip().replace(",", "."))')


@pytest.mark.usefixtures("keep_app_as_it_was")
def test_counts_said_outside_a_widget_have_an_english_singular_and_plural(qapp: QApplication) -> None:
    """pyside6-lupdate marks only tr() calls as plural: counts said through QCoreApplication.translate read
    "1 day(s) late" in English (and one was not extracted at all: "2 file(s)" in Indonesian too)."""
    from datetime import timedelta

    from ui.counter.review import Review
    from ui.dashboard.figures import DashboardFigures
    from ui.detail.format import relative_due
    from ui.sync.log_view import format_bytes

    now = datetime(2026, 3, 2, 2, 0)

    def said() -> list[str]:
        return [relative_due(now - timedelta(days=1), now), relative_due(now + timedelta(days=1514), now),
                DashboardFigures().over_complaints(1), Review().files(2), format_bytes(1)]

    i18n.install(qapp, "en")
    english = said()
    i18n.install(qapp, "id")
    indonesian = said()
    assert english == ["1 day late", "1,514 days left", "over 1 complaint", "2 files", "1 byte"]
    assert indonesian == ["terlambat 1 hari", "1.514 hari lagi", "dari 1 laporan", "2 berkas", "1 bita"]
