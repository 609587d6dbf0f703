"""The counter's intake, one step at a time: the staff form's sections (ui.intake) one per page in large type, a
review page the citizen reads (optionally on a second screen), then the receipt.

"Next" checks only the step on screen, so the citizen fixes one thing at a time; the review checks everything
again. The draft is written to disk as it changes (ui.intake.drafts) and offered back after a crash or a closed
window; it is deleted after the submit, on "Cancel" and when the counter clears itself.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.rules.citizen_view import status_pin
from app.store.db import Store
from ui.counter.review import ReviewMirror, review_rows
from ui.intake.drafts import DraftSaver, DraftStore, SavedDraft
from ui.intake.duplicates_panel import DuplicatePanel
from ui.intake.flow import IntakeFlow, IntakeOutcome
from ui.intake.office import office_today, with_office
from ui.intake.section import IntakeSection
from ui.intake.sections import build_sections, collect_draft, restore_draft
from ui.intake.validate import LiveValidation
from ui.printing.service import RECEIPT, STATUS_LETTER, print_complaint, save_complaint_pdf
from ui.style import scaled_font, style_form
from ui.workspace import Workspace

log = logging.getLogger(__name__)


def region_names(store: Store, code: str) -> str:
    """"village, district, regency, province" of a region code (database thread); "" when unknown."""
    from app.reference.regions import region_path

    with store.read() as session:
        return ", ".join(row.name for row in reversed(region_path(session, code)))


DRAFT_NAME = "counter"


class IntakeSteps(QWidget):
    """``finished``: the citizen was served (or the officer cancelled); the counter goes back to its start."""

    finished = Signal()
    print_started = Signal(object)  # the PrintJob of a receipt or letter just started (its ``finished`` tells how)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.sections: list[IntakeSection] = build_sections(ws, counter=True, parent=self)
        self.result: IntakeOutcome | None = None
        self.mirror: ReviewMirror | None = None
        self.draft_question: QMessageBox | None = None

        self.step_label = QLabel(self)
        self.step_label.setFont(scaled_font(self.font(), 1.25, bold=True))
        self.step_label.setObjectName("pageTitle")
        self.stack = QStackedWidget(self)
        for section in self.sections:
            scroll = QScrollArea(self.stack)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            section.setParent(scroll)
            scroll.setWidget(section)
            self.stack.addWidget(scroll)
        self.review = self._review_page()
        self.stack.addWidget(self.review)
        self.duplicates = DuplicatePanel(ws, self.stack)
        self.stack.addWidget(self.duplicates)
        self.receipt = self._receipt_page()
        self.stack.addWidget(self.receipt)

        self.cancel_button = QPushButton(self.tr("Ca&ncel"), self)
        self.cancel_button.clicked.connect(self.cancel)
        self.back_button = QPushButton(self.tr("&Back"), self)
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton(self.tr("&Next"), self)
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next)
        self.submit_button = QPushButton(self.tr("&Submit the complaint"), self)
        self.submit_button.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.submit_button)
        self.buttons = QWidget(self)
        self.buttons.setLayout(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 20, 40, 16)
        layout.addWidget(self.step_label)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.buttons)

        self.live = LiveValidation(self.sections, lang=ws.lang, today=lambda: office_today(ws), parent=self)
        self.flow = IntakeFlow(ws, parent=self)
        self.flow.busy_changed.connect(self._busy)
        self.flow.problems_found.connect(self._refused)
        self.flow.duplicates_found.connect(self._duplicates_found)
        self.flow.failed.connect(self._failed)
        self.flow.done.connect(self._submitted)
        self.duplicates.link_requested.connect(self.flow.link_to)
        self.duplicates.register_requested.connect(self.flow.register_new)
        self.duplicates.back_requested.connect(self._back_from_duplicates)
        self.drafts = DraftStore(ws.paths.data_dir, ws.user.id, DRAFT_NAME)
        self.saver = DraftSaver(self.drafts, on_error=self._draft_failed, parent=self)
        for section in self.sections:
            section.clear()
            section.changed.connect(self._changed)  # after the clearing: an empty form is no draft to save
        self.saver.empty = self.draft()
        self.live.reset(self.saver.empty)
        with_office(ws, lambda _office: self.live.set_ready(), self)
        self._show_step(0)

    # ---- pages -------------------------------------------------------------------------------------------------

    def _review_page(self) -> QWidget:
        page = QWidget(self.stack)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        intro = QLabel(self.tr("Please read your complaint once more. If something is wrong, tell the officer; "
                               "it is sent only when you agree."), page)
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.review_text = QLabel(page)
        self.review_text.setWordWrap(True)
        self.review_text.setTextFormat(Qt.TextFormat.RichText)
        self.review_text.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.review_text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        scroll = QScrollArea(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.review_text)
        column.addWidget(scroll, 1)
        self.second_screen = QCheckBox(self.tr("Show this page to the citizen on the &second screen"), page)
        self.second_screen.toggled.connect(self._mirror)
        column.addWidget(self.second_screen)
        self.review_problems = QLabel(page)
        self.review_problems.setObjectName("error")
        self.review_problems.setWordWrap(True)
        self.review_problems.hide()
        column.addWidget(self.review_problems)
        return page

    def _receipt_page(self) -> QWidget:
        page = QWidget(self.stack)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        self.done_title = QLabel(page)
        self.done_title.setFont(scaled_font(self.font(), 1.2, bold=True))
        self.done_title.setWordWrap(True)
        self.code_label = QLabel(page)
        self.code_label.setFont(scaled_font(self.font(), 2.4, bold=True))
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_label.setAccessibleName(self.tr("Tracking code"))
        self.pin_label = QLabel(page)
        self.pin_label.setFont(scaled_font(self.font(), 1.4, bold=True))
        self.pin_label.setAccessibleName(self.tr("Status PIN"))
        hint = QLabel(self.tr("Give the citizen the printed receipt. With the code and the PIN they can check the "
                              "status at the counter or on the LAPOR! status page."), page)
        hint.setWordWrap(True)
        self.message = QLabel(page)
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.message.hide()
        row = QHBoxLayout()
        self.print_button = QPushButton(self.tr("&Print the receipt"), page)
        self.print_button.setToolTip(self.tr("Straight to this PC's default printer"))
        self.print_button.clicked.connect(lambda: self.print_receipt())
        self.dialog_button = QPushButton(self.tr("Print &with options…"), page)
        self.dialog_button.setToolTip(self.tr("Choose the printer, the paper and the copies"))
        self.dialog_button.clicked.connect(lambda: self.print_receipt(ask=True))
        self.pdf_button = QPushButton(self.tr("Save as P&DF…"), page)
        self.pdf_button.clicked.connect(self.save_receipt_pdf)
        self.finish_button = QPushButton(self.tr("&Finish: next citizen"), page)
        self.finish_button.clicked.connect(self.finish)
        row.addWidget(self.print_button)
        row.addWidget(self.dialog_button)
        row.addWidget(self.pdf_button)
        row.addStretch(1)
        row.addWidget(self.finish_button)
        column.addWidget(self.done_title)
        column.addWidget(self.code_label)
        column.addWidget(self.pin_label)
        column.addWidget(hint)
        column.addWidget(self.message)
        column.addStretch(1)
        column.addLayout(row)
        return page

    # ---- moving ------------------------------------------------------------------------------------------------

    def step(self) -> int:
        return self.stack.currentIndex()

    def on_review(self) -> bool:
        return self.stack.currentWidget() is self.review

    def on_receipt(self) -> bool:
        return self.stack.currentWidget() is self.receipt

    def _show_step(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        count = len(self.sections)
        page = self.stack.currentWidget()
        if index < count:
            self.step_label.setText(self.tr("Step %1 of %2 · %3").replace("%1", str(index + 1))
                                    .replace("%2", str(count + 1)).replace("%3", self.sections[index].title()))
        elif page is self.review:
            self.step_label.setText(self.tr("Step %1 of %1 · Check and send").replace("%1", str(count + 1)))
        elif page is self.duplicates:
            self.step_label.setText(self.tr("Already registered?"))
        else:
            self.step_label.setText(self.tr("Complaint received"))
        self.back_button.setVisible(0 < index <= count)
        self.next_button.setVisible(index < count)
        self.submit_button.setVisible(page is self.review)
        self.cancel_button.setVisible(page is not self.receipt)
        (self.submit_button if page is self.review else self.next_button).setDefault(True)
        if index < count:
            keys = self.sections[index].keys()
            first = self.sections[index].focus_target(keys[0]) if keys else None
            if first is not None:
                first.setFocus()

    def draft(self) -> dict[str, Any]:
        draft = collect_draft(self.sections)
        draft["channel"] = draft.get("channel") or "WALK_IN"
        return draft

    @Slot()
    def next(self) -> None:
        """The step's own problems, all at once next to their fields; the next step when there are none."""
        index = self.step()
        if index >= len(self.sections):
            return
        section = self.sections[index]
        problems = self.live.show_keys(section.keys())
        if problems:
            target = section.first_problem_widget(problems)
            if target is not None:
                target.setFocus()
            return
        if index + 1 < len(self.sections):
            self._show_step(index + 1)
        else:
            self._show_review()

    @Slot()
    def back(self) -> None:
        if 0 < self.step() <= len(self.sections):
            self._show_step(self.step() - 1)

    def _show_review(self) -> None:
        self._show_step(len(self.sections))
        draft = self.draft()
        self.review_text.setText(review_rows(draft, self.ws.lang))
        self.review_problems.hide()
        if self.mirror is not None:
            self.mirror.show_review(draft, self.ws.lang)
        self.second_screen.setEnabled(len(QGuiApplication.screens()) > 1 or self.mirror is not None)
        code = draft.get("region_code")
        if code:
            self.ws.tasks.db(region_names, self.ws.store, code, owner=self,
                             on_success=lambda names: self._region_named(draft, names))

    def _region_named(self, draft: dict[str, Any], names: str) -> None:
        if self.on_review() and names:
            self.review_text.setText(review_rows(draft, self.ws.lang, names))
            if self.mirror is not None:
                self.mirror.show_review(draft, self.ws.lang, names)

    # ---- submit ------------------------------------------------------------------------------------------------

    @Slot()
    def submit(self) -> None:
        if self.flow.busy or not self.on_review():
            return
        problems = self.live.submit_tried()
        if problems:
            self._refused(problems)
            return
        self.flow.submit(self.draft())

    def _refused(self, problems: dict[str, str]) -> None:
        """Back to the first step with a problem (something changed, or the service refused), shown there."""
        self.flow.back()
        for index, section in enumerate(self.sections):
            owned = set(section.keys())
            mine = {k: v for k, v in problems.items() if k in owned}
            if mine:
                self._show_step(index)
                section.show_problems(mine)
                target = section.first_problem_widget(mine)
                if target is not None:
                    target.setFocus()
                return
        self._show_review()
        self.review_problems.setText("\n".join(problems.values()))
        self.review_problems.show()

    def _failed(self, text: str) -> None:
        """A refusal that is not about a field (a full disk, an account locked meanwhile): said on the review."""
        if not self.on_review():
            self._show_review()
        self.review_problems.setText(text)
        self.review_problems.show()

    def _duplicates_found(self, found: list[Any]) -> None:
        """The officer decides with the citizen: the same complaint (linked) or a new one."""
        self._close_mirror()
        self.stack.setCurrentWidget(self.duplicates)
        self._show_step(self.stack.currentIndex())
        self.duplicates.show_duplicates(found)

    def _back_from_duplicates(self) -> None:
        self.flow.back()
        self._show_review()

    def _busy(self, busy: bool) -> None:
        self.submit_button.setEnabled(not busy)
        self.duplicates.set_busy(busy)

    def _submitted(self, outcome: IntakeOutcome) -> None:
        log.info("counter intake done (%s)", "linked to an existing complaint" if outcome.linked else "new")
        self.result = outcome
        self.saver.discard()  # personal data: not kept a moment longer than needed
        self._close_mirror()
        self.done_title.setText(self.tr("Added to the complaint already registered under this code:")
                                if outcome.linked else self.tr("The complaint is registered. Tracking code:"))
        self.code_label.setText(outcome.tracking_code)
        self.pin_label.setText(self.tr("Status PIN: %1").replace("%1", status_pin(outcome.complaint_id)))
        lines = [f"{name}: {message.text(self.ws.lang)}" for name, message in outcome.failed_files]
        self.message.setText(self.tr("Not attached:") + "\n" + "\n".join(lines) if lines else "")
        self.message.setVisible(bool(lines))
        self.stack.setCurrentWidget(self.receipt)
        self._show_step(self.stack.currentIndex())
        self.finish_button.setFocus()

    # ---- printing ----------------------------------------------------------------------------------------------

    def print_receipt(self, *, ask: bool = False) -> None:
        """Straight to the default printer (the counter's quick way), or through the printer dialog; no printer or
        a failed print: the printing service says so and offers the PDF."""
        if self.result is not None:
            print_complaint(self.ws, self, self.result.complaint_id, RECEIPT, ask=ask,
                            started=self.print_started.emit)

    @Slot()
    def save_receipt_pdf(self) -> None:
        if self.result is not None:
            save_complaint_pdf(self.ws, self, self.result.complaint_id, RECEIPT, started=self.print_started.emit)

    @Slot(str)
    def print_status_letter(self, complaint_id: str) -> None:
        print_complaint(self.ws, self, complaint_id, STATUS_LETTER, started=self.print_started.emit)

    # ---- draft, clearing ---------------------------------------------------------------------------------------

    def begin(self) -> None:
        """A new citizen: an unfinished draft (the program was closed or crashed mid-intake) is offered back."""
        self.clear(discard_draft=False)
        saved = self.drafts.load()
        if saved is None:
            return
        self.saver.set_paused(True)  # the old draft stays on disk until the officer chooses
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unfinished complaint"),
                          self.tr("A complaint was being typed here when LAPOR Desk last closed. Continue it?"),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard, self)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("&Continue it"))
        box.button(QMessageBox.StandardButton.Discard).setText(self.tr("&Start afresh"))
        style_form(box)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: self._draft_answer(box, saved))
        self.draft_question = box
        box.open()

    def _draft_answer(self, box: QMessageBox, saved: SavedDraft) -> None:
        self.draft_question = None
        self.saver.set_paused(False)
        if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
            self.restore(saved.draft)
        else:
            self.saver.discard()

    def restore(self, draft: dict[str, Any]) -> None:
        restore_draft(self.sections, draft)
        self.live.restored(draft)
        self._show_step(0)

    def has_content(self) -> bool:
        return self.draft() != self.saver.empty and not self.on_receipt()

    def clear(self, *, discard_draft: bool) -> None:
        if self.draft_question is not None:
            self.draft_question.close()
            self.draft_question = None
        self.flow.back()
        if not discard_draft:
            self.saver.flush()  # what was typed so far is on disk
        self.saver.set_paused(True)  # emptying the form is no change to the saved draft
        for section in self.sections:
            section.clear()
        if discard_draft:
            self.saver.discard()
        self.saver.set_paused(False)
        self.saver.empty = self.draft()
        self.live.reset(self.saver.empty)
        self.result = None
        self._close_mirror()
        self.second_screen.setChecked(False)
        self.message.hide()
        self._show_step(0)

    @Slot()
    def cancel(self) -> None:
        self.clear(discard_draft=True)
        self.finished.emit()

    @Slot()
    def finish(self) -> None:
        self.clear(discard_draft=True)
        self.finished.emit()

    def _changed(self) -> None:
        if not self.on_receipt():
            self.saver.changed(self.draft())

    def save_now(self) -> None:
        """The window is closing: what was typed is on disk before it goes."""
        self.saver.flush()

    def _draft_failed(self, exc: OSError) -> None:
        log.warning("the counter's draft cannot be saved: %s", type(exc).__name__)

    # ---- second screen -----------------------------------------------------------------------------------------

    def _mirror(self, on: bool) -> None:
        if not on:
            self._close_mirror()
            return
        screens = QGuiApplication.screens()
        own = self.screen()
        other = next((s for s in screens if s is not own), None)
        self.mirror = ReviewMirror(other)
        self.mirror.show_review(self.draft(), self.ws.lang)

    def _close_mirror(self) -> None:
        if self.mirror is not None:
            self.mirror.close()
            self.mirror.deleteLater()
            self.mirror = None
