"""Assessed complaints sorted by each instant a KPI counts by, so a period's figure is a slice found by bisection
instead of a pass over every complaint (a dashboard asks for twelve months and a dozen breakdowns at once), and a few
changed complaints are moved in place instead of sorting everything again (:meth:`Index.updated`)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any, Generic, TypeVar

from app.domain import DeadlineKind
from app.kpi.assess import Assessment, Step

T = TypeVar("T")
_FIRST, _SECOND, _THIRD = itemgetter(0), itemgetter(1), itemgetter(2)
Entry = tuple[datetime, str, Any]  # (instant, complaint id, value)


@dataclass(frozen=True)
class Timeline(Generic[T]):
    """Values sorted by an instant, then by complaint id: ``times[i]`` and ``ids[i]`` are those of ``values[i]``.
    The same order on every machine, so the ids behind a figure need no sorting of their own."""

    times: tuple[datetime, ...]
    ids: tuple[str, ...]
    values: tuple[T, ...]

    @classmethod
    def of(cls, entries: Iterable[tuple[datetime, str, T]]) -> Timeline[T]:
        """From (instant, complaint id, value) entries given in complaint id order (the sort is stable)."""
        ordered = sorted(entries, key=_FIRST)
        return cls(tuple(map(_FIRST, ordered)), tuple(map(_SECOND, ordered)), tuple(map(_THIRD, ordered)))

    def between(self, start: datetime, end: datetime, as_of: datetime) -> Sequence[T]:
        """The values at instants ``start`` ≤ t < ``end`` and t ≤ ``as_of``."""
        lo = bisect_left(self.times, start)
        hi = min(bisect_left(self.times, end), bisect_right(self.times, as_of))
        return self.values[lo:hi] if hi > lo else ()

    def until(self, before: datetime) -> Sequence[T]:
        """The values at instants t < ``before``."""
        return self.values[:bisect_left(self.times, before)]

    def updated(self, old: Sequence[tuple[datetime, str, T]], new: Sequence[tuple[datetime, str, T]]) -> Timeline[T]:
        """Without the ``old`` entries (found by instant and id), with the ``new`` ones in their place in the order."""
        if not old and not new:
            return self
        times, ids, values = list(self.times), list(self.ids), list(self.values)
        for at, cid, _ in old:
            i = bisect_left(times, at)
            while ids[i] != cid:  # among entries at the same instant
                i += 1
            del times[i], ids[i], values[i]
        for at, cid, value in new:
            i, hi = bisect_left(times, at), bisect_right(times, at)
            while i < hi and ids[i] <= cid:
                i += 1
            times.insert(i, at)
            ids.insert(i, cid)
            values.insert(i, value)
        return Timeline(tuple(times), tuple(ids), tuple(values))


@dataclass(frozen=True)
class StepIndex:
    """One kind of step: by ``settled_at`` (the rates), by ``done_at`` (the medians), and by start with the instant
    its outcome or withdrawal was known (``pending``)."""

    settled: Timeline[Step]
    done: Timeline[Step]
    started: Timeline[tuple[datetime, Step]]

    def pending(self, cutoff: datetime) -> list[Step]:
        """Steps begun before ``cutoff`` whose outcome (or withdrawal) was not known by then."""
        return [s for known, s in self.started.until(cutoff) if known >= cutoff]


_KINDS = (DeadlineKind.VERIFICATION, DeadlineKind.FOLLOW_UP, DeadlineKind.RESOLUTION)
_STEP_LINES = tuple((kind, part) for kind in _KINDS for part in ("settled", "done", "started"))
_LINES = ("arrivals", "excluded_arrivals", "completions", "responses", "running", *_STEP_LINES)


def _entries(a: Assessment) -> Iterator[tuple[object, Entry]]:
    """Every (timeline, entry) one assessed complaint puts in the index."""
    f = a.facts
    if f.excluded:
        yield "excluded_arrivals", (f.arrived_at, f.id, a)
        return
    yield "arrivals", (f.arrived_at, f.id, a)
    if f.completed_at is not None:
        yield "completions", (f.completed_at, f.id, a)
    for at, satisfied in f.responses:
        yield "responses", (at, f.id, (a, satisfied))
    if a.next_due_at is not None:
        yield "running", (a.next_due_at, f.id, a)
    for step in (a.verification, *a.follow_ups, a.resolution):
        if step is None:
            continue
        if step.settled_at is not None:
            yield (step.kind, "settled"), (step.settled_at, f.id, step)
        if step.done_at is not None:
            yield (step.kind, "done"), (step.done_at, f.id, step)
        # Known at: settled, else withdrawn at its end (a withdrawn step always ended).
        yield (step.kind, "started"), (step.started_at, f.id, (step.settled_at or step.ended_at or step.due_at, step))


def _grouped(items: Iterable[Assessment]) -> dict[object, list[Entry]]:
    lines: dict[object, list[Entry]] = {name: [] for name in _LINES}
    for a in items:
        for name, entry in _entries(a):
            lines[name].append(entry)
    return lines


class Index:
    """Every instant the KPIs count by, for one office's assessed complaints. Excluded complaints (spam,
    duplicates) appear only in ``excluded_arrivals``."""

    def __init__(self, items: Iterable[Assessment]) -> None:
        # In id order first: every timeline's sort is stable, so ties stay in id order.
        lines = _grouped(sorted(items, key=_complaint_id))
        self._lines: dict[object, Timeline[Any]] = {name: Timeline.of(entries) for name, entries in lines.items()}

    def updated(self, old: Iterable[Assessment], new: Iterable[Assessment]) -> Index:
        """The index with the ``old`` assessments of some complaints taken out and ``new`` ones put in."""
        gone = _grouped(old)
        came = _grouped(sorted(new, key=_complaint_id))
        fresh = Index.__new__(Index)
        fresh._lines = {name: line.updated(gone[name], came[name]) for name, line in self._lines.items()}
        return fresh

    @property
    def arrivals(self) -> Timeline[Assessment]:
        return self._lines["arrivals"]

    @property
    def excluded_arrivals(self) -> Timeline[Assessment]:
        return self._lines["excluded_arrivals"]

    @property
    def completions(self) -> Timeline[Assessment]:
        return self._lines["completions"]

    @property
    def responses(self) -> Timeline[tuple[Assessment, bool]]:
        return self._lines["responses"]

    def steps(self, kind: DeadlineKind) -> StepIndex:
        return StepIndex(self._lines[(kind, "settled")], self._lines[(kind, "done")], self._lines[(kind, "started")])

    def overdue(self, as_of: datetime) -> Sequence[Assessment]:
        """Open complaints whose running deadline had passed at ``as_of`` (deadline < as_of: the window's
        OVERDUE, app.rules.sla.deadline_state), the oldest deadline first."""
        return self._lines["running"].until(as_of)

    def timelines(self) -> dict[object, Timeline[Any]]:
        """Every timeline by name (for tests: an updated index equals one built anew)."""
        return dict(self._lines)


def _complaint_id(a: Assessment) -> str:
    return a.facts.id
