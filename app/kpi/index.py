"""Assessed complaints sorted by each instant a KPI counts by, so a period's figure is a slice found by bisection
instead of a pass over every complaint (a dashboard asks for twelve months and a dozen breakdowns at once), and a few
changed complaints are moved in place instead of sorting everything again (:meth:`Index.updated`).

A figure's ids are read from a timeline's ``ids`` and its groups (met or missed, per unit, per category ...) from
parts a timeline remembers per key (:meth:`Timeline.split`, kept current by :meth:`Timeline.updated`): once an
office's index has answered one period, every other period costs slices, not a look at each complaint (on the
100,000-complaint bench store, every figure of the dashboard for a year: a few tens of milliseconds, not 0.35 s)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Container, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import compress, repeat
from operator import attrgetter, gt, itemgetter, le
from typing import Any, Generic, TypeVar

from app.domain import DeadlineKind
from app.kpi.assess import Assessment, Step, bulk_build

T = TypeVar("T")
_FIRST, _SECOND, _THIRD = itemgetter(0), itemgetter(1), itemgetter(2)
_RECEIVED_AT = attrgetter("facts.received_at")
_START_ORDER = attrgetter("started_at", "complaint_id")
Entry = tuple[datetime, str, Any]  # (instant, complaint id, value)


@dataclass(frozen=True)
class Timeline(Generic[T]):
    """Values sorted by an instant, then by complaint id: ``times[i]`` and ``ids[i]`` are those of ``values[i]``.
    The same order on every machine, so the ids behind a figure need no sorting of their own."""

    times: tuple[datetime, ...]
    ids: tuple[str, ...]
    values: tuple[T, ...]
    # split(key) answers, by key object: carried over by updated(), so they stay as current as the timeline.
    _parts: dict[Any, dict[Any, Timeline[T]]] = field(default_factory=dict, init=False, compare=False, repr=False)

    @classmethod
    def of(cls, entries: Iterable[tuple[datetime, str, T]]) -> Timeline[T]:
        """From (instant, complaint id, value) entries given in complaint id order (the sort is stable)."""
        ordered = sorted(entries, key=_FIRST)
        return cls(tuple(map(_FIRST, ordered)), tuple(map(_SECOND, ordered)), tuple(map(_THIRD, ordered)))

    def span(self, start: datetime, end: datetime, as_of: datetime) -> tuple[int, int]:
        """Where the entries at instants ``start`` ≤ t < ``end`` and t ≤ ``as_of`` lie: [lo, hi), lo ≤ hi."""
        lo = bisect_left(self.times, start)
        hi = min(bisect_left(self.times, end), bisect_right(self.times, as_of))
        return lo, max(lo, hi)

    def between(self, start: datetime, end: datetime, as_of: datetime) -> Sequence[T]:
        """The values at instants ``start`` ≤ t < ``end`` and t ≤ ``as_of``."""
        lo, hi = self.span(start, end, as_of)
        return self.values[lo:hi] if hi > lo else ()

    def ids_between(self, start: datetime, end: datetime, as_of: datetime) -> tuple[str, ...]:
        """The complaint ids of :meth:`between` (copied from ``ids``: no value is looked at)."""
        lo, hi = self.span(start, end, as_of)
        return self.ids[lo:hi]

    def split(self, key: Callable[[T], Hashable]) -> dict[Any, Timeline[T]]:
        """The timeline cut into one per ``key`` of the values (each part in this order), remembered for this key
        object: a figure per group of a period is then a slice of each part instead of a look at every value. For
        keys that live as long as the program (the KPIs' own), not a new function per call (each would be kept)."""
        found = self._parts.get(key)
        if found is None:
            with bulk_build():
                found = self._parts[key] = _split(self, key)
        return found

    def until(self, before: datetime) -> Sequence[T]:
        """The values at instants t < ``before``."""
        return self.values[:bisect_left(self.times, before)]

    def where(self, keep: Iterable[bool]) -> Timeline[T]:
        """The entries whose flag in ``keep`` (one per entry, in order) is true, still in order."""
        flags = tuple(keep)
        return Timeline(tuple(compress(self.times, flags)), tuple(compress(self.ids, flags)),
                        tuple(compress(self.values, flags)))

    def of_complaints(self, ids: Container[str]) -> Timeline[T]:
        """The entries of these complaints, still in order, with the parts :meth:`split` remembers cut the same way
        (parts left empty dropped)."""
        fresh = self.where(map(ids.__contains__, self.ids))
        for key, parts in self._parts.items():
            cut = {k: part.of_complaints(ids) for k, part in parts.items()}
            fresh._parts[key] = {k: part for k, part in cut.items() if part.times}
        return fresh

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
        fresh = Timeline(tuple(times), tuple(ids), tuple(values))
        for key, parts in self._parts.items():
            fresh._parts[key] = _split_updated(parts, key, old, new)
        return fresh


def _split(line: Timeline[T], key: Callable[[T], Hashable]) -> dict[Any, Timeline[T]]:
    """The line as one timeline per ``key`` of its values: the positions of each part found in one loop, its
    entries then gathered in C."""
    where: dict[Any, list[int]] = {}
    for i, k in enumerate(map(key, line.values)):
        found = where.get(k)
        if found is None:
            where[k] = [i]
        else:
            found.append(i)
    parts: dict[Any, Timeline[T]] = {}
    for k, positions in where.items():
        if len(positions) == 1:
            i = positions[0]
            parts[k] = Timeline((line.times[i],), (line.ids[i],), (line.values[i],))
        else:
            gather = itemgetter(*positions)
            parts[k] = Timeline(gather(line.times), gather(line.ids), gather(line.values))
    return parts


def _split_updated(parts: dict[Any, Timeline[T]], key: Callable[[T], Hashable],
                   old: Sequence[tuple[datetime, str, T]], new: Sequence[tuple[datetime, str, T]]
                   ) -> dict[Any, Timeline[T]]:
    """:meth:`Timeline.split` of the updated timeline from that of the timeline before: only the parts the old
    and new entries belong to are updated (a part left empty is dropped)."""
    gone: dict[Any, list[tuple[datetime, str, T]]] = {}
    came: dict[Any, list[tuple[datetime, str, T]]] = {}
    for entries, by in ((old, gone), (new, came)):
        for entry in entries:
            by.setdefault(key(entry[2]), []).append(entry)
    fresh = dict(parts)
    for k in {**gone, **came}:
        part = fresh.get(k) or Timeline((), (), ())
        part = part.updated(gone.get(k, ()), came.get(k, ()))
        if part.times:
            fresh[k] = part
        else:
            fresh.pop(k, None)
    return fresh


@dataclass(frozen=True)
class StepIndex:
    """One kind of step: by ``settled_at`` (the rates), by ``done_at`` (the medians), by start with the instant its
    outcome or withdrawal was known, and by that instant alone (``known``; both for ``pending``)."""

    settled: Timeline[Step]
    done: Timeline[Step]
    started: Timeline[tuple[datetime, Step]]
    known: Timeline[Step] | None = None

    def pending(self, cutoff: datetime) -> list[Step]:
        """Steps begun before ``cutoff`` whose outcome (or withdrawal) was not known by then, by start (then
        complaint id)."""
        begun = bisect_left(self.started.times, cutoff)
        if self.known is not None:
            # The steps not known by the cutoff, when fewer than those begun before it (a period up to now: the few
            # deadlines still running, instead of every step of the office's history).
            unknown = self.known.values[bisect_left(self.known.times, cutoff):]
            if len(unknown) < begun:
                return sorted((s for s in unknown if s.started_at < cutoff), key=_START_ORDER)
        pairs = self.started.values[:begun]
        # known >= cutoff, as cutoff <= known: compared and filtered in C (a year has tens of thousands of steps)
        return list(compress(map(_SECOND, pairs), map(le, repeat(cutoff), map(_FIRST, pairs))))


_KINDS = (DeadlineKind.VERIFICATION, DeadlineKind.FOLLOW_UP, DeadlineKind.RESOLUTION)
_STEP_LINES = tuple((kind, part) for kind in _KINDS for part in ("settled", "done", "started", "known"))
_LINES = ("arrivals", "excluded_arrivals", "completions", "responses", "running", *_STEP_LINES)


def _grouped(items: Iterable[Assessment]) -> dict[object, list[Entry]]:
    """Every (instant, complaint id, value) entry the assessed complaints put in each timeline, in the items' order
    (one loop, no generator: a hundred thousand complaints make over a million entries)."""
    lines: dict[object, list[Entry]] = {name: [] for name in _LINES}
    excluded, arrivals = lines["excluded_arrivals"].append, lines["arrivals"].append
    completions, responses, running = lines["completions"].append, lines["responses"].append, lines["running"].append
    step_lines = {kind: tuple(lines[(kind, part)].append for part in ("settled", "done", "started", "known"))
                  for kind in _KINDS}
    for a in items:
        f = a.facts
        cid = f.id
        if f.excluded:
            excluded((f.arrived_at, cid, a))
            continue
        arrivals((f.arrived_at, cid, a))
        if f.completed_at is not None:
            completions((f.completed_at, cid, a))
        for at, satisfied in f.responses:
            responses((at, cid, (a, satisfied)))
        if a.next_due_at is not None:
            running((a.next_due_at, cid, a))
        for step in (a.verification, *a.follow_ups, a.resolution):
            if step is None:
                continue
            settled, done, started, known_at = step_lines[step.kind]
            if step.settled_at is not None:
                settled((step.settled_at, cid, step))
            if step.done_at is not None:
                done((step.done_at, cid, step))
            # Known at: settled, else withdrawn at its end (a withdrawn step always ended).
            known = step.settled_at or step.ended_at or step.due_at
            started((step.started_at, cid, (known, step)))
            known_at((known, cid, step))
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
        lines = self._lines
        return StepIndex(lines[(kind, "settled")], lines[(kind, "done")], lines[(kind, "started")],
                         lines[(kind, "known")])

    def overdue(self, as_of: datetime) -> Sequence[Assessment]:
        """Open complaints whose running deadline had passed at ``as_of`` (deadline < as_of: the window's
        OVERDUE, app.rules.sla.deadline_state), the oldest deadline first."""
        return self._lines["running"].until(as_of)

    def overdue_ids(self, as_of: datetime) -> tuple[str, ...]:
        """The complaint ids of :meth:`overdue`, in its order."""
        running = self._lines["running"]
        return running.ids[:bisect_left(running.times, as_of)]

    def received_before(self, end: datetime) -> Index:
        """The index as a reader of the complaints received before ``end`` would have built it, for the figures of a
        period ending by ``end`` (app.kpi.facts.SelectionWindow.received_until) from an index of more complaints:
        every instant of a complaint received at or after ``end`` lies at or after it, outside such a period, except
        its running deadline (*overdue now* is not bound to the period), so only that line is cut."""
        running: Timeline[Assessment] = self._lines["running"]
        cut = running.where(map(gt, repeat(end), map(_RECEIVED_AT, running.values)))
        if len(cut.values) == len(running.values):
            return self
        narrowed = Index.__new__(Index)
        narrowed._lines = {**self._lines, "running": cut}
        return narrowed

    def of_complaints(self, ids: Container[str]) -> Index:
        """The index of these complaints only: each timeline cut to their entries, which keeps its order (that of
        an index built of them alone), so nothing is sorted again."""
        narrowed = Index.__new__(Index)
        narrowed._lines = {name: line.of_complaints(ids) for name, line in self._lines.items()}
        return narrowed

    def timelines(self) -> dict[object, Timeline[Any]]:
        """Every timeline by name (for tests: an updated index equals one built anew)."""
        return dict(self._lines)


def _complaint_id(a: Assessment) -> str:
    return a.facts.id
