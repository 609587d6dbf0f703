"""The monthly report's content from the store: one assessment of the office over the twelve months the trend needs,
then every figure through app.kpi (definitions, breakdowns), names looked up for the groups, and the overdue
complaints reduced to their tracking code and category."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Message, NotFound
from app.kpi import breakdowns, definitions, store_facts
from app.kpi.assess import Assessed, Assessment
from app.kpi.breakdowns import DISTRICT, VILLAGE, Group
from app.kpi.definitions import ROADMAP_TARGETS, Count, KpiReport, Median, Rate
from app.kpi.period import ReportPeriod
from app.models import Category, Complaint, Office, Region, Unit
from app.report import formats
from app.report.content import KpiRow, MonthlyReport, OverdueComplaint, RankedGroup, TrendPoint, UnitOverdue
from app.report.notes import NOTES
from app.timeutil import zone

TREND_MONTHS = 12
TOP = 10
OLDEST = 3  # overdue complaints named per unit
NO_CATEGORY, NO_DISTRICT, NO_VILLAGE = "Tanpa kategori", "Tanpa lokasi", "Tanpa desa/kelurahan"
NO_UNIT = "Belum didisposisikan ke unit"
NO_DATA = "t/d"  # tidak ada data: nothing to count in the previous month
_TARGETS = {t.kpi: t for t in ROADMAP_TARGETS}
OVERDUE_TARGET = 0  # docs/KPI.md: overdue now, target 0


def trend_period(period: ReportPeriod) -> ReportPeriod:
    """The twelve months ending with the report's month."""
    first = period.first_day
    year, month = first.year, first.month - (TREND_MONTHS - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return ReportPeriod(ReportPeriod.month(year, month).first_day, period.last_day)


def monthly_report_content(session: Session, office_id: str, period: ReportPeriod, now: datetime, *,
                           unit_id: str | None = None, generated_by: str | None = None) -> MonthlyReport:
    """The report of ``period`` (a month) for the office, or for one unit's complaints, with figures as of ``now``."""
    office = session.get(Office, office_id)
    if office is None:
        raise NotFound(Message("Instansi tidak ada di PC ini.", "The office is not on this PC."))
    unit_name = None
    if unit_id is not None:
        unit_name = session.scalar(select(Unit.name).where(Unit.id == unit_id, Unit.office_id == office_id))
        if unit_name is None:
            raise NotFound(Message("Unit kerja tidak ada di instansi ini.", "There is no such unit in this office."))
    span = trend_period(period)
    assessed = store_facts.assess_office(session, office_id, span)
    if unit_id is not None:
        assessed = breakdowns.only(assessed, lambda f: f.unit_id == unit_id)
    tz = assessed.rules.tz
    this = definitions.kpi_report(assessed, period, now)
    before = definitions.kpi_report(assessed, period.previous_month(), now)
    trend = tuple(_point(assessed, month, now) for month in span.months())
    month = formats.month_label(period)
    as_of = formats.local_time(now.astimezone(zone(tz)), tz)
    return MonthlyReport(
        office=office.name, period=period, month_label=month, unit=unit_name,
        generated_at=now.astimezone(zone(tz)), generated_at_text=as_of, generated_by=generated_by,
        as_of_text=as_of, partial=this.partial, no_data=this.no_data, summary=_summary(this, month, as_of),
        kpis=_kpi_rows(this, before),
        trend=trend,
        top_categories=_top(session, breakdowns.by_category(assessed, period, now), _category_names, NO_CATEGORY),
        top_districts=_top(session, breakdowns.by_region(assessed, period, now, DISTRICT), _region_names,
                           NO_DISTRICT),
        top_villages=_top(session, breakdowns.by_region(assessed, period, now, VILLAGE), _region_names, NO_VILLAGE),
        overdue_by_unit=_overdue_by_unit(session, assessed, period, now),
        overdue_total=this.overdue_now.value, notes=NOTES)


# ---- the KPI table ---------------------------------------------------------------------------------------------


def _kpi_rows(this: KpiReport, before: KpiReport) -> tuple[KpiRow, ...]:
    excluded = f"; {this.excluded.value} spam/duplikat tidak dihitung" if this.excluded.value else ""
    auto = f"{this.auto_closed.value} ditutup otomatis" if this.auto_closed.value else "tidak ada yang ditutup otomatis"
    return (
        _count_row("received", "Laporan diterima", this.received, before.received, "tiba di instansi" + excluded),
        _rate_row("verified_on_time", "Diverifikasi ≤ 3 hari kerja", this.verified_on_time, before.verified_on_time),
        _rate_row("followed_up_on_time", "Ditindaklanjuti ≤ 5 hari kerja", this.followed_up_on_time,
                  before.followed_up_on_time),
        _rate_row("resolved_on_time", "Selesai tepat waktu", this.resolved_on_time, before.resolved_on_time),
        _count_row("completed", "Laporan selesai", this.completed, before.completed, auto),
        KpiRow("overdue_now", "Terlambat saat ini", this.overdue_now.value, formats.number(this.overdue_now.value),
               float("nan"), "—", "—", formats.number(OVERDUE_TARGET), this.overdue_now.value <= OVERDUE_TARGET,
               "tunggakan pada saat laporan dibuat"),
        _median_row("median_days_to_verification", "Median hari kerja sampai verifikasi (HK)",
                    this.median_days_to_verification, before.median_days_to_verification),
        _median_row("median_days_to_follow_up", "Median hari kerja sampai tindak lanjut (HK)",
                    this.median_days_to_follow_up, before.median_days_to_follow_up),
        _count_row("reporter_responses", "Tanggapan pelapor", this.reporter_responses, before.reporter_responses,
                   "tanggapan atas tindak lanjut"),
        _rate_row("satisfaction", "Kepuasan pelapor", this.satisfaction, before.satisfaction),
    )


def _count_row(key: str, label: str, now: Count, before: Count, detail: str) -> KpiRow:
    return KpiRow(key, label, now.value, formats.number(now.value), before.value, formats.number(before.value),
                  formats.signed(now.value - before.value), "—", None, detail)


def _rate_row(key: str, label: str, now: Rate, before: Rate) -> KpiRow:
    target = _TARGETS.get(key)
    change = "—" if now.no_data or before.no_data else formats.signed(
        round(now.percent - before.percent, 1), " poin", decimals=True)
    met = None if target is None or now.no_data else now.percent >= target.percent
    detail = f"{now.numerator} dari {now.denominator}"
    if now.no_data:
        detail = "tidak ada data (0 dari 0)"
    if now.pending_ids:
        detail += f"; {len(now.pending_ids)} menunggu"
    return KpiRow(key, label, now.percent, formats.percent(now.percent), before.percent,
                  NO_DATA if before.no_data else formats.percent(before.percent), change,
                  formats.percent(target.percent) if target else "—", met, detail)


def _median_row(key: str, label: str, now: Median, before: Median) -> KpiRow:
    change = "—" if now.no_data or before.no_data else formats.signed(
        round(now.value - before.value, 1), " HK", decimals=True)
    detail = "tidak ada data" if now.no_data else f"dari {now.count} langkah"
    return KpiRow(key, label, now.value, formats.days(now.value), before.value,
                  NO_DATA if before.no_data else formats.days(before.value), change, "—", None, detail)


def _summary(r: KpiReport, month: str, as_of: str) -> str:
    if r.no_data:
        text = (f"Tidak ada laporan pada {month}: tidak ada laporan yang tiba, tidak ada tenggat yang jatuh, tidak "
                "ada yang selesai dan tidak ada tanggapan pelapor. Semua angka bulan ini bernilai nol.")
    else:
        verified = "tanpa tenggat verifikasi" if r.verified_on_time.no_data else \
            f"{formats.percent(r.verified_on_time.percent)} diverifikasi tepat waktu"
        text = (f"Pada {month} {formats.number(r.received.value)} laporan diterima dan "
                f"{formats.number(r.completed.value)} selesai; {verified}.")
    text += f" Saat laporan ini dibuat, {formats.number(r.overdue_now.value)} laporan terlambat."
    if r.partial:
        text += f" Bulan ini belum berakhir: angka sementara sampai {as_of}."
    return text


def _point(assessed: Assessed, month: ReportPeriod, now: datetime) -> TrendPoint:
    """One month of the trend: only the four figures the charts show (definitions.kpi_report would compute all
    fourteen for each of the twelve months)."""
    verified = definitions.verified_on_time(assessed, month, now)
    resolved = definitions.resolved_on_time(assessed, month, now)
    return TrendPoint(month, formats.short_month(month), definitions.received(assessed, month, now).value,
                      definitions.completed(assessed, month, now).value,
                      None if verified.no_data else verified.percent, None if resolved.no_data else resolved.percent)


# ---- groups ----------------------------------------------------------------------------------------------------


def _category_names(session: Session, keys: Iterable[str]) -> dict[str, str]:
    return {str(k): str(v) for k, v in session.execute(
        select(Category.id, Category.name).where(Category.id.in_(list(keys))))}


def _region_names(session: Session, keys: Iterable[str]) -> dict[str, str]:
    return {str(k): str(v) for k, v in session.execute(
        select(Region.code, Region.name).where(Region.code.in_(list(keys))))}


def _unit_names(session: Session, keys: Iterable[str]) -> dict[str, str]:
    return {str(k): str(v) for k, v in session.execute(
        select(Unit.id, Unit.name).where(Unit.id.in_(list(keys))))}


def _top(session: Session, groups: Sequence[Group], names_of: Callable[[Session, list[str]], dict[str, str]],
         none_name: str) -> tuple[RankedGroup, ...]:
    chosen = [g for g in groups if g.received.value][:TOP]
    names = names_of(session, [g.key for g in chosen if g.key])
    return tuple(RankedGroup(names.get(g.key, g.key) if g.key else none_name, g.received.value, g.completed.value,
                             g.overdue_now.value) for g in chosen)


def _overdue_by_unit(session: Session, assessed: Assessed, period: ReportPeriod,
                     now: datetime) -> tuple[UnitOverdue, ...]:
    groups = [g for g in breakdowns.by_unit(assessed, period, now) if g.overdue_now.value]
    named = {cid for g in groups for cid in g.overdue_now.ids[:OLDEST]}
    due = {a.facts.id: a for a in assessed.index.overdue(now) if a.facts.id in named}
    codes: dict[str, tuple[str, str | None]] = {
        cid: (code, cat) for cid, code, cat in session.execute(
            select(Complaint.id, Complaint.tracking_code, Complaint.category_id).where(Complaint.id.in_(named)))}
    categories = _category_names(session, {c for _, c in codes.values() if c})
    units = _unit_names(session, [g.key for g in groups if g.key])
    groups.sort(key=lambda g: (g.key is None, -g.overdue_now.value, units.get(g.key, g.key) if g.key else ""))
    out = []
    for g in groups:
        oldest = tuple(_overdue(assessed, due[cid], now, codes[cid], categories)
                       for cid in g.overdue_now.ids[:OLDEST] if cid in due and cid in codes)
        out.append(UnitOverdue(units.get(g.key, g.key) if g.key else NO_UNIT, g.overdue_now.value, oldest))
    return tuple(out)


def _overdue(assessed: Assessed, a: Assessment, now: datetime, code: tuple[str, str | None],
             categories: dict[str, str]) -> OverdueComplaint:
    assert a.next_due_at is not None
    category = categories.get(code[1], code[1]) if code[1] else NO_CATEGORY
    return OverdueComplaint(code[0], category, assessed.rules.working_days(a.next_due_at, now))
