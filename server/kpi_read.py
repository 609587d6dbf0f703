"""Reading the national comparison's figures (kept by server.kpi_national): sums of the day and month rows over
whole months, counting the days before a cutoff (today in WIB: :func:`cutoff_day`), per office, per month, per unit or
category, and every office together; *overdue now* from the complaints' running deadlines."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.kpi import marks as km
from app.kpi.marks import Summary
from app.kpi.period import ReportPeriod
from app.timeutil import zone
from server.kpi_national import BY_UNIT, CUTOFF_ZONE, NONE_KEY, TOTAL, month_key
from server.models import KpiComplaint, KpiDay, KpiDayDuration, KpiMonth, KpiMonthDuration, Office, Unit


def cutoff_day(now: datetime) -> date:
    """The first day not counted yet: today in WIB (every zone's earlier days are over by then)."""
    return now.astimezone(zone(CUTOFF_ZONE)).date()


@dataclass(frozen=True)
class MonthSpan:
    """Whole months [``first``, ``last``] as YYYYMM numbers, and the day counting stops at."""

    first: int
    last: int
    cutoff: date

    @classmethod
    def of(cls, first: ReportPeriod, last: ReportPeriod, now: datetime) -> MonthSpan:
        return cls(month_key(first.first_day), month_key(last.first_day), cutoff_day(now))


def _split(span: MonthSpan) -> tuple[tuple[int, int] | None, int | None]:
    """The span's months over before the cutoff's month (read from the month rows), and the cutoff's own month when
    the span holds it (read from the day rows before the cutoff). Months after it have no figures yet."""
    current = month_key(span.cutoff)
    last_closed = min(span.last, previous_month(current))
    closed = (span.first, last_closed) if span.first <= last_closed else None
    return closed, current if span.first <= current <= span.last else None


def _sums(session: Session, span: MonthSpan, dim: str, group: Sequence[str],
          office_id: str | None = None) -> dict[tuple[Any, ...], dict[str, int]]:
    """The counts of ``dim`` over the span summed by the ``group`` columns (names: office_id, month, key)."""
    closed, current = _split(span)
    out: dict[tuple[Any, ...], dict[str, int]] = {}
    for table, where in ((KpiMonth.__table__, closed), (KpiDay.__table__, current)):
        if where is None:
            continue
        cols = table.c
        stmt = select(*(cols[g] for g in group), *(func.sum(cols[m]) for m in km.MEASURES)).where(cols.dim == dim)
        if table is KpiMonth.__table__:
            stmt = stmt.where(cols.month >= where[0], cols.month <= where[1])  # type: ignore[index]
        else:
            stmt = stmt.where(cols.month == where, cols.day < span.cutoff)
        if office_id is not None:
            stmt = stmt.where(cols.office_id == office_id)
        for row in session.execute(stmt.group_by(*(cols[g] for g in group))):
            key, values = tuple(row[:len(group)]), row[len(group):]
            if all(v is None for v in values):
                continue
            found = out.setdefault(key, dict.fromkeys(km.MEASURES, 0))
            for m, v in zip(km.MEASURES, values, strict=True):
                found[m] += int(v or 0)
    return out


def _histograms(session: Session, span: MonthSpan, group: Sequence[str], office_id: str | None = None
                ) -> dict[tuple[Any, ...], dict[str, dict[int, int]]]:
    """The working-day histograms over the span by the ``group`` columns (names: office_id, month)."""
    closed, current = _split(span)
    out: dict[tuple[Any, ...], dict[str, dict[int, int]]] = defaultdict(dict)
    for table, where in ((KpiMonthDuration.__table__, closed), (KpiDayDuration.__table__, current)):
        if where is None:
            continue
        cols = table.c
        keys = [*(cols[g] for g in group), cols.kind, cols.working_days]
        stmt = select(*keys, func.sum(cols.n))
        if table is KpiMonthDuration.__table__:
            stmt = stmt.where(cols.month >= where[0], cols.month <= where[1])  # type: ignore[index]
        else:
            stmt = stmt.where(cols.month == where, cols.day < span.cutoff)
        if office_id is not None:
            stmt = stmt.where(cols.office_id == office_id)
        for row in session.execute(stmt.group_by(*keys)):
            key = tuple(row[:len(group)])
            kind, wd, n = row[len(group):]
            bucket = out[key].setdefault(kind, {})
            bucket[int(wd)] = bucket.get(int(wd), 0) + int(n or 0)
    return out


def _overdue(session: Session, column: Any, now: datetime, office_id: str | None = None) -> dict[Any, int]:
    stmt = (select(column, func.count()).where(KpiComplaint.overdue_from.is_not(None),
                                               KpiComplaint.overdue_from < now).group_by(column))
    if office_id is not None:
        stmt = stmt.where(KpiComplaint.office_id == office_id)
    return {key: int(n) for key, n in session.execute(stmt)}


@dataclass(frozen=True)
class OfficeFigures:
    office_id: str
    name: str
    region_code: str
    summary: Summary


def overdue_by_office(session: Session, now: datetime, office_id: str | None = None) -> dict[str, int]:
    """Open complaints past their running deadline at ``now``, per office."""
    return _overdue(session, KpiComplaint.office_id, now, office_id)


def offices_for(session: Session, span: MonthSpan, overdue: Mapping[str, int] | None,
                office_id: str | None = None) -> list[OfficeFigures]:
    """Every office's (or one office's) KPIs over the span's months (days before the cutoff), with ``overdue``
    (:func:`overdue_by_office`; None: not asked, 0)."""
    sums = _sums(session, span, TOTAL, ("office_id",), office_id)
    hist = _histograms(session, span, ("office_id",), office_id)
    overdue = overdue or {}
    stmt = select(Office.id, Office.name, Office.region_code)
    if office_id is not None:
        stmt = stmt.where(Office.id == office_id)
    offices = session.execute(stmt).all()
    return [OfficeFigures(oid, name, region, km.summarise(sums.get((oid,), {}), hist.get((oid,), {}),
                                                          overdue.get(oid, 0)))
            for oid, name, region in offices]


def national_for(session: Session, span: MonthSpan, overdue: int = 0) -> Summary:
    """Every office together: counts summed, rates and medians over all of them (not a mean of offices' rates);
    ``overdue`` as counted by the caller."""
    sums = _sums(session, span, TOTAL, ())
    hist = _histograms(session, span, ())
    return km.summarise(sums.get((), {}), hist.get((), {}), overdue)


def monthly_totals(session: Session, span: MonthSpan, office_id: str | None = None) -> dict[int, Summary]:
    """The national (or one office's) KPIs per month of the span: the trend. Overdue is not a monthly figure
    (0 here)."""
    sums = _sums(session, span, TOTAL, ("month",), office_id)
    hist = _histograms(session, span, ("month",), office_id)
    months = sorted({k[0] for k in sums} | {k[0] for k in hist})
    return {m: km.summarise(sums.get((m,), {}), hist.get((m,), {}), 0) for m in months}


def months_between(first: int, last: int) -> Iterator[int]:
    year, month = divmod(first, 100)
    while year * 100 + month <= last:
        yield year * 100 + month
        month += 1
        if month > 12:
            year, month = year + 1, 1


@dataclass(frozen=True)
class Part:
    """A unit's or a category's figures within an office (``key`` its id, NONE_KEY for none)."""

    key: str
    summary: Summary


def office_parts(session: Session, office_id: str, span: MonthSpan, dim: str, now: datetime) -> list[Part]:
    """One office's KPIs per unit (``BY_UNIT``) or per category (``BY_CATEGORY``); medians are kept per office
    only (so they are no_data here), overdue is counted now."""
    sums = _sums(session, span, dim, ("key",), office_id)
    column = KpiComplaint.unit_id if dim == BY_UNIT else KpiComplaint.category_id
    overdue = {(k or NONE_KEY): n for k, n in _overdue(session, column, now, office_id).items()}
    keys = sorted(set(k[0] for k in sums) | set(overdue))
    return [Part(k, km.summarise(sums.get((k,), {}), {}, overdue.get(k, 0))) for k in keys]


def unit_names(session: Session, office_id: str) -> dict[str, str]:
    return {uid: name for uid, name in session.execute(select(Unit.id, Unit.name).where(Unit.office_id == office_id))}


def previous_month(month: int) -> int:
    year, m = divmod(month, 100)
    return (year - 1) * 100 + 12 if m == 1 else year * 100 + m - 1


def month_period(month: int) -> ReportPeriod:
    return ReportPeriod.month(*divmod(month, 100))


def span_of_months(first: int, last: int, now: datetime) -> MonthSpan:
    return MonthSpan(first, last, cutoff_day(now))

