"""The staff's intake form end to end over the real store: every problem at once next to its field, a complaint
registered with its files, the draft kept when the form goes away unsubmitted and offered back, likely duplicates
(link or register anew), and the roles that may not take complaints in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from app.domain import EventKind, Role
from app.models import Attachment, Complaint, TimelineEvent
from tests.helpers.world import World
from tests.ui.intake.conftest import good_draft
from ui.intake.drafts import DraftStore
from ui.intake.launch import open_staff_intake
from ui.intake.reporter import ReporterSection
from ui.intake.sections import KindSection, WhatSection, restore_draft
from ui.intake.staff_form import DRAFT_KIND, StaffIntakeForm
from ui.workspace import Workspace

Done = list[tuple[str, str, bool]]


def form_for(ws: Workspace, qtbot: Any, done: Done | None = None) -> StaffIntakeForm:
    form = StaffIntakeForm(ws, on_done=(lambda *args: done.append(args)) if done is not None else None)
    qtbot.add_widget(form)
    return form


def fill(form: StaffIntakeForm, draft: dict[str, Any]) -> None:
    restore_draft(form.sections, draft)
    form.live.restored(draft)


def count(world: World, model: type) -> int:
    with world.store.read() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def test_an_empty_submit_shows_every_problem_next_to_its_field(workspace: Workspace, world: World,
                                                               qtbot: Any) -> None:
    form = form_for(workspace, qtbot)
    form.show()
    qtbot.wait_exposed(form)
    form.activateWindow()
    qtbot.wait_until(lambda: QApplication.activeWindow() is form)
    assert form.live.shown == {}  # no wall of red on an empty form
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    shown = form.live.shown
    assert set(shown) == {"classification", "channel", "title", "description", "reporter.name",
                          "reporter.consent_given"}
    for key, message in shown.items():
        section = next(s for s in form.sections if key in tuple(s.keys()))
        assert section.problem_text(key) == message
    assert form.message_text() == "6 problem(s) to fix before the complaint can be registered."
    kind = form.section(KindSection)
    assert QApplication.focusWidget() is kind.classification_buttons["PENGADUAN"]
    assert count(world, Complaint) == 0
    kind.classification_buttons["ASPIRASI"].click()
    form.live.check_now()
    assert kind.problem_text("classification") == ""
    assert form.message_text() == "5 problem(s) to fix before the complaint can be registered."


def test_a_complaint_is_registered_with_its_files(workspace: Workspace, world: World, qtbot: Any,
                                                  tmp_path: Path) -> None:
    letter = tmp_path / "surat-warga.pdf"
    letter.write_bytes(b"%PDF-1.4 surat")
    done: Done = []
    changed: list[list[str]] = []
    workspace.hub.complaints_changed.connect(changed.append)
    form = form_for(workspace, qtbot, done)
    fill(form, good_draft(attachments=[str(letter)], category_id="infrastruktur.jalan"))
    form.submit()
    assert form.pages.currentWidget() is form.done_page
    [(complaint_id, code, linked)] = done
    assert not linked and form.done_page.code.text() == code and changed == [[complaint_id]]
    with world.store.read() as s:
        complaint = s.get(Complaint, complaint_id)
        assert complaint is not None and complaint.channel == "PHONE" and complaint.category_id == \
            "infrastruktur.jalan" and complaint.region_code == "34.04.12.2002"
        [attachment] = s.execute(select(Attachment).where(Attachment.complaint_id == complaint_id)).scalars()
        assert attachment.filename == "surat-warga.pdf"
    assert not DraftStore(workspace.paths.data_dir, workspace.user.id, DRAFT_KIND).exists()
    form.done_page.new_button.click()
    assert form.pages.currentWidget() is form.scroll and form.draft()["title"] is None


def test_the_draft_is_kept_when_the_form_goes_away_and_offered_back(workspace: Workspace, qtbot: Any) -> None:
    form = StaffIntakeForm(workspace)
    form.show()
    what = form.section(WhatSection)
    what.title_edit.setFocus()
    qtbot.keyClicks(what.title_edit, "Air PDAM mati tiga hari")
    form.section(ReporterSection).nik.setText("3404121708900001")
    gone: list[bool] = []
    form.destroyed.connect(lambda *_: gone.append(True))
    form.deleteLater()  # not closed, not submitted: the program goes away mid-intake
    qtbot.wait_until(lambda: gone == [True])
    store = DraftStore(workspace.paths.data_dir, workspace.user.id, DRAFT_KIND)
    assert store.exists()
    again = form_for(workspace, qtbot)
    again.show()
    again.activateWindow()
    qtbot.wait_until(lambda: QApplication.activeWindow() is again)
    assert again.offer.isVisible() and "Continue the unfinished draft?" in again.offer.text.text()
    assert not again.scroll.widget().isEnabled() and QApplication.focusWidget() is again.offer.yes
    again.offer.yes.click()
    assert again.section(WhatSection).title_edit.text() == "Air PDAM mati tiga hari"
    assert again.section(ReporterSection).nik.text() == "3404121708900001"
    assert again.scroll.widget().isEnabled() and store.exists()
    again.ask_discard()
    again.confirm.yes.click()
    assert not store.exists() and again.draft()["title"] is None
    third = form_for(workspace, qtbot)
    assert third.offer.isHidden()


def test_another_user_is_not_offered_this_users_draft(make_workspace: Callable[..., Workspace],
                                                      qtbot: Any) -> None:
    admin = make_workspace(Role.ADMIN_INSTANSI)
    form = form_for(admin, qtbot)
    form.section(WhatSection).title_edit.setText("Draf milik admin")
    form.saver.flush()
    assert form_for(make_workspace(Role.PETUGAS_LOKET), qtbot).offer.isHidden()
    assert not form_for(admin, qtbot).offer.isHidden()


@pytest.fixture
def duplicate(workspace: Workspace, world: World, qtbot: Any, qtmodeltester: Any) -> tuple[StaffIntakeForm, str,
                                                                                             Done]:
    """A complaint from Budi Santoso (phone 081234567890) in the store; the form holds another account from the
    same phone number and has been submitted."""
    existing = world.new_complaint()
    world.clock.advance(days=2)
    done: Done = []
    form = form_for(workspace, qtbot, done)
    fill(form, good_draft(reporter_phone="0812-3456-7890", reporter_name="Siti Aminah", reporter_nik=None,
                          title="Pungutan di kantor kelurahan", description="Warga diminta membayar "
                          "Rp50.000 untuk surat pengantar yang seharusnya gratis."))
    form.submit()
    assert form.pages.currentWidget() is form.duplicates
    qtmodeltester.check(form.duplicates.model)
    return form, existing, done


def test_a_duplicate_by_phone_is_shown_without_reporter_data(duplicate: tuple[StaffIntakeForm, str, Done],
                                                              world: World) -> None:
    form, existing, _done = duplicate
    model = form.duplicates.model
    assert model.rowCount() == 1
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    with world.store.read() as s:
        code = s.get(Complaint, existing).tracking_code  # type: ignore[union-attr]
    assert row == [code, "2 Mar 2026", "Belum terverifikasi", "Jalan berlubang di depan pasar", "same phone number"]
    assert not any("Budi" in str(cell) or "0812" in str(cell) for cell in row)
    assert not form.submit_button.isEnabled()


def test_linking_adds_to_the_existing_complaint(duplicate: tuple[StaffIntakeForm, str, Done],
                                                world: World) -> None:
    form, existing, done = duplicate
    complaints = count(world, Complaint)
    form.duplicates.link_button.click()
    assert count(world, Complaint) == complaints
    with world.store.read() as s:
        [note] = s.execute(select(TimelineEvent).where(TimelineEvent.complaint_id == existing,
                                                       TimelineEvent.kind == EventKind.NOTE)).scalars()
        assert "Pungutan di kantor kelurahan" in (note.text or "") and "Siti" not in (note.text or "")
    assert [(cid, linked) for cid, _code, linked in done] == [(existing, True)]
    assert form.pages.currentWidget() is form.done_page and form.done_page.heading.text() == \
        "Added to an existing complaint"


def test_registering_anew_from_the_duplicates(duplicate: tuple[StaffIntakeForm, str, Done], world: World) -> None:
    form, existing, done = duplicate
    complaints = count(world, Complaint)
    form.duplicates.register_button.click()
    assert count(world, Complaint) == complaints + 1
    [(cid, _code, linked)] = done
    assert cid != existing and not linked


def test_back_from_the_duplicates_keeps_the_form(duplicate: tuple[StaffIntakeForm, str, Done],
                                                 world: World) -> None:
    form, _existing, done = duplicate
    form.duplicates.back_button.click()
    assert form.pages.currentWidget() is form.scroll and form.submit_button.isEnabled()
    assert form.draft()["title"] == "Pungutan di kantor kelurahan" and done == []


def test_a_role_that_may_not_take_complaints_in(make_workspace: Callable[..., Workspace], world: World,
                                                qtbot: Any) -> None:
    leader = make_workspace(Role.PIMPINAN)
    told: list[Any] = []
    leader.tasks.known_error.connect(told.append)
    open_staff_intake(leader, None)
    assert "may not take in complaints" in told[0].en and "intake.staff_form" not in leader.extras
    form = form_for(leader, qtbot)  # even if a form were opened, the service refuses
    fill(form, good_draft())
    form.submit()
    assert form.message_text() == \
        "Tindakan ini hanya untuk peran: Admin instansi, Admin penghubung, Petugas loket."  # the window's language
    assert count(world, Complaint) == 0 and form.pages.currentWidget() is form.scroll


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the offscreen platform
def test_the_launcher_opens_one_form(workspace: Workspace, qtbot: Any) -> None:
    open_staff_intake(workspace, None)
    form = workspace.extras["intake.staff_form"]
    qtbot.add_widget(form)
    assert isinstance(form, StaffIntakeForm) and form.isVisible() and not form.isModal()
    open_staff_intake(workspace, None)
    assert workspace.extras["intake.staff_form"] is form


def test_the_whole_way_on_the_real_threads(make_workspace: Callable[..., Workspace], world: World, qtbot: Any,
                                           tmp_path: Path) -> None:
    """Background work on the database thread as in the program: the duplicate check, then the link and the file,
    arrive through the event loop; the busy state covers the whole way."""
    existing = world.new_complaint()
    photo = tmp_path / "foto-lokasi.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    ws = make_workspace(Role.ADMIN_INSTANSI, synchronous=False)
    done: Done = []
    form = form_for(ws, qtbot, done)
    qtbot.wait_until(lambda: form.live._ready, timeout=5000)
    fill(form, good_draft(reporter_phone="081234567890", attachments=[str(photo)]))
    busy: list[bool] = []
    form.flow.busy_changed.connect(busy.append)
    form.submit()
    assert form.flow.busy and not form.submit_button.isEnabled()
    qtbot.wait_until(lambda: form.pages.currentWidget() is form.duplicates, timeout=5000)
    assert busy == [True, False]
    form.duplicates.link_button.click()
    qtbot.wait_until(lambda: done != [], timeout=5000)
    assert done[0][0] == existing and done[0][2] is True and busy == [True, False, True, False]
    with world.store.read() as s:
        [attachment] = s.execute(select(Attachment).where(Attachment.complaint_id == existing)).scalars()
        assert attachment.filename == "foto-lokasi.jpg"
    assert count(world, Complaint) == 1


def test_a_form_left_as_it_opened_keeps_no_draft(workspace: Workspace, qtbot: Any) -> None:
    form = form_for(workspace, qtbot)
    store = DraftStore(workspace.paths.data_dir, workspace.user.id, DRAFT_KIND)
    what = form.section(WhatSection)
    what.title_edit.setText("Sesuatu")
    form.saver.flush()
    assert store.exists()
    what.title_edit.clear()  # back as it opened (the office's regency chosen, nothing typed)
    form.reject()
    assert not store.exists()
