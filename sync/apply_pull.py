"""Applying a pulled page to the local store, in one transaction with its cursor.

Order inside a page: units and users, then complaints, then their events, then attachments, then scope exits
(foreign keys need parents first). A complaint with changes still waiting in the outbox keeps its local state; the
server's state that arrived meanwhile is kept aside and applied once those changes are pushed (the server may answer
them without a new version, e.g. "already there", and then sends nothing newer). A complaint that left the office's
scope is removed only once nothing about it is waiting to be pushed.

What is new to this PC (a complaint it does not hold and has nothing pending for, with its reporter, events and
attachments) is written in bulk: one prepared INSERT per table, run over the page's rows (executemany), without ORM
objects; everything else goes row by row through the ORM as before, in the same transaction and the same order of
tables. A first sync is almost all new rows, and the ORM's unit of work was most of its time.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from app.domain import EventKind
from app.models import (
    Attachment,
    Complaint,
    ComplaintSearchDoc,
    ConflictItem,
    OutboxEntry,
    Reporter,
    TimelineEvent,
    Unit,
    User,
)
from app.read.search import index_complaint, index_complaints
from app.services.common import refresh_deadlines
from app.services.conflicts import decisions_in
from app.services.context import ServiceContext
from app.store import meta
from app.store.db import Store
from sync.apply_bulk import BulkRows, new_here
from sync.apply_rows import (
    Known,
    as_datetime,
    attachment_row,
    chunks,
    complaint_columns,
    event_row,
    load_known,
    reporter_columns,
)
from sync.apply_tables import REINDEXING_KINDS, SETTLING_KINDS, FreshRows, PageTables
from sync.blobs import note_unreferenced
from sync.protocol import ChangeLike, ChangeOp, MutationResult, MutationStatus, SnapshotTables

DEFERRED_EXITS_KEY = "sync_deferred_scope_exits"
DEFERRED_UPSERTS_KEY = "sync_deferred_upserts"  # JSON {complaint id: the server's data skipped while pending}
# An attachment points at its ATTACHMENT_ADDED event, which the server logs after it: events first.
ORDER = {"unit": 0, "user": 0, "complaint": 1, "event": 2, "attachment": 3}

log = logging.getLogger(__name__)


@dataclass
class PageResult:
    complaints: int = 0
    events: int = 0
    new_complaint_ids: list[str] = field(default_factory=list)
    removed: int = 0
    conflicts: int = 0
    skipped_pending: int = 0
    written_in_bulk: int = 0  # complaints new to this PC, written with their children without ORM objects


# WAL pages written between checkpoints while a pull writes its pages (SQLite's default is 1,000, 4 MB: less than one
# page of a first sync, so every page's commit also copied the WAL into the database file and synced it).
PULL_CHECKPOINT_PAGES = 10_000
PULL_CACHE_KIB = 64 * 1024  # the page cache while a pull writes (SQLite's default: 2,000 KiB)


@contextmanager
def fewer_checkpoints(store: Store) -> Iterator[None]:
    """While the block runs, this thread's writes copy the WAL into the database file every
    :data:`PULL_CHECKPOINT_PAGES` pages instead of at every pulled page's commit: a commit then writes and syncs the
    WAL only, and an index page that several pages' rows change is copied once (a first sync of 10,000 complaints
    spent about a sixth of its time in commits, most of it checkpointing; 17 % fewer bytes written). The connection
    also keeps :data:`PULL_CACHE_KIB` of pages in memory instead of SQLite's 2 MB, so that the index pages a page's
    rows go into are read from the file once, not again for every few rows. Both settings are the connection's own
    (``PRAGMA wal_autocheckpoint``, ``PRAGMA cache_size``) and go back when the block ends; the next commit then
    checkpoints what is left. Nothing about durability changes: each commit still syncs the WAL."""
    with store.transaction() as session:
        conn = session.connection()
        before = int(conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() or 0)
        cache_before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar() or 0)
        conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={max(before, PULL_CHECKPOINT_PAGES)}")
        conn.exec_driver_sql(f"PRAGMA cache_size=-{PULL_CACHE_KIB}")
    try:
        yield
    finally:
        with store.transaction() as session:
            session.connection().exec_driver_sql(f"PRAGMA wal_autocheckpoint={before}")
            session.connection().exec_driver_sql(f"PRAGMA cache_size={cache_before}")


def has_pending(session: Session, complaint_id: str) -> bool:
    return session.execute(select(OutboxEntry.seq).where(OutboxEntry.entity_id == complaint_id,
                                                         OutboxEntry.acked_at.is_(None)).limit(1)).first() is not None


def apply_changes(ctx: ServiceContext, session: Session, changes: Sequence[ChangeLike], office_id: str, *,
                  tables: SnapshotTables | None = None, bulk: bool = True) -> PageResult:
    """Apply one page (nothing is flushed until the page's rows are all in place: the lookups come from
    :class:`Known`, so no query needs to see them earlier): ``changes``, after the entities of ``tables`` when it
    came as a snapshot page of tables (protocol 6; sync.apply_tables writes what it can from them, the rest comes
    here as the upserts sync.protocol.Snapshot.as_changes makes). ``bulk=False`` writes every row through the ORM,
    the way a page was applied before the bulk paths (tests/sync/test_bulk_apply_equivalence.py compares them)."""
    with session.no_autoflush:
        return _apply(ctx, session, changes, tables, office_id, bulk)


def _apply(ctx: ServiceContext, session: Session, changes: Sequence[ChangeLike], tables: SnapshotTables | None,
           office_id: str, bulk_allowed: bool) -> PageResult:
    result = PageResult()
    deferred_upserts: dict[str, dict[str, Any]] = json.loads(meta.get(session, DEFERRED_UPSERTS_KEY) or "{}")
    pending = set(session.execute(select(OutboxEntry.entity_id).where(OutboxEntry.acked_at.is_(None))
                                  .distinct()).scalars())
    page = PageTables(tables) if tables is not None else None
    known = load_known(session, changes, deferred_upserts, page)

    def deferred_applies(complaint_id: str, data: dict[str, Any]) -> bool:
        """The server's state kept aside while this PC's changes waited: applied unless the PC holds newer."""
        local = known.complaints.get(complaint_id)
        return local is not None and int(data.get("version") or 0) >= local.server_version

    def writing_reporters(changes: Sequence[ChangeLike]) -> list[tuple[str | None, dict[str, Any]]]:
        """What writes its reporter: the server's state kept aside that now applies, then the page's complaints."""
        return [*((None, d) for cid, d in deferred_upserts.items()
                  if cid not in pending and deferred_applies(cid, d)),
                *((c.entity_id, c.data or {}) for c in changes if c.op == ChangeOp.UPSERT
                  and c.entity_type == "complaint" and c.entity_id not in pending)]

    reporting = writing_reporters(changes)
    codes = [((c.data or {}).get("tracking_code"), (c.data or {}).get("id")) for c in changes
             if c.op == ChangeOp.UPSERT and c.entity_type == "complaint"]
    fresh: FreshRows | None = None
    if page is not None:  # the tables' rows: those it can write itself, and the rest as upserts before the others
        fresh = FreshRows(page, page.fresh(changes, pending, known, reporting) if bulk_allowed else set())
        codes = [*page.codes(), *codes]
        changes = [*page.upserts(fresh.complaints), *changes]
        reporting = writing_reporters(changes)
    bulk = BulkRows(new_here(changes, pending, known, reporting) if bulk_allowed else set())
    # Reporters first, written before the complaints that refer to them (the ORM orders only related mappers).
    for complaint_id, data in reporting:
        if data.get("reporter"):
            if complaint_id in bulk.complaints:
                bulk.add_reporter(data["reporter"])
            else:
                _upsert_reporter(session, data["reporter"], known)
    session.flush()
    bulk.write(session)
    _make_room_for_codes(session, codes)
    reindex: set[str] = set()
    for complaint_id, data in list(deferred_upserts.items()):
        if complaint_id in pending:
            continue
        del deferred_upserts[complaint_id]
        if deferred_applies(complaint_id, data):
            _upsert_complaint(ctx, session, data, office_id, known)
            reindex.add(complaint_id)
    exits = {c.entity_id for c in changes if c.op == ChangeOp.SCOPE_EXIT and c.entity_type == "complaint"}
    # A page carries only the latest change of each complaint, so a complaint that left and came back (re-routed
    # away, then back here) arrives as an upsert: it must not stay queued for removal.
    deferred_exits = set(json.loads(meta.get(session, DEFERRED_EXITS_KEY) or "[]"))
    deferred_exits -= {c.entity_id for c in changes if c.op == ChangeOp.UPSERT and c.entity_type == "complaint"}
    deferred_exits -= fresh.complaints if fresh is not None else set()
    for complaint_id in exits:
        deferred_upserts.pop(complaint_id, None)
    upserts = sorted((c for c in changes if c.op == ChangeOp.UPSERT), key=lambda c: ORDER.get(c.entity_type, 9))
    accounts = [c for c in upserts if c.entity_type in ("unit", "user")]
    session.flush()
    for change in accounts:
        if change.entity_type == "unit":
            _upsert_unit(session, change.data or {}, office_id)
        else:
            session.flush()  # a user's unit may be one this page just added
            _upsert_user(session, change.data or {}, office_id)
    if accounts:  # the page's units and users are in place: what the rest may refer to
        session.flush()
        known.refresh_small(session)
    new_conflicts: set[str] = set()
    to_settle: set[str] = set()  # complaints with a new conflict, or a new decision about one
    if fresh is not None and fresh.complaints:
        result.events += fresh.write(ctx, session, office_id, known)
        for complaint_id in fresh.complaints:
            deferred_upserts.pop(complaint_id, None)
        result.complaints += len(fresh.complaints)
        result.written_in_bulk += len(fresh.complaints)
        result.new_complaint_ids += [cid for cid in fresh.page.complaint_ids if cid in fresh.complaints]
        reindex |= fresh.complaints
        for data in fresh.page.events_read(fresh.complaints):
            _note_event(session, data, new_conflicts, to_settle, reindex)
    group = 0
    for change in upserts[len(accounts):]:
        data = change.data or {}
        if ORDER.get(change.entity_type, 9) != group:  # parents are written before their children refer to them
            group = ORDER.get(change.entity_type, 9)
            session.flush()  # (a flush writes updates before inserts; the bulk rows are inserts, so they follow)
            bulk.write(session)
        if change.entity_type == "complaint":
            if change.entity_id in pending:
                result.skipped_pending += 1
                deferred_upserts[change.entity_id] = {**data, "version": change.version}
                continue
            deferred_upserts.pop(change.entity_id, None)
            if change.entity_id in bulk.complaints:
                bulk.add_complaint(ctx, session, data, office_id, known)
                is_new = searchable_changed = True
                result.written_in_bulk += 1
            else:
                is_new, searchable_changed = _upsert_complaint(ctx, session, data, office_id, known)
            if is_new:
                result.new_complaint_ids.append(change.entity_id)
            if searchable_changed:
                reindex.add(change.entity_id)
            result.complaints += 1
        elif change.entity_type == "event":
            if data.get("complaint_id") in bulk.complaints:
                bulk.add_event(data, known)
            elif data.get("complaint_id") not in known.complaints:
                continue  # its complaint is not (yet) here
            elif not _insert_event(session, data, known):
                continue
            result.events += 1
            _note_event(session, data, new_conflicts, to_settle, reindex)
        elif change.entity_type == "attachment":
            if data.get("complaint_id") in bulk.complaints:
                bulk.add_attachment(data, known)
            elif data.get("complaint_id") in known.complaints:
                _insert_attachment(session, data, known)
    if page is not None:  # in the page's order, as its complaints came (some written from the tables first)
        position = {cid: n for n, cid in enumerate(page.complaint_ids)}
        result.new_complaint_ids.sort(key=lambda cid: position.get(cid, len(position)))
    meta.put(session, DEFERRED_UPSERTS_KEY, json.dumps(deferred_upserts, sort_keys=True, default=str))
    session.flush()
    bulk.write(session)
    result.conflicts = len(new_conflicts - settle_conflicts(session, to_settle))
    index_complaints(session, reindex)
    deferred_exits |= exits
    still_waiting = [cid for cid in deferred_exits if not remove_if_settled(session, cid)]
    result.removed = len(deferred_exits) - len(still_waiting)
    meta.put(session, DEFERRED_EXITS_KEY, json.dumps(sorted(still_waiting)))
    return result


PARKED = "*"  # a local complaint's tracking code, set aside: "<code>*<id tail>" (sync.offer_back sends "<code>")


def parked_code(code: str) -> str:
    """The code a complaint was given before it was set aside (``code`` itself if it was not)."""
    return code.split(PARKED, 1)[0]


def _make_room_for_codes(session: Session, pulled: list[tuple[Any, Any]]) -> None:
    """A pulled complaint (its tracking code and id) whose tracking code a different local complaint holds: after a
    restore the server gave a code again that this PC still holds on a complaint the server lost (a national code
    issued after the backup). The server's complaint takes the code; the local one's is set aside until it is given
    back, when the server gives it a new code and notes the change (server.apply_restore)."""
    wanted = {str(code): str(cid) for code, cid in pulled if code and cid}
    if not wanted:
        return
    for local_id, code in session.execute(select(Complaint.id, Complaint.tracking_code).where(
            Complaint.tracking_code.in_(list(wanted)))).all():
        if wanted[code] != local_id:
            log.warning("tracking code %s came back for another complaint: setting this PC's copy aside", code)
            session.execute(update(Complaint).where(Complaint.id == local_id)
                            .values(tracking_code=f"{code}{PARKED}{local_id[-4:]}"))
    session.flush()


def remove_if_settled(session: Session, complaint_id: str) -> bool:
    """Remove a complaint that left this office, unless changes to it still wait to be pushed. Its files are noted
    for removal once this transaction commits (sync.blobs.remove_unreferenced)."""
    if has_pending(session, complaint_id):
        return False
    docid = session.execute(select(ComplaintSearchDoc.docid).where(
        ComplaintSearchDoc.complaint_id == complaint_id)).scalar()
    if docid is not None:
        session.execute(text("DELETE FROM complaint_fts WHERE rowid = :d"), {"d": docid})
        session.execute(delete(ComplaintSearchDoc).where(ComplaintSearchDoc.docid == docid))
    session.execute(delete(ConflictItem).where(ConflictItem.complaint_id == complaint_id))
    note_unreferenced(session, session.execute(select(Attachment.sha256).where(
        Attachment.complaint_id == complaint_id)).scalars())
    session.execute(delete(Attachment).where(Attachment.complaint_id == complaint_id))
    session.execute(delete(TimelineEvent).where(TimelineEvent.complaint_id == complaint_id))
    complaint = session.get(Complaint, complaint_id)
    if complaint is not None:
        reporter_id = complaint.reporter_id
        session.delete(complaint)
        session.flush()
        if reporter_id and session.execute(select(Complaint.id).where(Complaint.reporter_id == reporter_id)
                                           .limit(1)).first() is None:
            session.execute(delete(Reporter).where(Reporter.id == reporter_id))
    return True


def _upsert_unit(session: Session, data: dict[str, Any], office_id: str) -> None:
    unit = session.get(Unit, data["id"]) or Unit(id=data["id"], office_id=office_id)
    unit.name, unit.active, unit.server_version = data["name"], bool(data.get("active", True)), data["version"]
    session.add(unit)


def _upsert_user(session: Session, data: dict[str, Any], office_id: str) -> None:
    user = session.get(User, data["id"])
    if user is None:
        user = User(id=data["id"], office_id=office_id, failed_logins=0)
    user.unit_id = data.get("unit_id") if data.get("unit_id") and session.get(Unit, data["unit_id"]) else None
    user.username, user.full_name, user.role = data["username"], data["full_name"], data["role"]
    user.password_hash, user.active, user.server_version = data["password_hash"], data["active"], data["version"]
    session.add(user)


def _search_key(c: Complaint | None, known: Known) -> tuple[Any, ...] | None:
    """What the complaint's search document is built from (app.read.search), apart from follow-up texts."""
    if c is None:
        return None
    reporter = known.reporters.get(c.reporter_id) if c.reporter_id else None
    return c.tracking_code, c.title, c.description, c.is_anonymous, reporter.name if reporter else None


def _upsert_reporter(session: Session, rep: dict[str, Any], known: Known) -> None:
    reporter = known.reporters.get(rep["id"])
    if reporter is None:
        reporter = known.reporters[rep["id"]] = Reporter(id=rep["id"])
        session.add(reporter)
    for key, value in reporter_columns(rep).items():
        setattr(reporter, key, value)


def _upsert_complaint(ctx: ServiceContext, session: Session, data: dict[str, Any], office_id: str,
                      known: Known) -> tuple[bool, bool]:
    """(new to this PC, its search document needs rebuilding)."""
    c = known.complaints.get(data["id"])
    before = _search_key(c, known)
    rep = data.get("reporter")
    if rep:
        _upsert_reporter(session, rep, known)
    is_new = c is None
    if c is None:
        c = known.complaints[data["id"]] = Complaint(id=data["id"], office_id=office_id, local_rev=0)
        session.add(c)
    for key, value in complaint_columns(data, office_id, known).items():
        setattr(c, key, value)
    refresh_deadlines(ctx, session, c)
    return is_new, is_new or _search_key(c, known) != before


def _insert_event(session: Session, data: dict[str, Any], known: Known) -> bool:
    """Add a pulled event (children merge by id). True if it is new here."""
    existing = known.events.get(data["id"])
    if existing is not None:
        # The server may have annotated an event this PC wrote (a note on a case closed meanwhile is accepted and
        # flagged "after_close") or re-dated it (a time in its future): the server's version is the one every PC
        # shows.
        if data.get("data_json") != existing.data_json:
            existing.data_json = data.get("data_json")
        at = as_datetime(data.get("at"))
        if at is not None and at != existing.at:  # the server re-dated a time that could not be true
            existing.at = at
        return False
    if data.get("kind") == EventKind.TRANSITION_REJECTED:
        _drop_refused_event(session, data, known)
    event = known.events[data["id"]] = TimelineEvent(**event_row(data, known))
    session.add(event)
    return True


def _drop_refused_event(session: Session, rejection: dict[str, Any], known: Known) -> None:
    """The server refused a status change this PC made and recorded a transition_rejected event that keeps what the
    person wrote; the PC's own event for the refused step never reached the server and goes (the timeline shows the
    step as refused, once, the same on every PC)."""
    try:
        original = json.loads(rejection.get("data_json") or "{}").get("original_event_id")
    except ValueError:
        return
    if not original:
        return
    session.flush()
    event = session.get(TimelineEvent, original)
    if event is not None and event.complaint_id == rejection.get("complaint_id"):
        session.execute(update(Attachment).where(Attachment.event_id == original).values(event_id=None))
        session.delete(event)
        session.flush()
        known.events.pop(original, None)


# What a server before protocol 2 keeps of a status change that found the complaint already in the target status
# ("already there"): only content a person wrote for the reporter (server/apply.py, _transition). Newer servers say
# which entries they kept (MutationResult.kept).
KEPT_WHEN_ALREADY_THERE = frozenset({EventKind.FOLLOW_UP, EventKind.REPORTER_RESPONSE})


def drop_unkept(session: Session, entry: OutboxEntry, result: MutationResult) -> None:
    """Remove this PC's timeline entry and attachment of a pushed change that the server does not hold (a refused
    step, a step another PC had already taken), so the PC shows the timeline every PC shows. What was written stays
    in the outbox row, with the server's answer; the attachment's file is noted for removal (the bytes stay only
    while another attachment refers to them)."""
    args = json.loads(entry.args_json)
    event = args.get("event") or {}
    attachment = args.get("attachment") or {}
    given_back = [*(args.get("events") or []), *(args.get("attachments") or [])]  # complaint.restore
    if result.kept is not None:
        unkept = {child.get("id") for child in (event, attachment, *given_back)} - set(result.kept) - {None}
    elif result.status == MutationStatus.MERGED and result.code == "already_there" \
            and event.get("kind") not in KEPT_WHEN_ALREADY_THERE:
        unkept = {event.get("id")} - {None}
    else:
        unkept = set()
    if not unkept:
        return
    refused = (Attachment.id.in_(unkept), Attachment.complaint_id == entry.entity_id)
    note_unreferenced(session, session.execute(select(Attachment.sha256).where(*refused)).scalars())
    session.execute(delete(Attachment).where(*refused))
    session.execute(update(Attachment).where(Attachment.event_id.in_(unkept)).values(event_id=None))
    session.execute(delete(TimelineEvent).where(TimelineEvent.id.in_(unkept),
                                                TimelineEvent.complaint_id == entry.entity_id))
    if event.get("kind") == EventKind.FOLLOW_UP and session.get(Complaint, entry.entity_id) is not None:
        index_complaint(session, entry.entity_id)  # its text was in the search document


def _insert_attachment(session: Session, data: dict[str, Any], known: Known) -> None:
    if data["id"] in known.attachments:
        # This PC's own attachment coming back (or one it has): whether its bytes still need uploading is for the
        # upload step to know, not the metadata's arrival (metadata may reach the server before the bytes).
        return
    known.attachments.add(data["id"])
    session.add(Attachment(**attachment_row(data, known)))


def _note_event(session: Session, data: dict[str, Any], new_conflicts: set[str], to_settle: set[str],
                reindex: set[str]) -> None:
    """What a new pulled event asks for besides its row: review items, decisions to settle, a search document."""
    new_conflicts.update(_conflicts_from(session, data))
    if data.get("kind") in SETTLING_KINDS:
        to_settle.add(str(data["complaint_id"]))
    if data.get("kind") in REINDEXING_KINDS:
        reindex.add(str(data["complaint_id"]))


def _conflicts_from(session: Session, data: dict[str, Any]) -> list[str]:
    """A CONFLICT_MERGED event from the server puts each field's two values in the review queue (the ids)."""
    if data.get("kind") != EventKind.CONFLICT_MERGED or not data.get("data_json"):
        return []
    conflicts = json.loads(data["data_json"]).get("conflicts", {})
    added = []
    for name, values in conflicts.items():
        item_id = f"{data['id']}:{name}"[:80]
        if session.get(ConflictItem, item_id) is None:
            added.append(item_id)
            session.add(ConflictItem(
                id=item_id, complaint_id=data["complaint_id"], field=name,
                mine_json=json.dumps(values.get("mine"), ensure_ascii=False, default=str),
                theirs_json=json.dumps(values.get("theirs"), ensure_ascii=False, default=str),
                created_at=as_datetime(data["at"])))
    return added


def settle_conflicts(session: Session, complaint_ids: set[str]) -> set[str]:
    """Close the open review items of these complaints that a person of the office already decided on any PC (the
    decision travels in the EDITED timeline entry it wrote, app.services.conflicts). Run once a page's events are
    in, so either may arrive first: a PC that downloads the office from scratch gets both. Returns the items
    closed."""
    waiting: dict[str, ConflictItem] = {}
    for ids in chunks(complaint_ids):
        waiting.update((i.id, i) for i in session.execute(select(ConflictItem).where(
            ConflictItem.complaint_id.in_(ids), ConflictItem.resolved_at.is_(None))).scalars())
    closed: set[str] = set()
    for ids in chunks({i.complaint_id for i in waiting.values()}):
        for event in session.execute(select(TimelineEvent).where(
                TimelineEvent.complaint_id.in_(ids), TimelineEvent.kind == EventKind.EDITED)).scalars():
            for item_id, choice in decisions_in(event.data_json).items():
                item = waiting.pop(item_id, None)
                if item is not None:
                    item.resolved_at, item.resolution, item.resolved_by = event.at, choice, event.actor_user_id
                    closed.add(item_id)
    return closed
