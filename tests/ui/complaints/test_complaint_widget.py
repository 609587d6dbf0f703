"""ComplaintListWidget: views, filters, debounced search, tracking-code jump, refresh after changes (deferred
while hidden), remembered header, keyboard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot

from app.domain import Channel, DeadlineState, Role, Status
from app.read import queries
from app.reference.labels import label
from app.rules.scope import Scope
from app.services import dispose
from tests.helpers.world import World
from tests.ui.complaints.conftest import MakeMany, Office, Spy, add_complaint
from ui.complaints.header import HEADER_STATE_KEY
from ui.complaints.model import COL_RECEIVED, COL_STATUS, COL_TITLE
from ui.complaints.widget import ComplaintListWidget
from ui.workspace import Workspace


@pytest.fixture
def make_list(qtbot: QtBot) -> Callable[..., ComplaintListWidget]:
    def make(ws: Workspace, view: str = "all", *, show: bool = True) -> ComplaintListWidget:
        w = ComplaintListWidget(ws)
        qtbot.addWidget(w)
        w.resize(1200, 500)
        w.set_view(view)
        if show:
            with qtbot.waitExposed(w):
                w.show()
            with qtbot.waitActive(w):
                w.activateWindow()
        return w

    return make


def shown(w: ComplaintListWidget) -> set[str]:
    return set(w.model.ids)


def choose(combo: object, data: object) -> None:
    combo.setCurrentIndex(combo.findData(data))  # type: ignore[attr-defined]


# ---- views and filters ---------------------------------------------------------------------------------------

def test_set_view_shows_the_views_members(office: Office, workspace: Workspace, make_list: Callable) -> None:
    w = make_list(workspace, "inbox")
    assert shown(w) == {office.new, office.postponed}
    assert w.count_label.text().startswith("2 ")
    w.set_view("disposed")
    assert shown(w) == {office.disposed_pu, office.disposed_health}
    assert not w.filters.status.isEnabled()  # one status only: nothing to choose
    w.set_view("archived")
    assert [w.filters.status.itemData(i) for i in range(w.filters.status.count())] == [
        None, Status.BUKAN_WEWENANG, Status.DIARSIPKAN]


def test_status_unit_and_deadline_filters(office: Office, world: World, workspace: Workspace,
                                          make_list: Callable) -> None:
    w = make_list(workspace, "all")
    choose(w.filters.status, Status.DIDISPOSISIKAN)
    assert shown(w) == {office.disposed_pu, office.disposed_health}
    choose(w.filters.unit, world.units["Dinas Kesehatan"])
    assert shown(w) == {office.disposed_health}
    assert w.filters.unit.property("active") is True
    w.filters.reset_button.click()
    assert shown(w) == office.all
    world.clock.advance(days=60)
    choose(w.filters.deadline, DeadlineState.OVERDUE)
    assert shown(w) == office.all - {office.archived, office.redirected}
    choose(w.filters.deadline, DeadlineState.NONE)
    assert shown(w) == {office.archived, office.redirected}


def test_the_liaisons_inbox_fixes_the_unit(office: Office, make_workspace: Callable[..., Workspace],
                                           make_list: Callable) -> None:
    w = make_list(make_workspace(Role.PENGHUBUNG), "inbox")
    assert shown(w) == {office.disposed_pu}
    assert not w.filters.unit.isEnabled()


def test_category_and_channel_filters(world: World, workspace: Workspace, make_list: Callable) -> None:
    from app.reference.categories import default_categories

    parent = next(c for c in default_categories() if c.parent_id is None)
    child = next(c for c in default_categories() if c.parent_id == parent.id)
    by_phone = add_complaint(world, "Lapor lewat telepon", channel=Channel.PHONE, category_id=child.id)
    walk_in = add_complaint(world, "Datang langsung ke loket")
    w = make_list(workspace, "all")
    choose(w.filters.channel, Channel.PHONE)
    assert shown(w) == {by_phone}
    w.filters.reset()
    assert shown(w) == {by_phone, walk_in}
    choose(w.filters.category, parent.id)  # a parent category takes in its children
    assert shown(w) == {by_phone}
    assert w.filters.category.currentText().strip() == parent.name


def test_period_filter(world: World, workspace: Workspace, make_list: Callable) -> None:
    old = world.new_complaint(title="Laporan lama sekali")
    world.clock.advance(days=40)
    recent = world.new_complaint(title="Laporan baru saja")
    w = make_list(workspace, "all")
    choose(w.filters.period, "30d")
    assert shown(w) == {recent}
    choose(w.filters.period, "any")
    assert shown(w) == {old, recent}
    choose(w.filters.period, "custom")
    assert w.filters.date_from.isVisible()
    today = w._today()
    w.filters.date_from.setDate(today - timedelta(days=45))
    w.filters.date_to.setDate(today - timedelta(days=35))
    assert shown(w) == {old}


def test_empty_state(office: Office, workspace: Workspace, make_list: Callable, qtbot: QtBot) -> None:
    w = make_list(workspace, "awaiting_response")
    assert w.table.isVisible()
    choose(w.filters.deadline, DeadlineState.OVERDUE)
    assert w.model.rowCount() == 0
    assert w.empty_label.isVisible() and not w.table.isVisible()
    assert w.empty_label.text() == w.tr("No complaint matches these filters. Change them or press Reset.")
    w.filters.reset_button.click()
    assert w.table.isVisible()


# ---- search --------------------------------------------------------------------------------------------------

def test_search_is_debounced(office: Office, workspace: Workspace, make_list: Callable, qtbot: QtBot,
                             id_reads: Spy) -> None:
    w = make_list(workspace, "all")
    id_reads.reset()
    qtbot.keyClicks(w.search, "puskesmas")
    assert len(id_reads) == 0  # nothing yet: the search waits for a pause in typing
    qtbot.wait_until(lambda: shown(w) == {office.disposed_health})
    assert len(id_reads) == 1
    qtbot.keyClick(w.search, Qt.Key.Key_Escape)
    assert w.search.text() == ""
    assert shown(w) == office.all


def test_no_match_shows_the_empty_state(office: Office, workspace: Workspace, make_list: Callable,
                                        qtbot: QtBot) -> None:
    w = make_list(workspace, "all")
    w.search.setText("zzzztidakada")
    qtbot.wait_until(lambda: w.model.rowCount() == 0)
    assert w.empty_label.isVisible()


@pytest.mark.parametrize("mangle", [str, lambda c: c.replace("-", ""), lambda c: " ".join(c.split("-")),
                                    lambda c: f"  {c.lower()} "])
def test_a_whole_tracking_code_jumps_to_the_complaint(office: Office, workspace: Workspace,
                                                      make_list: Callable, qtbot: QtBot,
                                                      mangle: Callable[[str], str]) -> None:
    w = make_list(workspace, "inbox")  # the archived complaint is not in this view
    with workspace.store.read() as session:
        code = queries.rows_by_id(session, Scope.of(workspace.user), [office.archived])[office.archived].tracking_code
    with qtbot.wait_signal(w.complaint_selected) as blocker:
        w.search.setText(mangle(code))
    assert blocker.args == [office.archived]
    assert w.current_id() == office.archived
    assert shown(w) == {office.archived}
    w.search.clear()
    qtbot.wait_until(lambda: shown(w) == {office.new, office.postponed})


def test_choosing_a_view_ends_a_code_lookup(office: Office, workspace: Workspace, make_list: Callable,
                                            qtbot: QtBot) -> None:
    w = make_list(workspace, "all")
    w.search.setText("3404-001-000001-0")  # mistyped
    qtbot.wait_until(lambda: w.model.rowCount() == 0)
    w.set_view("inbox")
    assert w.search.text() == ""
    assert shown(w) == {office.new, office.postponed}


def test_a_mistyped_code_says_so(office: Office, workspace: Workspace, make_list: Callable,
                                 qtbot: QtBot) -> None:
    w = make_list(workspace, "all")
    w.search.setText("3404-001-000001-0")  # a wrong check digit
    w.search.returnPressed.emit()
    assert w.model.rowCount() == 0
    assert "salah ketik" in w.empty_label.text()


def test_enter_in_search_moves_to_the_results(office: Office, workspace: Workspace, make_list: Callable,
                                              qtbot: QtBot) -> None:
    w = make_list(workspace, "all")
    w.focus_search()
    assert w.search.hasFocus()
    qtbot.keyClicks(w.search, "jalan")
    qtbot.keyClick(w.search, Qt.Key.Key_Return)
    assert w.table.hasFocus()
    assert w.current_id() in {office.new, office.disposed_pu, office.redirected}


# ---- refresh after changes -----------------------------------------------------------------------------------

def test_a_change_refreshes_the_row_and_the_membership(office: Office, world: World, workspace: Workspace,
                                                       make_list: Callable, qtbot: QtBot) -> None:
    w = make_list(workspace, "verify")
    assert shown(w) == {office.new}
    dispose(world.ctx, world.users[Role.ADMIN_INSTANSI], office.new, unit_id=world.units["Dinas Kesehatan"])
    workspace.hub.complaints_changed.emit([office.new])
    qtbot.wait_until(lambda: shown(w) == set())
    w.set_view("all")
    row = w.model.row_of(office.new)
    assert w.model.data(w.model.index(row, COL_STATUS)) == label(Status.DIDISPOSISIKAN)
    added = world.new_complaint(title="Pengaduan baru dari loket")
    workspace.hub.complaints_changed.emit([])
    qtbot.wait_until(lambda: added in shown(w))


def test_a_row_changes_in_place_and_keeps_the_selection(office: Office, world: World, workspace: Workspace,
                                                        make_list: Callable, qtbot: QtBot) -> None:
    from app.services import ComplaintEdit, edit_complaint

    w = make_list(workspace, "all")
    assert w.select_id(office.new)
    edit_complaint(world.ctx, world.users[Role.ADMIN_INSTANSI], office.new,
                   ComplaintEdit(title="Lampu jalan padam di Jalan Kaliurang km 7"))
    workspace.hub.complaints_changed.emit([office.new])
    row = w.model.row_of(office.new)
    assert w.model.data(w.model.index(row, COL_TITLE)) == "Lampu jalan padam di Jalan Kaliurang km 7"
    with qtbot.waitSignal(w.model.loaded, timeout=5000):  # the debounced reload of the whole list
        pass
    assert w.current_id() == office.new


def test_a_hidden_list_defers_the_refresh(office: Office, world: World, workspace: Workspace,
                                          make_list: Callable, qtbot: QtBot, id_reads: Spy,
                                          row_reads: Spy) -> None:
    w = make_list(workspace, "verify", show=False)
    assert shown(w) == {office.new}
    row = w.model.row_of(office.new)
    w.model.data(w.model.index(row, COL_STATUS))
    id_reads.reset()
    row_reads.reset()
    dispose(world.ctx, world.users[Role.ADMIN_INSTANSI], office.new, unit_id=world.units["Dinas Kesehatan"])
    added = world.new_complaint(title="Pengaduan baru dari loket")
    workspace.hub.complaints_changed.emit([office.new])
    workspace.hub.complaints_changed.emit([added])
    assert not w._refresh_timer.isActive()  # hidden: nothing scheduled, only noted for when it is shown
    assert len(id_reads) == 0 and len(row_reads) == 0
    assert shown(w) == {office.new}  # still the old list
    with qtbot.waitExposed(w):
        w.show()
    qtbot.wait_until(lambda: shown(w) == {added})
    assert len(id_reads) == 1


def test_selection_signals(office: Office, workspace: Workspace, make_list: Callable, qtbot: QtBot) -> None:
    w = make_list(workspace, "all")
    with qtbot.wait_signal(w.complaint_selected) as blocker:
        w.select_id(office.postponed)
    assert blocker.args == [office.postponed]
    with qtbot.wait_signal(w.complaint_selected) as blocker:
        w.set_view("verify")  # the selected complaint is not in this view
    assert blocker.args == [""]
    assert w.current_id() is None
    assert not w.select_id(office.postponed)


def test_sorting_keeps_the_selected_complaint(office: Office, workspace: Workspace, make_list: Callable,
                                              qtbot: QtBot, id_reads: Spy) -> None:
    w = make_list(workspace, "all")
    w.select_id(office.archived)
    header = w.table.horizontalHeader()
    id_reads.reset()
    with qtbot.assert_not_emitted(w.complaint_selected):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(header.sectionViewportPosition(COL_RECEIVED) + 5, 5))
    assert [s for _, s in id_reads.calls] == ["received"]  # newest first on the first click
    assert w.current_id() == office.archived
    assert w.model.ids[0] == office.redirected


# ---- header state --------------------------------------------------------------------------------------------

def test_header_state_is_saved_and_restored(office: Office, workspace: Workspace, make_list: Callable,
                                            qtbot: QtBot) -> None:
    w = make_list(workspace, "all")
    header = w.table.horizontalHeader()
    header.resizeSection(COL_STATUS, 211)
    header.moveSection(header.visualIndex(COL_RECEIVED), 0)
    header.setSortIndicator(COL_RECEIVED, Qt.SortOrder.AscendingOrder)
    header.sectionClicked.emit(COL_RECEIVED)
    w.hide()  # saves what is pending
    assert workspace.window_state.load(HEADER_STATE_KEY) is not None
    again = make_list(workspace, "all")
    header = again.table.horizontalHeader()
    assert header.sectionSize(COL_STATUS) == 211
    assert header.visualIndex(COL_RECEIVED) == 0
    assert (again.model.sort_column, again.model.sort_order) == (COL_RECEIVED, Qt.SortOrder.AscendingOrder)
    assert again.model.ids[0] == office.new  # oldest first, as remembered


def test_an_unsortable_column_keeps_the_sort(office: Office, workspace: Workspace, make_list: Callable,
                                             id_reads: Spy) -> None:
    w = make_list(workspace, "all")
    header = w.table.horizontalHeader()
    id_reads.reset()
    header.setSortIndicator(COL_TITLE + 1, Qt.SortOrder.AscendingOrder)  # category
    header.sectionClicked.emit(COL_TITLE + 1)
    assert len(id_reads) == 0
    assert header.sortIndicatorSection() == w.model.sort_column


# ---- keyboard ------------------------------------------------------------------------------------------------

def test_keyboard_navigation_and_activation(many: MakeMany, workspace: Workspace, make_list: Callable,
                                            qtbot: QtBot) -> None:
    ids = many(60)
    w = make_list(workspace, "all")
    w.table.setFocus()
    order = list(w.model.ids)
    assert set(order) == set(ids)
    qtbot.keyClick(w.table, Qt.Key.Key_Down)
    first = w.current_id()
    assert first is not None
    qtbot.keyClick(w.table, Qt.Key.Key_Down)
    assert w.current_id() == order[order.index(first) + 1]
    qtbot.keyClick(w.table, Qt.Key.Key_End)
    assert w.current_id() == order[-1]
    qtbot.keyClick(w.table, Qt.Key.Key_Home)
    assert w.current_id() == order[0]
    qtbot.keyClick(w.table, Qt.Key.Key_PageDown)
    assert order.index(w.current_id()) > 5
    with qtbot.wait_signal(w.complaint_activated) as blocker:
        qtbot.keyClick(w.table, Qt.Key.Key_Return)
    assert blocker.args == [w.current_id()]
    rect = w.table.visualRect(w.model.index(order.index(w.current_id()), COL_TITLE))
    qtbot.mouseClick(w.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.wait_signal(w.complaint_activated) as blocker:
        qtbot.mouseDClick(w.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [w.current_id()]


def test_accessible_names(workspace: Workspace, make_list: Callable) -> None:
    w = make_list(workspace, "all")
    for widget in (w.table, w.search, w.filters.status, w.filters.category, w.filters.unit, w.filters.channel,
                   w.filters.period, w.filters.deadline, w.filters.date_from, w.filters.date_to,
                   w.filters.reset_button):
        assert widget.accessibleName()
    assert w.table.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows


def test_reference_changes_reload_the_choices(world: World, workspace: Workspace, make_list: Callable) -> None:
    from app.models import Unit

    w = make_list(workspace, "all")
    before = w.filters.unit.count()
    with world.store.transaction() as session:
        session.add(Unit(id="unit-baru", office_id=world.office_id, name="Dinas Sosial", active=True))
    workspace.hub.reference_changed.emit()
    assert w.filters.unit.count() == before + 1
    assert w.filters.unit.findData("unit-baru") > 0


def test_the_list_works_with_the_threaded_runner(office: Office, world: World,
                                                 make_workspace: Callable[..., Workspace], qtbot: QtBot) -> None:
    ws = make_workspace(synchronous=False)
    w = ComplaintListWidget(ws)
    qtbot.addWidget(w)
    w.resize(1000, 400)
    with qtbot.waitExposed(w):
        w.show()
    qtbot.wait_until(lambda: shown(w) == {office.new, office.postponed}, timeout=10_000)
    assert w.select_id(office.new)
    dispose(world.ctx, world.users[Role.ADMIN_INSTANSI], office.new, unit_id=world.units["Dinas Kesehatan"])
    with qtbot.wait_signal(w.complaint_selected, timeout=10_000) as blocker:
        ws.hub.complaints_changed.emit([office.new])
    assert blocker.args == [""]  # it left the inbox
    assert shown(w) == {office.postponed}
    qtbot.wait_until(lambda: not ws.tasks.busy, timeout=10_000)
