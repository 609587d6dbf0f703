"""Which actions a user may take on a complaint in its current status, derived from the rules' own data
(app.rules.workflow.TRANSITIONS, the role tuples of app.rules.records, app.domain.OPEN_STATUSES), never hand-listed.

No Qt here: the same answer is used for the menu, the detail panel's buttons and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain import OPEN_STATUSES
from app.rules import records, workflow
from app.rules.scope import within_reach

# Status changes, in the order the workflow table lists them.
TRANSITION_ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(t.action for t in workflow.TRANSITIONS))
# Changes that are not status moves, with the roles the services accept.
RECORD_ACTIONS: tuple[str, ...] = ("note", "attach", "edit")
_RECORD_ROLES: dict[str, frozenset[str]] = {
    "note": frozenset(records.NOTE_ROLES),
    "attach": frozenset(records.ATTACH_ROLES),
    "edit": frozenset(records.EDIT_ROLES),
}
ALL_ACTIONS: tuple[str, ...] = TRANSITION_ACTIONS + RECORD_ACTIONS

@dataclass(frozen=True)
class Actor:
    """Who asks: the role, and for a unit liaison their unit."""

    role: str
    unit_id: str | None = None


def available_actions(actor: Actor, status: str, complaint_unit_id: str | None) -> tuple[str, ...]:
    """The actions this user may take now: status changes first, in the order the workflow table lists them from
    this status (so the usual next step comes first), then note/attach/edit. None on a complaint outside the role's
    reach (app.rules.scope: a liaison and another unit's complaint), which the services refuse."""
    if not within_reach(actor.role, actor.unit_id, complaint_unit_id):
        return ()
    allowed = dict.fromkeys(t.action for t in workflow.allowed_transitions(status, actor.role))
    allowed = {a: None for a in allowed if workflow.unit_allows(a, actor.role, actor.unit_id, complaint_unit_id)}
    found = list(allowed)
    for action in RECORD_ACTIONS:
        if actor.role not in _RECORD_ROLES[action]:
            continue
        if action == "edit" and status not in OPEN_STATUSES:
            continue  # edit_complaint refuses closed, archived and redirected complaints
        found.append(action)
    return tuple(found)


def primary_action(actions: tuple[str, ...]) -> str | None:
    """The step the workflow expects next (the first status change offered), to be shown prominently."""
    return next((a for a in actions if a in TRANSITION_ACTIONS), None)
