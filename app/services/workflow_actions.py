"""The workflow's status changes: dispose, postpone, resume, redirect, archive, un-archive, follow up,
the reporter's response, close, reopen. Each is one transaction that checks the role, moves the status,
writes the timeline, recomputes deadlines, and audits and captures the change. What each step takes and does is
app.rules.workflow's table; these functions are its front door for the desktop."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.domain import EventKind, Status
from app.errors import Message, PermissionDenied, ValidationError
from app.models import Unit, User
from app.read.search import index_complaint
from app.rules import workflow
from app.services.common import add_event, record_complaint_change, refresh_deadlines, touch
from app.services.context import ServiceContext, load_actor, load_complaint


@dataclass(frozen=True)
class TransitionResult:
    complaint_id: str
    from_status: str
    to_status: str
    event_id: str


def _move(
    ctx: ServiceContext,
    actor_id: str,
    complaint_id: str,
    target: Status,
    action: str,
    values: dict[str, Any],
    *,
    extra: dict[str, Any] | None = None,
) -> TransitionResult:
    """Take the step ``action`` to ``target`` as app.rules.workflow's table says: who may, what the person must write
    (``values``, checked there), what it sets and clears."""
    now = ctx.clock()
    with ctx.store.transaction() as session:
        actor = load_actor(session, actor_id)
        return move_in(ctx, session, actor, complaint_id, target, action, values, now, extra=extra)


def move_in(
    ctx: ServiceContext,
    session: Session,
    actor: User,
    complaint_id: str,
    target: Status,
    action: str,
    values: dict[str, Any],
    now: datetime,
    *,
    extra: dict[str, Any] | None = None,
) -> TransitionResult:
    """:func:`_move`'s step inside a transaction the caller holds (app.services.bulk takes several in one)."""
    complaint = load_complaint(session, actor, complaint_id)
    source = complaint.status
    transition = workflow.check_transition(source, target, actor.role, action=action)
    if not workflow.unit_allows(action, actor.role, actor.unit_id, complaint.unit_id):
        raise PermissionDenied(
            Message(
                "Laporan ini didisposisikan ke unit lain; hanya penghubung unit tersebut yang dapat "
                "menindaklanjuti.",
                "This complaint was sent to another unit; only that unit's liaison may act on it.",
            )
        )
    unit = session.get(Unit, values["unit_id"]) if transition.sets_unit and values.get("unit_id") else None
    inputs = workflow.check_inputs(transition, values, unit=unit, office_id=complaint.office_id)
    workflow.apply_effects(complaint, transition, now, unit_id=inputs.get("unit_id"),
                           archive_reason=inputs.get("reason_code"))
    touch(complaint, now)
    refresh_deadlines(ctx, session, complaint)
    text, data = workflow.entry_content(transition, inputs, **(extra or {}))
    event = add_event(
        session,
        complaint,
        kind=transition.event_kind,
        at=now,
        actor=actor,
        text=text,
        from_status=source,
        to_status=target,
        data=data or None,
    )
    if transition.event_kind == EventKind.FOLLOW_UP:  # the unit's reply is searchable
        index_complaint(session, complaint.id)
    record_complaint_change(
        ctx,
        session,
        complaint,
        actor,
        action=f"complaint.{transition.action}",
        args={"from": source, "to": target, "event_id": event.id, **data},
        audit_details={"from": source, "to": target, "event": transition.event_kind},
    )
    return TransitionResult(complaint.id, source, target, event.id)


def input_problems(action: str, values: dict[str, Any]) -> dict[str, Message]:
    """What is wrong with what the person wrote or chose for the step ``action`` (its texts, an archive reason; not
    the unit, which takes the store), by field, without taking the step: for a form that found problems of its own
    (a file that cannot be attached) to show every problem at once."""
    transition = next(t for t in workflow.TRANSITIONS if t.action == action)
    try:
        workflow.check_inputs(replace(transition, sets_unit=False), values)
    except ValidationError as exc:
        return dict(exc.fields)
    return {}


def dispose(
    ctx: ServiceContext, actor_id: str, complaint_id: str, *, unit_id: str, instruction: str | None = None
) -> TransitionResult:
    """Verify the complaint and disposition it to a unit of the office, with an optional instruction."""
    return _move(ctx, actor_id, complaint_id, Status.DIDISPOSISIKAN, "dispose",
                 {"unit_id": unit_id, "instruction": instruction})


def postpone(ctx: ServiceContext, actor_id: str, complaint_id: str, *, reason: str) -> TransitionResult:
    """Wait for clarification from the reporter (ditunda)."""
    return _move(ctx, actor_id, complaint_id, Status.DITUNDA, "postpone", {"reason": reason})


def resume(ctx: ServiceContext, actor_id: str, complaint_id: str, *, note: str | None = None) -> TransitionResult:
    """The reporter's clarification arrived: back to verification."""
    return _move(ctx, actor_id, complaint_id, Status.BELUM_TERVERIFIKASI, "resume", {"note": note})


def redirect(
    ctx: ServiceContext, actor_id: str, complaint_id: str, *, reason: str, suggested_office: str | None = None
) -> TransitionResult:
    """Not this office's authority (bukan wewenang): hand it back for the national side to re-route."""
    return _move(ctx, actor_id, complaint_id, Status.BUKAN_WEWENANG, "redirect", {"reason": reason},
                 extra={"suggested_office": suggested_office or None})


def archive(
    ctx: ServiceContext, actor_id: str, complaint_id: str, *, reason_code: str, note: str | None = None
) -> TransitionResult:
    """Archive with a reason: incomplete, duplicate, not relevant, spam."""
    return _move(ctx, actor_id, complaint_id, Status.DIARSIPKAN, "archive", {"reason_code": reason_code, "note": note})


def unarchive(ctx: ServiceContext, actor_id: str, complaint_id: str, *, reason: str) -> TransitionResult:
    return _move(ctx, actor_id, complaint_id, Status.BELUM_TERVERIFIKASI, "unarchive", {"reason": reason})


def follow_up(ctx: ServiceContext, actor_id: str, complaint_id: str, *, text: str) -> TransitionResult:
    """The unit's reply (tindak lanjut); opens the reporter's response window."""
    return _move(ctx, actor_id, complaint_id, Status.DITINDAKLANJUTI, "follow_up", {"text": text})


def record_response(
    ctx: ServiceContext, actor_id: str, complaint_id: str, *, satisfied: bool, text: str | None = None
) -> TransitionResult:
    """The reporter's response (tanggapan): satisfied closes; not satisfied sends it back to the unit."""
    target = Status.SELESAI if satisfied else Status.DIDISPOSISIKAN
    return _move(ctx, actor_id, complaint_id, target, "respond", {"text": text})


def close(ctx: ServiceContext, actor_id: str, complaint_id: str, *, note: str | None = None) -> TransitionResult:
    return _move(ctx, actor_id, complaint_id, Status.SELESAI, "close", {"note": note})


def reopen(ctx: ServiceContext, actor_id: str, complaint_id: str, *, reason: str) -> TransitionResult:
    return _move(ctx, actor_id, complaint_id, Status.DIDISPOSISIKAN, "reopen", {"reason": reason})
