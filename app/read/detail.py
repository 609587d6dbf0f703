"""One complaint as a person may see it: the detail panel's and the counter's view (its reporter only with the
fields the person's scope allows, app.rules.scope), its timeline and attachments. The lists are app.read.queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.domain import EventKind
from app.errors import Message, NotFound, OutOfScope
from app.models import Attachment, Category, Complaint, Reporter, TimelineEvent, Unit, User
from app.rules.scope import ADDRESS, ASSISTANCE, EMAIL, NAME, NIK, PHONE, Scope


def open_complaint(session: Session, complaint_id: str, scope: Scope) -> Complaint:
    """The complaint if ``scope`` may open it: another office's (or none) is NotFound, one of the office outside
    the scope OutOfScope saying why."""
    c = session.get(Complaint, complaint_id)
    if c is None or c.office_id != scope.office_id:
        raise NotFound(Message("Laporan tidak ditemukan.", "Complaint not found."))
    if not scope.may_open(c.office_id, c.unit_id):
        raise OutOfScope(scope.refusal())
    return c


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


def reporter_view(session: Session, c: Complaint, scope: Scope) -> ReporterView:
    """The complaint's reporter with only the fields ``scope`` may see (app.rules.scope); not read at all when it
    may see none."""
    shown = scope.reporter_fields(is_anonymous=c.is_anonymous, status=c.status)
    if not c.reporter_id or not shown:
        return ReporterView(visible=False)
    r = session.get(Reporter, c.reporter_id)
    if r is None:
        return ReporterView(visible=False)

    def field(name: str, value: str | None) -> str | None:
        return value if name in shown else None

    return ReporterView(True, field(NAME, r.name), field(NIK, r.nik), field(PHONE, r.phone), field(EMAIL, r.email),
                        field(ADDRESS, r.address), field(ASSISTANCE, r.assistance_needs))


def detail(session: Session, complaint_id: str, scope: Scope | None = None, *, viewer_role: str | None = None,
           office_id: str | None = None, viewer_unit_id: str | None = None) -> ComplaintDetail:
    """The complaint as ``scope`` may see it (or the scope of ``viewer_role`` in ``office_id``, with the
    liaison's ``viewer_unit_id``: a liaison without it, or an unknown role, sees nothing). NotFound for another
    office's complaint, OutOfScope for one of the office the scope may not open."""
    if scope is None:
        if office_id is None:
            raise TypeError("detail() needs the viewer's scope (or viewer_role and office_id)")
        scope = Scope(office_id, viewer_role or "", viewer_unit_id)
    c = open_complaint(session, complaint_id, scope)
    reporter = reporter_view(session, c, scope)
    actor = aliased(User)
    events = [
        EventView(e.id, e.kind, e.at, name, e.from_status, e.to_status, e.text, e.data_json)
        for e, name in session.execute(
            select(TimelineEvent, actor.full_name)
            .outerjoin(actor, actor.id == TimelineEvent.actor_user_id)
            .where(TimelineEvent.complaint_id == c.id)
            # Nothing happens to a complaint before its receipt, whatever clock dated a step (a PC's clock
            # behind the one that took it in; the server moves such a time when the step reaches it).
            .order_by(TimelineEvent.kind != EventKind.RECEIVED, TimelineEvent.at, TimelineEvent.id)
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
