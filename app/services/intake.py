"""Intake: a new complaint from any channel, with its reporter, first timeline event and tracking code."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.capture import Mutation
from app.domain import Channel, Classification, EventKind, Role, Status
from app.errors import Message, NotFound, StoreError, ValidationError
from app.ids import new_id
from app.inputs import IntakeInput
from app.models import Complaint, Office, Reporter, TimelineEvent
from app.read.duplicates import LikelyDuplicate, likely_duplicates
from app.read.search import index_new_complaint
from app.reference.labels import label
from app.reference.regions import all_region_codes, district_codes, get_region, regency_code4
from app.rules import tracking
from app.rules.privacy import can_see_anonymous
from app.rules.records import NOTE_TEXT
from app.rules.scope import Reach, Scope
from app.rules.sla import DeadlineFacts, compute_deadlines
from app.rules.validation import validate_intake
from app.rules.workflow import clean_text
from app.services.common import add_event, record_complaint_change, touch
from app.services.context import ServiceContext, dumps, load_actor, load_complaint
from app.store import meta, tracking_floor
from app.store.audit import append_audit_row
from app.store.db import Store
from app.store.transactions import SqlCursor, TableInsert, sql_cursor
from app.timeutil import server_now, zone

INTAKE_ROLES = (Role.ADMIN_INSTANSI, Role.PETUGAS_LOKET, Role.PENGHUBUNG)
DUPLICATES_SHOWN = 5


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


def _no_device_number() -> StoreError:
    return StoreError(
        Message(
            "PC ini belum memiliki nomor perangkat. Daftarkan PC ini (enrol) atau jalankan mode demo.",
            "This PC has no device number yet. Enrol it or start the demo.",
        )
    )


# Intake is the counter's busiest write: its statements are prebuilt SQL on the driver cursor of the write transaction
# (app.store.transactions.sql_cursor) instead of ORM objects and three flushes. The rows are the ones the ORM writes for
# the same values (tests/app/test_intake_rows.py), and so are the search document, the audit record and the captured
# mutation (tests/app/test_services.py).
_ACTOR = "SELECT role, office_id, active FROM users WHERE id = ?"
_OFFICE = "SELECT region_code, tz FROM offices WHERE id = ?"
_CATEGORY = "SELECT 1 FROM categories WHERE id = ?"
_META = "SELECT key, value FROM store_meta WHERE key IN (?, ?, ?)"
_SEQ_UPDATE = "UPDATE store_meta SET value = ? WHERE key = ?"
_SEQ_INSERT = "INSERT INTO store_meta (key, value) VALUES (?, ?)"
# The rows intake writes, as inserts built from the tables' columns (app.store.transactions.TableInsert): a column
# intake does not give gets its Python-side default as through the ORM, and every value its column type's storage form.
REPORTER_COLUMNS = ("id", "name", "nik", "phone", "email", "address", "assistance_needs", "consent_at")
COMPLAINT_COLUMNS = (
    "id", "office_id", "tracking_code", "classification", "category_id", "title", "description", "incident_date",
    "region_code", "address", "latitude", "longitude", "channel", "is_anonymous", "is_confidential",
    "is_supervisory", "reporter_id", "status", "received_at", "updated_at", "created_by", "step_due_at",
    "step_due_kind", "resolution_due_at", "next_due_at", "next_due_kind", "local_rev",
)
EVENT_COLUMNS = ("id", "complaint_id", "kind", "at", "actor_user_id", "to_status", "data_json")
_REPORTER = TableInsert(Reporter.__table__, REPORTER_COLUMNS)
_COMPLAINT = TableInsert(Complaint.__table__, COMPLAINT_COLUMNS)
_EVENT = TableInsert(TimelineEvent.__table__, EVENT_COLUMNS)


def next_tracking_code(cursor: SqlCursor, region_code: str, store_path: Path | None) -> tuple[str, str | None]:
    """The next tracking code (taking this device's next sequence number, above every one this PC issued even if
    its store was put back from an older copy: app.store.tracking_floor, noted once the intake commits, so a failed
    intake leaves no gap) and the device label, if set."""
    found = dict(cursor.rows(_META, (meta.DEVICE_NO, meta.TRACKING_SEQ, meta.DEVICE_LABEL)))
    device = found.get(meta.DEVICE_NO)
    if device is None:
        raise _no_device_number()
    seq = max(int(found.get(meta.TRACKING_SEQ) or 0), tracking_floor.floor(store_path)) + 1
    if meta.TRACKING_SEQ in found:
        cursor.run(_SEQ_UPDATE, (str(seq), meta.TRACKING_SEQ))
    else:
        cursor.run(_SEQ_INSERT, (meta.TRACKING_SEQ, str(seq)))
    return tracking.make_code(regency_code4(region_code), int(device), seq), found.get(meta.DEVICE_LABEL)


def intake(
    ctx: ServiceContext, actor_id: str, inp: IntakeInput, *, received_at: datetime | None = None
) -> IntakeResult:
    """Register a complaint in one transaction; raises ValidationError listing every bad field."""
    now = ctx.clock()
    with ctx.store.transaction() as session:
        cursor = sql_cursor(session)
        actor = cursor.first(_ACTOR, (actor_id,))
        if actor is None or not actor[2] or actor[0] not in INTAKE_ROLES:
            office_id = load_actor(session, actor_id, INTAKE_ROLES).office_id  # raises, saying why
        else:
            office_id = actor[1]
        office = cursor.first(_OFFICE, (office_id,))
        assert office is not None
        region_code, office_tz = office
        # "Not in the future": whichever is later of the PC's date and the server's as this PC knows it. A PC
        # clock behind must not refuse today's date; one ahead must not refuse the date it shows (the server
        # accepts and flags a date a little ahead of its own).
        today = max(now, server_now(session, now)).astimezone(zone(office_tz)).date()
        data = validate_intake(inp, today=today)
        if data.category_id is not None and cursor.first(_CATEGORY, (data.category_id,)) is None:
            raise ValidationError({"category_id": Message("Kategori tidak dikenal.", "Unknown category.")})
        at = received_at or now
        reporter = data.reporter if data.reporter is not None and _has_identity(data) else None
        reporter_id = new_id() if reporter is not None else None
        complaint_id = new_id()
        code, device_label = next_tracking_code(cursor, region_code, ctx.store.path)
        if reporter is not None:
            cursor.run(_REPORTER.sql, _REPORTER.params({
                "id": reporter_id, "name": reporter.name, "nik": reporter.nik, "phone": reporter.phone,
                "email": reporter.email, "address": reporter.address, "assistance_needs": reporter.assistance_needs,
                "consent_at": now if reporter.consent_given else None}))
        policy, calendar = ctx.rules(session)
        due = compute_deadlines(
            DeadlineFacts(Status.BELUM_TERVERIFIKASI, data.classification, data.is_supervisory, at),
            policy, calendar, ctx.office_tz(session, office_id),
        )
        cursor.run(_COMPLAINT.sql, _COMPLAINT.params({
            "id": complaint_id, "office_id": office_id, "tracking_code": code,
            "classification": data.classification, "category_id": data.category_id, "title": data.title,
            "description": data.description, "incident_date": data.incident_date, "region_code": data.region_code,
            "address": data.address, "latitude": data.latitude, "longitude": data.longitude, "channel": data.channel,
            "is_anonymous": data.is_anonymous, "is_confidential": data.is_confidential,
            "is_supervisory": data.is_supervisory, "reporter_id": reporter_id, "status": Status.BELUM_TERVERIFIKASI,
            "received_at": at, "updated_at": now, "created_by": actor_id, "step_due_at": due.step_due_at,
            "step_due_kind": due.step_due_kind, "resolution_due_at": due.resolution_due_at,
            "next_due_at": due.next_due_at, "next_due_kind": due.next_due_kind, "local_rev": 1}))
        cursor.run(_EVENT.sql, _EVENT.params({
            "id": new_id(), "complaint_id": complaint_id, "kind": EventKind.RECEIVED, "at": at,
            "actor_user_id": actor_id, "to_status": Status.BELUM_TERVERIFIKASI,
            "data_json": dumps({"channel": data.channel})}))
        index_new_complaint(cursor, complaint_id, tracking_code=code, title=data.title,
                            description=data.description, reporter_name=reporter.name if reporter else "",
                            is_anonymous=data.is_anonymous)
        details = {"tracking_code": code, "channel": data.channel}
        append_audit_row(cursor, at=ctx.clock(), user_id=actor_id, device=device_label or ctx.device_label,
                         action="complaint.intake", entity_type="complaint", entity_id=complaint_id,
                         details=details)
        ctx.capture.capture(session, Mutation(name="complaint.intake", entity_type="complaint",
                                              entity_id=complaint_id, base_version=0, args=dict(details),
                                              user_id=actor_id))
    tracking_floor.remember(ctx.store.path, tracking.parse(code).seq)
    return IntakeResult(complaint_id, code, at)


# ---- what the intake form needs (read on the database thread when it opens) ----------------------------------------


@dataclass(frozen=True)
class IntakeOffice:
    """The office a form takes complaints in for: its region (the region picker starts at its regency) and zone
    (the date "today" is the office's)."""

    region_code: str
    tz: str


def intake_office(store: Store, office_id: str) -> IntakeOffice:
    """The office's facts, and the validation's look-up tables loaded (the region and district lists, read from
    the bundled file once per process), so the form's checks as the person types never wait for them."""
    all_region_codes()
    district_codes()
    with store.read() as session:
        office = session.get(Office, office_id)
        if office is None:
            raise NotFound(Message("Instansi tidak ditemukan.", "Office not found."))
        return IntakeOffice(office.region_code, office.tz)


# ---- a likely duplicate at intake: shown to the officer, who links the new account or registers it anew ---------


@dataclass(frozen=True)
class LinkResult:
    """The existing complaint a new account was added to, and the timeline entry that holds it."""

    complaint_id: str
    tracking_code: str
    event_id: str


def duplicates_for(store: Store, actor_id: str, inp: IntakeInput, now: datetime) -> list[LikelyDuplicate]:
    """The likely duplicates (app.read.duplicates) of ``inp`` the acting officer may be shown. For an anonymous
    complaint, "the same NIK or phone" would tell who its reporter is: it is said only to roles that may see an
    anonymous reporter's identity; to others such a complaint shows only for its text, if at all."""
    with store.read() as session:
        actor = load_actor(session, actor_id, INTAKE_ROLES)
        found = likely_duplicates(session, actor.office_id, inp, now, limit=DUPLICATES_SHOWN * 2)
        scope = Scope.of(actor)
        if found and scope.reach != Reach.OFFICE:  # a liaison is told only of complaints they may open
            units = {cid: unit for cid, unit in session.execute(select(Complaint.id, Complaint.unit_id).where(
                Complaint.id.in_([d.complaint_id for d in found])))}
            found = [d for d in found if scope.may_open(actor.office_id, units.get(d.complaint_id))]
        if can_see_anonymous(actor.role) or not found:
            return found[:DUPLICATES_SHOWN]
        anonymous = set(session.execute(select(Complaint.id).where(
            Complaint.id.in_([d.complaint_id for d in found]), Complaint.is_anonymous.is_(True))).scalars())
    shown = []
    for d in found:
        reasons = tuple(r for r in d.reasons if r == "text") if d.complaint_id in anonymous else d.reasons
        if reasons:
            shown.append(dataclasses.replace(d, reasons=reasons))
    return shown[:DUPLICATES_SHOWN]


def link_note_text(data: IntakeInput, region_name: str | None = None) -> str:
    """The timeline note that holds a linked account (in Indonesian, the product's language, as stored data is):
    how it came in and what it says, never who said it. The reporter's name, NIK, phone, e-mail and address stay
    out of a text every staff member reads and that syncs: a different person's identity is not recorded on
    another person's complaint."""
    lines = [f"Laporan serupa diterima lagi ({label(Channel(data.channel))}, "
             f"{label(Classification(data.classification))}) dan digabungkan ke laporan ini, tidak dicatat sebagai "
             "laporan baru."]
    if data.incident_date is not None:
        lines.append("Tanggal kejadian: " + data.incident_date.strftime("%d-%m-%Y"))
    region = f"{region_name} ({data.region_code})" if region_name and data.region_code else data.region_code
    place = ", ".join(p for p in (data.address, region) if p)
    if place:
        lines.append("Lokasi: " + " ".join(place.split()))
    lines.append("Judul: " + data.title)
    head = "\n".join(lines) + "\n\n"
    room = NOTE_TEXT.max_len - len(head)
    body = data.description if len(data.description) <= room else data.description[: room - 1] + "…"
    return head + body


def link_to_existing(ctx: ServiceContext, actor_id: str, complaint_id: str, inp: IntakeInput) -> LinkResult:
    """Add a new account to an existing complaint instead of registering it: one transaction, an internal note on
    the existing complaint's timeline (its audit record and captured change as any note's, so it syncs like one)
    holding the account (:func:`link_note_text`). The account is checked by the intake rules first, as if it
    were registered. The officer must be one who may take complaints in."""
    now = ctx.clock()
    with ctx.store.transaction() as session:
        actor = load_actor(session, actor_id, INTAKE_ROLES)
        complaint = load_complaint(session, actor, complaint_id)
        office_tz = ctx.office_tz(session, actor.office_id)
        today = max(now, server_now(session, now)).astimezone(zone(office_tz)).date()
        data = validate_intake(inp, today=today)
        region = get_region(session, data.region_code) if data.region_code else None
        text = clean_text(link_note_text(data, region.name if region else None), NOTE_TEXT)
        event = add_event(session, complaint, kind=EventKind.NOTE, at=now, actor=actor, text=text,
                          data={"linked_intake": {"channel": data.channel, "classification": data.classification}})
        touch(complaint, now)
        record_complaint_change(
            ctx, session, complaint, actor, action="complaint.note", args={"event_id": event.id, "text": text},
            audit_details={"event": EventKind.NOTE, "linked_intake": True, "channel": data.channel},
        )
        return LinkResult(complaint.id, complaint.tracking_code, event.id)
