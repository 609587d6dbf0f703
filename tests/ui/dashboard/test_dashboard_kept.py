"""The office's assessment the dashboard keeps (ui.dashboard.kept): a period's figures from it are those of reading
that period alone, on any history (hypothesis) and on a real store; after the complaints announced as changed are
read again it gives the figures of a fresh one; many or unknown changes, new rules and an earlier period read the
office again; and an answer computed before a change was announced is never shown. Also: a chart of the same shape
keeps its bars, a hidden table fits its columns when its tab is shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from app.domain import OPEN_STATUSES, ArchiveReason, Channel, Role
from app.kpi import breakdowns, definitions
from app.kpi.assess import assess
from app.kpi.breakdowns import DISTRICT, VILLAGE
from app.kpi.facts import STATUS_EVENT_KINDS, selection_window
from app.kpi.period import ReportPeriod
from app.models import Holiday
from app.services.workflow_actions import archive, dispose, follow_up, record_response
from tests.app.test_kpi_properties import RULES, offices
from tests.app.test_kpi_scenarios import Story
from tests.ui.dashboard.conftest import AS_OF, March, _take_in
from ui.dashboard import DashboardWidget
from ui.dashboard.charts import BreakdownChart
from ui.dashboard.compute import MONTH, QUARTER, YEAR, Breakdown, DashboardData, PeriodChoice, Row, compute
from ui.dashboard.kept import KeptAssessment, received_before
from ui.workspace import Workspace

MARCH = PeriodChoice(MONTH, "2026-03")


# ---- any history: what the kept assessment gives a period is what reading the period alone gives ---------------


def _read_for(office: list[Story], period: ReportPeriod) -> list[Story]:
    """The complaints app.kpi.store_facts reads for ``period`` (its SQL, over the stories' rows and events)."""
    start, end = period.bounds(RULES.tz)
    window = selection_window(start, end, RULES.policy)
    picked = []
    for story in office:
        row, events = story.replay()
        if row.received_at < window.received_until and (
                row.received_at >= window.since or row.status in OPEN_STATUSES
                or any(at >= window.since and kind in STATUS_EVENT_KINDS for at, _, kind, _ in events)):
            picked.append(story)
    return picked


def _figures(assessed: Any, period: ReportPeriod, as_of: datetime) -> tuple[object, ...]:
    args = (assessed, period, as_of)
    return (definitions.kpi_report(*args), breakdowns.by_unit(*args), breakdowns.by_status(*args),
            breakdowns.by_region(*args, level=DISTRICT), breakdowns.by_region(*args, level=VILLAGE),
            breakdowns.per_month(*args))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offices(), st.integers(0, 460), st.integers(0, 400), st.integers(0, 600 * 24))
def test_a_kept_assessment_gives_each_period_the_figures_of_reading_it_alone(
        office: list[Story], first: int, days: int, hours: int) -> None:
    """Kept: every complaint, assessed once; read alone: the period's selection (received by its end; received,
    open or touched within the look-back). The extra complaints count for none of the period's figures, except an
    open one received after the period, which ``received_before`` takes out of *overdue now*. For figures as of an
    instant the period has begun by, as the dashboard asks (a period not begun yet is refused): as of earlier, a
    deadline of long before would be pending (not known yet) then."""
    period = ReportPeriod(date(2025, 11, 1) + timedelta(days=first), date(2025, 11, 1) + timedelta(days=first + days))
    start, end = period.bounds(RULES.tz)
    as_of = start + timedelta(hours=hours)
    kept = assess([s.facts() for s in office], RULES)
    alone = assess([s.facts() for s in _read_for(office, period)], RULES)
    assert _figures(received_before(kept, end), period, as_of) == _figures(alone, period, as_of)
    unit = breakdowns.only(received_before(kept, end), lambda f: f.unit_id == "u1")
    assert _figures(unit, period, as_of) == _figures(breakdowns.only(alone, lambda f: f.unit_id == "u1"), period,
                                                     as_of)


# ---- a real store ------------------------------------------------------------------------------------------------

CHOICES = (MARCH, PeriodChoice(MONTH, "2026-04"), PeriodChoice(QUARTER, "2026-Q1"), PeriodChoice(YEAR, "2026"))


def _answer(march: March, kept: KeptAssessment | None, choice: PeriodChoice, unit: str | None = None
            ) -> DashboardData:
    """As the dashboard asks: the figures, then the office assessed if they were read for their period alone; the
    figures from the kept assessment are those."""
    world = march.world
    first = compute(world.store, world.ctx, world.office_id, choice, unit, "id", kept)
    if kept is not None:
        kept.prepare(world.store, world.office_id, first.period)
        assert compute(world.store, world.ctx, world.office_id, choice, unit, "id", kept) == first
    return first


def _answers(march: March, kept: KeptAssessment | None, units: tuple[str | None, ...] = (None,)
             ) -> list[DashboardData]:
    return [_answer(march, kept, choice, unit) for choice in CHOICES for unit in units]


def test_the_kept_assessment_refreshed_after_changes_gives_the_figures_of_a_fresh_one(march: March) -> None:
    world = march.world
    admin, liaison = world.users[Role.ADMIN_INSTANSI], world.users[Role.PENGHUBUNG]
    pu, health = world.units["Dinas Pekerjaan Umum"], world.units["Dinas Kesehatan"]
    units = (None, pu, health)
    kept = KeptAssessment()
    before = _answers(march, kept, units)
    assert before == _answers(march, None, units) and kept.builds == 1 and len(kept) == 1
    a, b, c, d, e = march.received
    world.clock.now = datetime(2026, 4, 6, 2, 0, tzinfo=UTC)
    dispose(world.ctx, admin, d, unit_id=health)  # late: the never touched one, to another unit
    follow_up(world.ctx, liaison, b, text="Sudah ditangani oleh petugas di lapangan.")
    record_response(world.ctx, admin, b, satisfied=False, text="Belum selesai")
    archive(world.ctx, admin, e, reason_code=ArchiveReason.DUPLIKAT)
    new = _take_in(world, "Trotoar rusak di Jalan Affandi", Channel.PHONE, "34.04.07")
    world.clock.now = AS_OF
    kept.changed([d, b, e])
    kept.changed([new])
    assert len(kept) == 0  # changes announced, not read yet
    after = _answers(march, kept, units)
    assert kept.builds == 1 and len(kept) == 1  # read again: only what changed
    assert after == _answers(march, None, units) == _answers(march, KeptAssessment(), units)
    assert after != before  # not vacuous: the changes show
    april = after[len(units)]
    assert new in april.report.received.ids and e not in after[0].report.received.ids
    assert d in next(r for r in next(b for b in after[0].breakdowns if b.key == "unit").rows if r.key == health).ids[0]


def test_many_changes_new_rules_or_an_earlier_period_read_the_office_again(march: March) -> None:
    world = march.world
    kept = KeptAssessment()
    _answers(march, kept)
    kept.changed([])  # many or unknown (a sync pull)
    assert len(kept) == 0
    assert _answers(march, kept) == _answers(march, None)
    assert kept.builds == 2
    with world.store.transaction() as s:  # a new holiday, not announced: the deadlines move all the same
        s.add(Holiday(day=date(2026, 3, 4), name="Libur uji", kind="NATIONAL"))
    assert _answers(march, kept) == _answers(march, None)
    assert kept.builds == 3
    old = PeriodChoice(YEAR, "2023")
    assert _answer(march, kept, old) == _answer(march, None, old)
    assert kept.builds == 4  # 2023 lies before what was kept (from 2025 on): read again from further back
    _answers(march, kept)
    assert kept.builds == 4


# ---- the widget --------------------------------------------------------------------------------------------------


def test_the_first_figures_are_read_for_their_period_the_office_is_assessed_after(
        march: March, make_workspace: Callable[..., Workspace], qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dashboard import compute as computing

    reads: list[ReportPeriod] = []
    alone = computing.store_facts.assess_office
    monkeypatch.setattr(computing.store_facts, "assess_office",
                        lambda session, office_id, period: reads.append(period) or alone(session, office_id, period))
    w = DashboardWidget(make_workspace(Role.PIMPINAN), autoload=False)
    qtbot.addWidget(w)
    w.set_period(MARCH)
    assert reads == [ReportPeriod.month(2026, 3)] and w.cache.builds == 1 and len(w.cache) == 1
    w.set_period(PeriodChoice(QUARTER, "2026-Q1"), march.world.units["Dinas Kesehatan"])
    w.set_period(PeriodChoice(YEAR, "2026"))
    assert len(reads) == 1 and w.cache.builds == 1  # looked up in the kept assessment
    assert w.tiles["received"].value_label.text() == "5"



@pytest.fixture
def dashboard(march: March, make_workspace: Callable[..., Workspace], qtbot: QtBot) -> DashboardWidget:
    w = DashboardWidget(make_workspace(Role.PIMPINAN), autoload=False)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.set_period(MARCH)
    return w


def test_an_answer_computed_before_a_change_was_announced_is_never_shown(
        dashboard: DashboardWidget, march: March, monkeypatch: pytest.MonkeyPatch) -> None:
    """The figures asked for just before a change: computed after the change was written but before the kept
    assessment heard of it, delivered after it was announced. Not shown; the next figures have the change."""
    world = march.world
    ws = dashboard._ws
    never_touched = march.received[3]
    held: list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = []
    with monkeypatch.context() as m:
        m.setattr(ws.tasks, "db", lambda fn, *args, **kwargs: held.append((fn, args, kwargs)))
        dashboard.refresh()
    (fn, args, kwargs), = held
    archive(world.ctx, world.users[Role.ADMIN_INSTANSI], never_touched, reason_code=ArchiveReason.SPAM)
    stale = fn(*args)  # on the database thread, before the change notice reached it
    assert never_touched in stale.report.received.ids
    ws.hub.complaints_changed.emit([never_touched])
    shown = dashboard.data
    kwargs["on_success"](stale)
    assert dashboard.data is shown  # dropped
    dashboard.refresh()
    assert dashboard.data is not None and never_touched not in dashboard.data.report.received.ids
    assert dashboard.tiles["received"].value_label.text() == "4"


def test_a_hidden_table_fits_its_columns_when_its_tab_is_shown(dashboard: DashboardWidget) -> None:
    shown, hidden = dashboard.panes["monthly"], dashboard.panes["unit"]
    assert dashboard.tabs.currentWidget() is shown and not shown.fit_pending
    assert hidden.fit_pending
    dashboard.tabs.setCurrentWidget(hidden)
    assert not hidden.fit_pending


def _breakdown(values: list[tuple[str, int, int, int]]) -> Breakdown:
    return Breakdown("unit", ("r", "c", "o"), tuple(
        Row(name, name, (r, c, o), ((f"{name}-r",) * r, (f"{name}-c",) * c, (f"{name}-o",) * o))
        for name, r, c, o in values))


def test_a_chart_of_the_same_shape_keeps_its_bars_and_shows_the_new_figures(qtbot: QtBot) -> None:
    chart = BreakdownChart("id")
    qtbot.addWidget(chart)
    titles = ("Diterima", "Selesai", "Terlambat")
    chart.show_breakdown(_breakdown([("A", 5, 1, 0), ("B", 3, 2, 1)]), titles, "Unit", "kosong")
    sets = list(chart.sets)
    chart.show_breakdown(_breakdown([("C", 7, 0, 2), ("A", 4, 4, 0)]), titles, "Unit", "kosong")
    assert chart.sets == sets  # the same bars, new values and names
    assert chart.categories == ["A", "C"]  # the biggest on top
    assert [sets[0].at(i) for i in range(2)] == [4.0, 7.0] and [sets[2].at(i) for i in range(2)] == [0.0, 2.0]
    with qtbot.wait_signal(chart.bar_clicked) as got:
        sets[2].clicked.emit(1)
    assert got.args == ["Terlambat", "C", ["C-o", "C-o"]]
    chart.show_breakdown(_breakdown([("A", 1, 0, 0), ("B", 1, 0, 0), ("C", 1, 0, 0)]), titles, "Unit", "kosong")
    assert chart.categories == ["C", "B", "A"] and len(chart.sets) == 3 and chart.sets[0].count() == 3
    chart.show_breakdown(_breakdown([("A", 0, 0, 0)]), titles, "Unit", "kosong")
    assert chart.sets == [] and "kosong" in chart.chart().title() and not chart.chart().series()
