"""The KPIs broken down for charts and tables: per status, category, channel, region (district or village), unit, and
per month. Pure functions over assessed complaints (app.kpi.assess), counted by the rules of app.kpi.definitions.

Every breakdown row (:class:`Group`) has the same three figures: complaints received in the period, completed in the
period, and overdue now (not bound to the period: a unit's backlog today), each with its complaint ids for the
drill-down, in the order of app.kpi.definitions. Complaints are grouped by what they are now (their current status,
category, unit), not by what they were when they arrived. A group's key is None for complaints without one (no
category yet, not yet dispositioned to a unit, no region).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.kpi.assess import Assessed
from app.kpi.definitions import Count, PeriodWindow
from app.kpi.facts import ComplaintFacts
from app.kpi.period import ReportPeriod

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
    left out."""
    w = PeriodWindow(assessed, period, as_of)
    index = assessed.index
    rows: dict[str | None, tuple[list[str], list[str], list[str]]] = {}
    for which, found in enumerate((w.of(index.arrivals), w.of(index.completions), index.overdue(as_of))):
        for a in found:
            lists = rows.get(k := key(a.facts))
            if lists is None:
                lists = rows[k] = ([], [], [])
            lists[which].append(a.facts.id)
    groups = [Group(k, _count(r), _count(c), _count(o)) for k, (r, c, o) in rows.items()]
    groups.sort(key=lambda g: (g.key is None, -g.received.value, -g.overdue_now.value, g.key or ""))
    return tuple(groups)


def _count(ids: list[str]) -> Count:
    return Count(len(ids), tuple(ids))


def region_key(region_code: str | None, level: int) -> str | None:
    """The code of the region at ``level`` that contains ``region_code`` (None when the code is not that deep)."""
    if not region_code:
        return None
    parts = region_code.split(".")
    return ".".join(parts[:level]) if len(parts) >= level else None


def by_status(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> tuple[Group, ...]:
    return breakdown(assessed, period, as_of, lambda f: f.status)


def by_category(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> tuple[Group, ...]:
    return breakdown(assessed, period, as_of, lambda f: f.category_id)


def by_channel(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> tuple[Group, ...]:
    return breakdown(assessed, period, as_of, lambda f: f.channel)


def by_unit(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> tuple[Group, ...]:
    """Per unit the complaint is dispositioned to now, with its overdue count."""
    return breakdown(assessed, period, as_of, lambda f: f.unit_id)


def by_region(assessed: Assessed, period: ReportPeriod, as_of: datetime, level: int = DISTRICT) -> tuple[Group, ...]:
    """Per district (kecamatan, level 3) or village (desa/kelurahan, level 4) of the complaint's location."""
    return breakdown(assessed, period, as_of, lambda f: region_key(f.region_code, level))


def per_month(assessed: Assessed, period: ReportPeriod, as_of: datetime,
              key: Callable[[ComplaintFacts], str | None] | None = None
              ) -> tuple[tuple[ReportPeriod, tuple[Group, ...]], ...]:
    """For each month of the period (clipped to it): its groups by ``key`` (by status when None), for the
    "per month by status" chart."""
    by = key or (lambda f: f.status)
    return tuple((month, breakdown(assessed, month, as_of, by)) for month in period.months())


def only(assessed: Assessed, keep: Callable[[ComplaintFacts], bool]) -> Assessed:
    """The assessed complaints whose facts pass ``keep`` (one unit's, one channel's ...): every KPI and breakdown
    then reads as for that subset."""
    return Assessed(assessed.rules, tuple(a for a in assessed.items if keep(a.facts)))


def public(assessed: Assessed) -> Assessed:
    """Without confidential (rahasia) complaints: what public statistics and open data may be computed from."""
    return only(assessed, lambda f: not f.is_confidential)
