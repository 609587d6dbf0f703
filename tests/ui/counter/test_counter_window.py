"""Counter mode as the counter officer uses it with a citizen across the desk: the intake step by step, typed, to a
receipt saved as PDF (its text holds the code and PIN, its QR the status-page address of that code); an anonymous
intake whose papers carry no identity; the likely-duplicate question; the idle clear and lock; no list of other
people's complaints anywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QPlainTextEdit
from sqlalchemy import func, select

from app.models import Complaint
from app.rules.citizen_view import status_pin
from app.rules.tracking import compact
from tests.helpers.world import PASSWORD, World
from tests.ui.counter.conftest import STATUS_PAGE, no_list_anywhere
from tests.ui.intake.conftest import NIK, good_draft
from tests.ui.printing.pdfcheck import pdf_text, qr_codes, rendered
from ui.counter import CounterWindow
from ui.counter.intake_steps import IntakeSteps
from ui.intake.sections import WhatSection


def count(world: World) -> int:
    with world.store.read() as s:
        return int(s.execute(select(func.count()).select_from(Complaint)).scalar_one())


def go_through(qtbot: Any, steps: IntakeSteps, draft: dict[str, Any]) -> None:
    """Every step as the officer does it: the step's fields filled in (the title and the description typed key by
    key), then "Next"; at the end, the review page."""
    for index, section in enumerate(steps.sections):
        assert steps.step() == index
        if isinstance(section, WhatSection):
            section.restore({**draft, "title": "", "description": ""})
            title = section.field_widget("title")
            QTest.keyClicks(title, draft["title"])
            description = section.field_widget("description")
            if isinstance(description, QPlainTextEdit):
                description.setFocus()
                QTest.keyClicks(description, draft["description"])
        else:
            section.restore(draft)
        steps.next_button.click()
        assert not any(section.problem_text(k) for k in tuple(section.keys())), \
            {k: section.problem_text(k) for k in tuple(section.keys()) if section.problem_text(k)}
    assert steps.on_review()


def save_pdf(qtbot: Any, steps: IntakeSteps, path: Path) -> Path:
    with qtbot.wait_signal(steps.print_started) as started:
        steps.pdf_button.click()
    job = started.args[0]
    qtbot.wait_until(lambda: job.file_dialog is not None and job.file_dialog.isVisible())
    job.file_dialog.selectFile(str(path))
    job.file_dialog.accept()
    qtbot.wait_until(lambda: job.outcome is not None)
    assert job.saved_path == path and path.exists()
    return path


def test_a_walk_in_from_the_first_step_to_the_receipt(qtbot, counter: CounterWindow, world: World,  # type: ignore[no-untyped-def]
                                                      tmp_path: Path) -> None:
    before = count(world)
    counter.new_button.click()
    steps = counter.intake
    assert counter.current_page() is steps and no_list_anywhere(counter)
    steps.next_button.click()  # nothing chosen yet: the first step says what is missing, and stays
    assert steps.step() == 0 and any(steps.sections[0].problem_text(k) for k in tuple(steps.sections[0].keys()))
    draft = good_draft(channel="WALK_IN")
    go_through(qtbot, steps, draft)
    review = steps.review_text.text()
    assert draft["title"] in review and "Budi Santoso" in review and NIK in review  # the citizen checks their own
    steps.submit_button.click()
    qtbot.wait_until(steps.on_receipt)
    assert count(world) == before + 1 and no_list_anywhere(counter)
    outcome = steps.result
    assert outcome is not None and not outcome.linked
    assert steps.code_label.text() == outcome.tracking_code
    assert status_pin(outcome.complaint_id) in steps.pin_label.text()
    assert not steps.drafts.exists()  # personal data is not kept once the complaint is in

    pdf = save_pdf(qtbot, steps, tmp_path / "tanda-terima.pdf")
    text = pdf_text(pdf)
    assert outcome.tracking_code in text and status_pin(outcome.complaint_id) in text.replace(" ", "")
    codes = [found.text for page in rendered(pdf, tmp_path / "pages") for found in qr_codes(page)]
    assert codes == [f"{STATUS_PAGE}/cek/{compact(outcome.tracking_code)}?pin={status_pin(outcome.complaint_id)}"]

    steps.finish_button.click()  # the next citizen gets an empty form
    assert counter.current_page() is counter.home
    counter.new_button.click()
    assert steps.step() == 0 and not steps.has_content()
    assert all(not v for k, v in steps.draft().items() if k not in ("channel", "classification", "region_code",
                                                                    "reporter", "is_anonymous", "is_confidential"))


def test_an_anonymous_walk_in_leaves_no_identity_on_its_papers(qtbot, counter: CounterWindow,  # type: ignore[no-untyped-def]
                                                                tmp_path: Path, monkeypatch: Any) -> None:
    from ui.printing import jobs

    counter.new_button.click()
    steps = counter.intake
    draft = good_draft(channel="WALK_IN", is_anonymous=True, title="Pungutan liar di loket perizinan Sleman")
    go_through(qtbot, steps, draft)
    steps.submit_button.click()
    qtbot.wait_until(steps.on_receipt)
    outcome = steps.result
    assert outcome is not None
    receipt = pdf_text(save_pdf(qtbot, steps, tmp_path / "anonim.pdf"))
    steps.finish_button.click()

    # The citizen comes back: the look-up, "Cetak surat status" on a PC without a printer, the PDF offered instead.
    monkeypatch.setattr(jobs, "printer_names", lambda: [])
    counter.check_button.click()
    counter.lookup.code.setText(outcome.tracking_code)
    counter.lookup.search()
    with qtbot.wait_signal(steps.print_started) as started:
        counter.lookup.letter_button.click()
    job = started.args[0]
    qtbot.wait_until(lambda: job.message_box is not None and job.message_box.isVisible())
    offer = job.message_box
    save = next(b for b in offer.buttons() if offer.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    save.click()  # "Simpan sebagai PDF…"
    qtbot.wait_until(lambda: job.file_dialog is not None and job.file_dialog.isVisible())
    job.file_dialog.selectFile(str(tmp_path / "surat.pdf"))
    job.file_dialog.accept()
    qtbot.wait_until(lambda: job.outcome is not None)
    letter = pdf_text(tmp_path / "surat.pdf")
    assert outcome.tracking_code in receipt and outcome.tracking_code in letter
    for identity in ("Budi", "Santoso", NIK, "3456 7890", "0812"):
        assert identity not in receipt and identity not in letter


def test_a_likely_duplicate_is_put_to_the_officer(qtbot, counter: CounterWindow, world: World) -> None:  # type: ignore[no-untyped-def]
    steps = counter.intake
    counter.new_button.click()
    go_through(qtbot, steps, good_draft(channel="WALK_IN"))
    steps.submit_button.click()
    qtbot.wait_until(steps.on_receipt)
    first = steps.result
    steps.finish_button.click()
    before = count(world)
    counter.new_button.click()  # the same citizen comes back with the same phone number, another story
    go_through(qtbot, steps, good_draft(channel="WALK_IN", title="Lampu jalan mati di depan Pasar Sleman"))
    steps.submit_button.click()
    qtbot.wait_until(lambda: steps.stack.currentWidget() is steps.duplicates)
    model = steps.duplicates.model
    cells = [str(model.index(r, c).data()) for r in range(model.rowCount()) for c in range(model.columnCount())]
    assert model.rowCount() == 1 and first.tracking_code in cells
    assert not [cell for cell in cells if "Budi" in cell or "3456" in cell or NIK in cell]  # no reporter data
    steps.duplicates.link_requested.emit(first.complaint_id)  # "Gabungkan ke laporan ini"
    qtbot.wait_until(steps.on_receipt)
    assert steps.result.linked and steps.result.tracking_code == first.tracking_code and count(world) == before


def test_idle_clears_what_a_citizen_typed_and_then_locks(qtbot, counter: CounterWindow) -> None:  # type: ignore[no-untyped-def]
    counter.new_button.click()
    steps = counter.intake
    steps.sections[0].restore(good_draft(channel="WALK_IN"))
    steps.sections[1].restore(good_draft(channel="WALK_IN"))
    qtbot.wait_until(steps.drafts.exists)
    assert steps.has_content()
    counter.clear_watch.idle.emit()  # the watcher's minutes passed without a key or a click
    assert counter.current_page() is counter.home and not steps.has_content() and not steps.drafts.exists()
    counter.lock_watch.idle.emit()
    assert counter.is_locked()
    assert counter.clear_watch.interval() < counter.lock_watch.interval()


def test_a_lock_by_hand_keeps_the_intake_behind_it(qtbot, counter: CounterWindow) -> None:  # type: ignore[no-untyped-def]
    counter.new_button.click()
    steps = counter.intake
    steps.sections[0].restore(good_draft(channel="WALK_IN"))
    steps.next_button.click()
    counter.lock_button.click()
    assert counter.is_locked() and not steps.isVisible()
    counter.lock_screen.password.setText(PASSWORD)
    counter.lock_screen.submit()
    qtbot.wait_until(lambda: not counter.is_locked())
    assert counter.current_page() is steps and steps.step() == 1 and steps.has_content()


def test_the_draft_question_and_its_answers(qtbot, counter: CounterWindow) -> None:  # type: ignore[no-untyped-def]
    steps = counter.intake
    steps.drafts.save(good_draft(channel="WALK_IN"))
    counter.new_button.click()
    box = steps.draft_question
    assert isinstance(box, QMessageBox) and box.isVisible()
    box.button(QMessageBox.StandardButton.Yes).click()
    assert steps.draft()["title"] == good_draft()["title"]
    steps.cancel_button.click()
    assert not steps.drafts.exists() and counter.current_page() is counter.home
