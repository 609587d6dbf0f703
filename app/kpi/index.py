"""Assessed complaints sorted by each instant a KPI counts by, so a period's figure is a slice found by bisection
instead of a pass over every complaint (a dashboard asks for twelve months and a dozen breakdowns at once)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Generic, TypeVar

from app.domain import DeadlineKind
from app.kpi.assess import Assessment, Step

T = TypeVar("T")
_FIRST, _SECOND = itemgetter(0), itemgetter(1)


@dataclass(frozen=True)
class Timeline(Generic[T]):
    """Values sorted by an instant, then by complaint id (``times[i]`` is the instant of ``values[i]``): the same
    order on every machine, so the ids behind a figure need no sorting of their own."""

    times: tuple[datetime, ...]
    values: tuple[T, ...]

    @classmethod
    def of(cls, entries: Iterable[tuple[datetime, T]]) -> Timeline[T]:
        """From (instant, value) entries given in complaint id order (the sort is stable: ties stay in it)."""
        ordered = sorted(entries, key=_FIRST)
        return cls(tuple(map(_FIRST, ordered)), tuple(map(_SECOND, ordered)))

    def between(self, start: datetime, end: datetime, as_of: datetime) -> Sequence[T]:
        """The values at instants ``start`` ≤ t < ``end`` and t ≤ ``as_of``."""
        lo = bisect_left(self.times, start)
        hi = min(bisect_left(self.times, end), bisect_right(self.times, as_of))
        return self.values[lo:hi] if hi > lo else ()

    def until(self, before: datetime) -> Sequence[T]:
        """The values at instants t < ``before``."""
        return self.values[:bisect_left(self.times, before)]


@dataclass(frozen=True)
class StepIndex:
    """One kind of step: by ``settled_at`` (the rates), by ``done_at`` (the medians), and by start with the instant
    its outcome or withdrawal was known (``pending``)."""

    settled: Timeline[Step]
    done: Timeline[Step]
    started: Timeline[tuple[datetime, Step]]

    @classmethod
    def of(cls, steps: list[Step]) -> StepIndex:
        return cls(
            Timeline.of((s.settled_at, s) for s in steps if s.settled_at is not None),
            Timeline.of((s.done_at, s) for s in steps if s.done_at is not None),
            # Known at: settled, else withdrawn at its end (a withdrawn step always ended).
            Timeline.of((s.started_at, (s.settled_at or s.ended_at or s.due_at, s)) for s in steps),
        )

    def pending(self, cutoff: datetime) -> list[Step]:
        """Steps begun before ``cutoff`` whose outcome (or withdrawal) was not known by then."""
        return [s for known, s in self.started.until(cutoff) if known >= cutoff]


class Index:
    """Every instant the KPIs count by, for one office's assessed complaints. Excluded complaints (spam,
    duplicates) appear only in ``excluded_arrivals``."""

    def __init__(self, items: Iterable[Assessment]) -> None:
        arrivals: list[tuple[datetime, Assessment]] = []
        excluded: list[tuple[datetime, Assessment]] = []
        completions: list[tuple[datetime, Assessment]] = []
        responses: list[tuple[datetime, tuple[Assessment, bool]]] = []
        steps: dict[DeadlineKind, list[Step]] = {k: [] for k in _STEP_KINDS}
        running: list[tuple[datetime, Assessment]] = []
        for a in sorted(items, key=_complaint_id):  # id order first: every timeline breaks ties by it
            f = a.facts
            if f.excluded:
                excluded.append((f.arrived_at, a))
                continue
            arrivals.append((f.arrived_at, a))
            if f.completed_at is not None:
                completions.append((f.completed_at, a))
            responses.extend((at, (a, satisfied)) for at, satisfied in f.responses)
            if a.verification is not None:
                steps[DeadlineKind.VERIFICATION].append(a.verification)
            steps[DeadlineKind.FOLLOW_UP].extend(a.follow_ups)
            if a.resolution is not None:
                steps[DeadlineKind.RESOLUTION].append(a.resolution)
            if a.next_due_at is not None:
                running.append((a.next_due_at, a))
        self.arrivals = Timeline.of(arrivals)
        self.excluded_arrivals = Timeline.of(excluded)
        self.completions = Timeline.of(completions)
        self.responses = Timeline.of(responses)
        self.steps = {k: StepIndex.of(v) for k, v in steps.items()}
        self.running = Timeline.of(running)

    def overdue(self, as_of: datetime) -> Sequence[Assessment]:
        """Open complaints whose running deadline had passed at ``as_of`` (deadline < as_of: the window's
        OVERDUE, app.rules.sla.deadline_state)."""
        return self.running.until(as_of)


_STEP_KINDS = (DeadlineKind.VERIFICATION, DeadlineKind.FOLLOW_UP, DeadlineKind.RESOLUTION)


def _complaint_id(a: Assessment) -> str:
    return a.facts.id
