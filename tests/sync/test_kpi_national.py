"""The national comparison's figures, kept per office and day as pushes arrive (server.kpi_national), equal the
KPI definitions over the server's complaints (server.kpi_facts + app.kpi.definitions), on SQLite and PostgreSQL:
an office's PC works through the March 2026 stories of test_kpi_scenarios (holidays, postponements, a late
verification, spam, the reporter not satisfied), pushes them through the real sync, and the national admin re-routes
one complaint to another office; the figures kept as changes arrived equal those computed from scratch."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.kpi import marks as km
from app.kpi.definitions import kpi_report
from app.kpi.marks import Summary
from app.timeutil import utcnow, zone
from server import admin
from server import kpi_national as kn
from server import kpi_read as kr
from server.db import Database, make_engine, migrate
from server.kpi_facts import assess_office as server_assess
from server.models import Holiday, KpiComplaint, KpiDay, KpiDayDuration, KpiMonth
from tests.app.test_kpi_marks import as_summary, before_day
from tests.app.test_kpi_scenarios import HEALTH, MARCH, PU, Story, wib
from tests.app.test_kpi_store_facts import replay
from tests.helpers.world import FakeClock
from tests.sync.conftest import BACKENDS, new_server
from tests.sync.fleet import UNITS, Fleet, Office
from tests.sync.serverproc import ServerProcess

MONTHS = (202602, 202603, 202604, 202605)


@pytest.fixture(params=BACKENDS)
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of this test's own with the holiday calendar imported (as in test_kpi_agreement)."""
    proc = new_server(request, request.param, tmp_path / "server").start()
    year = utcnow().year
    with proc.db.transaction() as s:
        admin.import_reference(s, categories_json=None, policy_json=None, holiday_years=range(year - 2, year + 3))
    yield proc
    proc.stop()
    proc.close_db()


def _kept_figures(proc: ServerProcess, office: Office, month: int, cutoff: date, tz: str
                  ) -> tuple[Summary, Summary]:
    """(the kept daily rows' figures, the definitions' figures) of ``office`` for ``month`` counting the days
    before ``cutoff``. *Overdue now* is the complaints' state at the moment asked, which the definitions read over
    the complaints a period selects: it is compared where that is all of them (the current month)."""
    as_of = before_day(cutoff, tz)
    with proc.db.transaction() as s:
        span = kr.MonthSpan(month, month, cutoff)
        kept = kr.offices_for(s, span, kr.overdue_by_office(s, as_of, office.id), office_id=office.id)[0].summary
        period = kr.month_period(month)
        computed = as_summary(kpi_report(server_assess(s, office.id, period), period, as_of))
    return kept, computed


def _months_are_sums_of_days(proc: ServerProcess) -> bool:
    """The month rows, kept in the same statements as the day rows, are their sums."""
    with proc.db.transaction() as s:
        measures = [KpiDay.__table__.c[m] for m in km.MEASURES]
        by_day = {tuple(r[:4]): tuple(r[4:]) for r in s.execute(
            select(KpiDay.office_id, KpiDay.month, KpiDay.dim, KpiDay.key, *(func.sum(c) for c in measures))
            .group_by(KpiDay.office_id, KpiDay.month, KpiDay.dim, KpiDay.key)) if any(r[4:])}
        by_month = {tuple(r[:4]): tuple(r[4:]) for r in s.execute(
            select(KpiMonth.office_id, KpiMonth.month, KpiMonth.dim, KpiMonth.key,
                   *(KpiMonth.__table__.c[m] for m in km.MEASURES))) if any(r[4:])}
    assert by_day and by_month == by_day
    return True


def _rows(proc: ServerProcess) -> tuple[list[tuple[object, ...]], ...]:
    """Every kept row that says something (a row moved back to zero says nothing)."""
    with proc.db.transaction() as s:
        days = [tuple(r) for r in s.execute(select(KpiDay.__table__).order_by(
            KpiDay.office_id, KpiDay.day, KpiDay.dim, KpiDay.key)) if any(r[5:])]
        durations = [tuple(r) for r in s.execute(select(KpiDayDuration.__table__).order_by(
            KpiDayDuration.office_id, KpiDayDuration.day, KpiDayDuration.kind, KpiDayDuration.working_days)) if r[5]]
        complaints = [tuple(r) for r in s.execute(select(KpiComplaint.__table__).order_by(
            KpiComplaint.complaint_id))]
        months = [tuple(r) for r in s.execute(select(KpiMonth.__table__).order_by(
            KpiMonth.office_id, KpiMonth.month, KpiMonth.dim, KpiMonth.key)) if any(r[4:])]
    return days, durations, complaints, months


def test_figures_kept_as_pushes_arrive_equal_the_definitions(fleet: Fleet, server: ServerProcess) -> None:
    sleman, badung = fleet.office(), fleet.office(tz="WITA")
    clock = FakeClock(wib(2, 1))
    pc = fleet.pc(sleman, clock=clock)
    units = {PU: sleman.units[UNITS[0]], HEALTH: sleman.units[UNITS[1]]}
    stories = [s for s in MARCH if not s.before_arrival]
    moving = Story("X", wib(3, 3), [("REDIRECTED", wib(3, 4, 10))])

    def set_clock(at: datetime) -> None:
        clock.now = at

    ids = replay([*stories, moving], pc.ctx, set_clock, sleman.counter, sleman.admin, units,
                 routed=lambda *_: pytest.fail("no routing on the PC"))
    pc.sync_until_quiet()

    cutoffs = (kr.cutoff_day(utcnow()), date(2026, 3, 20), date(2026, 4, 2))
    for month in MONTHS:
        for cutoff in cutoffs:
            kept, computed = _kept_figures(server, sleman, month, cutoff, "Asia/Jakarta")
            assert replace(kept, overdue_now=0) == replace(computed, overdue_now=0), (month, cutoff)
    march, _ = _kept_figures(server, sleman, 202603, cutoffs[0], "Asia/Jakarta")
    assert march.verified_on_time.denominator == 7 and march.received == 7  # not vacuous: X still here

    # Re-routed to Badung (WITA) and taken on there: it leaves Sleman's figures and joins Badung's.
    badung.route_here(ids["X"], note="Kewenangan Kabupaten lain")
    pc.sync_until_quiet()
    other = fleet.pc(badung)
    other.dispose(ids["X"], unit=badung.units[UNITS[0]])
    other.sync_until_quiet()
    # X arrived at Badung today, Badung's today: from 16:00 UTC that is a day after WIB's (kr.cutoff_day), and at
    # the turn of a month a month after it. Counted up to the end of Badung's today, and in Badung's month.
    now = utcnow() + timedelta(minutes=1)
    badung_today = now.astimezone(zone("Asia/Makassar")).date()
    this_month = badung_today.year * 100 + badung_today.month
    tomorrow = badung_today + timedelta(days=1)
    for office, tz in ((sleman, "Asia/Jakarta"), (badung, "Asia/Makassar")):
        for month in MONTHS:
            kept, computed = _kept_figures(server, office, month, tomorrow, tz)
            assert replace(kept, overdue_now=0) == replace(computed, overdue_now=0), (office.id, month)
        kept, computed = _kept_figures(server, office, this_month, tomorrow, tz)
        assert kept == computed, office.id
    badung_now, _ = _kept_figures(server, badung, this_month, tomorrow, "Asia/Makassar")
    assert badung_now.received == 1 and badung_now.verified_on_time.numerator == 1

    # Kept as the pushes arrived == computed from scratch.
    before = _rows(server)
    assert _months_are_sums_of_days(server)
    with server.db.transaction() as s:
        kn.rebuild(s)
    assert _rows(server) == before
    assert before[0] and before[1] and before[2]


def test_a_month_with_no_complaints_is_zeros_that_say_so(server: ServerProcess) -> None:
    with server.db.transaction() as s:
        span = kr.MonthSpan(202601, 202601, date(2026, 12, 1))
        national = kr.national_for(s, span)
        assert national.no_data and national.received == 0 and national.verified_on_time.percent == 0.0
        assert not kn.rules_changed(s) and kn.is_built(s)


def test_a_change_of_the_rules_is_noticed_until_rebuilt(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    migrate(engine)
    db = Database(engine)
    try:
        with db.transaction() as s:
            assert not kn.rules_changed(s) and kn.is_built(s)
            s.add(Holiday(day=date(2026, 12, 24), name="Cuti bersama (contoh)", kind="cuti_bersama"))
        with db.transaction() as s:
            assert kn.rules_changed(s)
            kn.rebuild(s)
        with db.transaction() as s:
            assert not kn.rules_changed(s)
    finally:
        engine.dispose()
