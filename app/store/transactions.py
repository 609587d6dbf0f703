"""The store's transactions and connections: the per-thread connections that ``Store.read()`` and
``Store.transaction()`` keep, and prebuilt SQL on the sqlite3 driver connection under a session's transaction for
the hot paths (the complaint list's queries, intake), with :class:`TableInsert` building those inserts from the
tables' own columns.

For a sub-millisecond query SQLAlchemy's per-call work (a pool checkout, a Session and its transaction, statement
compilation and result processing) costs several times what SQLite spends, so these paths skip it: each thread
keeps one connection and session for reads and one for writes between blocks, and prebuilt SQL runs on the
driver connection in a transaction it begins there itself. When the ORM is used in the same block, the session
joins that transaction (app.store.db's ``begin`` event sees it begun), so a block is still one snapshot, or one write
transaction, whichever way its statements go.
"""

from __future__ import annotations

import logging
import sqlite3
import weakref
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Column, Engine, Table, event
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import FromClause

HELD_OPTION = "lapor_held"  # execution option of a held connection
SYNCHRONOUS = "FULL"  # the store's commits wait for the disk (app.store.db), but for a WriteBlock(durable=False)


def driver_of(conn: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under an SQLAlchemy connection."""
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def sql_datetime(value: datetime) -> str:
    """An aware datetime as the UTCDateTime columns store it ("2026-03-02 02:00:00.000000", UTC)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given where UTC is required")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _orm_in_use(session: Session, *args: Any) -> None:
    """The session began a transaction or took an object: the block ends through it. (A function, not a method
    of HeldConnection: the session's listeners must not keep it alive after its thread has ended.)"""
    ref: weakref.ref[HeldConnection] | None = session.info.get(HELD_OPTION)
    held = ref() if ref is not None else None
    if held is not None:
        held.orm_used = True


class HeldConnection:
    """One thread's connection and session for reads (``BEGIN``) or writes (``BEGIN IMMEDIATE``)."""

    def __init__(self, engine: Engine, begin_sql: str) -> None:
        self.engine = engine
        self.conn = engine.connect().execution_options(**{HELD_OPTION: True})
        self.driver = driver_of(self.conn)
        self.cursor = SqlCursor(self.driver)
        self.begin_sql = begin_sql
        self.session = Session(bind=self.conn, expire_on_commit=False, info={HELD_OPTION: weakref.ref(self)})
        self.active = False  # a block is using it
        self.began = False  # sql_cursor began the driver's transaction
        self.orm_used = False  # the block's session began a transaction or took an object
        event.listen(self.session, "after_transaction_create", _orm_in_use)
        event.listen(self.session, "before_attach", _orm_in_use)

    def begin(self) -> None:
        if not self.driver.in_transaction:
            self.driver.execute(self.begin_sql)
            self.began = True

    def end(self, sql: str) -> None:
        """COMMIT or ROLLBACK what sql_cursor began, unless the session has ended it already."""
        began, self.began = self.began, False
        if began and self.driver.in_transaction:
            self.driver.execute(sql)

    def close(self) -> None:
        self.session.close()
        self.conn.close()


class _Block:
    """A ``Store.read()`` or ``Store.transaction()`` block: on the thread's held connection when ``take`` gives
    it (at ``__enter__``), otherwise (an in-memory store, a block inside a block) on a pooled session."""

    __slots__ = ("_take", "_pooled", "_held", "_inner")

    def __init__(self, take: Callable[[], HeldConnection | None],
                 pooled: Callable[[], AbstractContextManager[Session]]) -> None:
        self._take, self._pooled = take, pooled
        self._held: HeldConnection | None = None
        self._inner: AbstractContextManager[Session] | None = None

    def __enter__(self) -> Session:
        held = self._held = self._take()
        if held is None:
            self._inner = self._pooled()
            return self._inner.__enter__()
        return held.session

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> bool | None:
        if self._inner is not None:
            return self._inner.__exit__(exc_type, exc, tb)
        assert self._held is not None
        self._end(self._held, exc_type is None)
        return None

    def _end(self, held: HeldConnection, ok: bool) -> None:
        raise NotImplementedError


class ReadBlock(_Block):
    """Ends like a session of its own would (rollback, close)."""

    __slots__ = ()

    def _end(self, held: HeldConnection, ok: bool) -> None:
        held.active = False
        try:
            if held.orm_used:
                held.orm_used = False
                held.session.rollback()
                held.session.close()
        finally:
            held.end("ROLLBACK")


class WriteBlock(_Block):
    """Commits if the block ends normally, rolls back otherwise. ``durable=False``: its commit does not wait for the
    disk (``synchronous=NORMAL``; the next durable commit syncs it with its own). On a power cut right after it,
    it may be lost, never half of it: for what the PC is told again if lost, as a push's answer, which the server
    gives again from the results it stored."""

    __slots__ = ("_durable",)

    def __init__(self, take: Callable[[], HeldConnection | None],
                 pooled: Callable[[], AbstractContextManager[Session]], *, durable: bool = True) -> None:
        super().__init__(take, pooled)
        self._durable = durable

    def __enter__(self) -> Session:
        session = super().__enter__()
        if not self._durable and self._held is not None:
            self._held.driver.execute("PRAGMA synchronous=NORMAL")  # (no transaction is open yet)
        return session

    def _end(self, held: HeldConnection, ok: bool) -> None:
        try:
            self._finish(held, ok)
        finally:
            if not self._durable:
                held.driver.execute(f"PRAGMA synchronous={SYNCHRONOUS}")

    def _finish(self, held: HeldConnection, ok: bool) -> None:
        session = held.session
        try:
            if ok:
                if held.orm_used:
                    session.commit()  # flushes, and commits the driver's transaction the session joined
                held.end("COMMIT")
        except BaseException:
            self._roll_back(held)
            raise
        else:
            if not ok:
                self._roll_back(held)
        finally:
            held.active = False
            if held.orm_used:
                held.orm_used = False
                session.close()

    @staticmethod
    def _roll_back(held: HeldConnection) -> None:
        try:
            if held.session.in_transaction():
                held.session.rollback()
        finally:
            held.began = True  # whoever began it: roll back what is still open
            held.end("ROLLBACK")


class SqlCursor:
    """Runs prebuilt SQL (``?`` parameters, values as the column types store them) on the driver connection of
    a session's transaction. SQLite's errors come out wrapped as SQLAlchemy's, as from ``session.execute``."""

    __slots__ = ("_driver", "_observed")

    def __init__(self, driver: sqlite3.Connection, observed: Connection | None = None) -> None:
        self._driver = driver
        self._observed = observed  # statements someone watches (echo, cursor events) go through SQLAlchemy

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        if self._observed is not None:
            return list(self._observed.exec_driver_sql(sql, tuple(params)).fetchall())
        try:
            return self._driver.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise DBAPIError.instance(sql, params, exc, sqlite3.Error) from exc

    def first(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first row, or None."""
        if self._observed is not None:
            return self._observed.exec_driver_sql(sql, tuple(params)).first()
        try:
            return self._driver.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise DBAPIError.instance(sql, params, exc, sqlite3.Error) from exc

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Execute a write once per row of parameters (``executemany``)."""
        if self._observed is not None:
            self._observed.exec_driver_sql(sql, [tuple(row) for row in rows])
            return
        try:
            self._driver.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise DBAPIError.instance(sql, rows, exc, sqlite3.Error) from exc

    def run(self, sql: str, params: Sequence[Any] = ()) -> int | None:
        """Execute a write; the row id of the row it inserted (if any)."""
        if self._observed is not None:
            return self._observed.exec_driver_sql(sql, tuple(params)).lastrowid
        try:
            return self._driver.execute(sql, params).lastrowid
        except sqlite3.Error as exc:
            raise DBAPIError.instance(sql, params, exc, sqlite3.Error) from exc


def _observed(engine: Engine) -> bool:
    """Whether statements are being logged or listened to (echo, ``before/after_cursor_execute``)."""
    dispatch = engine.dispatch
    return bool(dispatch.before_cursor_execute or dispatch.after_cursor_execute) or engine.logger.isEnabledFor(
        logging.INFO)


def sql_cursor(session: Session) -> SqlCursor:
    """A cursor on the connection of ``session``'s transaction, for prebuilt SQL.

    Pending ORM changes are flushed first (as ``session.execute`` would). In a ``Store.read()`` or
    ``Store.transaction()`` block that the ORM has not used yet, the statement runs on the thread's held
    connection in a transaction begun here (deferred for reads, IMMEDIATE for writes), which the block ends.
    """
    ref: weakref.ref[HeldConnection] | None = session.info.get(HELD_OPTION)
    held = ref() if ref is not None else None
    if held is not None and held.active and not held.orm_used and held.session is session:
        if _observed(held.engine):
            return SqlCursor(held.driver, session.connection())
        held.begin()
        return held.cursor
    if session.autoflush:
        session.flush()
    conn = session.connection()
    return SqlCursor(driver_of(conn), conn if _observed(conn.engine) else None)


class TableInsert:
    """An INSERT of whole rows into one table, built from the table's columns: every column gets the value given,
    else its Python-side default (as the ORM would fill it), else NULL; each value goes through the column type's
    own bind processing (the stored text of a time, a date, a boolean is the ORM's). A column the caller does not
    give that is NOT NULL and has no default is an error when the statement is built, not a NULL row later."""

    def __init__(self, table: FromClause, given: Sequence[str]) -> None:
        assert isinstance(table, Table), table  # a mapped class's __table__
        unknown = set(given) - set(table.columns.keys())
        if unknown:
            raise ValueError(f"{table.name}: no such columns {sorted(unknown)}")
        self.table = table
        # A column the caller does not give and the database fills itself (a server default) is left out.
        self.columns = [c for c in table.columns
                        if c.name in given or c.default is not None or c.server_default is None]
        missing = [c.name for c in self.columns
                   if c.name not in given and c.default is None and not c.nullable]
        if missing:
            raise ValueError(f"{table.name}: NOT NULL columns without a value or default: {missing}")
        self.sql = (f"INSERT INTO {table.name} ({', '.join(c.name for c in self.columns)})"
                    f" VALUES ({', '.join('?' * len(self.columns))})")
        dialect = SQLiteDialect_pysqlite()
        self._processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in self.columns]
        self._given = frozenset(given)

    def params(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """The statement's parameters for one row (``values``: Python values by column name)."""
        if values.keys() != self._given:
            raise ValueError(f"{self.table.name}: expected the columns {sorted(self._given)}, got "
                             f"{sorted(values)}")
        out: list[Any] = []
        for column, process in zip(self.columns, self._processors, strict=True):
            value = values[column.name] if column.name in values else _default(column)
            out.append(process(value) if process is not None and value is not None else value)
        return tuple(out)


def _default(column: Column[Any]) -> Any:
    default = column.default
    if default is None:
        return None
    if default.is_scalar:
        return default.arg  # type: ignore[attr-defined]
    if default.is_callable:
        return default.arg(None)  # type: ignore[attr-defined]  # a context-free callable (e.g. a clock)
    raise ValueError(f"{column.table.name}.{column.name}: a SQL-side default cannot be filled in here")
