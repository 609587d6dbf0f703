"""Push and pull: the two halves of reconciliation (../shared/DESIGN.md, Sync)."""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from typing import Annotated, Any

import pydantic_core
from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from server import apply_batch, auth, changelog, serialize, snapshot_pages
from server.api.deps import ServerContext, check_rate, client_protocol, ctx
from server.api.misc import ERRORS
from server.errors import ApiError
from server.metrics import count_push_results
from server.models import (
    SCOPE_EXITS,
    Attachment,
    ChangeLogEntry,
    Complaint,
    Device,
    Reporter,
    TimelineEvent,
    Unit,
    User,
)
from server.state import era_and_reference, get_era, note_restored, restore_window_open
from sync.protocol import (
    ECHO_FREE_PROTOCOL,
    MAX_PUSH_BATCH,
    PROTOCOL_2_RESULT,
    PULL_FIELDS_SINCE,
    RESTORE_PROTOCOL,
    SNAPSHOT_PROTOCOL,
    TABLES_PROTOCOL,
    Change,
    ChangeOp,
    DeviceState,
    MissingRequest,
    MissingResponse,
    Mutation,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
)

router = APIRouter(prefix="/api/v1/sync", tags=["sync"])
# How many rows of the PC's own exact changes one pull reads past before it answers (an empty page and a cursor).
OWN_ROWS_READ_PAST = 20_000
# How long a push batch that arrived before the one before it (sent on another connection) waits for it, and how
# often it looks.
AHEAD_WAIT = 0.5
AHEAD_POLL = 0.005
_waiting: set[str] = set()  # devices with a push waiting for the one before it (in this process)
_waiting_lock = threading.Lock()
log = logging.getLogger("lapor.server.sync")


def _for_client(response: PushResponse, protocol: int) -> Response:
    """The answer written to JSON by pydantic in one step (as the model, FastAPI would validate it again and encode
    it through Python objects: 500 results twice). An older client knows no later fields (and refuses unknown
    ones): leave them out."""
    if protocol >= RESTORE_PROTOCOL:
        return Response(response.model_dump_json(by_alias=True), media_type="application/json")
    exclude: dict[str, Any] = {"device": True}
    if protocol < ECHO_FREE_PROTOCOL:
        exclude["results"] = {"__all__": set(PROTOCOL_2_RESULT)}
    return JSONResponse(response.model_dump(mode="json", exclude=exclude))


def _pull_for_client(page: PullResponse, protocol: int) -> Response:
    """The page in the shapes this client knows, written to JSON by pydantic in one step: returned as the model,
    FastAPI validates it again against the response model and encodes it through Python objects (about a tenth of
    a no-op pull's time in the server)."""
    newer = {name for name, since in PULL_FIELDS_SINCE.items() if protocol < since}
    return Response(page.model_dump_json(exclude=newer or None), media_type="application/json")


def device_state(device: Device) -> DeviceState:
    return DeviceState(acked_seq=device.last_seq, tracking_high=device.tracking_high)


class _Ahead(Exception):
    """A batch whose first seq is beyond the next one this device's pushes reached (rolled back, nothing written)."""

    def __init__(self, device_id: str, before: int) -> None:
        super().__init__(device_id)
        self.device_id = device_id
        self.before = before  # the seq the server must hold first


@router.post("/push", response_model=PushResponse, responses=ERRORS)
def push(body: PushRequest, request: Request, context: Annotated[ServerContext, Depends(ctx)],
         authorization: Annotated[str | None, Header()] = None) -> Response:
    """Apply mutations in ``seq`` order. A seq already processed returns its stored result; the same seq with a
    different payload stops with ``client_diverged``; a missing seq stops with ``gap``. Push stays open to old
    clients, so no local change is ever stranded.

    A PC sends its next batch before the answer to the one before (sync.engine.SyncEngine.push), on another
    connection, so it may arrive first: a batch that starts beyond what this PC's pushes reached, by at most one
    batch, waits up to :data:`AHEAD_WAIT` seconds for the one before to be applied (one such batch per device at a
    time), then is applied or answered ``gap`` as usual."""
    protocol = client_protocol(request)
    try:
        return _push(body, context, authorization, protocol, wait_if_ahead=True)
    except _Ahead as ahead:
        with _waiting_lock:  # at most one waiting push per device in this process: a PC has one batch before it
            waits = ahead.device_id not in _waiting
            _waiting.add(ahead.device_id)
        try:
            deadline = time.monotonic() + (AHEAD_WAIT if waits else 0.0)
            while time.monotonic() < deadline and _held(context, ahead.device_id) < ahead.before:
                time.sleep(AHEAD_POLL)
        finally:
            if waits:
                with _waiting_lock:
                    _waiting.discard(ahead.device_id)
        return _push(body, context, authorization, protocol, wait_if_ahead=False)


def _held(context: ServerContext, device_id: str) -> int:
    """The last seq the server holds of this device, read without taking the write lock."""
    with context.db.reading() as session:
        return int(session.execute(select(Device.last_seq).where(Device.id == device_id)).scalar() or 0)


def _push(body: PushRequest, context: ServerContext, authorization: str | None, protocol: int, *,
          wait_if_ahead: bool) -> Response:
    with context.db.queued_transaction() as session:  # (a PC may send its next batch before this one's answer)
        now = context.clock()  # once its turn came: a batch that waited for the one before is dated after it
        ident = auth.device_from_token(session, authorization, now)
        if wait_if_ahead:  # (once per push: a push that waited for the batch before it takes no second token)
            check_rate(context, ident.device_id)
        if body.client_id != ident.client_id:
            raise ApiError(403, "wrong_client", "client_id tidak sesuai dengan token perangkat.",
                           "client_id does not match the device token.")
        # One push per client at a time. populate_existing: the row as it is once the lock is ours (a push that
        # waited here must see the last_seq the other one committed, not the copy read before the wait).
        device = session.get(Device, ident.device_id, with_for_update=True, populate_existing=True)
        assert device is not None
        first = min((m.seq for m in body.mutations), default=0)
        # Only a batch that one batch in flight can precede waits; one further ahead is a gap at once.
        if wait_if_ahead and device.last_seq + 1 < first <= device.last_seq + 1 + MAX_PUSH_BATCH:
            raise _Ahead(device.id, first - 1)  # rolls back: nothing of this attempt is kept
        now = max(now, context.clock())  # (on PostgreSQL the wait is here, on the row)
        # Take this transaction's change-feed id now, outside any mutation's savepoint (on SQLite it is a counter
        # row that a rolled-back savepoint would otherwise hand out twice).
        changelog.current_xid(session)
        planned = apply_batch.plan(session, device, body.mutations)
        applied = apply_batch.apply_planned(session, ident, device, planned.todo, now)
        results = [applied[a.seq] if isinstance(a, Mutation) else a for a in planned.answers]
        answer = PushResponse(results=results, acked_seq=device.last_seq, stopped=planned.stopped,
                              era=get_era(session), server_time=now, device=device_state(device))
    count_push_results(results)  # once committed: a push that failed to commit answered nothing
    return _for_client(answer, protocol)


@router.post("/pull", response_model=PullResponse, responses=ERRORS)
def pull(body: PullRequest, request: Request, context: Annotated[ServerContext, Depends(ctx)],
         authorization: Annotated[str | None, Header()] = None) -> Response:
    """The office's changes after ``cursor`` (the office comes from the token, never from the body). A PC's own
    changes that left the server exactly as that PC holds them are not sent back to it (it stamped them from its
    push results); the cursor moves past them all the same."""
    now = context.clock()
    protocol = client_protocol(request)
    if body.cursor:
        with context.db.reading() as session:
            ident = auth.device_from_token(session, authorization, now)
            check_rate(context, ident.device_id)
            if (quiet := _quiet_pull(session, ident, body, now)) is not None:
                return _pull_for_client(quiet, protocol)
    with context.db.transaction() as session:
        ident = auth.device_from_token(session, authorization, now)
        if not body.cursor:
            check_rate(context, ident.device_id)  # (else counted above)
        era, reference = era_and_reference(session)
        after = changelog.Cursor.decode(body.cursor, era)
        device = DeviceState(acked_seq=ident.last_seq, tracking_high=ident.tracking_high)
        # A feed cursor: its first page and whether the log holds the position, in one statement.
        first = changelog.read_page_held(session, ident.office_id, after, body.limit) \
            if after is not None and after.snapshot_after is None else None
        restart = after is not None and first is None and not changelog.holds(session, ident.office_id, after)
        if restart:
            # The PC read further than this change log goes: the server was restored from an older backup. The PC
            # downloads the office from the beginning and sends again what it kept (server lost it).
            log.warning("device %s holds a feed position this server does not: download restarts", ident.device_id)
            note_restored(session, now)  # the PCs may now give back what the server lost
            after = None
        snapshot = body.snapshot and protocol >= SNAPSHOT_PROTOCOL
        if after is not None and after.snapshot_after is not None and not snapshot:
            after = None  # a snapshot cursor handed to a request without snapshot: start the download again
        if snapshot and (after is None or after.snapshot_after is not None):
            return _snapshot_page(session, ident.office_id, era, reference, after, body.limit, now, protocol,
                                  restart, device)
        full = after is None or after.full
        # A download from the beginning sends everything: after a restore the PC may hold more than the server.
        skip_own = not full and protocol >= ECHO_FREE_PROTOCOL
        changes, last, has_more = _feed_page(session, ident, after, body.limit, skip_own,
                                             first if after is not None else None)
        if last is not None:
            cursor = changelog.Cursor(era, last.xid, last.id, full=full and has_more, tag=changelog.row_tag(last))
        elif after is not None:
            cursor = changelog.Cursor(era, after.xid, after.id, full=full and has_more, tag=after.tag)
        else:
            cursor = changelog.Cursor(era, 0, 0, full=full and has_more)
        page = PullResponse(changes=changes, cursor=cursor.encode(), has_more=has_more, era=era, server_time=now,
                            reference_version=reference, restart=restart, device=device)
        return _pull_for_client(page, protocol)


def _quiet_pull(session: Session, ident: auth.DeviceIdentity, body: PullRequest, now: datetime
                ) -> PullResponse | None:
    """The answer to a feed cursor with nothing after it, read without a transaction (``Database.reading``) in one
    statement (server.changelog.quiet_feed: the era, the reference version and the cursor's own row). None when
    there is anything else to say (a change, a position the log does not hold, a snapshot cursor, a cursor of
    another era, a server whose era or reference version is not written yet): the pull is then answered in a
    transaction, as every pull was."""
    after = changelog.Cursor.parse(body.cursor)
    if after is None or after.snapshot_after is not None:
        return None
    quiet = changelog.quiet_feed(session, ident.office_id, after)
    if quiet.era != after.era or quiet.reference is None or not quiet.nothing_after:
        return None
    cursor = changelog.Cursor(after.era, after.xid, after.id, full=False, tag=after.tag)
    return PullResponse(changes=[], cursor=cursor.encode(), has_more=False, era=after.era, server_time=now,
                        reference_version=int(quiet.reference), restart=False,
                        device=DeviceState(acked_seq=ident.last_seq, tracking_high=ident.tracking_high))


def _feed_page(session: Session, ident: auth.DeviceIdentity, after: changelog.Cursor | None, limit: int,
               skip_own: bool, first: tuple[list[changelog.ChangeLogEntry], bool] | None = None,
               ) -> tuple[list[Change], changelog.ChangeLogEntry | None, bool]:
    """The changes of the next page of the feed, its last row and whether more are ready. Pages that hold only the
    PC's own exact changes (nothing to send: it stamped them from its push results) are read past in the same
    request, up to :data:`OWN_ROWS_READ_PAST` rows, instead of costing the PC a round trip each."""
    last: changelog.ChangeLogEntry | None = None
    read = 0
    while True:
        rows, has_more = first if first is not None else changelog.read_page(session, ident.office_id, after, limit)
        first = None  # (the first page, already read with the cursor's check)
        latest: dict[tuple[str, str], changelog.ChangeLogEntry] = {}
        needed: set[tuple[str, str]] = set()
        for row in rows:
            # Several changes to one entity in a page: send its latest state once, at its first place, so a
            # complaint still comes before the events and attachments that refer to it. It is left out only when
            # every one of them is this PC's own exact change: anything else merged in, and it goes.
            key = (row.entity_type, row.entity_id)
            latest[key] = row
            if not (skip_own and row.exact and row.origin_client_id == ident.client_id):
                needed.add(key)
        changes = [c for key, row in latest.items()
                   if key in needed and (c := _change(session, ident.office_id, row)) is not None]
        if rows:
            last = rows[-1]
            after = changelog.Cursor(after.era if after else "", last.xid, last.id)
        read += len(rows)
        if changes or not has_more or read >= OWN_ROWS_READ_PAST:
            return changes, last, has_more


@router.post("/missing", response_model=MissingResponse, responses=ERRORS)
def missing(body: MissingRequest, context: Annotated[ServerContext, Depends(ctx)],
            authorization: Annotated[str | None, Header()] = None) -> MissingResponse:
    """Which of these complaints, timeline entries and attachments the server does not hold for the calling office
    (another office's count as not held, as ids that exist nowhere): after a restore, what a PC gives back."""
    now = context.clock()
    with context.db.transaction() as session:
        ident = auth.device_from_token(session, authorization, now)
        check_rate(context, ident.device_id)
        office = ident.office_id
        held_complaints = set(session.execute(select(Complaint.id).where(
            Complaint.id.in_(body.complaints), Complaint.office_id == office)).scalars()) if body.complaints else set()
        held_events = set(session.execute(select(TimelineEvent.id).join(
            Complaint, Complaint.id == TimelineEvent.complaint_id).where(
            TimelineEvent.id.in_(body.events), Complaint.office_id == office)).scalars()) if body.events else set()
        held_attachments = set(session.execute(select(Attachment.id).join(
            Complaint, Complaint.id == Attachment.complaint_id).where(
            Attachment.id.in_(body.attachments), Complaint.office_id == office)).scalars()) \
            if body.attachments else set()
        absent = [i for i in body.complaints if i not in held_complaints]
        gone = _left_the_office(session, ident.office_id, ident.client_id, absent)
        return MissingResponse(complaints=[i for i in absent if i not in gone],
                               events=[i for i in body.events if i not in held_events],
                               attachments=[i for i in body.attachments if i not in held_attachments],
                               accepting=restore_window_open(session, now), gone=sorted(gone))


def exits_of(ids: list[str]) -> Select[str, str]:
    """The offices each of ``ids`` left, read through the change log's index of scope exits (the office is not in
    the condition: a planner without statistics would take the office's index and read its whole history)."""
    return select(ChangeLogEntry.entity_id, ChangeLogEntry.office_id).where(ChangeLogEntry.entity_id.in_(ids),
                                                                            SCOPE_EXITS)


def _left_the_office(session: Session, office_id: str, client_id: str, ids: list[str]) -> set[str]:
    """Of complaints not in the office, those it had: their exit is in its change log, or this PC made them (a
    re-route the restored server lost, then given back to the office it went to)."""
    if not ids:
        return set()
    exited = {complaint_id for complaint_id, left in session.execute(exits_of(ids)) if left == office_id}
    made_here = set(session.execute(select(Complaint.id).where(
        Complaint.id.in_(ids), Complaint.created_by_client == client_id)).scalars())
    return exited | made_here


def _snapshot_page(session: Session, office_id: str, era: str, reference: int | None,
                   after: changelog.Cursor | None, limit: int, now: datetime, protocol: int, restart: bool,
                   device: DeviceState) -> Response:
    """The next ``limit`` complaints of the office in id order, each with its whole timeline and attachments, as
    they are now (server.snapshot_pages); the first page also carries the office's units and accounts. The snapshot
    began at a feed position (kept in the cursor): once the last complaint is sent the cursor moves to that
    position, so changes made during the download come after it from the feed (an entity may arrive twice, never
    missing). Written straight to JSON (no response model for some 3,000 rows a page) by pydantic's encoder (a page
    of 1,000 complaints in 2.4 ms, the standard library's took 10.4): as tables from protocol 6
    (sync.protocol.SnapshotTables), as entity dicts before."""
    xid, row_id, tag = (after.xid, after.id, after.tag) if after is not None \
        else changelog.high_water(session, office_id)
    page = snapshot_pages.read(session, office_id, after.snapshot_after if after is not None else None, limit)
    if page.more:
        cursor = changelog.Cursor(era, xid, row_id, full=True, snapshot_after=page.last_id, tag=tag)
        has_more = True
    else:  # the snapshot is done: the feed from where it began (a download from the beginning until caught up)
        has_more = changelog.has_rows_after(session, office_id, xid, row_id)
        cursor = changelog.Cursor(era, xid, row_id, full=has_more, tag=tag)
    head = PullResponse(changes=[], cursor=cursor.encode(), has_more=has_more, era=era, server_time=now,
                        reference_version=reference, restart=restart, device=device)
    body = head.model_dump(mode="json", exclude={name for name, since in PULL_FIELDS_SINCE.items() if protocol < since})
    if protocol >= TABLES_PROTOCOL:
        body["tables"] = snapshot_pages.as_tables(page)
    else:
        body["snapshot"] = snapshot_pages.as_snapshot(page)
    # (Its values are JSON's own types already; a float that is not a number, which validation never stores,
    # would be null rather than JSON's missing NaN.)
    return Response(pydantic_core.to_json(body, inf_nan_mode="null"), media_type="application/json")


def _change(session: Session, office_id: str, row: changelog.ChangeLogEntry) -> Change | None:
    """The entity's current state, if it is still this office's (never another office's data)."""
    op = ChangeOp(row.op)
    if op != ChangeOp.UPSERT:
        return Change(op=op, entity_type=row.entity_type, entity_id=row.entity_id, version=row.version)
    data: dict[str, object] | None = None
    version = row.version
    if row.entity_type == "complaint":
        c = session.get(Complaint, row.entity_id)
        if c is None or c.office_id != office_id:
            return None
        data = serialize.complaint(c, session.get(Reporter, c.reporter_id) if c.reporter_id else None)
        version = c.version
    elif row.entity_type in ("event", "attachment"):
        child: TimelineEvent | Attachment | None = (session.get(TimelineEvent, row.entity_id)
                                                    if row.entity_type == "event"
                                                    else session.get(Attachment, row.entity_id))
        parent = session.get(Complaint, child.complaint_id) if child is not None else None
        if child is None or parent is None or parent.office_id != office_id:
            return None
        data = serialize.event(child) if isinstance(child, TimelineEvent) else serialize.attachment(child)
    elif row.entity_type == "unit":
        u = session.get(Unit, row.entity_id)
        if u is None or u.office_id != office_id:
            return None
        data, version = serialize.unit(u), u.version
    elif row.entity_type == "user":
        usr = session.get(User, row.entity_id)
        if usr is None or usr.office_id != office_id:
            return None
        data, version = serialize.user(usr), usr.version
    else:
        return None
    return Change(op=op, entity_type=row.entity_type, entity_id=row.entity_id, version=version, data=data)
