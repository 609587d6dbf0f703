"""Times are stored in UTC and shown in the office's zone (WIB, WITA, WIT)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

OFFICE_ZONES: dict[str, str] = {
    "WIB": "Asia/Jakarta",
    "WITA": "Asia/Makassar",
    "WIT": "Asia/Jayapura",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def zone(tz_name: str) -> ZoneInfo:
    """The zone for an office's ``tz`` (an IANA name or WIB/WITA/WIT)."""
    return ZoneInfo(OFFICE_ZONES.get(tz_name, tz_name))


def as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
