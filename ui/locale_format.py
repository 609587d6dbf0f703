"""Numbers and dates as the language in use writes them: Indonesian ``1.514``, ``12,5 %``, ``5 Okt 2026 09.30``;
English ``1,514``, ``12.5%``, ``5 Oct 2026 09:30``. What the window shows or writes with a language at hand goes
through these; ``%Ln`` in translated counts and a bare ``QLocale()`` use the default locale, which ui.i18n sets from
the same :func:`locale_for`. QLocale objects are made per call, so these work on any thread."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime


def locale_for(lang: str) -> QLocale:
    """The locale of a workspace language ("id" or "en"). English is British English: the day before the month,
    as Indonesia writes dates, and ``1,514`` (English in Indonesia, en_ID, writes ``1.514``: CLDR gives it the
    country's separators, which an English reader takes for a decimal point)."""
    if lang.startswith("en"):
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    return QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)


def integer(value: int, lang: str) -> str:
    """A count with its thousands grouped: ``1.514`` / ``1,514``."""
    return locale_for(lang).toString(int(value))


def decimal(value: float, lang: str, places: int = 1) -> str:
    """``12,5`` / ``12.5`` (thousands grouped as in :func:`integer`)."""
    return locale_for(lang).toString(float(value), "f", places)


def percent(value: float, lang: str, places: int = 1) -> str:
    """``12,5 %`` (Indonesian puts a space before the sign, as the monthly report does) / ``12.5%``."""
    number = decimal(value, lang, places)
    return f"{number} %" if not lang.startswith("en") else f"{number}%"


def date_text(day: date, lang: str) -> str:
    """``5 Okt 2026`` / ``5 Oct 2026``: the month in words, so no reader mistakes it for the day."""
    return locale_for(lang).toString(QDate(day.year, day.month, day.day), "d MMM yyyy")


def month_text(day: date, lang: str, *, short: bool = False) -> str:
    """``Oktober 2026`` / ``October 2026`` (``short``: ``Okt 2026`` / ``Oct 2026``)."""
    return locale_for(lang).toString(QDate(day.year, day.month, day.day), "MMM yyyy" if short else "MMMM yyyy")


def datetime_text(moment: datetime, lang: str) -> str:
    """``5 Okt 2026 09.30`` / ``5 Oct 2026 09:30`` for a time already in the zone to show (Indonesian writes the
    time with a dot)."""
    qt = QDateTime(QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute))
    return locale_for(lang).toString(qt, "d MMM yyyy HH:mm" if lang.startswith("en") else "d MMM yyyy HH.mm")
