"""Change capture into the outbox: the services call this inside their own transaction, so a change and its
outbox row commit together (or not at all). Each row gets the next gap-free per-client ``seq`` and the wire
arguments the server needs, taken from the rows the service has just written."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.capture import Mutation
from app.domain import EventKind
from app.ids import new_id
from app.models import Attachment, Complaint, OutboxEntry, Reporter, TimelineEvent
from app.rules import workflow
from app.store import meta
from sync.protocol import payload_hash


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def complaint_wire(c: Complaint) -> dict[str, Any]:
    return {
        "id": c.id, "office_id": c.office_id, "tracking_code": c.tracking_code,
        "national_tracking_id": c.national_tracking_id, "classification": c.classification,
        "category_id": c.category_id, "title": c.title, "description": c.description,
        "incident_date": _iso(c.incident_date), "region_code": c.region_code, "address": c.address,
        "latitude": c.latitude, "longitude": c.longitude, "channel": c.channel, "is_anonymous": c.is_anonymous,
        "is_confidential": c.is_confidential, "is_supervisory": c.is_supervisory, "reporter_id": c.reporter_id,
        "unit_id": c.unit_id, "status": c.status, "archive_reason": c.archive_reason,
        "received_at": _iso(c.received_at), "disposed_at": _iso(c.disposed_at),
        "followed_up_at": _iso(c.followed_up_at), "postponed_at": _iso(c.postponed_at),
        "closed_at": _iso(c.closed_at), "updated_at": _iso(c.updated_at), "version": c.server_version,
    }


def reporter_wire(r: Reporter) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "nik": r.nik, "phone": r.phone, "email": r.email, "address": r.address,
            "assistance_needs": r.assistance_needs, "consent_at": _iso(r.consent_at)}


def event_wire(e: TimelineEvent) -> dict[str, Any]:
    return {"id": e.id, "complaint_id": e.complaint_id, "kind": e.kind, "at": _iso(e.at),
            "actor_user_id": e.actor_user_id, "from_status": e.from_status, "to_status": e.to_status,
            "text": e.text, "data_json": e.data_json}


def attachment_wire(a: Attachment) -> dict[str, Any]:
    return {"id": a.id, "complaint_id": a.complaint_id, "event_id": a.event_id, "sha256": a.sha256,
            "filename": a.filename, "mime_type": a.mime_type, "size": a.size, "created_at": _iso(a.created_at),
            "created_by": a.created_by}


def _event(session: Session, event_id: str) -> dict[str, Any]:
    event = session.get(TimelineEvent, event_id)
    if event is None:
        raise LookupError(f"captured event {event_id} not in the session")
    return event_wire(event)


def wire_args(session: Session, mutation: Mutation) -> dict[str, Any]:
    """The arguments of ``mutation`` as the server expects them (sync.protocol *Args)."""
    session.flush()
    action = mutation.name.removeprefix("complaint.")
    complaint = session.get(Complaint, mutation.entity_id)
    if complaint is None:
        raise LookupError(f"captured complaint {mutation.entity_id} not in the session")
    if action == "intake":
        received = session.execute(select(TimelineEvent).where(
            TimelineEvent.complaint_id == complaint.id, TimelineEvent.kind == EventKind.RECEIVED)).scalar_one()
        reporter = session.get(Reporter, complaint.reporter_id) if complaint.reporter_id else None
        return {"complaint": complaint_wire(complaint), "reporter": reporter_wire(reporter) if reporter else None,
                "event": event_wire(received)}
    if action in workflow.ACTIONS:
        transition = workflow.find(mutation.args["from"], mutation.args["to"], action)
        if transition is None:
            raise ValueError(f"captured step {action} {mutation.args['from']}→{mutation.args['to']} not in the table")
        # The columns the table says the step sends (app.rules.workflow.Transition.wire_fields), as the service
        # left them.
        fields = {name: _iso(getattr(complaint, name)) for name in transition.wire_fields}
        return {"from": mutation.args["from"], "to": mutation.args["to"],
                "event": _event(session, mutation.args["event_id"]), "fields": fields}
    if action == "note":
        return {"event": _event(session, mutation.args["event_id"])}
    if action == "edit":
        # With the timeline's record of the edit (old and new values), under its own id, so other PCs see who
        # changed what and the server stores the same entry (never a second one when it comes back).
        return {"fields": {k: _iso(v) for k, v in mutation.args["fields"].items()},
                "event": _event(session, mutation.args["event_id"])}
    if action == "attach":
        attachment = session.get(Attachment, mutation.args["attachment_id"])
        if attachment is None or attachment.event_id is None:
            raise LookupError("captured attachment not in the session")
        return {"attachment": attachment_wire(attachment), "event": _event(session, attachment.event_id)}
    raise ValueError(f"no wire form for mutation {mutation.name}")


SEQ_KEY = "sync_seq"


def next_seq(session: Session) -> int:
    """The next gap-free sequence number (kept in store_meta: acknowledged rows are purged after 30 days, so
    the highest row in the outbox is not a safe source)."""
    current = meta.get(session, SEQ_KEY)
    if current is None:
        current = str(session.execute(select(func.coalesce(func.max(OutboxEntry.seq), 0))).scalar_one())
    seq = int(current) + 1
    meta.put(session, SEQ_KEY, str(seq))
    return seq


class OutboxCapture:
    """The ChangeCapture that sync plugs into app's services."""

    def __init__(self, clock: Any) -> None:
        self._clock = clock

    def capture(self, session: Session, mutation: Mutation) -> None:
        args = wire_args(session, mutation)
        seq = next_seq(session)
        session.add(OutboxEntry(
            seq=seq, mutation_id=new_id(), name=mutation.name, version=mutation.version,
            entity_type=mutation.entity_type, entity_id=mutation.entity_id, base_version=mutation.base_version,
            user_id=mutation.user_id, args_json=json.dumps(args, ensure_ascii=False, sort_keys=True),
            payload_hash=payload_hash(mutation.name, mutation.version, mutation.entity_type, mutation.entity_id,
                                      mutation.base_version, mutation.user_id, args),
            created_at=self._clock(),
        ))
