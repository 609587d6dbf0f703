"""The complaint state machine as data: every allowed transition, the action that makes it and who may.

The same table is used by the desktop (to validate offline) and by the national server (authoritative).
Anything not listed here is forbidden. One status change can be made by more than one action with its own roles:
closing (the office decides) and recording the reporter's response (counter staff may too) both end in SELESAI.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain import Role, Status
from app.errors import InvalidTransition, Message, PermissionDenied
from app.reference.labels import label

S = Status
R = Role


@dataclass(frozen=True)
class Transition:
    """One allowed status change."""

    source: Status
    target: Status
    action: str
    roles: frozenset[Role]
    needs_reason: bool = False


def _t(source: Status, target: Status, action: str, roles: set[Role], needs_reason: bool = False) -> Transition:
    return Transition(source, target, action, frozenset(roles), needs_reason)


ADMIN = {R.ADMIN_INSTANSI}
ADMIN_LIAISON = {R.ADMIN_INSTANSI, R.PENGHUBUNG}
ADMIN_COUNTER = {R.ADMIN_INSTANSI, R.PETUGAS_LOKET}

TRANSITIONS: tuple[Transition, ...] = (
    _t(S.BELUM_TERVERIFIKASI, S.DIDISPOSISIKAN, "dispose", ADMIN),
    _t(S.BELUM_TERVERIFIKASI, S.DITUNDA, "postpone", ADMIN, needs_reason=True),
    _t(S.BELUM_TERVERIFIKASI, S.BUKAN_WEWENANG, "redirect", ADMIN, needs_reason=True),
    _t(S.BELUM_TERVERIFIKASI, S.DIARSIPKAN, "archive", ADMIN, needs_reason=True),
    _t(S.DIDISPOSISIKAN, S.DITINDAKLANJUTI, "follow_up", ADMIN_LIAISON),
    _t(S.DIDISPOSISIKAN, S.DITUNDA, "postpone", ADMIN_LIAISON, needs_reason=True),
    _t(S.DIDISPOSISIKAN, S.BUKAN_WEWENANG, "redirect", ADMIN, needs_reason=True),
    _t(S.DITINDAKLANJUTI, S.SELESAI, "close", ADMIN | {R.SYSTEM}),
    _t(S.DITINDAKLANJUTI, S.SELESAI, "respond", ADMIN_COUNTER),  # the reporter is satisfied
    _t(S.DITINDAKLANJUTI, S.DIDISPOSISIKAN, "respond", ADMIN_COUNTER, needs_reason=True),  # not satisfied
    _t(S.DITUNDA, S.BELUM_TERVERIFIKASI, "resume", ADMIN_COUNTER),
    _t(S.DITUNDA, S.DIDISPOSISIKAN, "dispose", ADMIN),
    _t(S.DITUNDA, S.DIARSIPKAN, "archive", ADMIN, needs_reason=True),
    _t(S.DIARSIPKAN, S.BELUM_TERVERIFIKASI, "unarchive", ADMIN, needs_reason=True),
    _t(S.SELESAI, S.DIDISPOSISIKAN, "reopen", ADMIN, needs_reason=True),
)

ACTIONS = frozenset(t.action for t in TRANSITIONS)
# One rule beyond the table: a unit liaison takes these steps only on complaints dispositioned to their own unit
# (the desktop's services, the server's push and the window's action list all ask :func:`unit_allows`).
UNIT_BOUND_ACTIONS = frozenset({"follow_up", "postpone"})


def unit_allows(action: str, role: str, actor_unit_id: str | None, complaint_unit_id: str | None) -> bool:
    """Whether the unit rule lets this role (with its unit) take ``action`` on a complaint of that unit."""
    if role != R.PENGHUBUNG or action not in UNIT_BOUND_ACTIONS:
        return True
    return actor_unit_id is not None and actor_unit_id == complaint_unit_id


def between(source: str, target: str) -> list[Transition]:
    """Every action that moves a complaint from ``source`` to ``target``."""
    return [t for t in TRANSITIONS if t.source == source and t.target == target]


def find(source: str, target: str, action: str | None = None) -> Transition | None:
    """The transition made by ``action`` (or the first one of the pair when no action is named)."""
    found = [t for t in between(source, target) if action is None or t.action == action]
    return found[0] if found else None


def next_statuses(source: str) -> list[Status]:
    return sorted({t.target for t in TRANSITIONS if t.source == source})


def allowed_transitions(source: str, role: str) -> list[Transition]:
    """What this role may do from this status (the UI shows only these)."""
    return [t for t in TRANSITIONS if t.source == source and role in t.roles]


def check_transition(
    source: str, target: str, role: str, *, reason: str | None = None, action: str | None = None
) -> Transition:
    """The transition (made by ``action``, or any action of the pair this role may take), or a typed error
    saying plainly why not."""
    candidates = [t for t in between(source, target) if action is None or t.action == action]
    if not candidates:
        raise InvalidTransition(
            Message(
                f"Status tidak dapat diubah dari {label(Status(source))} ke {label(Status(target))}.",
                f"The status cannot change from {label(Status(source), 'en')} to {label(Status(target), 'en')}.",
            )
        )
    permitted = [t for t in candidates if role in t.roles]
    if not permitted:
        raise PermissionDenied(
            Message(
                f"Peran {label(Role(role))} tidak boleh mengubah status dari {label(Status(source))} "
                f"ke {label(Status(target))}.",
                f"The role {label(Role(role), 'en')} may not change the status from "
                f"{label(Status(source), 'en')} to {label(Status(target), 'en')}.",
            )
        )
    transition = permitted[0]
    if transition.needs_reason and not (reason and reason.strip()):
        from app.errors import ValidationError

        raise ValidationError({"reason": Message("Alasan wajib diisi.", "A reason is required.")})
    return transition
