"""The reporter's response window: a followed-up complaint whose window has run out closes by itself.

Called at start and periodically; each closure is its own small transaction so one bad row cannot block the rest.
"Now" is the server's time as this PC knows it (:func:`app.timeutil.server_now`): a PC whose clock runs ahead must
not close a complaint while the reporter may still answer (the server refuses such a close too).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import DeadlineKind, EventKind, Role, Status
from app.models import Complaint
from app.rules import workflow
from app.rules.sla import response_window_end
from app.services.common import add_event, record_complaint_change, refresh_deadlines, touch
from app.services.context import ServiceContext
from app.timeutil import server_now


def due_for_auto_close(ctx: ServiceContext, now: datetime, limit: int = 500) -> list[str]:
    with ctx.store.read() as session:
        return list(
            session.execute(
                select(Complaint.id)
                .where(Complaint.status == Status.DITINDAKLANJUTI)
                .where(Complaint.step_due_kind == DeadlineKind.RESPONSE_WINDOW)
                .where(Complaint.step_due_at < now)
                .order_by(Complaint.step_due_at)
                .limit(limit)
            ).scalars()
        )


def apply_auto_closures(ctx: ServiceContext, now: datetime | None = None) -> list[str]:
    """Close every complaint whose response window ended before ``now`` (by default the server-corrected time);
    returns the ids closed."""
    if now is None:
        with ctx.store.read() as session:
            now = server_now(session, ctx.clock())
    workflow.check_transition(Status.DITINDAKLANJUTI, Status.SELESAI, Role.SYSTEM, action="close")
    closed: list[str] = []
    skipped: set[str] = set()
    while True:
        batch = [cid for cid in due_for_auto_close(ctx, now) if cid not in skipped]  # refreshed ones drop out
        if not batch:
            return closed
        for complaint_id in batch:
            with ctx.store.transaction() as session:
                complaint = session.get(Complaint, complaint_id)
                if complaint is None or complaint.status != Status.DITINDAKLANJUTI:
                    continue  # changed meanwhile
                if not _window_ended(ctx, session, complaint, now):
                    refresh_deadlines(ctx, session, complaint)  # its stored deadline was out of date
                    skipped.add(complaint_id)
                    continue
                complaint.status = Status.SELESAI
                complaint.closed_at = now
                touch(complaint, now)
                refresh_deadlines(ctx, session, complaint)
                event = add_event(session, complaint, kind=EventKind.AUTO_CLOSED, at=now, actor=None,
                                  from_status=Status.DITINDAKLANJUTI, to_status=Status.SELESAI)
                record_complaint_change(
                    ctx, session, complaint, None, action="complaint.close",
                    args={"from": Status.DITINDAKLANJUTI, "to": Status.SELESAI, "auto": True, "event_id": event.id},
                    audit_details={"from": Status.DITINDAKLANJUTI, "to": Status.SELESAI, "auto": True},
                )
                closed.append(complaint_id)


def _window_ended(ctx: ServiceContext, session: Session, complaint: Complaint, now: datetime) -> bool:
    """The window by today's rules (app.rules.sla.response_window_end, the definition the server checks against), not
    only by the deadline stored when the complaint was followed up: the policy or the holidays may have changed."""
    if complaint.followed_up_at is None:
        return False
    policy, calendar = ctx.rules(session)
    ends = response_window_end(complaint.followed_up_at, policy, calendar,
                               ctx.office_tz(session, complaint.office_id))
    return now > ends
