"""The workflow's status changes: dispose, postpone, resume, redirect, archive, un-archive, follow up,
the reporter's response, close, reopen. Each is one transaction that checks the role, moves the status,
writes the timeline, recomputes deadlines, and audits and captures the change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app import workflow
from app.domain import ArchiveReason, EventKind, Status
from app.errors import Message, PermissionDenied, ValidationError
from app.models import Complaint, Unit, User
from app.search import index_complaint
from app.services.common import add_event, record_complaint_change, refresh_deadlines, touch
from app.services.context import ServiceContext, load_actor, load_complaint

MAX_TEXT = 4000


@dataclass(frozen=True)
class TransitionResult:
    complaint_id: str
    from_status: str
    to_status: str
    event_id: str


def _clean_text(value: str | None, field: str, *, required: bool, min_len: int = 1) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise ValidationError({field: Message("Wajib diisi.", "Required.")})
        return None
    if len(text) < min_len:
        raise ValidationError({field: Message(f"Minimal {min_len} karakter.", f"At least {min_len} characters.")})
    if len(text) > MAX_TEXT:
        raise ValidationError({field: Message(f"Maksimal {MAX_TEXT} karakter.", f"At most {MAX_TEXT} characters.")})
    return text


def _move(
    ctx: ServiceContext,
    actor_id: str,
    complaint_id: str,
    target: Status,
    *,
    action: str,
    event_kind: EventKind,
    reason: str | None = None,
    text: str | None = None,
    data: dict[str, Any] | None = None,
    before: Callable[[Session, User, Complaint], None] | None = None,
    after: Callable[[Session, Complaint, datetime], None] | None = None,
    reindex: bool = False,
) -> TransitionResult:
    now = ctx.clock()
    with ctx.store.transaction() as session:
        actor = load_actor(session, actor_id)
        complaint = load_complaint(session, actor, complaint_id)
        source = complaint.status
        transition = workflow.check_transition(source, target, actor.role, reason=reason, action=action)
        if before is not None:
            before(session, actor, complaint)
        complaint.status = target
        if after is not None:
            after(session, complaint, now)
        touch(complaint, now)
        refresh_deadlines(ctx, session, complaint)
        payload = dict(data or {})
        if reason:
            payload["reason"] = reason
        event = add_event(
            session,
            complaint,
            kind=event_kind,
            at=now,
            actor=actor,
            text=text,
            from_status=source,
            to_status=target,
            data=payload or None,
        )
        if reindex:
            index_complaint(session, complaint.id)
        record_complaint_change(
            ctx,
            session,
            complaint,
            actor,
            action=f"complaint.{transition.action}",
            args={"from": source, "to": target, "event_id": event.id, **payload},
            audit_details={"from": source, "to": target, "event": event_kind},
        )
        return TransitionResult(complaint.id, source, target, event.id)


def dispose(
    ctx: ServiceContext, actor_id: str, complaint_id: str, *, unit_id: str, instruction: str | None = None
) -> TransitionResult:
    """Verify the complaint and disposition it to a unit of the office, with an optional instruction."""
    instruction = _clean_text(instruction, "instruction", required=False)

    def check_unit(session: Session, actor: User, complaint: Complaint) -> None:
        unit = session.get(Unit, unit_id)
        if unit is None or unit.office_id != complaint.office_id or not unit.active:
            raise ValidationError(
                {"unit_id": Message("Pilih unit kerja yang aktif di instansi ini.", "Choose an active unit.")}
            )
        complaint.unit_id = unit_id

    def stamp(session: Session, complaint: Complaint, now: datetime) -> None:
        complaint.disposed_at = now
        complaint.followed_up_at = None

    return _move(
        ctx,
        actor_id,
        complaint_id,
        Status.DIDISPOSISIKAN,
        action="dispose",
        event_kind=EventKind.DISPOSED,
        text=instruction,
        data={"unit_id": unit_id},
        before=check_unit,
        after=stamp,
    )


def postpone(ctx: ServiceContext, actor_id: str, complaint_id: str, *, reason: str) -> TransitionResult:
    """Wait for clarification from the reporter (ditunda)."""
    reason_text = _clean_text(reason, "reason", required=True, min_len=5)

    def stamp(session: Session, complaint: Complaint, now: datetime) -> None:
        complaint.postponed_at = now

    return _move(
        ctx,
        actor_id,
        complaint_id,
        Status.DITUNDA,
        action="postpone",
        event_kind=EventKind.POSTPONED,
        reason=reason_text,
        before=_liaison_owns_unit,
        after=stamp,
    )


def resume(ctx: ServiceContext, actor_id: str, complaint_id: str, *, note: str | None = None) -> TransitionResult:
    """The reporter's clarification arrived: back to verification."""

    def stamp(session: Session, complaint: Complaint, now: datetime) -> None:
        complaint.postponed_at = None

    return _move(
        ctx,
        actor_id,
        complaint_id,
        Status.BELUM_TERVERIFIKASI,
        action="resume",
        event_kind=EventKind.RESUMED,
        text=_clean_text(note, "note", required=False),
        after=stamp,
    )


def redirect(
    ctx: ServiceContext, actor_id: str, complaint_id: str, *, reason: str, suggested_office: str | None = None
) -> TransitionResult:
    """Not this office's authority (bukan wewenang): hand it back for the national side to re-route."""
    reason_text = _clean_text(reason, "reason", required=True, min_len=5)
    data = {"suggested_office": suggested_office} if suggested_office else None
    return _move(
        ctx,
        actor_id,
        complaint_id,
        Status.BUKAN_WEWENANG,
        action="redirect",
        event_kind=EventKind.REDIRECTED,
        reason=reason_text,
        data=data,
    )


def archive(
    ctx: ServiceContext, actor_id: str, complaint_id: str, *, reason_code: str, note: str | None = None
) -> TransitionResult:
    """Archive with a reason: incomplete, duplicate, not relevant, spam."""
    try:
        code = ArchiveReason(reason_code)
    except ValueError:
        raise ValidationError(
            {"reason_code": Message("Pilih alasan pengarsipan.", "Choose an archive reason.")}
        ) from None
    note_text = _clean_text(note, "note", required=False)

    def stamp(session: Session, complaint: Complaint, now: datetime) -> None:
        complaint.archive_reason = code
        complaint.closed_at = now

    return _move(
        ctx,
        actor_id,
        complaint_id,
        Status.DIARSIPKAN,
        action="archive",
        event_kind=EventKind.ARCHIVED,
        reason=code.value,
        text=note_text,
        after=stamp,
    )


def unarchive(ctx: ServiceContext, actor_id: str, complaint_id: str, *, reason: str) -> TransitionResult:
    reason_text = _clean_text(reason, "reason", required=True, min_len=5)

    def stamp(session: Session, complaint: Complaint, now: datetime) -> None:
        complaint.archive_reason = None
        complaint.closed_at = None

    return _move(
        ctx,
        actor_id,
        complaint_id,
        Status.BELUM_TERVERIFIKASI,
        action="unarchive",
        event_kind=EventKind.UNARCHIVED,
        reason=reason_text,
        after=stamp,
    )


def _liaison_owns_unit(session: Session, actor: User, complaint: Complaint) -> None:
    """A unit liaison (penghubung) follows up and postpones only complaints dispositioned to their own unit
    (app.workflow.UNIT_BOUND_ACTIONS)."""
    if not workflow.unit_allows("follow_up", actor.role, actor.unit_id, complaint.unit_id):
        raise PermissionDenied(
            Message(
                "Laporan ini didisposisikan ke unit lain; hanya penghubung unit tersebut yang dapat menindaklanjuti.",
                "This complaint was sent to another unit; only that unit's liaison may act on it.",
            )
        )


def follow_up(ctx: ServiceContext, actor_id: str, complaint_id: str, *, text: str) -> TransitionResult:
    """The unit's reply (tindak lanjut); opens the reporter's response window."""
    body = _clean_text(text, "text", required=True, min_len=10)

    def stamp(session: Session, complaint: Complaint, now: datetime) -> None:
        complaint.followed_up_at = now

    return _move(
        ctx,
        actor_id,
        complaint_id,
        Status.DITINDAKLANJUTI,
        action="follow_up",
        event_kind=EventKind.FOLLOW_UP,
        text=body,
        before=_liaison_owns_unit,
        after=stamp,
        reindex=True,
    )


def record_response(
    ctx: ServiceContext, actor_id: str, complaint_id: str, *, satisfied: bool, text: str | None = None
) -> TransitionResult:
    """The reporter's response (tanggapan): satisfied closes; not satisfied sends it back to the unit."""
    body = _clean_text(text, "text", required=not satisfied, min_len=5)
    if satisfied:
        return _move(
            ctx,
            actor_id,
            complaint_id,
            Status.SELESAI,
            action="respond",
            event_kind=EventKind.REPORTER_RESPONSE,
            text=body,
            data={"satisfied": True},
            after=_stamp_closed,
        )

    def stamp(session: Session, complaint: Complaint, now: datetime) -> None:
        complaint.disposed_at = now
        complaint.followed_up_at = None

    return _move(
        ctx,
        actor_id,
        complaint_id,
        Status.DIDISPOSISIKAN,
        action="respond",
        event_kind=EventKind.REPORTER_RESPONSE,
        reason=body,
        text=body,
        data={"satisfied": False},
        after=stamp,
    )


def _stamp_closed(session: Session, complaint: Complaint, now: datetime) -> None:
    complaint.closed_at = now


def close(ctx: ServiceContext, actor_id: str, complaint_id: str, *, note: str | None = None) -> TransitionResult:
    return _move(
        ctx,
        actor_id,
        complaint_id,
        Status.SELESAI,
        action="close",
        event_kind=EventKind.CLOSED,
        text=_clean_text(note, "note", required=False),
        after=_stamp_closed,
    )


def reopen(ctx: ServiceContext, actor_id: str, complaint_id: str, *, reason: str) -> TransitionResult:
    reason_text = _clean_text(reason, "reason", required=True, min_len=5)

    def stamp(session: Session, complaint: Complaint, now: datetime) -> None:
        complaint.closed_at = None
        complaint.disposed_at = now
        complaint.followed_up_at = None

    return _move(
        ctx,
        actor_id,
        complaint_id,
        Status.DIDISPOSISIKAN,
        action="reopen",
        event_kind=EventKind.REOPENED,
        reason=reason_text,
        after=stamp,
    )
