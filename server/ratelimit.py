"""Token buckets by key, per worker process: a runaway client is slowed, never the others.

Requests with a device token are limited per device, in budgets per kind of work: sync requests counted one by one;
file downloads counted in bytes (a first sync of a large office fetches hundreds of small photos, which a count of
requests would throttle long before anything abusive happened). Enrolment has no token yet, so it is limited twice over:
wrong codes per source address (guessing from one place is slowed, other places are not) and attempts per code
(hammering one code cannot spill over to any other code).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


class RateLimiter:
    def __init__(self, per_minute: float, burst: int | None = None, *,
                 clock: Callable[[], float] = time.monotonic, sweep_at: int = 10_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst or max(10, int(per_minute) // 4))
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when counted)
        self._lock = threading.Lock()
        self._min_sweep = self._sweep_at = sweep_at

    def retry_after(self, key: str) -> float:
        """0 if the request may go ahead now (and it takes a token), else the seconds to wait."""
        with self._lock:
            now = self._clock()
            tokens = self._tokens(key, now)
            if tokens >= 1.0:
                self._store(key, tokens - 1.0, now)
                return 0.0
            self._store(key, tokens, now)
            return (1.0 - tokens) / self.rate

    def take(self, key: str, cost: float) -> float:
        """Take ``cost`` tokens if the bucket holds them (0.0), else the seconds until it will (nothing taken). A
        cost larger than the whole burst goes ahead once the bucket is full, leaving it in debt: one large file is
        never refused for ever."""
        with self._lock:
            now = self._clock()
            tokens = self._tokens(key, now)
            needed = min(cost, self.burst)
            if tokens >= needed:
                self._store(key, tokens - cost, now)
                return 0.0
            self._store(key, tokens, now)
            return (needed - tokens) / self.rate

    def remaining(self, key: str) -> float:
        """The tokens ``key`` holds now (negative: in debt)."""
        with self._lock:
            return self._tokens(key, self._clock())

    def wait(self, key: str) -> float:
        """The seconds until ``key`` has a token again (0: it has one now); takes nothing."""
        with self._lock:
            tokens = self._tokens(key, self._clock())
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate

    def charge(self, key: str) -> None:
        """Take a token for something that already happened, even if that leaves the bucket in debt."""
        with self._lock:
            now = self._clock()
            self._store(key, self._tokens(key, now) - 1.0, now)

    def _tokens(self, key: str, now: float) -> float:
        tokens, last = self._buckets.get(key, (self.burst, now))
        return min(self.burst, tokens + (now - last) * self.rate)

    def _store(self, key: str, tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        if len(self._buckets) >= self._sweep_at:
            # A full bucket limits nothing: forget it. Sweeping again only after the table doubles keeps a flood
            # of new keys (guessed codes, many addresses) from making every request pay for a sweep.
            self._buckets = {k: v for k, v in self._buckets.items() if self._tokens(k, now) < self.burst}
            self._sweep_at = max(self._min_sweep, 2 * len(self._buckets))


@dataclass
class EnrolmentLimits:
    """Wrong codes (unknown, used, expired) per source address: 20 at once, then one a minute. Attempts per code,
    whatever their outcome: 10 at once (a PC's retries fit), then one a minute."""

    wrong_codes_per_address: RateLimiter = field(default_factory=lambda: RateLimiter(per_minute=1, burst=20))
    attempts_per_code: RateLimiter = field(default_factory=lambda: RateLimiter(per_minute=1, burst=10))
