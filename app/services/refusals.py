"""Complaints the server refused to take in, by a hard rule (an invalid field, an account no longer active, ...).

Such a complaint exists only on this PC, with a receipt code the citizen already holds, so the refusal is a
standing problem, not a line in one sync's report: it stays counted (``lapor-desk sync --status``, the window) until
someone fixes the complaint (the normal edit) and sends it again (:func:`resend_intake`; a tracking code the server
already gave to another complaint is replaced, with a note to tell the citizen), or withdraws it
(:func:`withdraw_intake`). Nothing is deleted. What the server answered is in the refused intake's outbox row, which
the sync engine keeps with its result.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.capture import Mutation
from app.domain import EventKind, Role, Status
from app.errors import InvalidTransition, Message
from app.models import Complaint, Office, OutboxEntry, TimelineEvent, User
from app.read.search import index_complaint
from app.rules import tracking
from app.services.common import add_event, refresh_deadlines, touch
from app.services.context import ServiceContext, load_actor, load_complaint, record_change
from app.services.intake import INTAKE_ROLES, next_tracking_code
from app.store import tracking_floor
from app.store.transactions import sql_cursor

INTAKE = "complaint.intake"
DUPLICATE_CODE = "duplicate_tracking_code"  # the server's refusal when a tracking code is already taken
REJECTED = "rejected"  # an outbox row's result_status when the server refused it (sync.protocol.MutationStatus)
WITHDRAWN = "withdrawn_intake"  # the data of the ARCHIVED event that withdrew a refused complaint
RESEND_ROLES = INTAKE_ROLES  # the server checks the sender's role as for any intake
WITHDRAW_ROLES = (Role.ADMIN_INSTANSI,)  # a citizen's complaint leaves the national process: the office decides
_STEP_FIELDS = ("unit_id", "archive_reason", "disposed_at", "followed_up_at", "postponed_at", "closed_at")


@dataclass(frozen=True)
class RefusedIntake:
    """One complaint whose last sending was refused: what the server said, and when this PC heard it."""

    complaint_id: str
    tracking_code: str
    title: str
    seq: int
    code: str
    message: str
    refused_at: datetime | None


def refused_intakes(session: Session, office_id: str | None = None) -> list[RefusedIntake]:
    """Complaints whose latest ``complaint.intake`` the server refused, not withdrawn, oldest first."""
    latest = (select(OutboxEntry.entity_id, func.max(OutboxEntry.seq).label("seq"))
              .where(OutboxEntry.name == INTAKE).group_by(OutboxEntry.entity_id).subquery())
    query = (select(OutboxEntry, Complaint.tracking_code, Complaint.title)
             .join(latest, OutboxEntry.seq == latest.c.seq)
             .join(Complaint, Complaint.id == OutboxEntry.entity_id)
             .where(OutboxEntry.result_status == REJECTED)
             .order_by(OutboxEntry.seq))
    if office_id is not None:
        query = query.where(Complaint.office_id == office_id)
    rows = session.execute(query).all()
    withdrawn = _withdrawn(session, [entry.entity_id for entry, _code, _title in rows])
    return [_refusal(entry, code, title) for entry, code, title in rows if entry.entity_id not in withdrawn]


def refusal_of(session: Session, complaint_id: str) -> RefusedIntake | None:
    """The standing refusal of this complaint, if there is one."""
    return next((r for r in refused_intakes(session) if r.complaint_id == complaint_id), None)


def standing_seqs(session: Session) -> set[int]:
    """The outbox rows that hold a standing refusal: kept past the usual 30 days (the refusal and what was sent
    live there until someone sends the complaint again or withdraws it)."""
    return {r.seq for r in refused_intakes(session)}


def sent_again(session: Session, refused: Iterable[tuple[int, str]]) -> set[int]:
    """Of refused changes given as (seq, complaint id), those made on a complaint the server did not have because
    its intake was refused, and that has since been sent again: what they changed went with it (the complaint is
    sent as it is then), so they are no problem of their own."""
    wanted = list(refused)
    ids = {complaint_id for _seq, complaint_id in wanted}
    if not ids:
        return set()
    intakes: dict[str, list[tuple[int, str | None]]] = {}
    for complaint_id, seq, status in session.execute(select(
            OutboxEntry.entity_id, OutboxEntry.seq, OutboxEntry.result_status).where(
            OutboxEntry.name == INTAKE, OutboxEntry.entity_id.in_(ids))):
        intakes.setdefault(complaint_id, []).append((seq, status))
    out: set[int] = set()
    for seq, complaint_id in wanted:
        rows = intakes.get(complaint_id, [])
        if any(s < seq and status == REJECTED for s, status in rows) and any(s > seq for s, _ in rows):
            out.add(seq)
    return out


def resend_intake(ctx: ServiceContext, actor_id: str, complaint_id: str) -> int:
    """Send a refused complaint again, as it is now (after the person fixed it), as a new intake; returns the seq
    of the refusal it answers. Steps taken on it after the refused intake never reached the server (each was
    refused in turn, its timeline entry removed), so the complaint goes back to "received" and the office takes
    them again once the server has it."""
    now = ctx.clock()
    with ctx.store.transaction() as session:
        actor = load_actor(session, actor_id, RESEND_ROLES)
        complaint = load_complaint(session, actor, complaint_id)
        refusal = _standing(session, complaint.id)
        if complaint.status != Status.BELUM_TERVERIFIKASI:
            complaint.status = Status.BELUM_TERVERIFIKASI
            for name in _STEP_FIELDS:
                setattr(complaint, name, None)
        recoded = _new_code_if_taken(ctx, session, complaint, actor, refusal, now)
        touch(complaint, now)
        refresh_deadlines(ctx, session, complaint)
        details = {"tracking_code": complaint.tracking_code, "resends": refusal.seq}
        record_change(ctx, session, actor=actor, action="complaint.resend", entity_type="complaint",
                      entity_id=complaint.id, details=details,
                      mutation=Mutation(name=INTAKE, entity_type="complaint", entity_id=complaint.id,
                                        base_version=complaint.server_version, args=dict(details),
                                        user_id=actor.id))
    if recoded:
        tracking_floor.remember(ctx.store.path, tracking.parse(complaint.tracking_code).seq)
    return refusal.seq


def _new_code_if_taken(ctx: ServiceContext, session: Session, complaint: Complaint, actor: User,
                       refusal: RefusedIntake, now: datetime) -> bool:
    """The server already gave this tracking code to another complaint (this PC's data folder was put back from an
    older copy and issued it again before it could hear otherwise): the complaint gets this PC's next code, and a
    note on its timeline says so, for the office to tell the citizen. True if the code changed."""
    if refusal.code != DUPLICATE_CODE:
        return False
    office = session.get(Office, complaint.office_id)
    assert office is not None
    old = complaint.tracking_code
    session.flush()
    complaint.tracking_code, _label = next_tracking_code(sql_cursor(session), office.region_code, ctx.store.path)
    add_event(session, complaint, kind=EventKind.NOTE, at=now, actor=actor,
              text=f"Kode pelacakan diganti dari {old} menjadi {complaint.tracking_code}: kode lama sudah dipakai "
                   "laporan lain di server. Beri tahu pelapor kode barunya.",
              data={"tracking_code_changed": {"from": old, "to": complaint.tracking_code}})
    index_complaint(session, complaint.id)
    return True


def withdraw_intake(ctx: ServiceContext, actor_id: str, complaint_id: str, note: str | None = None) -> int:
    """Give up sending a refused complaint: it stays on this PC, archived, its timeline saying why (the server's
    refusal and the person's note), and no longer counts as a problem. Nothing goes to the server, which never
    had it. Returns the seq of the refusal withdrawn."""
    text = (note or "").strip() or None
    now = ctx.clock()
    with ctx.store.transaction() as session:
        actor = load_actor(session, actor_id, WITHDRAW_ROLES)
        complaint = load_complaint(session, actor, complaint_id)
        refusal = _standing(session, complaint.id)
        source = complaint.status
        complaint.status = Status.DIARSIPKAN
        complaint.closed_at = now
        touch(complaint, now)
        refresh_deadlines(ctx, session, complaint)
        add_event(session, complaint, kind=EventKind.ARCHIVED, at=now, actor=actor, text=text,
                  from_status=source, to_status=Status.DIARSIPKAN,
                  data={"reason": refusal.message, WITHDRAWN: {"seq": refusal.seq, "code": refusal.code}})
        record_change(ctx, session, actor=actor, action="complaint.withdraw", entity_type="complaint",
                      entity_id=complaint.id, details={"refusal_code": refusal.code, "refused_seq": refusal.seq})
        return refusal.seq


def _standing(session: Session, complaint_id: str) -> RefusedIntake:
    refusal = refusal_of(session, complaint_id)
    if refusal is None:
        raise InvalidTransition(Message(
            "Laporan ini tidak sedang ditolak server (sudah dikirim ulang, ditarik, atau diterima).",
            "The server is not refusing this complaint (it was sent again, withdrawn, or accepted)."))
    return refusal


def _refusal(entry: OutboxEntry, tracking_code: str, title: str) -> RefusedIntake:
    try:
        result = json.loads(entry.result_json or "{}")
    except ValueError:
        result = {}
    result = result if isinstance(result, dict) else {}
    return RefusedIntake(entry.entity_id, tracking_code, title, entry.seq, str(result.get("code") or ""),
                         str(result.get("message") or ""), entry.acked_at)


def _withdrawn(session: Session, complaint_ids: Iterable[str]) -> set[str]:
    ids = list(complaint_ids)
    if not ids:
        return set()
    events = session.execute(select(TimelineEvent.complaint_id, TimelineEvent.data_json).where(
        TimelineEvent.complaint_id.in_(ids), TimelineEvent.kind == EventKind.ARCHIVED))
    out: set[str] = set()
    for complaint_id, data_json in events:
        try:
            data = json.loads(data_json or "{}")
        except ValueError:
            continue
        if isinstance(data, dict) and WITHDRAWN in data:
            out.add(complaint_id)
    return out
