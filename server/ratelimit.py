"""Token buckets by key: a runaway client is slowed, never the others.

Requests with a device token are limited per device, in budgets per kind of work: sync requests counted one by one;
file downloads counted in bytes (a first sync of a large office fetches hundreds of small photos, which a count of
requests would throttle long before anything abusive happened). Enrolment has no token yet, so it is limited twice over:
wrong codes per source address (guessing from one place is slowed, other places are not) and attempts per code
(hammering one code cannot spill over to any other code).

Where the buckets live is the limiter's store: :class:`DatabaseBuckets` (the running server: one budget shared by
every worker and every host, each take one atomic statement) or :class:`MemoryBuckets` (one process; tests). Sync
requests take their tokens through :class:`LeasedBuckets`, in blocks, so a burst of requests from one device writes
to the database once per block.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Engine, event, text

from server.db import AUTOCOMMIT, is_postgres, make_engine

ALWAYS = -1e300  # a ``needed`` every bucket holds: the cost is taken even into debt


class Buckets(Protocol):
    """Where token buckets are kept. ``take`` is atomic: two callers never both spend the same token."""

    def take(self, key: str, cost: float, needed: float, now: float, rate: float, burst: float) -> float | None:
        """If the bucket (refilled to ``now``) holds ``needed`` tokens, take ``cost`` and return what is left; else
        take nothing and return None. A key never seen holds ``burst``."""

    def tokens(self, key: str, now: float, rate: float, burst: float) -> float:
        """The tokens ``key`` holds at ``now``."""


class RateLimiter:
    def __init__(self, per_minute: float, burst: int | None = None, *, clock: Callable[[], float] | None = None,
                 sweep_at: int = 10_000, store: Buckets | None = None) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst or max(10, int(per_minute) // 4))
        self._store: Buckets = store or MemoryBuckets(sweep_at)
        # Buckets shared between hosts are dated by the wall clock, the one thing hosts agree on.
        self._clock = clock or (time.monotonic if store is None else time.time)

    def retry_after(self, key: str) -> float:
        """0 if the request may go ahead now (and it takes a token), else the seconds to wait."""
        return self._take(key, 1.0, 1.0)

    def take(self, key: str, cost: float) -> float:
        """Take ``cost`` tokens if the bucket holds them (0.0), else the seconds until it will (nothing taken). A
        cost larger than the whole burst goes ahead once the bucket is full, leaving it in debt: one large file is
        never refused for ever."""
        return self._take(key, float(cost), min(float(cost), self.burst))

    def remaining(self, key: str) -> float:
        """The tokens ``key`` holds now (negative: in debt)."""
        return self._store.tokens(key, self._clock(), self.rate, self.burst)

    def wait(self, key: str) -> float:
        """The seconds until ``key`` has a token again (0: it has one now); takes nothing."""
        tokens = self.remaining(key)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate

    def charge(self, key: str) -> None:
        """Take a token for something that already happened, even if that leaves the bucket in debt."""
        self._store.take(key, 1.0, ALWAYS, self._clock(), self.rate, self.burst)

    def give_back(self, key: str) -> None:
        """Return the token a :meth:`retry_after` took for an attempt that turned out not to count (the right
        code, the right password). Taking first and giving back after is what keeps concurrent wrong attempts from
        all passing a look at the bucket before any of them is charged. The bucket may stand above its burst by
        what it refilled while the attempt ran (a fraction of a token), until its next take caps it."""
        self._store.take(key, -1.0, ALWAYS, self._clock(), self.rate, self.burst)

    def _take(self, key: str, cost: float, needed: float) -> float:
        now = self._clock()
        if self._store.take(key, cost, needed, now, self.rate, self.burst) is not None:
            return 0.0
        # Refused: the wait is read apart (another request may have moved the bucket since: a wait, not a promise).
        return max(0.0, needed - self._store.tokens(key, now, self.rate, self.burst)) / self.rate


class MemoryBuckets:
    """Buckets in this process's memory: each worker would count apart, so the server does not use them."""

    def __init__(self, sweep_at: int = 10_000) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when counted)
        self._lock = threading.Lock()
        self._min_sweep = self._sweep_at = sweep_at

    def take(self, key: str, cost: float, needed: float, now: float, rate: float, burst: float) -> float | None:
        with self._lock:
            tokens = self._tokens(key, now, rate, burst)
            if tokens < needed:
                return None
            self._buckets[key] = (tokens - cost, now)
            if len(self._buckets) >= self._sweep_at:
                # A full bucket limits nothing: forget it. Sweeping again only after the table doubles keeps a
                # flood of new keys (guessed codes, many addresses) from making every request pay for a sweep.
                self._buckets = {k: v for k, v in self._buckets.items() if self._tokens(k, now, rate, burst) < burst}
                self._sweep_at = max(self._min_sweep, 2 * len(self._buckets))
            return tokens - cost

    def tokens(self, key: str, now: float, rate: float, burst: float) -> float:
        with self._lock:
            return self._tokens(key, now, rate, burst)

    def _tokens(self, key: str, now: float, rate: float, burst: float) -> float:
        tokens, last = self._buckets.get(key, (burst, now))
        return min(burst, tokens + max(0.0, now - last) * rate)


# One statement per take, atomic on both backends: PostgreSQL's ON CONFLICT DO UPDATE locks the row and evaluates
# the SET and WHERE on its latest version (a concurrent take waits, then sees the tokens the first one left); SQLite
# runs the statement under its database write lock. The WHERE leaves a refused request's bucket untouched (no row
# returned), which counts the same as storing it refilled: a bucket short of ``needed`` is short of ``burst``, so
# its refill was not capped. A clock behind the stored one (another host's) refills nothing and moves no date back.
_TAKE = """
INSERT INTO rate_buckets (name, key, tokens, updated) VALUES (:name, :key, :burst - :cost, :now)
ON CONFLICT (name, key) DO UPDATE
SET tokens = {least}(:burst, rate_buckets.tokens + {greatest}(0.0, :now - rate_buckets.updated) * :rate) - :cost,
    updated = {greatest}(rate_buckets.updated, :now)
WHERE {least}(:burst, rate_buckets.tokens + {greatest}(0.0, :now - rate_buckets.updated) * :rate) >= :needed
RETURNING tokens
"""
_TOKENS = "SELECT tokens, updated FROM rate_buckets WHERE name = :name AND key = :key"
# A bucket full again limits nothing: its row goes.
_SWEEP = "DELETE FROM rate_buckets WHERE name = :name AND tokens + (:now - updated) * :rate >= :burst"


_CREATE_SQLITE = """
CREATE TABLE IF NOT EXISTS rate_buckets (
    name VARCHAR(32) NOT NULL, key VARCHAR(200) NOT NULL, tokens DOUBLE NOT NULL, updated DOUBLE NOT NULL,
    CONSTRAINT pk_rate_buckets PRIMARY KEY (name, key))
"""


def buckets_engine(engine: Engine) -> Engine:
    """The engine the limiters count through, apart from the one requests work in: a request takes its token while
    it holds a transaction (a push checks its device's budget once the token is read), and a second connection from
    the same pool could then wait on its own pool, or on SQLite on its own transaction's write lock. On PostgreSQL a
    small pool of its own on the same database (server migration s0008's table); on SQLite a file beside the
    database (``<file>-ratelimit``), shared by the processes of its one host."""
    postgres = is_postgres(engine)
    if postgres:
        separate = make_engine(engine.url.render_as_string(hide_password=False), pool_size=4)
    else:
        database = engine.url.database
        # An in-memory database (the OpenAPI dump's, never served) counts in memory too.
        on_disk = bool(database) and database != ":memory:"
        separate = make_engine(f"sqlite:///{database}-ratelimit" if on_disk else "sqlite://")

    # A take waits for no disk flush: a crash forgets at most the last moments' counts, a budget's slightly early
    # refill, while every request would otherwise wait for one. The SQLite file's table is made on first use (an app
    # is built without touching its database).
    @event.listens_for(separate, "connect")
    def _prepare(dbapi_conn: Any, _record: object) -> None:
        cur = dbapi_conn.cursor()
        if postgres:
            cur.execute("SET synchronous_commit TO off")
        else:
            cur.execute("PRAGMA synchronous=OFF")
            cur.execute("PRAGMA wal_autocheckpoint=1000")  # SQLite's own: no thread checkpoints this file (server.wal)
            cur.execute(_CREATE_SQLITE)
        cur.close()
        dbapi_conn.commit()  # PostgreSQL: a SET in a transaction rolled back would be undone

    return separate


class DatabaseBuckets:
    """The buckets of one limit (``name``) in the server database's rate_buckets table, shared by every process and
    host on it. Each call is one statement outside any transaction (autocommit): a pull that reads without one stays
    without one, and pays one round trip for its token."""

    def __init__(self, engine: Engine, name: str, *, sweep_every: int = 10_000) -> None:
        self._engine = engine
        self._name = name
        postgres = is_postgres(engine)
        self._take_sql = text(_TAKE.format(least="LEAST" if postgres else "MIN",
                                           greatest="GREATEST" if postgres else "MAX"))
        self._sweep_every = sweep_every
        self._takes = 0

    def take(self, key: str, cost: float, needed: float, now: float, rate: float, burst: float) -> float | None:
        params = {"name": self._name, "key": key[:200], "cost": float(cost), "needed": float(needed),
                  "now": float(now), "rate": float(rate), "burst": float(burst)}
        with self._engine.connect().execution_options(isolation_level=AUTOCOMMIT) as conn:
            left = conn.execute(self._take_sql, params).scalar_one_or_none()
            self._takes += 1
            if self._takes % self._sweep_every == 0:
                conn.execute(text(_SWEEP), params)
        return None if left is None else float(left)

    def tokens(self, key: str, now: float, rate: float, burst: float) -> float:
        with self._engine.connect().execution_options(isolation_level=AUTOCOMMIT) as conn:
            row = conn.execute(text(_TOKENS), {"name": self._name, "key": key[:200]}).one_or_none()
        if row is None:
            return burst
        return float(min(burst, row.tokens + max(0.0, now - row.updated) * rate))


# Tokens a process leases at a time from the shared request budget (server.app): one statement per ten requests.
LEASE_BLOCK = 10


class LeasedBuckets:
    """Tokens of one-at-a-time requests taken from ``inner`` in blocks and handed out by this process: a device's
    burst of requests (a first sync's pages, a backlog's push batches) costs the shared store one statement per
    block rather than one per request. Nothing is allowed beyond what ``inner`` granted: a lease is taken from the
    shared bucket before any of it is used. What a process holds unused (at most ``block - 1`` tokens a key) stays
    parked for that key's next request here, so the tolerance is one-off, never a rate: a device may burst that much
    more per process after a quiet spell, and is short that much on the other processes meanwhile. Costs other than
    one request (bytes, charges after the fact) go straight to ``inner``."""

    def __init__(self, inner: Buckets, block: int = 10, *, keep: int = 10_000) -> None:
        self._inner = inner
        self._block = float(block)
        self._leased: dict[str, float] = {}  # key -> tokens this process took from inner and has not used
        self._lock = threading.Lock()
        self._keep = keep

    def take(self, key: str, cost: float, needed: float, now: float, rate: float, burst: float) -> float | None:
        if cost != 1.0 or needed != 1.0 or self._block <= 1.0:
            return self._inner.take(key, cost, needed, now, rate, burst)
        with self._lock:
            held = self._leased.get(key, 0.0)
            if held >= 1.0:
                self._leased[key] = held - 1.0
                return held - 1.0
        block = min(self._block, burst)
        left = self._inner.take(key, block, block, now, rate, burst)
        if left is None:  # near the limit: no block, but a single token exactly as without leasing
            return self._inner.take(key, 1.0, 1.0, now, rate, burst)
        with self._lock:
            if len(self._leased) >= self._keep:
                self._leased.clear()  # idle keys' parked tokens are forgotten: stricter, never looser
            self._leased[key] = self._leased.get(key, 0.0) + block - 1.0
        return left + block - 1.0

    def tokens(self, key: str, now: float, rate: float, burst: float) -> float:
        with self._lock:
            held = self._leased.get(key, 0.0)
        return self._inner.tokens(key, now, rate, burst) + held


@dataclass
class EnrolmentLimits:
    """Wrong codes (unknown, used, expired) per source address: 20 at once, then one a minute. Attempts per code,
    whatever their outcome: 10 at once (a PC's retries fit), then one a minute."""

    wrong_codes_per_address: RateLimiter = field(default_factory=lambda: RateLimiter(per_minute=1, burst=20))
    attempts_per_code: RateLimiter = field(default_factory=lambda: RateLimiter(per_minute=1, burst=10))

    @classmethod
    def shared(cls, engine: Engine) -> EnrolmentLimits:
        """The same limits, counted in the database for every worker and host (``engine``: :func:`buckets_engine`)."""
        return cls(RateLimiter(per_minute=1, burst=20, store=DatabaseBuckets(engine, "enrol_address")),
                   RateLimiter(per_minute=1, burst=10, store=DatabaseBuckets(engine, "enrol_code")))
