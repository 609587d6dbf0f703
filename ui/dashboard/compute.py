"""What the dashboard asks of the database: the period the person chose, checked against the office's today, and every
figure and breakdown of app.kpi for it, as plain dataclasses. Runs on the database thread (ui.tasks); no Qt here.

The figures are app.kpi's own (definitions.kpi_report, breakdowns.*): the dashboard only names the groups (unit,
category, region names, status and channel labels) and keeps the ids behind every figure for the drill-down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import Channel, Status
from app.errors import Message, ValidationError
from app.kpi import breakdowns, definitions, store_facts
from app.kpi.assess import Assessed, bulk_build
from app.kpi.breakdowns import DISTRICT, VILLAGE, Group
from app.kpi.definitions import KpiReport
from app.kpi.period import ReportPeriod, check_not_future, parse_month
from app.models import Category, Region, Unit
from app.reference.categories import category_label
from app.reference.labels import label
from app.reference.regions import region_name
from app.services.context import ServiceContext
from app.store.db import Store
from app.timeutil import as_utc, server_now, zone
from ui.dashboard.kept import KeptAssessment
from ui.locale_format import date_text, month_text

MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
PERIOD_KINDS = (MONTH, QUARTER, YEAR, CUSTOM)
_QUARTER = re.compile(r"(\d{4})\s*-?\s*[QqTt]([1-4])")
_YEAR = re.compile(r"\d{4}")
FIRST_YEAR = 2000


@dataclass(frozen=True)
class PeriodChoice:
    """What the period chooser holds: ``kind`` one of PERIOD_KINDS; ``text`` "2026-10" (month), "2026-Q3"
    (quarter) or "2026" (year); ``first``/``last`` the custom range's days."""

    kind: str
    text: str = ""
    first: date | None = None
    last: date | None = None


@dataclass(frozen=True)
class Row:
    """One group of a breakdown: its name and, per column, the count and the complaint ids behind it."""

    key: str | None
    name: str
    values: tuple[int, ...]
    ids: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Breakdown:
    """One chart and its table: ``columns`` name the figures of every row (the chart's bar sets)."""

    key: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]

    @property
    def empty(self) -> bool:
        return not any(any(r.values) for r in self.rows)


@dataclass(frozen=True)
class DashboardData:
    period: ReportPeriod
    unit_id: str | None
    unit_name: str
    tz: str
    report: KpiReport
    monthly: Breakdown  # rows: months; columns: the statuses of the complaints received in each month
    breakdowns: tuple[Breakdown, ...]  # category, channel, district, village, unit


RECEIVED, COMPLETED, OVERDUE = "received", "completed", "overdue"
GROUP_COLUMNS = (RECEIVED, COMPLETED, OVERDUE)
NONE_KEY = ""  # the column/row key of "without one" (no category, unit, region)


def _invalid(text: str, example: str) -> ValidationError:
    return ValidationError({"period": Message(
        f"Periode tidak valid: {text!r}. Tulis misalnya {example}.",
        f"Invalid period: {text!r}. Write for example {example}.")})


def parse_period(choice: PeriodChoice, today: date) -> ReportPeriod:
    """The chosen period, or ValidationError (field ``period`` or ``month``) with a message a person can act on: a
    malformed month, quarter or year, a range that ends before it starts, a period that has not begun by ``today``
    (the office's date). A period that has begun but not ended is allowed (its figures are partial)."""
    text = choice.text.strip()
    if choice.kind == MONTH:
        return parse_month(text, today)
    if choice.kind == QUARTER:
        found = _QUARTER.fullmatch(text)
        if found is None or int(found.group(1)) < FIRST_YEAR:
            raise _invalid(text, f"{today.year}-Q1")
        year, q = int(found.group(1)), int(found.group(2))
        period = ReportPeriod(ReportPeriod.month(year, 3 * q - 2).first_day, ReportPeriod.month(year, 3 * q).last_day)
    elif choice.kind == YEAR:
        if _YEAR.fullmatch(text) is None or int(text) < FIRST_YEAR:
            raise _invalid(text, str(today.year))
        period = ReportPeriod.year(int(text))
    elif choice.kind == CUSTOM:
        if choice.first is None or choice.last is None:
            raise ValidationError({"period": Message("Isi tanggal awal dan tanggal akhir periode.",
                                                     "Fill in the period's first and last day.")})
        if choice.last < choice.first:
            raise ValidationError({"period": Message(
                f"Tanggal akhir ({date_text(choice.last, 'id')}) sebelum tanggal awal "
                f"({date_text(choice.first, 'id')}).",
                f"The last day ({date_text(choice.last, 'en')}) is before the first "
                f"({date_text(choice.first, 'en')}).")})
        period = ReportPeriod(choice.first, choice.last)
    else:
        raise ValueError(f"unknown period kind {choice.kind!r}")
    check_not_future(period, today)
    return period


def office_today(now: datetime, tz: str) -> date:
    return as_utc(now).astimezone(zone(tz)).date()


def compute(store: Store, ctx: ServiceContext, office_id: str, choice: PeriodChoice, unit_id: str | None,
            lang: str, kept: KeptAssessment | None = None) -> DashboardData:
    """The dashboard for ``choice`` (checked here, against the office's date by the server's clock) and one unit (or
    the whole office when None), from the ``kept`` assessment of the office when it has one for the period (else the
    period's complaints are read and assessed for this answer alone; :func:`keep` then keeps one).
    Database thread."""
    with store.read() as session:
        now = server_now(session, ctx.clock())
        tz = ctx.office_tz(session, office_id)
        period = parse_period(choice, office_today(now, tz))
        assessed = None if kept is None else kept.assessed(session, office_id, period, unit_id, build=False)
        if assessed is None:
            assessed = store_facts.assess_office(session, office_id, period)
            if unit_id is not None:
                assessed = breakdowns.only(assessed, lambda f: f.unit_id == unit_id)
        unit_rows = session.execute(select(Unit.id, Unit.name).where(Unit.office_id == office_id))
        units = {uid: name for uid, name in unit_rows}
        categories = {c.id: category_label(c, lang) for c in session.execute(select(Category)).scalars()}
        report, groups, monthly = _figures(assessed, period, now)
        village_names = _region_names(session, [g.key for g in groups["village"] if g.key])
    none = {"id": "(tanpa {})", "en": "(no {})"}.get(lang, "(no {})")
    channel_names = {c.value: label(c, lang) for c in Channel}
    names: dict[str, tuple[dict[str, str], str]] = {
        "category": (categories, none.format("kategori" if lang == "id" else "category")),
        "channel": (channel_names, none.format("kanal" if lang == "id" else "channel")),
        "district": ({}, none.format("lokasi" if lang == "id" else "location")),
        "village": (village_names, none.format("lokasi" if lang == "id" else "location")),
        "unit": (units, none.format("unit" if lang == "id" else "unit")),
    }
    tables = tuple(_groups(key, groups[key], *names[key]) for key in _KEYS)
    return DashboardData(period, unit_id, units.get(unit_id, "") if unit_id else "", tz, report,
                         _monthly(monthly, lang), tables)


# The breakdowns beside the monthly one, in the order of their tabs (app.kpi's own keys: an index remembers their
# groups, so a kept assessment answers the next period with slices).
_KEYS = {"category": breakdowns.CATEGORY, "channel": breakdowns.CHANNEL, "district": breakdowns.region(DISTRICT),
         "village": breakdowns.region(VILLAGE), "unit": breakdowns.UNIT}


_Figures = tuple[KpiReport, dict[str, tuple[Group, ...]], tuple[tuple[ReportPeriod, tuple[Group, ...]], ...]]


def _figures(assessed: Assessed, period: ReportPeriod, now: datetime) -> _Figures:
    return (definitions.kpi_report(assessed, period, now), breakdowns.several(assessed, period, now, _KEYS),
            breakdowns.per_month(assessed, period, now))


def keep(store: Store, ctx: ServiceContext, office_id: str, period: ReportPeriod, kept: KeptAssessment) -> None:
    """Once figures are on screen: the office assessed and kept if they were read for their period alone, then, on
    this (database) thread, the work the next period chosen would otherwise wait for: one look at ``period``'s
    figures, so the index remembers the groups of every breakdown (about half a second on the bench store), and the
    cyclic garbage collector paused meanwhile (a million new objects: not pass after pass over them). The collection
    itself runs on the GUI thread (ui.collector: never on this one, where it could destroy Qt objects)."""
    with bulk_build():  # the collector paused throughout, then one full pass, not a pass after each step
        if not kept.prepare(store, office_id, period):
            return
        with store.read() as session:
            assessed = kept.assessed(session, office_id, period)
            now = server_now(session, ctx.clock())
        assert assessed is not None
        _figures(assessed, period, now)


def month_name(day: date, lang: str) -> str:
    """"Okt 2026" (Indonesian) or "Oct 2026"."""
    return month_text(day, lang, short=True)


def _region_names(session: Session, codes: list[str]) -> dict[str, str]:
    """The stored names of these regions (one query); a code the table does not hold is its own name."""
    found: dict[str, str] = {}
    for i in range(0, len(codes), 500):
        chunk = codes[i:i + 500]
        found.update((code, name) for code, name in session.execute(
            select(Region.code, Region.name).where(Region.code.in_(chunk))))
    return {code: found.get(code, code) for code in codes}


def _groups(key: str, groups: tuple[Group, ...], names: dict[str, str], missing: str) -> Breakdown:
    rows = []
    for g in groups:
        name = missing if g.key is None else names.get(g.key) or region_name(g.key) or g.key
        figures = (g.received, g.completed, g.overdue_now)
        rows.append(Row(g.key, name, tuple(c.value for c in figures), tuple(c.ids for c in figures)))
    return Breakdown(key, GROUP_COLUMNS, tuple(rows))


def _monthly(months: tuple[tuple[ReportPeriod, tuple[Group, ...]], ...], lang: str) -> Breakdown:
    """Rows per month, a column per status the received complaints have now (in the workflow's order)."""
    present = {g.key for _, groups in months for g in groups if g.received.value}
    statuses = tuple(s.value for s in Status if s.value in present)
    rows = []
    for month, groups in months:
        by = {g.key: g.received for g in groups}
        counts = [by.get(s) for s in statuses]
        rows.append(Row(month.label, month_name(month.first_day, lang), tuple(c.value if c else 0 for c in counts),
                        tuple(c.ids if c else () for c in counts)))
    return Breakdown("monthly", statuses, tuple(rows))
