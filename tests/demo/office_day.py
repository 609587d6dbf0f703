"""What a demo office looks like on the day it is started, and the checks a working office passes: the share of its
open complaints that are overdue, due soon and on time (app.rules.sla.deadline_state, the list's own words), every
status present, and each timeline a walk the workflow rules allow (replayed as the services would)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from app.domain import DeadlineState, EventKind, Role, Status
from app.rules import workflow
from app.rules.records import NOTE_ROLES
from app.rules.sla import SlaPolicy, deadline_state
from app.services.intake import INTAKE_ROLES

# The workflow action behind each event kind, as the services name it.
KIND_ACTIONS = {
    EventKind.DISPOSED: "dispose", EventKind.POSTPONED: "postpone", EventKind.RESUMED: "resume",
    EventKind.REDIRECTED: "redirect", EventKind.ARCHIVED: "archive", EventKind.UNARCHIVED: "unarchive",
    EventKind.FOLLOW_UP: "follow_up", EventKind.REPORTER_RESPONSE: "respond", EventKind.CLOSED: "close",
    EventKind.AUTO_CLOSED: "close", EventKind.REOPENED: "reopen",
}

# A working office on an ordinary working-day morning (thresholds a complaint office would recognise: an office
# with a tenth of its open work overdue is in trouble; one with nothing due in the next two days has no work).
MAX_OVERDUE = 0.10  # at most a tenth of the open complaints past a deadline...
MIN_OVERDUE = 1  # ...but a few are: deadlines are missed in every real office
MIN_DUE_SOON = 0.08  # some due within the policy's 48 hours
MIN_ON_TIME = 0.65  # most with time left
OPEN_SHARE = (0.04, 0.20)  # the open work is a small part of months of complaints


@dataclass(frozen=True)
class OfficeDay:
    """The figures of one office at ``now``."""

    statuses: Counter[str]
    states: Counter[DeadlineState]

    @property
    def open(self) -> int:
        return sum(n for state, n in self.states.items() if state != DeadlineState.NONE)

    def share(self, state: DeadlineState) -> float:
        return self.states[state] / self.open if self.open else 0.0

    def __str__(self) -> str:
        shares = {s.value: f"{self.states[s]} ({self.share(s):.0%})" for s in
                  (DeadlineState.OVERDUE, DeadlineState.DUE_SOON, DeadlineState.ON_TIME)}
        return f"{dict(self.statuses)} open {self.open}: {shares}"


def office_day(rows: Iterable[Any], now: datetime, policy: SlaPolicy) -> OfficeDay:
    """From rows with ``status`` and ``next_due_at`` (the PC's deadline column)."""
    statuses: Counter[str] = Counter()
    states: Counter[DeadlineState] = Counter()
    for row in rows:
        statuses[str(row.status)] += 1
        states[deadline_state(row.next_due_at, now, policy)] += 1
    return OfficeDay(statuses, states)


def assert_working_office(day: OfficeDay, *, working_morning: bool = True,
                          open_share: tuple[float, float] = OPEN_SHARE) -> None:
    """Most open complaints on time, some due soon (on a working-day morning: on a Friday afternoon or a weekend
    the next deadlines are mostly more than 48 hours away), a few overdue; every status present; the open work a
    small part of the whole (``open_share``)."""
    total = sum(day.statuses.values())
    assert set(day.statuses) == {s.value for s in Status}, day
    assert open_share[0] * total <= day.open <= open_share[1] * total, day
    assert day.states[DeadlineState.OVERDUE] >= MIN_OVERDUE, day
    assert day.share(DeadlineState.OVERDUE) <= MAX_OVERDUE, day
    assert day.share(DeadlineState.ON_TIME) >= MIN_ON_TIME, day
    if working_morning:
        assert day.share(DeadlineState.DUE_SOON) >= MIN_DUE_SOON, day


def replay(c: Any, events: list[Any], roles: dict[str, str], units: dict[str, str], now: datetime,
           *, intake_actor: bool = True) -> None:
    """Walk a complaint's events as the services would and check its columns against the result: every step a
    transition of app.rules.workflow from where the complaint stood, by a role allowed to take it (of the right
    unit), with what the person wrote passing the services' checks. ``intake_actor``: the receipt names a counter
    or admin account (an online complaint's receipt names nobody)."""
    assert events[0].kind == EventKind.RECEIVED and events[0].at == c.received_at
    assert events[0].to_status == Status.BELUM_TERVERIFIKASI
    if intake_actor:
        assert roles[events[0].actor_user_id] in INTAKE_ROLES
    cols = SimpleNamespace(status=Status.BELUM_TERVERIFIKASI, unit_id=None, disposed_at=None, followed_up_at=None,
                           postponed_at=None, closed_at=None, archive_reason=None)
    for prev, e in zip(events, events[1:], strict=False):
        assert prev.at < e.at <= now, (c.tracking_code, e.kind)
        role = roles[e.actor_user_id] if e.actor_user_id else Role.SYSTEM
        if e.kind == EventKind.NOTE:
            assert role in NOTE_ROLES and e.from_status is None and e.to_status is None
            continue
        assert e.from_status == cols.status, (c.tracking_code, e.kind)
        transition = workflow.find(e.from_status, e.to_status, KIND_ACTIONS[EventKind(e.kind)])
        assert transition is not None and role in transition.roles, (c.tracking_code, e.kind, role)
        assert e.kind in workflow.entry_kinds(transition)
        assert workflow.unit_allows(transition.action, role, units.get(e.actor_user_id), cols.unit_id)
        data = json.loads(e.data_json or "{}")
        inputs = workflow.check_inputs(transition, {**workflow.inputs_from_entry(transition, e.text, e.data_json),
                                                    "unit_id": data.get("unit_id")},
                                       unit=SimpleNamespace(office_id=c.office_id, active=True), office_id=c.office_id)
        workflow.apply_effects(cols, transition, e.at, unit_id=inputs.get("unit_id"),
                               archive_reason=inputs.get("reason_code"))
    assert {k: getattr(c, k) for k in vars(cols)} == vars(cols), c.tracking_code
