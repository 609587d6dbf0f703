"""Numbers, months and times as the Indonesian report writes them: decimal comma, "%" after a space, month names."""

from __future__ import annotations

from datetime import datetime

from app.kpi.period import ReportPeriod

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def number(value: float) -> str:
    """``1.234`` for whole numbers (thousands with a dot), ``85,7`` with one decimal otherwise."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")


def percent(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " %"


def days(value: float) -> str:
    """Working days with one decimal; the row's label says the unit."""
    return f"{value:.1f}".replace(".", ",")


def signed(delta: float, unit: str = "", *, decimals: bool = False) -> str:
    """``+3``, ``−2,5 poin``, ``0``: the change from the previous month (``decimals``: always one decimal)."""
    text = f"{abs(delta):.1f}".replace(".", ",") if decimals else number(abs(delta))
    if delta == 0:
        return text + unit
    return ("+" if delta > 0 else "−") + text + unit


def month_label(period: ReportPeriod) -> str:
    return f"{MONTHS[period.first_day.month - 1]} {period.first_day.year}"


def short_month(period: ReportPeriod) -> str:
    return f"{SHORT_MONTHS[period.first_day.month - 1]} {period.first_day:%y}"


def local_time(at: datetime, tz_name: str) -> str:
    """``4 Desember 2026 16.30 WIB`` (Indonesian writes the time with a dot)."""
    zone = ZONE_NAMES.get(tz_name, tz_name)
    return f"{at.day} {MONTHS[at.month - 1]} {at.year} {at:%H.%M} {zone}"
