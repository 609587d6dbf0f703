"""The reporter: anonymous or confidential (each explained in plain words), name, NIK, phone, e-mail, address and
assistance needs. Which contact is needed follows the channel (app.rules.validation.CONTACT_BY_CHANNEL)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QCompleter, QLineEdit, QVBoxLayout, QWidget

from app.domain import Channel
from app.reference.labels import label
from app.rules.validation import CONTACT_BY_CHANNEL
from ui.actions.form import TextBox
from ui.intake.draft_keys import get_value, set_value
from ui.intake.section import IntakeSection, explained, set_text, text_box, text_or_none
from ui.workspace import Workspace

REPORTER_TEXT_KEYS = ("name", "nik", "phone", "email", "address", "assistance_needs")


class ReporterSection(IntakeSection):
    def __init__(self, ws: Workspace, *, counter: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(ws, counter=counter, parent=parent)
        self.add_keys("is_anonymous", "is_confidential", *(f"reporter.{k}" for k in REPORTER_TEXT_KEYS))
        you = counter
        marks = QWidget(self)
        column = QVBoxLayout(marks)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        self.anonymous = QCheckBox(self.tr("Keep my identity hidden (anonymous)") if you
                                   else self.tr("Anonymous (anonim)"), marks)
        column.addWidget(explained(marks, self.anonymous, self.tr(
            "Only the office's administrator can see who you are; other staff and every printout or export do "
            "not. You may leave your name empty; a phone number lets us reach you.") if you else self.tr(
            "The reporter's name and contact are hidden from every staff member except the office admin, and never "
            "leave in exports. The name may stay empty; a phone number still lets the office reach them.")))
        self.confidential = QCheckBox(self.tr("Keep my report out of public view (confidential)") if you
                                      else self.tr("Confidential (rahasia)"), marks)
        column.addWidget(explained(marks, self.confidential, self.tr(
            "Your report itself never appears on public pages or in public statistics. Choose this if it could "
            "put you or others at risk.") if you else self.tr(
            "The complaint itself never appears in any public output (status page details, public statistics). "
            "Use it when the matter could put the reporter or others at risk.")))
        self.anonymous.toggled.connect(self._anonymity_changed)
        self.confidential.toggled.connect(self.emit_changed)
        self.add_row("is_anonymous", self.tr("Privacy"), marks, owns=("is_confidential",))
        self.name = QLineEdit(self)
        self.name_row = self.add_row("reporter.name", self.tr("Your name") if you else self.tr("Name"), self.name)
        self.nik = QLineEdit(self)
        self.nik.setPlaceholderText(self.tr("16 digits, as on the KTP"))
        self.add_row("reporter.nik", self.tr("NIK"), self.nik,
                     hint=self.tr("Optional. Checked as it is typed: 16 digits, a real district code, a real date "
                                  "of birth."))
        self.phone = QLineEdit(self)
        self.phone.setPlaceholderText(self.tr("e.g. 0812 3456 7890"))
        self.phone_row = self.add_row("reporter.phone", self.tr("Phone / WhatsApp"), self.phone)
        self.email = QLineEdit(self)
        self.email.setPlaceholderText(self.tr("e.g. name@example.com"))
        self.email_row = self.add_row("reporter.email", self.tr("E-mail"), self.email)
        self.address = text_box(2, self)
        self.address_row = self.add_row("reporter.address", self.tr("Your address") if you else self.tr("Address"),
                                        self.address)
        self.assistance = QLineEdit(self)
        self.assistance.setPlaceholderText(self.tr("e.g. wheelchair user; deaf, needs a sign language interpreter"))
        common = [self.tr("wheelchair user"), self.tr("blind or low vision"),
                  self.tr("deaf, needs a sign language interpreter"), self.tr("speaks only the local language"),
                  self.tr("needs help reading and writing")]
        completer = QCompleter(common, self.assistance)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.assistance.setCompleter(completer)
        self.add_row("reporter.assistance_needs", self.tr("Help you need") if you else self.tr("Assistance needs"),
                     self.assistance,
                     hint=self.tr("Disability or language help, only if you tell us.") if you else
                     self.tr("Disability or language help the reporter asks for. Health data: fill it only when the "
                             "reporter says so."))
        self.texts: dict[str, QLineEdit | TextBox] = {
            "name": self.name, "nik": self.nik, "phone": self.phone, "email": self.email, "address": self.address,
            "assistance_needs": self.assistance}
        for edit in self.texts.values():
            edit.textChanged.connect(self.emit_changed)
        self._channel: str | None = None
        self._update_hints()

    def title(self) -> str:
        return self.tr("About you") if self.counter else self.tr("Reporter")

    def collect(self, draft: dict[str, Any]) -> None:
        draft["is_anonymous"] = self.anonymous.isChecked()
        draft["is_confidential"] = self.confidential.isChecked()
        for key, edit in self.texts.items():
            value = edit.text() if isinstance(edit, TextBox) else text_or_none(edit)
            set_value(draft, f"reporter.{key}", value if value and value.strip() else None)

    def restore(self, draft: dict[str, Any]) -> None:
        self.anonymous.setChecked(draft.get("is_anonymous") is True)
        self.confidential.setChecked(draft.get("is_confidential") is True)
        for key, edit in self.texts.items():
            set_text(edit, get_value(draft, f"reporter.{key}"))
            if isinstance(edit, QLineEdit):
                edit.setCursorPosition(0)

    def clear(self) -> None:
        self.anonymous.setChecked(False)
        self.confidential.setChecked(False)
        for edit in self.texts.values():
            edit.clear()
        self.show_problems({})

    def draft_changed(self, draft: dict[str, Any]) -> None:
        channel = draft.get("channel")
        if channel != self._channel:
            self._channel = channel if isinstance(channel, str) else None
            self._update_hints()

    def focus_target(self, key: str) -> QWidget | None:
        if key in ("is_anonymous", "is_confidential"):
            return self.anonymous if key == "is_anonymous" else self.confidential
        return super().focus_target(key)

    def _anonymity_changed(self) -> None:
        self._update_hints()
        self.changed.emit()

    def _update_hints(self) -> None:
        anonymous = self.anonymous.isChecked()
        self.name_row.set_hint(self.tr("May stay empty for an anonymous report.") if anonymous
                               else self.tr("As on the KTP (identity card)."))
        try:
            needed = CONTACT_BY_CHANNEL[Channel(self._channel)] if self._channel else ()
        except ValueError:
            needed = ()
        rows = {"phone": self.phone_row, "email": self.email_row, "address": self.address_row}
        if not needed or anonymous:
            for row in rows.values():
                row.set_hint("")
            return
        channel = label(Channel(self._channel or ""), self.ws.lang) if self._channel else ""
        words = {"phone": self.tr("phone"), "email": self.tr("e-mail"), "address": self.tr("address")}
        needed_words = self.tr(" or ").join(words[n] for n in needed)
        text = (self.tr("For a report by %1, give the %2 so the reporter can be reached.")
                .replace("%1", channel).replace("%2", needed_words))
        for key, row in rows.items():
            row.set_hint(text if key == needed[0] else "")
