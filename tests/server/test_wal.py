"""The server's log is copied back into its SQLite file by a thread of the server (server.wal), not by the request
whose commit happened to cross SQLite's 1,000 pages."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from server import wal
from server.app import create_app
from server.db import Database, make_engine
from server.settings import Settings

WAIT = 10.0  # seconds a condition may take on a slow machine before the test fails


def until(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    raw = engine.raw_connection()  # (outside a transaction, as the thread checkpoints)
    raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the table in the file, for in_file to count
    raw.close()
    yield engine
    engine.dispose()


def in_file(engine: Engine) -> int:
    """How many notes the database file itself holds (its log left out: what a checkpoint has copied back). Read
    only while no checkpoint writes the file (the reader takes no lock)."""
    uri = f"file:{engine.url.database}?immutable=1"
    with sqlite3.connect(uri, uri=True) as conn:
        return int(conn.execute("SELECT count(*) FROM notes").fetchone()[0])


def add_note(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO notes (body) VALUES ('catatan')"))


def test_a_commit_leaves_the_copy_to_the_thread(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == wal.BACKSTOP
    add_note(engine)
    assert in_file(engine) == 0  # in the log only: the commit copied nothing back


def test_the_thread_copies_the_log_back_once_writing_pauses(engine: Engine) -> None:
    checkpoints = wal.Checkpoints(engine, quiet=0.05)
    checkpoints.start()
    try:
        add_note(engine)
        add_note(engine)
        assert until(lambda: checkpoints.done >= 1 and checkpoints.settled())
        assert in_file(engine) == 2
    finally:
        checkpoints.stop()


def test_a_busy_server_still_checkpoints_within_the_longest_wait(engine: Engine) -> None:
    """Writes that never pause (each within ``quiet`` of the last) are copied back after ``longest`` all the same."""
    checkpoints = wal.Checkpoints(engine, quiet=3600, longest=0.2)
    checkpoints.start()
    try:
        add_note(engine)
        assert until(lambda: checkpoints.done >= 1 and checkpoints.settled())
        assert in_file(engine) == 1
    finally:
        checkpoints.stop()


def test_stopping_copies_back_what_is_left(engine: Engine) -> None:
    checkpoints = wal.Checkpoints(engine, quiet=3600, longest=3600)
    checkpoints.start()
    add_note(engine)
    assert in_file(engine) == 0
    checkpoints.stop()
    assert in_file(engine) == 1
    assert not any(t.name == "wal-checkpoints" and t.is_alive() for t in threading.enumerate())


def test_the_server_checkpoints_while_it_serves(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    db = Database(make_engine(url))
    app = create_app(Settings(db_url=url, blob_dir=tmp_path / "blobs"), db)
    def running() -> bool:
        return any(t.name == "wal-checkpoints" and t.is_alive() for t in threading.enumerate())

    async def serve() -> bool:
        async with app.router.lifespan_context(app):  # what uvicorn runs around serving
            return running()

    try:
        assert asyncio.run(serve())
        assert not running()
    finally:
        db.dispose()


def test_nothing_to_copy_back_in_memory() -> None:
    engine = make_engine("sqlite://")
    with wal.background_checkpoints(engine) as checkpoints:
        assert checkpoints is None
    engine.dispose()
