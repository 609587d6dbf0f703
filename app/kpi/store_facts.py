"""The KPI facts of an office and period from this PC's store: two SQL statements on the driver cursor (the complaints
the period may need, then their status changes), no ORM object per complaint.

Which complaints are read is app.kpi.facts.selection_window; what they mean is app.kpi.facts.build_facts, the same
for the server (server.kpi_facts). ``assess_office`` is the whole way from a session to assessed complaints;
``read_facts_of`` reads the complaints that changed since, for ``Assessed.with_changes`` (a view that keeps its
assessment and refreshes only what changed, instead of reading the office again).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import OPEN_STATUSES
from app.kpi.assess import Assessed, KpiRules, assess, bulk_build
from app.kpi.facts import (
    STATUS_EVENT_KINDS,
    ComplaintFacts,
    ComplaintRow,
    SelectionWindow,
    build_facts,
    group_events,
    selection_window,
)
from app.kpi.period import ReportPeriod
from app.models import Office
from app.rules.sla import load_calendar, load_policy
from app.store.transactions import sql_cursor, sql_datetime

_KINDS = ", ".join(f"'{k}'" for k in STATUS_EVENT_KINDS)
_OPEN = ", ".join(f"'{s.value}'" for s in sorted(OPEN_STATUSES))
# The complaints a period may need (see SelectionWindow): ? = office, received until, since, since.
_SELECTED = f"""
    c.office_id = ? AND c.received_at < ?
    AND (c.received_at >= ? OR c.status IN ({_OPEN})
         OR EXISTS (SELECT 1 FROM timeline_events s WHERE s.complaint_id = c.id AND s.at >= ? AND s.kind IN ({_KINDS})))
"""


def _micros(column: str) -> str:
    """A stored UTC time ("YYYY-MM-DD HH:MM:SS.ffffff") as exact integer microseconds since 1970, computed by SQLite:
    turning them into datetimes costs a third of parsing the text in Python."""
    return (f"(CAST(strftime('%s', substr({column}, 1, 19)) AS INTEGER) * 1000000"
            f" + CAST(substr({column}, 21, 6) AS INTEGER))")


_COMPLAINT_COLUMNS = f"""
SELECT c.id, c.office_id, {_micros("c.received_at")}, c.classification, c.is_supervisory, c.status,
       c.archive_reason, c.category_id, c.unit_id, c.region_code, c.channel, c.is_confidential,
       {_micros("c.disposed_at")}, {_micros("c.followed_up_at")}, {_micros("c.postponed_at")}
FROM complaints c"""
_EVENT_COLUMNS = f"""
SELECT e.complaint_id, {_micros("e.at")}, e.id, e.kind, e.to_status
FROM complaints c JOIN timeline_events e ON e.complaint_id = c.id
WHERE e.kind IN ({_KINDS}) AND e.to_status IS NOT NULL AND"""
COMPLAINTS_SQL = f"{_COMPLAINT_COLUMNS} WHERE {_SELECTED}"
EVENTS_SQL = f"{_EVENT_COLUMNS} {_SELECTED}"
COMPLAINTS_BY_ID_SQL = f"{_COMPLAINT_COLUMNS} WHERE c.office_id = ?"
EVENTS_BY_ID_SQL = f"{_EVENT_COLUMNS} c.office_id = ?"
_CHUNK = 500  # ids per IN (...) list


def load_rules(session: Session, office_id: str) -> KpiRules:
    """The policy in force, the working calendar and the office's zone, as the window's deadlines use them."""
    tz = session.scalar(select(Office.tz).where(Office.id == office_id))
    return KpiRules(load_policy(session), load_calendar(session), tz or "Asia/Jakarta")


def read_facts(session: Session, office_id: str, window: SelectionWindow) -> list[ComplaintFacts]:
    """The facts of the office's complaints inside ``window`` (one read snapshot: call within ``Store.read()``)."""
    cursor = sql_cursor(session)
    until, since = sql_datetime(window.received_until), sql_datetime(window.since)
    params = (office_id, until, since, since)
    with bulk_build():
        events = group_events((cid, _dt(at), eid, kind, to)
                              for cid, at, eid, kind, to in cursor.rows(EVENTS_SQL, params))
        out: list[ComplaintFacts] = []
        shared: dict[Any, Any] = {}
        for r in cursor.rows(COMPLAINTS_SQL, params):
            out.append(build_facts(_row(r, shared), events.get(r[0], ())))
    return out


def read_facts_of(session: Session, office_id: str, ids: Iterable[str]) -> list[ComplaintFacts]:
    """The facts of these complaints of the office (the ones that changed), whatever their dates; an id that is not
    the office's (any more) gives nothing."""
    cursor = sql_cursor(session)
    wanted = sorted(set(ids))
    out: list[ComplaintFacts] = []
    shared: dict[Any, Any] = {}
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i:i + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        params = (office_id, *chunk)
        events = group_events((cid, _dt(at), eid, kind, to) for cid, at, eid, kind, to in cursor.rows(
            f"{EVENTS_BY_ID_SQL} AND c.id IN ({marks})", params))
        out += [build_facts(_row(r, shared), events.get(r[0], ())) for r in cursor.rows(
            f"{COMPLAINTS_BY_ID_SQL} AND c.id IN ({marks})", params)]
    return out


def assess_office(session: Session, office_id: str, period: ReportPeriod) -> Assessed:
    """The office's complaints that may count for ``period``, assessed under the store's rules."""
    rules = load_rules(session, office_id)
    start, end = period.bounds(rules.tz)
    return assess(read_facts(session, office_id, selection_window(start, end, rules.policy)), rules)


def _row(r: Any, shared: dict[Any, Any]) -> ComplaintRow:
    """One complaint's row; the few values many complaints have in common (office, classification, status, archive
    reason, category, unit, region, channel) as one string each in ``shared``, not one per row: less memory, and a
    breakdown's grouping by them keeps touching the same few objects instead of one per complaint."""
    one = shared.setdefault
    return ComplaintRow(r[0], one(r[1], r[1]), _dt(r[2]), one(r[3], r[3]), bool(r[4]), one(r[5], r[5]),
                        one(r[6], r[6]), one(r[7], r[7]), one(r[8], r[8]), one(r[9], r[9]), one(r[10], r[10]),
                        bool(r[11]), _opt(r[12]), _opt(r[13]), _opt(r[14]))


def _dt(micros: int) -> datetime:
    # Exact: a double holds today's microsecond counts (< 2**53) exactly, and fromtimestamp rounds to microseconds.
    return datetime.fromtimestamp(micros / 1_000_000, UTC)


def _opt(micros: int | None) -> datetime | None:
    return None if micros is None else _dt(micros)
