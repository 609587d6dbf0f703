"""Deterministic randomness for the demo seeder: a seeded Random with cheap picks, and UUIDv7-shaped ids.

The program's own ids (app.ids.new_id) come from the clock and the OS's random source, so two seedings would
differ. Demo ids keep the UUIDv7 layout (48-bit Unix milliseconds, version 7, variant 10, 74 random bits) with
the time taken from the record's own date and the random bits from a seeded Random: the same seed gives the
same ids, and ids still sort by creation time like real ones.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from datetime import datetime
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")

_VERSION_7 = 0x7 << 76
_VARIANT_RFC4122 = 0b10 << 62
_LOW_62 = (1 << 62) - 1
_LOW_48 = (1 << 48) - 1


class DemoRandom(random.Random):
    """random.Random plus picks built on one ``random()`` call each: the seeder makes millions of choices, and
    ``choice``/``randint`` cost several times more (they draw bits until a value fits)."""

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.random() * len(seq))]

    def between(self, low: int, high: int) -> int:
        """An integer in ``low..high`` (inclusive)."""
        return low + int(self.random() * (high - low + 1))

    def chance(self, p: float) -> bool:
        """True with probability ``p``."""
        return self.random() < p

    def uuid7_at(self, at: datetime) -> str:
        """A UUIDv7-shaped id for a record created at ``at`` (aware)."""
        rand = self.getrandbits(74)
        value = (((int(at.timestamp() * 1000) & _LOW_48) << 80) | _VERSION_7 | ((rand >> 62) << 64)
                 | _VARIANT_RFC4122 | (rand & _LOW_62))
        h = f"{value:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class Weighted(Generic[T]):
    """A fixed table of choices with relative weights; :meth:`pick` draws one."""

    def __init__(self, table: Sequence[tuple[T, float]]) -> None:
        if not table:
            raise ValueError("a weighted table needs at least one entry")
        self.items: list[T] = [item for item, _ in table]
        self._cum: list[float] = list(accumulate(weight for _, weight in table))
        self._total = self._cum[-1]
        self._last = len(self.items) - 1

    def pick(self, rng: random.Random) -> T:
        return self.items[min(bisect(self._cum, rng.random() * self._total), self._last)]
