"""Read side for lists and details: ids and rows for the office's complaint list, counts for navigation,
a complaint's detail with the reporter shown only as the privacy rules allow, and tracking-code look-up.

Sorting and filtering happen in SQL; lists order by expressions that match the store's indexes. The list queries are
built once per filter shape (which fields are set) and sort, compiled to SQL and run on the driver cursor
(app.store.transactions.sql_cursor) with the values converted as the column types would: these run on every scroll and
filter change, and for them SQLAlchemy's statement building and result handling cost more than SQLite's work.

Every read is for a :class:`~app.rules.scope.Scope` (who reads: office, role, a liaison's unit) and returns only the
complaints and reporter data that scope may see (app.rules.scope, the policy). The scope is part of the compiled
queries: a whole-office scope reads exactly as before, a unit's adds one condition on the unit (its own shape), a
scope that sees nothing runs no query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from app.domain import OPEN_STATUSES, DeadlineState, EventKind, Status
from app.errors import Message, NotFound, OutOfScope
from app.models import Category, Complaint, TimelineEvent, Unit
from app.rules import tracking
from app.rules.scope import Reach, Scope, as_scope
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
    # Needs leadership's attention: past its deadline, or escalated (sent back to the unit by a reporter not
    # satisfied, or reopened). Combine with open statuses (app.rules.scope's PIMPINAN inbox).
    attention: bool = False


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
    attention: bool = False
    unit_scope: bool = False  # the reader sees only their unit's complaints (Reach.UNIT)


def _shape(f: ComplaintFilter, scope: Scope | None = None) -> _Shape:
    """The shape of ``f`` read within ``scope`` (None: a whole office's)."""
    state = f.deadline_state if f.deadline_state in _DEADLINE_STATES else None
    return _Shape(len(f.statuses), bool(f.category_id), bool(f.unit_id), bool(f.channel), bool(f.received_from),
                  bool(f.received_to), state, f.ids is not None, f.attention,
                  scope is not None and scope.reach == Reach.UNIT)


def _sees_nothing(scope: Scope, f: ComplaintFilter) -> bool:
    """Whether the answer is empty without asking SQLite: a scope that reaches no complaint, or no ids to look at."""
    return scope.reach == Reach.NONE or (f.ids is not None and not f.ids)


# Escalated: the reporter was not satisfied (their response sent it back to the unit) or the office reopened it.
# Its values are written into the SQL (the prepared queries bind only the filter's values).
_ESCALATED = exists().where(
    TimelineEvent.complaint_id == Complaint.id,
    or_(TimelineEvent.kind == literal_column(f"'{EventKind.REOPENED}'"),
        and_(TimelineEvent.kind == literal_column(f"'{EventKind.REPORTER_RESPONSE}'"),
             TimelineEvent.to_status == literal_column(f"'{Status.DIDISPOSISIKAN}'"))))


def _moment(name: str) -> BindParameter[Any]:
    """A datetime parameter stored as the deadline column stores it."""
    return bindparam(name, type_=Complaint.__table__.c.next_due_at.type)


def _conditions(shape: _Shape) -> list[ColumnElement[bool]]:
    """The WHERE clause of a list query, with a bind parameter for every value (named as in :func:`_values`)."""
    conds: list[ColumnElement[bool]] = [Complaint.office_id == bindparam("office")]
    if shape.unit_scope:
        conds.append(Complaint.unit_id == bindparam("scope_unit"))
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
    if shape.attention:
        conds.append(or_(_moment("attention_now") > DUE_SORT, _ESCALATED))
    return conds


def _values(scope: Scope | str, f: ComplaintFilter, shape: _Shape, now: datetime, due_soon: timedelta,
            moment: Callable[[datetime], Any] = sql_datetime) -> dict[str, Any]:
    """The parameters of the shape's WHERE clause (``scope`` a bare office id: a whole office's); datetimes as
    ``moment`` makes them (by default as the column type stores them)."""
    if isinstance(scope, str):
        scope = Scope.whole_office(scope)
    values: dict[str, Any] = {"office": scope.office_id}
    if shape.unit_scope:
        values["scope_unit"] = scope.unit_id
    if shape.attention:
        values["attention_now"] = moment(now)
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
        if kind == "ids" and shape.statuses and not (shape.unit or shape.ids or shape.unit_scope):
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


def ids_query(scope: Scope | str, f: ComplaintFilter, *, sort: str, now: datetime,
              due_soon: timedelta) -> Select:
    """The statement of :func:`list_ids` (for a caller that selects other columns: an export). ``scope``: who
    reads (a bare office id: the program's own whole-office read, app.rules.scope.as_scope)."""
    scope = as_scope(scope)
    shape = _shape(f, scope)
    statement = select(Complaint.id).where(*_conditions(shape)).order_by(*SORTS[sort])
    if scope.reach == Reach.NONE:
        statement = statement.where(false())
    return statement.params(_values(scope, f, shape, now, due_soon, moment=lambda d: d))


def list_ids(session: Session, scope: Scope | str, f: ComplaintFilter, *, sort: str = "deadline",
             now: datetime, due_soon: timedelta = timedelta(hours=48)) -> list[str]:
    """Every matching id the scope may see, in display order (a list of 100,000 short strings is cheap; rows load
    lazily). ``scope``: who reads (a bare office id: the program's own whole-office read, with a warning)."""
    scope = as_scope(scope)
    if _sees_nothing(scope, f):
        return []
    shape = _shape(f, scope)
    sql, params = _prepared("ids", sort, shape).bind(_values(scope, f, shape, now, due_soon))
    return [r[0] for r in sql_cursor(session).rows(sql, params)]


def count(session: Session, scope: Scope | str, f: ComplaintFilter, *, now: datetime,
          due_soon: timedelta = timedelta(hours=48)) -> int:
    """How many complaints the scope may see match ``f``."""
    scope = as_scope(scope)
    if _sees_nothing(scope, f):
        return 0
    shape = _shape(f, scope)
    sql, params = _prepared("count", "", shape).bind(_values(scope, f, shape, now, due_soon))
    row = sql_cursor(session).first(sql, params)
    return int(row[0] or 0)


def _row_select() -> Select:
    return select(*_ROW_COLUMNS).outerjoin(Category, Category.id == Complaint.category_id).outerjoin(
        Unit, Unit.id == Complaint.unit_id)


def page(session: Session, scope: Scope | str, f: ComplaintFilter, *, sort: str = "deadline", now: datetime,
         limit: int = 100, offset: int = 0, due_soon: timedelta = timedelta(hours=48)) -> list[ComplaintRow]:
    """One page of the rows the scope may see, in display order."""
    scope = as_scope(scope)
    if _sees_nothing(scope, f):
        return []
    shape = _shape(f, scope)
    values = _values(scope, f, shape, now, due_soon)
    values["limit"], values["offset"] = limit, offset
    sql, params = _prepared("page", sort, shape).bind(values)
    return [_row(r) for r in sql_cursor(session).rows(sql, params)]


def _scope_conditions(unit: bool) -> list[ColumnElement[bool]]:
    """The scope's part of a WHERE clause: the office, and for a unit's scope the unit."""
    conds: list[ColumnElement[bool]] = [Complaint.office_id == bindparam("office")]
    if unit:
        conds.append(Complaint.unit_id == bindparam("scope_unit"))
    return conds


def _scope_values(scope: Scope) -> dict[str, Any]:
    values: dict[str, Any] = {"office": scope.office_id}
    if scope.reach == Reach.UNIT:
        values["scope_unit"] = scope.unit_id
    return values


# Each by the scope's shape: whole office (False) or one unit (True).
_BY_ID = {unit: _Prepared.of(_row_select().where(Complaint.id.in_(bindparam("ids", expanding=True)),
                                                 *_scope_conditions(unit)))
          for unit in (False, True)}
_STATUS_COUNTS = {unit: _Prepared.of(select(Complaint.status, func.count()).where(*_scope_conditions(unit))
                                     .group_by(Complaint.status))
                  for unit in (False, True)}
_OVERDUE = {unit: _Prepared.of(select(func.count()).where(
    *_scope_conditions(unit),
    Complaint.status.in_([bindparam(f"open_{i}") for i in range(len(OPEN_STATUSES))]),
    _moment("now") > DUE_SORT)) for unit in (False, True)}
_OPEN = {f"open_{i}": status for i, status in enumerate(sorted(OPEN_STATUSES))}


def rows_by_id(session: Session, scope: Scope, ids: list[str]) -> dict[str, ComplaintRow]:
    """Rows for a batch of ids (the list model's lazy cache fills from this); ids outside the scope are left out."""
    if not ids or scope.reach == Reach.NONE:
        return {}
    sql, params = _BY_ID[scope.reach == Reach.UNIT].bind({"ids": ids, **_scope_values(scope)})
    return {r[0]: _row(r) for r in sql_cursor(session).rows(sql, params)}


def status_counts(session: Session, scope: Scope | str) -> dict[str, int]:
    """How many complaints the scope sees, by status."""
    scope = as_scope(scope)
    if scope.reach == Reach.NONE:
        return {}
    sql, params = _STATUS_COUNTS[scope.reach == Reach.UNIT].bind(_scope_values(scope))
    return {status: n for status, n in sql_cursor(session).rows(sql, params)}


def overdue_count(session: Session, scope: Scope | str, now: datetime) -> int:
    """How many open complaints the scope sees are past their deadline at ``now``."""
    scope = as_scope(scope)
    if scope.reach == Reach.NONE:
        return 0
    sql, params = _OVERDUE[scope.reach == Reach.UNIT].bind({**_scope_values(scope), "now": sql_datetime(now),
                                                            **_OPEN})
    row = sql_cursor(session).first(sql, params)
    return int(row[0] or 0)


def find_by_code(session: Session, typed: str, scope: Scope | str | None = None) -> str:
    """The complaint id for a typed tracking code. A wrong check digit raises MistypedCode (say "check the
    receipt"); a well-formed code that is not here raises NotFound; one of the office that ``scope`` may not open
    raises OutOfScope (saying why). ``scope`` a bare office id: any complaint of that office (the program's own
    look-up, e.g. the citizen's status, which carries no personal data); None: of any office (the CLI)."""
    code = tracking.parse(typed)
    q = select(Complaint.id, Complaint.office_id, Complaint.unit_id).where(Complaint.tracking_code == str(code))
    office_id = scope.office_id if isinstance(scope, Scope) else scope
    if office_id:
        q = q.where(Complaint.office_id == office_id)
    found = session.execute(q).first()
    if found is None:
        raise NotFound(Message(
            f"Tidak ada laporan dengan kode {code}. Kode ini benar secara format, tetapi belum tercatat di PC ini.",
            f"No complaint has the code {code}. The code is well-formed but not recorded on this PC."))
    if isinstance(scope, Scope) and not scope.may_open(found.office_id, found.unit_id):
        raise OutOfScope(scope.refusal())
    return str(found.id)
