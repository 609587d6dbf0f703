"""A snapshot page that came as tables (protocol 6) applied without a dict or a change object per row (issue 14 §1).

:class:`PageTables` reads the columns the apply decides on straight from the tables, picks the complaints it can
write itself (:meth:`PageTables.fresh`: new to this PC, with their reporters, events and attachments, touching
nothing else the page or the store holds) and hands every other row to the change-by-change apply as the upsert it
would have been (:meth:`PageTables.upserts`). :class:`FreshRows` writes the fresh complaints from the tables' rows,
one prepared INSERT per table, with the values sync.apply_bulk writes for the same rows (its helpers): a first sync
of 50,000 complaints brings some 260,000 rows, and their dicts and change objects, made on the thread that fetches
pages while this one writes, cost it more than the columns it reads.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy.orm import Session

from app.domain import EventKind
from app.models import Attachment, Complaint, Reporter, TimelineEvent
from app.rules.sla import DeadlineFacts
from app.services.common import deadline_columns
from app.services.context import ServiceContext
from sync.apply_bulk import insert_tuples, scalar_defaults, stored_text, table_of, utc_text
from sync.apply_rows import Known, as_date, as_datetime
from sync.protocol import ChangeLike, SnapshotTables, Table, Upsert

# What an event row also does beyond being written, by its kind (sync.apply_pull._note_event): a conflict or a
# decision to settle, a search document to build again (a follow-up's text is in it; a refused step drops an entry).
SETTLING_KINDS = frozenset({EventKind.CONFLICT_MERGED, EventKind.EDITED})
REINDEXING_KINDS = frozenset({EventKind.FOLLOW_UP, EventKind.TRANSITION_REJECTED})
EVENT_KINDS_READ = SETTLING_KINDS | REINDEXING_KINDS
# The columns the tables must have for their rows to be written here; a page without one goes change by change.
NEEDED = {"complaints": ("id",), "reporters": ("id",), "events": ("id", "complaint_id", "kind", "at"),
          "attachments": ("id", "complaint_id", "sha256", "filename", "mime_type", "size", "created_at")}


def _getter(table: Table, names: Sequence[str]) -> Callable[[list[Any]], tuple[Any, ...]]:
    """A row's values of ``names`` in that order, None for a column the table does not have."""
    positions = [table.cols.index(name) if name in table.cols else -1 for name in names]
    if -1 not in positions:
        return itemgetter(*positions) if len(positions) > 1 else (lambda row: (row[positions[0]],))
    return lambda row: tuple(None if i < 0 else row[i] for i in positions)


def _column(table: Table, name: str) -> list[Any]:
    if name not in table.cols:
        return [None] * len(table.rows)
    return list(map(itemgetter(table.cols.index(name)), table.rows))


class PageTables:
    """A snapshot page's tables, read by column."""

    def __init__(self, tables: SnapshotTables) -> None:
        self.tables = tables
        t = tables
        self.complaint_ids = _column(t.complaints, "id")
        reporter_ids = _column(t.reporters, "id")
        known_reporters = set(reporter_ids)
        # A complaint's reporter is the reporters' row its reporter_id names (none where no row is sent for it).
        self.reporter_of = [rid if rid and rid in known_reporters else None
                            for rid in _column(t.complaints, "reporter_id")]
        self._reporter_counts = Counter(reporter_ids)
        self.event_ids, self.event_parents = _column(t.events, "id"), _column(t.events, "complaint_id")
        self.event_kinds = _column(t.events, "kind")
        self.attachment_ids = _column(t.attachments, "id")
        self.attachment_parents = _column(t.attachments, "complaint_id")
        self.attachment_events = _column(t.attachments, "event_id")
        self._complete = all(name in getattr(t, table).cols for table, names in NEEDED.items() for name in names)

    def children(self) -> Iterable[tuple[str, str, str | None]]:
        """(entity type, id, its complaint) of every event and attachment, as sync.apply_rows.load_known reads
        them."""
        for kind, ids, parents in (("event", self.event_ids, self.event_parents),
                                   ("attachment", self.attachment_ids, self.attachment_parents)):
            for entity_id, parent in zip(ids, parents, strict=True):
                yield kind, str(entity_id), str(parent) if parent else None

    def reporter_ids(self) -> set[str]:
        return {str(rid) for rid in self.reporter_of if rid}

    def codes(self) -> list[tuple[Any, Any]]:
        """(tracking code, id) of every complaint, in the page's order."""
        return list(zip(_column(self.tables.complaints, "tracking_code"), self.complaint_ids, strict=True))

    def fresh(self, rest: Sequence[ChangeLike], pending: set[str], known: Known,
              reporting: list[tuple[str | None, dict[str, Any]]]) -> set[str]:
        """The complaints this page's tables bring that the change-by-change apply would only insert, with their
        reporters, events and attachments, and that nothing else in the page or the store touches: new to this PC, no
        changes of it waiting, once in the page, not in the page's other changes (``rest``), its reporter new here and
        written by no other complaint, its children new, once each, no refused step (a transition_rejected event drops
        an entry), no attachment pointing at an event of another complaint in the page (the change-by-change apply adds
        those later). Anything else goes change by change, which decides it as it always did. ``reporting`` is what else
        writes a reporter (the server's state kept aside that now applies, ``rest``'s complaints)."""
        if not self._complete:
            return set()
        named = {c.entity_id for c in rest}
        for c in rest:
            parent = (c.data or {}).get("complaint_id")
            if parent is not None:
                named.add(str(parent))
        rest_events = {c.entity_id for c in rest if c.entity_type == "event"}
        seen = Counter(self.complaint_ids)
        writers = Counter(str(data["reporter"]["id"]) for _, data in reporting if data.get("reporter"))
        writers.update(rid for rid in self.reporter_of if rid)
        chosen = set()
        for cid, rid in zip(self.complaint_ids, self.reporter_of, strict=True):
            if type(cid) is not str or seen[cid] != 1 or cid in named or cid in pending or cid in known.complaints:
                continue
            if rid is not None and (type(rid) is not str or rid in known.reporters or writers[rid] != 1
                                    or self._reporter_counts[rid] != 1):
                continue
            chosen.add(cid)
        events = Counter(self.event_ids)
        for eid, parent, kind in zip(self.event_ids, self.event_parents, self.event_kinds, strict=True):
            if parent in chosen and (type(eid) is not str or events[eid] != 1 or eid in named or eid in known.events
                                     or kind == EventKind.TRANSITION_REJECTED):
                chosen.discard(parent)
        attachments = Counter(self.attachment_ids)
        event_of = dict(zip(self.event_ids, self.event_parents, strict=True))
        for aid, parent, event_id in zip(self.attachment_ids, self.attachment_parents, self.attachment_events,
                                         strict=True):
            if parent in chosen and (type(aid) is not str or attachments[aid] != 1 or aid in named
                                     or aid in known.attachments or event_id in rest_events
                                     or event_of.get(event_id, parent) != parent):
                chosen.discard(parent)
        return chosen

    def upserts(self, fresh: set[str]) -> list[Upsert]:
        """Every row but those of the ``fresh`` complaints as the upserts sync.protocol.Snapshot.as_changes makes:
        units and accounts, complaints (their reporter inside), events, attachments."""
        return self.tables.as_snapshot(leave_out=fresh).as_changes()

    def events_read(self, fresh: set[str]) -> list[dict[str, Any]]:
        """The fresh complaints' events of a kind the apply reads (:data:`EVENT_KINDS_READ`), as dicts, in the
        page's order."""
        events = self.tables.events
        return [dict(zip(events.cols, row, strict=True))
                for row, parent, kind in zip(events.rows, self.event_parents, self.event_kinds, strict=True)
                if parent in fresh and kind in EVENT_KINDS_READ]


_COMPLAINT_SENT = ("tracking_code", "national_tracking_id", "classification", "title", "description",
                   "region_code", "address", "channel", "status", "archive_reason")
_COMPLAINT_READ = ("id", *_COMPLAINT_SENT, "category_id", "unit_id", "incident_date", "latitude", "longitude",
                   "is_anonymous", "is_confidential", "is_supervisory", "received_at", "disposed_at",
                   "followed_up_at", "postponed_at", "closed_at", "updated_at", "version")
COMPLAINT_KEYS = ("id", "office_id", *_COMPLAINT_SENT, "category_id", "unit_id", "reporter_id", "incident_date",
                  "latitude", "longitude", "is_anonymous", "is_confidential", "is_supervisory", "received_at",
                  "disposed_at", "followed_up_at", "postponed_at", "closed_at", "updated_at", "server_version",
                  "created_by", "local_rev", "step_due_at", "step_due_kind", "resolution_due_at", "next_due_at",
                  "next_due_kind")
REPORTER_KEYS = ("id", "name", "nik", "phone", "email", "address", "assistance_needs", "consent_at")
EVENT_KEYS = ("id", "complaint_id", "kind", "at", "actor_user_id", "from_status", "to_status", "text", "data_json")
ATTACHMENT_KEYS = ("id", "complaint_id", "event_id", "sha256", "filename", "mime_type", "size", "created_at",
                   "created_by", "blob_present", "blob_uploaded")


def _sent_time(value: Any) -> str | None:
    """A time as the server sent it, parsed (nothing malformed is stored) and kept as the store's text."""
    parsed = as_datetime(value)
    return None if parsed is None else stored_text(value, parsed)


class FreshRows:
    """The rows of a page's fresh complaints (:meth:`PageTables.fresh`), made from the tables' rows with the values
    sync.apply_bulk.BulkRows writes for them, and written with one INSERT per table, parents first, each table's
    rows in the order of their ids."""

    def __init__(self, page: PageTables, complaints: set[str]) -> None:
        self.page, self.complaints = page, complaints

    def write(self, ctx: ServiceContext, session: Session, office_id: str, known: Known) -> int:
        """Write them (after the page's accounts: a row names only accounts, units and categories this PC knows)
        and return how many events they hold."""
        if not self.complaints:
            return 0
        t, dialect = self.page.tables, session.connection().dialect
        reporters = self._reporters(t.reporters)
        complaints = self._complaints(ctx, session, office_id, known, dialect)
        events = self._events(t.events, known)
        attachments = self._attachments(t.attachments, known, dialect)
        for model, keys, rows in ((Reporter, REPORTER_KEYS, reporters), (Complaint, COMPLAINT_KEYS, complaints),
                                  (TimelineEvent, EVENT_KEYS, events), (Attachment, ATTACHMENT_KEYS, attachments)):
            if rows:
                rows.sort(key=_first)
                insert_tuples(session, table_of(model), keys, rows)
        return len(events)

    def _reporters(self, table: Table) -> list[tuple[Any, ...]]:
        wanted = {rid for rid, cid in zip(self.page.reporter_of, self.page.complaint_ids, strict=True)
                  if rid and cid in self.complaints}
        get, out = _getter(table, REPORTER_KEYS), []
        for rid, name, nik, phone, email, address, needs, consent_at in map(get, table.rows):
            if rid in wanted:
                out.append((rid, name or "", nik, phone, email, address, needs, _sent_time(consent_at)))
        return out

    def _complaints(self, ctx: ServiceContext, session: Session, office_id: str, known: Known,
                    dialect: Any) -> list[tuple[Any, ...]]:
        table = self.page.tables.complaints
        defaults = scalar_defaults(table_of(Complaint))
        flag, real = _binds(Complaint, "is_anonymous", dialect), _binds(Complaint, "latitude", dialect)
        categories, units, out = known.categories, known.units, []
        for row, rid in zip(map(_getter(table, _COMPLAINT_READ), table.rows), self.page.reporter_of, strict=True):
            cid = row[0]
            if cid not in self.complaints:
                continue
            (category, unit, incident, lat, lon, anonymous, confidential, supervisory,
             received, disposed, followed_up, postponed, closed, updated, version) = row[11:]
            received_at: Any = as_datetime(received)  # None only from a garbled page: refused as the row is written
            disposed_at = as_datetime(disposed)
            followed_up_at, postponed_at = as_datetime(followed_up), as_datetime(postponed)
            status, classification = row[9], row[3]
            due = deadline_columns(ctx, session, office_id, DeadlineFacts(
                status=status, classification=classification, is_supervisory=supervisory, received_at=received_at,
                disposed_at=disposed_at, followed_up_at=followed_up_at, postponed_at=postponed_at))
            out.append((
                cid, office_id, *row[1:11], category if category in categories else None,
                unit if unit in units else None, rid, as_date(incident), real(lat), real(lon),
                flag(defaults["is_anonymous"] if anonymous is None else anonymous),
                flag(defaults["is_confidential"] if confidential is None else confidential),
                flag(defaults["is_supervisory"] if supervisory is None else supervisory),
                _kept(received, received_at), _kept(disposed, disposed_at), _kept(followed_up, followed_up_at),
                _kept(postponed, postponed_at), _sent_time(closed), _sent_time(updated), int(version or 0), None,
                defaults["local_rev"], utc_text(due["step_due_at"]), due["step_due_kind"],
                utc_text(due["resolution_due_at"]), utc_text(due["next_due_at"]), due["next_due_kind"]))
        return out

    def _events(self, table: Table, known: Known) -> list[tuple[Any, ...]]:
        users, out = known.users, []
        for eid, parent, kind, at, actor, from_status, to_status, text, data_json in map(
                _getter(table, EVENT_KEYS), table.rows):
            if parent in self.complaints:
                out.append((eid, parent, kind, _sent_time(at), actor if actor in users else None, from_status,
                            to_status, text, data_json))
        known.bulk_events.update(row[0] for row in out)
        return out

    def _attachments(self, table: Table, known: Known, dialect: Any) -> list[tuple[Any, ...]]:
        flag = _binds(Attachment, "blob_present", dialect)
        not_here, uploaded = flag(False), flag(True)  # its bytes are on the server, not here yet
        users, out = known.users, []
        for aid, parent, event_id, sha256, filename, mime_type, size, created_at, created_by in map(
                _getter(table, ATTACHMENT_KEYS[:9]), table.rows):
            if parent in self.complaints:
                out.append((aid, parent, event_id if known.has_event(event_id) else None, sha256, filename,
                            mime_type, int(size), _sent_time(created_at), created_by if created_by in users else None,
                            not_here, uploaded))
        return out


_first = itemgetter(0)


def _binds(model: type[Any], column: str, dialect: Any) -> Callable[[Any], Any]:
    """How Core binds a value of the column (a flag strictly as 0 or 1, a coordinate as a float)."""
    process = table_of(model).c[column].type.bind_processor(dialect)
    assert process is not None
    return process


def _kept(sent: Any, parsed: Any) -> str | None:
    return None if parsed is None else stored_text(sent, parsed)

