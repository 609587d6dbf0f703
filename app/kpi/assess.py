"""Each complaint's deadlines as the window showed them, and how each ended: the one place the KPIs meet the SLA rules.

Every deadline comes from app.rules.sla (:func:`~app.rules.sla.due_at` with the office's policy, working calendar
and zone), so a holiday, a cuti bersama, a weekend or a postponement moves a KPI exactly as it moved the deadline on
screen. :func:`assess` runs once over an office's facts; the KPIs (app.kpi.definitions) and breakdowns
(app.kpi.breakdowns) then only look up its sorted indexes (app.kpi.index) by period, so a year of monthly figures
costs one assessment. One complaint can be assessed again on its own (:func:`assess_one`) after it changed.

A :class:`Step` is one deadline: verification (one per complaint), follow-up (one per disposition to a unit: the
first, again after the reporter was not satisfied, after a reopening, after a clarification), resolution (one per
complaint). Its ``settled_at`` is when its outcome became known: the moment it was done if that was on time, else the
moment it was known to be late (its deadline, or for the resolution the first moment after it at which the complaint
was open again). A step whose deadline stopped running before it passed (a postponement or a redirection before the
follow-up was due, an archiving before the resolution deadline) has no outcome: ``settled_at`` None.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from app.domain import OPEN_STATUSES, DeadlineKind, EventKind, Status
from app.kpi.facts import ComplaintFacts, StatusEvent
from app.rules.sla import (
    DeadlineFacts,
    Period,
    SlaPolicy,
    WorkingCalendar,
    compute_deadlines,
    due_at,
    is_estimate,
)
from app.timeutil import zone

if TYPE_CHECKING:
    from app.kpi.index import Index


@dataclass(frozen=True)
class KpiRules:
    """What deadlines depend on: the SLA policy in force, the working calendar (weekends, national holidays, cuti
    bersama) and the office's zone (an IANA name or WIB/WITA/WIT). The same values the window's deadlines use."""

    policy: SlaPolicy
    calendar: WorkingCalendar
    tz: str
    # due_at depends only on the local start day: remembered per (period, day), as working-day counts per day pair.
    _dues: dict[tuple[Period, int], datetime] = field(default_factory=dict, compare=False, repr=False)
    _spans: dict[tuple[int, int], int] = field(default_factory=dict, compare=False, repr=False)

    def local_day(self, at: datetime) -> int:
        """The ordinal of ``at``'s date in the office's zone."""
        return at.astimezone(zone(self.tz)).toordinal()

    def due(self, start: datetime, period: Period, start_day: int | None = None) -> datetime:
        """app.rules.sla.due_at for this office (``start_day``: :meth:`local_day` of ``start``, when known)."""
        key = (period, self.local_day(start) if start_day is None else start_day)
        found = self._dues.get(key)
        if found is None:
            found = self._dues[key] = due_at(start, period, self.calendar, self.tz)
        return found

    def span(self, start_day: int, end_day: int) -> int:
        """Working days after the local day ``start_day`` up to ``end_day`` (ordinals; 0: the same day)."""
        key = (start_day, end_day)
        found = self._spans.get(key)
        if found is None:
            found = self._spans[key] = self.calendar.working_days_between(date.fromordinal(start_day),
                                                                          date.fromordinal(end_day))
        return found

    def working_days(self, start: datetime, end: datetime) -> int:
        """Working days from ``start``'s local date to ``end``'s (0: the same day; a weekend day counts as none)."""
        return self.span(self.local_day(start), self.local_day(end))


class Step(NamedTuple):
    """One deadline of one complaint (times aware UTC).

    ``done_at``: when the step was done (verified, followed up, completed), None if not (yet). ``ended_at``: when the
    deadline stopped running, done or not (None: still running). ``settled_at``: see the module. ``met``: done by the
    end of its deadline's day. ``working_days``: from the start's local day to the done day's (None: not done)."""

    complaint_id: str
    kind: DeadlineKind
    started_at: datetime
    due_at: datetime
    done_at: datetime | None
    ended_at: datetime | None
    settled_at: datetime | None
    met: bool
    working_days: int | None


class Assessment(NamedTuple):
    """One complaint's steps at this office, and the deadline running now (None when none runs: closed, archived,
    redirected, or excluded). An excluded complaint (spam, duplicate) has no steps. (Steps and assessments are named
    tuples: a hundred thousand complaints make half a million of them, at a quarter of a dataclass's cost.)"""

    facts: ComplaintFacts
    verification: Step | None
    follow_ups: tuple[Step, ...]
    resolution: Step | None
    next_due_at: datetime | None
    next_due_kind: DeadlineKind | None


@dataclass(frozen=True)
class Assessed:
    """An office's assessed complaints under one set of rules: what every KPI and breakdown takes."""

    rules: KpiRules
    items: tuple[Assessment, ...]

    def with_changes(self, changed: Iterable[ComplaintFacts], removed: Iterable[str] = ()) -> Assessed:
        """After some complaints changed (the window's ``complaints_changed(ids)``): these facts assessed again, the
        ``removed`` ids (and a changed complaint that left the office) dropped, the rest kept as assessed. The index
        is updated in place of being built again."""
        fresh = {f.id: f for f in changed}
        gone = set(removed) | set(fresh)
        kept = [a for a in self.items if a.facts.id not in gone]
        old = [a for a in self.items if a.facts.id in gone]
        with bulk_build():
            new = [assess_one(f, self.rules) for f in fresh.values()]
            assessed = Assessed(self.rules, (*kept, *new))
            if "index" in self.__dict__:  # built already (cached_property keeps it there)
                assessed.__dict__["index"] = self.index.updated(old, new)
        return assessed

    @cached_property
    def index(self) -> Index:
        """The items sorted by every instant a KPI filters on (built by :func:`assess`, or on first use)."""
        from app.kpi.index import Index

        return Index(self.items)


@contextmanager
def bulk_build() -> Iterator[None]:
    """Pause the cyclic garbage collector while a hundred thousand small objects are made that form no cycles:
    otherwise it runs full passes over all of them again and again, which doubles the time (measured on the 100,000
    complaint store). Restored afterwards as it was (a process-wide switch: another thread's work meanwhile only
    waits a little longer for its collection)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def assess(facts: Iterable[ComplaintFacts], rules: KpiRules) -> Assessed:
    """Every complaint's steps; the indexes the KPIs read are built here too (see :class:`Assessed`)."""
    with bulk_build():
        assessed = Assessed(rules, tuple(assess_one(f, rules) for f in facts))
        _ = assessed.index
    return assessed


def assess_one(f: ComplaintFacts, rules: KpiRules) -> Assessment:
    if f.excluded:
        return Assessment(f, None, (), None, None, None)
    policy = rules.policy
    verification = _step(f.id, DeadlineKind.VERIFICATION, f.arrived_at, f.verified_at, f.verified_at,
                         policy.step_period(DeadlineKind.VERIFICATION), rules)
    next_due_at: datetime | None = None
    next_due_kind: DeadlineKind | None = None
    if f.status in OPEN_STATUSES:
        # The window's running deadlines, with the office's clock started at the arrival.
        d = compute_deadlines(DeadlineFacts(f.status, f.classification, f.is_supervisory, f.arrived_at,
                                            f.disposed_at, f.followed_up_at, f.postponed_at),
                              policy, rules.calendar, rules.tz)
        next_due_at, next_due_kind = d.next_due_at, d.next_due_kind
    return Assessment(f, verification, _follow_ups(f, rules), _resolution(f, rules), next_due_at, next_due_kind)


def _step(cid: str, kind: DeadlineKind, start: datetime, done: datetime | None, ended: datetime | None,
          period: Period, rules: KpiRules) -> Step:
    """A step whose outcome is known at ``done`` when on time, else at its deadline; none when it ended undone
    before its deadline (withdrawn)."""
    start_day = rules.local_day(start)
    due = rules.due(start, period, start_day)
    met = done is not None and done <= due
    if met:
        settled: datetime | None = done
    else:
        settled = None if done is None and ended is not None and ended <= due else due
    days = None if done is None else rules.span(start_day, rules.local_day(done))
    return Step(cid, kind, start, due, done, ended, settled, met, days)


def _follow_ups(f: ComplaintFacts, rules: KpiRules) -> tuple[Step, ...]:
    """One step per disposition: it ends at the next status change (history holds only changes). A follow-up ends
    it done; a postponement or a redirection ends it undone (late if its deadline had passed, else withdrawn)."""
    if f.first_disposed_at is None:
        return ()
    period = rules.policy.step_period(DeadlineKind.FOLLOW_UP)
    steps: list[Step] = []
    started: datetime | None = None
    for event in f.history:
        if started is not None:
            done = event.at if event.kind == EventKind.FOLLOW_UP else None
            steps.append(_step(f.id, DeadlineKind.FOLLOW_UP, started, done, event.at, period, rules))
            started = None
        if event.to_status == Status.DIDISPOSISIKAN:
            started = event.at
    if started is not None:  # dispositioned now, not followed up yet: running
        steps.append(_step(f.id, DeadlineKind.FOLLOW_UP, started, None, None, period, rules))
    return tuple(steps)


def _resolution(f: ComplaintFacts, rules: KpiRules) -> Step:
    """Completed (SELESAI) by the deadline, or late from the first moment after it the complaint was open; never
    open after it (archived or redirected before it passed, and left so): withdrawn. A postponement does not stop
    this clock (the window's resolution deadline keeps running while a complaint is ditunda)."""
    period = rules.policy.resolution_period(f.classification, f.is_supervisory)
    step = _step(f.id, DeadlineKind.RESOLUTION, f.arrived_at, f.completed_at, f.completed_at, period, rules)
    if step.met:
        return step
    late_from = _first_open_moment(f.history, step.due_at)
    done = f.completed_at
    ended = done if done is not None else (None if late_from is not None or f.status in OPEN_STATUSES
                                           else f.history[-1].at if f.history else None)
    return Step(f.id, DeadlineKind.RESOLUTION, f.arrived_at, step.due_at, done, ended, late_from, False,
                step.working_days)


def _first_open_moment(history: tuple[StatusEvent, ...], due: datetime) -> datetime | None:
    """``due`` if the complaint was open then, else the first later moment it became open (None: never)."""
    status: str = Status.BELUM_TERVERIFIKASI
    for event in history:
        if event.at > due:
            if status in OPEN_STATUSES:
                return due
            if event.to_status in OPEN_STATUSES:
                return event.at
        status = event.to_status
    return due if status in OPEN_STATUSES else None


def step_period(step: Step, facts: ComplaintFacts, policy: SlaPolicy) -> Period:
    """The policy period that set ``step``'s deadline."""
    if step.kind == DeadlineKind.RESOLUTION:
        return policy.resolution_period(facts.classification, facts.is_supervisory)
    return policy.step_period(step.kind)


def is_estimated(step: Step, facts: ComplaintFacts, rules: KpiRules) -> bool:
    """Whether the step's deadline lies past the holiday calendar's horizon (its holidays are not known yet)."""
    return is_estimate(step.due_at, step_period(step, facts, rules.policy), rules.calendar, rules.tz)
