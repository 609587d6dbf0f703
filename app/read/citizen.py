"""The counter's look-up for a returning citizen: a complaint's citizen view by its tracking code
(app.rules.citizen_view decides what that view holds)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Complaint, TimelineEvent
from app.read.queries import find_by_code
from app.rules.citizen_view import CitizenStatus, citizen_status, event_fact


def citizen_view_by_code(session: Session, typed: str, office_id: str) -> tuple[str, CitizenStatus]:
    """(complaint id, citizen view) for a typed code of this office's complaints. A wrong check digit raises
    MistypedCode, an unknown code NotFound (app.read.queries.find_by_code); nothing else of the complaint is read
    than what the citizen may see."""
    complaint_id = find_by_code(session, typed, office_id)
    return complaint_id, citizen_view_of(session, complaint_id)


def citizen_view_of(session: Session, complaint_id: str) -> CitizenStatus:
    row = session.execute(
        select(Complaint.tracking_code, Complaint.status, Complaint.received_at, Complaint.is_confidential)
        .where(Complaint.id == complaint_id)).one()
    events = session.execute(
        select(TimelineEvent.kind, TimelineEvent.at, TimelineEvent.text, TimelineEvent.data_json)
        .where(TimelineEvent.complaint_id == complaint_id)).all()
    return citizen_status(tracking_code=row.tracking_code, status=row.status, received_at=row.received_at,
                          is_confidential=row.is_confidential,
                          events=[event_fact(e.kind, e.at, e.text, e.data_json) for e in events])
