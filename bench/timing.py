"""Timing helpers: paired runs of the program's code and its raw sqlite3 counterpart, medians in milliseconds."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from time import perf_counter_ns


@dataclass
class Measurement:
    """One benchmark: the program's timings, the raw sqlite3 baseline's, and the target for the program."""

    name: str
    target_ms: float  # 0: no target (shown for information)
    app_ms: list[float] = field(default_factory=list)
    raw_ms: list[float] = field(default_factory=list)
    note: str = ""
    variants: dict[str, list[float]] = field(default_factory=dict)  # experiments (bench.whatif), same loop

    @property
    def app_median(self) -> float:
        return statistics.median(self.app_ms)

    @property
    def raw_median(self) -> float:
        return statistics.median(self.raw_ms)

    @property
    def ratio(self) -> float:
        return self.app_median / self.raw_median if self.raw_median else float("inf")

    def p90(self, values: list[float]) -> float:
        return statistics.quantiles(values, n=10)[-1] if len(values) >= 2 else values[0]

    @property
    def meets_target(self) -> bool:
        return not self.target_ms or self.app_median <= self.target_ms

    @property
    def meets_ratio(self) -> bool:
        return self.ratio <= MAX_RATIO


MAX_RATIO = 2.0


def _ms(fn: Callable[[], object]) -> float:
    start = perf_counter_ns()
    fn()
    return (perf_counter_ns() - start) / 1e6


def median_of(values: list[float]) -> float:
    return statistics.median(values)


def measure_pair(m: Measurement, app: Callable[[], object], raw: Callable[[], object], *, runs: int,
                 warmup: int, variants: dict[str, Callable[[], object]] | None = None) -> Measurement:
    """Run the program's code, the raw baseline (and any experiments) ``warmup`` times untimed, then ``runs``
    times each, taking turns so that load on the machine falls on all sides alike."""
    variants = variants or {}
    for _ in range(warmup):
        for fn in (app, raw, *variants.values()):
            fn()
    m.variants = {name: [] for name in variants}
    for _ in range(runs):
        m.app_ms.append(_ms(app))
        m.raw_ms.append(_ms(raw))
        for name, fn in variants.items():
            m.variants[name].append(_ms(fn))
    return m
