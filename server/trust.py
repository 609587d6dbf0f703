"""The trust boundary on pushed ids: every id a PC sends that names a row must be a row of the PC's own office,
checked before anything is read for the answer or changed. A PC chooses its ids (UUIDv7, made offline), so an id
that already names another office's row is refused the same way whether it was meant to reach that row or only
collided with it. Categories are national (no office owns one); files are guarded by server.blob_access.

What each id may name, by where it stands in the arguments:

=============================  =========================================================================
``complaint.id`` (intake)      new, of the office, or this PC's own (a re-push after a re-route; apply_intake
                               answers it)
``complaint.office_id``        nothing, or the pushing office
``complaint.reporter_id``      the intake's own reporter (``reporter.id``), or nothing
``complaint.unit_id``          nothing, or a unit of the office
``reporter.id``                new, or a reporter of a complaint of the office
``event.id``                   new, or this complaint's event (children merge by id)
``event.complaint_id``         the mutation's complaint
``event.actor_user_id``        nothing, or an account of the office
``attachment.id``              new, or this complaint's attachment
``attachment.complaint_id``    the mutation's complaint
``attachment.event_id``        the mutation's own event
``attachment.created_by``      nothing, or an account of the office
``fields.unit_id``             nothing, or a unit of the office (apply_transition also wants it active)
``events[]``, ``attachments[]``  (complaint.restore) each as ``event`` and ``attachment`` above, except that an
                               entry's author may be another office's account (history of a re-routed complaint)
=============================  =========================================================================
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import EventKind
from server.apply_common import Rejected, held
from server.auth import DeviceIdentity
from server.models import Attachment, Complaint, Reporter, TimelineEvent, Unit, User
from sync.protocol import AttachmentData, EventData, Mutation

FOREIGN = "foreign_id"


def refuse(field: str) -> Rejected:
    return Rejected(FOREIGN, f"Id pada '{field}' tidak dikenal di instansi ini atau sudah dipakai data lain; "
                             "perubahan ini tidak dapat diterapkan.")


def check_mutation_ids(session: Session, device: DeviceIdentity, m: Mutation) -> EventData | None:
    """Refuse the mutation (nothing read for the answer, nothing changed) if one of its ids names a row that is not
    the pushing office's, or a child of another complaint. Returns its timeline event as parsed here (None when it
    names none), for the arguments' own parsing to take as it is."""
    office_id, client_id = device.office_id, device.client_id
    args = m.args
    event = args.get("event")
    parsed: EventData | None = None
    if isinstance(event, dict):
        parsed = EventData.model_validate(event)
        _event(session, office_id, m.entity_id, parsed)
    if isinstance(args.get("attachment"), dict):
        _attachment(session, office_id, m.entity_id, AttachmentData.model_validate(args["attachment"]),
                    str(event.get("id") or "") if isinstance(event, dict) else "")
    fields = args.get("fields")
    if isinstance(fields, dict):
        _unit(session, office_id, fields.get("unit_id"), "fields.unit_id")
    if m.name in ("complaint.intake", "complaint.restore"):
        _intake(session, office_id, client_id, m.entity_id, args)
    if m.name == "complaint.restore":
        _restored_children(session, office_id, m.entity_id, args)
    return parsed


def _event(session: Session, office_id: str, complaint_id: str, event: EventData, *, history: bool = False) -> None:
    """``history``: an entry of a complaint given back after a restore, which may have been written in the office it
    came from by re-route: its author may be that office's account (an id only; no office's accounts are sent
    to another), but must be one."""
    if event.complaint_id != complaint_id:
        raise refuse("event.complaint_id")
    existing = held(session, TimelineEvent, event.id)
    if existing is not None and existing.complaint_id != complaint_id:
        raise refuse("event.id")
    if history and event.actor_user_id is not None and session.get(User, event.actor_user_id) is not None:
        return
    _account(session, office_id, event.actor_user_id, "event.actor_user_id")


def _attachment(session: Session, office_id: str, complaint_id: str, attachment: AttachmentData,
                event_id: str) -> None:
    if attachment.complaint_id != complaint_id:
        raise refuse("attachment.complaint_id")
    if (attachment.event_id or "") != event_id:
        raise refuse("attachment.event_id")
    existing = held(session, Attachment, attachment.id)
    if existing is not None and existing.complaint_id != complaint_id:
        raise refuse("attachment.id")
    _account(session, office_id, attachment.created_by, "attachment.created_by")


def _intake(session: Session, office_id: str, client_id: str, complaint_id: str, args: dict[str, Any]) -> None:
    complaint = args.get("complaint")
    reporter = args.get("reporter")
    if not isinstance(complaint, dict):
        return  # IntakeArgs' own validation refuses it
    existing = session.get(Complaint, complaint_id)
    if existing is not None:
        if existing.office_id != office_id and existing.created_by_client != client_id:
            if args.get("events") is not None and _held_it(session, complaint_id, args):
                raise Rejected(GONE, "Laporan ini sudah tidak berada di instansi ini (dialihkan); salinannya di PC "
                                     "ini dihapus.")
            raise refuse("complaint.id")  # as for any id of another office (not "it belongs to another office")
        return  # a re-push or a restore of a complaint the server has: its stored complaint is not changed
    if complaint.get("office_id") not in (None, office_id):
        raise refuse("complaint.office_id")
    reporter_id = reporter.get("id") if isinstance(reporter, dict) else None
    if complaint.get("reporter_id") != reporter_id:
        raise refuse("complaint.reporter_id")
    _unit(session, office_id, complaint.get("unit_id"), "complaint.unit_id")
    if isinstance(reporter_id, str) and session.get(Reporter, reporter_id) is not None:
        # A reporter the server has is this office's only through a complaint of the office (a re-push of its own
        # intake); any other reporter with this id belongs to someone else.
        ours = session.execute(select(Complaint.id).where(
            Complaint.reporter_id == reporter_id, Complaint.office_id == office_id).limit(1)).first()
        if ours is None:
            raise refuse("reporter.id")


GONE = "gone"  # complaint.restore: the complaint is another office's now, and the PC showed it held it


def _held_it(session: Session, complaint_id: str, args: dict[str, Any]) -> bool:
    """A PC giving back a complaint that is another office's now (re-routed while the restore took the routing
    away, then given back there) shows it held it: its copy carries the complaint's RECEIVED entry, whose id
    only the offices that had the complaint ever saw. Telling it the complaint is gone tells it nothing new."""
    events = args.get("events")
    if not isinstance(events, list):
        return False
    received = session.execute(select(TimelineEvent.id).where(
        TimelineEvent.complaint_id == complaint_id, TimelineEvent.kind == EventKind.RECEIVED)).scalar()
    return received is not None and any(isinstance(e, dict) and e.get("id") == received for e in events)


def _restored_children(session: Session, office_id: str, complaint_id: str, args: dict[str, Any]) -> None:
    """A restore's lists: each entry held to the same rules as the single child of the other mutations (an
    attachment's event may be any entry of the list, or one the complaint has)."""
    events = [EventData.model_validate(e) for e in args.get("events") or []]
    for event in events:
        _event(session, office_id, complaint_id, event, history=True)
    ids = {e.id for e in events}
    for raw in args.get("attachments") or []:
        attachment = AttachmentData.model_validate(raw)
        event_id = attachment.event_id
        if event_id is not None and event_id not in ids:
            held = session.get(TimelineEvent, event_id)
            if held is None or held.complaint_id != complaint_id:
                raise refuse("attachments.event_id")
        _attachment(session, office_id, complaint_id, attachment, event_id or "")


def _unit(session: Session, office_id: str, unit_id: object, field: str) -> None:
    if unit_id is None:
        return
    unit = session.get(Unit, unit_id) if isinstance(unit_id, str) else None
    if unit is None or unit.office_id != office_id:
        raise refuse(field)


def _account(session: Session, office_id: str, user_id: str | None, field: str) -> None:
    if user_id is None:
        return
    user = held(session, User, user_id)  # a push run read its accounts ahead
    if user is None or user.office_id != office_id:
        raise refuse(field)
