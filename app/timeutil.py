"""Times are stored in UTC and shown in the office's zone (WIB, WITA, WIT). A PC's clock may be wrong: the server's
time as this PC best knows it is its clock plus the skew measured at the last sync (:func:`server_now`)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

OFFICE_ZONES: dict[str, str] = {
    "WIB": "Asia/Jakarta",
    "WITA": "Asia/Makassar",
    "WIT": "Asia/Jayapura",
}
# store_meta: the server's time minus this PC's clock, in seconds, measured on every sync (sync.state.CLOCK_SKEW).
CLOCK_SKEW_KEY = "sync_clock_skew_seconds"
# A smaller skew is a right clock seen through the network's delay: correcting it would only add noise.
SKEW_DEAD_BAND = timedelta(minutes=1)
# A larger one is not a measurement (a PC whose battery died thinks it is 2000: that is 26 years, still corrected).
SKEW_LIMIT = timedelta(days=365 * 50)


def utcnow() -> datetime:
    return datetime.now(UTC)


def zone(tz_name: str) -> ZoneInfo:
    """The zone for an office's ``tz`` (an IANA name or WIB/WITA/WIT)."""
    return ZoneInfo(OFFICE_ZONES.get(tz_name, tz_name))


def as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def corrected(pc_now: datetime, skew_seconds: float | None) -> datetime:
    """``pc_now`` moved by a measured skew, when there is one worth applying (see :data:`SKEW_DEAD_BAND` and
    :data:`SKEW_LIMIT`); otherwise ``pc_now`` unchanged."""
    if skew_seconds is None or not math.isfinite(skew_seconds):
        return pc_now
    skew = timedelta(seconds=skew_seconds)
    if abs(skew) < SKEW_DEAD_BAND or abs(skew) > SKEW_LIMIT:
        return pc_now
    return pc_now + skew


def stored_skew(session: Session) -> float | None:
    """The skew the last sync measured (None before the first sync, or when unreadable)."""
    from app.store import meta  # the store's tables: imported on use, this module stays at the bottom of app

    raw = meta.get(session, CLOCK_SKEW_KEY)
    try:
        return float(raw) if raw else None
    except ValueError:
        return None


def server_now(session: Session, pc_now: datetime) -> datetime:
    """The server's time now as this PC best knows it: ``pc_now`` (the PC's clock) plus the skew the last sync
    measured. Deadlines and auto-close use it, so they neither run early on a PC whose clock is ahead nor late on
    one whose clock is behind. The skew is as fresh as the last sync: a clock set right while the PC is offline is
    counted wrong until its next sync measures again (the server still moves any time that cannot be true)."""
    return corrected(pc_now, stored_skew(session))
