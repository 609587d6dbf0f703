"""Each role's Kotak Masuk (inbox): the complaints that role acts on, as a list filter read within the role's scope
(app.rules.scope says what each holds and why), and for IT the sync problems this PC knows of instead of complaints.

Sync problems are read from what app/ keeps (the outbox and the conflict review queue, written by sync/ through the
capture hook and app.services), without importing sync/.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import Role
from app.models import Complaint, ConflictItem, OutboxEntry
from app.read.queries import ComplaintFilter
from app.rules.scope import Reach, Scope
from app.services.refusals import refused_intakes

NOTHING = ComplaintFilter(ids=())  # no complaint: the lists answer it without a query
SYNC_PROBLEM_ROLES = frozenset({Role.IT_ADMIN, Role.ADMIN_INSTANSI})


def inbox_filter(scope: Scope) -> ComplaintFilter:
    """The filter of ``scope``'s inbox, to read with app.read.queries within the same scope (a liaison's is their
    unit's complaints awaiting follow-up because the scope holds only their unit's). Empty for IT, a liaison
    without a unit and an unknown role."""
    inbox = scope.policy.inbox
    if scope.reach == Reach.NONE or not inbox.statuses:
        return NOTHING
    return ComplaintFilter(statuses=inbox.statuses, attention=inbox.attention)


@dataclass(frozen=True)
class RefusedSending:
    """A complaint the server refused to take in: its tracking code (no title or reporter: IT does not read
    complaints), the server's code and message, and when this PC heard it."""

    tracking_code: str
    code: str
    message: str
    refused_at: datetime | None


@dataclass(frozen=True)
class SyncProblems:
    """What IT looks at instead of complaints: changes not yet sent and since when, complaints the server refused
    (app.services.refusals: they stay until fixed and sent again or withdrawn), conflicts awaiting the office's
    decision."""

    unsent: int
    oldest_unsent_at: datetime | None
    refused: tuple[RefusedSending, ...]
    open_conflicts: int

    @property
    def count(self) -> int:
        return len(self.refused) + self.open_conflicts


def sync_problems(session: Session, scope: Scope) -> SyncProblems:
    """The sync problems of ``scope``'s office; nothing for a role whose work they are not (SYNC_PROBLEM_ROLES)."""
    if scope.role not in SYNC_PROBLEM_ROLES:
        return SyncProblems(0, None, (), 0)
    unsent, oldest = session.execute(select(func.count(), func.min(OutboxEntry.created_at))
                                     .where(OutboxEntry.acked_at.is_(None))).one()
    refused = tuple(RefusedSending(r.tracking_code, r.code, r.message, r.refused_at)
                    for r in refused_intakes(session, scope.office_id))
    conflicts = session.execute(
        select(func.count()).select_from(ConflictItem).join(Complaint, Complaint.id == ConflictItem.complaint_id)
        .where(Complaint.office_id == scope.office_id, ConflictItem.resolved_at.is_(None))).scalar_one()
    return SyncProblems(int(unsent or 0), oldest, refused, int(conflicts or 0))
