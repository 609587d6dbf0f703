"""The counter's status look-up: a returning citizen's code, mistyped or not, and only what the citizen may see."""

from __future__ import annotations

from collections.abc import Callable

from app.domain import Role
from app.models import Complaint
from app.services.records import add_note
from tests.helpers.world import World
from ui.counter.lookup import LookupPage
from ui.workspace import Workspace


def _code(world: World, complaint_id: str) -> str:
    with world.store.read() as session:
        row = session.get(Complaint, complaint_id)
        assert row is not None
        return row.tracking_code


def test_a_code_shows_the_citizen_view_and_offers_the_letter(  # type: ignore[no-untyped-def]
        qtbot, world: World, make_workspace: Callable[..., Workspace]) -> None:
    complaint_id = world.new_complaint()
    add_note(world.ctx, world.users[Role.ADMIN_INSTANSI], complaint_id, text="Catatan internal untuk staf saja")
    page = LookupPage(make_workspace(Role.PETUGAS_LOKET))
    qtbot.add_widget(page)
    page.code.setText(_code(world, complaint_id).replace("-", " "))
    page.search()
    assert page.complaint_id == complaint_id and page.letter_button.isEnabled()
    assert "Received, awaiting verification" in page.status.text() or "Diterima" in page.status.text()
    shown = page.status.text() + page.explanation.text() + page.entries.text()
    assert "Complaint received" in shown or "Laporan diterima" in shown
    assert "internal" not in shown and "Budi" not in shown
    with qtbot.wait_signal(page.letter_requested) as letter:
        page.letter_button.click()
    assert letter.args == [complaint_id]


def test_a_mistyped_code_is_said_to_be_mistyped_and_an_unknown_one_unknown(  # type: ignore[no-untyped-def]
        qtbot, world: World, make_workspace: Callable[..., Workspace]) -> None:
    code = _code(world, world.new_complaint()).replace("-", "")
    page = LookupPage(make_workspace(Role.PETUGAS_LOKET))
    qtbot.add_widget(page)
    swapped = code[:-3] + code[-2] + code[-3] + code[-1] if code[-2] != code[-3] else code[:-2] + \
        str((int(code[-2]) + 1) % 10) + code[-1]
    page.code.setText(swapped)
    page.search()
    assert "mistyped" in page.problem.text() and page.complaint_id is None
    assert not page.letter_button.isEnabled()
    unknown = code[:-7] + "999999"
    from stdnum import damm

    page.code.setText(unknown + damm.calc_check_digit(unknown))
    page.search()
    assert "Tidak ada laporan" in page.problem.text() or "No complaint" in page.problem.text()
    page.code.clear()
    page.search()
    assert page.problem.text()


def test_a_returning_citizen_s_response_is_recorded_from_the_look_up(  # type: ignore[no-untyped-def]
        qtbot, world: World, make_workspace: Callable[..., Workspace]) -> None:
    from app.services.workflow_actions import dispose, follow_up

    complaint_id = world.new_complaint()
    dispose(world.ctx, world.users[Role.ADMIN_INSTANSI], complaint_id, unit_id=next(iter(world.units.values())))
    follow_up(world.ctx, world.users[Role.PENGHUBUNG], complaint_id, text="Lubang jalan sudah ditambal.")
    page = LookupPage(make_workspace(Role.PETUGAS_LOKET))
    qtbot.add_widget(page)
    page.show()
    page.code.setText(_code(world, complaint_id))
    page.search()
    assert page.action_buttons["respond"].isVisible() and not page.action_buttons["resume"].isVisible()
    with qtbot.wait_signal(page.actions.form_opened) as opened:
        page.action_buttons["respond"].click()
    form = opened.args[0]
    assert form.isVisible()
    form.close()
