"""A complaint the server refused to take in shows in the status bar until it is sent again or withdrawn: the count,
the list with each tracking code and the server's reason, "Send again" and "Withdraw…" (after confirming)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select, update

from app.domain import Role, Status
from app.models import Complaint, OutboxEntry
from sync.capture import OutboxCapture
from tests.helpers.world import World
from tests.ui.sync.conftest import FakeFactory, mark_enrolled
from ui.sync.controller import SyncController
from ui.sync.status_widget import SyncStatusWidget
from ui.workspace import Workspace

MESSAGE = "Data tidak valid — reporter.nik: NIK harus 16 angka."


@pytest.fixture
def refused(world: World) -> tuple[str, str]:
    """A complaint whose intake the server refused: (id, tracking code)."""
    world.ctx.capture = OutboxCapture(world.clock)
    cid = world.new_complaint()
    result = {"seq": 1, "mutation_id": "m", "status": "rejected", "entity_id": cid, "code": "validation",
              "message": MESSAGE}
    with world.store.transaction() as s:
        s.execute(update(OutboxEntry).where(OutboxEntry.entity_id == cid).values(
            acked_at=world.clock(), result_status="rejected", result_json=json.dumps(result)))
        code = s.get(Complaint, cid).tracking_code  # type: ignore[union-attr]
    return cid, code


def _widget(ws: Workspace, qtbot) -> tuple[SyncStatusWidget, SyncController]:  # type: ignore[no-untyped-def]
    mark_enrolled(ws)
    controller = SyncController(ws, engine_factory=FakeFactory([]))
    widget = SyncStatusWidget(ws, controller)
    qtbot.add_widget(widget)
    widget.show()
    return widget, controller


def test_the_count_stays_until_the_complaint_is_sent_again(workspace: Workspace, world: World,
                                                           refused: tuple[str, str], qtbot) -> None:  # type: ignore[no-untyped-def]
    cid, code = refused
    widget, _controller = _widget(workspace, qtbot)
    assert "1 complaint(s) refused by the server" in widget.refused_text()

    dialog = widget.show_refusals()
    qtbot.add_widget(dialog)
    assert dialog.isVisible() and not dialog.isModal()
    assert dialog.codes() == [code]
    assert code in dialog.reason.text() and MESSAGE in dialog.reason.text() and "validation" in dialog.reason.text()
    with qtbot.wait_signal(dialog.changed, timeout=3000):
        dialog.resend_button.click()
    assert code in dialog.outcome.text() and dialog.codes() == []
    assert widget.refused_text() == ""
    with world.store.read() as s:
        names = list(s.execute(select(OutboxEntry.name).order_by(OutboxEntry.seq)).scalars())
    assert names == ["complaint.intake", "complaint.intake"]


def test_withdrawing_asks_first_and_is_for_the_office_admin(make_workspace: Callable[..., Workspace],
                                                            world: World, refused: tuple[str, str],
                                                            qtbot) -> None:  # type: ignore[no-untyped-def]
    cid, code = refused
    counter = make_workspace(Role.PETUGAS_LOKET)
    widget, _controller = _widget(counter, qtbot)
    dialog = widget.show_refusals()
    qtbot.add_widget(dialog)
    assert dialog.resend_button.isEnabled() and not dialog.withdraw_button.isEnabled()

    admin = make_workspace(Role.ADMIN_INSTANSI)
    widget, _controller = _widget(admin, qtbot)
    dialog = widget.show_refusals()
    qtbot.add_widget(dialog)
    assert dialog.withdraw_button.isEnabled()
    dialog.withdraw_button.click()
    assert dialog.confirm.isVisible() and code in dialog.confirm_text.text()
    with world.store.read() as s:
        assert s.get(Complaint, cid).status == Status.BELUM_TERVERIFIKASI  # type: ignore[union-attr]
    dialog.note.setText("Pelapor diminta datang lagi")
    with qtbot.wait_signal(dialog.changed, timeout=3000):
        dialog.confirm_button.click()
    assert not dialog.confirm.isVisible() and dialog.codes() == []
    assert widget.refused_text() == ""
    with world.store.read() as s:
        assert s.get(Complaint, cid).status == Status.DIARSIPKAN  # type: ignore[union-attr]


def test_nothing_refused_shows_nothing(workspace: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    widget, _controller = _widget(workspace, qtbot)
    assert widget.refused_text() == ""
