"""What every service needs: the store, who acts, the clock, the capture hook and the cached rules."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.capture import ChangeCapture, Mutation, NoCapture
from app.domain import Role
from app.errors import Message, NotFound, OutOfScope, PermissionDenied
from app.models import Complaint, Office, User
from app.reference.labels import label
from app.rules.scope import Scope
from app.rules.sla import SlaPolicy, WorkingCalendar, load_calendar, load_policy
from app.store import meta
from app.store.audit import append_audit
from app.store.db import Store
from app.timeutil import utcnow


@dataclass
class ServiceContext:
    """Shared by all service calls of one running program."""

    store: Store
    blob_dir: Path | None = None
    capture: ChangeCapture = field(default_factory=NoCapture)
    clock: Callable[[], datetime] = utcnow
    device_label: str = field(default_factory=socket.gethostname)
    _policy: SlaPolicy | None = None
    _calendar: WorkingCalendar | None = None
    _office_tz: dict[str, str] = field(default_factory=dict)

    def rules(self, session: Session) -> tuple[SlaPolicy, WorkingCalendar]:
        """The SLA policy and working calendar, loaded once (call :meth:`reload_rules` after they change)."""
        if self._policy is None or self._calendar is None:
            self._policy = load_policy(session)
            self._calendar = load_calendar(session)
        return self._policy, self._calendar

    def reload_rules(self) -> None:
        self._policy = None
        self._calendar = None
        self._office_tz.clear()

    def office_tz(self, session: Session, office_id: str) -> str:
        tz = self._office_tz.get(office_id)
        if tz is None:
            office = session.get(Office, office_id)
            tz = office.tz if office else "Asia/Jakarta"
            self._office_tz[office_id] = tz
        return tz

    def device_code(self, session: Session) -> str:
        return meta.get(session, meta.DEVICE_LABEL) or self.device_label


def load_actor(session: Session, user_id: str, allowed: Iterable[Role] | None = None) -> User:
    """The acting user, active, and (if ``allowed``) in one of those roles."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise PermissionDenied(
            Message("Akun tidak dikenal atau sudah dinonaktifkan.", "Unknown or disabled account.")
        )
    if allowed is not None:
        allowed_set = set(allowed)
        if Role(user.role) not in allowed_set:
            names_id = ", ".join(label(r) for r in sorted(allowed_set))
            names_en = ", ".join(label(r, "en") for r in sorted(allowed_set))
            raise PermissionDenied(
                Message(
                    f"Tindakan ini hanya untuk peran: {names_id}.",
                    f"Only these roles may do this: {names_en}.",
                )
            )
    return user


def load_complaint(session: Session, actor: User, complaint_id: str) -> Complaint:
    """A complaint of the actor's own office that the actor's role may open (app.rules.scope). Another office's
    complaint is reported as not found; one of the office outside the role's scope (a liaison and another unit's
    complaint, IT and any complaint) is refused with OutOfScope, saying why, whatever the window asked."""
    complaint = session.get(Complaint, complaint_id)
    if complaint is None or (actor.role != Role.SYSTEM and complaint.office_id != actor.office_id):
        raise NotFound(Message("Laporan tidak ditemukan.", "Complaint not found."))
    if actor.role != Role.SYSTEM:
        scope = Scope.of(actor)
        if not scope.may_open(complaint.office_id, complaint.unit_id):
            raise OutOfScope(scope.refusal())
    return complaint


def record_change(
    ctx: ServiceContext,
    session: Session,
    *,
    actor: User | None,
    action: str,
    entity_type: str,
    entity_id: str | None,
    details: dict[str, Any] | None = None,
    mutation: Mutation | None = None,
) -> None:
    """Audit and capture, in the caller's transaction."""
    append_audit(
        session,
        at=ctx.clock(),
        user_id=actor.id if actor else None,
        device=ctx.device_code(session),
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        details=details,
    )
    if mutation is not None:
        ctx.capture.capture(session, mutation)


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
