"""The KPIs as daily counts: what one assessed complaint adds to its office's figures on each local day, and the
figures of a period summed back from such counts. The national server keeps these counts per office and day as
changes arrive (server.kpi_national), so comparing 550 offices reads a few thousand rows instead of assessing
millions of complaints; the rules stay app.kpi.definitions's, and tests hold the two equal.

Every instant a KPI counts by (app.kpi.index) becomes a *mark*: the local day (in the office's zone) it falls on and
the measure it adds one to. A deadline missed counts on the day it passed, which may lie ahead: such marks are kept
and only read once their day is over (:func:`summarise` over days before a cutoff), exactly as a KPI report as of the
start of that day would count them. Working days to verification and to follow-up are kept as a histogram per day,
so the medians are exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from app.domain import DeadlineKind, EventKind
from app.kpi.assess import Assessment, KpiRules
from app.kpi.definitions import percent

# The counted measures, in the order of the national server's columns.
RECEIVED, EXCLUDED, COMPLETED, AUTO_CLOSED = "received", "excluded", "completed", "auto_closed"
VERIFIED_MET, VERIFIED_MISSED = "verified_met", "verified_missed"
FOLLOWED_UP_MET, FOLLOWED_UP_MISSED = "followed_up_met", "followed_up_missed"
RESOLVED_MET, RESOLVED_MISSED = "resolved_met", "resolved_missed"
RESPONSES, SATISFIED = "responses", "satisfied"
MEASURES: tuple[str, ...] = (RECEIVED, EXCLUDED, COMPLETED, AUTO_CLOSED, VERIFIED_MET, VERIFIED_MISSED,
                             FOLLOWED_UP_MET, FOLLOWED_UP_MISSED, RESOLVED_MET, RESOLVED_MISSED, RESPONSES,
                             SATISFIED)
_OUTCOMES = {DeadlineKind.VERIFICATION: (VERIFIED_MET, VERIFIED_MISSED),
             DeadlineKind.FOLLOW_UP: (FOLLOWED_UP_MET, FOLLOWED_UP_MISSED),
             DeadlineKind.RESOLUTION: (RESOLVED_MET, RESOLVED_MISSED)}
# The durations kept (their medians are KPIs): working days from arrival to verification, from disposition to
# follow-up.
VERIFICATION, FOLLOW_UP = "v", "f"
_DURATIONS = {DeadlineKind.VERIFICATION: VERIFICATION, DeadlineKind.FOLLOW_UP: FOLLOW_UP}
_TENTH = Decimal("0.1")

Count = tuple[int, str]  # (local day ordinal, measure)
Duration = tuple[int, str, int]  # (local day ordinal, VERIFICATION | FOLLOW_UP, working days)


@dataclass(frozen=True)
class Marks:
    """One complaint's share of its office's figures: ``counts`` and ``durations`` sorted; ``overdue_from`` the
    running deadline of an open complaint (overdue at any instant after it), None when none runs."""

    counts: tuple[Count, ...]
    durations: tuple[Duration, ...]
    overdue_from: datetime | None

    def to_json(self) -> dict[str, list[list[object]]]:
        return {"c": [[day, MEASURES.index(m)] for day, m in self.counts],
                "d": [[day, kind, wd] for day, kind, wd in self.durations]}

    @classmethod
    def from_json(cls, data: Mapping[str, list[list[object]]], overdue_from: datetime | None) -> Marks:
        counts = tuple((int(str(day)), MEASURES[int(str(i))]) for day, i in data.get("c", ()))
        durations = tuple((int(str(day)), str(kind), int(str(wd))) for day, kind, wd in data.get("d", ()))
        return cls(counts, durations, overdue_from)


NO_MARKS = Marks((), (), None)


def marks_of(a: Assessment, rules: KpiRules) -> Marks:
    """Every instant ``a`` counts by in app.kpi.definitions, as (local day, measure)."""
    f = a.facts
    day = rules.local_day
    if f.excluded:
        return Marks(((day(f.arrived_at), EXCLUDED),), (), None)
    counts: list[Count] = [(day(f.arrived_at), RECEIVED)]
    if f.completed_at is not None:
        counts.append((day(f.completed_at), COMPLETED))
        if f.completed_by == EventKind.AUTO_CLOSED:
            counts.append((day(f.completed_at), AUTO_CLOSED))
    for at, satisfied in f.responses:
        counts.append((day(at), RESPONSES))
        if satisfied:
            counts.append((day(at), SATISFIED))
    durations: list[Duration] = []
    for step in (a.verification, *a.follow_ups, a.resolution):
        if step is None:
            continue
        if step.settled_at is not None:
            met, missed = _OUTCOMES[step.kind]
            counts.append((day(step.settled_at), met if step.met else missed))
        kind = _DURATIONS.get(step.kind)
        if kind is not None and step.done_at is not None and step.working_days is not None:
            durations.append((day(step.done_at), kind, step.working_days))
    return Marks(tuple(sorted(counts)), tuple(sorted(durations)), a.next_due_at)


# ---- back to figures ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RateFigure:
    numerator: int
    denominator: int
    percent: float
    no_data: bool


@dataclass(frozen=True)
class MedianFigure:
    value: float
    count: int
    no_data: bool


@dataclass(frozen=True)
class Summary:
    """An office's (or a unit's, a category's) KPIs over whole days, from its daily counts: the same numbers as
    app.kpi.definitions.kpi_report over the same days (the ids behind them are not kept)."""

    received: int
    excluded: int
    completed: int
    auto_closed: int
    verified_on_time: RateFigure
    followed_up_on_time: RateFigure
    resolved_on_time: RateFigure
    median_days_to_verification: MedianFigure
    median_days_to_follow_up: MedianFigure
    reporter_responses: int
    satisfaction: RateFigure
    overdue_now: int
    no_data: bool

    def as_dict(self) -> dict[str, object]:
        """Plain JSON: counts as numbers, rates and medians as objects."""
        out: dict[str, object] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            out[name] = value.__dict__ if isinstance(value, RateFigure | MedianFigure) else value
        return out


def rate(met: int, missed: int) -> RateFigure:
    total = met + missed
    return RateFigure(met, total, percent(met, total), total == 0)


def median(histogram: Mapping[int, int]) -> MedianFigure:
    """The median of values given as {value: how many}, rounded half up to one decimal like
    app.kpi.definitions (``statistics.median`` of the expanded list: the middle value, or the mean of the two)."""
    n = sum(c for c in histogram.values() if c > 0)
    if n == 0:
        return MedianFigure(0.0, 0, True)
    ordered = sorted((v, c) for v, c in histogram.items() if c > 0)

    def nth(k: int) -> int:  # the k-th smallest value, 0-based
        seen = 0
        for value, count in ordered:
            seen += count
            if k < seen:
                return value
        raise AssertionError("k beyond the histogram")

    mid = n // 2
    middle = Decimal(nth(mid)) if n % 2 else (Decimal(nth(mid - 1)) + Decimal(nth(mid))) / 2
    return MedianFigure(float(middle.quantize(_TENTH, ROUND_HALF_UP)), n, False)


def summarise(counts: Mapping[str, int], durations: Mapping[str, Mapping[int, int]], overdue_now: int) -> Summary:
    """The KPIs of summed daily ``counts`` (measure → total) and ``durations`` (VERIFICATION | FOLLOW_UP → working
    days → how many)."""
    def n(measure: str) -> int:
        return int(counts.get(measure, 0))

    verified = rate(n(VERIFIED_MET), n(VERIFIED_MISSED))
    followed = rate(n(FOLLOWED_UP_MET), n(FOLLOWED_UP_MISSED))
    resolved = rate(n(RESOLVED_MET), n(RESOLVED_MISSED))
    responses = n(RESPONSES)
    return Summary(
        received=n(RECEIVED), excluded=n(EXCLUDED), completed=n(COMPLETED), auto_closed=n(AUTO_CLOSED),
        verified_on_time=verified, followed_up_on_time=followed, resolved_on_time=resolved,
        median_days_to_verification=median(durations.get(VERIFICATION, {})),
        median_days_to_follow_up=median(durations.get(FOLLOW_UP, {})),
        reporter_responses=responses, satisfaction=RateFigure(n(SATISFIED), responses,
                                                              percent(n(SATISFIED), responses), responses == 0),
        overdue_now=overdue_now,
        no_data=(n(RECEIVED) == 0 and n(COMPLETED) == 0 and responses == 0
                 and verified.no_data and followed.no_data and resolved.no_data),
    )


def sum_marks(marks: Iterable[Marks], first_day: date, end_day: date
              ) -> tuple[dict[str, int], dict[str, dict[int, int]]]:
    """Summed counts and durations of ``marks`` on local days ``first_day`` ≤ day < ``end_day`` (for tests and for
    a reader that holds marks rather than daily rows)."""
    lo, hi = first_day.toordinal(), end_day.toordinal()
    counts: dict[str, int] = {}
    durations: dict[str, dict[int, int]] = {}
    for m in marks:
        for day, measure in m.counts:
            if lo <= day < hi:
                counts[measure] = counts.get(measure, 0) + 1
        for day, kind, wd in m.durations:
            if lo <= day < hi:
                bucket = durations.setdefault(kind, {})
                bucket[wd] = bucket.get(wd, 0) + 1
    return counts, durations
