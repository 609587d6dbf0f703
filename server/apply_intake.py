"""A complaint taken in on a PC: stored once (a re-push after an era change finds it there), under the desktop's own
intake rules, so a modified client cannot store what the app refuses.

A citizen's complaint is never refused for a soft rule: an incident date a few days after the server's today (a PC
whose clock runs ahead says that is "today") is kept and flagged for the office. Only hard rules refuse (a missing
title, an invalid NIK, ...); the PC then keeps the complaint and shows the refusal until someone fixes and resends
it or withdraws it. Times are dated by the server's clock (:func:`server.apply_common.server_time`).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import EventKind, Role, Status
from app.ids import new_id
from server import serialize
from server.apply_common import (
    AFTER,
    Rejected,
    add_event,
    bump,
    event_as_sent,
    mutation_result,
    office_today,
    server_time,
)
from server.auth import DeviceIdentity
from server.models import Complaint, Reporter, User
from sync.protocol import (
    ComplaintData,
    EventData,
    IntakeArgs,
    Mutation,
    MutationResult,
    MutationStatus,
    ReporterData,
)

# An incident date up to this far after the server's today is accepted (and flagged); later is refused.
INCIDENT_DATE_TOLERANCE = timedelta(days=7)
FUTURE_INCIDENT_FLAG = "incident_date_after_today"


def apply_intake(session: Session, device: DeviceIdentity, m: Mutation, user: User | None,
            now: datetime) -> MutationResult:
    args = IntakeArgs.model_validate(m.args)
    data = args.complaint
    if data.id != m.entity_id:
        raise Rejected("bad_arguments", "Id laporan pada argumen tidak sama dengan entity_id.")
    existing = session.get(Complaint, data.id)
    if existing is not None:  # re-pushed after an era change: the complaint is already here
        if existing.office_id != device.office_id and existing.created_by_client != device.client_id:
            raise Rejected("not_found", "Laporan dengan id ini milik instansi lain.")
        return mutation_result(m, MutationStatus.APPLIED, existing)
    if user is None or user.role not in (Role.ADMIN_INSTANSI, Role.PETUGAS_LOKET, Role.PENGHUBUNG):
        raise Rejected("permission_denied", "Peran ini tidak boleh menerima laporan.")
    if session.execute(select(Complaint.id).where(Complaint.tracking_code == data.tracking_code)).first():
        raise Rejected("duplicate_tracking_code", "Kode pelacakan ini sudah dipakai laporan lain.")
    if data.status != Status.BELUM_TERVERIFIKASI:
        raise Rejected("bad_arguments", "Laporan baru harus berstatus BELUM_TERVERIFIKASI.")
    today = office_today(session, device.office_id, now)
    _validate_intake(data.model_dump(), args.reporter.model_dump() if args.reporter else None, today=today)
    if args.reporter is not None and session.get(Reporter, args.reporter.id) is None:
        r = args.reporter
        consent_at = server_time(r.consent_at, now) if r.consent_at is not None else None
        session.add(Reporter(id=r.id, name=r.name, nik=r.nik, phone=r.phone, email=r.email, address=r.address,
                             assistance_needs=r.assistance_needs, consent_at=consent_at))
        session.flush()  # no ORM relationship orders the inserts: the reporter must exist before its complaint
    c = Complaint(
        id=data.id, office_id=device.office_id, tracking_code=data.tracking_code,
        classification=data.classification, category_id=data.category_id, title=data.title,
        description=data.description,
        incident_date=date.fromisoformat(data.incident_date) if data.incident_date else None,
        region_code=data.region_code, address=data.address, latitude=data.latitude, longitude=data.longitude,
        channel=data.channel, is_anonymous=data.is_anonymous, is_confidential=data.is_confidential,
        is_supervisory=data.is_supervisory, reporter_id=args.reporter.id if args.reporter else None,
        status=Status.BELUM_TERVERIFIKASI, received_at=server_time(data.received_at, now), updated_at=now,
        version=0, field_versions="{}", created_by_client=device.client_id,
    )
    session.add(c)
    session.flush()
    bump(session, c, now)
    added = add_event(session, c, args.event, now)
    flagged = c.incident_date is not None and c.incident_date > today
    if flagged:
        add_event(session, c, _future_incident_note(c, today, now), now, from_client=False)
    as_sent = added and not flagged and event_as_sent(session, c, args.event) and _stored_as_sent(session, c, args)
    return mutation_result(m, MutationStatus.APPLIED, c, as_sent=as_sent)


def _future_incident_note(c: Complaint, today: date, now: datetime) -> EventData:
    """A NOTE on the timeline for the office: the incident date is after the server's today (the PC's clock or the
    date typed is wrong). Right after the RECEIVED event."""
    assert c.incident_date is not None
    text = (f"Tanggal kejadian {c.incident_date:%d-%m-%Y} lebih lambat dari tanggal server saat laporan diterima "
            f"({today:%d-%m-%Y}). Laporan tetap diterima; periksa tanggal kejadian bersama pelapor dan jam PC "
            "yang mencatatnya.")
    data = {"flag": FUTURE_INCIDENT_FLAG, "incident_date": c.incident_date.isoformat(),
            "server_date": today.isoformat()}
    return EventData(id=new_id(), complaint_id=c.id, kind=EventKind.NOTE, at=max(now, c.received_at) + AFTER,
                     text=text, data_json=json.dumps(data, sort_keys=True))


def _stored_as_sent(session: Session, c: Complaint, args: IntakeArgs) -> bool:
    """The new complaint and its reporter as stored are what the PC sent (the server fills no field the PC left
    out, and keeps a reporter it already had)."""
    server_side = {"office_id", "version", "updated_at"}
    stored = ComplaintData.model_validate(serialize.complaint(c, None))
    if stored.model_dump(exclude=server_side) != args.complaint.model_dump(exclude=server_side):
        return False
    if args.reporter is None:
        return True
    reporter = session.get(Reporter, args.reporter.id)
    return reporter is not None and ReporterData.model_validate(serialize.reporter_dict(reporter)) == args.reporter


def _validate_intake(complaint: dict[str, Any], reporter: dict[str, Any] | None, *, today: date) -> None:
    """The desktop's own intake rules (app.rules.validation), so a modified client cannot store what the app refuses;
    ``today`` is the server's date in the office's zone. The incident date is checked on its own: after today is
    a soft rule (up to :data:`INCIDENT_DATE_TOLERANCE`, flagged by the caller), too far back a hard one."""
    from app.errors import ValidationError
    from app.inputs import IntakeInput, ReporterInput
    from app.rules.validation import FieldInvalid, incident_date, validate_intake

    rep = None
    if reporter is not None:
        rep = ReporterInput(name=reporter.get("name") or "", nik=reporter.get("nik"), phone=reporter.get("phone"),
                            email=reporter.get("email"), address=reporter.get("address"),
                            assistance_needs=reporter.get("assistance_needs"),
                            consent_given=reporter.get("consent_at") is not None)
    inp = IntakeInput(
        classification=complaint["classification"], channel=complaint["channel"], title=complaint["title"],
        description=complaint["description"], category_id=complaint.get("category_id"),
        incident_date=date.fromisoformat(complaint["incident_date"]) if complaint.get("incident_date") else None,
        region_code=complaint.get("region_code"), address=complaint.get("address"),
        latitude=complaint.get("latitude"), longitude=complaint.get("longitude"),
        is_anonymous=complaint.get("is_anonymous", False), is_confidential=complaint.get("is_confidential", False),
        is_supervisory=complaint.get("is_supervisory", False), reporter=rep,
    )
    try:
        validate_intake(replace(inp, incident_date=None), today=today)
    except ValidationError as exc:
        raise Rejected("validation", str(exc)) from exc
    day = inp.incident_date
    if day is None:
        return
    if day > today + INCIDENT_DATE_TOLERANCE:
        raise Rejected("validation", f"Tanggal kejadian {day:%d-%m-%Y} lebih dari "
                       f"{INCIDENT_DATE_TOLERANCE.days} hari setelah tanggal server ({today:%d-%m-%Y}); periksa "
                       "tanggal kejadian dan jam PC, lalu kirim ulang.")
    try:
        incident_date(min(day, today), today=today)  # not too far back (the date itself is checked above)
    except FieldInvalid as exc:
        raise Rejected("validation", f"Data tidak valid — incident_date: {exc.message.id}") from exc

