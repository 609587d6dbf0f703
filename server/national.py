"""The national side of the workflow: complaints arriving online and the national admin's routing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import Channel, EventKind, Status
from app.errors import LaporError, ValidationError
from app.ids import new_id
from app.inputs import IntakeInput, ReporterInput
from app.reference.regions import regency_code4
from app.rules import tracking
from app.rules.validation import validate_intake
from server import blob_access, changelog
from server.apply_common import add_event, bump
from server.errors import ApiError
from server.models import Attachment, Complaint, Office, Reporter, TimelineEvent
from server.state import NATIONAL_SEQ_KEY, meta_row
from sync.protocol import EventData

ROUTABLE = frozenset({Status.BUKAN_WEWENANG, Status.BELUM_TERVERIFIKASI})


def next_national_code(session: Session, region_code: str | None) -> str:
    """The next national tracking code, never one a complaint already has (after a restore from an older backup
    the counter is behind the codes PCs give back)."""
    row = meta_row(session, NATIONAL_SEQ_KEY, "0", for_update=True)
    region = regency_code4(region_code) if region_code else "0000"
    seq = int(row.value)
    while True:
        seq += 1
        code = tracking.make_code(region, tracking.NATIONAL_DEVICE, seq)
        if session.execute(select(Complaint.id).where(Complaint.tracking_code == code)).first() is None:
            row.value = str(seq)
            return code



def note_given_back_code(session: Session, code: str) -> None:
    """A national complaint given back after a restore: the counter moves past its code."""
    try:
        parsed = tracking.parse(code)
    except LaporError:
        return
    if parsed.device != tracking.NATIONAL_DEVICE:
        return
    row = meta_row(session, NATIONAL_SEQ_KEY, "0", for_update=True)
    row.value = str(max(int(row.value), parsed.seq))


def create_online_complaint(session: Session, inp: IntakeInput, now: datetime,
                            office_id: str | None = None) -> Complaint:
    """A complaint filed by a citizen on the LAPOR! web or app; unrouted until the national admin routes it."""
    try:
        data = validate_intake(inp, today=now.date())
    except ValidationError as exc:
        raise ApiError(422, "validation", str(exc), exc.message.en,
                       details={k: v.id for k, v in exc.fields.items()}) from exc
    reporter_id = None
    if data.reporter is not None:
        r = data.reporter
        reporter = Reporter(id=new_id(), name=r.name, nik=r.nik, phone=r.phone, email=r.email, address=r.address,
                            assistance_needs=r.assistance_needs, consent_at=now if r.consent_given else None)
        session.add(reporter)
        session.flush()  # no ORM relationship orders the inserts: the reporter must exist before its complaint
        reporter_id = reporter.id
    c = Complaint(
        id=new_id(), office_id=None, tracking_code=next_national_code(session, data.region_code),
        classification=data.classification, category_id=data.category_id, title=data.title,
        description=data.description, incident_date=data.incident_date, region_code=data.region_code,
        address=data.address, latitude=data.latitude, longitude=data.longitude, channel=data.channel,
        is_anonymous=data.is_anonymous, is_confidential=data.is_confidential, is_supervisory=data.is_supervisory,
        reporter_id=reporter_id, status=Status.BELUM_TERVERIFIKASI, received_at=now, updated_at=now, version=1,
        field_versions="{}",
    )
    session.add(c)
    session.flush()
    session.add(TimelineEvent(id=new_id(), complaint_id=c.id, kind=EventKind.RECEIVED, at=now,
                              to_status=Status.BELUM_TERVERIFIKASI, data_json='{"channel":"LAPOR_ONLINE"}',
                              version=1))
    if office_id:
        route(session, c.id, office_id, now, note=None)
    return c


def route(session: Session, complaint_id: str, office_id: str, now: datetime, note: str | None) -> Complaint:
    """Send a complaint to an office (first routing, or re-routing one an office redirected as bukan wewenang).
    The old office sees it leave its scope; the new one receives it whole, with timeline and attachments."""
    c = session.get(Complaint, complaint_id, with_for_update=True)
    if c is None:
        raise ApiError(404, "not_found", "Laporan tidak ditemukan.", "Complaint not found.")
    office = session.get(Office, office_id)
    if office is None:
        raise ApiError(422, "unknown_office", "Instansi tujuan tidak dikenal.", "Unknown target office.")
    if c.office_id == office_id:
        return c
    if c.status not in ROUTABLE:
        raise ApiError(409, "not_routable",
                       "Hanya laporan baru atau yang dialihkan (bukan wewenang) yang dapat dirutekan ulang.",
                       "Only new or redirected (bukan wewenang) complaints can be routed.")
    old_office = c.office_id
    if old_office:
        c.version += 1
        changelog.record(session, office_id=old_office, entity_type="complaint", entity_id=c.id, op="scope_exit",
                         version=c.version, now=now)
    previous = c.status
    c.office_id = office_id
    c.status = Status.BELUM_TERVERIFIKASI
    c.unit_id = None
    bump(session, c, now)  # the complaint first: the new office must know it before its events arrive
    routed = EventData(id=new_id(), complaint_id=c.id, kind=EventKind.ROUTED, at=now, from_status=previous,
                       to_status=Status.BELUM_TERVERIFIKASI, text=note, data_json='{"routed_by":"national"}')
    add_event(session, c, routed, now)
    session.flush()
    for event_id in session.execute(select(TimelineEvent.id).where(TimelineEvent.complaint_id == c.id,
                                                                   TimelineEvent.id != routed.id)).scalars():
        changelog.record(session, office_id=office_id, entity_type="event", entity_id=event_id, op="upsert",
                         version=1, now=now)
    files = session.execute(select(Attachment.id, Attachment.sha256).where(Attachment.complaint_id == c.id)).all()
    for att_id, _sha in files:
        changelog.record(session, office_id=office_id, entity_type="attachment", entity_id=att_id, op="upsert",
                         version=1, now=now)
    # The new office may read the files the old one sent (and only those: a hash it merely named gives nothing).
    blob_access.share_with(session, old_office, office_id, (sha for _id, sha in files), now)
    return c


def online_input(payload: dict[str, object]) -> IntakeInput:
    """Build the intake record of an online complaint (channel LAPOR_ONLINE) from the API's body."""
    rep = payload.get("reporter")
    reporter = ReporterInput(**rep) if isinstance(rep, dict) else None
    fields = {k: v for k, v in payload.items() if k != "reporter"}
    fields["channel"] = Channel.LAPOR_ONLINE
    return IntakeInput(reporter=reporter, **fields)  # type: ignore[arg-type]
