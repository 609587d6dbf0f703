"""The span a KPI is computed for: whole days in the office's time zone, usually a calendar month.

A period is dates, not instants: "October 2026" for a Sleman office runs from 1 October 00:00 WIB to 31 October
24:00 WIB. :meth:`ReportPeriod.bounds` turns it into the two UTC instants every KPI compares stored times with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from app.errors import Message, ValidationError
from app.timeutil import zone

_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class ReportPeriod:
    """The days ``first_day`` … ``last_day`` (both included) in the office's zone."""

    first_day: date
    last_day: date

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError(f"period ends ({self.last_day}) before it starts ({self.first_day})")

    @classmethod
    def month(cls, year: int, month: int) -> ReportPeriod:
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        return cls(first, following - timedelta(days=1))

    @classmethod
    def year(cls, year: int) -> ReportPeriod:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def label(self) -> str:
        """``2026-10`` for a whole month, else ``2026-10-01..2026-12-31``."""
        if self.first_day.day == 1 and self == ReportPeriod.month(self.first_day.year, self.first_day.month):
            return f"{self.first_day:%Y-%m}"
        return f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"

    def bounds(self, tz: str) -> tuple[datetime, datetime]:
        """[start, end) as aware UTC instants: local midnight of the first day, local midnight after the last."""
        z = zone(tz)
        start = datetime.combine(self.first_day, time.min, tzinfo=z).astimezone(UTC)
        end = datetime.combine(self.last_day + timedelta(days=1), time.min, tzinfo=z).astimezone(UTC)
        return start, end

    def months(self) -> tuple[ReportPeriod, ...]:
        """The calendar months the period touches, each clipped to the period (for per-month series)."""
        out: list[ReportPeriod] = []
        year, month = self.first_day.year, self.first_day.month
        while date(year, month, 1) <= self.last_day:
            whole = ReportPeriod.month(year, month)
            out.append(ReportPeriod(max(whole.first_day, self.first_day), min(whole.last_day, self.last_day)))
            year, month = year + month // 12, month % 12 + 1
        return tuple(out)

    def previous_month(self) -> ReportPeriod:
        """The whole month before the one the period starts in (the monthly report's comparison)."""
        first = self.first_day.replace(day=1) - timedelta(days=1)
        return ReportPeriod.month(first.year, first.month)


def parse_month(text: str, today: date) -> ReportPeriod:
    """``YYYY-MM`` as a month period; ValidationError (field ``month``) for a malformed month or one that has not
    begun by ``today`` (the office's date). The current month is allowed: its figures are partial."""
    found = _MONTH.fullmatch(text.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise ValidationError({"month": Message(
            f"Bulan tidak valid: {text!r}. Tulis tahun-bulan, misalnya 2026-10.",
            f"Invalid month: {text!r}. Write year-month, for example 2026-10.")})
    period = ReportPeriod.month(int(found.group(1)), int(found.group(2)))
    check_not_future(period, today, field="month")
    return period


def check_not_future(period: ReportPeriod, today: date, field: str = "period") -> None:
    """ValidationError when the period begins after ``today`` (there can be no figures for it yet)."""
    if period.first_day > today:
        raise ValidationError({field: Message(
            f"Periode {period.label} belum dimulai (hari ini {today:%d-%m-%Y}); belum ada data.",
            f"The period {period.label} has not begun yet (today is {today.isoformat()}); there is no data yet.")})
