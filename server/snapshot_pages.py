"""Snapshot pages of a download from the beginning (protocol 3): the next complaints of an office in id order, each
with its reporter, whole timeline and attachments, as they are now; the first page also carries the office's units
and accounts.

Read with plain selects of the tables' columns (rows, not ORM objects: a page of 500 complaints holds some 3,000
rows, and building an object for each was half of the page's time) on the session's connection, without the ORM's
result machinery. On SQLite, times and dates are read as the text they are stored as and written to the wire from
it (:func:`_stored_time`): parsing some 8 of them per complaint into datetimes only to write them out again was a
fifth of a page's time. Written in either shape of the wire:
:func:`as_snapshot` the entity dicts of protocols 3 to 5 (those of a change-log page's upserts, server.serialize),
:func:`as_tables` the tables of protocol 6 (sync.protocol.SnapshotTables: each column name once).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Column, Date, DateTime, Label, Row, Select, String, Table, TypeDecorator, select, type_coerce
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session

from server import serialize
from server.models import Attachment, Complaint, Reporter, TimelineEvent, Unit, User


def _columns(model: type[Any], *leave_out: str) -> list[Column[Any]]:
    table: Table = model.__table__
    return [col for col in table.columns if col.name not in leave_out]


# The columns a complaint is sent with (server.serialize.complaint: not its merge bookkeeping).
COMPLAINT = _columns(Complaint, *Complaint.SERVER_ONLY)
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
    dialect: Dialect | None = None  # the rows' database's (how its times were read: server.snapshot_pages._select)

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
    conn = session.connection()
    q = _select(conn, COMPLAINT).where(Complaint.office_id == office_id)
    if after_id is not None:
        q = q.where(Complaint.id > after_id)
    complaints = list(conn.execute(q.order_by(Complaint.id).limit(limit + 1)))
    more = len(complaints) > limit
    complaints = complaints[:limit]
    ids = [c.id for c in complaints]
    reporter_ids = sorted({c.reporter_id for c in complaints if c.reporter_id})
    reporters = list(conn.execute(_select(conn, REPORTER).where(Reporter.id.in_(reporter_ids)))) \
        if reporter_ids else []
    events = list(conn.execute(_select(conn, EVENT).where(TimelineEvent.complaint_id.in_(ids)).order_by(
        TimelineEvent.complaint_id, TimelineEvent.at, TimelineEvent.id))) if ids else []
    attachments = list(conn.execute(_select(conn, ATTACHMENT).where(Attachment.complaint_id.in_(ids)).order_by(
        Attachment.complaint_id, Attachment.created_at, Attachment.id))) if ids else []
    return Page(units, users, complaints, reporters, events, attachments, more, conn.dialect)


def _select(conn: Connection, columns: list[Column[Any]]) -> Select[Any]:
    """The columns, times and dates as their stored text on SQLite (:func:`_stored_time` writes them out)."""
    if conn.dialect.name != "sqlite":
        return select(*columns)
    return select(*(_as_text(col) if _is_time(col) else col for col in columns))


def _as_text(col: Column[Any]) -> Label[Any]:
    return type_coerce(col, String()).label(col.name)


# How SQLite holds a UTCDateTime (SQLAlchemy's DATETIME storage: naive UTC with microseconds) and a Date.
_STORED_DATETIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")
_STORED_DATE = re.compile(r"\d{4}-\d\d-\d\d")


def _stored_time(col: Column[Any], dialect: Dialect | None) -> Callable[[Any], Any]:
    """What writes a time or date column's value to the wire: the ISO 8601 text that ``isoformat()`` gives of the
    value the column's type reads (an aware UTC datetime; a date). From SQLite's stored text straight (``T`` for the
    space, no fraction when it is zero, ``+00:00``); any other text goes through the type as before."""
    if dialect is None or dialect.name != "sqlite":
        return _wire
    processor = col.type.dialect_impl(dialect).result_processor(dialect, None)

    def by_type(value: Any) -> Any:
        return _wire(processor(value) if processor is not None else value)

    if _is_date(col):
        return lambda value: value if value is None or _STORED_DATE.fullmatch(value) else by_type(value)

    def from_text(value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str) or not _STORED_DATETIME.fullmatch(value):
            return by_type(value)
        fraction = value[19:]
        return f"{value[:10]}T{value[11:19]}{'' if fraction == '.000000' else fraction}+00:00"

    return from_text


def _wire(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def _values(rows: list[Row[Any]], columns: list[Column[Any]], dialect: Dialect | None) -> list[list[Any]]:
    """Each row's values as JSON takes them: times and dates in ISO 8601 (only the columns that hold them)."""
    timed = _writers(tuple(columns), dialect)
    out = []
    for row in rows:
        values = list(row)
        for i, write in timed:
            values[i] = write(values[i])
        out.append(values)
    return out


@cache
def _writers(columns: tuple[Column[Any], ...], dialect: Dialect | None) -> list[tuple[int, Callable[[Any], Any]]]:
    return [(i, _stored_time(col, dialect)) for i, col in enumerate(columns) if _is_time(col)]


def _kind(col: Column[Any]) -> Any:
    kind = col.type
    return kind.impl_instance if isinstance(kind, TypeDecorator) else kind


def _is_time(col: Column[Any]) -> bool:
    return isinstance(_kind(col), DateTime | Date)


def _is_date(col: Column[Any]) -> bool:
    return isinstance(_kind(col), Date) and not isinstance(_kind(col), DateTime)


def as_tables(page: Page) -> dict[str, Any]:
    """Protocol 6 (sync.protocol.SnapshotTables), ready for JSON."""
    def table(rows: list[Row[Any]], columns: list[Column[Any]]) -> dict[str, Any]:
        return {"cols": [c.name for c in columns], "rows": _values(rows, columns, page.dialect)}

    return {"units": page.units, "users": page.users, "complaints": table(page.complaints, COMPLAINT),
            "reporters": table(page.reporters, REPORTER), "events": table(page.events, EVENT),
            "attachments": table(page.attachments, ATTACHMENT)}


def as_snapshot(page: Page) -> dict[str, Any]:
    """Protocols 3 to 5 (sync.protocol.Snapshot): entity dicts, the reporter inside its complaint."""
    def dicts(rows: list[Row[Any]], columns: list[Column[Any]]) -> list[dict[str, Any]]:
        names = [c.name for c in columns]
        return [dict(zip(names, values, strict=True)) for values in _values(rows, columns, page.dialect)]

    reporters = {r["id"]: r for r in dicts(page.reporters, REPORTER)}
    complaints = dicts(page.complaints, COMPLAINT)
    for c in complaints:
        c["reporter"] = reporters.get(c["reporter_id"]) if c["reporter_id"] else None
    return {"units": page.units, "users": page.users, "complaints": complaints,
            "events": dicts(page.events, EVENT), "attachments": dicts(page.attachments, ATTACHMENT)}


__all__ = ["Page", "as_snapshot", "as_tables", "read"]
