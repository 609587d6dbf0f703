"""The wire protocol's entity shapes: what a mutation's arguments and a pulled page carry of a complaint, its
reporter, timeline entries and attachments. Part of :mod:`sync.protocol`, which re-exports every name here (the
server imports them from there, as the import rule asks); kept apart so that neither file outgrows its reader.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.rules import records as rules_records
from app.rules import workflow

SHA256_PATTERN = r"^[0-9a-f]{64}$"


class Entity(BaseModel):
    """Entity payloads tolerate unknown fields, so a newer server can add fields without breaking old clients."""

    model_config = ConfigDict(extra="ignore")


class ReporterData(Entity):
    id: str
    name: str = ""
    nik: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    assistance_needs: str | None = None
    consent_at: datetime | None = None


class EventData(Entity):
    id: str
    complaint_id: str
    kind: str
    at: datetime
    actor_user_id: str | None = None
    from_status: str | None = None
    to_status: str | None = None
    text: str | None = None
    data_json: str | None = None


class AttachmentData(Entity):
    id: str
    complaint_id: str
    event_id: str | None = None
    sha256: str = Field(pattern=SHA256_PATTERN)
    filename: str
    mime_type: str
    size: int = Field(ge=0)
    created_at: datetime
    created_by: str | None = None


EDITABLE_FIELDS = rules_records.EDITABLE_FIELDS
STAMP_FIELDS = workflow.DATE_STAMPS


class ComplaintData(Entity):
    id: str
    office_id: str | None = None
    tracking_code: str
    national_tracking_id: str | None = None
    classification: str
    category_id: str | None = None
    title: str
    description: str
    incident_date: str | None = None  # ISO date
    region_code: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    channel: str
    is_anonymous: bool = False
    is_confidential: bool = False
    is_supervisory: bool = False
    reporter_id: str | None = None
    unit_id: str | None = None
    status: str
    archive_reason: str | None = None
    received_at: datetime
    disposed_at: datetime | None = None
    followed_up_at: datetime | None = None
    postponed_at: datetime | None = None
    closed_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 0


class IntakeArgs(Entity):
    """``complaint.intake``: the whole new complaint, its reporter (if any) and its RECEIVED event."""

    complaint: ComplaintData
    reporter: ReporterData | None = None
    event: EventData


class TransitionArgs(Entity):
    """Every status change (``complaint.dispose``, ``.follow_up``, ``.close`` …) is a command: from, to, the
    timeline event that records it, and the fields the step sets (unit, archive reason, date stamps)."""

    from_status: str = Field(alias="from")
    to_status: str = Field(alias="to")
    event: EventData
    fields: dict[str, Any] = Field(default_factory=dict)


class NoteArgs(Entity):
    event: EventData


class EditArgs(Entity):
    """``complaint.edit``: the changed fields, and the EDITED timeline event that records old and new values."""

    fields: dict[str, Any]
    event: EventData | None = None


class AttachArgs(Entity):
    attachment: AttachmentData
    event: EventData


class RestoreArgs(Entity):
    """``complaint.restore`` (protocol 4): a PC gives back a complaint, or timeline entries and attachments of one,
    that the server lost when it was restored from an older backup. Accepted only for a while after the server
    found out it was restored; what the server already holds stays as it is."""

    complaint: ComplaintData
    reporter: ReporterData | None = None
    events: list[EventData] = Field(default_factory=list, max_length=5000)
    attachments: list[AttachmentData] = Field(default_factory=list, max_length=1000)
