"""Helpers the complaint services share: deadlines, timeline events, the complaint mutation record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.capture import Mutation
from app.ids import new_id
from app.models import Complaint, TimelineEvent, User
from app.rules.sla import DeadlineFacts, compute_deadlines
from app.services.context import ServiceContext, dumps, record_change


def refresh_deadlines(ctx: ServiceContext, session: Session, complaint: Complaint) -> None:
    facts = DeadlineFacts(
        status=complaint.status,
        classification=complaint.classification,
        is_supervisory=complaint.is_supervisory,
        received_at=complaint.received_at,
        disposed_at=complaint.disposed_at,
        followed_up_at=complaint.followed_up_at,
        postponed_at=complaint.postponed_at,
    )
    for column, value in deadline_columns(ctx, session, complaint.office_id, facts).items():
        setattr(complaint, column, value)


def deadline_columns(ctx: ServiceContext, session: Session, office_id: str, facts: DeadlineFacts) -> dict[str, Any]:
    """The stored deadline columns of a complaint of ``office_id`` with these facts: what :func:`refresh_deadlines`
    sets, also for rows written without ORM objects (a pulled page applied in bulk, sync.apply_pull)."""
    policy, calendar = ctx.rules(session)
    d = compute_deadlines(facts, policy, calendar, ctx.office_tz(session, office_id))
    return {
        "step_due_at": d.step_due_at,
        "step_due_kind": d.step_due_kind,
        "resolution_due_at": d.resolution_due_at,
        "next_due_at": d.next_due_at,
        "next_due_kind": d.next_due_kind,
    }


def add_event(
    session: Session,
    complaint: Complaint,
    *,
    kind: str,
    at: datetime,
    actor: User | None,
    text: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    data: dict[str, Any] | None = None,
) -> TimelineEvent:
    event = TimelineEvent(
        id=new_id(),
        complaint_id=complaint.id,
        kind=kind,
        at=at,
        actor_user_id=actor.id if actor else None,
        from_status=from_status,
        to_status=to_status,
        text=text,
        data_json=dumps(data) if data else None,
    )
    session.add(event)
    return event


def touch(complaint: Complaint, at: datetime) -> None:
    complaint.updated_at = at
    complaint.local_rev = (complaint.local_rev or 0) + 1


def record_complaint_change(
    ctx: ServiceContext,
    session: Session,
    complaint: Complaint,
    actor: User | None,
    *,
    action: str,
    args: dict[str, Any],
    audit_details: dict[str, Any] | None = None,
) -> None:
    """Audit the change and hand the mutation to the capture hook, with the server version it was based on."""
    record_change(
        ctx,
        session,
        actor=actor,
        action=action,
        entity_type="complaint",
        entity_id=complaint.id,
        details=audit_details if audit_details is not None else {"status": complaint.status},
        mutation=Mutation(
            name=action,
            entity_type="complaint",
            entity_id=complaint.id,
            base_version=complaint.server_version,
            args=args,
            user_id=actor.id if actor else None,
        ),
    )
