"""Intake: a new complaint from any channel, with its reporter, first timeline event and tracking code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from app import meta, tracking
from app.domain import EventKind, Role, Status
from app.errors import Message, StoreError, ValidationError
from app.ids import new_id
from app.inputs import IntakeInput
from app.models import Category, Complaint, Office, Reporter
from app.reference.regions import regency_code4
from app.search import index_complaint
from app.services.common import add_event, record_complaint_change, refresh_deadlines, touch
from app.services.context import ServiceContext, load_actor
from app.timeutil import zone
from app.validation import validate_intake

INTAKE_ROLES = (Role.ADMIN_INSTANSI, Role.PETUGAS_LOKET, Role.PENGHUBUNG)


@dataclass(frozen=True)
class IntakeResult:
    complaint_id: str
    tracking_code: str
    received_at: datetime


def _has_identity(data: IntakeInput) -> bool:
    """A named reporter is always stored; an anonymous one only if they left any personal data."""
    r = data.reporter
    if r is None:
        return False
    if not data.is_anonymous:
        return True
    return any((r.name, r.nik, r.phone, r.email, r.address, r.assistance_needs))


def new_tracking_code(session: Session, office: Office) -> str:
    device = meta.get(session, meta.DEVICE_NO)
    if device is None:
        raise StoreError(
            Message(
                "PC ini belum memiliki nomor perangkat. Daftarkan PC ini (enrol) atau jalankan mode demo.",
                "This PC has no device number yet. Enrol it or start the demo.",
            )
        )
    return tracking.make_code(regency_code4(office.region_code), int(device), meta.next_tracking_seq(session))


def intake(
    ctx: ServiceContext, actor_id: str, inp: IntakeInput, *, received_at: datetime | None = None
) -> IntakeResult:
    """Register a complaint in one transaction; raises ValidationError listing every bad field."""
    now = ctx.clock()
    with ctx.store.transaction() as session:
        actor = load_actor(session, actor_id, INTAKE_ROLES)
        office = session.get(Office, actor.office_id)
        assert office is not None
        today = now.astimezone(zone(office.tz)).date()
        data = validate_intake(inp, today=today)
        if data.category_id is not None and session.get(Category, data.category_id) is None:
            raise ValidationError({"category_id": Message("Kategori tidak dikenal.", "Unknown category.")})
        at = received_at or now
        reporter_id = None
        if data.reporter is not None and _has_identity(data):
            r = data.reporter
            reporter = Reporter(
                id=new_id(),
                name=r.name,
                nik=r.nik,
                phone=r.phone,
                email=r.email,
                address=r.address,
                assistance_needs=r.assistance_needs,
                consent_at=now if r.consent_given else None,
            )
            session.add(reporter)
            reporter_id = reporter.id
        complaint = Complaint(
            id=new_id(),
            office_id=office.id,
            tracking_code=new_tracking_code(session, office),
            classification=data.classification,
            category_id=data.category_id,
            title=data.title,
            description=data.description,
            incident_date=data.incident_date,
            region_code=data.region_code,
            address=data.address,
            latitude=data.latitude,
            longitude=data.longitude,
            channel=data.channel,
            is_anonymous=data.is_anonymous,
            is_confidential=data.is_confidential,
            is_supervisory=data.is_supervisory,
            reporter_id=reporter_id,
            status=Status.BELUM_TERVERIFIKASI,
            received_at=at,
            created_by=actor.id,
            server_version=0,
            local_rev=0,
        )
        touch(complaint, now)
        refresh_deadlines(ctx, session, complaint)
        session.add(complaint)
        add_event(
            session,
            complaint,
            kind=EventKind.RECEIVED,
            at=at,
            actor=actor,
            to_status=Status.BELUM_TERVERIFIKASI,
            data={"channel": data.channel},
        )
        index_complaint(session, complaint.id)
        record_complaint_change(
            ctx,
            session,
            complaint,
            actor,
            action="complaint.intake",
            args={"tracking_code": complaint.tracking_code, "channel": data.channel},
            audit_details={"tracking_code": complaint.tracking_code, "channel": data.channel},
        )
        return IntakeResult(complaint.id, complaint.tracking_code, at)
