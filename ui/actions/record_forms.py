"""Forms for what is not a status move (internal note, editing fields, attaching files) and the follow-up, which
is a status move that may carry files. Services: app.services.records and app.services.workflow_actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLineEdit, QWidget

from app.domain import Classification
from app.errors import LaporError, Message
from app.read.choices import load_category_tree
from app.reference.labels import label
from app.services import records
from app.services import workflow_actions as wf
from app.services.context import ServiceContext
from ui.actions.files import FilePicker, files_problem
from ui.actions.form import ActionForm, FormInvalid, TextBox
from ui.tasks import known_error_message


@dataclass(frozen=True)
class FilesResult:
    """What a form that attaches files did: the service's own result, the new attachment ids, and the files
    that could not be attached after the main change was saved (a full disk, say)."""

    result: Any
    attachment_ids: list[str] = field(default_factory=list)
    failed: list[tuple[str, Message]] = field(default_factory=list)


def _attach_all(ctx: ServiceContext, actor_id: str, complaint_id: str, paths: list[Path],
                result: Any = None) -> FilesResult:
    out = FilesResult(result)
    for path in paths:
        try:
            out.attachment_ids.append(records.attach_file(ctx, actor_id, complaint_id, path))
        except (LaporError, OSError) as exc:
            out.failed.append((path.name, known_error_message(exc)))
    return out


class _FilesForm(ActionForm):
    def _succeeded(self, result: Any) -> None:
        if isinstance(result, FilesResult) and result.failed:
            lines = [f"{name}: {msg.text(self.ws.lang)}" for name, msg in result.failed]
            text = self.tr("These files could not be attached:") + "\n" + "\n".join(lines)
            self.ws.tasks.known_error.emit(Message(text, text))
        super()._succeeded(result)


class FollowUpForm(_FilesForm):
    """The unit's reply (tindak lanjut), with supporting files."""

    action = "follow_up"

    def title(self) -> str:
        return self.tr("Follow-up")

    def submit_text(self) -> str:
        return self.tr("Send follow-up")

    def build(self) -> None:
        self.text = TextBox(7, self)
        self.text.setPlaceholderText(self.tr("What the unit did or will do, and when"))
        self.add_field("text", self.tr("&Follow-up"), self.text,
                       hint=self.tr("The reporter can read this and respond."))
        self.files = FilePicker(self)
        self.add_field("file", self.tr("Files"), self.files)

    def collect(self) -> dict[str, Any]:
        problem = files_problem(self.files.files())
        if problem is not None:  # the text is checked too, so that both problems show at once
            raise FormInvalid({"file": problem}, rest={"text": self.text.text()})
        return {"text": self.text.text(), "files": self.files.files()}

    @staticmethod
    def problems_of(ctx: ServiceContext, actor_id: str, complaint_id: str, rest: Any) -> dict[str, Message]:
        return wf.input_problems("follow_up", rest)

    @staticmethod
    def call(ctx: ServiceContext, actor_id: str, complaint_id: str, values: dict[str, Any]) -> Any:
        result = wf.follow_up(ctx, actor_id, complaint_id, text=values["text"])
        return _attach_all(ctx, actor_id, complaint_id, values["files"], result)


class AttachForm(_FilesForm):
    action = "attach"

    def title(self) -> str:
        return self.tr("Attach files")

    def submit_text(self) -> str:
        return self.tr("Attach")

    def build(self) -> None:
        self.files = FilePicker(self)
        self.add_field("file", self.tr("Files"), self.files,
                       hint=self.tr("PDF, images, Office documents, text, audio or video; at most 20 MB each."))

    def collect(self) -> list[Path]:
        paths = self.files.files()
        if not paths:
            text = self.tr("Choose at least one file.")
            raise FormInvalid({"file": Message(text, text)})
        problem = files_problem(paths)
        if problem is not None:
            raise FormInvalid({"file": problem})
        return paths

    @staticmethod
    def call(ctx: ServiceContext, actor_id: str, complaint_id: str, values: list[Path]) -> Any:
        out = _attach_all(ctx, actor_id, complaint_id, values)
        if out.failed and not out.attachment_ids:
            raise LaporError(Message("\n".join(m.id for _, m in out.failed), "\n".join(m.en for _, m in out.failed)))
        return out


class NoteForm(ActionForm):
    """An internal note: on the timeline for staff, never shown to the reporter."""

    action = "note"

    def title(self) -> str:
        return self.tr("Internal note")

    def submit_text(self) -> str:
        return self.tr("Add note")

    def build(self) -> None:
        self.text = TextBox(5, self)
        self.add_field("text", self.tr("&Note"), self.text, hint=self.tr("Only staff see internal notes."))

    def collect(self) -> dict[str, Any]:
        return {"text": self.text.text()}

    @staticmethod
    def call(ctx: ServiceContext, actor_id: str, complaint_id: str, values: dict[str, Any]) -> Any:
        return records.add_note(ctx, actor_id, complaint_id, **values)


NO_DATE = QDate(1900, 1, 1)


class EditForm(ActionForm):
    """Edit the editable fields; only what changed is sent (the timeline keeps old and new values)."""

    action = "edit"

    def title(self) -> str:
        return self.tr("Edit complaint details")

    def build(self) -> None:
        d = self.detail
        self.title_edit = QLineEdit(d.title, self)
        self.title_edit.setCursorPosition(0)
        self.add_field("title", self.tr("&Title"), self.title_edit)
        self.description = TextBox(6, self)
        self.description.setText(d.description)
        self.add_field("description", self.tr("&Description"), self.description)
        self.classification = QComboBox(self)
        for value in Classification:
            self.classification.addItem(label(value, self.ws.lang), value.value)
        self.classification.setCurrentIndex(max(self.classification.findData(d.classification), 0))
        self.add_field("classification", self.tr("C&lassification"), self.classification)
        self.category = QComboBox(self)
        self.category.addItem(self.tr("— not set —"), "")
        self.add_field("category_id", self.tr("&Category"), self.category)
        self.incident = QDateEdit(self)
        self.incident.setCalendarPopup(True)
        self.incident.setDisplayFormat("dd/MM/yyyy")
        self.incident.setMinimumDate(NO_DATE)
        self.incident.setSpecialValueText(self.tr("not known"))
        self.incident.setDate(QDate(d.incident_date) if d.incident_date else NO_DATE)
        self.add_field("incident_date", self.tr("&Incident date"), self.incident)
        self.region = QLineEdit(d.region_code or "", self)
        self.region.setPlaceholderText("34.04.07.2005")
        self.add_field("region_code", self.tr("&Region code"), self.region,
                       hint=self.tr("Kemendagri code of the village, district or regency."))
        self.address = QLineEdit(d.address or "", self)
        self.address.setCursorPosition(0)
        self.add_field("address", self.tr("&Address"), self.address)
        coords = QWidget(self)
        row = QHBoxLayout(coords)
        row.setContentsMargins(0, 0, 0, 0)
        self.latitude = QLineEdit("" if d.latitude is None else str(d.latitude), coords)
        self.latitude.setPlaceholderText(self.tr("latitude"))
        self.latitude.setAccessibleName(self.tr("Latitude"))
        self.longitude = QLineEdit("" if d.longitude is None else str(d.longitude), coords)
        self.longitude.setPlaceholderText(self.tr("longitude"))
        self.longitude.setAccessibleName(self.tr("Longitude"))
        row.addWidget(self.latitude)
        row.addWidget(self.longitude)
        self.add_field("latitude", self.tr("C&oordinates"), coords)
        flags = QWidget(self)
        flag_row = QHBoxLayout(flags)
        flag_row.setContentsMargins(0, 0, 0, 0)
        self.supervisory = QCheckBox(self.tr("&Supervisory (berkadar pengawasan)"), flags)
        self.supervisory.setChecked(d.is_supervisory)
        self.confidential = QCheckBox(self.tr("Con&fidential"), flags)
        self.confidential.setChecked(d.is_confidential)
        flag_row.addWidget(self.supervisory)
        flag_row.addWidget(self.confidential)
        flag_row.addStretch(1)
        self.add_field("flags", self.tr("Marks"), flags)
        self.ws.tasks.db(load_category_tree, self.ws.store, self.ws.lang, on_success=self._fill_categories, owner=self)

    def _fill_categories(self, choices: list[Any]) -> None:
        for choice in choices:
            self.category.addItem("    " * choice.depth + choice.name, choice.id)
        category = self.detail.category_id if self.detail is not None else None
        self.category.setCurrentIndex(max(self.category.findData(category or ""), 0))

    def _number(self, edit: QLineEdit) -> float | None:
        """The coordinate typed; ValueError when it is not a number."""
        text = edit.text().strip().replace(",", ".")
        return float(text) if text else None

    def collect(self) -> records.ComplaintEdit:
        d = self.detail
        try:
            lat, lon = self._number(self.latitude), self._number(self.longitude)
            own: dict[str, Message] = {}
        except ValueError:
            lat = lon = None
            msg = self.tr("Enter numbers, e.g. -7.7156 and 110.3551.")
            own = {"latitude": Message(msg, msg)}
        qdate = self.incident.date()
        incident = None if qdate == NO_DATE else date(qdate.year(), qdate.month(), qdate.day())
        changes: dict[str, Any] = {
            "title": self.title_edit.text(),
            "description": self.description.text(),
            "classification": self.classification.currentData(),
            "category_id": self.category.currentData() or None,
            "incident_date": incident,
            "region_code": self.region.text().strip() or None,
            "address": self.address.text().strip() or None,
            "is_supervisory": self.supervisory.isChecked(),
            "is_confidential": self.confidential.isChecked(),
        }
        changed = {k: v for k, v in changes.items() if v is not None and v != getattr(d, k)}
        # An optional field the person emptied is cleared (the coordinates only as a pair).
        clear = {k for k in ("category_id", "incident_date", "region_code", "address")
                 if changes[k] is None and getattr(d, k) not in (None, "")}
        if own:  # the other fields go to the service's checks, so that every problem shows at once
            raise FormInvalid(own, rest=records.ComplaintEdit(**changed, clear=frozenset(clear)))
        if (lat, lon) != (d.latitude, d.longitude):
            if lat is None and lon is None:
                clear |= {"latitude", "longitude"}
            else:
                changed["latitude"], changed["longitude"] = lat, lon
        if not changed and not clear:
            text = self.tr("Nothing was changed.")
            raise FormInvalid({"": Message(text, text)})
        return records.ComplaintEdit(**changed, clear=frozenset(clear))

    @staticmethod
    def problems_of(ctx: ServiceContext, actor_id: str, complaint_id: str, rest: Any) -> dict[str, Message]:
        return records.edit_problems(ctx, actor_id, complaint_id, rest)

    @staticmethod
    def call(ctx: ServiceContext, actor_id: str, complaint_id: str, values: records.ComplaintEdit) -> Any:
        return records.edit_complaint(ctx, actor_id, complaint_id, values)
