"""Formatting for the detail panel and forms: times in the office's zone, file sizes, deadline marks and the
colours that go with them (always paired with text, never colour alone)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QLocale, QObject

from app.domain import DeadlineState, Status
from app.timeutil import OFFICE_ZONES, as_utc, zone
from ui.locale_format import datetime_text, locale_for

_ABBREVIATIONS = {iana: abbr for abbr, iana in OFFICE_ZONES.items()}

# (text colour, background) per deadline state: calm tints that keep 4.5:1 contrast with the text colour.
DEADLINE_COLOURS: dict[str, tuple[str, str]] = {
    DeadlineState.ON_TIME: ("#1b5e20", "#e3f1e4"),
    DeadlineState.DUE_SOON: ("#7a4a00", "#fff1d6"),
    DeadlineState.OVERDUE: ("#a61b1b", "#fde4e4"),
    DeadlineState.NONE: ("#455a64", "#eceff1"),
}
DEADLINE_MARKS: dict[str, str] = {
    DeadlineState.ON_TIME: "✓",
    DeadlineState.DUE_SOON: "!",
    DeadlineState.OVERDUE: "✕",
    DeadlineState.NONE: "–",
}
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    Status.BELUM_TERVERIFIKASI: ("#0d47a1", "#e3ecfa"),
    Status.DIDISPOSISIKAN: ("#4a148c", "#efe6f7"),
    Status.DITINDAKLANJUTI: ("#00534d", "#ddf1ef"),
    Status.DITUNDA: ("#7a4a00", "#fff1d6"),
    Status.BUKAN_WEWENANG: ("#37474f", "#eceff1"),
    Status.DIARSIPKAN: ("#37474f", "#eceff1"),
    Status.SELESAI: ("#1b5e20", "#e3f1e4"),
}


def zone_label(tz: str) -> str:
    """WIB / WITA / WIT for the office zones, else the zone's name."""
    return tz if tz in OFFICE_ZONES else _ABBREVIATIONS.get(tz, tz)


def format_datetime(value: datetime, tz: str, lang: str) -> str:
    """e.g. "2 Mar 2026 09.00 WIB" in the office's zone."""
    return f"{datetime_text(as_utc(value).astimezone(zone(tz)), lang)} {zone_label(tz)}"


def format_date(value: object, lang: str) -> str:
    qdate = QDate(value.year, value.month, value.day)  # type: ignore[attr-defined]
    return locale_for(lang).toString(qdate, "d MMMM yyyy")


def format_size(size: int, lang: str) -> str:
    return locale_for(lang).formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeSIFormat)


def relative_due(due_at: datetime, now: datetime) -> str:
    """How long until (or since) a deadline: whole days, or hours when under a day."""
    return DetailFormat().relative_due(due_at, now)


class DetailFormat(QObject):
    """The deadline's words. Counts are said through ``self.tr`` in a QObject: pyside6-lupdate marks only tr()
    calls as plural, and only plural messages get their English singular and plural ("1 day late", "2 days late",
    tools/i18n.py); through QCoreApplication.translate English read "1 day(s) late"."""

    def relative_due(self, due_at: datetime, now: datetime) -> str:
        seconds = (as_utc(due_at) - as_utc(now)).total_seconds()
        late = seconds < 0
        hours = int(abs(seconds) // 3600)
        if hours < 24:
            hours = max(hours, 1)
            return self.tr("%Ln hour(s) late", "", hours) if late else self.tr("%Ln hour(s) left", "", hours)
        days = hours // 24
        return self.tr("%Ln day(s) late", "", days) if late else self.tr("%Ln day(s) left", "", days)
