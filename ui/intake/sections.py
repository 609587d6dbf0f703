"""The intake sections: kind (classification and channel), reporter, what happened, where, category, attachments,
consent. Every one has the interface of :class:`~ui.intake.section.IntakeSection`; :func:`build_sections` makes the
full set in the staff form's order. The kind, what and consent sections are here; the others have modules of their
own (reporter, where, category, attachments) and are importable from here too."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import Channel, Classification
from app.reference.labels import label
from ui.intake.attachments import AttachmentsSection
from ui.intake.category import CategorySection
from ui.intake.draft_keys import get_value, set_value
from ui.intake.office import office_today
from ui.intake.reporter import ReporterSection
from ui.intake.section import IntakeSection, explained, set_text, text_box, text_or_none
from ui.intake.where import WhereSection
from ui.workspace import Workspace

__all__ = ["AttachmentsSection", "CategorySection", "ConsentSection", "IntakeSection", "KindSection",
           "ReporterSection", "WhatSection", "WhereSection", "build_sections", "collect_draft", "restore_draft"]

# The channels an office receives outside LAPOR! itself, most common first.
STAFF_CHANNELS = (Channel.WALK_IN, Channel.LETTER, Channel.PHONE, Channel.EMAIL, Channel.SOCIAL_MEDIA, Channel.SMS)
TITLE_MAX, DESCRIPTION_MAX = 150, 4000


class KindSection(IntakeSection):
    """What kind of report it is (pengaduan, aspirasi, permintaan informasi) and how it reached the office. At the
    counter the channel is always walk-in and not shown."""

    def __init__(self, ws: Workspace, *, counter: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(ws, counter=counter, parent=parent)
        self.add_keys("classification", "channel")
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        self.classification = QButtonGroup(self)
        self.classification_buttons: dict[str, QRadioButton] = {}
        for value, name, note in self._kinds():
            button = QRadioButton(name, box)
            self.classification.addButton(button)
            self.classification_buttons[value] = button
            column.addWidget(explained(box, button, note))
        self.classification.buttonToggled.connect(lambda _b, checked: checked and self.changed.emit())
        self.add_row("classification", self.tr("Classification") if not counter
                     else self.tr("What would you like to do?"), box)
        self.channel = QComboBox(self)
        self.channel.addItem(self.tr("— how did the report arrive? —"), None)
        for channel in STAFF_CHANNELS:
            self.channel.addItem(label(channel, ws.lang), channel.value)
        self.channel.currentIndexChanged.connect(self.emit_changed)
        self.channel_row = self.add_row("channel", self.tr("Received by"), self.channel,
                                        hint=self.tr("Walk-in, letter, phone, e-mail, social media or SMS/WhatsApp: "
                                                     "it decides how the office reaches the reporter."))
        if counter:
            self.form.setRowVisible(self.channel_row, False)

    def _kinds(self) -> list[tuple[str, str, str]]:
        if self.counter:
            return [
                (Classification.PENGADUAN, self.tr("Complain about a service"),
                 self.tr("Something went wrong: a service was refused, slow, unfair or charged for when it should "
                         "not be.")),
                (Classification.ASPIRASI, self.tr("Give a suggestion"),
                 self.tr("An idea to make a service better. Nothing went wrong.")),
                (Classification.PERMINTAAN_INFORMASI, self.tr("Ask for information"),
                 self.tr("A question about a service, or a request for public information. You get an answer "
                         "within 5 working days.")),
            ]
        return [
            (Classification.PENGADUAN, self.tr("Complaint (pengaduan)"),
             self.tr("A public service was not delivered as it should be or harmed someone: refused, slow, an "
                     "illegal fee, a road left broken.")),
            (Classification.ASPIRASI, self.tr("Aspiration (aspirasi)"),
             self.tr("A suggestion or idea to improve a service; nothing is being complained about.")),
            (Classification.PERMINTAAN_INFORMASI, self.tr("Information request (permintaan informasi)"),
             self.tr("A question or a request for public information; to be answered within 5 working days.")),
        ]

    def title(self) -> str:
        return self.tr("Your report") if self.counter else self.tr("Kind of report")

    def collect(self, draft: dict[str, Any]) -> None:
        checked = next((v for v, b in self.classification_buttons.items() if b.isChecked()), None)
        draft["classification"] = checked
        draft["channel"] = Channel.WALK_IN.value if self.counter else self.channel.currentData()

    def restore(self, draft: dict[str, Any]) -> None:
        self._check(draft.get("classification"))
        if not self.counter:
            self.channel.setCurrentIndex(max(self.channel.findData(draft.get("channel")), 0))

    def clear(self) -> None:
        self._check(None)
        self.channel.setCurrentIndex(0)
        self.show_problems({})

    def _check(self, value: Any) -> None:
        self.classification.setExclusive(False)  # an exclusive group cannot have none checked
        for key, button in self.classification_buttons.items():
            button.setChecked(key == value)
        self.classification.setExclusive(True)

    def focus_target(self, key: str) -> QWidget | None:
        if key == "classification":
            return next(iter(self.classification_buttons.values()))
        return super().focus_target(key)


class WhatSection(IntakeSection):
    """The report itself: a one-line title, the full account, and when it happened (if known)."""

    def __init__(self, ws: Workspace, *, counter: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(ws, counter=counter, parent=parent)
        self.add_keys("title", "description", "incident_date")
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText(self.tr("e.g. Road full of holes in front of Pasar Sleman"))
        self.title_row = self.add_row("title", self.tr("In one line") if counter else self.tr("Title"),
                                      self.title_edit)
        self.title_edit.textChanged.connect(self._count)
        self.description = text_box(6, self, grow_to=10)
        self.description.setPlaceholderText(
            self.tr("Tell what happened, where exactly, since when, and what you ask for.") if counter
            else self.tr("What happened, where exactly, since when, who was involved, what the reporter asks for."))
        self.description_row = self.add_row("description", self.tr("Tell us what happened") if counter
                                            else self.tr("Description"), self.description)
        self.description.textChanged.connect(self._count)
        when = QWidget(self)
        row = QHBoxLayout(when)
        row.setContentsMargins(0, 0, 0, 0)
        self.date_known = QCheckBox(self.tr("The date is known:"), when)
        self.date = QDateEdit(when)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setAccessibleName(self.tr("Incident date"))
        self.date.setEnabled(False)
        self.date_known.toggled.connect(self._date_toggled)
        self.date.dateChanged.connect(self.emit_changed)
        row.addWidget(self.date_known)
        row.addWidget(self.date)
        row.addStretch(1)
        self.date_row = self.add_row("incident_date", self.tr("When it happened"), when,
                                     hint=self.tr("Leave it unticked when the date is not known."))
        self.title_edit.textChanged.connect(self.emit_changed)
        self.description.textChanged.connect(self.emit_changed)
        self._count()

    def title(self) -> str:
        return self.tr("What happened")

    def focus_target(self, key: str) -> QWidget | None:
        if key == "incident_date":
            return self.date if self.date.isEnabled() else self.date_known
        return super().focus_target(key)

    def field_widget(self, key: str) -> QWidget | None:
        return self.date_row if key == "incident_date" else super().field_widget(key)

    def _count(self) -> None:
        title, text = len(self.title_edit.text().strip()), len(self.description.text().strip())
        self.title_row.set_hint(self.tr("%1 of at most %2 characters (at least 10).").replace("%1", str(title))
                                .replace("%2", str(TITLE_MAX)))
        self.description_row.set_hint(self.tr("%1 of at most %2 characters (at least 20).")
                                      .replace("%1", str(text)).replace("%2", str(DESCRIPTION_MAX)))

    def _date_toggled(self, known: bool) -> None:
        self.date.setEnabled(known)
        if known:
            today = office_today(self.ws)
            self.date.setMaximumDate(QDate(today.year, today.month, today.day))
        self.changed.emit()

    def collect(self, draft: dict[str, Any]) -> None:
        draft["title"] = text_or_none(self.title_edit)
        draft["description"] = self.description.text() if self.description.text().strip() else None
        if self.date_known.isChecked():
            d = self.date.date()
            draft["incident_date"] = date(d.year(), d.month(), d.day()).isoformat()
        else:
            draft["incident_date"] = None

    def restore(self, draft: dict[str, Any]) -> None:
        set_text(self.title_edit, draft.get("title"))
        self.title_edit.setCursorPosition(0)
        set_text(self.description, draft.get("description"))
        day = None
        raw = draft.get("incident_date")
        if isinstance(raw, str):
            try:
                day = date.fromisoformat(raw)
            except ValueError:
                day = None
        self.date.setMaximumDate(QDate(9999, 12, 31))  # a restored date is shown as it was, and checked
        self.date_known.setChecked(day is not None)
        if day is not None:
            self.date.setDate(QDate(day.year, day.month, day.day))

    def clear(self) -> None:
        self.title_edit.clear()
        self.description.clear()
        self.date_known.setChecked(False)
        today = office_today(self.ws)
        self.date.setDate(QDate(today.year, today.month, today.day))
        self.show_problems({})


class ConsentSection(IntakeSection):
    """Consent to the processing of the reporter's personal data (UU 27/2022 on personal data protection), in plain
    words: what is recorded, why, who sees it, the reporter's rights."""

    def __init__(self, ws: Workspace, *, counter: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(ws, counter=counter, parent=parent)
        self.add_keys("reporter.consent_given")
        you = counter
        text = QLabel(self._statement(you), self)
        text.setWordWrap(True)
        self.statement = text
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(text)
        self.consent = QCheckBox(
            self.tr("I agree that my personal data is recorded and used to handle my report") if you
            else self.tr("The reporter agrees that their personal data is recorded and used to handle this report"),
            box)
        self.consent.toggled.connect(self.emit_changed)
        column.addWidget(self.consent)
        self.add_row("reporter.consent_given", self.tr("Consent") if not counter else self.tr("Your consent"), box,
                     hint=None if you else self.tr("Read it to the reporter, or let them read it, and tick only "
                                                   "when they agree."))

    def _statement(self, you: bool) -> str:
        if you:
            return self.tr(
                "We record your name, NIK, phone number, e-mail, address and any help you need only to handle this "
                "report: to check it, pass it to the unit responsible and tell you what was done. Only the staff "
                "handling it see these details; they never appear on any public page. You may ask to see, correct "
                "or delete your data, and withdraw this consent (Law 27 of 2022 on Personal Data Protection). "
                "Without consent you can still report anonymously, without your personal data.")
        return self.tr(
            "The reporter's name, NIK, phone number, e-mail, address and assistance needs are recorded only to handle "
            "this report: to verify it, pass it to the responsible unit and tell the reporter what was done. Only "
            "the staff handling it see them; they never appear in public outputs. The reporter may ask to see, "
            "correct or delete their data and may withdraw consent (UU 27/2022 on Personal Data Protection). "
            "Without consent, the report can still be taken in anonymously, without personal data.")

    def title(self) -> str:
        return self.tr("Personal data") if not self.counter else self.tr("Your personal data")

    def collect(self, draft: dict[str, Any]) -> None:
        set_value(draft, "reporter.consent_given", self.consent.isChecked())

    def restore(self, draft: dict[str, Any]) -> None:
        self.consent.setChecked(get_value(draft, "reporter.consent_given") is True)

    def clear(self) -> None:
        self.consent.setChecked(False)
        self.show_problems({})

    def focus_target(self, key: str) -> QWidget | None:
        return self.consent


def build_sections(ws: Workspace, *, counter: bool = False, parent: QWidget | None = None) -> list[IntakeSection]:
    """Every section, in the staff form's order: consent right after the personal data it is about."""
    kinds: list[type[IntakeSection]] = [KindSection, ReporterSection, ConsentSection, WhatSection, WhereSection,
                                        CategorySection, AttachmentsSection]
    return [kind(ws, counter=counter, parent=parent) for kind in kinds]


def collect_draft(sections: list[IntakeSection]) -> dict[str, Any]:
    """The draft as every section has it now."""
    draft: dict[str, Any] = {}
    for section in sections:
        section.collect(draft)
    return draft


def restore_draft(sections: list[IntakeSection], draft: dict[str, Any]) -> None:
    for section in sections:
        section.restore(draft)

