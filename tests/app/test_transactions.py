"""Prebuilt SQL on the thread's held connections (app.store.transactions, app.store.db.Store): one snapshot per read
block, one transaction per write block whichever way its statements go, nothing left open after a block, statements
visible to SQLAlchemy's listeners, SQLite's errors wrapped as SQLAlchemy's."""

from __future__ import annotations

import contextlib
import gc
import sqlite3
import threading
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy.exc
from sqlalchemy import event, func, select, text

from app import services
from app.domain import Role, Status
from app.models import Complaint, StoreMeta
from app.read import queries
from app.store.db import Store
from app.store.transactions import sql_cursor
from tests.helpers.world import World

# These tests read the query layer for the whole office on purpose (a bare office id; app.rules.scope).
pytestmark = pytest.mark.filterwarnings("ignore::app.rules.scope.UnscopedRead")

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ALL = queries.ComplaintFilter()


def _count(store: Store, office_id: str) -> int:
    with store.read() as s:
        return queries.count(s, office_id, ALL, now=NOW)


def _checkpoint_blocked(world: World) -> bool:
    """Whether some connection still holds a read transaction: after a write, a TRUNCATE checkpoint cannot copy
    the new pages back while a reader's snapshot is older, and reports itself busy."""
    world.new_complaint()
    assert world.store.path is not None
    # No busy wait: nothing else runs in the test, so a reader still holding its snapshot answers busy at once (the
    # default 5 s wait made the one blocked check below cost 5 s).
    other = sqlite3.connect(world.store.path, isolation_level=None, timeout=0)
    try:
        busy, _, _ = other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return bool(busy)
    finally:
        other.close()


def test_a_read_block_is_one_snapshot(world: World) -> None:
    world.new_complaint()
    with world.store.read() as s:
        before = queries.count(s, world.office_id, ALL, now=NOW)
        world.new_complaint()  # committed by another connection while the block is open
        assert queries.count(s, world.office_id, ALL, now=NOW) == before
        assert len(queries.list_ids(s, world.office_id, ALL, now=NOW)) == before
        # the ORM, used after the fast path, reads the same snapshot
        assert s.execute(select(func.count()).select_from(Complaint)
                         .where(Complaint.office_id == world.office_id)).scalar_one() == before
    assert _count(world.store, world.office_id) == before + 1


def test_the_fast_path_after_the_orm_reads_its_snapshot(world: World) -> None:
    world.new_complaint()
    with world.store.read() as s:
        before = s.execute(select(func.count()).select_from(Complaint)
                           .where(Complaint.office_id == world.office_id)).scalar_one()
        world.new_complaint()
        assert queries.count(s, world.office_id, ALL, now=NOW) == before


def test_no_read_transaction_is_left_open(world: World) -> None:
    world.new_complaint()
    _count(world.store, world.office_id)
    assert not _checkpoint_blocked(world)
    with pytest.raises(RuntimeError), world.store.read() as s:
        queries.count(s, world.office_id, ALL, now=NOW)
        raise RuntimeError("a failing caller")
    assert not _checkpoint_blocked(world)
    with world.store.read() as s:  # the ORM first, then the fast path
        s.get(Complaint, world.new_complaint())
        queries.count(s, world.office_id, ALL, now=NOW)
    assert not _checkpoint_blocked(world)
    with world.store.read() as s:
        queries.count(s, world.office_id, ALL, now=NOW)
        assert _checkpoint_blocked(world)  # (the check can fail)


def test_nested_reads_and_other_threads(world: World) -> None:
    world.new_complaint()
    with world.store.read() as outer:
        with world.store.read() as inner:
            assert inner is not outer
            assert queries.count(inner, world.office_id, ALL, now=NOW) == 1
        assert queries.count(outer, world.office_id, ALL, now=NOW) == 1
    seen: list[int] = []
    thread = threading.Thread(target=lambda: seen.append(_count(world.store, world.office_id)))
    thread.start()
    thread.join()
    assert seen == [1]
    assert not _checkpoint_blocked(world)


def test_objects_do_not_outlive_their_read_block(world: World) -> None:
    cid = world.new_complaint()
    with world.store.read() as s:
        first = s.get(Complaint, cid)
    with world.store.transaction() as s:
        s.get_one(Complaint, cid).title = "Judul yang sudah diubah petugas"
    with world.store.read() as s:
        again = s.get(Complaint, cid)
        assert again is not first and again is not None and again.title == "Judul yang sudah diubah petugas"


def test_inside_a_write_transaction_pending_changes_are_seen(world: World) -> None:
    cid = world.new_complaint()
    with world.store.transaction() as s:
        s.get_one(Complaint, cid).status = Status.DIDISPOSISIKAN  # not flushed yet
        f = queries.ComplaintFilter(statuses=(Status.DIDISPOSISIKAN,))
        assert queries.list_ids(s, world.office_id, f, now=NOW) == [cid]


def test_listeners_see_the_statements(world: World) -> None:
    """Statements someone listens to (the benchmark's SQL capture, echo) go through SQLAlchemy."""
    world.new_complaint()
    seen: list[str] = []

    def listen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(world.store.engine, "before_cursor_execute", listen)
    try:
        with world.store.read() as s:
            n = queries.count(s, world.office_id, queries.ComplaintFilter(statuses=(Status.BELUM_TERVERIFIKASI,)),
                              now=NOW)
    finally:
        event.remove(world.store.engine, "before_cursor_execute", listen)
    assert n == 1
    assert any("count(*)" in sql and "complaints.status IN (?)" in sql for sql in seen)


def test_listeners_see_intake_statements_too(world: World) -> None:
    seen: list[str] = []

    def listen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(world.store.engine, "before_cursor_execute", listen)
    try:
        cid = world.new_complaint()
    finally:
        event.remove(world.store.engine, "before_cursor_execute", listen)
    assert seen[0] == "BEGIN IMMEDIATE"
    assert any(sql.startswith("INSERT INTO complaints (") for sql in seen)
    assert any(sql.startswith("INSERT INTO audit_log") for sql in seen)
    with world.store.read() as s:
        assert s.get(Complaint, cid) is not None


def test_sqlite_errors_come_wrapped(world: World) -> None:
    with pytest.raises(sqlalchemy.exc.OperationalError, match="no such table"), world.store.read() as s:
        sql_cursor(s).rows("SELECT * FROM no_such_table")


def test_services_still_work_after_reads(world: World) -> None:
    """A read on the service's thread leaves nothing that blocks its BEGIN IMMEDIATE."""
    cid = world.new_complaint()
    _count(world.store, world.office_id)
    services.dispose(world.ctx, world.users[Role.ADMIN_INSTANSI], cid, unit_id=world.units["Dinas Pekerjaan Umum"])
    with world.store.read() as s:
        assert queries.status_counts(s, world.office_id) == {Status.DIDISPOSISIKAN: 1}


def _meta(store: Store, key: str) -> str | None:
    with store.read() as s:
        return s.execute(select(StoreMeta.value).where(StoreMeta.key == key)).scalar()


def test_a_write_block_commits_sql_and_orm_changes_together(world: World) -> None:
    with world.store.transaction() as s:
        sql_cursor(s).run("INSERT INTO store_meta (key, value) VALUES (?, ?)", ("uji.sql", "1"))
        s.add(StoreMeta(key="uji.orm", value="2"))  # the ORM after the prebuilt SQL: one transaction
        sql_cursor(s).run("UPDATE store_meta SET value = ? WHERE key = ?", ("3", "uji.orm"))  # flushed first
    assert (_meta(world.store, "uji.sql"), _meta(world.store, "uji.orm")) == ("1", "3")


def test_many_runs_a_statement_per_row_after_what_the_orm_holds(world: World) -> None:
    with world.store.transaction() as s:
        s.add(StoreMeta(key="uji.a", value="0"))
        sql_cursor(s).many("INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                           "SET value = excluded.value", [("uji.a", "1"), ("uji.b", "2")])
    assert (_meta(world.store, "uji.a"), _meta(world.store, "uji.b")) == ("1", "2")


@pytest.mark.parametrize("orm_first", [False, True])
def test_a_failed_write_block_leaves_nothing(world: World, orm_first: bool) -> None:
    with pytest.raises(RuntimeError), world.store.transaction() as s:
        if orm_first:
            s.add(StoreMeta(key="uji.orm", value="2"))
            s.flush()
        sql_cursor(s).run("INSERT INTO store_meta (key, value) VALUES (?, ?)", ("uji.sql", "1"))
        if not orm_first:
            s.add(StoreMeta(key="uji.orm", value="2"))
            s.flush()
        raise RuntimeError("a failing service")
    assert (_meta(world.store, "uji.sql"), _meta(world.store, "uji.orm")) == (None, None)
    world.new_complaint()  # and the next write transaction works


def test_a_failed_commit_rolls_back(world: World) -> None:
    with pytest.raises(sqlalchemy.exc.IntegrityError), world.store.transaction() as s:
        sql_cursor(s).run("INSERT INTO store_meta (key, value) VALUES (?, ?)", ("uji.sql", "1"))
        s.add(StoreMeta(key="uji.sql", value="dup"))  # fails at the commit's flush
    assert _meta(world.store, "uji.sql") is None
    world.new_complaint()


def _synchronous(s: Any) -> int:
    return int(sql_cursor(s).first("PRAGMA synchronous")[0])


@pytest.mark.parametrize("fails", [False, True])
def test_a_block_that_need_not_be_durable_commits_without_waiting_for_the_disk(world: World, fails: bool) -> None:
    """synchronous=NORMAL (1) in it, whether it commits or not, and FULL (2) again for the blocks after it."""
    with pytest.raises(RuntimeError) if fails else contextlib.nullcontext(), \
            world.store.transaction(durable=False) as s:
        assert _synchronous(s) == 1
        sql_cursor(s).run("INSERT INTO store_meta (key, value) VALUES (?, ?)", ("uji.sql", "1"))
        if fails:
            raise RuntimeError("a failing service")
    assert _meta(world.store, "uji.sql") == (None if fails else "1")
    with world.store.transaction() as s:
        assert _synchronous(s) == 2


def test_prebuilt_sql_takes_the_write_lock_at_its_first_statement(world: World) -> None:
    assert world.store.path is not None
    other = sqlite3.connect(world.store.path, timeout=0, isolation_level=None)
    try:
        with world.store.transaction() as s:
            sql_cursor(s).first("SELECT count(*) FROM store_meta")  # only a read so far
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released at commit
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_block_taken_but_not_entered_holds_nothing(world: World) -> None:
    world.store.read()
    world.store.transaction()
    world.new_complaint()
    assert _count(world.store, world.office_id) == 1
    assert not _checkpoint_blocked(world)


def test_held_connections_end_with_their_thread_and_at_close(world: World) -> None:
    """A thread's held connections go back to the pool when the thread ends; close() closes the rest, so
    SQLite removes the WAL file as at any clean close."""
    assert world.store.path is not None
    wal = world.store.path.with_name(world.store.path.name + "-wal")
    gc.disable()  # the thread's connections must not wait for the garbage collector
    try:
        before = world.store.engine.pool.checkedout()  # type: ignore[attr-defined]
        thread = threading.Thread(target=world.new_complaint)
        thread.start()
        thread.join()
        assert world.store.engine.pool.checkedout() == before  # type: ignore[attr-defined]
    finally:
        gc.enable()
    _count(world.store, world.office_id)
    assert wal.exists()
    world.store.close()
    assert not wal.exists()
    assert _count(world.store, world.office_id) == 1  # (usable again, as before: the engine reconnects)


def test_the_orm_in_a_read_block_sees_what_the_raw_text_query_sees(world: World) -> None:
    world.new_complaint()
    with world.store.read() as s:
        n = sql_cursor(s).first("SELECT count(*) FROM complaints")[0]
        assert s.execute(text("SELECT count(*) FROM complaints")).scalar() == n
        assert s.execute(select(func.count()).select_from(Complaint)).scalar() == n
