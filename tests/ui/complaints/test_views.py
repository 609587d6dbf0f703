"""The saved views: what each role's inbox holds, the fixed views, and their counts."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.domain import Role
from app.read import queries
from app.rules.scope import Scope
from app.services import dispose
from tests.helpers.world import World
from tests.ui.complaints.conftest import Office
from ui.complaints.views import VIEW_KEYS, VIEWS, filter_for, view_counts, view_def
from ui.workspace import Workspace


def members(ws: Workspace, key: str) -> set[str]:
    with ws.store.read() as session:
        return set(queries.list_ids(session, Scope.of(ws.user), filter_for(key, ws.user), now=ws.services.clock()))


def test_views_are_in_the_navigation_order() -> None:
    assert VIEW_KEYS == ("inbox", "verify", "disposed", "awaiting_response", "overdue", "all", "archived")
    assert [v.title for v in VIEWS][:2] == ["Inbox", "To verify"]
    assert view_def("archived").label()
    with pytest.raises(KeyError):
        view_def("nope")


@pytest.mark.parametrize(("role", "expected"), [
    (Role.ADMIN_INSTANSI, ("new", "postponed")),
    (Role.PETUGAS_LOKET, ("followed_up", "postponed")),  # the reporter's response, the clarification
    (Role.PENGHUBUNG, ("disposed_pu",)),  # the liaison of Dinas Pekerjaan Umum
    ("PENGHUBUNG_OTHER_UNIT", ("disposed_health",)),
    (Role.PIMPINAN, ()),  # nothing of this office runs late or came back from a reporter (app.read.inbox)
    (Role.IT_ADMIN, ()),  # no complaints: sync problems and devices
])
def test_inbox_holds_what_waits_for_this_user(office: Office, make_workspace: Callable[..., Workspace],
                                              role: str, expected: tuple[str, ...]) -> None:
    ws = make_workspace(role)
    assert members(ws, "inbox") == {getattr(office, name) for name in expected}


def test_fixed_views(office: Office, workspace: Workspace) -> None:
    assert members(workspace, "verify") == {office.new}
    assert members(workspace, "disposed") == {office.disposed_pu, office.disposed_health}
    assert members(workspace, "awaiting_response") == {office.followed_up}
    assert members(workspace, "archived") == {office.archived, office.redirected}
    assert members(workspace, "all") == office.all
    assert members(workspace, "overdue") == set()


def test_overdue_view_holds_open_complaints_past_their_deadline(office: Office, world: World,
                                                                 workspace: Workspace) -> None:
    world.clock.advance(days=60)
    assert members(workspace, "overdue") == office.all - {office.archived, office.redirected}


def test_a_moved_complaint_changes_views(office: Office, world: World, workspace: Workspace) -> None:
    dispose(world.ctx, world.users[Role.ADMIN_INSTANSI], office.new, unit_id=world.units["Dinas Kesehatan"])
    assert office.new not in members(workspace, "verify")
    assert office.new in members(workspace, "disposed")


@pytest.mark.parametrize(("role", "everything"), [
    (Role.ADMIN_INSTANSI, 7), (Role.PENGHUBUNG, 2), (Role.PETUGAS_LOKET, 7), (Role.PIMPINAN, 7), (Role.IT_ADMIN, 0)])
def test_view_counts_match_the_lists(office: Office, world: World, make_workspace: Callable[..., Workspace],
                                     role: str, everything: int) -> None:
    ws = make_workspace(role)
    world.clock.advance(days=4)  # some deadlines pass, some do not
    counts = view_counts(ws)
    assert set(counts) == set(VIEW_KEYS)
    assert counts == {key: len(members(ws, key)) for key in VIEW_KEYS}
    assert counts["all"] == everything  # a liaison: their unit's (PU: 2); IT: no complaint (app.rules.scope)


def test_view_counts_use_a_handful_of_queries(office: Office, workspace: Workspace) -> None:
    seen: list[str] = []
    from sqlalchemy import event

    def listen(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(workspace.store.engine, "before_cursor_execute", listen)
    try:
        view_counts(workspace)
    finally:
        event.remove(workspace.store.engine, "before_cursor_execute", listen)
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) <= 4


def test_a_liaison_without_a_unit_has_an_empty_inbox(office: Office, workspace: Workspace) -> None:
    from dataclasses import replace

    ws = replace(workspace, user=replace(workspace.user, role=Role.PENGHUBUNG, unit_id=None))
    assert members(ws, "disposed") == set()  # no unit: no complaint within reach (app.rules.scope)
    assert members(ws, "inbox") == set()
    assert view_counts(ws)["inbox"] == 0
