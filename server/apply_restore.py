"""``complaint.restore``: after the server was restored from an older backup, a PC gives back what it holds and the
server lost — a whole complaint (a national complaint routed after the backup, an intake whose PC is gone), or
timeline entries and attachments of a complaint the server has. Only while the restore window is open
(server.state); ids are held to the office like every other mutation (server.trust).

What the server holds stays as it is: fields and status of a complaint it has are its own (the PCs' re-pushed
changes already replayed there), and children merge by id. A timeline entry the server refused after the restore
(a TRANSITION_REJECTED event names it) is not taken back: the PC drops it, so every PC shows the same timeline.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import ArchiveReason, Channel, Classification, EventKind, Status
from app.errors import LaporError
from app.ids import new_id
from app.reference.regions import regency_code4
from app.rules import tracking
from server import changelog, national
from server.apply_common import KNOWN_KEY, Known, Rejected, add_event, bump, mutation_result
from server.auth import DeviceIdentity
from server.models import Attachment, Complaint, Device, Office, Reporter, TimelineEvent
from server.state import restore_window_open
from sync.protocol import ComplaintData, EventData, Mutation, MutationResult, MutationStatus, ReporterData, RestoreArgs


def apply_restore(session: Session, device: DeviceIdentity, m: Mutation, now: datetime) -> MutationResult:
    if not restore_window_open(session, now):
        raise Rejected("restore_not_expected", "Server tidak sedang dipulihkan dari cadangan; data tidak diterima "
                                               "kembali.")
    args = RestoreArgs.model_validate(m.args)
    if args.complaint.id != m.entity_id:
        raise Rejected("bad_arguments", "Id laporan pada argumen tidak sama dengan entity_id.")
    c = session.get(Complaint, m.entity_id, with_for_update=True)
    created = c is None
    if c is None:
        c = _recreate(session, device.office_id, args.complaint, args.reporter, now)
    elif c.office_id != device.office_id:
        raise Rejected("not_found", "Laporan tidak ada di instansi ini (mungkin sudah dialihkan).")
    refused = refused_steps(session, c.id)
    added = 0
    for event in sorted(args.events, key=lambda e: (e.at, e.id)):
        if event.id in refused or _names_a_held_step(session, c.id, event):
            continue  # a server never holds both a step and its refusal
        if add_event(session, c, event, now, from_client=False):
            added += 1
            if event.kind == EventKind.TRANSITION_REJECTED:
                refused = refused_steps(session, c.id)
    for a in args.attachments:
        if session.get(Attachment, a.id) is None:
            session.add(Attachment(id=a.id, complaint_id=c.id, event_id=a.event_id, sha256=a.sha256,
                                   filename=a.filename, mime_type=a.mime_type, size=a.size,
                                   created_at=a.created_at, created_by=a.created_by, version=1))
            changelog.record(session, office_id=device.office_id, entity_type="attachment", entity_id=a.id,
                             op="upsert", version=1, now=now)
            added += 1
    if added and not created:
        bump(session, c, now)
    session.flush()
    return mutation_result(m, MutationStatus.APPLIED if created or added else MutationStatus.MERGED, c,
                           code=None if created or added else "already_there")


def _recreate(session: Session, office_id: str, data: ComplaintData, reporter: ReporterData | None,
              now: datetime) -> Complaint:
    if (data.status not in Status.__members__ or data.classification not in Classification.__members__
            or data.channel not in Channel.__members__
            or (data.archive_reason is not None and data.archive_reason not in ArchiveReason.__members__)):
        raise Rejected("bad_arguments", "Status, klasifikasi, kanal atau alasan arsip tidak dikenal.")
    code = data.tracking_code
    recoded_from: str | None = None
    if session.execute(select(Complaint.id).where(Complaint.tracking_code == code)).first():
        if _maker(session, code) is not None or not _national(code):
            raise Rejected("duplicate_tracking_code", "Kode pelacakan ini sudah dipakai laporan lain.")
        # A national code the restored server issued again meanwhile: the complaint given back gets a new one.
        recoded_from, code = code, national.next_national_code(session, data.region_code)
    else:
        national.note_given_back_code(session, code)
    if reporter is not None and session.get(Reporter, reporter.id) is None:
        session.add(Reporter(id=reporter.id, name=reporter.name, nik=reporter.nik, phone=reporter.phone,
                             email=reporter.email, address=reporter.address,
                             assistance_needs=reporter.assistance_needs, consent_at=reporter.consent_at))
        session.flush()
    c = Complaint(
        id=data.id, office_id=office_id, tracking_code=code,
        national_tracking_id=data.national_tracking_id, classification=data.classification,
        category_id=data.category_id, title=data.title, description=data.description,
        incident_date=date.fromisoformat(data.incident_date) if data.incident_date else None,
        region_code=data.region_code, address=data.address, latitude=data.latitude, longitude=data.longitude,
        channel=data.channel, is_anonymous=data.is_anonymous, is_confidential=data.is_confidential,
        is_supervisory=data.is_supervisory, reporter_id=reporter.id if reporter else None, unit_id=data.unit_id,
        status=data.status, archive_reason=data.archive_reason, received_at=data.received_at,
        disposed_at=data.disposed_at, followed_up_at=data.followed_up_at, postponed_at=data.postponed_at,
        closed_at=data.closed_at, updated_at=now, version=data.version, field_versions="{}",
        created_by_client=_maker(session, data.tracking_code),
    )
    session.add(c)
    session.flush()
    bump(session, c, now)
    if recoded_from is not None:
        add_event(session, c, EventData(
            id=new_id(), complaint_id=c.id, kind=EventKind.NOTE, at=now,
            text=f"Kode pelacakan diganti dari {recoded_from} menjadi {code}: setelah server dipulihkan dari "
                 "cadangan, kode lama diberikan lagi kepada laporan lain. Beri tahu pelapor kode barunya.",
            data_json=json.dumps({"tracking_code_changed": {"from": recoded_from, "to": code}})), now,
            from_client=False)
    return c


def _national(code: str) -> bool:
    try:
        return tracking.parse(code).device == tracking.NATIONAL_DEVICE
    except LaporError:
        return False


def _maker(session: Session, code: str) -> str | None:
    """The PC that made a tracking code (its office's region and its device number are in it), so that PC's own
    intake, sent again after the restore, is answered as its own wherever the complaint went."""
    try:
        parsed = tracking.parse(code)
    except LaporError:
        return None
    if parsed.device == tracking.NATIONAL_DEVICE:
        return None
    for office_id, region in session.execute(select(Office.id, Office.region_code)):
        if regency_code4(region) == parsed.region:
            return session.execute(select(Device.client_id).where(
                Device.office_id == office_id, Device.device_no == parsed.device)).scalar()
    return None


def _names_a_held_step(session: Session, complaint_id: str, event: EventData) -> bool:
    """A refusal given back whose step the restored server has since applied (sent again in another order)."""
    if event.kind != EventKind.TRANSITION_REJECTED:
        return False
    original = _original(event.data_json)
    held = session.get(TimelineEvent, original) if original else None
    return held is not None and held.complaint_id == complaint_id


def _original(data_json: str | None) -> str | None:
    try:
        original = json.loads(data_json or "{}").get("original_event_id")
    except (ValueError, AttributeError):
        return None
    return original if isinstance(original, str) else None


def refused_steps(session: Session, complaint_id: str) -> set[str]:
    """Ids of timeline entries whose step the server refused (named by its TRANSITION_REJECTED events); inside a
    push run, as the run read them for all its complaints at once (server.apply_batch)."""
    known: Known | None = session.info.get(KNOWN_KEY)
    if known is not None and complaint_id in known.refused:
        return known.refused[complaint_id]
    return {original for raw in session.execute(select(TimelineEvent.data_json).where(
        TimelineEvent.complaint_id == complaint_id, TimelineEvent.kind == EventKind.TRANSITION_REJECTED)).scalars()
        if (original := _original(raw))}


def refused_steps_of(session: Session, complaint_ids: Iterable[str]) -> dict[str, set[str]]:
    """:func:`refused_steps` of many complaints in one query."""
    ids = sorted(set(complaint_ids))
    refused: dict[str, set[str]] = {cid: set() for cid in ids}
    if ids:
        for cid, raw in session.execute(select(TimelineEvent.complaint_id, TimelineEvent.data_json).where(
                TimelineEvent.complaint_id.in_(ids), TimelineEvent.kind == EventKind.TRANSITION_REJECTED)):
            if original := _original(raw):
                refused[cid].add(original)
    return refused
