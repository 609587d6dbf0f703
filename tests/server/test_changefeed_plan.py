"""A pull reads the change feed as an index range on both backends (issue 14 §4): the condition "after the cursor"
(server.changelog.after_position) narrows the (office_id, xid, id) index by office *and* position, so a no-op pull
does not read the office's whole history however long the log grows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, delete, func, select, text
from sqlalchemy.orm import Session

from server.api.sync import exits_of
from server.blob_access import senders
from server.changelog import Cursor, after_position, quiet_feed, row_tag
from server.models import ChangeLogEntry, ServerMeta
from server.state import REFERENCE_KEY, bump_reference, era_and_reference
from tests.server.support import Backend, SeededOffice


def _page_query(office_id: str, xid: int, row_id: int) -> str:
    q = (select(ChangeLogEntry.id).where(ChangeLogEntry.office_id == office_id, after_position(xid, row_id))
         .order_by(ChangeLogEntry.xid, ChangeLogEntry.id).limit(501))
    return str(q.compile(compile_kwargs={"literal_binds": True}))


def test_the_pull_condition_is_an_index_range(backend: Backend) -> None:
    sql = _page_query("01a2-office", 1234, 5678)
    with backend.db.engine.connect() as conn:
        if backend.kind == "sqlite":
            plan = " ".join(str(row[-1]) for row in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
            assert "ix_change_log_office_xid_id (office_id=? AND xid>?)" in plan, plan
        else:
            conn.execute(text("SET enable_seqscan = off"))  # an empty table: ask whether the index *can* serve
            plan = "\n".join(row[0] for row in conn.execute(text("EXPLAIN " + sql)))
            assert "ix_change_log_office_xid_id" in plan, plan
            index_cond = next(line for line in plan.splitlines() if "Index Cond" in line)
            assert "office_id" in index_cond and "xid >=" in index_cond, plan


def test_after_position_is_the_feed_order(backend: Backend, office_a: SeededOffice) -> None:
    """Every cursor over a log of several transactions: the rows after it are exactly those after (xid, id)."""
    now = backend.clock()
    with backend.db.transaction() as s:
        base = int(s.execute(select(func.coalesce(func.max(ChangeLogEntry.id), 0))).scalar_one())
        for n in range(12):
            s.add(ChangeLogEntry(id=base + 1 + n, xid=10_000 + n // 3, office_id=office_a.id, entity_type="unit",
                                 entity_id=f"e{n}", op="upsert", version=1, created_at=now))
    with backend.db.transaction() as s:
        rows = [tuple(r) for r in s.execute(select(ChangeLogEntry.xid, ChangeLogEntry.id)
                                            .where(ChangeLogEntry.office_id == office_a.id))]
        for cx, ci in [*rows, (0, 0), (10_001, 0), (10_002, 10**9)]:
            found = {tuple(r) for r in s.execute(select(ChangeLogEntry.xid, ChangeLogEntry.id).where(
                ChangeLogEntry.office_id == office_a.id, after_position(cx, ci)))}
            assert found == {r for r in rows if r > (cx, ci)}, (cx, ci)


def _nothing_after(s: Session, office_id: str, cursor: Cursor) -> bool:
    return quiet_feed(s, office_id, cursor).nothing_after


def test_nothing_after_is_true_only_at_the_last_row_the_log_holds(backend: Backend, office_a: SeededOffice) -> None:
    """A no-op pull's question (server.changelog.quiet_feed): the cursor's own row is there with its tag and no
    row follows. Any other answer sends the pull the long way, which tells a change from a lost position."""
    now = backend.clock()
    with backend.db.transaction() as s:
        base = int(s.execute(select(func.coalesce(func.max(ChangeLogEntry.id), 0))).scalar_one())
        for n in range(6):
            # Small xids: below PostgreSQL's fence (visible_fence), so every row counts as committed and seen.
            s.add(ChangeLogEntry(id=base + 1 + n, xid=1 + n // 2, office_id=office_a.id, entity_type="unit",
                                 entity_id=f"q{n}", op="upsert", version=1, created_at=now))
    with backend.db.transaction() as s:
        rows = s.execute(select(ChangeLogEntry).where(ChangeLogEntry.office_id == office_a.id)
                         .order_by(ChangeLogEntry.xid, ChangeLogEntry.id)).scalars().all()
        answers = [_nothing_after(s, office_a.id, Cursor("era", r.xid, r.id, tag=row_tag(r))) for r in rows]
        assert answers == [False] * (len(rows) - 1) + [True]
        last = rows[-1]
        assert not _nothing_after(s, office_a.id, Cursor("era", last.xid, last.id, tag="0" * 10))  # another change
        assert not _nothing_after(s, office_a.id, Cursor("era", last.xid, last.id + 1, tag=row_tag(last)))  # lost
        assert not _nothing_after(s, "another-office", Cursor("era", last.xid, last.id, tag=row_tag(last)))
        # Without a tag (a cursor from before tags, or from an empty feed) the position holds: only what follows it
        # counts, as read_page_held and holds have it.
        assert _nothing_after(s, office_a.id, Cursor("era", last.xid, last.id))
        assert not _nothing_after(s, office_a.id, Cursor("era", rows[-2].xid, rows[-2].id))
        assert not _nothing_after(s, office_a.id, Cursor("era", 0, 0))
        assert _nothing_after(s, "another-office", Cursor("era", 0, 0))  # an empty feed


def test_quiet_feed_reads_the_era_and_reference_version_a_pull_answers_with(backend: Backend,
                                                                           office_a: SeededOffice) -> None:
    """The no-op pull's one statement also brings the server's era and reference version, as the long way reads
    them (server.state.era_and_reference), and None for a row not written yet (the pull then goes the long way,
    which writes it)."""
    with backend.db.transaction() as s:
        era, reference = era_and_reference(s)
        bump_reference(s)
    with backend.db.transaction() as s:
        quiet = quiet_feed(s, office_a.id, Cursor(era, 0, 0))
        assert (quiet.era, quiet.reference) == (era, str(reference + 1))
        s.execute(delete(ServerMeta).where(ServerMeta.key == REFERENCE_KEY))
        quiet = quiet_feed(s, office_a.id, Cursor(era, 0, 0))
        assert (quiet.era, quiet.reference) == (era, None)


def _uses_index(backend: Backend, statement: Select[Any], index: str) -> str:
    """The plan of ``statement`` (values written in), when it reads through ``index``; else the assertion fails."""
    sql = str(statement.compile(dialect=backend.db.engine.dialect, compile_kwargs={"literal_binds": True}))
    with backend.db.engine.connect() as conn:
        if backend.kind == "sqlite":
            plan = " ".join(str(row[-1]) for row in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
        else:
            conn.execute(text("SET enable_seqscan = off"))  # an empty table: ask whether the index *can* serve
            plan = "\n".join(row[0] for row in conn.execute(text("EXPLAIN " + sql)))
    assert index in plan, plan
    return plan


def test_scope_exits_are_read_through_their_partial_index(backend: Backend) -> None:
    """The two questions about complaints that left an office read only scope-exit rows, through the partial index
    that holds them (the index by entity of every change-log row is gone: server migration s0009)."""
    _uses_index(backend, exits_of(["c-1", "c-2"]), "ix_change_log_scope_exits")
    _uses_index(backend, senders("01a2-office", "ab" * 32), "ix_change_log_scope_exits")
