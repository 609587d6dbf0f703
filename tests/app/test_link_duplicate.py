"""A likely duplicate at intake, linked instead of registered (app.services.intake.link_to_existing): one internal
note on the existing complaint's timeline holding the new account (never another reporter's identity), with its
audit record and outbox row like any note; no new complaint, no new reporter. Refused for a role that may not take
complaints in, for another office's complaint, and for an account the intake rules refuse. Synthetic data only."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain import Channel, Classification, EventKind, Role
from app.errors import NotFound, PermissionDenied, ValidationError
from app.inputs import IntakeInput, ReporterInput
from app.models import AuditRecord, Complaint, OutboxEntry, Reporter, TimelineEvent
from app.services.intake import duplicates_for, intake, link_to_existing
from sync.capture import OutboxCapture
from tests.helpers.world import World

VILLAGE = "34.04.12.2002"
FIRST = IntakeInput(
    classification=Classification.PENGADUAN, channel=Channel.WALK_IN, title="Lampu jalan padam di simpang Condong",
    description="Lampu penerangan jalan di simpang Condong padam dua minggu, rawan kecelakaan malam hari.",
    region_code=VILLAGE,
    reporter=ReporterInput(name="Warga Pertama", phone="081200000001", consent_given=True),
)
SECOND_PERSON = ReporterInput(name="Siti Aminah", nik="3404124101900002", phone="081277776666",
                              email="siti@contoh.id", address="Jl. Mawar 5, Ngaglik", consent_given=True)
AGAIN = IntakeInput(
    classification=Classification.PENGADUAN, channel=Channel.PHONE, title="Lampu jalan padam di simpang Condong",
    description="Lampu penerangan jalan di simpang Condong masih padam, rawan kecelakaan pada malam hari.",
    incident_date=date(2026, 2, 28), region_code=VILLAGE, address="simpang Condong",
    reporter=SECOND_PERSON,
)


@pytest.fixture
def w(world: World) -> World:
    world.ctx.capture = OutboxCapture(world.clock)
    return world


def _count(world: World, model: type) -> int:
    with world.store.read() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def test_linking_adds_a_note_on_the_existing_complaint_and_no_new_complaint(w: World) -> None:
    first = intake(w.ctx, w.users[Role.PETUGAS_LOKET], FIRST)
    w.clock.advance(days=2)
    complaints, reporters = _count(w, Complaint), _count(w, Reporter)
    result = link_to_existing(w.ctx, w.users[Role.ADMIN_INSTANSI], first.complaint_id, AGAIN)
    assert (result.complaint_id, result.tracking_code) == (first.complaint_id, first.tracking_code)
    assert (_count(w, Complaint), _count(w, Reporter)) == (complaints, reporters)
    with w.store.read() as s:
        event = s.get(TimelineEvent, result.event_id)
        assert event is not None and event.complaint_id == first.complaint_id and event.kind == EventKind.NOTE
        assert event.at == w.clock() and event.actor_user_id == w.users[Role.ADMIN_INSTANSI]
        text = event.text or ""
        assert json.loads(event.data_json or "{}") == {"linked_intake": {"channel": "PHONE",
                                                                         "classification": "PENGADUAN"}}
        audit = s.execute(select(AuditRecord).order_by(AuditRecord.id.desc()).limit(1)).scalar_one()
        audited = (audit.action, audit.entity_id, audit.details_json or "")
        [row] = s.execute(select(OutboxEntry).where(OutboxEntry.name == "complaint.note")).scalars()
        outbox = (json.loads(row.args_json)["event"]["id"], row.entity_id)
        complaint = s.get(Complaint, first.complaint_id)
        assert complaint is not None and complaint.local_rev == 2 and complaint.updated_at == w.clock()
    assert text.splitlines()[:4] == [
        "Laporan serupa diterima lagi (Telepon, Pengaduan) dan digabungkan ke laporan ini, tidak dicatat sebagai "
        "laporan baru.",
        "Tanggal kejadian: 28-02-2026",
        "Lokasi: simpang Condong, Minomartani (34.04.12.2002)",
        "Judul: Lampu jalan padam di simpang Condong",
    ]
    assert text.endswith(AGAIN.description)
    for personal in ("Siti", "Aminah", "3404124101900002", "081277776666", "8127777", "siti@contoh.id", "Mawar"):
        assert personal not in text and personal not in audited[2]
    assert audited[:2] == ("complaint.note", first.complaint_id)
    assert outbox == (result.event_id, first.complaint_id)


def test_a_long_account_is_cut_to_fit_a_note(w: World) -> None:
    first = intake(w.ctx, w.users[Role.PETUGAS_LOKET], FIRST)
    long = replace(AGAIN, description="Lampu padam. " * 300)
    result = link_to_existing(w.ctx, w.users[Role.ADMIN_INSTANSI], first.complaint_id, long)
    with w.store.read() as s:
        event = s.get(TimelineEvent, result.event_id)
        assert event is not None and len(event.text or "") == 4000 and (event.text or "").endswith("…")


@pytest.mark.parametrize("role", [Role.PIMPINAN, Role.IT_ADMIN])
def test_a_role_that_may_not_take_complaints_in_may_not_link(w: World, role: str) -> None:
    first = intake(w.ctx, w.users[Role.PETUGAS_LOKET], FIRST)
    notes = _count(w, TimelineEvent)
    with pytest.raises(PermissionDenied):
        link_to_existing(w.ctx, w.users[role], first.complaint_id, AGAIN)
    with pytest.raises(PermissionDenied):
        intake(w.ctx, w.users[role], AGAIN)
    with pytest.raises(PermissionDenied):
        duplicates_for(w.store, w.users[role], AGAIN, w.clock())
    assert _count(w, TimelineEvent) == notes and _count(w, OutboxEntry) == 1


def test_another_offices_complaint_and_a_bad_account_are_refused(w: World) -> None:
    theirs = intake(w.ctx, w.other_admin, replace(FIRST, region_code="51.03"))
    ours = intake(w.ctx, w.users[Role.PETUGAS_LOKET], FIRST)
    events = _count(w, TimelineEvent)
    with pytest.raises(NotFound):
        link_to_existing(w.ctx, w.users[Role.ADMIN_INSTANSI], theirs.complaint_id, AGAIN)
    bad = replace(AGAIN, title="Lampu", reporter=replace(SECOND_PERSON, nik="1234", consent_given=False))
    with pytest.raises(ValidationError) as info:
        link_to_existing(w.ctx, w.users[Role.ADMIN_INSTANSI], ours.complaint_id, bad)
    assert set(info.value.fields) == {"title", "reporter.nik", "reporter.consent_given"}
    assert _count(w, TimelineEvent) == events


def test_an_anonymous_complaints_reporter_is_not_told_by_its_phone(w: World) -> None:
    hidden = intake(w.ctx, w.users[Role.PETUGAS_LOKET], replace(FIRST, is_anonymous=True))
    w.clock.advance(days=1)
    same_phone = replace(AGAIN, reporter=replace(SECOND_PERSON, phone="0812-0000-0001"))
    [for_admin] = duplicates_for(w.store, w.users[Role.ADMIN_INSTANSI], same_phone, w.clock())
    assert for_admin.complaint_id == hidden.complaint_id and for_admin.reasons == ("phone", "text")
    [for_counter] = duplicates_for(w.store, w.users[Role.PETUGAS_LOKET], same_phone, w.clock())
    assert for_counter.reasons == ("text",)
    # A liaison is told only of their unit's complaints (app.rules.scope); this one was never dispositioned.
    assert duplicates_for(w.store, w.users[Role.PENGHUBUNG], same_phone, w.clock()) == []
    unlike = replace(same_phone, title="Pungutan liar di kantor desa",
                     description="Petugas kantor desa meminta uang untuk surat pengantar yang seharusnya gratis.")
    assert duplicates_for(w.store, w.users[Role.PETUGAS_LOKET], unlike, w.clock()) == []
    assert [d.reasons for d in duplicates_for(w.store, w.users[Role.ADMIN_INSTANSI], unlike, w.clock())] == [
        ("phone",)]
