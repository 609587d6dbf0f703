"""The KPIs broken down for charts and tables: per status, category, channel, region (district or village), unit, and
per month. Pure functions over assessed complaints (app.kpi.assess), counted by the rules of app.kpi.definitions.

Every breakdown row (:class:`Group`) has the same three figures: complaints received in the period, completed in the
period, and overdue now (not bound to the period: a unit's backlog today), each with its complaint ids for the
drill-down, in the order of app.kpi.definitions. Complaints are grouped by what they are now (their current status,
category, unit), not by what they were when they arrived. A group's key is None for complaints without one (no
category yet, not yet dispositioned to a unit, no region).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import TypeVar

from app.kpi.assess import Assessed, Assessment, bulk_build
from app.kpi.definitions import Count, PeriodWindow
from app.kpi.facts import ComplaintFacts
from app.kpi.period import ReportPeriod

K = TypeVar("K")
# Kemendagri region levels: 1 province (34), 2 regency/city (34.04), 3 district (34.04.01), 4 village (34.04.01.2001).
DISTRICT, VILLAGE = 3, 4


@dataclass(frozen=True)
class Group:
    key: str | None
    received: Count
    completed: Count
    overdue_now: Count


def breakdown(assessed: Assessed, period: ReportPeriod, as_of: datetime,
              key: Callable[[ComplaintFacts], str | None]) -> tuple[Group, ...]:
    """Groups by ``key`` of the complaint's facts, the most received first (then the most overdue, then by key), the
    group without a key (None) last. A group appears when it has any of the three figures. Spam and duplicates are
    left out. The keys of this module (:class:`GroupKey`) are quick: the index remembers their groups."""
    w = PeriodWindow(assessed, period, as_of)
    index = assessed.index
    received: Mapping[str | None, Sequence[str]]
    completed: Mapping[str | None, Sequence[str]]
    if isinstance(key, GroupKey):
        received = w.ids_by(index.arrivals, key.of_assessment)
        completed = w.ids_by(index.completions, key.of_assessment)
    else:
        received, completed = _by(key, w.of(index.arrivals)), _by(key, w.of(index.completions))
    overdue = _by(key, index.overdue(as_of))
    groups = [Group(k, _count(received.get(k, ())), _count(completed.get(k, ())), _count(overdue.get(k, ())))
              for k in dict.fromkeys([*received, *completed, *overdue])]
    groups.sort(key=lambda g: (g.key is None, -g.received.value, -g.overdue_now.value, g.key or ""))
    return tuple(groups)


def several(assessed: Assessed, period: ReportPeriod, as_of: datetime,
            keys: Mapping[K, Callable[[ComplaintFacts], str | None]]) -> dict[K, tuple[Group, ...]]:
    """:func:`breakdown` by each of ``keys`` (name → key), in their order."""
    return {name: breakdown(assessed, period, as_of, key) for name, key in keys.items()}


def _by(key: Callable[[ComplaintFacts], str | None], items: Iterable[Assessment]) -> dict[str | None, list[str]]:
    """The ids of ``items`` per ``key`` of their facts, each in the items' order."""
    out: dict[str | None, list[str]] = {}
    for a in items:
        out.setdefault(key(a.facts), []).append(a.facts.id)
    return out


def _count(ids: Sequence[str]) -> Count:
    return Count(len(ids), tuple(ids))


def region_key(region_code: str | None, level: int) -> str | None:
    """The code of the region at ``level`` that contains ``region_code`` (None when the code is not that deep)."""
    if not region_code:
        return None
    parts = region_code.split(".")
    return ".".join(parts[:level]) if len(parts) >= level else None


class GroupKey:
    """A breakdown key of this module: called with a complaint's facts like any key, and one object for the life of
    the program, so an index remembers the groups it makes (``Timeline.split``) and the next period, month or
    breakdown only slices them."""

    __slots__ = ("_of_facts", "of_assessment")

    def __init__(self, of_facts: Callable[[ComplaintFacts], str | None],
                 of_assessment: Callable[[Assessment], str | None]) -> None:
        self._of_facts = of_facts
        self.of_assessment = of_assessment

    def __call__(self, facts: ComplaintFacts) -> str | None:
        return self._of_facts(facts)

    @classmethod
    def field(cls, name: str) -> GroupKey:
        return cls(attrgetter(name), attrgetter(f"facts.{name}"))


STATUS, CATEGORY, CHANNEL, UNIT = (GroupKey.field("status"), GroupKey.field("category_id"),
                                   GroupKey.field("channel"), GroupKey.field("unit_id"))


@functools.cache
def region(level: int) -> GroupKey:
    """The key of :func:`by_region`: the complaint's region at ``level`` (each code worked out once)."""
    known: dict[str | None, str | None] = {}

    def of_facts(f: ComplaintFacts) -> str | None:
        code = f.region_code
        found = known.get(code, _UNKNOWN)
        if found is _UNKNOWN:
            found = known[code] = region_key(code, level)
        return found  # type: ignore[return-value]

    return GroupKey(of_facts, lambda a: of_facts(a.facts))


_UNKNOWN = object()


def by_status(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> tuple[Group, ...]:
    return breakdown(assessed, period, as_of, STATUS)


def by_category(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> tuple[Group, ...]:
    return breakdown(assessed, period, as_of, CATEGORY)


def by_channel(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> tuple[Group, ...]:
    return breakdown(assessed, period, as_of, CHANNEL)


def by_unit(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> tuple[Group, ...]:
    """Per unit the complaint is dispositioned to now, with its overdue count."""
    return breakdown(assessed, period, as_of, UNIT)


def by_region(assessed: Assessed, period: ReportPeriod, as_of: datetime, level: int = DISTRICT) -> tuple[Group, ...]:
    """Per district (kecamatan, level 3) or village (desa/kelurahan, level 4) of the complaint's location."""
    return breakdown(assessed, period, as_of, region(level))


def per_month(assessed: Assessed, period: ReportPeriod, as_of: datetime,
              key: Callable[[ComplaintFacts], str | None] | None = None
              ) -> tuple[tuple[ReportPeriod, tuple[Group, ...]], ...]:
    """For each month of the period (clipped to it): its groups by ``key`` (by status when None), for the
    "per month by status" chart."""
    by = key or STATUS
    return tuple((month, breakdown(assessed, month, as_of, by)) for month in period.months())


def only(assessed: Assessed, keep: Callable[[ComplaintFacts], bool]) -> Assessed:
    """The assessed complaints whose facts pass ``keep`` (one unit's, one channel's ...): every KPI and breakdown
    then reads as for that subset."""
    subset = Assessed(assessed.rules, tuple(a for a in assessed.items if keep(a.facts)))
    if "index" in assessed.__dict__:  # built (Assessed.index is a cached_property): cut, not sorted again
        with bulk_build():
            subset.__dict__["index"] = assessed.index.of_complaints({a.facts.id for a in subset.items})
    return subset


def public(assessed: Assessed) -> Assessed:
    """Without confidential (rahasia) complaints: what public statistics and open data may be computed from."""
    return only(assessed, lambda f: not f.is_confidential)
