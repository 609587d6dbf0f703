"""Writing what a pulled page brings new to this PC in bulk (issue 14 §1): :func:`new_here` picks the complaints the
row-by-row path (sync.apply_pull) would only ever insert, with their reporters, events and attachments;
:class:`BulkRows` collects their rows (sync.apply_rows gives the values both paths write) and inserts them with one
prepared INSERT per table (executemany), without ORM objects. A first sync is almost all new rows, and the ORM's unit
of work was most of its time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from app.domain import EventKind
from app.models import Attachment, Complaint, Reporter, TimelineEvent, UTCDateTime
from app.rules.sla import DeadlineFacts
from app.services.common import deadline_columns
from app.services.context import ServiceContext
from app.store.transactions import sql_datetime
from sync.apply_rows import Known, as_datetime, attachment_row, complaint_columns, event_row, reporter_columns
from sync.protocol import ChangeLike, ChangeOp


def new_here(changes: Sequence[ChangeLike], pending: set[str], known: Known,
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


class BulkRows:
    """The rows of a page's complaints new to this PC (:func:`new_here`), collected as the page is read and
    written with one INSERT per table (executemany) once the ORM has written the rows before them. The values are
    those the row-by-row path gives (the same helpers), including what the ORM does for a None: a column's
    default."""

    def __init__(self, complaints: set[str]) -> None:
        self.complaints = complaints
        self._rows: dict[Table, list[dict[str, Any]]] = {
            table_of(model): [] for model in (Reporter, Complaint, TimelineEvent, Attachment)}

    def add_reporter(self, rep: dict[str, Any]) -> None:
        self._rows[table_of(Reporter)].append(_as_sent({"id": rep["id"], **reporter_columns(rep)}, rep, Reporter))

    def add_complaint(self, ctx: ServiceContext, session: Session, data: dict[str, Any], office_id: str,
                      known: Known) -> None:
        row = {"id": data["id"], **complaint_columns(data, office_id, known), "created_by": None, "local_rev": 0}
        facts = DeadlineFacts(status=row["status"], classification=row["classification"],
                              is_supervisory=row["is_supervisory"], received_at=row["received_at"],
                              disposed_at=row["disposed_at"], followed_up_at=row["followed_up_at"],
                              postponed_at=row["postponed_at"])
        row.update(deadline_columns(ctx, session, office_id, facts))
        self._rows[table_of(Complaint)].append(_as_sent(row, data, Complaint))

    def add_event(self, data: dict[str, Any], known: Known) -> None:
        self._rows[table_of(TimelineEvent)].append(_as_sent(event_row(data, known), data, TimelineEvent))
        known.bulk_events.add(data["id"])

    def add_attachment(self, data: dict[str, Any], known: Known) -> None:
        self._rows[table_of(Attachment)].append(_as_sent(attachment_row(data, known), data, Attachment))

    def write(self, session: Session) -> None:
        """Insert what was collected, parents first (reporters, complaints, events, attachments), each table's rows
        in the order of their ids: their ids are random, and a B-tree takes keys in order page by page (each index
        page read and changed once, while it is in the cache) where random keys read and spill the same pages again
        and again once the index outgrows the cache (a first sync of 50,000 complaints writes 160,000 events)."""
        for table, rows in self._rows.items():
            if not rows:
                continue
            rows.sort(key=_by_id)
            defaults = scalar_defaults(table).items()
            for row in rows:
                for column, default in defaults:
                    if row[column] is None:
                        row[column] = default
            _insert_rows(session, table, rows, SENT_TIMES[table.name])
            rows.clear()


_by_id = itemgetter("id")
# Per table, the times a pulled row carries as the server sent them (its other times, a complaint's deadlines, are
# computed here).
SENT_TIMES: dict[str, tuple[str, ...]] = {
    "reporters": ("consent_at",), "timeline_events": ("at",), "attachments": ("created_at",),
    "complaints": ("received_at", "disposed_at", "followed_up_at", "postponed_at", "closed_at", "updated_at")}


def _as_sent(row: dict[str, Any], data: dict[str, Any], model: type[Any]) -> dict[str, Any]:
    """The row with the times the server sent (:data:`SENT_TIMES`) in the store's text form, which
    :func:`_insert_rows` binds as they are: cut from the text the server sent where it is in the server's own form
    (writing text of that form takes a third of the time of writing a datetime). Each was parsed from that same text
    for the row (the rules read the parsed values): it is not parsed again."""
    for key in SENT_TIMES[table_of(model).name]:
        if (parsed := row[key]) is not None:
            row[key] = stored_text(data.get(key), parsed)
    return row


def stored_text(sent: Any, parsed: datetime) -> str:
    """The store's text of ``parsed``, cut from ``sent`` (the text it was parsed from) when that is in the server's
    own form (``2026-12-05T05:08:21.736927+00:00``, or without the fraction)."""
    if isinstance(sent, str) and sent[10:11] == "T" and sent.endswith("+00:00"):
        if len(sent) == 32 and sent[19] == ".":
            return f"{sent[:10]} {sent[11:26]}"
        if len(sent) == 25:
            return f"{sent[:10]} {sent[11:19]}.000000"
    text = utc_text(parsed)
    assert text is not None
    return text


def _insert_rows(session: Session, table: Table, rows: list[dict[str, Any]], as_stored: tuple[str, ...]) -> None:
    """One prepared INSERT run over ``rows`` (executemany), each value bound by its column's type as Core binds it,
    except the times named in ``as_stored``, which the rows hold as the store's text already (:func:`_as_sent`).
    (Core's own executemany builds every row's parameters through the compiled statement again: on a first sync,
    more time than SQLite took to insert them.) A row's values are taken in one step and only the columns whose
    type has a processor (times, flags) are converted."""
    connection = session.connection()
    sql, take, binds = _prepared_insert(table, tuple(rows[0]), connection.dialect, as_stored)
    params: list[Any] = [take(row) for row in rows]
    if binds:
        for n, values in enumerate(params):
            values = list(values)
            for i, bind in binds:
                values[i] = bind(values[i])
            params[n] = tuple(values)
    connection.exec_driver_sql(sql, params)


def insert_tuples(session: Session, table: Table, keys: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """One INSERT of the columns ``keys`` run over ``rows``, whose values are bound already as Core would bind them
    (sync.apply_tables makes them so)."""
    connection = session.connection()
    connection.exec_driver_sql(_insert_sql(table, keys, connection.dialect), rows)


@lru_cache(maxsize=16)
def _insert_sql(table: Table, keys: tuple[str, ...], dialect: Dialect) -> str:
    quote = dialect.identifier_preparer.quote
    return (f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, keys))})"
            f" VALUES ({', '.join('?' * len(keys))})")


@lru_cache(maxsize=16)
def _prepared_insert(table: Table, keys: tuple[str, ...], dialect: Dialect, as_stored: tuple[str, ...]
                     ) -> tuple[str, Callable[[dict[str, Any]], tuple[Any, ...]], list[tuple[int, Any]]]:
    """The INSERT of these columns in the driver's SQL, what takes a row's values in its order, and the position of
    each value that its column's type processes, with the processor (a time in ``as_stored`` is checked to be the
    store's text or None, no more)."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
    assert compiled.positiontup is not None  # SQLite binds by position
    processors = {column.key: _stored if column.key in as_stored
                  else utc_text if isinstance(column.type, UTCDateTime) else column.type.bind_processor(dialect)
                  for column in table.columns}
    order = list(compiled.positiontup)
    take = itemgetter(*order) if len(order) > 1 else (lambda row: (row[order[0]],))
    return compiled.string, take, [(i, processors[key]) for i, key in enumerate(order) if processors[key]]


def _stored(value: str | None) -> str | None:
    """A time :func:`_as_sent` wrote as the store's text (anything else is a mistake here, never written)."""
    if value is not None and type(value) is not str:
        raise TypeError(f"a time not in the store's text form: {type(value).__name__}")
    return value


def utc_text(value: datetime | str | None) -> str | None:
    """What UTCDateTime's processors make of a datetime, in one step (a first sync binds some 600,000 of them): a
    time in UTC already (as the server sends them all) is its ISO text up to the microseconds, which is what
    :func:`app.store.transactions.sql_datetime` makes of it. A text is parsed (nothing malformed is stored) and cut
    as :func:`stored_text` cuts it."""
    if value is None:
        return None
    if isinstance(value, str):
        parsed = as_datetime(value)
        assert parsed is not None
        return stored_text(value, parsed)
    if value.tzinfo is UTC:
        return value.isoformat(" ", "microseconds")[:26]
    return sql_datetime(value)


def table_of(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


@cache
def scalar_defaults(table: Table) -> dict[str, Any]:
    """A column's default where the model has one: the ORM inserts it for an attribute left None."""
    defaults = {}
    for column in table.columns:
        if column.default is None:
            continue
        if not isinstance(column.default, ScalarElementColumnDefault):  # a default computed per row
            raise NotImplementedError(f"bulk apply: {table.name}.{column.name} has a default that is not a value")
        defaults[column.name] = column.default.arg
    return defaults
