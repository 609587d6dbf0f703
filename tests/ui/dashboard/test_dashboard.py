"""The dashboard shows app.kpi's figures for the chosen period and unit, drills down to the ids behind each, says
when a period is empty, and refuses a malformed or future period with a message."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCharts import QAbstractBarSeries
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain import Role
from app.kpi import breakdowns, definitions, store_facts
from app.kpi.definitions import KpiReport
from app.kpi.period import ReportPeriod
from tests.ui.dashboard.conftest import AS_OF, March
from ui.dashboard import DashboardWidget
from ui.dashboard.compute import CUSTOM, MONTH, QUARTER, YEAR, PeriodChoice
from ui.dashboard.table_model import IDS_ROLE
from ui.workspace import Workspace

MARCH = PeriodChoice(MONTH, "2026-03")


def kpi_of(march: March, period: ReportPeriod, unit_id: str | None = None) -> KpiReport:
    world = march.world
    with world.store.read() as session:
        assessed = store_facts.assess_office(session, world.office_id, period)
    if unit_id is not None:
        assessed = breakdowns.only(assessed, lambda f: f.unit_id == unit_id)
    return definitions.kpi_report(assessed, period, AS_OF)


@pytest.fixture
def dashboard(march: March, make_workspace: Callable[..., Workspace], qtbot: QtBot) -> DashboardWidget:
    w = DashboardWidget(make_workspace(Role.PIMPINAN), autoload=False)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.set_period(MARCH)
    return w


def test_tiles_show_the_kpi_figures(dashboard: DashboardWidget, march: March) -> None:
    report = kpi_of(march, ReportPeriod.month(2026, 3))
    tiles = {k: t.figure for k, t in dashboard.tiles.items()}
    assert dashboard.error == ""
    assert tiles["received"].value == str(report.received.value) == "5"
    assert tiles["received"].ids == report.received.ids
    assert "1 spam" in tiles["received"].detail
    for key in ("verified_on_time", "followed_up_on_time", "resolved_on_time", "satisfaction"):
        rate = getattr(report, key)
        figure = tiles[key]
        assert figure.value == f"{rate.percent:.1f} %".replace(".", ",")
        assert f"{rate.numerator} of {rate.denominator}" in figure.detail
        assert figure.ids == rate.met_ids + rate.missed_ids
    assert tiles["verified_on_time"].value == "40,0 %"  # 2 of 5: one verified late, two never verified
    assert tiles["verified_on_time"].met is False and "✗" in tiles["verified_on_time"].target
    assert tiles["satisfaction"].target == ""  # no roadmap target for satisfaction
    assert tiles["completed"].value == str(report.completed.value) == "1"
    assert tiles["overdue_now"].value == str(report.overdue_now.value)
    assert tiles["overdue_now"].ids == report.overdue_now.ids
    assert tiles["median_days_to_follow_up"].value == "1,0 days"
    assert tiles["reporter_responses"].ids == report.reporter_responses.ids
    assert dashboard.tiles["received"].value_label.text() == "5"


def test_a_tile_drills_down_to_its_ids(dashboard: DashboardWidget, march: March, qtbot: QtBot) -> None:
    report = kpi_of(march, ReportPeriod.month(2026, 3))
    tile = dashboard.tiles["overdue_now"]
    with qtbot.wait_signal(dashboard.drilldown_requested) as got:
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    title, ids = got.args
    assert ids == list(report.overdue_now.ids) and len(ids) == 4
    assert "Overdue now" in title and "Mar 2026" in title
    tile = dashboard.tiles["verified_on_time"]
    tile.setFocus()
    with qtbot.wait_signal(dashboard.drilldown_requested) as got:
        qtbot.keyClick(tile, Qt.Key.Key_Return)
    assert got.args[1] == list(report.verified_on_time.met_ids + report.verified_on_time.missed_ids)


def test_a_bar_and_a_table_row_drill_down(dashboard: DashboardWidget, march: March, qtbot: QtBot) -> None:
    period = ReportPeriod.month(2026, 3)
    with march.world.store.read() as session:
        assessed = store_facts.assess_office(session, march.world.office_id, period)
    units = {g.key: g for g in breakdowns.by_unit(assessed, period, AS_OF)}
    pu = units[march.world.units["Dinas Pekerjaan Umum"]]
    pane = dashboard.panes["unit"]
    names = pane.chart.categories
    overdue_set = pane.chart.sets[2]
    with qtbot.wait_signal(dashboard.drilldown_requested) as got:
        overdue_set.clicked.emit(names.index("Dinas Pekerjaan Umum"))
    assert got.args[1] == list(pu.overdue_now.ids)
    assert "Dinas Pekerjaan Umum" in got.args[0]
    dashboard.tabs.setCurrentWidget(pane)
    dashboard.show()
    qtbot.wait_exposed(dashboard)
    row = next(r for r in range(pane.model.rowCount()) if pane.model.row_at(r).name == "Dinas Pekerjaan Umum")
    index = pane.model.index(row, 1)  # the received column
    assert pane.model.data(index, IDS_ROLE) == list(pu.received.ids)
    with qtbot.wait_signal(dashboard.drilldown_requested) as got:
        pane.table.activated.emit(index)
    assert got.args[1] == list(pu.received.ids)


def test_charts_have_labels_patterns_and_a_table(dashboard: DashboardWidget) -> None:
    for key, pane in dashboard.panes.items():
        chart = pane.chart.chart()
        assert chart.title(), key
        series = chart.series()
        assert len(series) == 1, key
        bars: QAbstractBarSeries = series[0]
        assert bars.isLabelsVisible()
        styles = [s.brush().style() for s in bars.barSets()]
        assert len(set(styles)) == len(styles), "every set has its own pattern"
        assert all(s.label() for s in bars.barSets())
        assert chart.legend().isVisible()
        assert pane.model.rowCount() > 0 and pane.table.model() is pane.model
    monthly = dashboard.panes["monthly"].model
    assert monthly.data(monthly.index(0, 0)) == "Mar 2026"


def test_one_unit(dashboard: DashboardWidget, march: March) -> None:
    health = march.world.units["Dinas Kesehatan"]
    dashboard.set_period(MARCH, health)
    report = kpi_of(march, ReportPeriod.month(2026, 3), health)
    assert dashboard.tiles["received"].figure.ids == report.received.ids
    assert dashboard.tiles["received"].value_label.text() == "1"
    assert "Dinas Kesehatan" in dashboard.scope_label.text()


def test_an_empty_month_shows_zeros_and_says_so(dashboard: DashboardWidget) -> None:
    dashboard.set_period(PeriodChoice(MONTH, "2026-01"))
    assert dashboard.error == ""
    assert dashboard.message.isVisibleTo(dashboard)
    assert "no complaints in this period" in dashboard.message.text()
    assert dashboard.tiles["received"].value_label.text() == "0"
    assert dashboard.tiles["verified_on_time"].value_label.text() == "0,0 %"
    assert "no data" in dashboard.tiles["verified_on_time"].figure.detail
    assert dashboard.tiles["verified_on_time"].figure.met is None
    for pane in dashboard.panes.values():
        assert "no complaints in this period" in pane.chart.chart().title()
        assert not pane.chart.chart().series()


@pytest.mark.parametrize(("choice", "words"), [
    (PeriodChoice(MONTH, "2026-13"), "Bulan tidak valid"),
    (PeriodChoice(MONTH, "Maret"), "Bulan tidak valid"),
    (PeriodChoice(MONTH, "2026-05"), "belum dimulai"),
    (PeriodChoice(QUARTER, "2026-Q5"), "Periode tidak valid"),
    (PeriodChoice(QUARTER, "2026-Q3"), "belum dimulai"),
    (PeriodChoice(YEAR, "20x6"), "Periode tidak valid"),
    (PeriodChoice(YEAR, "2027"), "belum dimulai"),
])
def test_a_malformed_or_future_period_is_refused(dashboard: DashboardWidget, choice: PeriodChoice,
                                                 words: str) -> None:
    dashboard.set_period(choice)
    assert words in dashboard.error
    assert words in dashboard.message.text() and dashboard.message.text().startswith("⚠")
    assert dashboard.data is not None and dashboard.data.period == ReportPeriod.month(2026, 3)  # the last good one


def test_a_custom_range_ending_before_it_starts_is_refused(dashboard: DashboardWidget) -> None:
    from datetime import date

    dashboard.set_period(PeriodChoice(CUSTOM, first=date(2026, 3, 20), last=date(2026, 3, 1)))
    assert "sebelum tanggal awal" in dashboard.error


def test_quarter_year_and_range_agree_with_the_kpi(dashboard: DashboardWidget, march: March) -> None:
    from datetime import date

    for choice, period in ((PeriodChoice(QUARTER, "2026-Q1"), ReportPeriod(date(2026, 1, 1), date(2026, 3, 31))),
                           (PeriodChoice(YEAR, "2026"), ReportPeriod.year(2026)),
                           (PeriodChoice(CUSTOM, first=date(2026, 3, 1), last=date(2026, 3, 15)),
                            ReportPeriod(date(2026, 3, 1), date(2026, 3, 15)))):
        dashboard.set_period(choice)
        report = kpi_of(march, period)
        assert dashboard.error == ""
        assert dashboard.tiles["received"].figure.ids == report.received.ids
        assert dashboard.tiles["resolved_on_time"].figure.ids == (report.resolved_on_time.met_ids
                                                                  + report.resolved_on_time.missed_ids)
        months = dashboard.panes["monthly"].model.rowCount()
        assert months == len(period.months())  # a row per month: 3 for the quarter, 12 for the year
        assert ("not ended yet" in dashboard.message.text()) == (period.last_day >= AS_OF.date())


def test_the_figures_are_computed_off_the_gui_thread(march: March, make_workspace: Callable[..., Workspace],
                                                     qtbot: QtBot) -> None:
    w = DashboardWidget(make_workspace(Role.PIMPINAN, synchronous=False), autoload=False)
    qtbot.addWidget(w)
    w.period_bar.set_choice(MARCH)
    with qtbot.wait_signal(w.computed, timeout=10_000):
        w.refresh()
    assert w.tiles["received"].value_label.text() == "5"


def test_the_table_model(dashboard: DashboardWidget, qtmodeltester: object) -> None:
    for pane in dashboard.panes.values():
        qtmodeltester.check(pane.model)  # type: ignore[attr-defined]


def test_another_unit_reuses_the_assessment_and_a_change_is_shown(dashboard: DashboardWidget, march: March) -> None:
    from app.domain import ArchiveReason
    from app.services.workflow_actions import archive

    assert len(dashboard.cache) == 1
    dashboard.set_period(MARCH, march.world.units["Dinas Kesehatan"])
    dashboard.set_period(MARCH, None)
    assert len(dashboard.cache) == 1  # one period, one assessment, three answers
    never_touched = march.received[3]
    archive(march.world.ctx, march.world.users[Role.ADMIN_INSTANSI], never_touched,
            reason_code=ArchiveReason.SPAM)
    dashboard._ws.hub.complaints_changed.emit([never_touched])
    assert len(dashboard.cache) == 0
    dashboard.refresh()
    report = kpi_of(march, ReportPeriod.month(2026, 3))
    assert report.received.value == 4 and never_touched not in report.received.ids
    assert dashboard.tiles["received"].figure.ids == report.received.ids
    assert "2 spam" in dashboard.tiles["received"].figure.detail
