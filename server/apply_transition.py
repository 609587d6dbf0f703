"""Status changes as commands checked against app.rules.workflow: legal now, applied; already there, success (content a
person wrote is kept); otherwise refused, with a TRANSITION_REJECTED event that keeps what the person wrote.

The step's time and its date stamp are dated by the server's clock (:func:`server.apply_common.server_time`): never
in the server's future, never before the status change the step starts from. An automatic close is refused while the
reporter's response window is still open by the server's clock, policy and holidays."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy.orm import Session

from app.domain import EventKind, Status
from app.errors import ValidationError
from app.ids import new_id
from app.rules import workflow
from app.rules.sla import SlaPolicy, WorkingCalendar, load_calendar, load_policy, response_window_end
from app.timeutil import zone
from server.apply_common import (
    FUTURE_TOLERANCE,
    Rejected,
    RejectWithEvent,
    add_event,
    bump,
    correct,
    event_as_sent,
    held,
    mutation_result,
    role_of,
    server_time,
    step_floor,
)
from server.apply_restore import refused_steps
from server.models import Complaint, Holiday, Office, SlaPolicyRecord, TimelineEvent, Unit, User
from sync.protocol import (
    STAMP_FIELDS,
    EventData,
    Mutation,
    MutationResult,
    MutationStatus,
    TransitionArgs,
)

TRANSITION_ACTIONS = frozenset(t.action for t in workflow.TRANSITIONS)
CONTENT_EVENTS = frozenset({EventKind.FOLLOW_UP, EventKind.REPORTER_RESPONSE})


def apply_transition(session: Session, m: Mutation, c: Complaint, user: User | None, now: datetime) -> MutationResult:
    args = TransitionArgs.model_validate(m.args)
    target = args.to_status
    if target not in Status.__members__:
        raise Rejected("bad_arguments", "Status tujuan tidak dikenal.")
    action = m.name.removeprefix("complaint.")
    role = role_of(user)
    if args.event.id in refused_steps(session, c.id):
        # Refused before the server was restored, and that refusal given back: it stands (the offices saw it).
        raise Rejected("transition_rejected", "Perubahan status ini sudah ditolak server sebelumnya.")
    held_step = held(session, TimelineEvent, args.event.id)
    if held_step is not None and held_step.complaint_id == c.id:
        # The server holds this step's entry already: after a restore another PC gave it back before this PC sent
        # the step again. It is history the office shares; the status stays the server's (its copy is corrected).
        correct(session, c, now)
        return mutation_result(m, MutationStatus.MERGED, c, code="already_there")
    if c.status == target:
        # Already there (another PC did the same): success; keep content the person wrote. The PC's own unit,
        # date stamps and (for other steps) timeline entry are not kept, so its copy is corrected either way.
        if args.event.kind in CONTENT_EVENTS and add_event(session, c, args.event, now):
            bump(session, c, now)
        else:
            correct(session, c, now)
        return mutation_result(m, MutationStatus.MERGED, c, code="already_there")
    # The step the person took, from where the complaint stands now: a dispose written before the complaint was
    # closed must not become a reopen (same statuses, another action).
    transition = workflow.find(c.status, target, action)
    if transition is None or role not in transition.roles:
        reason = "not_allowed_now" if transition is None else "role_not_allowed"
        rejected = EventData(
            id=new_id(), complaint_id=c.id, kind=EventKind.TRANSITION_REJECTED, at=now,
            actor_user_id=user.id if user else None, from_status=c.status, to_status=target,
            text=args.event.text,
            data_json=json.dumps({"requested_from": args.from_status, "requested_to": target, "reason": reason,
                                  "original_event_id": args.event.id, "original_kind": args.event.kind},
                                 sort_keys=True),
        )
        # Outside the savepoint's rollback: recorded even though the mutation is rejected.
        raise RejectWithEvent(c, rejected, reason)
    if user is not None and not workflow.unit_allows(transition.action, user.role, user.unit_id, c.unit_id):
        raise Rejected("permission_denied", "Penghubung hanya menindaklanjuti laporan untuk unitnya.")
    inputs = _checked_inputs(session, transition, c, args)
    if args.event.kind == EventKind.AUTO_CLOSED:
        _check_window_ended(session, c, now)
    floor = step_floor(session, c)
    fields = args.fields
    step_at = server_time(args.event.at, now, floor)
    # Read before anything changes, so a refusal leaves the complaint untouched (server.apply_batch applies
    # transitions without a savepoint each).
    sent_stamps = {stamp: _stamp(fields[stamp]) for stamp in STAMP_FIELDS if stamp in fields}
    workflow.apply_effects(c, transition, step_at, unit_id=inputs.get("unit_id"),
                           archive_reason=inputs.get("reason_code"))
    # The table set and cleared the step's own stamps (at the step's time as dated here); the others are the PC's
    # copy (it may know a later one than this server, restored from a backup), dated by this server's clock.
    redated = False
    for stamp, sent in sent_stamps.items():
        if stamp in transition.stamps or stamp in transition.clears:
            value = getattr(c, stamp)
        else:
            value = _dated_stamp(sent, getattr(c, stamp), args.event.at, step_at, now)
            setattr(c, stamp, value)
        redated = redated or value != sent
    added = add_event(session, c, args.event, now, floor=floor)
    bump(session, c, now)
    return mutation_result(m, MutationStatus.APPLIED, c,
                           as_sent=added and not redated and event_as_sent(session, c, args.event))


def _dated_stamp(sent: datetime | None, current: datetime | None, pc_step_at: datetime, step_at: datetime,
                 now: datetime) -> datetime | None:
    """A date stamp the PC sent, by the server's clock. The step's own stamp (the PC writes it with the step's
    time) gets the step's time as dated here; an earlier stamp the PC sent again stays, unless it lies in the
    server's future: then the server keeps its own value (corrected when that step reached it) or takes ``now``."""
    if sent is None:
        return None
    if sent == pc_step_at:
        return step_at
    if sent <= now + FUTURE_TOLERANCE:
        return sent
    return current if current is not None and current <= now + FUTURE_TOLERANCE else now


RULES_KEY = "lapor_sla_rules"  # session.info: the SLA policy and working calendar, read once per push


def _rules(session: Session, now: datetime) -> tuple[SlaPolicy, WorkingCalendar]:
    rules = session.info.get(RULES_KEY)
    if rules is None:
        rules = session.info[RULES_KEY] = (load_policy(session, now.date(), table=SlaPolicyRecord),
                                           load_calendar(session, table=Holiday))
    return cast(tuple[SlaPolicy, WorkingCalendar], rules)


def _check_window_ended(session: Session, c: Complaint, now: datetime) -> None:
    """An automatic close needs the reporter's response window over by the server's clock (the PC's may run
    ahead): the same definition as the PC's deadline (app.rules.sla.response_window_end), with the server's policy,
    holidays and the office's zone."""
    if c.followed_up_at is None:
        raise Rejected("response_window_open", "Penutupan otomatis ditolak: laporan belum ditindaklanjuti di server.")
    policy, calendar = _rules(session, now)
    office = session.get(Office, c.office_id) if c.office_id else None
    tz = office.tz if office else "Asia/Jakarta"
    ends = response_window_end(c.followed_up_at, policy, calendar, tz)
    if now <= ends:
        raise Rejected("response_window_open",
                       "Penutupan otomatis ditolak: masa tanggapan pelapor belum berakhir menurut jam server "
                       f"(berakhir {ends.astimezone(zone(tz)):%d-%m-%Y %H:%M}).")


def _checked_inputs(session: Session, transition: workflow.Transition, c: Complaint,
                    args: TransitionArgs) -> dict[str, Any]:
    """What the person chose and wrote for the step, checked by the desktop's rules (app.rules.workflow.check_inputs):
    the texts from the timeline entry, the unit and archive reason from the columns the step sets."""
    if args.event.kind not in workflow.entry_kinds(transition):
        raise Rejected("bad_arguments", f"Jenis peristiwa harus {transition.event_kind}.")
    values = workflow.inputs_from_entry(transition, args.event.text, args.event.data_json)
    unit = None
    if transition.sets_unit:
        values["unit_id"] = args.fields.get("unit_id")
        unit = session.get(Unit, values["unit_id"]) if isinstance(values["unit_id"], str) else None
    if transition.archive_reason == "set":
        values["reason_code"] = args.fields.get("archive_reason", values.get("reason_code"))
    try:
        return workflow.check_inputs(transition, values, unit=unit, office_id=c.office_id)
    except ValidationError as exc:
        detail = "; ".join(f"{k}: {v.id}" for k, v in exc.fields.items())
        raise Rejected("validation", f"Data tidak valid — {detail}") from None


def _stamp(value: Any) -> datetime | None:
    """A date stamp from the wire: an ISO time with its offset (UTC assumed when a client left it out)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise Rejected("bad_arguments", "Cap waktu harus berupa teks ISO 8601.")
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError as exc:
        raise Rejected("bad_arguments", "Cap waktu tidak valid (ISO 8601).") from exc
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def apply_rejection_event(session: Session, err: RejectWithEvent, now: datetime) -> None:
    """Record the TRANSITION_REJECTED event after the mutation's savepoint was rolled back."""
    c = held(session, Complaint, err.complaint.id)  # inside a batch run: the run's own row
    if c is not None and add_event(session, c, err.event, now, from_client=False):
        bump(session, c, now)



