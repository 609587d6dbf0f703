"""What a no-op pull costs (issue 14 §4): a PC polls for nothing new far more often than anything else, so its pull
is held to a fixed number of statements that writes nothing, however long the change log grows. Counted, not timed
(timing is bench.server_load's job)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, event, text, update
from sqlalchemy.sql.expression import Executable

from server import changelog, db
from server.api import sync as sync_api
from server.models import ChangeLogEntry
from tests.server.support import Backend, Device, SeededOffice, enrol

# The device by its token; then the era, the reference version and the page read from the cursor's own row (which
# also tells a held position from a restored server's) in one statement (server.changelog.quiet_feed); PostgreSQL
# takes the change-feed fence inside it. No transaction: no BEGIN (IMMEDIATE, on SQLite: the write lock) and no
# COMMIT.
NOOP_PULL_STATEMENTS = {"sqlite": 2, "postgresql": 2}


@contextmanager
def statements(backend: Backend, *, levels: list[str] | None = None) -> Iterator[list[str]]:
    """The statements sent meanwhile; ``levels``, if given, gets each one's isolation level as its connection
    was given it (``AUTOCOMMIT`` for Database.reading's)."""
    seen: list[str] = []

    def note(conn: Connection, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(" ".join(statement.split()))
        if levels is not None:
            levels.append(str(conn.get_execution_options().get("isolation_level", "transaction")))

    event.listen(backend.db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(backend.db.engine, "before_cursor_execute", note)


def caught_up(backend: Backend, office: SeededOffice, device: Device, intakes: int) -> str:
    """``intakes`` complaints pushed by another PC of the office, and ``device``'s cursor at the end of the log."""
    other = enrol(backend, office, "PC loket 2")
    for _ in range(intakes):
        other.push_one(other.intake())
    _, cursor = device.pull_all()
    return cursor


@pytest.mark.parametrize("intakes", [1, 12])
def test_a_noop_pull_reads_a_fixed_few_statements_and_writes_nothing(backend: Backend, office_a: SeededOffice,
                                                                     device_a: Device, intakes: int) -> None:
    cursor = caught_up(backend, office_a, device_a, intakes)
    device_a.pull(cursor)  # last_seen_at written at most once a minute: this one may write it
    levels: list[str] = []
    with statements(backend, levels=levels) as seen:
        page = device_a.pull(cursor)
    assert page["changes"] == [] and page["has_more"] is False and page["cursor"] == cursor
    assert page["restart"] is False
    assert len(seen) <= NOOP_PULL_STATEMENTS[backend.kind], seen
    assert set(levels) == {db.AUTOCOMMIT}, list(zip(seen, levels, strict=True))
    assert not [s for s in seen if s.split()[0].upper() in ("BEGIN", "COMMIT")], seen
    writes = [s for s in seen if s.split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == [], writes


def test_last_seen_is_still_written_once_a_minute(backend: Backend, office_a: SeededOffice,
                                                  device_a: Device) -> None:
    cursor = caught_up(backend, office_a, device_a, 1)
    backend.clock.advance(minutes=2)
    with statements(backend) as seen:
        device_a.pull(cursor)
    assert [s for s in seen if s.startswith("UPDATE devices SET last_seen_at")], seen
    with statements(backend) as seen:
        device_a.pull(cursor)
    assert not [s for s in seen if s.startswith("UPDATE")], seen


def test_a_position_the_log_no_longer_holds_restarts_the_download(backend: Backend, office_a: SeededOffice,
                                                                  device_a: Device) -> None:
    """The cursor's own row, read with the page, tells a held position from one a restored server gave to another
    change (its tag differs): the PC then downloads again from the beginning."""
    cursor = caught_up(backend, office_a, device_a, 2)
    assert device_a.pull(cursor)["restart"] is False
    position = changelog.Cursor.decode(cursor, device_a.pull(None)["era"])
    assert position is not None
    with backend.db.transaction() as session:  # the same id, now naming another change (a restore's doing)
        session.execute(update(ChangeLogEntry).where(ChangeLogEntry.id == position.id).values(version=99))
    page = device_a.pull(cursor)
    assert page["restart"] is True and page["changes"], page


def test_a_cursor_of_another_era_is_not_a_noop(backend: Backend, office_a: SeededOffice, device_a: Device) -> None:
    """A cursor the server's era does not know (a restored server rotated it) goes the long way even with nothing
    after its position: the download starts again from the beginning, in the server's era."""
    cursor = caught_up(backend, office_a, device_a, 1)
    position = changelog.Cursor.decode(cursor, device_a.pull(None)["era"])
    assert position is not None
    other_era = changelog.Cursor("0ther0era000", position.xid, position.id, tag=position.tag).encode()
    page = device_a.pull(other_era)
    assert page["era"] == position.era and page["changes"], page


def _reads_an_index_range(backend: Backend, statement: Executable) -> None:
    """``statement`` (with its parameters) narrows the (office_id, xid, id) index by office and position."""
    sql = str(statement.compile(backend.db.engine, compile_kwargs={"literal_binds": True}))
    with backend.db.engine.connect() as conn:
        if backend.kind == "sqlite":
            plan = " ".join(str(row[-1]) for row in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
            assert "ix_change_log_office_xid_id (office_id=? AND xid>?)" in plan, plan
        else:
            conn.execute(text("SET enable_seqscan = off"))
            plan = "\n".join(row[0] for row in conn.execute(text("EXPLAIN " + sql)))
            index_cond = next(line for line in plan.splitlines() if "Index Cond" in line and "office_id" in line)
            assert "xid >=" in index_cond, plan


def test_the_noop_question_is_an_index_range(backend: Backend) -> None:
    """The no-op pull's one statement reads the change feed as the page does."""
    _reads_an_index_range(backend, changelog._quiet_statement(backend.kind == "postgresql", inclusive=True).params(
        office_id="01a2-office", xid=1234, row_id=5678, era_key="era", reference_key="reference_version"))


def test_the_held_page_is_an_index_range(backend: Backend) -> None:
    """The statement a pull reads its page with (from the cursor's row, with PostgreSQL's fence in it) narrows the
    (office_id, xid, id) index by office and position, like test_changefeed_plan's."""
    _reads_an_index_range(backend, changelog._page_statement(backend.kind == "postgresql", True, True).params(
        office_id="01a2-office", xid=1234, row_id=5678, limit=502))


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_an_idle_connection_to_a_restarted_postgresql_is_replaced(backend: Backend,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """No pre-ping on every checkout (a round trip per request): a connection that sat idle is pinged, and one
    the server dropped meanwhile is replaced before a request sees it."""
    engine = db.make_engine(backend.db_url, pool_size=1)
    try:
        with engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with backend.db.engine.connect() as conn:  # what a restart does to every connection
            conn.execute(text("SELECT pg_terminate_backend(:pid, 10000)"), {"pid": pid})  # waits until gone
        monkeypatch.setattr(db, "PING_AFTER_IDLE", 0.0)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid
    finally:
        engine.dispose()


def test_a_pull_with_something_to_send_counts_once_against_the_rate_limit(
        backend: Backend, office_a: SeededOffice, device_a: Device, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pull first looks without a transaction; with a change to send it is answered in one, as before, and is
    still one request for the device's rate limit."""
    cursor = caught_up(backend, office_a, device_a, 1)
    other = enrol(backend, office_a, "PC loket 3")
    other.push_one(other.intake())
    counted: list[str] = []
    shipped = sync_api.check_rate

    def counting(context: object, key: str) -> None:
        counted.append(key)
        shipped(context, key)  # type: ignore[arg-type]

    monkeypatch.setattr(sync_api, "check_rate", counting)
    page = device_a.pull(cursor)
    assert [c["entity_type"] for c in page["changes"]].count("complaint") == 1 and page["cursor"] != cursor
    assert len(counted) == 1, counted
    counted.clear()
    assert device_a.pull(page["cursor"])["changes"] == []  # and the no-op pull after it
    assert len(counted) == 1, counted
