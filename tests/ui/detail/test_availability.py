"""The actions offered per role and status agree with what the services actually allow: every offered action
succeeds, every hidden one is refused (PermissionDenied or InvalidTransition)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.domain import ArchiveReason, Role, Status
from app.errors import InvalidTransition, PermissionDenied
from app.models import Complaint
from app.rules.availability import ALL_ACTIONS, TRANSITION_ACTIONS, Actor, available_actions, primary_action
from app.services import records
from app.services import workflow_actions as wf
from app.services.users import list_users
from tests.helpers.world import World
from tests.ui.detail.conftest import PU, complaint_in, make_png
from ui.workspace import Workspace


def run(world: World, actor_id: str, cid: str, action: str, png: Path) -> None:
    """Take ``action`` through its service with valid input."""
    ctx = world.ctx
    calls: dict[str, Callable[[], object]] = {
        "dispose": lambda: wf.dispose(ctx, actor_id, cid, unit_id=world.units[PU]),
        "postpone": lambda: wf.postpone(ctx, actor_id, cid, reason="Mohon kirim foto lokasi."),
        "redirect": lambda: wf.redirect(ctx, actor_id, cid, reason="Kewenangan pemerintah provinsi."),
        "archive": lambda: wf.archive(ctx, actor_id, cid, reason_code=ArchiveReason.DUPLIKAT),
        "follow_up": lambda: wf.follow_up(ctx, actor_id, cid, text="Sudah diperbaiki oleh tim lapangan."),
        "close": lambda: wf.close(ctx, actor_id, cid),
        "respond": lambda: wf.record_response(ctx, actor_id, cid, satisfied=True),
        "resume": lambda: wf.resume(ctx, actor_id, cid),
        "unarchive": lambda: wf.unarchive(ctx, actor_id, cid, reason="Pelapor melengkapi data."),
        "reopen": lambda: wf.reopen(ctx, actor_id, cid, reason="Pelapor keberatan atas hasil."),
        "note": lambda: records.add_note(ctx, actor_id, cid, text="Catatan internal."),
        "attach": lambda: records.attach_file(ctx, actor_id, cid, png),
        "edit": lambda: records.edit_complaint(ctx, actor_id, cid, records.ComplaintEdit(
            title="Judul laporan yang sudah diperbaiki")),
    }
    assert set(calls) == set(ALL_ACTIONS)
    calls[action]()


ROLES = [Role.ADMIN_INSTANSI, Role.PENGHUBUNG, "PENGHUBUNG_OTHER_UNIT", Role.PETUGAS_LOKET, Role.PIMPINAN,
         Role.IT_ADMIN]


@pytest.mark.parametrize("status", list(Status))
def test_offered_actions_match_what_the_services_allow(world: World, tmp_path: Path, status: str) -> None:
    png = make_png(tmp_path / "bukti.png", (40, 30))
    users = {u.id: u for u in list_users(world.ctx, world.office_id)}
    for role in ROLES:
        user = users[world.users[role]]
        probe = complaint_in(world, status)  # dispositioned to PU where it has a unit at all
        with world.store.read() as s:
            unit = s.get_one(Complaint, probe).unit_id
        offered = available_actions(Actor(user.role, user.unit_id), status, unit)
        for action in ALL_ACTIONS:
            if action in offered:
                run(world, user.id, complaint_in(world, status), action, png)  # must not raise
            else:
                with pytest.raises((PermissionDenied, InvalidTransition)):
                    run(world, user.id, probe, action, png)


@pytest.mark.parametrize(("role", "status", "expected"), [
    (Role.ADMIN_INSTANSI, Status.BELUM_TERVERIFIKASI, ("dispose", "postpone", "redirect", "archive", "note",
                                                       "attach", "edit")),
    (Role.ADMIN_INSTANSI, Status.SELESAI, ("reopen", "note", "attach")),
    (Role.PENGHUBUNG, Status.DIDISPOSISIKAN, ("follow_up", "postpone", "note", "attach")),
    (Role.PETUGAS_LOKET, Status.DITINDAKLANJUTI, ("respond", "note", "attach")),
    (Role.PETUGAS_LOKET, Status.DITUNDA, ("resume", "note", "attach")),
    (Role.PIMPINAN, Status.DIDISPOSISIKAN, ("note",)),
    (Role.IT_ADMIN, Status.BELUM_TERVERIFIKASI, ()),
])
def test_a_few_cases_spelled_out(world: World, role: str, status: str, expected: tuple[str, ...]) -> None:
    unit = world.units[PU] if role == Role.PENGHUBUNG else None
    assert available_actions(Actor(role, unit), status, world.units[PU]) == expected


def test_liaison_of_another_unit_may_not_follow_up() -> None:
    offered = available_actions(Actor(Role.PENGHUBUNG, "unit-b"), Status.DIDISPOSISIKAN, "unit-a")
    assert offered == ()  # another unit's complaint is outside a liaison's reach (app.rules.scope)


def test_primary_action_is_the_first_status_change() -> None:
    assert primary_action(("dispose", "postpone", "note")) == "dispose"
    assert primary_action(("note", "attach")) is None
    assert TRANSITION_ACTIONS[0] == "dispose"


def test_detail_offers_what_availability_says(qtbot, world: World,
                                             make_workspace: Callable[..., Workspace]) -> None:
    from ui.detail import ComplaintDetailWidget

    cid = complaint_in(world, Status.DITINDAKLANJUTI)
    for role in (Role.ADMIN_INSTANSI, Role.PETUGAS_LOKET, Role.PIMPINAN):
        ws = make_workspace(role)
        widget = ComplaintDetailWidget(ws)
        qtbot.addWidget(widget)
        widget.show_complaint(cid)
        enabled = tuple(a.objectName().removeprefix("complaint-action-") for a in widget.menu_actions()
                        if a.isEnabled())
        expected = available_actions(Actor(ws.user.role, ws.user.unit_id), Status.DITINDAKLANJUTI, world.units[PU])
        assert sorted(enabled) == sorted(expected)
