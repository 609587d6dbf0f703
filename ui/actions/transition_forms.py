"""Forms for the status changes: dispose, postpone, resume, redirect, archive, un-archive, close, reopen and the
reporter's response. Each calls its service in app.services.workflow_actions."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QButtonGroup, QComboBox, QCompleter, QHBoxLayout, QLineEdit, QRadioButton, QWidget

from app.domain import ArchiveReason
from app.read.choices import load_office_units, load_other_office_names
from app.reference.labels import label
from app.services import workflow_actions as wf
from app.services.context import ServiceContext
from ui.actions.form import ActionForm, TextBox


class DisposeForm(ActionForm):
    """Verify and disposition to a unit of the office, with an optional instruction."""

    action = "dispose"

    def title(self) -> str:
        return self.tr("Verify and dispose")

    def submit_text(self) -> str:
        return self.tr("Dispose")

    def build(self) -> None:
        self.unit = QComboBox(self)
        self.unit.addItem(self.tr("— choose a unit —"), "")
        self.add_field("unit_id", self.tr("&Unit"), self.unit)
        self.instruction = TextBox(5, self)
        self.instruction.setPlaceholderText(self.tr("What the unit should do, e.g. check on site and reply"))
        self.add_field("instruction", self.tr("&Instruction"), self.instruction,
                       hint=self.tr("Optional. The unit's liaison sees it on the timeline."))
        self.ws.tasks.db(load_office_units, self.ws.store, self.ws.office_id, on_success=self._fill_units, owner=self)

    def _fill_units(self, units: list[Any]) -> None:
        for unit in units:
            self.unit.addItem(unit.name, unit.id)
        if self.detail is not None and self.detail.unit_id:
            index = self.unit.findData(self.detail.unit_id)
            if index >= 0:
                self.unit.setCurrentIndex(index)

    def choose_unit(self, unit_id: str) -> None:
        self.unit.setCurrentIndex(max(self.unit.findData(unit_id), 0))

    def collect(self) -> dict[str, Any]:
        return {"unit_id": self.unit.currentData() or "", "instruction": self.instruction.text()}

    @staticmethod
    def call(ctx: ServiceContext, actor_id: str, complaint_id: str, values: dict[str, Any]) -> Any:
        return wf.dispose(ctx, actor_id, complaint_id, **values)


class _ReasonForm(ActionForm):
    """A status change that needs a written reason."""

    def build(self) -> None:
        self.reason = TextBox(4, self)
        self.reason.setPlaceholderText(self.reason_placeholder())
        self.add_field("reason", self.tr("&Reason"), self.reason)

    def reason_placeholder(self) -> str:
        return ""

    def collect(self) -> dict[str, Any]:
        return {"reason": self.reason.text()}


class PostponeForm(_ReasonForm):
    action = "postpone"

    def title(self) -> str:
        return self.tr("Postpone: ask the reporter for clarification")

    def submit_text(self) -> str:
        return self.tr("Postpone")

    def reason_placeholder(self) -> str:
        return self.tr("What is missing, e.g. the exact location or a photo")

    @staticmethod
    def call(ctx: ServiceContext, actor_id: str, complaint_id: str, values: dict[str, Any]) -> Any:
        return wf.postpone(ctx, actor_id, complaint_id, **values)


class ResumeForm(ActionForm):
    """The reporter's clarification arrived: back to verification."""

    action = "resume"

    def title(self) -> str:
        return self.tr("Clarification received")

    def submit_text(self) -> str:
        return self.tr("Resume")

    def build(self) -> None:
        self.note = TextBox(4, self)
        self.note.setPlaceholderText(self.tr("What the reporter clarified (optional)"))
        self.add_field("note", self.tr("&Note"), self.note)

    def collect(self) -> dict[str, Any]:
        return {"note": self.note.text()}

    @staticmethod
    def call(ctx: ServiceContext, actor_id: str, complaint_id: str, values: dict[str, Any]) -> Any:
        return wf.resume(ctx, actor_id, complaint_id, **values)


class RedirectForm(_ReasonForm):
    """Not this office's authority (bukan wewenang): handed back for re-routing, with a suggested office."""

    action = "redirect"

    def title(self) -> str:
        return self.tr("Not our authority: redirect")

    def submit_text(self) -> str:
        return self.tr("Redirect")

    def reason_placeholder(self) -> str:
        return self.tr("Why this is not the office's authority")

    def build(self) -> None:
        super().build()
        self.office = QLineEdit(self)
        self.office.setPlaceholderText(self.tr("e.g. Pemerintah Provinsi, BPJS Kesehatan"))
        self.add_field("suggested_office", self.tr("&Suggested office"), self.office,
                       hint=self.tr("Optional. The national admin routes the complaint on."))
        self.ws.tasks.db(load_other_office_names, self.ws.store, self.ws.office_id, on_success=self._fill_offices,
                         owner=self)

    def _fill_offices(self, names: list[str]) -> None:
        completer = QCompleter(names, self.office)
        completer.setCaseSensitivity(completer.caseSensitivity().CaseInsensitive)
        completer.setFilterMode(completer.filterMode().MatchContains)
        self.office.setCompleter(completer)

    def collect(self) -> dict[str, Any]:
        return {"reason": self.reason.text(), "suggested_office": self.office.text().strip() or None}

    @staticmethod
    def call(ctx: ServiceContext, actor_id: str, complaint_id: str, values: dict[str, Any]) -> Any:
        return wf.redirect(ctx, actor_id, complaint_id, **values)


class ArchiveForm(ActionForm):
    action = "archive"

    def title(self) -> str:
        return self.tr("Archive")

    def submit_text(self) -> str:
        return self.tr("Archive")

    def build(self) -> None:
        self.reason = QComboBox(self)
        self.reason.addItem(self.tr("— choose a reason —"), "")
        for code in ArchiveReason:
            self.reason.addItem(label(code, self.ws.lang), code.value)
        self.add_field("reason_code", self.tr("&Reason"), self.reason)
        self.note = TextBox(3, self)
        self.note.setPlaceholderText(self.tr("e.g. the tracking code of the original complaint"))
        self.add_field("note", self.tr("&Note"), self.note)

    def choose_reason(self, code: str) -> None:
        self.reason.setCurrentIndex(max(self.reason.findData(code), 0))

    def collect(self) -> dict[str, Any]:
        return {"reason_code": self.reason.currentData() or "", "note": self.note.text()}

    @staticmethod
    def call(ctx: ServiceContext, actor_id: str, complaint_id: str, values: dict[str, Any]) -> Any:
        return wf.archive(ctx, actor_id, complaint_id, **values)


class UnarchiveForm(_ReasonForm):
    action = "unarchive"

    def title(self) -> str:
        return self.tr("Take out of the archive")

    def submit_text(self) -> str:
        return self.tr("Un-archive")

    def reason_placeholder(self) -> str:
        return self.tr("Why the complaint is handled again")

    @staticmethod
    def call(ctx: ServiceContext, actor_id: str, complaint_id: str, values: dict[str, Any]) -> Any:
        return wf.unarchive(ctx, actor_id, complaint_id, **values)


class CloseForm(ActionForm):
    action = "close"

    def title(self) -> str:
        return self.tr("Close the complaint")

    def submit_text(self) -> str:
        return self.tr("Close complaint")

    def build(self) -> None:
        self.note = TextBox(4, self)
        self.note.setPlaceholderText(self.tr("How the complaint was resolved (optional)"))
        self.add_field("note", self.tr("&Closing note"), self.note)

    def collect(self) -> dict[str, Any]:
        return {"note": self.note.text()}

    @staticmethod
    def call(ctx: ServiceContext, actor_id: str, complaint_id: str, values: dict[str, Any]) -> Any:
        return wf.close(ctx, actor_id, complaint_id, **values)


class ReopenForm(_ReasonForm):
    action = "reopen"

    def title(self) -> str:
        return self.tr("Reopen")

    def submit_text(self) -> str:
        return self.tr("Reopen")

    def reason_placeholder(self) -> str:
        return self.tr("Why the complaint needs handling again")

    @staticmethod
    def call(ctx: ServiceContext, actor_id: str, complaint_id: str, values: dict[str, Any]) -> Any:
        return wf.reopen(ctx, actor_id, complaint_id, **values)


class ResponseForm(ActionForm):
    """The reporter's response to the follow-up: satisfied closes it, not satisfied sends it back to the unit."""

    action = "respond"

    def title(self) -> str:
        return self.tr("Record the reporter's response")

    def submit_text(self) -> str:
        return self.tr("Record response")

    def build(self) -> None:
        choice = QWidget(self)
        row = QHBoxLayout(choice)
        row.setContentsMargins(0, 0, 0, 0)
        self.satisfied = QRadioButton(self.tr("&Satisfied"), choice)
        self.not_satisfied = QRadioButton(self.tr("N&ot satisfied"), choice)
        self._group = QButtonGroup(self)
        for button in (self.satisfied, self.not_satisfied):
            self._group.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        self.satisfied.setChecked(True)
        self.add_field("satisfied", self.tr("Reporter is"), choice)
        self.text = TextBox(4, self)
        self.text.setPlaceholderText(self.tr("What the reporter said"))
        self.add_field("text", self.tr("&Response"), self.text,
                       hint=self.tr("Required when the reporter is not satisfied; the complaint goes back to the "
                                    "unit."))

    def collect(self) -> dict[str, Any]:
        return {"satisfied": self.satisfied.isChecked(), "text": self.text.text()}

    @staticmethod
    def call(ctx: ServiceContext, actor_id: str, complaint_id: str, values: dict[str, Any]) -> Any:
        return wf.record_response(ctx, actor_id, complaint_id, **values)
