"""What a pulled page's rows are, for both ways of applying it (sync.apply_pull row by row, sync.apply_bulk in
bulk): the page's known entities read up front (:class:`Known`, :func:`load_known`) and each pulled entity's column
values, so the two ways write the same values."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, func, literal_column, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.models import Attachment, Category, Complaint, Reporter, TimelineEvent, Unit, User
from sync.protocol import ChangeLike, ChangeOp

if TYPE_CHECKING:
    from sync.apply_tables import PageTables


def as_datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        from datetime import UTC

        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def as_date(value: Any) -> date | None:
    return None if value in (None, "") else date.fromisoformat(str(value)[:10])


@dataclass
class Known:
    """What a page's entities are and refer to, read in a few queries up front instead of one per entity (a first
    sync applies tens of thousands). Entities added while the page is applied join it."""

    complaints: dict[str, Complaint]
    reporters: dict[str, Reporter]
    events: dict[str, TimelineEvent]
    attachments: set[str]
    users: set[str] = field(default_factory=set)
    units: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    bulk_events: set[str] = field(default_factory=set)  # events this page writes in bulk (no ORM objects)

    def has_event(self, event_id: str | None) -> bool:
        return event_id in self.events or event_id in self.bulk_events

    def refresh_small(self, session: Session) -> None:
        """Accounts, units and categories: a few hundred rows at most, read whole."""
        self.users = set(session.execute(select(User.id)).scalars())
        self.units = set(session.execute(select(Unit.id)).scalars())
        self.categories = set(session.execute(select(Category.id)).scalars())


CHUNK = 500  # ids per IN (...) list


def chunks(ids: set[str]) -> list[list[str]]:
    ordered = sorted(ids)
    return [ordered[i:i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def among(column: InstrumentedAttribute[str], ids: set[str]) -> ColumnElement[bool]:
    """``column`` is one of ``ids``: one statement however many (a JSON array SQLite reads as a table; a first
    sync's page names tens of thousands of ids), instead of one per few hundred."""
    return column.in_(select(literal_column("value")).select_from(func.json_each(json.dumps(sorted(ids)))))


def load_known(session: Session, changes: Sequence[ChangeLike], deferred: dict[str, dict[str, Any]],
               tables: PageTables | None = None) -> Known:
    """What the page's entities (``changes``, and the rows of ``tables``) and the server's state kept aside
    (``deferred``) are and refer to on this PC."""
    complaint_ids = set(deferred)
    children: list[tuple[str, str, str | None]] = []  # (entity type, id, its complaint)
    if tables is not None:
        complaint_ids.update(map(str, tables.complaint_ids))
        children.extend(tables.children())
        complaint_ids.update(parent for _, _, parent in children if parent)
    for change in changes:
        if change.op != ChangeOp.UPSERT:
            continue
        if change.entity_type == "complaint":
            complaint_ids.add(change.entity_id)
        elif change.entity_type in ("event", "attachment"):
            parent = (change.data or {}).get("complaint_id")
            if parent:
                complaint_ids.add(str(parent))
            children.append((change.entity_type, change.entity_id, str(parent) if parent else None))
    known = Known(complaints={}, reporters={}, events={}, attachments=set())
    known.complaints.update((c.id, c) for c in session.execute(select(Complaint).where(
        among(Complaint.id, complaint_ids))).scalars())
    # An event or attachment of a complaint this PC does not hold is not here either (its row names its complaint,
    # a foreign key): only the others are looked up. On a first sync that is none of them (160,000 events at
    # 50,000 complaints, each an index probe that finds nothing).
    held = known.complaints
    event_ids = {cid for kind, cid, parent in children if kind == "event" and (parent is None or parent in held)}
    attachment_ids = {cid for kind, cid, parent in children
                      if kind == "attachment" and (parent is None or parent in held)}
    reporter_ids = {c.reporter_id for c in known.complaints.values() if c.reporter_id}
    reporter_ids |= {str(rep["id"]) for change in changes if change.entity_type == "complaint"
                     and (rep := (change.data or {}).get("reporter"))}
    reporter_ids |= tables.reporter_ids() if tables is not None else set()
    known.reporters.update((r.id, r) for r in session.execute(select(Reporter).where(
        among(Reporter.id, reporter_ids))).scalars())
    known.events.update((e.id, e) for e in session.execute(select(TimelineEvent).where(
        among(TimelineEvent.id, event_ids))).scalars())
    known.attachments.update(session.execute(select(Attachment.id).where(
        among(Attachment.id, attachment_ids))).scalars())
    known.refresh_small(session)
    return known


def reporter_columns(rep: dict[str, Any]) -> dict[str, Any]:
    """A pulled reporter's columns (both paths write these)."""
    columns = {key: rep.get(key) for key in ("nik", "phone", "email", "address", "assistance_needs")}
    return {"name": rep.get("name") or "", **columns, "consent_at": as_datetime(rep.get("consent_at"))}


def complaint_columns(data: dict[str, Any], office_id: str, known: Known) -> dict[str, Any]:
    """A pulled complaint's columns apart from its deadlines (both paths write these): references to a category
    or unit this PC does not know are left empty."""
    columns = {key: data.get(key) for key in (
        "tracking_code", "national_tracking_id", "classification", "title", "description", "region_code",
        "address", "latitude", "longitude", "channel", "is_anonymous", "is_confidential", "is_supervisory",
        "status", "archive_reason")}
    category_id, unit_id, rep = data.get("category_id"), data.get("unit_id"), data.get("reporter")
    columns.update(
        office_id=office_id, category_id=category_id if category_id in known.categories else None,
        unit_id=unit_id if unit_id in known.units else None, reporter_id=rep["id"] if rep else None,
        incident_date=as_date(data.get("incident_date")))
    for key in ("received_at", "disposed_at", "followed_up_at", "postponed_at", "closed_at", "updated_at"):
        columns[key] = as_datetime(data.get(key))
    columns["server_version"] = int(data.get("version") or 0)
    return columns


def event_row(data: dict[str, Any], known: Known) -> dict[str, Any]:
    """A new pulled event's row (both paths write it); an author this PC does not know is left empty."""
    actor = data.get("actor_user_id")
    return {"id": data["id"], "complaint_id": data["complaint_id"], "kind": data["kind"], "at": as_datetime(data["at"]),
            "actor_user_id": actor if actor in known.users else None, "from_status": data.get("from_status"),
            "to_status": data.get("to_status"), "text": data.get("text"), "data_json": data.get("data_json")}


def attachment_row(data: dict[str, Any], known: Known) -> dict[str, Any]:
    """A new pulled attachment's row (both paths write it): its bytes are on the server, not here yet."""
    event_id, created_by = data.get("event_id"), data.get("created_by")
    return {"id": data["id"], "complaint_id": data["complaint_id"],
            "event_id": event_id if known.has_event(event_id) else None, "sha256": data["sha256"],
            "filename": data["filename"], "mime_type": data["mime_type"], "size": int(data["size"]),
            "created_at": as_datetime(data["created_at"]),
            "created_by": created_by if created_by in known.users else None,
            "blob_present": False, "blob_uploaded": True}
