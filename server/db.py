"""The server's database: SQLite by default (one file, nothing to install), PostgreSQL in production."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from server import wal

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# A pooled PostgreSQL connection that sat unused this long is pinged before it is handed out (the server may have
# restarted meanwhile). One in steady use is not: pool_pre_ping's round trip on every request was a fifth of a
# no-op pull. A restart under load costs at most the requests already on the old connections, as with pre-ping:
# the first one to fail invalidates the whole pool.
PING_AFTER_IDLE = 5.0
AUTOCOMMIT = "AUTOCOMMIT"  # the isolation level of Database.reading()'s connections


def is_postgres(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "postgresql"


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use psycopg 3 for them."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            # The server copies its log back in the background (server.wal); a commit does it only past this.
            cur.execute(f"PRAGMA wal_autocheckpoint={wal.BACKSTOP}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # Every server transaction may write: take the write lock up front (no upgrade deadlocks). A session of
            # Database.reading() has none: each of its statements commits by itself.
            if conn.get_execution_options().get("isolation_level") != AUTOCOMMIT:
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    kwargs: dict[str, Any] = {"pool_size": pool_size, "max_overflow": pool_size}
    engine = create_engine(url, **kwargs)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    idle_since = "lapor_idle_since"

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: ConnectionPoolEntry) -> None:
        record.info[idle_since] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        since = record.info.get(idle_since)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE:
            return  # new, or in use a moment ago
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as err:
            # The pool drops this connection and hands out another (a new one if the server restarted).
            raise DisconnectionError(f"idle connection lost: {err}") from err


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema; at the head, also compute the national comparison's figures if they never were (the
    upgrade that brings their tables leaves them empty: server.kpi_national)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    if revision == "head":
        from server import kpi_national

        with Session(engine) as session, session.begin():
            if not kpi_national.is_built(session):
                kpi_national.rebuild(session)


class Database:
    """Sessions over one engine; each ``transaction()`` is one unit of work."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self._queue = threading.Lock() if not is_postgres(engine) else None
        # Every transaction that changed a complaint moves the national comparison's figures with it.
        from server import kpi_national

        event.listen(self._sessions, "before_commit", kpi_national.before_commit)

    @property
    def postgres(self) -> bool:
        return is_postgres(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def queued_transaction(self) -> Iterator[Session]:
        """A transaction that, on SQLite, first waits its turn among this process's queued ones (pushes: each holds
        the database's one write lock from its first statement to its commit). The next one starts the moment the
        one before ends, instead of when SQLite's busy handler next looks (it sleeps up to 25 ms at a time, 100 ms
        later on), and they start in the order they came. On PostgreSQL it is :meth:`transaction`: pushes of
        different PCs run side by side, one PC's wait on its device row."""
        if self._queue is None:
            with self.transaction() as session:
                yield session
            return
        with self._queue, self.transaction() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session without a transaction: each statement commits by itself (no BEGIN, no COMMIT: two round trips
        less on PostgreSQL, no write lock on SQLite). For an answer read in a few statements that need no common
        snapshot, such as a no-op pull; a write in it commits at once."""
        with self.engine.connect().execution_options(isolation_level=AUTOCOMMIT) as conn, \
                Session(bind=conn, expire_on_commit=False) as session:
            yield session

    def ping(self) -> bool:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True

    def dispose(self) -> None:
        self.engine.dispose()
