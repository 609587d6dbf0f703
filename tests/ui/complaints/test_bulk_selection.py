"""Several complaints selected in the list (ui.complaints.selection, ui.actions.bulk): the bar says how many and
offers the steps every one of them may take; the dispose form sends them all at once; when some may not any more
(changed meanwhile), nothing changes, the form lists them with the reason and goes on without them when asked."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.domain import Role, Status
from app.models import Complaint
from app.services import dispose
from tests.helpers.world import World
from tests.ui.complaints.conftest import add_complaint
from ui.actions.bulk import BulkDisposeForm
from ui.complaints.widget import ComplaintListWidget
from ui.workspace import Workspace


@pytest.fixture
def make_list(qtbot: QtBot) -> Callable[..., ComplaintListWidget]:
    def make(ws: Workspace, view: str) -> ComplaintListWidget:
        w = ComplaintListWidget(ws)
        qtbot.addWidget(w)
        w.resize(1200, 500)
        w.set_view(view)
        with qtbot.waitExposed(w):
            w.show()
        return w

    return make


def _select(w: ComplaintListWidget, ids: list[str]) -> None:
    selection = w.table.selectionModel()
    selection.clearSelection()
    for complaint_id in ids:
        row = w.model.row_of(complaint_id)
        assert row is not None
        selection.select(w.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)


def _statuses(world: World, ids: list[str]) -> dict[str, str]:
    with world.store.read() as s:
        return {i: s.get(Complaint, i).status for i in ids}


def test_a_selection_is_disposed_at_once(world: World, make_workspace: Callable[..., Workspace],
                                         make_list: Callable[..., ComplaintListWidget], qtbot: QtBot) -> None:
    ids = [add_complaint(world, f"Lampu jalan padam di gang {n} dekat pasar") for n in range(4)]
    w = make_list(make_workspace(Role.ADMIN_INSTANSI), "inbox")
    qtbot.waitUntil(lambda: set(ids) <= set(w.model.ids))
    for cid in ids:
        w.model.data(w.model.index(w.model.row_of(cid) or 0, 0))  # read the rows, as the view paints them
    _select(w, ids)
    assert w.selection_bar.isVisible() and w.selection_bar.label.text() == "4 complaints selected"
    assert w.selection_bar.dispose_button.isEnabled() and w.selection_bar.archive_button.isEnabled()

    # One of them was disposed on another PC meanwhile: nothing changes, it is named, the rest go on.
    dispose(world.ctx, world.users[Role.ADMIN_INSTANSI], ids[2], unit_id=world.units["Dinas Kesehatan"])
    w.act_on_selection("dispose")
    form = w.bulk_form
    assert isinstance(form, BulkDisposeForm)
    assert any(label.text().startswith("4 complaint(s): ") for label in form.findChildren(QLabel))
    qtbot.waitUntil(lambda: form.unit.count() > 1)
    form.choose_unit(world.units["Dinas Pekerjaan Umum"])
    form.submit()
    qtbot.waitUntil(lambda: form.message() != "")
    assert "Nothing was changed" in form.message()
    assert _statuses(world, [ids[0], ids[1], ids[3]]) == dict.fromkeys([ids[0], ids[1], ids[3]],
                                                                        Status.BELUM_TERVERIFIKASI)
    assert form.without_refused.isVisible() and "3" in form.without_refused.text()
    with qtbot.waitSignal(form.succeeded):
        form.without_refused.click()
    assert _statuses(world, [ids[0], ids[1], ids[3]]) == dict.fromkeys([ids[0], ids[1], ids[3]],
                                                                        Status.DIDISPOSISIKAN)


def test_a_step_not_every_selected_complaint_may_take_is_offered_greyed(
        world: World, make_workspace: Callable[..., Workspace], make_list: Callable[..., ComplaintListWidget],
        qtbot: QtBot) -> None:
    ids = [add_complaint(world, f"Saluran air tersumbat di blok {n} perumahan") for n in range(3)]
    dispose(world.ctx, world.users[Role.ADMIN_INSTANSI], ids[2], unit_id=world.units["Dinas Kesehatan"])
    w = make_list(make_workspace(Role.ADMIN_INSTANSI), "all")
    qtbot.waitUntil(lambda: set(ids) <= set(w.model.ids))
    for cid in ids:
        w.model.data(w.model.index(w.model.row_of(cid) or 0, 0))
    _select(w, ids)  # one of them is disposed already
    assert w.selection_bar.isVisible()
    assert not w.selection_bar.dispose_button.isEnabled() and w.selection_bar.dispose_button.toolTip()
    _select(w, ids[:2])  # the two new ones
    assert w.selection_bar.dispose_button.isEnabled() and w.selection_bar.archive_button.isEnabled()
    _select(w, ids[:1])
    assert not w.selection_bar.isVisible()  # one complaint: the detail's own actions
    leader = make_list(make_workspace(Role.PIMPINAN), "all")
    qtbot.waitUntil(lambda: set(ids) <= set(leader.model.ids))
    for cid in ids:
        leader.model.data(leader.model.index(leader.model.row_of(cid) or 0, 0))
    _select(leader, ids[:2])
    assert not leader.selection_bar.archive_button.isEnabled()  # not the leadership's step
    assert not leader.selection_bar.dispose_button.isEnabled()
