"""One assessment of the office's complaints kept on the database thread, so that choosing a period or a unit only
looks its figures up in the sorted indexes (app.kpi.index) instead of reading and assessing the office again: on the
100,000-complaint bench store reading and assessing the office takes seconds, every figure of a period from a kept
assessment a few tens of milliseconds. No Qt: the dashboard owns one and touches it only through tasks on the
database thread (ui.tasks), one at a time.

The first figures, before anything is kept, are read for their period alone (as quick as a month allows); the
dashboard then asks for the office to be assessed (:meth:`KeptAssessment.prepare`) while its figures are on screen.

Never older than the store: the window says which complaints changed (``ChangeHub.complaints_changed``), the widget
passes that on (:meth:`KeptAssessment.changed`, queued before any later figures), and the next figures read those
complaints again first (``store_facts.read_facts_of`` + ``Assessed.with_changes``); "many or unknown" (a sync pull)
and new rules (an SLA policy, the holidays, the office's zone) mean reading the office again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from itertools import compress, repeat
from operator import attrgetter, gt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.kpi import breakdowns, store_facts
from app.kpi.assess import Assessed, KpiRules, assess
from app.kpi.facts import SelectionWindow, lookback
from app.kpi.period import ReportPeriod
from app.models import Holiday
from app.rules.sla import SlaPolicy
from app.store.db import Store
from app.timeutil import zone

# What the whole office is read "until": every complaint it holds, whenever received (a period's own reader stops at
# the period's end; app.kpi.index.Index.received_before makes a kept assessment read as if it had).
_ALWAYS = datetime(9999, 12, 31, tzinfo=UTC)
_RECEIVED_AT = attrgetter("facts.received_at")
_Rules = tuple[SlaPolicy, str, tuple[date, ...]]


class KeptAssessment:
    """The office's complaints that may count for any period from ``since`` on (app.kpi.facts.SelectionWindow with
    no end), assessed once and kept up to date; a period that starts earlier widens it (read again once).

    :meth:`assessed` gives what ``store_facts.assess_office`` would give for a period (and ``breakdowns.only`` for a
    unit): more complaints, but the same figures, because every complaint a period's reader leaves out counts for
    none of its figures (the reader's window is a superset, app.kpi.facts), except an open one received after the
    period's end, whose running deadline is cut from the index (``Index.received_before``). That holds for figures
    as of an instant the period has begun by, which is all the dashboard asks (it refuses a period not begun yet):
    as of earlier, a deadline of long before could still be pending."""

    # More changed complaints than this share of the kept ones (and at least REBUILD_MIN): read the office again,
    # cheaper than moving each in the sorted indexes.
    REBUILD_SHARE = 0.05
    REBUILD_MIN = 500
    VIEWS = 8  # periods (and units) whose view is kept: going back and forth between a few makes no new one

    def __init__(self) -> None:
        self._office_id: str | None = None
        self._since: datetime | None = None
        self._rules: _Rules | None = None
        self._whole: Assessed | None = None
        self._units: dict[str | None, Assessed] = {}  # a unit's complaints, with their own index (built on use)
        self._views: dict[tuple[str | None, datetime], Assessed] = {}  # received_before(unit, end), the last few
        self._changed: set[str] = set()  # announced, not read again yet
        self.builds = 0  # times the office was read and assessed from scratch (for tests and the bench)

    # ---- what the window says --------------------------------------------------------------------------------

    def changed(self, ids: Iterable[str]) -> None:
        """These complaints changed (read them again before the next figures); none named: many or unknown, so read
        the whole office again."""
        wanted = set(ids)
        if not wanted:
            self.clear()
        elif self._whole is not None:
            self._changed |= wanted

    def clear(self) -> None:
        """Forget everything: the next figures read the office from scratch."""
        self._office_id = self._since = self._rules = self._whole = None
        self._units.clear()
        self._views.clear()
        self._changed.clear()

    def __len__(self) -> int:
        """1 while an assessment of the office is kept and up to date with every announced change, else 0."""
        return int(self._whole is not None and not self._changed)

    # ---- figures ---------------------------------------------------------------------------------------------

    def prepare(self, store: Store, office_id: str, period: ReportPeriod) -> bool:
        """Read and assess the office now if the figures of ``period`` need it (nothing kept yet, new rules, an
        earlier period, many changes); whether it did. The dashboard asks for this after showing figures read for
        the period alone (ui.dashboard.compute.keep), so the first look costs no more than before and the next
        period is quick."""
        builds = self.builds
        with store.read() as session:
            self.assessed(session, office_id, period)
        return self.builds > builds

    def assessed(self, session: Session, office_id: str, period: ReportPeriod, unit_id: str | None = None, *,
                 build: bool = True) -> Assessed | None:
        """The office's assessed complaints (only those dispositioned to ``unit_id`` now, when given) for the figures
        of ``period``, brought up to date first; None when that means reading the whole office and ``build`` is
        False. Call within ``Store.read()`` on the database thread."""
        rules = store_facts.load_rules(session, office_id)
        token = (rules.policy, rules.tz, tuple(session.scalars(select(Holiday.day).order_by(Holiday.day))))
        start, end = period.bounds(rules.tz)
        since = start - lookback(rules.policy)
        if (self._whole is None or office_id != self._office_id or token != self._rules
                or self._since is None or since < self._since or self._too_many_changed()):
            if not build:
                return None
            self._build(session, office_id, rules, token, min(since, _horizon(period, rules), self._since or since))
        elif self._changed:
            self._refresh(session, office_id)
        view = self._views.get((unit_id, end))
        if view is None:
            view = self._views[(unit_id, end)] = received_before(self._of_unit(unit_id), end)
            while len(self._views) > self.VIEWS:
                del self._views[next(iter(self._views))]
        return view

    def _build(self, session: Session, office_id: str, rules: KpiRules, token: _Rules, since: datetime) -> None:
        self.clear()
        facts = store_facts.read_facts(session, office_id, SelectionWindow(_ALWAYS, since))
        self._whole = assess(facts, rules)
        self._office_id, self._since, self._rules = office_id, since, token
        self.builds += 1

    def _too_many_changed(self) -> bool:
        kept = len(self._whole.items) if self._whole is not None else 0
        return len(self._changed) > max(self.REBUILD_MIN, self.REBUILD_SHARE * kept)

    def _refresh(self, session: Session, office_id: str) -> None:
        assert self._whole is not None
        ids, self._changed = self._changed, set()
        self._views.clear()
        # A complaint the office no longer holds (re-routed) reads as nothing: removed.
        facts = store_facts.read_facts_of(session, office_id, ids)
        self._whole = self._whole.with_changes(facts, removed=ids)
        for unit_id, kept in self._units.items():
            self._units[unit_id] = kept.with_changes([f for f in facts if f.unit_id == unit_id], removed=ids)

    def _of_unit(self, unit_id: str | None) -> Assessed:
        assert self._whole is not None
        if unit_id is None:
            return self._whole
        found = self._units.get(unit_id)
        if found is None:
            found = self._units[unit_id] = breakdowns.only(self._whole, lambda f: f.unit_id == unit_id)
        return found


def received_before(assessed: Assessed, end: datetime) -> Assessed:
    """``assessed`` as a reader of the complaints received before ``end`` gives it (for a period ending by then)."""
    items = assessed.items
    narrowed = Assessed(assessed.rules, tuple(compress(items, map(gt, repeat(end), map(_RECEIVED_AT, items)))))
    narrowed.__dict__["index"] = assessed.index.received_before(end)  # as Assessed.with_changes keeps one
    return narrowed


def _horizon(period: ReportPeriod, rules: KpiRules) -> datetime:
    """How far back a first read covers at least: every period from 1 January of the year before the period's
    (this year against last, the monthly report's previous month) without reading again."""
    first = date(period.last_day.year - 1, 1, 1)
    return datetime.combine(first, time.min, tzinfo=zone(rules.tz)).astimezone(UTC) - lookback(rules.policy)
