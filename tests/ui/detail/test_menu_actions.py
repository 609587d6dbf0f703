"""The actions for the main window's menu and the detail panel's buttons: shortcuts, enabling, the signal when
the set changes, and triggering opens the form."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QToolButton

from app.domain import Role, Status
from app.rules.availability import ALL_ACTIONS
from tests.helpers.world import World
from tests.ui.detail.conftest import complaint_in
from ui.actions.form import ActionForm
from ui.actions.transition_forms import DisposeForm
from ui.detail import ComplaintDetailWidget
from ui.workspace import Workspace


def make(qtbot, ws: Workspace) -> ComplaintDetailWidget:  # noqa: ANN001
    widget = ComplaintDetailWidget(ws)
    qtbot.addWidget(widget)
    return widget


def visible_buttons(widget: ComplaintDetailWidget) -> list[str]:
    return [b.objectName().removeprefix("action-button-") for b in widget.findChildren(QToolButton)
            if b.isVisibleTo(widget) and b.objectName().startswith("action-button-")]


def test_menu_actions_have_distinct_shortcuts_and_texts(qtbot, workspace: Workspace) -> None:
    actions = make(qtbot, workspace).menu_actions()
    assert len(actions) == len(ALL_ACTIONS)
    shortcuts = [a.shortcut().toString() for a in actions]
    assert all(shortcuts) and len(set(shortcuts)) == len(shortcuts)
    assert all("&" in a.text() for a in actions)  # a mnemonic in the menu


def test_enabled_per_status_and_signal_when_the_set_changes(qtbot, world: World, workspace: Workspace) -> None:
    new, closed = complaint_in(world, Status.BELUM_TERVERIFIKASI), complaint_in(world, Status.SELESAI)
    widget = make(qtbot, workspace)
    with qtbot.waitSignal(widget.actions_changed):
        widget.show_complaint(new)
    enabled = {a.objectName().removeprefix("complaint-action-") for a in widget.menu_actions() if a.isEnabled()}
    assert enabled == {"dispose", "postpone", "redirect", "archive", "note", "attach", "edit"}
    assert visible_buttons(widget) == ["dispose", "postpone", "redirect", "archive", "note", "attach", "edit"]
    with qtbot.waitSignal(widget.actions_changed):
        widget.show_complaint(closed)
    enabled = {a.objectName().removeprefix("complaint-action-") for a in widget.menu_actions() if a.isEnabled()}
    assert enabled == {"reopen", "note", "attach"}
    assert visible_buttons(widget) == ["reopen", "note", "attach"]
    with qtbot.waitSignal(widget.actions_changed):
        widget.show_complaint(None)
    assert not any(a.isEnabled() for a in widget.menu_actions())


def test_read_only_role_gets_only_the_note(qtbot, world: World, make_workspace: Callable[..., Workspace]) -> None:
    widget = make(qtbot, make_workspace(Role.PIMPINAN))
    widget.show_complaint(complaint_in(world, Status.BELUM_TERVERIFIKASI))
    assert visible_buttons(widget) == ["note"]


def test_triggering_an_action_opens_its_form(qtbot, world: World, workspace: Workspace) -> None:
    widget = make(qtbot, workspace)
    widget.show()
    cid = complaint_in(world, Status.BELUM_TERVERIFIKASI)
    widget.show_complaint(cid)
    opened: list[ActionForm] = []
    widget.complaint_actions.form_opened.connect(opened.append)
    dispose = next(a for a in widget.menu_actions() if a.objectName() == "complaint-action-dispose")
    dispose.trigger()
    assert len(opened) == 1 and isinstance(opened[0], DisposeForm)
    form = opened[0]
    assert form.isVisible() and form.detail.id == cid
    form.choose_unit(world.units["Dinas Pekerjaan Umum"])
    with qtbot.waitSignal(widget.loaded):  # the panel refreshes itself after the change
        form.submit()
    assert widget.snapshot.detail.status == Status.DIDISPOSISIKAN
    assert "follow_up" in widget.complaint_actions.available


def test_disabled_action_does_not_open_a_form(qtbot, world: World, workspace: Workspace) -> None:
    widget = make(qtbot, workspace)
    widget.show_complaint(complaint_in(world, Status.SELESAI))
    assert widget.complaint_actions.open_form("dispose") is None


def test_buttons_come_up_with_their_row_and_the_first_status_change_is_primary(qtbot, world: World,  # noqa: ANN001
                                                                                  workspace: Workspace) -> None:
    widget = make(qtbot, workspace)
    widget.show()
    for status, primary in ((Status.BELUM_TERVERIFIKASI, "dispose"), (Status.SELESAI, "reopen")):
        with qtbot.waitSignal(widget.actions_changed):
            widget.show_complaint(complaint_in(world, status))
        buttons = {b.objectName().removeprefix("action-button-"): b for b in widget.findChildren(QToolButton)
                   if b.objectName().startswith("action-button-") and b.isVisible()}
        assert list(buttons) == visible_buttons(widget) and buttons  # on screen in a shown panel
        assert [key for key, b in buttons.items() if b.property("primary")] == [primary]
        assert not any(b.styleSheet() for b in buttons.values())  # styled by their row's one style sheet
