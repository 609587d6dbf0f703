"""Each action form: bad input shows the field's message and writes nothing; good input changes the complaint,
writes its timeline event and audit record, and says what changed (hub.complaints_changed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.domain import EventKind, Role, Status
from app.services import workflow_actions as wf
from tests.helpers.world import World
from tests.ui.detail.conftest import PU, complaint_in, counts, load
from ui.actions.controller import FORMS
from ui.actions.form import ActionForm
from ui.workspace import Workspace

Fill = Callable[[Any, World, dict[str, Path]], None]


@dataclass(frozen=True)
class Case:
    key: str
    start: str
    bad: Fill
    bad_field: str
    good: Fill
    end: str | None  # None: the status does not change
    event: str


def _set(attr: str, text: str) -> Fill:
    return lambda form, world, files: getattr(form, attr).setText(text)


def _both(*fills: Fill) -> Fill:
    def fill(form: Any, world: World, files: dict[str, Path]) -> None:
        for f in fills:
            f(form, world, files)
    return fill


def _nothing(form: Any, world: World, files: dict[str, Path]) -> None:
    pass


def _not_satisfied(form: Any, world: World, files: dict[str, Path]) -> None:
    form.not_satisfied.setChecked(True)


CASES = [
    Case("dispose", Status.BELUM_TERVERIFIKASI, _nothing, "unit_id",
         _both(lambda f, w, _: f.choose_unit(w.units[PU]), _set("instruction", "Cek lokasi besok pagi.")),
         Status.DIDISPOSISIKAN, EventKind.DISPOSED),
    Case("postpone", Status.BELUM_TERVERIFIKASI, _set("reason", "foto"), "reason",
         _set("reason", "Mohon kirim foto lokasi."), Status.DITUNDA, EventKind.POSTPONED),
    Case("resume", Status.DITUNDA, _set("note", "x" * 4001), "note",
         _set("note", "Pelapor mengirim foto lokasi."), Status.BELUM_TERVERIFIKASI, EventKind.RESUMED),
    Case("redirect", Status.BELUM_TERVERIFIKASI, _set("reason", ""), "reason",
         _both(_set("reason", "Jalan nasional, kewenangan BBPJN."), _set("office", "BBPJN")),
         Status.BUKAN_WEWENANG, EventKind.REDIRECTED),
    Case("archive", Status.BELUM_TERVERIFIKASI, _nothing, "reason_code",
         lambda f, w, _: f.choose_reason("DUPLIKAT"), Status.DIARSIPKAN, EventKind.ARCHIVED),
    Case("unarchive", Status.DIARSIPKAN, _set("reason", " "), "reason",
         _set("reason", "Bukan duplikat, lokasinya lain."), Status.BELUM_TERVERIFIKASI, EventKind.UNARCHIVED),
    Case("close", Status.DITINDAKLANJUTI, _set("note", "x" * 4001), "note",
         _set("note", "Selesai diperbaiki."), Status.SELESAI, EventKind.CLOSED),
    Case("reopen", Status.SELESAI, _set("reason", ""), "reason",
         _set("reason", "Pelapor melapor jalan rusak lagi."), Status.DIDISPOSISIKAN, EventKind.REOPENED),
    Case("respond", Status.DITINDAKLANJUTI, _not_satisfied, "text",
         _both(_not_satisfied, _set("text", "Lubang belum ditutup sepenuhnya.")), Status.DIDISPOSISIKAN,
         EventKind.REPORTER_RESPONSE),
    Case("follow_up", Status.DIDISPOSISIKAN, _set("text", "Sudah."), "text",
         _both(_set("text", "Tim sudah menambal jalan pada 3 Maret."),
               lambda f, w, files: f.files.set_files([files["png"]])),
         Status.DITINDAKLANJUTI, EventKind.FOLLOW_UP),
    Case("note", Status.DIDISPOSISIKAN, _set("text", ""), "text", _set("text", "Pelapor menelepon lagi."), None,
         EventKind.NOTE),
    Case("edit", Status.BELUM_TERVERIFIKASI, _set("title_edit", "Pendek"), "title",
         _set("title_edit", "Jalan berlubang besar di depan Pasar Godean"), None, EventKind.EDITED),
    Case("attach", Status.BELUM_TERVERIFIKASI, _nothing, "file",
         lambda f, w, files: f.files.set_files([files["pdf"]]), None, EventKind.ATTACHMENT_ADDED),
]


def open_form(qtbot, ws: Workspace, world: World, key: str, cid: str) -> ActionForm:  # noqa: ANN001
    form = FORMS[key](ws, load(world, cid, ws.role))
    qtbot.addWidget(form)
    return form


def test_every_action_has_a_case() -> None:
    assert {c.key for c in CASES} == set(FORMS)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.key)
def test_bad_input_shows_the_field_message_and_writes_nothing(
        qtbot, world: World, workspace: Workspace, files: dict[str, Path], case: Case) -> None:
    cid = complaint_in(world, case.start)
    before = counts(world, cid)
    form = open_form(qtbot, workspace, world, case.key, cid)
    case.bad(form, world, files)
    with qtbot.assertNotEmitted(workspace.hub.complaints_changed):
        form.submit()
    assert form.field_error(case.bad_field), f"no message for {case.bad_field}: {form.message()!r}"
    assert form.result() == 0  # still open
    assert counts(world, cid) == before


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.key)
def test_good_input_changes_the_complaint_audits_and_says_so(
        qtbot, world: World, workspace: Workspace, files: dict[str, Path], case: Case) -> None:
    cid = complaint_in(world, case.start)
    before = counts(world, cid)
    form = open_form(qtbot, workspace, world, case.key, cid)
    case.good(form, world, files)
    with qtbot.waitSignal(workspace.hub.complaints_changed, check_params_cb=lambda ids: ids == [cid]):
        form.submit()
    assert form.message() == ""
    assert form.result() == ActionForm.DialogCode.Accepted
    after = counts(world, cid)
    assert after.status == (case.end or case.start)
    assert after.audits > before.audits
    d = load(world, cid)
    assert case.event in [e.kind for e in d.events[-3:]]


def test_field_errors_clear_on_the_next_try(qtbot, world: World, workspace: Workspace) -> None:
    cid = complaint_in(world, Status.BELUM_TERVERIFIKASI)
    form = open_form(qtbot, workspace, world, "postpone", cid)
    form.submit()
    assert form.field_error("reason")
    form.reason.setText("Mohon kirim foto lokasi.")
    form.submit()
    assert form.field_error("reason") == ""
    assert load(world, cid).status == Status.DITUNDA


def test_dispose_records_unit_and_instruction(qtbot, world: World, workspace: Workspace) -> None:
    cid = complaint_in(world, Status.BELUM_TERVERIFIKASI)
    form = open_form(qtbot, workspace, world, "dispose", cid)
    assert form.unit.count() == 3  # the placeholder and the office's two units
    form.choose_unit(world.units["Dinas Kesehatan"])
    form.instruction.setText("Mohon koordinasi dengan puskesmas.")
    form.submit()
    d = load(world, cid)
    assert d.unit == "Dinas Kesehatan"
    assert d.events[-1].text == "Mohon koordinasi dengan puskesmas."


def test_follow_up_attaches_its_files(qtbot, world: World, workspace: Workspace, files: dict[str, Path]) -> None:
    cid = complaint_in(world, Status.DIDISPOSISIKAN)
    form = open_form(qtbot, workspace, world, "follow_up", cid)
    form.text.setText("Tim sudah menambal jalan pada 3 Maret.")
    form.files.set_files([files["png"], files["pdf"]])
    form.submit()
    names = sorted(a.filename for a in load(world, cid).attachments)
    assert names == ["foto-lokasi.png", "surat-balasan.pdf"]


def test_unsupported_file_is_refused_before_the_follow_up_is_written(
        qtbot, world: World, workspace: Workspace, files: dict[str, Path]) -> None:
    cid = complaint_in(world, Status.DIDISPOSISIKAN)
    before = counts(world, cid)
    form = open_form(qtbot, workspace, world, "follow_up", cid)
    form.text.setText("Tim sudah menambal jalan pada 3 Maret.")
    form.files.set_files([files["png"], files["exe"]])
    form.submit()
    assert "virus.exe" in form.field_error("file")
    assert counts(world, cid) == before


def test_respond_satisfied_closes(qtbot, world: World, make_workspace: Callable[..., Workspace]) -> None:
    ws = make_workspace(Role.PETUGAS_LOKET)
    cid = complaint_in(world, Status.DITINDAKLANJUTI)
    form = open_form(qtbot, ws, world, "respond", cid)
    form.submit()  # "satisfied" is the default; no text needed
    assert load(world, cid).status == Status.SELESAI


def test_redirect_keeps_the_suggested_office(qtbot, world: World, workspace: Workspace) -> None:
    cid = complaint_in(world, Status.BELUM_TERVERIFIKASI)
    form = open_form(qtbot, workspace, world, "redirect", cid)
    form.reason.setText("Jalan nasional, kewenangan BBPJN.")
    form.office.setText("BBPJN Jawa Tengah-DIY")
    form.submit()
    assert '"suggested_office":"BBPJN Jawa Tengah-DIY"' in (load(world, cid).events[-1].data_json or "")


def test_edit_sends_only_what_changed(qtbot, world: World, workspace: Workspace) -> None:
    cid = complaint_in(world, Status.BELUM_TERVERIFIKASI)
    form = open_form(qtbot, workspace, world, "edit", cid)
    form.submit()
    assert form.message() == "Nothing was changed."
    form.latitude.setText("-7,7156")
    form.longitude.setText("abc")
    form.submit()
    assert form.field_error("latitude")
    form.longitude.setText("110.3551")
    form.confidential.setChecked(True)
    form.submit()
    d = load(world, cid)
    assert (d.latitude, d.longitude, d.is_confidential) == (-7.7156, 110.3551, True)
    assert d.title == "Jalan berlubang di depan pasar"


def test_edit_empties_an_optional_field(qtbot, world: World, workspace: Workspace) -> None:
    cid = complaint_in(world, Status.BELUM_TERVERIFIKASI)
    form = open_form(qtbot, workspace, world, "edit", cid)
    form.address.setText("Jl. Kaliurang km 7")
    form.latitude.setText("-7.75")
    form.longitude.setText("110.38")
    form.submit()
    assert load(world, cid).address == "Jl. Kaliurang km 7"
    form = open_form(qtbot, workspace, world, "edit", cid)
    form.address.setText("  ")
    form.latitude.setText("")
    form.longitude.setText("")
    form.submit()
    d = load(world, cid)
    assert (d.address, d.latitude, d.longitude) == (None, None, None)


def test_permission_denied_is_shown_in_the_form(qtbot, world: World,
                                                make_workspace: Callable[..., Workspace]) -> None:
    ws = make_workspace(Role.PIMPINAN)  # leadership reads; it may not dispose (the menu would not offer it)
    cid = complaint_in(world, Status.BELUM_TERVERIFIKASI)
    before = counts(world, cid)
    form = open_form(qtbot, ws, world, "dispose", cid)
    form.choose_unit(world.units[PU])
    form.submit()
    assert "Pimpinan" in form.message()
    assert counts(world, cid) == before


def test_invalid_transition_when_someone_else_moved_it_first(qtbot, world: World, workspace: Workspace) -> None:
    cid = complaint_in(world, Status.BELUM_TERVERIFIKASI)
    form = open_form(qtbot, workspace, world, "dispose", cid)
    wf.archive(world.ctx, world.users[Role.ADMIN_INSTANSI], cid, reason_code="SPAM")  # meanwhile, elsewhere
    form.choose_unit(world.units[PU])
    with qtbot.assertNotEmitted(workspace.hub.complaints_changed):
        form.submit()
    assert "Diarsipkan" in form.message()
    assert load(world, cid).status == Status.DIARSIPKAN


def test_threaded_runner_submits_off_the_gui_thread(qtbot, world: World,
                                                   make_workspace: Callable[..., Workspace]) -> None:
    ws = make_workspace(synchronous=False)
    cid = complaint_in(world, Status.BELUM_TERVERIFIKASI)
    form = FORMS["note"](ws, load(world, cid))
    qtbot.addWidget(form)
    qtbot.waitUntil(lambda: not ws.tasks.busy)
    form.text.setText("Catatan dari tes dengan thread.")
    with qtbot.waitSignal(ws.hub.complaints_changed, timeout=5000):
        form.submit()
        assert not form.ok_button.isEnabled()  # busy while the service runs
    assert load(world, cid).events[-1].text == "Catatan dari tes dengan thread."


def test_a_bug_in_the_service_ends_the_busy_state_and_reaches_the_crash_signal(
        qtbot, world: World, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    cid = complaint_in(world, Status.DIDISPOSISIKAN)
    form = open_form(qtbot, workspace, world, "note", cid)
    form.text.setText("Catatan yang memicu kesalahan program.")

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("a bug, not a known error")

    monkeypatch.setattr(form, "call", broken)
    with qtbot.waitSignal(workspace.tasks.bug) as crash, qtbot.assertNotEmitted(workspace.hub.complaints_changed):
        form.submit()
    assert "RuntimeError" in crash.args[0].summary
    assert form.ok_button.isEnabled()  # the person can try again, or close the form
    assert form.result() == 0
