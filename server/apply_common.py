"""What every kind of pushed mutation uses: refusals, results, the version bump with its change-log row, timeline
events merged by id, and the correction that puts a PC's copy right after a refusal."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.domain import Role, Status
from server import changelog
from server.models import Complaint, TimelineEvent, User
from sync.protocol import (
    EventData,
    Mutation,
    MutationResult,
    MutationStatus,
)

CLOSED = frozenset({Status.SELESAI, Status.DIARSIPKAN, Status.BUKAN_WEWENANG})
ROWS_KEY = "lapor_complaint_rows"  # session.info: complaint change-log rows of the mutation being applied


class Rejected(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class RejectWithEvent(Exception):
    def __init__(self, c: Complaint, event: EventData, reason: str) -> None:
        super().__init__(reason)
        self.complaint = c
        self.event = event
        self.reason = reason


def mutation_result(m: Mutation, status: MutationStatus, c: Complaint | None = None, *, as_sent: bool = False,
            **extra: Any) -> MutationResult:
    """``as_sent``: the change took effect exactly as the PC made it (whether on the state the PC had is for
    :func:`_dispatch` to add)."""
    return MutationResult(seq=m.seq, mutation_id=m.mutation_id, status=status, entity_id=m.entity_id,
                          server_version=c.version if c is not None else None,
                          updated_at=c.updated_at if c is not None else None, exact=as_sent, **extra)


def role_of(user: User | None) -> str:
    return user.role if user is not None else Role.SYSTEM


def correct(session: Session, c: Complaint, now: datetime) -> None:
    """What a PC applied locally did not happen here (refused, or overtaken): a new version of the complaint as the
    server has it, with its change-log row, so the PC's next pull puts its copy right. The version moves so that the
    PC's later changes, written on its own copy before that pull, are never taken for exact ones."""
    c.version += 1
    changelog.record(session, office_id=c.office_id or "", entity_type="complaint", entity_id=c.id, op="upsert",
                     version=c.version, now=now)


def bump(session: Session, c: Complaint, now: datetime) -> None:
    c.version += 1
    c.updated_at = now
    row = changelog.record(session, office_id=c.office_id or "", entity_type="complaint", entity_id=c.id,
                           op="upsert", version=c.version, now=now)
    rows = session.info.get(ROWS_KEY)
    if rows is not None:  # a PC's mutation: exact or not is known once it is applied (_apply)
        rows.append(row)


def add_event(session: Session, c: Complaint, data: EventData, now: datetime,
              extra: dict[str, Any] | None = None, *, from_client: bool = True) -> bool:
    """Append an event unless its id is already there (children merge by id). True if added. ``from_client``: the
    event is the pushing PC's own (not one the server writes), so stored unchanged it is exactly what that PC
    holds."""
    if session.get(TimelineEvent, data.id) is not None:
        return False
    payload = data.data_json
    if extra:
        merged = json.loads(payload) if payload else {}
        merged.update(extra)
        payload = json.dumps(merged, sort_keys=True, ensure_ascii=False)
    session.add(TimelineEvent(id=data.id, complaint_id=c.id, kind=data.kind, at=data.at,
                              actor_user_id=data.actor_user_id, from_status=data.from_status,
                              to_status=data.to_status, text=data.text, data_json=payload, version=1))
    changelog.record(session, office_id=c.office_id or "", entity_type="event", entity_id=data.id, op="upsert",
                     version=1, now=now, exact=from_client and not extra)
    return True


def append_event(session: Session, m: Mutation, c: Complaint, event: EventData, now: datetime,
                  as_sent: bool = True) -> MutationResult:
    flag = {"after_close": True} if c.status in CLOSED else None
    added = add_event(session, c, event, now, extra=flag)
    if added:
        bump(session, c, now)
    return mutation_result(m, MutationStatus.MERGED if flag else MutationStatus.APPLIED, c,
                   code="after_close" if flag else None, as_sent=as_sent and added and not flag)

