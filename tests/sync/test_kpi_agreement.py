"""The desktop's and the server's KPI figures agree for the same data: an office's PC works through the March 2026
stories of test_kpi_scenarios with its clock at those days (postponements, a late verification, the unit's
clarification, the reporter not satisfied, spam, a supervisory complaint, an information request), pushes them through
the real sync to a real ``lapor-server`` (SQLite and PostgreSQL), and the national admin re-routes one of its
complaints to another office. The figures each side computes from its own tables (app.kpi.store_facts on the PCs,
server.kpi_facts on the server, the same app.kpi definitions, each side's own policy and holiday calendar) are equal,
and equal to the hand-computed ones of test_kpi_definitions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from app.kpi.assess import assess
from app.kpi.definitions import KpiReport, kpi_report
from app.kpi.period import ReportPeriod
from app.kpi.store_facts import assess_office as pc_assess
from app.timeutil import utcnow, zone
from server import admin
from server.kpi_facts import assess_office as server_assess
from tests.app.test_kpi_scenarios import AS_OF, HEALTH, MARCH, PU, Story, rules, wib
from tests.app.test_kpi_store_facts import named, replay
from tests.helpers.world import FakeClock
from tests.sync.conftest import BACKENDS, new_server
from tests.sync.fleet import PC, UNITS, Fleet, Office
from tests.sync.serverproc import ServerProcess

PERIODS = (ReportPeriod.month(2026, 3), ReportPeriod.month(2026, 4), ReportPeriod.year(2026))


@pytest.fixture(params=BACKENDS)
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of this test's own, with the holiday calendar imported (``lapor-server admin import-reference``) for
    the years the PCs' bundled calendar covers: a server without one would count holidays as working days, and its
    figures would rightly differ."""
    proc = new_server(request, request.param, tmp_path / "server").start()
    year = utcnow().year
    with proc.db.transaction() as s:
        admin.import_reference(s, categories_json=None, policy_json=None, holiday_years=range(year - 2, year + 3))
    yield proc
    proc.stop()
    proc.close_db()


def _both(pc: PC, office: Office, period: ReportPeriod, as_of: datetime) -> tuple[KpiReport, KpiReport]:
    with pc.store.read() as s:
        on_pc = kpi_report(pc_assess(s, office.id, period), period, as_of)
    with office.server.db.transaction() as s:
        on_server = kpi_report(server_assess(s, office.id, period), period, as_of)
    return on_pc, on_server


def test_pc_and_server_compute_the_same_figures(fleet: Fleet) -> None:
    sleman, badung = fleet.office(), fleet.office(tz="WITA")
    clock = FakeClock(wib(2, 1))
    pc = fleet.pc(sleman, clock=clock)
    units = {PU: sleman.units[UNITS[0]], HEALTH: sleman.units[UNITS[1]]}
    stories = [s for s in MARCH if not s.before_arrival]  # E's routing is the national admin's, in real time below
    moving = Story("X", wib(3, 3), [("REDIRECTED", wib(3, 4, 10))])  # bukan wewenang: re-routed to Badung below

    def set_clock(at: datetime) -> None:
        clock.now = at

    ids = replay([*stories, moving], pc.ctx, set_clock, sleman.counter, sleman.admin, units,
                 routed=lambda *_: pytest.fail("no routing on the PC"))
    pc.sync_until_quiet()
    pc.assert_converged()

    names = {cid: name for name, cid in ids.items()}
    expected = assess([s.facts() for s in [*stories, moving]], rules())
    for period in PERIODS:
        on_pc, on_server = _both(pc, sleman, period, AS_OF)
        assert on_pc == on_server, period.label
        assert named(on_pc, names) == named(kpi_report(expected, period, AS_OF), {n: n for n in names.values()})
    march_before = _both(pc, sleman, PERIODS[0], AS_OF)[0]
    assert march_before.verified_on_time.met_ids.count(ids["X"]) == 1  # its redirect was Sleman's decision

    # The national admin re-routes X to Badung; Badung's PC takes it on (now, by the real clock).
    badung.route_here(ids["X"], note="Kewenangan Kabupaten lain")
    pc.sync_until_quiet()
    assert ids["X"] not in pc.complaint_ids()
    other = fleet.pc(badung)
    other.dispose(ids["X"], unit=badung.units[UNITS[0]])
    other.sync_until_quiet()
    other.assert_converged()
    pc.assert_converged()

    as_of = utcnow() + timedelta(minutes=1)
    for period in (*PERIODS, ReportPeriod.month(as_of.year, as_of.month)):
        sleman_pc, sleman_server = _both(pc, sleman, period, as_of)
        badung_pc, badung_server = _both(other, badung, period, as_of)
        assert sleman_pc == sleman_server, period.label
        assert badung_pc == badung_server, period.label
        assert ids["X"] not in sleman_pc.received.ids and ids["X"] not in sleman_pc.verified_on_time.met_ids
    # From 2026 to Badung's today (in WITA): holds the re-routing whatever the day and hour the test runs.
    up_to_now = ReportPeriod(date(2026, 1, 1), as_of.astimezone(zone("WITA")).date())
    badung_now, badung_now_server = _both(other, badung, up_to_now, as_of)
    assert badung_now == badung_now_server
    assert badung_now.received.ids == (ids["X"],)  # arrived at Badung now, received in March
    assert badung_now.verified_on_time.met_ids == (ids["X"],)  # disposed within minutes of its arrival
    assert badung_now.median_days_to_verification.value == 0.0
    # Not vacuous: both sides saw the same, non-trivial March.
    sleman_march = _both(pc, sleman, PERIODS[0], as_of)[0]
    assert sleman_march.verified_on_time.denominator == 6 and sleman_march.followed_up_on_time.denominator == 3
