"""The change feed: a row for every committed change, and pages read from it that skip nothing.

PostgreSQL: each row carries the writing transaction's id (``pg_current_xact_id()``). A reader only takes rows
whose xid is below the oldest transaction still running (``pg_snapshot_xmin``), so a transaction that took its
ids early but commits late is never jumped over; the cursor is (xid, id).
SQLite: one writer at a time, so commit order is id order; ``xid`` is a per-transaction counter.
Pages end between transactions, so a client never applies half of one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from server import kpi_national
from server.models import ChangeLogEntry, ServerMeta
from server.run_rows import NewRow, new_row
from server.state import ERA_KEY, REFERENCE_KEY

TXN_KEY = "txn_counter"
# session.info: a list while a push run is applied (server.apply_batch): new rows go there instead of into the
# session, and the run inserts them all at its end, one statement per table (no unit of work for each row).
DEFERRED_KEY = "lapor_deferred_rows"


def current_xid(session: Session) -> int:
    """The id of the running transaction (allocated once per transaction and cached on the session)."""
    cached = session.info.get("lapor_xid")
    if cached is not None:
        return int(cached)
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        xid = int(session.execute(text("SELECT pg_current_xact_id()::text::bigint")).scalar_one())
    else:
        row = session.get(ServerMeta, TXN_KEY)
        if row is None:
            row = ServerMeta(key=TXN_KEY, value="0")
            session.add(row)
        xid = int(row.value) + 1
        row.value = str(xid)
    session.info["lapor_xid"] = xid
    return xid


ORIGIN_KEY = "lapor_origin_client"  # session.info: the PC whose pushed mutation is being applied


def record(session: Session, *, office_id: str, entity_type: str, entity_id: str, op: str, version: int,
           now: datetime, exact: bool = False) -> ChangeLogEntry | NewRow:
    """Log a change. While a PC's mutation is applied (``ORIGIN_KEY`` set) the row names that PC; ``exact`` says
    the PC already holds the entity exactly as it is now, so its own pull leaves the row out."""
    if entity_type == "complaint":
        kpi_national.touch(session, entity_id)
    origin = session.info.get(ORIGIN_KEY)
    values: dict[str, Any] = {"xid": current_xid(session), "office_id": office_id, "entity_type": entity_type,
                              "entity_id": entity_id, "op": op, "version": version, "created_at": now,
                              "origin_client_id": origin, "exact": exact and origin is not None}
    return new_row(session, session.info.get(DEFERRED_KEY), ChangeLogEntry, values)  # (deferred: a push run's)


SNAPSHOT_MARK = ".snap."


@dataclass(frozen=True)
class Cursor:
    """A position in the feed. ``full`` marks a download that started from the beginning (a new PC, or a PC
    starting again after a restore rotated the era) and has not caught up yet: such a PC's copy may hold what the
    restored server lost, so it is sent everything, its own changes too.

    ``snapshot_after`` marks a download from the beginning still in its snapshot (protocol 3): the last complaint id
    sent. (xid, id) is then the feed position taken when the snapshot began: every change up to it is in the
    snapshot's rows, and the feed resumes after it once the snapshot is done."""

    era: str
    xid: int
    id: int
    full: bool = False
    snapshot_after: str | None = None
    # What the row at (xid, id) is (:func:`row_tag`): a server restored from an older backup hands the same ids to
    # other rows, and the tag tells the PC's position apart from the restored server's (:func:`holds`).
    tag: str | None = None

    def encode(self) -> str:
        position = f"{self.era}.{self.xid}.{self.id}" + (f"{TAG_MARK}{self.tag}" if self.tag else "")
        if self.snapshot_after is not None:
            return position + SNAPSHOT_MARK + self.snapshot_after
        return position + (".full" if self.full else "")

    @staticmethod
    def decode(raw: str | None, era: str) -> Cursor | None:
        """The cursor, or None for "from the start" (also when it belongs to another era)."""
        cursor = Cursor.parse(raw)
        return cursor if cursor is not None and cursor.era == era else None

    @staticmethod
    def parse(raw: str | None) -> Cursor | None:
        """The cursor as the PC sent it, whatever its era; None when there is none or it does not parse."""
        if not raw:
            return None
        position, mark, after = raw.partition(SNAPSHOT_MARK)
        full = bool(mark) or position.endswith(".full")
        try:
            cur_era, xid, last = position.removesuffix(".full").rsplit(".", 2)
            row_id, _, tag = last.partition(TAG_MARK)
            cursor = Cursor(cur_era, int(xid), int(row_id), full, after if mark and after else None, tag or None)
        except ValueError:
            return None
        if mark and not after:
            return None
        return cursor


TAG_MARK = "~"


class Tagged(Protocol):
    entity_type: str
    entity_id: str
    version: int


def row_tag(row: Tagged) -> str:
    """A short fingerprint of a change-log row: what it changed, to which version."""
    return hashlib.sha256(f"{row.entity_type}:{row.entity_id}:{row.version}".encode()).hexdigest()[:10]


def holds(session: Session, office_id: str, cursor: Cursor) -> bool:
    """Whether this change log holds the position the PC reached. Not so when the server was restored from a
    backup older than that position: the row is gone, or its id now names another change."""
    if cursor.tag is None or cursor.id == 0:
        return True  # a cursor from before tags (or from an empty feed): nothing to compare
    row = session.get(ChangeLogEntry, cursor.id)
    return (row is not None and row.office_id == office_id and row.xid == cursor.xid
            and row_tag(row) == cursor.tag)


def high_water(session: Session, office_id: str) -> tuple[int, int, str | None]:
    """The feed position a snapshot starts from, with its row's tag: the office's last row that no running
    transaction can still join (rows after it are read from the feed once the snapshot is done, so nothing falls
    between the two)."""
    q = select(ChangeLogEntry).where(ChangeLogEntry.office_id == office_id)
    fence = visible_fence(session)
    if fence is not None:
        q = q.where(ChangeLogEntry.xid < fence)
    row = session.execute(q.order_by(ChangeLogEntry.xid.desc(), ChangeLogEntry.id.desc()).limit(1)).scalar()
    return (int(row.xid), int(row.id), row_tag(row)) if row is not None else (0, 0, None)


def after_position(xid: int | ColumnElement[int], row_id: int | ColumnElement[int], *,
                   inclusive: bool = False) -> ColumnElement[bool]:
    """Rows after (xid, id) in feed order, written so that both SQLite and PostgreSQL read it as a range of the
    (office_id, xid, id) index: ``xid >= ?`` bounds the scan, the rest only filters its first transaction. (The
    plain ``xid > ? OR (xid = ? AND id > ?)`` lets SQLite narrow by office alone: a no-op pull then read every row
    of the office, 47–87 ms at 417,000 rows; tests/server/test_changefeed_plan.py checks both plans.)
    ``inclusive``: the row at (xid, id) too."""
    return and_(ChangeLogEntry.xid >= xid,
                or_(ChangeLogEntry.xid > xid, ChangeLogEntry.id >= row_id if inclusive else ChangeLogEntry.id > row_id))


def has_rows_after(session: Session, office_id: str, xid: int, row_id: int) -> bool:
    q = select(ChangeLogEntry.id).where(ChangeLogEntry.office_id == office_id, after_position(xid, row_id))
    fence = visible_fence(session)
    if fence is not None:
        q = q.where(ChangeLogEntry.xid < fence)
    return session.execute(q.limit(1)).first() is not None


_FENCE = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"


def visible_fence(session: Session) -> int | None:
    """PostgreSQL: rows with xid at or above this may still be joined by a transaction not yet committed."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    return int(session.execute(text(f"SELECT {_FENCE}")).scalar_one())


# PostgreSQL's fence (:func:`visible_fence`) inside the page's own statement: one round trip less, and taken from
# the same snapshot as the rows it bounds.
_FENCE_SQL = literal_column(_FENCE, BigInteger)
_pages: dict[tuple[bool, bool, bool], Select[ChangeLogEntry]] = {}


def _page_statement(postgres: bool, from_cursor: bool, inclusive: bool) -> Select[ChangeLogEntry]:
    """The statement of a page, built once per shape with bound parameters (every pull runs one; building it
    again each time was a quarter of a no-op pull's own time)."""
    key = (postgres, from_cursor, inclusive)
    cached = _pages.get(key)
    if cached is not None:
        return cached
    q = select(ChangeLogEntry).where(ChangeLogEntry.office_id == bindparam("office_id", type_=String))
    if from_cursor:
        q = q.where(after_position(bindparam("xid", type_=BigInteger), bindparam("row_id", type_=BigInteger),
                                   inclusive=inclusive))
    if postgres:
        q = q.where(ChangeLogEntry.xid < _FENCE_SQL)
    q = _pages[key] = q.order_by(ChangeLogEntry.xid, ChangeLogEntry.id).limit(bindparam("limit", type_=Integer))
    return q


def _read(session: Session, office_id: str, after: Cursor | None, limit: int, *, inclusive: bool = False
          ) -> list[ChangeLogEntry]:
    postgres = session.get_bind().dialect.name == "postgresql"
    params: dict[str, object] = {"office_id": office_id, "limit": limit}
    if after is not None:
        params.update(xid=after.xid, row_id=after.id)
    return list(session.execute(_page_statement(postgres, after is not None, inclusive), params).scalars())


def read_page(session: Session, office_id: str, after: Cursor | None, limit: int
              ) -> tuple[list[ChangeLogEntry], bool]:
    """Up to ``limit`` rows after the cursor, ending between transactions; and whether more are ready."""
    return _cut_page(session, office_id, _read(session, office_id, after, limit + 1), limit)


def read_page_held(session: Session, office_id: str, after: Cursor, limit: int
                   ) -> tuple[list[ChangeLogEntry], bool] | None:
    """:func:`read_page` and :func:`holds` in one statement: the page is read from the cursor's own row, and the
    cursor is held when that row comes first, with the cursor's transaction and tag. None when it does not (the
    position may not be held: ask :func:`holds`, which also tells a row the fence keeps out from a lost one)."""
    if after.tag is None or after.id == 0:
        return read_page(session, office_id, after, limit)  # nothing to compare (holds says so too)
    rows = _read(session, office_id, after, limit + 2, inclusive=True)
    if not rows or rows[0].id != after.id or rows[0].xid != after.xid or row_tag(rows[0]) != after.tag:
        return None
    return _cut_page(session, office_id, rows[1:], limit)


@dataclass(frozen=True)
class QuietFeed:
    """A no-op pull's whole question, answered by :func:`quiet_feed`: the server's era and reference version (None
    when its row is missing), and whether the feed holds the cursor with nothing after it."""

    era: str | None
    reference: str | None
    nothing_after: bool


# The era, the reference version and at most two change-log rows from the cursor's position on (its own row first,
# when ``{inclusive}`` reads it too), in one statement. Written out rather than built: a no-op pull runs it, and the
# built union cost 2 ms to build and compile on its first use in each server process, more than the rest of the
# pull; tests/server/test_pull_cost.py checks that it reads an index range, as after_position's conditions do.
_QUIET_SQL = """
SELECT "key" AS meta_key, value AS meta_value,
       NULL AS id, NULL AS xid, NULL AS entity_type, NULL AS entity_id, NULL AS version
FROM server_meta WHERE "key" = :era_key OR "key" = :reference_key
UNION ALL
SELECT NULL, NULL, id, xid, entity_type, entity_id, version FROM (
    SELECT id, xid, entity_type, entity_id, version FROM change_log
    WHERE office_id = :office_id AND xid >= :xid AND (xid > :xid OR id {inclusive} :row_id){fence}
    ORDER BY xid, id LIMIT 2) AS quiet_page
"""
_quiet: dict[tuple[bool, bool], TextClause] = {}


def quiet_feed(session: Session, office_id: str, after: Cursor) -> QuietFeed:
    """Whether the feed holds the cursor's position and nothing the office may see comes after it, with the era and
    the reference version every pull answers with, in one statement: the two ``server_meta`` rows and at most two
    plain change-log rows (what :func:`read_page_held` answers through ORM entities). With a tag, the cursor's own
    row must come first, with its transaction and tag; a cursor without one (from before tags, or from an empty feed)
    holds by definition, as in :func:`holds`. ``nothing_after`` is False whenever there is more to say (a change, a
    position not held): the page is then read in full. The cursor's era is the caller's to compare."""
    tagged = after.tag is not None and after.id != 0
    postgres = session.get_bind().dialect.name == "postgresql"
    statement = _quiet.get((postgres, tagged))
    if statement is None:
        statement = _quiet[postgres, tagged] = _quiet_statement(postgres, inclusive=tagged)
    meta: dict[str, str] = {}
    rows = []
    params = {"office_id": office_id, "xid": after.xid, "row_id": after.id, "era_key": ERA_KEY,
              "reference_key": REFERENCE_KEY}
    for row in session.connection().execute(statement, params):
        if row.meta_key is not None:
            meta[row.meta_key] = row.meta_value
        else:
            rows.append(row)
    rows.sort(key=lambda r: (r.xid, r.id))  # (a union's rows come in no promised order)
    if not tagged:
        held = not rows
    else:
        held = (len(rows) == 1 and rows[0].id == after.id and rows[0].xid == after.xid
                and row_tag(rows[0]) == after.tag)
    return QuietFeed(meta.get(ERA_KEY), meta.get(REFERENCE_KEY), held)


def _quiet_statement(postgres: bool, *, inclusive: bool) -> TextClause:
    fence = f" AND xid < {_FENCE}" if postgres else ""
    return text(_QUIET_SQL.format(inclusive=">=" if inclusive else ">", fence=fence)).bindparams(
        bindparam("office_id", type_=String), bindparam("xid", type_=BigInteger),
        bindparam("row_id", type_=BigInteger), bindparam("era_key", type_=String),
        bindparam("reference_key", type_=String))


def _cut_page(session: Session, office_id: str, rows: list[ChangeLogEntry], limit: int
              ) -> tuple[list[ChangeLogEntry], bool]:
    """The page in up to ``limit + 1`` rows read after a position: ending between transactions."""
    has_more = len(rows) > limit
    if not has_more:
        return rows, False
    boundary_xid = rows[limit].xid
    page = rows[:limit]
    if page[-1].xid == boundary_xid:
        complete = [r for r in page if r.xid != boundary_xid]
        if complete:
            page = complete
        else:  # one transaction larger than a page: send it whole
            rest = session.execute(
                select(ChangeLogEntry).where(ChangeLogEntry.office_id == office_id,
                                             ChangeLogEntry.xid == boundary_xid)
                .order_by(ChangeLogEntry.id)).scalars()
            page = list(rest)
    return page, True
