"""The national comparison of offices as the pages and the JSON API show it: one month of every office's KPIs
(server.kpi_national's daily rows, app.kpi's rules), ranked by a chosen KPI, against the previous month, with the
national trend of the twelve months up to it; and one office's drill-down to its units and categories.

Ranking: by the chosen KPI's value (rates and counts high first; overdue and median days low first); offices with no
data for it come last, in name order; equal values share a rank (1, 2, 2, 4), then the larger denominator first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Message, ValidationError
from app.kpi import marks as km
from app.kpi.marks import Summary
from app.kpi.period import parse_month
from app.reference.regions import region_name
from app.report import formats
from server import kpi_national as kn
from server import kpi_read as kr
from server.models import Category, Office


@dataclass(frozen=True)
class RankBy:
    """A KPI offices can be ranked by: ``key`` its name in URLs and JSON, ``label`` its column heading."""

    key: str
    label: str
    label_en: str
    value: Callable[[Summary], float]
    has_data: Callable[[Summary], bool]
    low_is_better: bool = False
    weight: Callable[[Summary], int] = lambda s: 0


def _rate(key: str, label: str, label_en: str, name: str) -> RankBy:
    return RankBy(key, label, label_en, lambda s: float(getattr(s, name).percent),
                  lambda s: not getattr(s, name).no_data, weight=lambda s: int(getattr(s, name).denominator))


RANKINGS: tuple[RankBy, ...] = (
    _rate("selesai_tepat_waktu", "Selesai tepat waktu", "Completed on time", "resolved_on_time"),
    _rate("verifikasi_tepat_waktu", "Diverifikasi ≤ 3 hari kerja", "Verified within 3 working days",
          "verified_on_time"),
    _rate("tindak_lanjut_tepat_waktu", "Ditindaklanjuti ≤ 5 hari kerja", "Followed up within 5 working days",
          "followed_up_on_time"),
    _rate("kepuasan", "Pelapor puas", "Reporters satisfied", "satisfaction"),
    RankBy("diterima", "Diterima", "Received", lambda s: s.received, lambda s: s.received > 0),
    RankBy("selesai", "Selesai", "Completed", lambda s: s.completed, lambda s: s.completed > 0),
    RankBy("terlambat", "Terlambat saat ini", "Overdue now", lambda s: s.overdue_now, lambda s: True,
           low_is_better=True),
    RankBy("median_verifikasi", "Median hari kerja ke verifikasi", "Median working days to verification",
           lambda s: s.median_days_to_verification.value, lambda s: not s.median_days_to_verification.no_data,
           low_is_better=True, weight=lambda s: s.median_days_to_verification.count),
)
RANK_KEYS = {r.key: r for r in RANKINGS}
DEFAULT_RANKING = RANKINGS[0]
TREND_MONTHS = 12


def ranking(key: str | None) -> RankBy:
    if not key:
        return DEFAULT_RANKING
    found = RANK_KEYS.get(key)
    if found is None:
        raise ValidationError({"urut": Message(
            f"Urutan tidak dikenal: {key!r}. Pilih salah satu: {', '.join(RANK_KEYS)}.",
            f"Unknown ranking: {key!r}. Choose one of: {', '.join(RANK_KEYS)}.")})
    return found


def month_of(text: str | None, now: datetime) -> int:
    """``YYYY-MM`` (default: the current month in WIB) as YYYYMM; ValidationError for a malformed or future one."""
    today = kr.cutoff_day(now)
    if text is None or not text.strip():
        return today.year * 100 + today.month
    period = parse_month(text, today)
    return period.first_day.year * 100 + period.first_day.month


def month_label(month: int) -> str:
    """"Oktober 2026"."""
    return formats.month_label(kr.month_period(month))


def short_month(month: int) -> str:
    """"Okt 26"."""
    return formats.short_month(kr.month_period(month))


def month_text(month: int) -> str:
    return f"{month // 100:04d}-{month % 100:02d}"


@dataclass(frozen=True)
class OfficeRow:
    rank: int | None  # None: no data for the ranking KPI
    office_id: str
    name: str
    region_code: str
    province: str
    summary: Summary
    previous: Summary


@dataclass(frozen=True)
class NationalMonth:
    month: int
    ranked_by: RankBy
    cutoff: date  # days before it are counted
    partial: bool  # the month was not over at the cutoff
    as_of: datetime  # overdue counted at this moment
    rows: tuple[OfficeRow, ...]
    national: Summary
    national_previous: Summary
    trend: tuple[tuple[int, Summary], ...]  # the TREND_MONTHS months up to ``month``
    rules_changed: bool
    built_at: datetime | None

    @property
    def no_data(self) -> bool:
        return self.national.no_data


def _ranked(rows: Iterable[OfficeRow], by: RankBy) -> tuple[OfficeRow, ...]:
    with_data = [r for r in rows if by.has_data(r.summary)]
    without = sorted((r for r in rows if not by.has_data(r.summary)), key=lambda r: (r.name, r.office_id))
    sign = 1 if by.low_is_better else -1
    with_data.sort(key=lambda r: (sign * by.value(r.summary), -by.weight(r.summary), r.name, r.office_id))
    out: list[OfficeRow] = []
    rank = 0
    previous: float | None = None
    for i, r in enumerate(with_data, start=1):
        value = by.value(r.summary)
        if value != previous:
            rank, previous = i, value
        out.append(OfficeRow(rank, r.office_id, r.name, r.region_code, r.province, r.summary, r.previous))
    out.extend(OfficeRow(None, r.office_id, r.name, r.region_code, r.province, r.summary, r.previous)
               for r in without)
    return tuple(out)


def national_month(session: Session, month: int, by: RankBy, now: datetime) -> NationalMonth:
    span = kr.span_of_months(month, month, now)
    previous_span = kr.span_of_months(kr.previous_month(month), kr.previous_month(month), now)
    overdue = kr.overdue_by_office(session, now)  # once: "overdue now" is the same for every month asked
    current = kr.offices_for(session, span, overdue)
    before = {f.office_id: f.summary for f in kr.offices_for(session, previous_span, None)}
    rows = [OfficeRow(None, f.office_id, f.name, f.region_code, region_name(f.region_code.split(".")[0]) or "",
                      f.summary, before.get(f.office_id, km.summarise({}, {}, 0))) for f in current]
    first = month
    for _ in range(TREND_MONTHS - 1):
        first = kr.previous_month(first)
    trend = kr.monthly_totals(session, kr.span_of_months(first, month, now))
    national = kr.national_for(session, span, sum(overdue.values()))
    national_previous = kr.national_for(session, previous_span)
    end = kr.month_period(month).last_day
    return NationalMonth(
        month=month, ranked_by=by, cutoff=span.cutoff, partial=span.cutoff <= end, as_of=now,
        rows=_ranked(rows, by), national=national, national_previous=national_previous,
        trend=tuple((m, trend.get(m, km.summarise({}, {}, 0))) for m in kr.months_between(first, month)),
        rules_changed=kn.rules_changed(session), built_at=kn.last_built(session))


@dataclass(frozen=True)
class NamedPart:
    key: str
    name: str
    summary: Summary


@dataclass(frozen=True)
class OfficeMonth:
    month: int
    office_id: str
    name: str
    region_code: str
    cutoff: date
    partial: bool
    summary: Summary
    units: tuple[NamedPart, ...]
    categories: tuple[NamedPart, ...]
    trend: tuple[tuple[int, Summary], ...]


def office_month(session: Session, office_id: str, month: int, now: datetime) -> OfficeMonth | None:
    office = session.get(Office, office_id)
    if office is None:
        return None
    span = kr.span_of_months(month, month, now)
    overdue = kr.overdue_by_office(session, now, office_id)
    summary = next((f.summary for f in kr.offices_for(session, span, overdue, office_id=office_id)),
                   km.summarise({}, {}, 0))
    unit_names = kr.unit_names(session, office_id)
    category_names = {cid: name for cid, name in session.execute(select(Category.id, Category.name))}
    units = tuple(NamedPart(p.key, unit_names.get(p.key, "Belum didisposisikan" if p.key == kn.NONE_KEY
                                                   else p.key), p.summary)
                  for p in kr.office_parts(session, office_id, span, kn.BY_UNIT, now))
    categories = tuple(NamedPart(p.key, category_names.get(p.key, "Tanpa kategori" if p.key == kn.NONE_KEY
                                                           else p.key), p.summary)
                       for p in kr.office_parts(session, office_id, span, kn.BY_CATEGORY, now))
    first = month
    for _ in range(TREND_MONTHS - 1):
        first = kr.previous_month(first)
    trend = kr.monthly_totals(session, kr.span_of_months(first, month, now), office_id)
    return OfficeMonth(
        month=month, office_id=office.id, name=office.name, region_code=office.region_code, cutoff=span.cutoff,
        partial=span.cutoff <= kr.month_period(month).last_day, summary=summary,
        units=tuple(sorted(units, key=lambda p: (-p.summary.received, p.name))),
        categories=tuple(sorted(categories, key=lambda p: (-p.summary.received, p.name))),
        trend=tuple((m, trend.get(m, km.summarise({}, {}, 0))) for m in kr.months_between(first, month)))
