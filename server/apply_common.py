"""What every kind of pushed mutation uses: refusals, results, the version bump with its change-log row, timeline
events merged by id, the correction that puts a PC's copy right after a refusal, and the dating of a PC's times by
the server's clock (:func:`server_time`)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import EventKind, Role, Status
from app.kpi.facts import STATUS_EVENT_KINDS
from app.timeutil import zone
from server import changelog, kpi_national
from server.models import ChangeLogEntry, Complaint, Office, TimelineEvent, User
from server.run_rows import NewRow, new_row
from sync.protocol import (
    EventData,
    Mutation,
    MutationResult,
    MutationStatus,
)

CLOSED = frozenset({Status.SELESAI, Status.DIARSIPKAN, Status.BUKAN_WEWENANG})
ROWS_KEY = "lapor_complaint_rows"  # session.info: complaint change-log rows of the mutation being applied
KNOWN_KEY = "lapor_batch_known"  # session.info: what a push batch applied without flushing knows (:class:`Known`)
# A PC's time this far ahead of the server's clock is still taken as it is (clocks a little apart, a reply in flight).
FUTURE_TOLERANCE = timedelta(minutes=5)
# A time moved up to what it follows lands just after it, so that sorting by time never puts it first.
AFTER = timedelta(milliseconds=1)
RECORDED_ON_PC = "recorded_on_pc"  # an event's data: the PC's own time, when the server dated the event otherwise


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


class Known:
    """Rows by primary key, as a run of mutations applied without flushing knows them (server.apply_batch): the rows
    it read ahead, all at once, and the ones it added (pending: ``session.get`` does not see them until a flush),
    held here so that the session's weak identity map keeps them; and the ids it looked for and found missing."""

    def __init__(self, rows: dict[tuple[type, str], Any], missing: set[tuple[type, str]]) -> None:
        self.rows = rows
        self.missing = missing
        # Per complaint of a status change in the run, read with one query each for the whole run (a complaint
        # is changed once per run, so nothing the run adds can change them): when its last status change happened
        # (:func:`step_floor`) and which steps the server refused (server.apply_restore.refused_steps).
        self.floors: dict[str, datetime | None] = {}
        self.refused: dict[str, set[str]] = {}
        self.today: dict[tuple[str | None, datetime], date] = {}  # office_today's answers, by office and time
        # Per mutation of the run (by seq): the timeline events and attachments its arguments name
        # (server.apply.children), as reading ahead found them.
        self.children: dict[int, list[tuple[type, str]]] = {}


def held(session: Session, cls: type[Any], key: str, *, lock: bool = False) -> Any:
    """The row of ``cls`` with primary key ``key``, or None: ``session.get``, except inside a batch run (then what
    the run read ahead (locked already), added or found missing, and anything else by ``session.get``)."""
    known: Known | None = session.info.get(KNOWN_KEY)
    if known is None:
        return session.get(cls, key, with_for_update=lock or None)
    if (cls, key) in known.rows:
        return known.rows[(cls, key)]
    if (cls, key) in known.missing:
        return None
    return session.get(cls, key)


def hold(session: Session, model: type[Any], key: str, values: dict[str, Any]) -> Any:
    """A new row of ``model`` with primary key ``key``: an ORM instance added to the session, or inside a batch run
    a :class:`server.run_rows.NewRow` the run inserts at its end, remembered so that :func:`held` finds it."""
    row = new_row(session, session.info.get(changelog.DEFERRED_KEY), model, values)
    known: Known | None = session.info.get(KNOWN_KEY)
    if known is not None:
        known.rows[(model, key)] = row
        known.missing.discard((model, key))
    return row


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
    if rows is not None:  # a PC's mutation: exact or not is known once it is applied (settle)
        rows.append((row, c))


# What a PC's mutation versioned (session.info[ROWS_KEY]): each complaint change-log row with its complaint.
Versioned = list[tuple[ChangeLogEntry | NewRow, Complaint]]


def settle(rows: Versioned, exact: bool, client_id: str) -> None:
    """The PC's mutation is applied, exact or not: so are the complaint change-log rows it wrote (the PC's pull
    skips exact ones). A complaint whose current version an exact row made is held exactly by that PC, until its
    next version (``exact_client_id`` and ``exact_version``: the PC's next change based on an older version still
    counts as exact, server.apply)."""
    for row, c in rows:
        row.exact = exact
        if exact and row.version == c.version:
            c.exact_client_id = client_id
            c.exact_version = c.version


def server_time(pc_time: datetime, now: datetime, floor: datetime | None = None) -> datetime:
    """A time a PC recorded, as the server dates it. A PC that works offline records true times that reach the
    server days later (Monday's follow-up pushed on Thursday stays Monday: its deadline was met or missed then), so
    a past time stays as the PC recorded it. Only a time that cannot be true moves: one in the server's future
    (beyond :data:`FUTURE_TOLERANCE`) becomes the server's ``now``; one before ``floor`` — what it follows: the
    complaint's receipt, the status change it starts from — moves just after it."""
    if pc_time.tzinfo is None:
        raise ValueError("a PC's time must carry its offset")
    at = pc_time
    if at > now + FUTURE_TOLERANCE:
        at = now
    if floor is not None and at < floor:
        at = floor + AFTER
    return at


def step_floor(session: Session, c: Complaint) -> datetime:
    """The earliest a status change of ``c`` can have happened: after its receipt and after the status change that
    brought it where it stands (a TRANSITION_REJECTED event changes nothing)."""
    known: Known | None = session.info.get(KNOWN_KEY)
    if known is not None and c.id in known.floors:
        last = known.floors[c.id]
    else:
        last = session.execute(LAST_STEPS.where(TimelineEvent.complaint_id == c.id)).scalar()
    return max(c.received_at, last) if last is not None else c.received_at


# When each complaint's last status change happened (to group by complaint, or for one complaint).
LAST_STEPS = select(func.max(TimelineEvent.at)).where(TimelineEvent.to_status.is_not(None),
                                                      TimelineEvent.kind != EventKind.TRANSITION_REJECTED)


def office_today(session: Session, office_id: str | None, now: datetime) -> date:
    """The server's date in the office's zone (what "today" means for an incident date)."""
    known: Known | None = session.info.get(KNOWN_KEY)
    if known is not None and (day := known.today.get((office_id, now))) is not None:
        return day
    office = held(session, Office, office_id) if office_id else None
    day = now.astimezone(zone(office.tz if office else "Asia/Jakarta")).date()
    if known is not None:
        known.today[(office_id, now)] = day
    return day


def _with_notes(payload: str | None, notes: dict[str, Any]) -> str:
    try:
        data = json.loads(payload) if payload else {}
    except ValueError:
        data = None
    merged = dict(data) if isinstance(data, dict) else {"pc_data_json": payload}
    merged.update(notes)
    return json.dumps(merged, sort_keys=True, ensure_ascii=False)


def add_event(session: Session, c: Complaint, data: EventData, now: datetime,
              extra: dict[str, Any] | None = None, *, from_client: bool = True, floor: datetime | None = None) -> bool:
    """Append an event unless its id is already there (children merge by id). True if added. ``from_client``: the
    event is the pushing PC's own (not one the server writes), so stored unchanged it is exactly what that PC
    holds; its time is dated by :func:`server_time` (``floor``: what it follows; by default the complaint's receipt),
    the PC's own time kept in its data as ``recorded_on_pc`` when that moved it."""
    if held(session, TimelineEvent, data.id) is not None:
        return False
    kpi_national.touch(session, c.id)
    notes = dict(extra or {})
    at = data.at
    if from_client:
        at = server_time(data.at, now, c.received_at if floor is None else floor)
        if at != data.at:
            notes[RECORDED_ON_PC] = data.at.isoformat()
    payload = _with_notes(data.data_json, notes) if notes else data.data_json
    hold(session, TimelineEvent, data.id, {
        "id": data.id, "complaint_id": c.id, "kind": data.kind, "at": at, "actor_user_id": data.actor_user_id,
        "from_status": data.from_status, "to_status": data.to_status, "text": data.text, "data_json": payload,
        "version": 1})
    changelog.record(session, office_id=c.office_id or "", entity_type="event", entity_id=data.id, op="upsert",
                     version=1, now=now, exact=from_client and not notes)
    return True


def event_as_sent(session: Session, c: Complaint, data: EventData) -> bool:
    """The server holds this event of ``c`` exactly as the PC sent it (same time, same data)."""
    stored = held(session, TimelineEvent, data.id)
    return (stored is not None and stored.complaint_id == c.id and stored.at == data.at
            and stored.data_json == data.data_json)


def append_event(session: Session, m: Mutation, c: Complaint, event: EventData, now: datetime,
                  as_sent: bool = True) -> MutationResult:
    flag = {"after_close": True} if c.status in CLOSED else None
    # A note or an attachment's entry is not a status entry: the complaint's KPI facts stay as they are.
    with kpi_national.quiet(session, unchanged=event.kind not in STATUS_EVENT_KINDS or event.to_status is None):
        added = add_event(session, c, event, now, extra=flag)
        if added:
            bump(session, c, now)
    return mutation_result(m, MutationStatus.MERGED if flag else MutationStatus.APPLIED, c,
                   code="after_close" if flag else None,
                   as_sent=as_sent and added and not flag and event_as_sent(session, c, event))

