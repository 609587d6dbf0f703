"""SQLite's write-ahead log, copied back into the database file in the background instead of inside a request.

By default SQLite checkpoints in the commit that takes the log past 1,000 pages: that request copies every page the
log holds back into the database file before it answers. A push of 500 edits writes about 1,400 pages, so each one
paid for a whole checkpoint (about a sixth of its time on the server). Here the server's connections checkpoint by
themselves only past :data:`BACKSTOP` pages, and a thread of the server checkpoints once writing has paused for
:data:`QUIET` seconds, or at the latest :data:`LONGEST` seconds after a write it has not copied yet.

Its checkpoints are PASSIVE: they copy what no reader still needs and never wait for, nor block, a reader or a writer.
Should the thread stop or fall behind, the backstop still bounds the log. PostgreSQL and in-memory databases have
nothing of this kind to do.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection

log = logging.getLogger("lapor.server.db")

BACKSTOP = 10_000  # pages (40 MB of 4 kB pages): past this, a commit checkpoints by itself as SQLite does by default
QUIET = 0.2  # seconds without a commit before the thread checkpoints
LONGEST = 5.0  # seconds a committed write waits at most for its checkpoint, however busy the server is


def on_disk(engine: Engine) -> bool:
    """A SQLite database in a file (one whose log a checkpoint copies back)."""
    database = engine.url.database
    return engine.dialect.name == "sqlite" and bool(database) and database != ":memory:"


class Checkpoints:
    """The thread that checkpoints ``engine``'s log after its writes (:func:`background_checkpoints`)."""

    def __init__(self, engine: Engine, *, quiet: float = QUIET, longest: float = LONGEST) -> None:
        self._engine = engine
        self._quiet = quiet
        self._longest = longest
        self._changed = threading.Condition()
        self._first: float | None = None  # when the oldest write not yet checkpointed was committed
        self._last = 0.0  # when the latest write was committed
        self._stopping = False
        self._running = False  # a checkpoint is being run
        self.done = 0  # checkpoints run (for tests and the log)
        self._thread = threading.Thread(target=self._run, name="wal-checkpoints", daemon=True)

    def start(self) -> None:
        event.listen(self._engine, "commit", self._committed)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread, after one last checkpoint of what it had not copied yet."""
        event.remove(self._engine, "commit", self._committed)
        with self._changed:
            self._stopping = True
            self._changed.notify()
        self._thread.join()

    def _committed(self, _conn: Connection) -> None:
        with self._changed:
            now = time.monotonic()
            if self._first is None:
                self._first = now
            self._last = now
            self._changed.notify()

    def _due(self) -> float | None:
        """Seconds until the next checkpoint is due (0: now), or None when nothing waits for one."""
        if self._first is None:
            return None
        now = time.monotonic()
        return max(0.0, min(self._last + self._quiet, self._first + self._longest) - now)

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._stopping and (wait := self._due()) != 0.0:
                    self._changed.wait(wait)
                if self._stopping and self._first is None:
                    return
                self._first, self._running = None, True
                stopping = self._stopping
            try:
                self._checkpoint()
            finally:
                with self._changed:
                    self._running = False
            if stopping:
                return

    def settled(self) -> bool:
        """Nothing committed waits for a checkpoint, and none is running."""
        with self._changed:
            return self._first is None and not self._running

    def _checkpoint(self) -> None:
        try:
            raw = self._engine.raw_connection()
            try:
                cursor = raw.cursor()
                _busy, pages, copied = cursor.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                cursor.close()
            finally:
                raw.close()
        except Exception:  # noqa: BLE001 - the backstop still bounds the log; the next write tries again
            log.warning("background checkpoint failed", exc_info=True)
            return
        self.done += 1
        if pages != copied:
            log.debug("checkpoint left %d of %d log pages for readers still on them", pages - copied, pages)


@contextmanager
def background_checkpoints(engine: Engine) -> Iterator[Checkpoints | None]:
    """Checkpoint ``engine``'s log in the background while the block runs (the server's lifetime); None where there
    is no log to copy back."""
    if not on_disk(engine):
        yield None
        return
    checkpoints = Checkpoints(engine)
    checkpoints.start()
    try:
        yield checkpoints
    finally:
        checkpoints.stop()


__all__ = ["BACKSTOP", "Checkpoints", "background_checkpoints", "on_disk"]
