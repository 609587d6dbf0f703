"""The change feed skips nothing: a transaction that took its change id first but commits last is still delivered
to a client that pulled in between (PostgreSQL: the (xid, id) cursor fenced by pg_snapshot_xmin)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from server import admin, changelog
from tests.server.support import Backend, Device, SeededOffice, cursor_position, enrol, ids_of


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_transaction_that_commits_late_is_not_skipped(backend: Backend, device_a: Device,
                                                        office_a: SeededOffice) -> None:
    reader = enrol(backend, office_a, "PC admin")  # another PC of the office: device_a's own changes skip device_a
    _, cursor = reader.pull_all()
    with Session(backend.db.engine) as slow:
        slow.begin()
        # T1 writes its change-log row first: its xid (and row id) are older than anything T2 will write.
        unit_id = admin.create_unit(slow, admin.find_office(slow, office_a.id), "Dinas Lambat", backend.clock()).id
        slow.flush()
        t1_xid = changelog.current_xid(slow)
        t1_row = slow.execute(text("SELECT max(id) FROM change_log WHERE xid = :x"), {"x": t1_xid}).scalar_one()

        # T2 writes and commits while T1 is still open.
        fast = device_a.intake()
        assert device_a.push_one(fast)["status"] == "applied"
        with backend.db.transaction() as session:
            t2_xid = session.execute(text("SELECT xid FROM change_log WHERE entity_id = :e"),
                                     {"e": fast.entity_id}).scalar_one()
        assert t2_xid > t1_xid

        # A client pulling now must not move its cursor past T1's position, whatever it is given.
        between = reader.pull(cursor)
        position = cursor_position(between["cursor"])
        assert position < (t1_xid, t1_row), "the cursor jumped over a transaction still running"
        assert fast.entity_id not in ids_of(between["changes"], "complaint")
        assert unit_id not in ids_of(between["changes"], "unit")
        slow.commit()

    after, _ = reader.pull_all(between["cursor"])
    assert unit_id in ids_of(after, "unit")
    assert fast.entity_id in ids_of(after, "complaint")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_on_sqlite_a_writer_waits_so_commit_order_is_id_order(backend: Backend, device_a: Device,
                                                             office_a: SeededOffice) -> None:
    """SQLite has one writer: every server transaction starts with BEGIN IMMEDIATE, so a second writer waits
    for the first to commit and a plain increasing id is a safe cursor."""
    reader = enrol(backend, office_a, "PC admin")
    _, cursor = reader.pull_all()
    with backend.db.transaction() as session:
        unit = admin.create_unit(session, admin.find_office(session, office_a.id), "Dinas Lambat", backend.clock())
        session.flush()
        other = sqlite3.connect(backend.db_url.removeprefix("sqlite:///"), timeout=0.1, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()
    fast = device_a.intake()
    device_a.push_one(fast)
    after, _ = reader.pull_all(cursor)
    assert [c["entity_id"] for c in after if c["entity_type"] in ("unit", "complaint")] == [unit.id, fast.entity_id]
