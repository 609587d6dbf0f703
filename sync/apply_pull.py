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
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, delete, func, insert, literal_column, select, text, update
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from app.domain import EventKind
from app.models import (
    Attachment,
    Category,
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
from app.rules.sla import DeadlineFacts
from app.services.common import deadline_columns, refresh_deadlines
from app.services.conflicts import decisions_in
from app.services.context import ServiceContext
from app.store import meta
from sync.blobs import note_unreferenced
from sync.protocol import Change, ChangeOp, MutationResult, MutationStatus

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


def _dt(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        from datetime import UTC

        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _date(value: Any) -> date | None:
    return None if value in (None, "") else date.fromisoformat(str(value)[:10])


def has_pending(session: Session, complaint_id: str) -> bool:
    return session.execute(select(OutboxEntry.seq).where(OutboxEntry.entity_id == complaint_id,
                                                         OutboxEntry.acked_at.is_(None)).limit(1)).first() is not None


@dataclass
class _Known:
    """What a page's entities are and refer to, read in a few queries up front instead of one per entity (a first
    sync applies tens of thousands). Entities added while the page is applied join it."""

    complaints: dict[str, Complaint]
    reporters: dict[str, Reporter]
    events: dict[str, TimelineEvent]
    attachments: set[str]
    users: set[str] = field(default_factory=set)
    units: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    bulk_events: set[str] = field(default_factory=set)  # events this page writes in bulk (no ORM objects)

    def has_event(self, event_id: str | None) -> bool:
        return event_id in self.events or event_id in self.bulk_events

    def refresh_small(self, session: Session) -> None:
        """Accounts, units and categories: a few hundred rows at most, read whole."""
        self.users = set(session.execute(select(User.id)).scalars())
        self.units = set(session.execute(select(Unit.id)).scalars())
        self.categories = set(session.execute(select(Category.id)).scalars())


CHUNK = 500  # ids per IN (...) list


def _chunks(ids: set[str]) -> list[list[str]]:
    ordered = sorted(ids)
    return [ordered[i:i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def _among(column: InstrumentedAttribute[str], ids: set[str]) -> ColumnElement[bool]:
    """``column`` is one of ``ids``: one statement however many (a JSON array SQLite reads as a table; a first
    sync's page names tens of thousands of ids), instead of one per few hundred."""
    return column.in_(select(literal_column("value")).select_from(func.json_each(json.dumps(sorted(ids)))))


def _load_known(session: Session, changes: list[Change], deferred: dict[str, dict[str, Any]]) -> _Known:
    complaint_ids = set(deferred)
    event_ids: set[str] = set()
    attachment_ids: set[str] = set()
    for change in changes:
        if change.op != ChangeOp.UPSERT:
            continue
        if change.entity_type == "complaint":
            complaint_ids.add(change.entity_id)
        elif change.entity_type in ("event", "attachment"):
            parent = (change.data or {}).get("complaint_id")
            if parent:
                complaint_ids.add(str(parent))
            (event_ids if change.entity_type == "event" else attachment_ids).add(change.entity_id)
    known = _Known(complaints={}, reporters={}, events={}, attachments=set())
    known.complaints.update((c.id, c) for c in session.execute(select(Complaint).where(
        _among(Complaint.id, complaint_ids))).scalars())
    reporter_ids = {c.reporter_id for c in known.complaints.values() if c.reporter_id}
    reporter_ids |= {str(rep["id"]) for change in changes if change.entity_type == "complaint"
                     and (rep := (change.data or {}).get("reporter"))}
    known.reporters.update((r.id, r) for r in session.execute(select(Reporter).where(
        _among(Reporter.id, reporter_ids))).scalars())
    known.events.update((e.id, e) for e in session.execute(select(TimelineEvent).where(
        _among(TimelineEvent.id, event_ids))).scalars())
    known.attachments.update(session.execute(select(Attachment.id).where(
        _among(Attachment.id, attachment_ids))).scalars())
    known.refresh_small(session)
    return known


def apply_changes(ctx: ServiceContext, session: Session, changes: list[Change], office_id: str, *,
                  bulk: bool = True) -> PageResult:
    """Apply one page (nothing is flushed until the page's rows are all in place: the lookups come from
    :class:`_Known`, so no query needs to see them earlier). ``bulk=False`` writes every row through the ORM, the
    way a page was applied before the bulk path (tests/sync/test_bulk_apply_equivalence.py compares the two)."""
    with session.no_autoflush:
        return _apply(ctx, session, changes, office_id, bulk)


def _apply(ctx: ServiceContext, session: Session, changes: list[Change], office_id: str,
           bulk_allowed: bool) -> PageResult:
    result = PageResult()
    deferred_upserts: dict[str, dict[str, Any]] = json.loads(meta.get(session, DEFERRED_UPSERTS_KEY) or "{}")
    pending = set(session.execute(select(OutboxEntry.entity_id).where(OutboxEntry.acked_at.is_(None))
                                  .distinct()).scalars())
    known = _load_known(session, changes, deferred_upserts)

    def deferred_applies(complaint_id: str, data: dict[str, Any]) -> bool:
        """The server's state kept aside while this PC's changes waited: applied unless the PC holds newer."""
        local = known.complaints.get(complaint_id)
        return local is not None and int(data.get("version") or 0) >= local.server_version

    # What writes its reporter: the server's state kept aside that now applies, then the page's complaints.
    reporting = [*((None, d) for cid, d in deferred_upserts.items() if cid not in pending and deferred_applies(cid, d)),
                 *((c.entity_id, c.data or {}) for c in changes if c.op == ChangeOp.UPSERT
                   and c.entity_type == "complaint" and c.entity_id not in pending)]
    bulk = _Bulk(_new_here(changes, pending, known, reporting) if bulk_allowed else set())
    # Reporters first, written before the complaints that refer to them (the ORM orders only related mappers).
    for complaint_id, data in reporting:
        if data.get("reporter"):
            if complaint_id in bulk.complaints:
                bulk.add_reporter(data["reporter"])
            else:
                _upsert_reporter(session, data["reporter"], known)
    session.flush()
    bulk.write(session)
    _make_room_for_codes(session, [c.data or {} for c in changes
                                   if c.op == ChangeOp.UPSERT and c.entity_type == "complaint"])
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
    for complaint_id in exits:
        deferred_upserts.pop(complaint_id, None)
    upserts = sorted((c for c in changes if c.op == ChangeOp.UPSERT), key=lambda c: ORDER.get(c.entity_type, 9))
    accounts_changed = False
    group = -1
    new_conflicts: set[str] = set()
    to_settle: set[str] = set()  # complaints with a new conflict, or a new decision about one
    for change in upserts:
        data = change.data or {}
        if ORDER.get(change.entity_type, 9) != group:  # parents are written before their children refer to them
            group = ORDER.get(change.entity_type, 9)
            session.flush()  # (a flush writes updates before inserts; the bulk rows are inserts, so they follow)
            bulk.write(session)
        if change.entity_type in ("unit", "user"):
            if change.entity_type == "unit":
                _upsert_unit(session, data, office_id)
            else:
                session.flush()  # a user's unit may be one this page just added
                _upsert_user(session, data, office_id)
            accounts_changed = True
            continue
        if accounts_changed:  # the page's units and users are in place: what the rest may refer to
            session.flush()
            known.refresh_small(session)
            accounts_changed = False
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
            new_conflicts.update(_conflicts_from(session, data))
            if data.get("kind") in (EventKind.CONFLICT_MERGED, EventKind.EDITED):
                to_settle.add(str(data["complaint_id"]))
            if data.get("kind") in (EventKind.FOLLOW_UP, EventKind.TRANSITION_REJECTED):
                reindex.add(str(data["complaint_id"]))
        elif change.entity_type == "attachment":
            if data.get("complaint_id") in bulk.complaints:
                bulk.add_attachment(data, known)
            elif data.get("complaint_id") in known.complaints:
                _insert_attachment(session, data, known)
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


def _new_here(changes: list[Change], pending: set[str], known: _Known,
              reporting: list[tuple[str | None, dict[str, Any]]]) -> set[str]:
    """The page's complaints to write in bulk, with their reporters and children: those the row-by-row path would
    only ever insert. Anything that path decides about goes through it instead: a complaint this PC holds or has
    changes waiting for, one that also leaves the office in this page, a reporter this PC holds or that another
    complaint writes too, an entity that comes twice or is here already, a refusal that drops an entry (a
    transition_rejected event)."""
    upserts = [c for c in changes if c.op == ChangeOp.UPSERT]
    seen = Counter((c.entity_type, c.entity_id) for c in upserts)
    writers = Counter(str(data["reporter"]["id"]) for _, data in reporting if data.get("reporter"))
    exits = {c.entity_id for c in changes if c.op == ChangeOp.SCOPE_EXIT and c.entity_type == "complaint"}
    chosen: set[str] = set()
    for change in upserts:
        data = change.data or {}
        if change.entity_type != "complaint" or data.get("id") != change.entity_id or change.entity_id in pending \
                or change.entity_id in known.complaints or change.entity_id in exits \
                or seen["complaint", change.entity_id] != 1:
            continue
        reporter = data.get("reporter")
        if reporter and (str(reporter["id"]) in known.reporters or writers[str(reporter["id"])] != 1):
            continue
        chosen.add(change.entity_id)
    for change in upserts:
        data = change.data or {}
        if change.entity_type not in ("event", "attachment") or data.get("complaint_id") not in chosen:
            continue
        held = known.events if change.entity_type == "event" else known.attachments
        if data.get("id") != change.entity_id or change.entity_id in held \
                or seen[change.entity_type, change.entity_id] != 1 \
                or data.get("kind") == EventKind.TRANSITION_REJECTED:
            chosen.discard(data["complaint_id"])
    return chosen


class _Bulk:
    """The rows of a page's complaints new to this PC (:func:`_new_here`), collected as the page is read and
    written with one INSERT per table (executemany) once the ORM has written the rows before them. The values are
    those the row-by-row path gives (the same helpers), including what the ORM does for a None: a column's
    default."""

    def __init__(self, complaints: set[str]) -> None:
        self.complaints = complaints
        self._rows: dict[Table, list[dict[str, Any]]] = {
            _table(model): [] for model in (Reporter, Complaint, TimelineEvent, Attachment)}

    def add_reporter(self, rep: dict[str, Any]) -> None:
        self._rows[_table(Reporter)].append({"id": rep["id"], **_reporter_columns(rep)})

    def add_complaint(self, ctx: ServiceContext, session: Session, data: dict[str, Any], office_id: str,
                      known: _Known) -> None:
        row = {"id": data["id"], **_complaint_columns(data, office_id, known), "created_by": None, "local_rev": 0}
        facts = DeadlineFacts(status=row["status"], classification=row["classification"],
                              is_supervisory=row["is_supervisory"], received_at=row["received_at"],
                              disposed_at=row["disposed_at"], followed_up_at=row["followed_up_at"],
                              postponed_at=row["postponed_at"])
        row.update(deadline_columns(ctx, session, office_id, facts))
        self._rows[_table(Complaint)].append(row)

    def add_event(self, data: dict[str, Any], known: _Known) -> None:
        self._rows[_table(TimelineEvent)].append(_event_row(data, known))
        known.bulk_events.add(data["id"])

    def add_attachment(self, data: dict[str, Any], known: _Known) -> None:
        self._rows[_table(Attachment)].append(_attachment_row(data, known))

    def write(self, session: Session) -> None:
        """Insert what was collected, parents first (reporters, complaints, events, attachments)."""
        for table, rows in self._rows.items():
            if not rows:
                continue
            defaults = _scalar_defaults(table).items()
            for row in rows:
                for column, default in defaults:
                    if row[column] is None:
                        row[column] = default
            _insert_rows(session, table, rows)
            rows.clear()


def _insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """One prepared INSERT run over ``rows`` (executemany), each value bound by its column's type as Core binds it.
    (Core's own executemany builds every row's parameters through the compiled statement again: on a first sync,
    more time than SQLite took to insert them.)"""
    connection = session.connection()
    sql, binds = _prepared_insert(table, tuple(rows[0]), connection.dialect)
    connection.exec_driver_sql(sql, [tuple([bind(row[key]) if bind else row[key] for key, bind in binds])
                                     for row in rows])


@lru_cache(maxsize=16)
def _prepared_insert(table: Table, keys: tuple[str, ...], dialect: Dialect) -> tuple[str, list[tuple[str, Any]]]:
    """The INSERT of these columns in the driver's SQL, and each bound value's column with its type's processor."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
    assert compiled.positiontup is not None  # SQLite binds by position
    processors = {column.key: column.type.bind_processor(dialect) for column in table.columns}
    return compiled.string, [(key, processors[key]) for key in compiled.positiontup]


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


@cache
def _scalar_defaults(table: Table) -> dict[str, Any]:
    """A column's default where the model has one: the ORM inserts it for an attribute left None."""
    defaults = {}
    for column in table.columns:
        if column.default is None:
            continue
        if not isinstance(column.default, ScalarElementColumnDefault):  # a default computed per row
            raise NotImplementedError(f"bulk apply: {table.name}.{column.name} has a default that is not a value")
        defaults[column.name] = column.default.arg
    return defaults


PARKED = "*"  # a local complaint's tracking code, set aside: "<code>*<id tail>" (sync.offer_back sends "<code>")


def parked_code(code: str) -> str:
    """The code a complaint was given before it was set aside (``code`` itself if it was not)."""
    return code.split(PARKED, 1)[0]


def _make_room_for_codes(session: Session, pulled: list[dict[str, Any]]) -> None:
    """A pulled complaint whose tracking code a different local complaint holds: after a restore the server gave a
    code again that this PC still holds on a complaint the server lost (a national code issued after the backup).
    The server's complaint takes the code; the local one's is set aside until it is given back, when the server
    gives it a new code and notes the change (server.apply_restore)."""
    wanted = {str(d["tracking_code"]): str(d["id"]) for d in pulled if d.get("tracking_code") and d.get("id")}
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


def _search_key(c: Complaint | None, known: _Known) -> tuple[Any, ...] | None:
    """What the complaint's search document is built from (app.read.search), apart from follow-up texts."""
    if c is None:
        return None
    reporter = known.reporters.get(c.reporter_id) if c.reporter_id else None
    return c.tracking_code, c.title, c.description, c.is_anonymous, reporter.name if reporter else None


def _reporter_columns(rep: dict[str, Any]) -> dict[str, Any]:
    """A pulled reporter's columns (both paths write these)."""
    columns = {key: rep.get(key) for key in ("nik", "phone", "email", "address", "assistance_needs")}
    return {"name": rep.get("name") or "", **columns, "consent_at": _dt(rep.get("consent_at"))}


def _upsert_reporter(session: Session, rep: dict[str, Any], known: _Known) -> None:
    reporter = known.reporters.get(rep["id"])
    if reporter is None:
        reporter = known.reporters[rep["id"]] = Reporter(id=rep["id"])
        session.add(reporter)
    for key, value in _reporter_columns(rep).items():
        setattr(reporter, key, value)


def _complaint_columns(data: dict[str, Any], office_id: str, known: _Known) -> dict[str, Any]:
    """A pulled complaint's columns apart from its deadlines (both paths write these): references to a category
    or unit this PC does not know are left empty."""
    columns = {key: data.get(key) for key in (
        "tracking_code", "national_tracking_id", "classification", "title", "description", "region_code",
        "address", "latitude", "longitude", "channel", "is_anonymous", "is_confidential", "is_supervisory",
        "status", "archive_reason")}
    category_id, unit_id, rep = data.get("category_id"), data.get("unit_id"), data.get("reporter")
    columns.update(
        office_id=office_id, category_id=category_id if category_id in known.categories else None,
        unit_id=unit_id if unit_id in known.units else None, reporter_id=rep["id"] if rep else None,
        incident_date=_date(data.get("incident_date")))
    for key in ("received_at", "disposed_at", "followed_up_at", "postponed_at", "closed_at", "updated_at"):
        columns[key] = _dt(data.get(key))
    columns["server_version"] = int(data.get("version") or 0)
    return columns


def _upsert_complaint(ctx: ServiceContext, session: Session, data: dict[str, Any], office_id: str,
                      known: _Known) -> tuple[bool, bool]:
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
    for key, value in _complaint_columns(data, office_id, known).items():
        setattr(c, key, value)
    refresh_deadlines(ctx, session, c)
    return is_new, is_new or _search_key(c, known) != before


def _insert_event(session: Session, data: dict[str, Any], known: _Known) -> bool:
    """Add a pulled event (children merge by id). True if it is new here."""
    existing = known.events.get(data["id"])
    if existing is not None:
        # The server may have annotated an event this PC wrote (a note on a case closed meanwhile is accepted and
        # flagged "after_close") or re-dated it (a time in its future): the server's version is the one every PC
        # shows.
        if data.get("data_json") != existing.data_json:
            existing.data_json = data.get("data_json")
        at = _dt(data.get("at"))
        if at is not None and at != existing.at:  # the server re-dated a time that could not be true
            existing.at = at
        return False
    if data.get("kind") == EventKind.TRANSITION_REJECTED:
        _drop_refused_event(session, data, known)
    event = known.events[data["id"]] = TimelineEvent(**_event_row(data, known))
    session.add(event)
    return True


def _event_row(data: dict[str, Any], known: _Known) -> dict[str, Any]:
    """A new pulled event's row (both paths write it); an author this PC does not know is left empty."""
    actor = data.get("actor_user_id")
    return {"id": data["id"], "complaint_id": data["complaint_id"], "kind": data["kind"], "at": _dt(data["at"]),
            "actor_user_id": actor if actor in known.users else None, "from_status": data.get("from_status"),
            "to_status": data.get("to_status"), "text": data.get("text"), "data_json": data.get("data_json")}


def _drop_refused_event(session: Session, rejection: dict[str, Any], known: _Known) -> None:
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


def _insert_attachment(session: Session, data: dict[str, Any], known: _Known) -> None:
    if data["id"] in known.attachments:
        # This PC's own attachment coming back (or one it has): whether its bytes still need uploading is for the
        # upload step to know, not the metadata's arrival (metadata may reach the server before the bytes).
        return
    known.attachments.add(data["id"])
    session.add(Attachment(**_attachment_row(data, known)))


def _attachment_row(data: dict[str, Any], known: _Known) -> dict[str, Any]:
    """A new pulled attachment's row (both paths write it): its bytes are on the server, not here yet."""
    event_id, created_by = data.get("event_id"), data.get("created_by")
    return {"id": data["id"], "complaint_id": data["complaint_id"],
            "event_id": event_id if known.has_event(event_id) else None, "sha256": data["sha256"],
            "filename": data["filename"], "mime_type": data["mime_type"], "size": int(data["size"]),
            "created_at": _dt(data["created_at"]), "created_by": created_by if created_by in known.users else None,
            "blob_present": False, "blob_uploaded": True}


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
                created_at=_dt(data["at"])))
    return added


def settle_conflicts(session: Session, complaint_ids: set[str]) -> set[str]:
    """Close the open review items of these complaints that a person of the office already decided on any PC (the
    decision travels in the EDITED timeline entry it wrote, app.services.conflicts). Run once a page's events are
    in, so either may arrive first: a PC that downloads the office from scratch gets both. Returns the items
    closed."""
    waiting: dict[str, ConflictItem] = {}
    for ids in _chunks(complaint_ids):
        waiting.update((i.id, i) for i in session.execute(select(ConflictItem).where(
            ConflictItem.complaint_id.in_(ids), ConflictItem.resolved_at.is_(None))).scalars())
    closed: set[str] = set()
    for ids in _chunks({i.complaint_id for i in waiting.values()}):
        for event in session.execute(select(TimelineEvent).where(
                TimelineEvent.complaint_id.in_(ids), TimelineEvent.kind == EventKind.EDITED)).scalars():
            for item_id, choice in decisions_in(event.data_json).items():
                item = waiting.pop(item_id, None)
                if item is not None:
                    item.resolved_at, item.resolution, item.resolved_by = event.at, choice, event.actor_user_id
                    closed.add(item_id)
    return closed
