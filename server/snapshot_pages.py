"""Snapshot pages of a download from the beginning (protocol 3): the next complaints of an office in id order, each
with its reporter, whole timeline and attachments, as they are now; the first page also carries the office's units
and accounts.

Read with plain selects of the tables' columns (rows, not ORM objects: a page of 500 complaints holds some 3,000
rows, and building an object for each was half of the page's time) and written in either shape of the wire:
:func:`as_snapshot` the entity dicts of protocols 3 to 5 (those of a change-log page's upserts, server.serialize),
:func:`as_tables` the tables of protocol 6 (sync.protocol.SnapshotTables: each column name once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Date, DateTime, Row, Table, TypeDecorator, select
from sqlalchemy.orm import Session

from server import serialize
from server.models import Attachment, Complaint, Reporter, TimelineEvent, Unit, User


def _columns(model: type[Any], *leave_out: str) -> list[Column[Any]]:
    table: Table = model.__table__
    return [col for col in table.columns if col.name not in leave_out]


# The columns a complaint is sent with (server.serialize.complaint: not its merge bookkeeping).
COMPLAINT = _columns(Complaint, "field_versions", "created_by_client")
REPORTER = _columns(Reporter)
EVENT = _columns(TimelineEvent)
ATTACHMENT = _columns(Attachment)


@dataclass
class Page:
    units: list[dict[str, Any]]
    users: list[dict[str, Any]]
    complaints: list[Row[Any]]
    reporters: list[Row[Any]]
    events: list[Row[Any]]
    attachments: list[Row[Any]]
    more: bool  # complaints after this page

    @property
    def last_id(self) -> str | None:
        return self.complaints[-1].id if self.complaints else None


def read(session: Session, office_id: str, after_id: str | None, limit: int) -> Page:
    """The ``limit`` complaints after ``after_id`` (from the first when None, with the units and accounts)."""
    units: list[dict[str, Any]] = []
    users: list[dict[str, Any]] = []
    if after_id is None:
        units = [serialize.unit(u) for u in session.execute(
            select(Unit).where(Unit.office_id == office_id).order_by(Unit.id)).scalars()]
        users = [serialize.user(u) for u in session.execute(
            select(User).where(User.office_id == office_id).order_by(User.id)).scalars()]
    q = select(*COMPLAINT).where(Complaint.office_id == office_id)
    if after_id is not None:
        q = q.where(Complaint.id > after_id)
    complaints = list(session.execute(q.order_by(Complaint.id).limit(limit + 1)))
    more = len(complaints) > limit
    complaints = complaints[:limit]
    ids = [c.id for c in complaints]
    reporter_ids = sorted({c.reporter_id for c in complaints if c.reporter_id})
    reporters = list(session.execute(select(*REPORTER).where(Reporter.id.in_(reporter_ids)))) if reporter_ids else []
    events = list(session.execute(select(*EVENT).where(TimelineEvent.complaint_id.in_(ids)).order_by(
        TimelineEvent.complaint_id, TimelineEvent.at, TimelineEvent.id))) if ids else []
    attachments = list(session.execute(select(*ATTACHMENT).where(Attachment.complaint_id.in_(ids)).order_by(
        Attachment.complaint_id, Attachment.created_at, Attachment.id))) if ids else []
    return Page(units, users, complaints, reporters, events, attachments, more)


def _wire(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def _values(rows: list[Row[Any]], columns: list[Column[Any]]) -> list[list[Any]]:
    """Each row's values as JSON takes them: times and dates in ISO 8601 (only the columns that hold them)."""
    timed = [i for i, col in enumerate(columns) if _is_time(col)]
    out = []
    for row in rows:
        values = list(row)
        for i in timed:
            values[i] = _wire(values[i])
        out.append(values)
    return out


def _is_time(col: Column[Any]) -> bool:
    kind = col.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    return isinstance(kind, DateTime | Date)


def as_tables(page: Page) -> dict[str, Any]:
    """Protocol 6 (sync.protocol.SnapshotTables), ready for JSON."""
    def table(rows: list[Row[Any]], columns: list[Column[Any]]) -> dict[str, Any]:
        return {"cols": [c.name for c in columns], "rows": _values(rows, columns)}

    return {"units": page.units, "users": page.users, "complaints": table(page.complaints, COMPLAINT),
            "reporters": table(page.reporters, REPORTER), "events": table(page.events, EVENT),
            "attachments": table(page.attachments, ATTACHMENT)}


def as_snapshot(page: Page) -> dict[str, Any]:
    """Protocols 3 to 5 (sync.protocol.Snapshot): entity dicts, the reporter inside its complaint."""
    def dicts(rows: list[Row[Any]], columns: list[Column[Any]]) -> list[dict[str, Any]]:
        names = [c.name for c in columns]
        return [dict(zip(names, values, strict=True)) for values in _values(rows, columns)]

    reporters = {r["id"]: r for r in dicts(page.reporters, REPORTER)}
    complaints = dicts(page.complaints, COMPLAINT)
    for c in complaints:
        c["reporter"] = reporters.get(c["reporter_id"]) if c["reporter_id"] else None
    return {"units": page.units, "users": page.users, "complaints": complaints,
            "events": dicts(page.events, EVENT), "attachments": dicts(page.attachments, ATTACHMENT)}


__all__ = ["Page", "as_snapshot", "as_tables", "read"]
