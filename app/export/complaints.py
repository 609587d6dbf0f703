"""The complaint list as export rows: the rows the window's list shows for a filter (app.read.queries' filter and
sort, the same WHERE and ORDER BY), with more of each complaint's facts, each column typed, and privacy applied here.

Privacy, decided in this module and nowhere else for the list export:
- no reporter's personal data (name, NIK, phone, e-mail, address) unless ``include_personal`` (the service lets only
  an office administrator ask, and audits it); even then never an anonymous reporter's identity (app.rules.privacy:
  it never leaves in exports) and never the reporter of a confidential complaint;
- of a confidential (rahasia) complaint only its bookkeeping: code, dates, status, classification, channel, category,
  unit, district, deadlines. Its content — title, description, location address, coordinates and village — never,
  with or without personal data (a village and a category can be enough to point at a person).

Speed: one SQL statement read row by row from the driver, no ORM object per row; datetimes arrive as the stored text
and are converted once (100,000 rows in about a second, bench/export.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Integer, Select, String, and_, func, type_coerce
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from app.domain import ArchiveReason, Channel, Classification, DeadlineKind, DeadlineState, Status
from app.errors import Message
from app.export.table import Column, Kind
from app.models import Category, Complaint, Region, Reporter, Unit
from app.read import queries
from app.read.queries import ComplaintFilter
from app.reference.labels import label
from app.rules.scope import Scope
from app.timeutil import OFFICE_ZONES, zone

CONFIDENTIAL_TITLE = Message("(dirahasiakan)", "(confidential)")
DISTRICT_CODE_LENGTH = len("34.04.12")
MAX_SQL_IDS = 30_000  # SQLite's default limit is 32,766 parameters in one statement


@dataclass(frozen=True)
class _Col:
    header: Message
    kind: Kind = Kind.TEXT
    width: float = 16
    zoned: bool = False  # a time: the header names the office's zone


COLUMNS: tuple[_Col, ...] = (
    _Col(Message("Kode pelacakan", "Tracking code"), width=20),
    _Col(Message("Nomor LAPOR! nasional", "National LAPOR! number"), width=18),
    _Col(Message("Diterima", "Received"), Kind.DATETIME, 17, zoned=True),
    _Col(Message("Klasifikasi", "Classification"), width=18),
    _Col(Message("Kanal", "Channel"), width=16),
    _Col(Message("Kategori", "Category"), width=28),
    _Col(Message("Unit kerja", "Unit"), width=26),
    _Col(Message("Status", "Status"), width=18),
    _Col(Message("Judul", "Title"), width=48),
    _Col(Message("Uraian", "Description"), width=60),
    _Col(Message("Tanggal kejadian", "Incident date"), Kind.DATE, 12),
    _Col(Message("Kode wilayah", "Region code"), width=14),
    _Col(Message("Kecamatan", "District"), width=18),
    _Col(Message("Desa/kelurahan", "Village"), width=18),
    _Col(Message("Alamat lokasi", "Location address"), width=32),
    _Col(Message("Lintang", "Latitude"), Kind.FLOAT, 10),
    _Col(Message("Bujur", "Longitude"), Kind.FLOAT, 10),
    _Col(Message("Berkadar pengawasan", "Supervisory"), Kind.BOOL, 11),
    _Col(Message("Anonim", "Anonymous"), Kind.BOOL, 10),
    _Col(Message("Rahasia", "Confidential"), Kind.BOOL, 10),
    _Col(Message("Didisposisikan", "Dispositioned"), Kind.DATETIME, 17, zoned=True),
    _Col(Message("Ditindaklanjuti", "Followed up"), Kind.DATETIME, 17, zoned=True),
    _Col(Message("Ditutup", "Closed"), Kind.DATETIME, 17, zoned=True),
    _Col(Message("Tenggat berikutnya", "Next deadline"), Kind.DATETIME, 17, zoned=True),
    _Col(Message("Jenis tenggat", "Deadline for"), width=20),
    _Col(Message("Keadaan tenggat", "Deadline state"), width=18),
    _Col(Message("Tenggat penyelesaian", "Resolution deadline"), Kind.DATETIME, 17, zoned=True),
    _Col(Message("Alasan arsip", "Archive reason"), width=16),
)
PERSONAL_COLUMNS: tuple[_Col, ...] = (
    _Col(Message("Nama pelapor", "Reporter's name"), width=26),
    _Col(Message("NIK pelapor", "Reporter's NIK"), width=18),
    _Col(Message("Telepon pelapor", "Reporter's phone"), width=16),
    _Col(Message("E-mail pelapor", "Reporter's e-mail"), width=26),
    _Col(Message("Alamat pelapor", "Reporter's address"), width=32),
)


def zone_label(tz: str) -> str:
    """``WIB`` for Asia/Jakarta (and for WIB), else the zone's own name."""
    for short, name in OFFICE_ZONES.items():
        if tz in (short, name):
            return short
    return tz


def columns(lang: str, tz: str, *, include_personal: bool) -> list[Column]:
    """The export's columns in ``lang``; times are headed with the office's zone ("Diterima (WIB)")."""
    zone_name = zone_label(tz)
    wanted = COLUMNS + (PERSONAL_COLUMNS if include_personal else ())
    return [Column(f"{c.header.text(lang)} ({zone_name})" if c.zoned else c.header.text(lang), c.kind, c.width)
            for c in wanted]


@dataclass(frozen=True)
class ListQuery:
    """Which complaints, in which order: the list's filter, one of app.read.queries.SORTS, reversed or not; within
    ``scope`` (who exports: app.rules.scope), or the whole office for the program's own export."""

    office_id: str
    filter: ComplaintFilter
    sort: str = "received_asc"
    reverse: bool = False
    scope: Scope | None = None


def _reversed(clauses: Sequence[ColumnElement[Any]]) -> list[ColumnElement[Any]]:
    flipped: list[ColumnElement[Any]] = []
    for clause in clauses:
        assert isinstance(clause, UnaryExpression), clause
        inner = clause.element
        flipped.append(inner.desc() if clause.modifier is operators.asc_op else inner.asc())
    return flipped


def split_ids(q: ListQuery) -> tuple[ListQuery, frozenset[str] | None]:
    """``q`` and None; or, when its id set is more than SQLite takes as parameters (a dashboard figure's
    complaints of a big office's year), ``q`` without the ids and the ids to keep from its rows (as the list does)."""
    ids = q.filter.ids
    if ids is None or len(ids) <= MAX_SQL_IDS:
        return q, None
    return replace(q, filter=replace(q.filter, ids=None)), frozenset(ids)


def list_statement(q: ListQuery, selected: Sequence[Any], *, now: datetime, due_soon: timedelta) -> Select[Any]:
    """``selected`` over the complaints the list shows for ``q`` in its order: app.read.queries' own statement
    (its WHERE clause and parameters, its ORDER BY) with these columns instead of the id. ``q`` holds at most
    :data:`MAX_SQL_IDS` ids (see :func:`split_ids`)."""
    base = queries.ids_query(q.scope or Scope.whole_office(q.office_id), q.filter, sort=q.sort, now=now,
                             due_soon=due_soon)
    statement = base.with_only_columns(*selected).select_from(Complaint)
    if q.reverse:
        statement = statement.order_by(None).order_by(*_reversed(queries.SORTS[q.sort]))
    return statement


def _raw(column: Any, as_type: Any = String) -> Any:
    """The column as SQLite stores it (the stored text of a time, 0/1): converted here, once, faster."""
    return type_coerce(column, as_type)


@dataclass
class RowCounts:
    """What the rows held, counted while they are read (the export's notes and audit record say it)."""

    rows: int = 0
    confidential: int = 0
    identities: int = 0  # rows that carry a reporter's identity


def _labels(enum: type[StrEnum], lang: str) -> dict[str, str]:
    return {member.value: label(member, lang) for member in enum}


def complaint_rows(session: Session, q: ListQuery, *, lang: str, tz: str, now: datetime, due_soon: timedelta,
                   include_personal: bool, counts: RowCounts | None = None) -> Iterator[tuple[Any, ...]]:
    """The export rows of ``q``, in :func:`columns` order, read one by one (a generator: keep the session open
    while it runs). ``counts`` is filled as they go."""
    counts = counts if counts is not None else RowCounts()
    q, wanted = split_ids(q)
    village, district = aliased(Region), aliased(Region)
    selected: list[Any] = [
        Complaint.tracking_code, Complaint.national_tracking_id, _raw(Complaint.received_at),
        Complaint.classification, Complaint.channel, Category.name, Category.name_en, Unit.name, Complaint.status,
        Complaint.title, Complaint.description, _raw(Complaint.incident_date), Complaint.region_code,
        district.name, village.name, Complaint.address, Complaint.latitude, Complaint.longitude,
        _raw(Complaint.is_supervisory, Integer), _raw(Complaint.is_anonymous, Integer),
        _raw(Complaint.is_confidential, Integer), _raw(Complaint.disposed_at), _raw(Complaint.followed_up_at),
        _raw(Complaint.closed_at), _raw(Complaint.next_due_at), Complaint.next_due_kind,
        _raw(Complaint.resolution_due_at), Complaint.archive_reason]
    if include_personal:
        selected += [Reporter.name, Reporter.nik, Reporter.phone, Reporter.email, Reporter.address]
    selected.append(Complaint.id)  # last: only to keep the rows of an id set too long for SQL
    statement = (list_statement(q, selected, now=now, due_soon=due_soon)
                 .outerjoin(Category, Category.id == Complaint.category_id)
                 .outerjoin(Unit, Unit.id == Complaint.unit_id)
                 .outerjoin(village, and_(village.code == Complaint.region_code, village.level == 4))
                 .outerjoin(district, and_(
                     district.code == func.substr(Complaint.region_code, 1, DISTRICT_CODE_LENGTH),
                     district.level == 3)))
    if include_personal:
        statement = statement.outerjoin(Reporter, Reporter.id == Complaint.reporter_id)
    now = now.astimezone(UTC)
    soon = now + due_soon
    statuses, classes, channels = _labels(Status, lang), _labels(Classification, lang), _labels(Channel, lang)
    due_kinds, reasons, states = _labels(DeadlineKind, lang), _labels(ArchiveReason, lang), _labels(DeadlineState, lang)
    hidden_title = CONFIDENTIAL_TITLE.text(lang)
    english = lang.startswith("en")
    local = _local_time(zone(tz))
    no_identity = (None,) * len(PERSONAL_COLUMNS)
    for r in session.connection().execute(statement):
        if wanted is not None and r[-1] not in wanted:
            continue
        confidential = bool(r[20])
        due_text = r[24]
        due = None if due_text is None else datetime.fromisoformat(due_text + "+00:00")
        if due is None:
            state = DeadlineState.NONE
        elif now > due:
            state = DeadlineState.OVERDUE
        elif due <= soon:
            state = DeadlineState.DUE_SOON
        else:
            state = DeadlineState.ON_TIME
        region = r[12]
        row: tuple[Any, ...] = (
            r[0], r[1], local(r[2]), classes.get(r[3], r[3]), channels.get(r[4], r[4]),
            (r[6] or r[5]) if english else r[5], r[7], statuses.get(r[8], r[8]),
            hidden_title if confidential else r[9],
            None if confidential else r[10],
            None if r[11] is None else date.fromisoformat(r[11]),
            region[:DISTRICT_CODE_LENGTH] if confidential and region else region,
            r[13],
            None if confidential else r[14],
            None if confidential else r[15],
            None if confidential else r[16],
            None if confidential else r[17],
            bool(r[18]), bool(r[19]), confidential,
            local(r[21]), local(r[22]), local(r[23]), None if due is None else local(due_text),
            due_kinds.get(r[25], r[25]) if r[25] else None, states[state], local(r[26]),
            reasons.get(r[27], r[27]) if r[27] else None)
        if include_personal:
            identity = r[28:33]
            if confidential or r[19] or not any(identity):
                identity = no_identity
            else:
                counts.identities += 1
            row += tuple(identity)
        counts.rows += 1
        counts.confidential += confidential
        yield row


def _local_time(tz: ZoneInfo) -> Any:
    """Stored UTC text → the office's local time, naive (what a spreadsheet can hold)."""

    def convert(text: str | None) -> datetime | None:
        if text is None:
            return None
        return datetime.fromisoformat(text + "+00:00").astimezone(tz).replace(tzinfo=None)

    return convert
