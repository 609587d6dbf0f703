"""The staff's intake form: a complaint received outside LAPOR! (walk-in, letter, phone, e-mail, social media,
SMS/WhatsApp) typed in by an office admin, a unit liaison or counter staff. Every section in one scrolling column,
the buttons always in view; checked as typed; kept as a draft until it is registered; likely duplicates shown
before anything is saved. Fits a 1024×768 screen without sideways scrolling; Ctrl+Enter registers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.intake import IntakeOffice
from ui.intake.done_page import DonePage
from ui.intake.drafts import DraftSaver, DraftStore, SavedDraft
from ui.intake.duplicates_panel import DuplicatePanel
from ui.intake.flow import DoneHook, IntakeFlow, IntakeOutcome
from ui.intake.office import office_today, with_office
from ui.intake.section import ERROR_COLOUR, IntakeSection
from ui.intake.sections import build_sections, collect_draft, restore_draft
from ui.intake.validate import LiveValidation
from ui.style import ACCENT_SOFT, BORDER, muted, scaled_font, style_form
from ui.workspace import Workspace

DRAFT_KIND = "staff"
TWO_COLUMNS_FROM = 1200  # dialog width (px) from which the sections stand in two columns
TWO_COLUMN_SPLIT = 3  # kind, reporter, consent on the left; what, where, category, attachments on the right
BANNER_STYLE = f"QFrame#banner {{ background: {ACCENT_SOFT}; border: 1px solid {BORDER}; border-radius: 6px; }}"


class Banner(QFrame):
    """A line of text with buttons, above the form: a draft offered back, a discard to confirm."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setStyleSheet(BANNER_STYLE)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        row.addWidget(self.text, 1)
        self.yes = QPushButton(self)
        self.no = QPushButton(self)
        for button in (self.yes, self.no):
            button.setAutoDefault(False)
            row.addWidget(button)
        self.hide()

    def ask(self, text: str, yes: str, no: str) -> None:
        self.text.setText(text)
        self.yes.setText(yes)
        self.no.setText(no)
        self.show()
        self.yes.setFocus()


class StaffIntakeForm(QDialog):
    """Testable without exec(): construct, fill the sections, ``submit()``."""

    done_signal = Signal(str, str, bool)  # complaint id, tracking code, linked to an existing complaint
    print_started = Signal(object)  # the receipt's PrintJob (its ``finished`` says how it ended)

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, on_done: DoneHook | None = None) -> None:
        super().__init__(parent)
        style_form(self)
        self.ws = ws
        self.setWindowTitle(self.tr("New complaint"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 12, 14, 12)
        outer.setSpacing(8)
        heading = QLabel(self.tr("New complaint"), self)
        heading.setObjectName("pageTitle")
        heading.setFont(scaled_font(heading.font(), 1.3, bold=True))
        outer.addWidget(heading)
        intro = QLabel(self.tr("For a report received outside LAPOR!: at the counter, by letter, phone, e-mail, "
                               "social media or SMS/WhatsApp. Problems show next to their fields as you type; "
                               "Ctrl+Enter registers."), self)
        intro.setWordWrap(True)
        muted(intro)
        outer.addWidget(intro)
        self.offer = Banner(self)
        self.offer.yes.clicked.connect(self.continue_draft)
        self.offer.no.clicked.connect(self.start_anew)
        outer.addWidget(self.offer)
        self.confirm = Banner(self)
        self.confirm.yes.clicked.connect(self.discard)
        self.confirm.no.clicked.connect(self.confirm.hide)
        outer.addWidget(self.confirm)

        self.sections: list[IntakeSection] = build_sections(ws)
        self.pages = QStackedWidget(self)
        self.scroll = QScrollArea(self.pages)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setAccessibleName(self.tr("New complaint form"))
        content = QWidget(self.scroll)
        self._row = QHBoxLayout(content)
        self._row.setContentsMargins(0, 0, 6, 0)
        self._row.setSpacing(12)
        self._columns = (QVBoxLayout(), QVBoxLayout())
        for column in self._columns:
            column.setSpacing(10)
            self._row.addLayout(column, 1)
        self._boxes: list[QGroupBox] = []
        for number, section in enumerate(self.sections, 1):
            box = QGroupBox(f"{number} · {section.title()}", content)
            inner = QVBoxLayout(box)
            inner.setContentsMargins(10, 6, 10, 8)
            inner.addWidget(section)
            self._boxes.append(box)
        self._column_count = 0
        self._arrange(1)
        self.scroll.setWidget(content)
        self.pages.addWidget(self.scroll)
        self.duplicates = DuplicatePanel(ws, self.pages)
        self.pages.addWidget(self.duplicates)
        self.done_page = DonePage(self.pages)
        self.pages.addWidget(self.done_page)
        outer.addWidget(self.pages, 1)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName(self.tr("Form message"))
        self.message.setStyleSheet(f"color: {ERROR_COLOUR}; background: #fde4e4; border: 1px solid #f3b7b7; "
                                   "border-radius: 4px; padding: 6px 8px;")
        self.message.hide()
        outer.addWidget(self.message)
        buttons = QHBoxLayout()
        self.discard_button = QPushButton(self.tr("Discard…"), self)
        self.discard_button.setToolTip(self.tr("Empty the form and delete its draft"))
        self.discard_button.clicked.connect(self.ask_discard)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setToolTip(self.tr("What was typed is kept as a draft and offered back next time"))
        self.close_button.clicked.connect(self.reject)
        self.submit_button = QPushButton(self.tr("Register complaint"), self)
        self.submit_button.setToolTip(self.tr("Ctrl+Enter"))
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self.submit)
        for button in (self.discard_button, self.close_button):
            button.setAutoDefault(False)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.submit_button)
        outer.addLayout(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.submit)

        self.live = LiveValidation(self.sections, lang=ws.lang, today=lambda: office_today(ws), parent=self)
        self.live.shown_changed.connect(self._shown_changed)
        self.flow = IntakeFlow(ws, on_done=on_done, parent=self)
        self.flow.busy_changed.connect(self._busy)
        self.flow.problems_found.connect(self._refused)
        self.flow.duplicates_found.connect(self._duplicates_found)
        self.flow.failed.connect(self.show_message)
        self._failure = ""
        self.flow.done.connect(self._saved)
        self.duplicates.link_requested.connect(self.flow.link_to)
        self.duplicates.register_requested.connect(self.flow.register_new)
        self.duplicates.back_requested.connect(self.back_to_form)
        self.done_page.new_requested.connect(self.start_anew)
        self.done_page.close_requested.connect(self.accept)
        self.done_page.print_requested.connect(lambda: self._paper(save=False))
        self.done_page.pdf_requested.connect(lambda: self._paper(save=True))
        self.outcome: IntakeOutcome | None = None
        self.drafts = DraftStore(ws.paths.data_dir, ws.user.id, DRAFT_KIND)
        self.saver = DraftSaver(self.drafts, on_error=self._draft_failed, parent=self)
        for section in self.sections:
            section.changed.connect(self._changed)
            section.clear()
        self.saver.empty = collect_draft(self.sections)
        self.live.reset(self.saver.empty)
        self._offered: SavedDraft | None = self.drafts.load()
        if self._offered is not None:
            self._offer(self._offered)
        with_office(ws, self._office_known, self)
        self.resize(980, 720)
        self._focus_first()

    # ---- layout: one column, or two on a wide screen ------------------------------------------------------------

    def _arrange(self, columns: int) -> None:
        """Sections in one column, or (wide enough) the reporter's side left and the report's side right; the
        labels of a column line up."""
        if columns == self._column_count:
            return
        self._column_count = columns
        left, right = self._columns
        for column in self._columns:
            # removeWidget deletes the layout's item for the box: a taken item left alive would keep the box's
            # size cache to itself, and the new one would never hear the box grow (a row clipped under the next).
            for box in self._boxes:
                column.removeWidget(box)
            while column.count():
                column.takeAt(0)  # the stretch
        split = len(self.sections) if columns == 1 else TWO_COLUMN_SPLIT
        self._row.setStretch(1, 0 if columns == 1 else 1)
        self._row.setSpacing(0 if columns == 1 else 12)
        groups = [(left, list(range(split))), (right, list(range(split, len(self.sections))))]
        for column, indexes in groups:
            for index in indexes:
                column.addWidget(self._boxes[index])
            column.addStretch(1)
            width = max((self.sections[i].label_width() for i in indexes), default=0)
            for index in indexes:
                self.sections[index].set_label_width(width)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        self._arrange(2 if event.size().width() >= TWO_COLUMNS_FROM else 1)
        super().resizeEvent(event)

    # ---- state -----------------------------------------------------------------------------------------------

    def draft(self) -> dict[str, Any]:
        return collect_draft(self.sections)

    def section(self, kind: type[IntakeSection]) -> Any:
        return next(s for s in self.sections if isinstance(s, kind))

    def _office_known(self, office: IntakeOffice) -> None:
        # The empty form starts at the office's regency (the where section sets it): a form left so is not kept.
        # Only that key changes: what the officer may have typed meanwhile is not "empty".
        self.saver.empty = dict(self.saver.empty, region_code=".".join(office.region_code.split(".")[:2]))
        self.live.set_ready()

    def _changed(self) -> None:
        self.saver.changed(collect_draft(self.sections))

    def _focus_first(self) -> None:
        target = self.offer.yes if not self.offer.isHidden() else self.sections[0].focus_target("classification")
        if target is not None:
            target.setFocus()

    # ---- the draft offered back ----------------------------------------------------------------------------

    def _offer(self, saved: SavedDraft) -> None:
        when = QLocale().toString(saved.saved_at.astimezone(), QLocale.FormatType.ShortFormat)
        self.offer.ask(self.tr("There is an unfinished draft from %1. Continue the unfinished draft?")
                       .replace("%1", when), self.tr("Continue the draft"), self.tr("Discard it and start anew"))
        self.saver.set_paused(True)  # the old draft stays on disk until the officer chooses
        self._set_form_enabled(False)

    def continue_draft(self) -> None:
        saved, self._offered = self._offered, None
        self.offer.hide()
        self._set_form_enabled(True)
        self.saver.set_paused(False)
        if saved is not None:
            restore_draft(self.sections, saved.draft)
            self.live.restored(saved.draft)
        self._focus_first()

    def start_anew(self) -> None:
        """An empty form (after a discard of the offered draft, or "new complaint" when one is done)."""
        self._offered = None
        self.offer.hide()
        self.saver.set_paused(False)
        self.saver.discard()
        for section in self.sections:
            section.clear()
        self.saver.empty = collect_draft(self.sections)
        self.live.reset(self.saver.empty)
        self._set_form_enabled(True)
        self._show_page(self.scroll)
        self.scroll.verticalScrollBar().setValue(0)
        self.show_message("")
        self._focus_first()

    def ask_discard(self) -> None:
        self.confirm.ask(self.tr("Empty the form and delete its draft? What was typed is lost."),
                         self.tr("Yes, discard"), self.tr("No, keep it"))

    def discard(self) -> None:
        self.confirm.hide()
        self.start_anew()

    def _set_form_enabled(self, enabled: bool) -> None:
        self.scroll.widget().setEnabled(enabled)
        self.submit_button.setEnabled(enabled)
        self.discard_button.setEnabled(enabled)

    def _draft_failed(self, exc: OSError) -> None:
        self.show_message(self.tr("The draft cannot be saved (%1); finish this intake before closing the program.")
                          .replace("%1", exc.strerror or type(exc).__name__))

    # ---- submitting ----------------------------------------------------------------------------------------

    def submit(self) -> None:
        """Check everything, then look for duplicates and register (or show every problem next to its field)."""
        if self.pages.currentWidget() is not self.scroll or not self.submit_button.isEnabled() or self.flow.busy:
            return
        self._failure = ""
        problems = self.live.submit_tried()
        if problems:
            self._focus_problem(problems)
            return
        self.flow.submit(collect_draft(self.sections))

    def _shown_changed(self, shown: dict[str, str]) -> None:
        """The form's message line: after a submit was tried, how many problems remain (and the problems of keys
        no section shows); a refusal by the service stays until the next submit."""
        lines = []
        if self.live.submitted and shown:
            lines.append(self.tr("%n problem(s) to fix before the complaint can be registered.", "", len(shown)))
        lines += self.live.stray().values()
        if self._failure:
            lines.append(self._failure)
        self._set_message("\n".join(lines))

    def _focus_problem(self, problems: dict[str, str]) -> None:
        for section in self.sections:
            widget = section.first_problem_widget(problems)
            if widget is not None:
                self.scroll.ensureWidgetVisible(widget, 0, 40)
                widget.setFocus()
                return

    def _refused(self, problems: dict[str, str]) -> None:
        """The service (or the flow's own check) refused the draft: back to the form, its problems shown."""
        self.back_to_form()
        owned = set()
        for section in self.sections:
            keys = tuple(section.keys())
            owned |= set(keys)
            section.show_problems({k: v for k, v in problems.items() if k in keys})
        self._focus_problem(problems)
        self.show_message("\n".join([self.tr("%n problem(s) to fix before the complaint can be registered.", "",
                                              len(problems)), *(v for k, v in problems.items() if k not in owned)]))

    def _duplicates_found(self, found: list[Any]) -> None:
        self._show_page(self.duplicates)
        self.duplicates.show_duplicates(found)

    def back_to_form(self) -> None:
        self.flow.back()
        self._show_page(self.scroll)

    def _show_page(self, page: QWidget) -> None:
        """The form, the duplicates or the result; the form's own buttons only with the form (the other pages
        have theirs)."""
        self.pages.setCurrentWidget(page)
        on_form = page is self.scroll
        for button in (self.submit_button, self.discard_button):
            button.setVisible(on_form)
            button.setEnabled(on_form and not self.flow.busy)
        self.close_button.setVisible(page is not self.done_page)

    def _busy(self, busy: bool) -> None:
        self.submit_button.setEnabled(not busy and self.pages.currentWidget() is self.scroll)
        self.duplicates.set_busy(busy)
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def _paper(self, *, save: bool) -> None:
        """The receipt of the complaint just saved: printed through the printer dialog, or saved as PDF."""
        from ui.printing.service import RECEIPT, print_complaint, save_complaint_pdf

        if self.outcome is None:
            return
        if save:
            save_complaint_pdf(self.ws, self, self.outcome.complaint_id, RECEIPT, started=self.print_started.emit)
        else:
            print_complaint(self.ws, self, self.outcome.complaint_id, RECEIPT, started=self.print_started.emit)

    def _saved(self, outcome: IntakeOutcome) -> None:
        self.outcome = outcome
        self.saver.discard()  # personal data: not kept a moment longer than needed
        self.done_page.show_outcome(outcome, self.ws.lang)
        self._show_page(self.done_page)
        self.show_message("")
        self.done_signal.emit(outcome.complaint_id, outcome.tracking_code, outcome.linked)

    def show_message(self, text: str) -> None:
        """A message above the buttons (a refusal that is not about one field); it stays until the next submit."""
        self._failure = text
        self._set_message(text)

    def message_text(self) -> str:
        return self.message.text() if not self.message.isHidden() else ""

    def _set_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # ---- closing: the draft stays ----------------------------------------------------------------------------

    def done(self, result: int) -> None:  # noqa: D401 - QDialog's name
        self.saver.flush()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.saver.flush()
        super().closeEvent(event)
