"""Read side for lists and details: ids and rows for the office's complaint list, counts for navigation,
a complaint's detail with the reporter shown only as the privacy rules allow, and tracking-code look-up.

Sorting and filtering happen in SQL; lists order by expressions that match the store's indexes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, select
from sqlalchemy.orm import Session, aliased

from app import tracking
from app.domain import OPEN_STATUSES, DeadlineState
from app.errors import Message, NotFound
from app.models import Attachment, Category, Complaint, Reporter, TimelineEvent, Unit, User
from app.privacy import can_see_reporter
from app.timeutil import zone

# Must read exactly as in the ix_complaints_office_*_due indexes so SQLite can walk them in order.
DUE_SORT: ColumnElement[Any] = literal_column("coalesce(complaints.next_due_at, '9999-12-31')")

SORTS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "deadline": (DUE_SORT.asc(), Complaint.id.asc()),
    "received": (Complaint.received_at.desc(), Complaint.id.desc()),
    "received_asc": (Complaint.received_at.asc(), Complaint.id.asc()),
    "tracking_code": (Complaint.tracking_code.asc(),),
    "status": (Complaint.status.asc(), DUE_SORT.asc(), Complaint.id.asc()),
    "title": (Complaint.title.asc(), Complaint.id.asc()),
}


@dataclass(frozen=True)
class ComplaintFilter:
    """What the list shows. Empty fields filter nothing."""

    statuses: tuple[str, ...] = ()
    category_id: str | None = None
    unit_id: str | None = None
    channel: str | None = None
    received_from: date | None = None  # calendar days in the office's zone ``tz``
    received_to: date | None = None
    tz: str = "Asia/Jakarta"
    deadline_state: str | None = None  # DeadlineState value
    ids: tuple[str, ...] | None = None  # e.g. full-text search results


@dataclass(frozen=True)
class ComplaintRow:
    id: str
    tracking_code: str
    title: str
    category: str | None
    unit: str | None
    status: str
    channel: str
    received_at: datetime
    next_due_at: datetime | None
    next_due_kind: str | None


def _where(office_id: str, f: ComplaintFilter, now: datetime, due_soon: timedelta) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [Complaint.office_id == office_id]
    if f.statuses:
        conds.append(Complaint.status.in_(f.statuses))
    if f.category_id:
        sub = select(Category.id).where(Category.parent_id == f.category_id)
        conds.append((Complaint.category_id == f.category_id) | Complaint.category_id.in_(sub))
    if f.unit_id:
        conds.append(Complaint.unit_id == f.unit_id)
    if f.channel:
        conds.append(Complaint.channel == f.channel)
    if f.received_from:
        conds.append(Complaint.received_at >= datetime.combine(f.received_from, time.min, zone(f.tz)))
    if f.received_to:
        conds.append(Complaint.received_at < datetime.combine(f.received_to + timedelta(days=1), time.min,
                                                              zone(f.tz)))
    if f.deadline_state == DeadlineState.OVERDUE:
        conds.append(Complaint.next_due_at < now)
    elif f.deadline_state == DeadlineState.DUE_SOON:
        conds.append(and_(Complaint.next_due_at >= now, Complaint.next_due_at <= now + due_soon))
    elif f.deadline_state == DeadlineState.ON_TIME:
        conds.append(Complaint.next_due_at > now + due_soon)
    elif f.deadline_state == DeadlineState.NONE:
        conds.append(Complaint.next_due_at.is_(None))
    if f.ids is not None:
        conds.append(Complaint.id.in_(f.ids))
    return conds


def ids_query(office_id: str, f: ComplaintFilter, *, sort: str, now: datetime,
              due_soon: timedelta) -> Select:
    return select(Complaint.id).where(*_where(office_id, f, now, due_soon)).order_by(*SORTS[sort])


def list_ids(session: Session, office_id: str, f: ComplaintFilter, *, sort: str = "deadline",
             now: datetime, due_soon: timedelta = timedelta(hours=48)) -> list[str]:
    """Every matching id in display order (a list of 100,000 short strings is cheap; rows load lazily)."""
    return [str(i) for i in session.execute(ids_query(office_id, f, sort=sort, now=now, due_soon=due_soon)).scalars()]


def count(session: Session, office_id: str, f: ComplaintFilter, *, now: datetime,
          due_soon: timedelta = timedelta(hours=48)) -> int:
    q = select(func.count()).select_from(Complaint).where(*_where(office_id, f, now, due_soon))
    return int(session.execute(q).scalar() or 0)


def _row_select() -> Select:
    return (
        select(Complaint.id, Complaint.tracking_code, Complaint.title, Category.name, Unit.name,
               Complaint.status, Complaint.channel, Complaint.received_at, Complaint.next_due_at,
               Complaint.next_due_kind)
        .outerjoin(Category, Category.id == Complaint.category_id)
        .outerjoin(Unit, Unit.id == Complaint.unit_id)
    )


def page(session: Session, office_id: str, f: ComplaintFilter, *, sort: str = "deadline", now: datetime,
         limit: int = 100, offset: int = 0, due_soon: timedelta = timedelta(hours=48)) -> list[ComplaintRow]:
    """One page of rows, in display order."""
    q = _row_select().where(*_where(office_id, f, now, due_soon)).order_by(*SORTS[sort]).limit(limit)
    if offset:
        q = q.offset(offset)
    return [ComplaintRow(*r) for r in session.execute(q)]


def rows_by_id(session: Session, ids: list[str]) -> dict[str, ComplaintRow]:
    """Rows for a batch of ids (the list model's lazy cache fills from this)."""
    if not ids:
        return {}
    return {r[0]: ComplaintRow(*r) for r in session.execute(_row_select().where(Complaint.id.in_(ids)))}


def status_counts(session: Session, office_id: str) -> dict[str, int]:
    q = select(Complaint.status, func.count()).where(Complaint.office_id == office_id).group_by(Complaint.status)
    return {status: n for status, n in session.execute(q)}


def overdue_count(session: Session, office_id: str, now: datetime) -> int:
    q = select(func.count()).where(Complaint.office_id == office_id, Complaint.status.in_(OPEN_STATUSES),
                                   Complaint.next_due_at < now)
    return int(session.execute(q).scalar() or 0)


def find_by_code(session: Session, typed: str, office_id: str | None = None) -> str:
    """The complaint id for a typed tracking code. A wrong check digit raises MistypedCode (say "check the
    receipt"); a well-formed code that is not here raises NotFound."""
    code = tracking.parse(typed)
    q = select(Complaint.id).where(Complaint.tracking_code == str(code))
    if office_id:
        q = q.where(Complaint.office_id == office_id)
    found = session.execute(q).scalar()
    if found is None:
        raise NotFound(Message(
            f"Tidak ada laporan dengan kode {code}. Kode ini benar secara format, tetapi belum tercatat di PC ini.",
            f"No complaint has the code {code}. The code is well-formed but not recorded on this PC."))
    return found


@dataclass(frozen=True)
class ReporterView:
    visible: bool
    name: str | None = None
    nik: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    assistance_needs: str | None = None


@dataclass(frozen=True)
class EventView:
    id: str
    kind: str
    at: datetime
    actor: str | None
    from_status: str | None
    to_status: str | None
    text: str | None
    data_json: str | None


@dataclass(frozen=True)
class AttachmentView:
    id: str
    filename: str
    mime_type: str
    size: int
    sha256: str
    blob_present: bool


@dataclass(frozen=True)
class ComplaintDetail:
    id: str
    tracking_code: str
    status: str
    classification: str
    channel: str
    title: str
    description: str
    category: str | None
    category_id: str | None
    unit: str | None
    unit_id: str | None
    region_code: str | None
    address: str | None
    latitude: float | None
    longitude: float | None
    incident_date: date | None
    is_anonymous: bool
    is_confidential: bool
    is_supervisory: bool
    received_at: datetime
    step_due_at: datetime | None
    step_due_kind: str | None
    resolution_due_at: datetime | None
    next_due_at: datetime | None
    archive_reason: str | None
    reporter: ReporterView
    events: list[EventView] = field(default_factory=list)
    attachments: list[AttachmentView] = field(default_factory=list)


def detail(session: Session, complaint_id: str, *, viewer_role: str, office_id: str) -> ComplaintDetail:
    c = session.get(Complaint, complaint_id)
    if c is None or c.office_id != office_id:
        raise NotFound(Message("Laporan tidak ditemukan.", "Complaint not found."))
    reporter = ReporterView(visible=False)
    if c.reporter_id and can_see_reporter(viewer_role, is_anonymous=c.is_anonymous):
        r = session.get(Reporter, c.reporter_id)
        if r is not None:
            reporter = ReporterView(True, r.name, r.nik, r.phone, r.email, r.address, r.assistance_needs)
    actor = aliased(User)
    events = [
        EventView(e.id, e.kind, e.at, name, e.from_status, e.to_status, e.text, e.data_json)
        for e, name in session.execute(
            select(TimelineEvent, actor.full_name)
            .outerjoin(actor, actor.id == TimelineEvent.actor_user_id)
            .where(TimelineEvent.complaint_id == c.id)
            .order_by(TimelineEvent.at, TimelineEvent.id)
        )
    ]
    attachments = [
        AttachmentView(a.id, a.filename, a.mime_type, a.size, a.sha256, a.blob_present)
        for a in session.execute(
            select(Attachment).where(Attachment.complaint_id == c.id).order_by(Attachment.created_at)
        ).scalars()
    ]
    category = session.get(Category, c.category_id) if c.category_id else None
    unit = session.get(Unit, c.unit_id) if c.unit_id else None
    return ComplaintDetail(
        c.id, c.tracking_code, c.status, c.classification, c.channel, c.title, c.description,
        category.name if category else None, c.category_id, unit.name if unit else None, c.unit_id,
        c.region_code, c.address, c.latitude, c.longitude, c.incident_date, c.is_anonymous,
        c.is_confidential, c.is_supervisory, c.received_at, c.step_due_at, c.step_due_kind,
        c.resolution_due_at, c.next_due_at, c.archive_reason, reporter, events, attachments,
    )
