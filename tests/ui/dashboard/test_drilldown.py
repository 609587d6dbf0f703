"""The complaint list narrowed to a dashboard figure's ids (``ComplaintListWidget.open_drilldown``): exactly those
complaints, once each, the figure's title beside the count, until a view is chosen; the dashboard's signal carries
what the list needs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from app.domain import Role
from tests.ui.dashboard.conftest import March
from ui.complaints import ComplaintListWidget, fetch
from ui.dashboard import DashboardWidget
from ui.dashboard.compute import MONTH, PeriodChoice
from ui.workspace import Workspace


@pytest.fixture
def pimpinan(make_workspace: Callable[..., Workspace]) -> Workspace:
    return make_workspace(Role.PIMPINAN)


def test_the_list_shows_a_figures_ids(march: March, pimpinan: Workspace, qtbot: QtBot,
                                      qtmodeltester: object) -> None:
    dashboard = DashboardWidget(pimpinan, autoload=False)
    complaints = ComplaintListWidget(pimpinan)
    qtbot.addWidget(dashboard)
    qtbot.addWidget(complaints)
    dashboard.drilldown_requested.connect(lambda title, ids: complaints.open_drilldown(ids, title))
    dashboard.set_period(PeriodChoice(MONTH, "2026-03"))
    overdue = dashboard.tiles["overdue_now"].figure.ids
    assert len(overdue) == 4
    dashboard.tiles["overdue_now"].activated.emit("overdue_now")
    assert set(complaints.model.ids) == set(overdue) and len(complaints.model.ids) == len(set(overdue))
    assert complaints.drilldown is not None
    assert complaints.count_label.text().startswith("Overdue now — Mar 2026 · ")
    qtmodeltester.check(complaints.model)  # type: ignore[attr-defined]
    complaints.set_view("all")
    assert complaints.drilldown is None
    assert set(complaints.model.ids) == set(march.received) | {march.spam}


def test_repeated_ids_are_shown_once_and_an_empty_figure_shows_nothing(march: March, pimpinan: Workspace,
                                                                       qtbot: QtBot) -> None:
    complaints = ComplaintListWidget(pimpinan)
    qtbot.addWidget(complaints)
    a, b = march.received[:2]
    complaints.open_drilldown([a, b, a], "Dua laporan")
    assert sorted(complaints.model.ids) == sorted([a, b])
    complaints.open_drilldown([], "Tidak ada")
    assert complaints.model.ids == ()
    complaints.reset_filters()
    inbox = ComplaintListWidget(pimpinan)
    qtbot.addWidget(inbox)
    assert complaints.drilldown is None and complaints.model.ids == inbox.model.ids  # the view again


def test_more_ids_than_sqlite_takes_give_the_same_list(march: March, pimpinan: Workspace, qtbot: QtBot,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    complaints = ComplaintListWidget(pimpinan)
    qtbot.addWidget(complaints)
    wanted = march.received[1:4]
    complaints.open_drilldown(wanted, "SQL")
    in_sql = complaints.model.ids
    monkeypatch.setattr(fetch, "MAX_SQL_IDS", 2)
    complaints.open_drilldown(wanted, "Python")
    assert complaints.model.ids == in_sql and set(in_sql) == set(wanted)
