"""The rows of a push run (server.apply_batch) without the ORM: what the run reads is held as plain rows, the
complaints it may change as :class:`RunComplaint`, and what it adds as :class:`NewRow`; at the run's end the changed
complaints are written with one ``executemany`` per set of changed columns and the new rows with one per table.

Why: on a push of 1,000 edits, ORM instances were most of the server's time (building them, their instrumented
attributes, the unit of work's flush), for rows a run only reads once or writes once. The rules that decide each
mutation read and set the same attribute names either way, so they are unchanged.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Dialect, Table, bindparam, insert, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.types import TypeEngine

from app.models.base import UTCDateTime
from app.store.transactions import sql_datetime
from server.models import Complaint

COMPLAINT_COLUMNS: tuple[str, ...] = tuple(prop.key for prop in inspect(Complaint).column_attrs)
_COMPLAINTS = cast(Table, Complaint.__table__)
_READ_COMPLAINTS = select(*(_COMPLAINTS.c[name] for name in COMPLAINT_COLUMNS)).where(
    _COMPLAINTS.c.id.in_(bindparam("ids", expanding=True))).order_by(_COMPLAINTS.c.id).with_for_update()
_COLUMN_VALUES = operator.attrgetter(*COMPLAINT_COLUMNS)  # a RunComplaint's values, in column order
_ID = "run_id"  # the WHERE's bound name (a column's own name is taken by the SET clause)


class NewRow:
    """A row a run adds (an ORM model's columns by attribute name), inserted at the run's end; read and set as the
    ORM instance would be (``row.complaint_id``; a change-log row's ``exact``, once its mutation is applied)."""

    __slots__ = ("model", "values")

    def __init__(self, model: type[Any], values: dict[str, Any]) -> None:
        object.__setattr__(self, "model", model)
        object.__setattr__(self, "values", values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self.values[name] = value


class RunComplaint:
    """A complaint a run read (locked) and may change: the columns as attributes, and their values as read, so that
    only what changed is written back."""

    __slots__ = (*COMPLAINT_COLUMNS, "_read")
    id: str  # (and every other column: COMPLAINT_COLUMNS)

    def __init__(self, row: Sequence[Any]) -> None:
        for name, value in zip(COMPLAINT_COLUMNS, row, strict=True):
            setattr(self, name, value)
        self._read = tuple(row)

    def changes(self) -> dict[str, Any]:
        return {name: now for name, before, now in zip(COMPLAINT_COLUMNS, self._read, _COLUMN_VALUES(self),
                                                       strict=True) if now != before}


def read_complaints(session: Session, ids: Iterable[str]) -> list[RunComplaint]:
    """These complaints, locked in id order (two pushes lock them in the same order)."""
    return [RunComplaint(row) for row in session.connection().execute(_READ_COMPLAINTS, {"ids": sorted(ids)})]


def write_complaints(session: Session, complaints: Iterable[RunComplaint]) -> None:
    """What the run changed of its complaints, one ``executemany`` per set of changed columns (in id order). An ORM
    instance of one of them that the session still holds (a mutation applied one at a time earlier in the push)
    is expired, so that it reads the row as written here."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for c in sorted(complaints, key=lambda row: row.id):
        changed = c.changes()
        if not changed:
            continue
        groups.setdefault(tuple(changed), []).append({_ID: c.id, **changed})
        held = session.identity_map.get(identity_key(Complaint, c.id))
        if held is not None:
            session.expire(held)
    for keys, values in groups.items():
        execute_many(session, ("update complaints", (_ID, *keys)),
                     lambda: update(_COMPLAINTS).where(_COMPLAINTS.c.id == bindparam(_ID)), values)


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """New rows of one table, one ``executemany`` per set of columns given (columns left out take their
    defaults)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for values in rows:
        groups.setdefault(tuple(values), []).append(values)
    for keys, values_list in groups.items():
        execute_many(session, (table.name, keys), lambda: insert(table), values_list)


# Per dialect and statement: its SQL, and per parameter in order its name, bind processor and default.
_Param = tuple[str, Callable[[Any], Any] | None, Any]
_PREPARED: dict[tuple[str, tuple[str, tuple[str, ...]]], tuple[str, tuple[_Param, ...]]] = {}
_NO_DEFAULT = object()


def execute_many(session: Session, key: tuple[str, tuple[str, ...]], statement: Callable[[], UpdateBase],
                 rows: list[dict[str, Any]]) -> None:
    """``statement`` once per row of ``rows`` (``key``: the statement's kind and the names ``rows`` give). On
    SQLite the statement is compiled once and its rows go to the driver's ``executemany`` as tuples, through the
    columns' own bind processors: SQLAlchemy's building of each row's parameters cost about as much as SQLite's
    writing of them. Elsewhere (PostgreSQL) SQLAlchemy executes it as usual."""
    conn = session.connection()
    dialect = conn.dialect
    if dialect.paramstyle != "qmark":
        conn.execute(statement(), rows)
        return
    prepared = _PREPARED.get((dialect.name, key))
    if prepared is None:
        prepared = _PREPARED[(dialect.name, key)] = _prepare(dialect, statement(), key[1])
    sql, params = prepared
    columns: list[list[Any]] = []
    for name, process, default in params:
        if default is not _NO_DEFAULT:
            columns.append([row.get(name, default) for row in rows])
        elif process is None:
            columns.append([row[name] for row in rows])
        else:
            columns.append(_converted([row[name] for row in rows], process))
    conn.exec_driver_sql(sql, list(zip(*columns, strict=True)))


def _converted(values: list[Any], process: Callable[[Any], Any]) -> list[Any]:
    """``values`` through a bind processor, once per value object (a run dates most of its rows with its one
    ``now``; ``values`` keeps each object alive, so no id is reused meanwhile)."""
    done: dict[int, Any] = {}
    out: list[Any] = []
    for value in values:
        ident = id(value)
        if ident not in done:
            done[ident] = process(value)
        out.append(done[ident])
    return out


def _prepare(dialect: Dialect, statement: UpdateBase, keys: tuple[str, ...]) -> tuple[str, tuple[_Param, ...]]:
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    if not compiled.positional or compiled.positiontup is None:
        raise TypeError("a positional paramstyle is needed")
    table = cast(Table, statement.table)
    params: list[_Param] = []
    for name in compiled.positiontup:
        bind = compiled.binds[name]
        if name in keys:
            params.append((name, _bind_processor(bind.type, dialect), _NO_DEFAULT))
            continue
        default = table.c[name].default if name in table.c else None
        if default is None or not default.is_scalar:
            raise TypeError(f"{table.name}.{name}: no value and no constant default")
        process = _bind_processor(bind.type, dialect)
        value = default.arg  # type: ignore[attr-defined]
        params.append((name, None, process(value) if process is not None else value))
    return compiled.string, tuple(params)


def _bind_processor(column_type: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """What SQLAlchemy makes of a value of this type for this dialect: the dialect's own type's processor (the
    generic type's leaves a datetime to the driver, whose text drops the decimals at a whole second), and a UTC
    time in one step as the ORM writes it (app.store.transactions.sql_datetime)."""
    if isinstance(column_type, UTCDateTime):
        return _utc_text
    return column_type.dialect_impl(dialect).bind_processor(dialect)


def _utc_text(value: datetime | None) -> str | None:
    return None if value is None else sql_datetime(value)


def new_row(session: Session, deferred: list[object] | None, model: type[Any], values: dict[str, Any]) -> Any:
    """A new row of ``model``: inside a run (``deferred``, its list of rows to insert) a :class:`NewRow`, else an ORM
    instance added to the session."""
    if deferred is not None:
        row = NewRow(model, values)
        deferred.append(row)
        return row
    instance = model(**values)
    session.add(instance)
    return instance
