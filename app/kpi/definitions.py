"""The roadmap KPIs of SP4N-LAPOR!, one pure function each, over an office's assessed complaints (app.kpi.assess) and a
period (app.kpi.period): the one definition the dashboard, the monthly report, the exports and the national
comparison all use. docs/KPI.md states each rule for readers outside the code.

Common rules:
- A period is whole days in the office's zone; an instant counts for it when it falls inside, and not after
  ``as_of`` (the aware instant the figures are for: normally now, when the facts were read; an earlier one gives the
  figures as they stood then, except *overdue now*, which reads the complaints' current state).
- Complaints archived as spam or duplicates are left out of every figure and counted apart (:func:`excluded`).
- A complaint counts for the office that holds it, from the moment it arrived there (app.kpi.facts).
- A rate counts each deadline once, in the period its outcome became known (``Step.settled_at``): a deadline met
  counts when the step was done; one missed counts when it passed, even if the complaint is still open at the
  period's end. Deadlines not yet known at the period's end are ``pending`` (not in the rate).
- Percentages and medians are rounded half up to one decimal. An empty rate or median is 0.0 with ``no_data`` set:
  never a division by zero.
- Every figure carries the complaint ids behind it (a complaint appears once per deadline or response), in the order
  of the instant each counts by, then by id (overdue ones by their deadline, oldest first): the same on every machine.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter, itemgetter
from typing import Any, TypeVar

from app.domain import DeadlineKind, DeadlineState, EventKind
from app.kpi.assess import Assessed, Assessment
from app.kpi.index import Timeline
from app.kpi.period import ReportPeriod
from app.rules.sla import SlaPolicy, deadline_state

T = TypeVar("T")

_TENTH = Decimal("0.1")
# The keys the figures split timelines by (Timeline.split remembers its parts per key object: these live as long as
# the program), and the step's complaint id.
_COMPLETED_BY = attrgetter("facts.completed_by")
_STEP_MET, _STEP_DAYS, _SATISFIED = attrgetter("met"), attrgetter("working_days"), itemgetter(1)
_STEP_ID = attrgetter("complaint_id")


@dataclass(frozen=True)
class Count:
    """How many (``value``), and which complaints (``ids``, as many entries as ``value``)."""

    value: int
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Rate:
    """``numerator`` of ``denominator`` (``met_ids``/``missed_ids``), as ``percent`` 0–100. ``pending_ids``: deadlines
    begun by the period's end whose outcome was not known yet (not in the rate)."""

    numerator: int
    denominator: int
    percent: float
    no_data: bool
    met_ids: tuple[str, ...]
    missed_ids: tuple[str, ...]
    pending_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Median:
    """The median of ``count`` values (working days), 0.0 with ``no_data`` when there are none."""

    value: float
    count: int
    no_data: bool
    ids: tuple[str, ...]


@dataclass(frozen=True)
class KpiReport:
    """Every KPI of one period. ``partial``: the period had not ended at ``as_of``. ``no_data``: nothing at all
    happened in the period (no complaint arrived, no deadline settled, none completed, no response)."""

    period: ReportPeriod
    as_of: datetime
    partial: bool
    received: Count
    excluded: Count
    completed: Count
    auto_closed: Count
    verified_on_time: Rate
    followed_up_on_time: Rate
    resolved_on_time: Rate
    overdue_now: Count
    median_days_to_verification: Median
    median_days_to_follow_up: Median
    reporter_responses: Count
    satisfaction: Rate
    no_data: bool


@dataclass(frozen=True)
class Target:
    """A target for one :class:`KpiReport` rate (``kpi`` names its field), in percent, and where it comes from."""

    kpi: str
    percent: float
    source: str


# The regulation sets a deadline for every complaint (Perpres 76/2013; PermenPANRB 5/2025; the days are the SLA
# policy's), not a share of complaints: so the target is that all meet it. No percentage target of the SP4N roadmap
# was available to check (PermenPANRB 46/2020, Road Map SP4N 2020–2024, was not read): an assumption until the
# national coordination sets one (docs/KPI.md).
_DEADLINE_SOURCE = ("Perpres 76/2013 dan PermenPANRB 5/2025: setiap laporan dalam tenggatnya (asumsi: 100 %; "
                    "belum ada target persentase peta jalan yang diverifikasi)")
ROADMAP_TARGETS: tuple[Target, ...] = (
    Target("verified_on_time", 100.0, _DEADLINE_SOURCE),
    Target("followed_up_on_time", 100.0, _DEADLINE_SOURCE),
    Target("resolved_on_time", 100.0, _DEADLINE_SOURCE),
)


def percent(numerator: int, denominator: int) -> float:
    """``numerator``/``denominator`` in percent, half up to one decimal; 0.0 for an empty denominator."""
    if denominator <= 0:
        return 0.0
    return float((Decimal(numerator * 100) / Decimal(denominator)).quantize(_TENTH, ROUND_HALF_UP))


class PeriodWindow:
    """[start, end) of the period in UTC, cut at ``as_of``: ``at in window`` is whether an instant counts."""

    __slots__ = ("start", "end", "as_of")

    def __init__(self, assessed: Assessed, period: ReportPeriod, as_of: datetime) -> None:
        self.start, self.end = period.bounds(assessed.rules.tz)
        self.as_of = as_of

    def __contains__(self, at: datetime | None) -> bool:
        return at is not None and self.start <= at < self.end and at <= self.as_of

    @property
    def cutoff(self) -> datetime:
        """Where the period's knowledge stops: its end, or ``as_of`` when that is earlier."""
        return min(self.end, self.as_of)

    def of(self, timeline: Timeline[T]) -> Sequence[T]:
        return timeline.between(self.start, self.end, self.as_of)

    def ids(self, timeline: Timeline[T]) -> tuple[str, ...]:
        """The complaint ids of :meth:`of` (read from the timeline's ids: no value is looked at)."""
        return timeline.ids_between(self.start, self.end, self.as_of)

    def ids_by(self, timeline: Timeline[T], key: Callable[[T], Hashable]) -> dict[Any, tuple[str, ...]]:
        """The complaint ids of :meth:`of` per ``key`` of the value, each in the timeline's order, groups without
        any left out (``Timeline.split``: ``key`` a module-level getter, remembered by the timeline)."""
        found = {k: self.ids(part) for k, part in timeline.split(key).items()}
        return {k: ids for k, ids in found.items() if ids}


def _count(ids: Iterable[str]) -> Count:
    found = tuple(ids)
    return Count(len(found), found)


def _in(by: dict[Any, tuple[str, ...]], wanted: object) -> tuple[str, ...]:
    """The ids of the group whose key equals ``wanted`` (none: empty)."""
    return next((ids for k, ids in by.items() if k == wanted), ())


# ---- volumes ---------------------------------------------------------------------------------------------------


def received(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> Count:
    """Diterima: complaints that arrived at the office in the period (taken in, or routed here), spam and duplicates
    left out."""
    return _count(PeriodWindow(assessed, period, as_of).ids(assessed.index.arrivals))


def excluded(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> Count:
    """Arrived in the period and archived as spam or duplicate: out of every other figure."""
    return _count(PeriodWindow(assessed, period, as_of).ids(assessed.index.excluded_arrivals))


def completed(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> Count:
    """Selesai: complaints completed for the first time at this office in the period (closed by the office, closed
    by the reporter's satisfied response, or closed automatically when the response window ran out)."""
    return _count(PeriodWindow(assessed, period, as_of).ids(assessed.index.completions))


def auto_closed(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> Count:
    """Of :func:`completed`, those closed automatically (the reporter did not respond within the window)."""
    by = PeriodWindow(assessed, period, as_of).ids_by(assessed.index.completions, _COMPLETED_BY)
    return _count(_in(by, EventKind.AUTO_CLOSED))


def is_overdue(a: Assessment, as_of: datetime, policy: SlaPolicy) -> bool:
    """Open with its running deadline passed at ``as_of`` (the window's OVERDUE)."""
    return a.next_due_at is not None and deadline_state(a.next_due_at, as_of, policy) == DeadlineState.OVERDUE


def overdue_now(assessed: Assessed, as_of: datetime) -> Count:
    """Terlambat: open complaints whose running deadline (the one the window shows: the step's, or the resolution's
    when earlier) had passed at ``as_of``. Not bound to a period."""
    return _count(assessed.index.overdue_ids(as_of))


# ---- deadlines met ---------------------------------------------------------------------------------------------


def _rate(assessed: Assessed, kind: DeadlineKind, period: ReportPeriod, as_of: datetime) -> Rate:
    w = PeriodWindow(assessed, period, as_of)
    steps = assessed.index.steps(kind)
    by = w.ids_by(steps.settled, _STEP_MET)  # met is a bool
    met, missed = _in(by, True), _in(by, False)
    pending = tuple(map(_STEP_ID, steps.pending(w.cutoff)))
    n, d = len(met), len(met) + len(missed)
    return Rate(n, d, percent(n, d), d == 0, met, missed, pending)


def verified_on_time(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> Rate:
    """Diverifikasi ≤ 3 hari kerja: verification deadlines settled in the period, met when the first decision on the
    complaint (disposition, postponement for clarification, redirection, archiving) came by the end of the third
    working day after its arrival (the policy's VERIFICATION period)."""
    return _rate(assessed, DeadlineKind.VERIFICATION, period, as_of)


def followed_up_on_time(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> Rate:
    """Ditindaklanjuti ≤ 5 hari kerja: follow-up deadlines settled in the period, one per disposition to a unit,
    met when the unit's follow-up came by the end of the fifth working day after that disposition."""
    return _rate(assessed, DeadlineKind.FOLLOW_UP, period, as_of)


def resolved_on_time(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> Rate:
    """Selesai tepat waktu: resolution deadlines settled in the period, met when the complaint was completed by the end
    of its resolution period (by type and supervisory content) counted from its arrival."""
    return _rate(assessed, DeadlineKind.RESOLUTION, period, as_of)


# ---- durations and responses -----------------------------------------------------------------------------------


def _median(assessed: Assessed, kind: DeadlineKind, period: ReportPeriod, as_of: datetime) -> Median:
    w = PeriodWindow(assessed, period, as_of)
    line = assessed.index.steps(kind).done
    ids = w.ids(line)
    if not ids:
        return Median(0.0, 0, True, ())
    # How many steps took each number of working days: the median of the days without a list of them.
    counts = sorted((days, len(found)) for days, found in w.ids_by(line, _STEP_DAYS).items() if days is not None)
    value = Decimal(str(_median_of(counts))).quantize(_TENTH, ROUND_HALF_UP)
    return Median(float(value), sum(n for _, n in counts), False, ids)


def _median_of(counts: list[tuple[int, int]]) -> float:
    """statistics.median of the values ``counts`` stands for (value, how many times), ascending: the middle value,
    or the mean of the two middle ones (the same value and type statistics.median gives)."""
    n = sum(c for _, c in counts)
    if n == 0:
        return statistics.median([])  # raises StatisticsError, as for no values
    middle = sorted({n // 2, (n - 1) // 2})  # 0-based positions of the middle value(s)
    found: list[int] = []
    seen = 0
    for value, c in counts:
        found += [value for i in middle if seen <= i < seen + c]
        seen += c
    return found[0] if len(found) == 1 else (found[0] + found[1]) / 2


def median_days_to_verification(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> Median:
    """Working days from arrival to verification, over complaints verified in the period (late ones included)."""
    return _median(assessed, DeadlineKind.VERIFICATION, period, as_of)


def median_days_to_follow_up(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> Median:
    """Working days from a disposition to its follow-up, over follow-ups made in the period."""
    return _median(assessed, DeadlineKind.FOLLOW_UP, period, as_of)


def reporter_responses(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> Count:
    """Tanggapan pelapor: the reporters' responses to a follow-up recorded in the period."""
    return _count(PeriodWindow(assessed, period, as_of).ids(assessed.index.responses))


def satisfaction(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> Rate:
    """Kepuasan pelapor: of the responses recorded in the period, those saying the reporter was satisfied."""
    by = PeriodWindow(assessed, period, as_of).ids_by(assessed.index.responses, _SATISFIED)  # a bool
    met, missed = _in(by, True), _in(by, False)
    found = len(met) + len(missed)
    return Rate(len(met), found, percent(len(met), found), not found, met, missed)


# ---- everything at once ----------------------------------------------------------------------------------------

def kpi_report(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> KpiReport:
    """Every KPI of ``period`` as of ``as_of``."""
    args = (assessed, period, as_of)
    rates = (verified_on_time(*args), followed_up_on_time(*args), resolved_on_time(*args))
    counts = (received(*args), completed(*args), reporter_responses(*args))
    _, end = period.bounds(assessed.rules.tz)
    return KpiReport(
        period=period, as_of=as_of, partial=as_of < end,
        received=counts[0], excluded=excluded(*args), completed=counts[1], auto_closed=auto_closed(*args),
        verified_on_time=rates[0], followed_up_on_time=rates[1], resolved_on_time=rates[2],
        overdue_now=overdue_now(assessed, as_of),
        median_days_to_verification=median_days_to_verification(*args),
        median_days_to_follow_up=median_days_to_follow_up(*args),
        reporter_responses=counts[2], satisfaction=satisfaction(*args),
        no_data=all(c.value == 0 for c in counts) and all(r.no_data for r in rates),
    )


def monthly(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> tuple[KpiReport, ...]:
    """:func:`kpi_report` for each month the period touches (clipped to it), in order: the trend series."""
    return tuple(kpi_report(assessed, month, as_of) for month in period.months())
