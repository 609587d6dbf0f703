"""What the detail panel shows, read in one go on the database thread: the complaint as the privacy rules allow
(app.read.detail.detail), its deadlines with their state, region names, unit names for the timeline, and the actions
this user may take. Plain data only: it crosses to the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.domain import DeadlineKind
from app.read import detail as read_detail
from app.read.choices import load_office_units
from app.read.detail import ComplaintDetail
from app.reference.regions import region_path
from app.rules.availability import Actor, available_actions
from app.rules.sla import deadline_state, is_estimate, period_of
from app.services.context import ServiceContext
from app.timeutil import server_now


@dataclass(frozen=True)
class DeadlineInfo:
    """One running deadline: its kind (DeadlineKind value), when it falls due and its state (DeadlineState);
    ``estimated`` when it was counted past the holiday calendar's horizon."""

    kind: str
    due_at: datetime
    state: str
    estimated: bool = False


@dataclass(frozen=True)
class DetailSnapshot:
    detail: ComplaintDetail
    tz: str
    now: datetime
    deadlines: tuple[DeadlineInfo, ...]
    region_names: tuple[str, ...]
    actions: tuple[str, ...]
    unit_names: dict[str, str] = field(default_factory=dict)

    @property
    def complaint_id(self) -> str:
        return self.detail.id


def load_snapshot(ctx: ServiceContext, complaint_id: str, *, role: str, office_id: str,
                  user_unit_id: str | None) -> DetailSnapshot:
    """Everything the panel needs for one complaint (raises NotFound for another office's complaint)."""
    with ctx.store.read() as session:
        now = server_now(session, ctx.clock())
        d = read_detail.detail(session, complaint_id, viewer_role=role, office_id=office_id,
                               viewer_unit_id=user_unit_id)
        policy, calendar = ctx.rules(session)
        tz = ctx.office_tz(session, office_id)
        regions = tuple(r.name for r in region_path(session, d.region_code)) if d.region_code else ()

    def info(kind: str, due: datetime) -> DeadlineInfo:
        estimated = is_estimate(due, period_of(policy, kind, d.classification, d.is_supervisory), calendar, tz)
        return DeadlineInfo(kind, due, deadline_state(due, now, policy), estimated)

    deadlines: list[DeadlineInfo] = []
    if d.step_due_at is not None and d.step_due_kind:
        deadlines.append(info(d.step_due_kind, d.step_due_at))
    if d.resolution_due_at is not None:
        deadlines.append(info(DeadlineKind.RESOLUTION.value, d.resolution_due_at))
    units = {u.id: u.name for u in load_office_units(ctx.store, office_id, active_only=False)}
    actions = available_actions(Actor(role, user_unit_id), d.status, d.unit_id)
    return DetailSnapshot(d, tz, now, tuple(deadlines), regions, actions, units)
