"""Read side for lists and details: ids and rows for the office's complaint list, counts for navigation,
a complaint's detail with the reporter shown only as the privacy rules allow, and tracking-code look-up.

Sorting and filtering happen in SQL; lists order by expressions that match the store's indexes. The list queries are
built once per filter shape (which fields are set) and sort, compiled to SQL and run on the driver cursor
(app.store.transactions.sql_cursor) with the values converted as the column types would: these run on every scroll and
filter change, and for them SQLAlchemy's statement building and result handling cost more than SQLite's work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import BindParameter, ColumnElement, Integer, Select, bindparam, func, literal_column, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session, aliased

from app.domain import OPEN_STATUSES, DeadlineState, EventKind
from app.errors import Message, NotFound
from app.models import Attachment, Category, Complaint, Reporter, TimelineEvent, Unit, User
from app.rules import tracking
from app.rules.privacy import can_see_reporter
from app.store.transactions import sql_cursor, sql_datetime
from app.timeutil import zone

# Must read exactly as in the ix_complaints_office_*_due indexes so SQLite can walk them in order.
DUE_SORT: ColumnElement[Any] = literal_column("coalesce(complaints.next_due_at, '9999-12-31')")

SORTS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "deadline": (DUE_SORT.asc(), Complaint.id.asc()),
    "received": (Complaint.received_at.desc(), Complaint.id.desc()),
    "received_asc": (Complaint.received_at.asc(), Complaint.id.asc()),
    "tracking_code": (Complaint.tracking_code.asc(),),
    "status": (Complaint.status.asc(), DUE_SORT.asc(), Complaint.id.asc()),
    "title": (Complaint.title.asc(), Complaint.id.asc()),
}


@dataclass(frozen=True)
class ComplaintFilter:
    """What the list shows. Empty fields filter nothing."""

    statuses: tuple[str, ...] = ()
    category_id: str | None = None
    unit_id: str | None = None
    channel: str | None = None
    received_from: date | None = None  # calendar days in the office's zone ``tz``
    received_to: date | None = None
    tz: str = "Asia/Jakarta"
    deadline_state: str | None = None  # DeadlineState value
    ids: tuple[str, ...] | None = None  # e.g. full-text search results


@dataclass(frozen=True)
class ComplaintRow:
    id: str
    tracking_code: str
    title: str
    category: str | None
    unit: str | None
    status: str
    channel: str
    received_at: datetime
    next_due_at: datetime | None
    next_due_kind: str | None


_DEADLINE_STATES = frozenset(DeadlineState)
_DIALECT = sqlite.dialect()
_IDS = "__[POSTCOMPILE_ids]"  # where the ids of ComplaintFilter.ids go, one "?" each


_fromisoformat = datetime.fromisoformat  # a stored UTCDateTime + "+00:00" reads back with tzinfo UTC


class _Shape(NamedTuple):
    """Which conditions a filter has (their values go in as parameters): the key of the compiled queries."""

    statuses: int
    category: bool
    unit: bool
    channel: bool
    received_from: bool
    received_to: bool
    deadline_state: str | None
    ids: bool


def _shape(f: ComplaintFilter) -> _Shape:
    state = f.deadline_state if f.deadline_state in _DEADLINE_STATES else None
    return _Shape(len(f.statuses), bool(f.category_id), bool(f.unit_id), bool(f.channel), bool(f.received_from),
                  bool(f.received_to), state, f.ids is not None)


def _moment(name: str) -> BindParameter[Any]:
    """A datetime parameter stored as the deadline column stores it."""
    return bindparam(name, type_=Complaint.__table__.c.next_due_at.type)


def _conditions(shape: _Shape) -> list[ColumnElement[bool]]:
    """The WHERE clause of a list query, with a bind parameter for every value (named as in :func:`_values`)."""
    conds: list[ColumnElement[bool]] = [Complaint.office_id == bindparam("office")]
    if shape.statuses:
        conds.append(Complaint.status.in_([bindparam(f"status_{i}") for i in range(shape.statuses)]))
    if shape.category:
        sub = select(Category.id).where(Category.parent_id == bindparam("category"))
        conds.append((Complaint.category_id == bindparam("category")) | Complaint.category_id.in_(sub))
    if shape.unit:
        conds.append(Complaint.unit_id == bindparam("unit"))
    if shape.channel:
        conds.append(Complaint.channel == bindparam("channel"))
    if shape.received_from:
        conds.append(Complaint.received_at >= bindparam("received_from"))
    if shape.received_to:
        conds.append(Complaint.received_at < bindparam("received_to"))
    # Overdue and due-soon compare the indexed expression (DUE_SORT): a range of the deadline indexes instead of
    # every complaint of the office (80 ms → 0.1 ms for a count of 40,000). The same rows: a complaint without a
    # deadline sorts as 9999-12-31, after any ``now`` or ``soon``.
    if shape.deadline_state == DeadlineState.OVERDUE:
        conds.append(_moment("now") > DUE_SORT)
    elif shape.deadline_state == DeadlineState.DUE_SOON:
        conds.append(DUE_SORT.between(_moment("now"), _moment("soon")))
    elif shape.deadline_state == DeadlineState.ON_TIME:
        conds.append(Complaint.next_due_at > bindparam("soon"))
    elif shape.deadline_state == DeadlineState.NONE:
        conds.append(Complaint.next_due_at.is_(None))
    if shape.ids:
        conds.append(Complaint.id.in_(bindparam("ids", expanding=True)))
    return conds


def _values(office_id: str, f: ComplaintFilter, shape: _Shape, now: datetime, due_soon: timedelta,
            moment: Callable[[datetime], Any] = sql_datetime) -> dict[str, Any]:
    """The parameters of the shape's WHERE clause; datetimes as ``moment`` makes them (by default as the
    column type stores them)."""
    values: dict[str, Any] = {"office": office_id}
    for i, status in enumerate(f.statuses):
        values[f"status_{i}"] = status
    if shape.category:
        values["category"] = f.category_id
    if shape.unit:
        values["unit"] = f.unit_id
    if shape.channel:
        values["channel"] = f.channel
    if f.received_from:
        values["received_from"] = moment(datetime.combine(f.received_from, time.min, zone(f.tz)))
    if f.received_to:
        values["received_to"] = moment(datetime.combine(f.received_to + timedelta(days=1), time.min,
                                                               zone(f.tz)))
    if shape.deadline_state in (DeadlineState.OVERDUE, DeadlineState.DUE_SOON):
        values["now"] = moment(now)
    if shape.deadline_state in (DeadlineState.DUE_SOON, DeadlineState.ON_TIME):
        values["soon"] = moment(now + due_soon)
    if shape.ids:
        values["ids"] = f.ids
    return values


@dataclass(frozen=True)
class _Prepared:
    """A compiled list query: its SQL and the names of its parameters in order."""

    sql: str
    names: tuple[str, ...]

    @staticmethod
    def of(statement: Select) -> _Prepared:
        compiled = statement.compile(dialect=_DIALECT)
        return _Prepared(str(compiled), tuple(compiled.positiontup or ()))

    def bind(self, values: dict[str, Any]) -> tuple[str, list[Any]]:
        """The SQL and its positional parameters; ``ids`` expands to one parameter per id."""
        if "ids" not in values:
            return self.sql, [values[name] for name in self.names]
        params: list[Any] = []
        for name in self.names:
            if name == "ids":
                params.extend(values["ids"])
            else:
                params.append(values[name])
        return self.sql.replace(_IDS, ", ".join("?" * len(values["ids"]))), params


_ROW_COLUMNS = (Complaint.id, Complaint.tracking_code, Complaint.title, Category.name, Unit.name, Complaint.status,
                Complaint.channel, Complaint.received_at, Complaint.next_due_at, Complaint.next_due_kind)
_PREPARED: dict[tuple[str, str, _Shape], _Prepared] = {}


def _prepared(kind: str, sort: str, shape: _Shape) -> _Prepared:
    """The list query of ``kind`` ("ids", "count" or "page") for a filter shape and sort, compiled once."""
    key = (kind, sort, shape)
    found = _PREPARED.get(key)
    if found is None:
        statement: Select[Any]
        if kind == "count":
            statement = select(func.count()).select_from(Complaint).where(*_conditions(shape))
        elif kind == "ids":
            statement = select(Complaint.id).where(*_conditions(shape)).order_by(*SORTS[sort])
        else:
            statement = (_row_select().where(*_conditions(shape)).order_by(*SORTS[sort])
                         .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer)))
        found = _Prepared.of(statement)
        if kind == "ids" and shape.statuses and not (shape.unit or shape.ids):
            found = _Prepared(_indexed_by(found.sql, _STATUS_INDEX), found.names)
        found = _PREPARED[key] = found
    return found


# Every id of a status filter: SQLite would walk the whole office in deadline order (the index that gives the order)
# and look up each row's status (70 ms for 316 of 40,000 complaints); the status index finds just those rows and
# sorting them is cheap (0.5 ms). A page (LIMIT) keeps the planner's choice: it stops early in the ordered walk.
_STATUS_INDEX = "ix_complaints_office_status_due"


def _indexed_by(sql: str, index: str) -> str:
    """``sql`` reading ``complaints`` through ``index`` (SQLAlchemy does not render SQLite's INDEXED BY)."""
    head = "\nFROM complaints \n"
    assert sql.count(head) == 1, sql
    return sql.replace(head, f"\nFROM complaints INDEXED BY {index} \n")


_new = object.__new__
_set = object.__setattr__


def _row(r: Any) -> ComplaintRow:
    """A ComplaintRow from a row of _ROW_COLUMNS. Filled as the dataclass's own ``__init__`` would fill it, without
    its ten ``object.__setattr__`` calls: a page converts 100 rows, and that took longer than SQLite's query."""
    row = _new(ComplaintRow)
    due = r[8]
    _set(row, "__dict__", {
        "id": r[0], "tracking_code": r[1], "title": r[2], "category": r[3], "unit": r[4], "status": r[5],
        "channel": r[6], "received_at": _fromisoformat(r[7] + "+00:00"),
        "next_due_at": None if due is None else _fromisoformat(due + "+00:00"), "next_due_kind": r[9]})
    return row


def ids_query(office_id: str, f: ComplaintFilter, *, sort: str, now: datetime,
              due_soon: timedelta) -> Select:
    shape = _shape(f)
    statement = select(Complaint.id).where(*_conditions(shape)).order_by(*SORTS[sort])
    return statement.params(_values(office_id, f, shape, now, due_soon, moment=lambda d: d))


def list_ids(session: Session, office_id: str, f: ComplaintFilter, *, sort: str = "deadline",
             now: datetime, due_soon: timedelta = timedelta(hours=48)) -> list[str]:
    """Every matching id in display order (a list of 100,000 short strings is cheap; rows load lazily)."""
    if f.ids is not None and not f.ids:
        return []
    shape = _shape(f)
    sql, params = _prepared("ids", sort, shape).bind(_values(office_id, f, shape, now, due_soon))
    return [r[0] for r in sql_cursor(session).rows(sql, params)]


def count(session: Session, office_id: str, f: ComplaintFilter, *, now: datetime,
          due_soon: timedelta = timedelta(hours=48)) -> int:
    if f.ids is not None and not f.ids:
        return 0
    shape = _shape(f)
    sql, params = _prepared("count", "", shape).bind(_values(office_id, f, shape, now, due_soon))
    row = sql_cursor(session).first(sql, params)
    return int(row[0] or 0)


def _row_select() -> Select:
    return select(*_ROW_COLUMNS).outerjoin(Category, Category.id == Complaint.category_id).outerjoin(
        Unit, Unit.id == Complaint.unit_id)


def page(session: Session, office_id: str, f: ComplaintFilter, *, sort: str = "deadline", now: datetime,
         limit: int = 100, offset: int = 0, due_soon: timedelta = timedelta(hours=48)) -> list[ComplaintRow]:
    """One page of rows, in display order."""
    if f.ids is not None and not f.ids:
        return []
    shape = _shape(f)
    values = _values(office_id, f, shape, now, due_soon)
    values["limit"], values["offset"] = limit, offset
    sql, params = _prepared("page", sort, shape).bind(values)
    return [_row(r) for r in sql_cursor(session).rows(sql, params)]


_BY_ID = _Prepared.of(_row_select().where(Complaint.id.in_(bindparam("ids", expanding=True))))


def rows_by_id(session: Session, ids: list[str]) -> dict[str, ComplaintRow]:
    """Rows for a batch of ids (the list model's lazy cache fills from this)."""
    if not ids:
        return {}
    sql, params = _BY_ID.bind({"ids": ids})
    return {r[0]: _row(r) for r in sql_cursor(session).rows(sql, params)}


_STATUS_COUNTS = _Prepared.of(select(Complaint.status, func.count()).where(Complaint.office_id == bindparam("office"))
                              .group_by(Complaint.status))
_OVERDUE = _Prepared.of(select(func.count()).where(
    Complaint.office_id == bindparam("office"),
    Complaint.status.in_([bindparam(f"open_{i}") for i in range(len(OPEN_STATUSES))]),
    _moment("now") > DUE_SORT))
_OPEN = {f"open_{i}": status for i, status in enumerate(sorted(OPEN_STATUSES))}


def status_counts(session: Session, office_id: str) -> dict[str, int]:
    sql, params = _STATUS_COUNTS.bind({"office": office_id})
    return {status: n for status, n in sql_cursor(session).rows(sql, params)}


def overdue_count(session: Session, office_id: str, now: datetime) -> int:
    sql, params = _OVERDUE.bind({"office": office_id, "now": sql_datetime(now), **_OPEN})
    row = sql_cursor(session).first(sql, params)
    return int(row[0] or 0)


def find_by_code(session: Session, typed: str, office_id: str | None = None) -> str:
    """The complaint id for a typed tracking code. A wrong check digit raises MistypedCode (say "check the
    receipt"); a well-formed code that is not here raises NotFound."""
    code = tracking.parse(typed)
    q = select(Complaint.id).where(Complaint.tracking_code == str(code))
    if office_id:
        q = q.where(Complaint.office_id == office_id)
    found = session.execute(q).scalar()
    if found is None:
        raise NotFound(Message(
            f"Tidak ada laporan dengan kode {code}. Kode ini benar secara format, tetapi belum tercatat di PC ini.",
            f"No complaint has the code {code}. The code is well-formed but not recorded on this PC."))
    return found


@dataclass(frozen=True)
class ReporterView:
    visible: bool
    name: str | None = None
    nik: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    assistance_needs: str | None = None


@dataclass(frozen=True)
class EventView:
    id: str
    kind: str
    at: datetime
    actor: str | None
    from_status: str | None
    to_status: str | None
    text: str | None
    data_json: str | None


@dataclass(frozen=True)
class AttachmentView:
    id: str
    filename: str
    mime_type: str
    size: int
    sha256: str
    blob_present: bool


@dataclass(frozen=True)
class ComplaintDetail:
    id: str
    tracking_code: str
    status: str
    classification: str
    channel: str
    title: str
    description: str
    category: str | None
    category_id: str | None
    unit: str | None
    unit_id: str | None
    region_code: str | None
    address: str | None
    latitude: float | None
    longitude: float | None
    incident_date: date | None
    is_anonymous: bool
    is_confidential: bool
    is_supervisory: bool
    received_at: datetime
    step_due_at: datetime | None
    step_due_kind: str | None
    resolution_due_at: datetime | None
    next_due_at: datetime | None
    archive_reason: str | None
    reporter: ReporterView
    events: list[EventView] = field(default_factory=list)
    attachments: list[AttachmentView] = field(default_factory=list)


def detail(session: Session, complaint_id: str, *, viewer_role: str, office_id: str) -> ComplaintDetail:
    c = session.get(Complaint, complaint_id)
    if c is None or c.office_id != office_id:
        raise NotFound(Message("Laporan tidak ditemukan.", "Complaint not found."))
    reporter = ReporterView(visible=False)
    if c.reporter_id and can_see_reporter(viewer_role, is_anonymous=c.is_anonymous):
        r = session.get(Reporter, c.reporter_id)
        if r is not None:
            reporter = ReporterView(True, r.name, r.nik, r.phone, r.email, r.address, r.assistance_needs)
    actor = aliased(User)
    events = [
        EventView(e.id, e.kind, e.at, name, e.from_status, e.to_status, e.text, e.data_json)
        for e, name in session.execute(
            select(TimelineEvent, actor.full_name)
            .outerjoin(actor, actor.id == TimelineEvent.actor_user_id)
            .where(TimelineEvent.complaint_id == c.id)
            # Nothing happens to a complaint before its receipt, whatever clock dated a step (a PC's clock
            # behind the one that took it in; the server moves such a time when the step reaches it).
            .order_by(TimelineEvent.kind != EventKind.RECEIVED, TimelineEvent.at, TimelineEvent.id)
        )
    ]
    attachments = [
        AttachmentView(a.id, a.filename, a.mime_type, a.size, a.sha256, a.blob_present)
        for a in session.execute(
            select(Attachment).where(Attachment.complaint_id == c.id).order_by(Attachment.created_at)
        ).scalars()
    ]
    category = session.get(Category, c.category_id) if c.category_id else None
    unit = session.get(Unit, c.unit_id) if c.unit_id else None
    return ComplaintDetail(
        c.id, c.tracking_code, c.status, c.classification, c.channel, c.title, c.description,
        category.name if category else None, c.category_id, unit.name if unit else None, c.unit_id,
        c.region_code, c.address, c.latitude, c.longitude, c.incident_date, c.is_anonymous,
        c.is_confidential, c.is_supervisory, c.received_at, c.step_due_at, c.step_due_kind,
        c.resolution_due_at, c.next_due_at, c.archive_reason, reporter, events, attachments,
    )
