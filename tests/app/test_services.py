"""Every service through the real store: what each one writes (status, timeline, deadlines, audit, capture),
who may call it, and that a refused or invalid call leaves nothing behind."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

import pytest
from sqlalchemy import select, text

from app import services
from app.capture import RecordingCapture
from app.domain import ArchiveReason, Channel, Classification, DeadlineKind, EventKind, Role, Status
from app.errors import InvalidTransition, LaporError, NotFound, PermissionDenied, ValidationError
from app.inputs import IntakeInput, ReporterInput
from app.models import AuditRecord, Complaint, Reporter, TimelineEvent
from app.read.search import index_complaint, search_ids
from app.rules import sla, tracking
from app.rules.records import MAX_ATTACHMENT_BYTES
from app.services import ComplaintEdit
from app.store.audit import verify_chain
from tests.helpers.world import World

# These tests read the query layer for the whole office on purpose (a bare office id; app.rules.scope).
pytestmark = pytest.mark.filterwarnings("ignore::app.rules.scope.UnscopedRead")

ADMIN, LIAISON, COUNTER, LEAD, IT = (
    Role.ADMIN_INSTANSI, Role.PENGHUBUNG, Role.PETUGAS_LOKET, Role.PIMPINAN, Role.IT_ADMIN,
)
OTHER_LIAISON = "PENGHUBUNG_OTHER_UNIT"
PU = "Dinas Pekerjaan Umum"
TZ = "Asia/Jakarta"
START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # the FakeClock's start: Monday 09:00 WIB
REASON = "Menunggu klarifikasi dari pelapor"
FOLLOW_UP = "Jalan sudah ditambal oleh tim PU pada hari Selasa."
DESCRIPTION = "Lampu penerangan di sepanjang jalan desa padam sejak dua minggu terakhir."

E = TypeVar("E", bound=LaporError)

STEP_OF: dict[str, tuple[DeadlineKind, str]] = {
    Status.BELUM_TERVERIFIKASI: (DeadlineKind.VERIFICATION, "received_at"),
    Status.DIDISPOSISIKAN: (DeadlineKind.FOLLOW_UP, "disposed_at"),
    Status.DITINDAKLANJUTI: (DeadlineKind.RESPONSE_WINDOW, "followed_up_at"),
    Status.DITUNDA: (DeadlineKind.CLARIFICATION, "postponed_at"),
}


@pytest.fixture
def w(world: World) -> World:
    """The world with a capture hook that remembers every mutation."""
    world.ctx.capture = RecordingCapture()
    return world


# ---- reading the store back ------------------------------------------------------------------------------


def complaint(world: World, cid: str) -> SimpleNamespace:
    with world.store.read() as s:
        c = s.get(Complaint, cid)
        assert c is not None
        return SimpleNamespace(**{col.key: getattr(c, col.key) for col in Complaint.__table__.columns})


def events(world: World, cid: str) -> list[SimpleNamespace]:
    with world.store.read() as s:
        rows = s.execute(
            select(TimelineEvent).where(TimelineEvent.complaint_id == cid)
            .order_by(TimelineEvent.at, TimelineEvent.id)
        ).scalars()
        return [
            SimpleNamespace(kind=e.kind, at=e.at, actor=e.actor_user_id, from_status=e.from_status,
                            to_status=e.to_status, text=e.text,
                            data=json.loads(e.data_json) if e.data_json else None)
            for e in rows
        ]


def last_audit(world: World) -> AuditRecord:
    with world.store.read() as s:
        record = s.execute(select(AuditRecord).order_by(AuditRecord.id.desc()).limit(1)).scalar_one()
        s.expunge(record)
        return record


SNAPSHOT_TABLES = ("complaints", "reporters", "timeline_events", "audit_log", "attachments",
                   "complaint_search_docs", "store_meta", "users", "units")


def snapshot(world: World) -> dict[str, Any]:
    """Everything a service could write: the tables' full contents, the search index, blobs, captures."""
    with world.store.read() as s:
        data: dict[str, Any] = {
            t: [tuple(r) for r in s.execute(text(f"SELECT * FROM {t} ORDER BY 1"))] for t in SNAPSHOT_TABLES
        }
        data["complaint_fts"] = [tuple(r) for r in s.execute(text("SELECT rowid, * FROM complaint_fts"))]
    blob_dir = world.ctx.blob_dir
    assert blob_dir is not None
    data["blobs"] = sorted(str(p.relative_to(blob_dir)) for p in blob_dir.rglob("*")) if blob_dir.exists() else []
    capture = world.ctx.capture
    data["mutations"] = len(capture.mutations) if isinstance(capture, RecordingCapture) else None
    return data


def refused(world: World, error: type[E], call: Callable[[], object]) -> E:
    """``call`` raises ``error`` and leaves the store, the blob folder and the capture hook as they were."""
    before = snapshot(world)
    with pytest.raises(error) as info:
        call()
    after = snapshot(world)
    for key in before:
        assert after[key] == before[key], f"{key} changed by a refused call"
    return info.value


def check_deadlines(world: World, cid: str) -> SimpleNamespace:
    """The stored deadlines are those of the complaint's status, started by the right fact."""
    c = complaint(world, cid)
    if c.status not in STEP_OF:
        assert (c.step_due_at, c.step_due_kind, c.resolution_due_at, c.next_due_at, c.next_due_kind) == (
            None, None, None, None, None)
        return c
    kind, start = STEP_OF[c.status]
    policy = sla.SlaPolicy.bundled()
    with world.store.read() as s:
        calendar = sla.load_calendar(s)
    step = sla.due_at(getattr(c, start), policy.step_period(kind), calendar, TZ)
    resolution = sla.due_at(c.received_at, policy.resolution_period(c.classification, c.is_supervisory),
                            calendar, TZ)
    assert c.step_due_kind == kind
    assert c.step_due_at == step
    assert c.resolution_due_at == resolution
    assert c.next_due_at == min(step, resolution)
    assert c.next_due_kind == (kind if step <= resolution else DeadlineKind.RESOLUTION)
    return c


# ---- getting a complaint to a status ---------------------------------------------------------------------


def at_status(world: World, status: Status, **kw: Any) -> str:
    u, ctx = world.users, world.ctx
    cid = world.new_complaint(**kw)
    if status == Status.BELUM_TERVERIFIKASI:
        return cid
    if status == Status.DITUNDA:
        services.postpone(ctx, u[ADMIN], cid, reason=REASON)
    elif status == Status.BUKAN_WEWENANG:
        services.redirect(ctx, u[ADMIN], cid, reason="Kewenangan pemerintah provinsi")
    elif status == Status.DIARSIPKAN:
        services.archive(ctx, u[ADMIN], cid, reason_code=ArchiveReason.DUPLIKAT)
    else:
        services.dispose(ctx, u[ADMIN], cid, unit_id=world.units[PU])
        if status in (Status.DITINDAKLANJUTI, Status.SELESAI):
            services.follow_up(ctx, u[LIAISON], cid, text=FOLLOW_UP)
        if status == Status.SELESAI:
            services.close(ctx, u[ADMIN], cid)
    assert complaint(world, cid).status == status
    return cid


def evidence(world: World, name: str = "bukti.pdf", content: bytes = b"%PDF-1.4 bukti foto jalan") -> Path:
    folder = world.ctx.blob_dir.parent / "incoming"  # type: ignore[union-attr]
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


Action = Callable[[World, str, str], object]

# name -> (status it starts from, the call as (world, actor id, complaint id))
ACTIONS: dict[str, tuple[Status, Action]] = {
    "dispose": (Status.BELUM_TERVERIFIKASI,
                lambda w, a, c: services.dispose(w.ctx, a, c, unit_id=w.units[PU])),
    "postpone": (Status.BELUM_TERVERIFIKASI, lambda w, a, c: services.postpone(w.ctx, a, c, reason=REASON)),
    "resume": (Status.DITUNDA, lambda w, a, c: services.resume(w.ctx, a, c, note="Pelapor sudah menjelaskan")),
    "redirect": (Status.BELUM_TERVERIFIKASI,
                 lambda w, a, c: services.redirect(w.ctx, a, c, reason="Kewenangan pemerintah provinsi")),
    "archive": (Status.BELUM_TERVERIFIKASI,
                lambda w, a, c: services.archive(w.ctx, a, c, reason_code=ArchiveReason.SPAM)),
    "unarchive": (Status.DIARSIPKAN,
                  lambda w, a, c: services.unarchive(w.ctx, a, c, reason="Ternyata bukan duplikat")),
    "follow_up": (Status.DIDISPOSISIKAN, lambda w, a, c: services.follow_up(w.ctx, a, c, text=FOLLOW_UP)),
    "response_satisfied": (Status.DITINDAKLANJUTI,
                           lambda w, a, c: services.record_response(w.ctx, a, c, satisfied=True)),
    "response_not_satisfied": (Status.DITINDAKLANJUTI, lambda w, a, c: services.record_response(
        w.ctx, a, c, satisfied=False, text="Tambalan sudah rusak lagi")),
    "close": (Status.DITINDAKLANJUTI, lambda w, a, c: services.close(w.ctx, a, c)),
    "reopen": (Status.SELESAI, lambda w, a, c: services.reopen(w.ctx, a, c, reason="Pelapor keberatan")),
    "add_note": (Status.BELUM_TERVERIFIKASI, lambda w, a, c: services.add_note(w.ctx, a, c, text="Catatan")),
    "edit_complaint": (Status.BELUM_TERVERIFIKASI, lambda w, a, c: services.edit_complaint(
        w.ctx, a, c, ComplaintEdit(title="Lampu jalan padam di depan pasar"))),
    "attach_file": (Status.BELUM_TERVERIFIKASI,
                    lambda w, a, c: services.attach_file(w.ctx, a, c, evidence(w))),
}


@pytest.mark.parametrize("name", list(ACTIONS))
def test_every_action_is_guarded_then_works(w: World, name: str) -> None:
    """IT staff may do nothing to a complaint; another office's admin does not even see it; our admin may."""
    start, act = ACTIONS[name]
    cid = at_status(w, start)
    evidence(w)  # the source file exists before the snapshots
    refused(w, PermissionDenied, lambda: act(w, w.users[IT], cid))
    err = refused(w, NotFound, lambda: act(w, w.other_admin, cid))
    assert err.message.id == "Laporan tidak ditemukan."
    before = snapshot(w)
    act(w, w.users[ADMIN], cid)
    after = snapshot(w)
    assert len(after["audit_log"]) == len(before["audit_log"]) + 1
    assert after["mutations"] == before["mutations"] + 1
    assert len(after["timeline_events"]) == len(before["timeline_events"]) + 1
    record = last_audit(w)
    assert record.user_id == w.users[ADMIN] and record.entity_id == cid and record.device == "test-pc"
    mutation = w.ctx.capture.mutations[-1]
    assert mutation.entity_id == cid and mutation.user_id == w.users[ADMIN] and mutation.name == record.action


def test_intake_refused_for_it_staff_and_leadership(w: World) -> None:
    for role in (IT, LEAD):
        refused(w, PermissionDenied, lambda r=role: w.new_complaint(by=r))


# ---- intake ----------------------------------------------------------------------------------------------

CONTACT: dict[Channel, dict[str, str]] = {
    Channel.WALK_IN: {"phone": "081234567890"},
    Channel.PHONE: {"phone": "0274-123456"},
    Channel.LETTER: {"address": "Jl. Contoh Raya No. 1, Sleman"},
    Channel.EMAIL: {"email": "pelapor.uji@contoh.id"},
    Channel.LAPOR_ONLINE: {"email": "pelapor.uji@contoh.id"},
    Channel.SOCIAL_MEDIA: {"phone": "081234567890"},
    Channel.SMS: {"phone": "081234567890"},
}


def intake_input(channel: str = Channel.WALK_IN, *, anonymous: bool = False, **kw: Any) -> IntakeInput:
    reporter = kw.pop("reporter", ReporterInput(name="Pelapor Uji Coba", consent_given=True,
                                                **CONTACT[Channel(channel)]))
    fields: dict[str, Any] = dict(classification=Classification.PENGADUAN, channel=channel,
                                  title="Lampu jalan padam di dusun", description=DESCRIPTION,
                                  is_anonymous=anonymous, reporter=reporter)
    fields.update(kw)
    return IntakeInput(**fields)


@pytest.mark.parametrize("channel", list(Channel))
def test_intake_from_each_channel(w: World, channel: Channel) -> None:
    counter = w.users[COUNTER]
    result = services.intake(w.ctx, counter, intake_input(channel))
    assert re.fullmatch(r"3404-\d{3}-\d{6}-\d", result.tracking_code)
    assert result.received_at == START
    c = check_deadlines(w, result.complaint_id)
    assert (c.channel, c.status, c.tracking_code, c.office_id) == (
        channel, Status.BELUM_TERVERIFIKASI, result.tracking_code, w.office_id)
    assert c.created_by == counter and c.received_at == START and not c.is_anonymous
    with w.store.read() as s:
        reporter = s.get(Reporter, c.reporter_id)
        assert reporter is not None and reporter.name == "Pelapor Uji Coba" and reporter.consent_at == START
        given = CONTACT[channel]
        if "email" in given:
            assert reporter.email == given["email"]
        if "phone" in given:
            assert reporter.phone is not None and reporter.phone.startswith("+62")
        if "address" in given:
            assert reporter.address == given["address"]
    [received] = events(w, result.complaint_id)
    assert (received.kind, received.to_status, received.actor, received.at) == (
        EventKind.RECEIVED, Status.BELUM_TERVERIFIKASI, counter, START)
    assert received.data == {"channel": channel}
    record = last_audit(w)
    assert (record.action, record.entity_type, record.entity_id, record.user_id) == (
        "complaint.intake", "complaint", result.complaint_id, counter)
    assert json.loads(record.details_json) == {"tracking_code": result.tracking_code, "channel": channel}
    [mutation] = w.ctx.capture.mutations
    assert (mutation.name, mutation.entity_id, mutation.base_version, mutation.user_id) == (
        "complaint.intake", result.complaint_id, 0, counter)
    assert mutation.args["tracking_code"] == result.tracking_code


def test_intake_anonymous_without_identity(w: World) -> None:
    before = len(snapshot(w)["reporters"])
    result = services.intake(w.ctx, w.users[COUNTER], intake_input(anonymous=True, reporter=None))
    c = complaint(w, result.complaint_id)
    assert c.is_anonymous and c.reporter_id is None
    assert len(snapshot(w)["reporters"]) == before


def test_intake_anonymous_keeps_a_contact_given_with_consent(w: World) -> None:
    reporter = ReporterInput(phone="081234567890", consent_given=True)
    result = services.intake(w.ctx, w.users[COUNTER], intake_input(anonymous=True, reporter=reporter))
    c = complaint(w, result.complaint_id)
    with w.store.read() as s:
        stored = s.get(Reporter, c.reporter_id) if c.reporter_id else None
        assert stored is not None and stored.phone == "+6281234567890" and stored.name == ""


def test_intake_lists_every_bad_field_and_writes_nothing(w: World) -> None:
    bad = IntakeInput(classification="KELUHAN", channel="FAX", title="pendek", description="singkat",
                      reporter=ReporterInput(name=""))
    err = refused(w, ValidationError, lambda: services.intake(w.ctx, w.users[COUNTER], bad))
    assert set(err.fields) == {"classification", "channel", "title", "description", "reporter.name",
                               "reporter.consent_given"}
    assert "title" in str(err) and "Invalid input" in err.text("en")


def test_intake_named_reporter_needs_a_contact_for_the_channel(w: World) -> None:
    inp = intake_input(Channel.LETTER, reporter=ReporterInput(name="Pelapor Uji Coba", phone="081234567890",
                                                              consent_given=True))
    err = refused(w, ValidationError, lambda: services.intake(w.ctx, w.users[COUNTER], inp))
    assert set(err.fields) == {"reporter.address"}


def test_intake_unknown_category_is_a_validation_error(w: World) -> None:
    inp = intake_input(category_id="tidak.ada")
    err = refused(w, ValidationError, lambda: services.intake(w.ctx, w.users[COUNTER], inp))
    assert set(err.fields) == {"category_id"}
    ok = services.intake(w.ctx, w.users[COUNTER], intake_input(category_id="infrastruktur.jalan"))
    assert complaint(w, ok.complaint_id).category_id == "infrastruktur.jalan"


def test_tracking_sequence_increments_without_gaps(w: World) -> None:
    first = tracking.parse(services.intake(w.ctx, w.users[COUNTER], intake_input()).tracking_code)
    second = tracking.parse(services.intake(w.ctx, w.users[ADMIN], intake_input()).tracking_code)
    with pytest.raises(ValidationError):  # a refused intake takes no number
        services.intake(w.ctx, w.users[COUNTER], intake_input(title="x"))
    third = tracking.parse(services.intake(w.ctx, w.users[LIAISON], intake_input()).tracking_code)
    assert [first.seq, second.seq, third.seq] == [first.seq, first.seq + 1, first.seq + 2]
    assert first.region == second.region == third.region == "3404"
    assert first.device == second.device == third.device


def _fts_row(world: World, cid: str) -> tuple[Any, ...]:
    with world.store.read() as s:
        return tuple(s.execute(text(
            "SELECT f.rowid, f.* FROM complaint_fts f JOIN complaint_search_docs d ON d.docid = f.rowid"
            " WHERE d.complaint_id = :cid"), {"cid": cid}).one())


@pytest.mark.parametrize("anonymous", [False, True])
def test_intake_writes_the_search_document_that_index_complaint_builds(w: World, anonymous: bool) -> None:
    """Intake writes the first document from the values at hand; rebuilding it from the rows changes nothing."""
    cid = services.intake(w.ctx, w.users[COUNTER], intake_input(anonymous=anonymous)).complaint_id
    written = _fts_row(w, cid)
    with w.store.transaction() as s:
        index_complaint(s, cid)
    assert _fts_row(w, cid) == written
    assert written[5 if anonymous else 4] == "Pelapor Uji Coba" and written[4 if anonymous else 5] == ""


class _ReadsBack:
    """A capture hook that reads the complaint back through the ORM inside the intake's transaction, as the
    sync outbox does (sync.capture.wire_args)."""

    def __init__(self) -> None:
        self.seen: list[tuple[Any, ...]] = []

    def capture(self, session: Any, mutation: Any) -> None:
        c = session.get(Complaint, mutation.entity_id)
        r = session.get(Reporter, c.reporter_id)
        self.seen.append((c.tracking_code, c.received_at, c.updated_at, c.local_rev, c.is_anonymous, r.name,
                          r.consent_at))


def test_intake_capture_reads_the_rows_in_its_transaction(w: World) -> None:
    hook = _ReadsBack()
    w.ctx.capture = hook
    result = services.intake(w.ctx, w.users[COUNTER], intake_input())
    assert hook.seen == [(result.tracking_code, START, START, 1, False, "Pelapor Uji Coba", START)]


def test_intake_keeps_the_audit_chain(w: World) -> None:
    for by in (COUNTER, ADMIN, COUNTER):
        services.intake(w.ctx, w.users[by], intake_input())
        w.clock.advance(minutes=7)
    with w.store.read() as s:
        assert verify_chain(s).ok


# ---- dispose, postpone, resume, redirect, archive ---------------------------------------------------------


def test_dispose(w: World) -> None:
    cid = w.new_complaint()
    w.clock.advance(hours=3)
    r = services.dispose(w.ctx, w.users[ADMIN], cid, unit_id=w.units[PU], instruction="  Mohon segera  ")
    assert (r.from_status, r.to_status) == (Status.BELUM_TERVERIFIKASI, Status.DIDISPOSISIKAN)
    c = check_deadlines(w, cid)
    assert c.unit_id == w.units[PU] and c.disposed_at == w.clock() and c.local_rev == 2
    last = events(w, cid)[-1]
    assert (last.kind, last.from_status, last.to_status, last.text) == (
        EventKind.DISPOSED, Status.BELUM_TERVERIFIKASI, Status.DIDISPOSISIKAN, "Mohon segera")
    assert last.data == {"unit_id": w.units[PU]}
    assert last_audit(w).action == "complaint.dispose"


def test_dispose_to_a_unit_of_another_office_or_inactive_unit(w: World) -> None:
    cid = w.new_complaint()
    with w.store.read() as s:
        foreign = s.execute(text("SELECT id FROM units WHERE office_id = :o"), {"o": w.other_office_id}).scalar()
    for unit_id in (foreign, "tidak-ada"):
        err = refused(w, ValidationError,
                      lambda u=unit_id: services.dispose(w.ctx, w.users[ADMIN], cid, unit_id=u))
        assert set(err.fields) == {"unit_id"}
    with w.store.transaction() as s:
        s.execute(text("UPDATE units SET active = 0 WHERE id = :u"), {"u": w.units["Dinas Kesehatan"]})
    refused(w, ValidationError,
            lambda: services.dispose(w.ctx, w.users[ADMIN], cid, unit_id=w.units["Dinas Kesehatan"]))
    assert complaint(w, cid).unit_id is None


def test_dispose_is_for_the_admin_and_only_once(w: World) -> None:
    cid = w.new_complaint()
    for role in (COUNTER, LIAISON, LEAD):
        refused(w, PermissionDenied, lambda r=role: services.dispose(w.ctx, w.users[r], cid, unit_id=w.units[PU]))
    services.dispose(w.ctx, w.users[ADMIN], cid, unit_id=w.units[PU])
    refused(w, InvalidTransition, lambda: services.dispose(w.ctx, w.users[ADMIN], cid, unit_id=w.units[PU]))


def test_postpone_and_resume(w: World) -> None:
    cid = w.new_complaint()
    refused(w, ValidationError, lambda: services.postpone(w.ctx, w.users[ADMIN], cid, reason="  "))
    refused(w, ValidationError, lambda: services.postpone(w.ctx, w.users[ADMIN], cid, reason="abc"))
    w.clock.advance(days=1)
    services.postpone(w.ctx, w.users[ADMIN], cid, reason=REASON)
    c = check_deadlines(w, cid)
    assert c.status == Status.DITUNDA and c.postponed_at == w.clock()
    last = events(w, cid)[-1]
    assert last.kind == EventKind.POSTPONED and last.data == {"reason": REASON}
    w.clock.advance(days=2)
    services.resume(w.ctx, w.users[COUNTER], cid, note="Pelapor datang memberi penjelasan")
    c = check_deadlines(w, cid)
    assert c.status == Status.BELUM_TERVERIFIKASI and c.postponed_at is None
    last = events(w, cid)[-1]
    assert (last.kind, last.text, last.actor) == (
        EventKind.RESUMED, "Pelapor datang memberi penjelasan", w.users[COUNTER])


def test_postpone_by_the_liaison_of_the_unit_only(w: World) -> None:
    cid = at_status(w, Status.DIDISPOSISIKAN)
    refused(w, PermissionDenied, lambda: services.postpone(w.ctx, w.users[OTHER_LIAISON], cid, reason=REASON))
    services.postpone(w.ctx, w.users[LIAISON], cid, reason=REASON)
    check_deadlines(w, cid)
    services.dispose(w.ctx, w.users[ADMIN], cid, unit_id=w.units[PU])  # clarified: back to the unit
    assert check_deadlines(w, cid).status == Status.DIDISPOSISIKAN


def test_redirect(w: World) -> None:
    cid = at_status(w, Status.DIDISPOSISIKAN)
    refused(w, ValidationError, lambda: services.redirect(w.ctx, w.users[ADMIN], cid, reason=""))
    refused(w, PermissionDenied,
            lambda: services.redirect(w.ctx, w.users[LIAISON], cid, reason="Kewenangan pemerintah pusat"))
    services.redirect(w.ctx, w.users[ADMIN], cid, reason="Kewenangan pemerintah pusat",
                      suggested_office="Kementerian PUPR")
    c = check_deadlines(w, cid)
    assert c.status == Status.BUKAN_WEWENANG
    last = events(w, cid)[-1]
    assert last.kind == EventKind.REDIRECTED
    assert last.data == {"reason": "Kewenangan pemerintah pusat", "suggested_office": "Kementerian PUPR"}
    refused(w, InvalidTransition, lambda: services.close(w.ctx, w.users[ADMIN], cid))


def test_archive_with_a_bad_reason_code(w: World) -> None:
    cid = w.new_complaint()
    for code in ("", "LAINNYA", "duplikat ", "SAMPAH"):
        err = refused(w, ValidationError,
                      lambda c=code: services.archive(w.ctx, w.users[ADMIN], cid, reason_code=c))
        assert set(err.fields) == {"reason_code"}, code


def test_archive_and_unarchive(w: World) -> None:
    cid = w.new_complaint()
    services.archive(w.ctx, w.users[ADMIN], cid, reason_code="TIDAK_LENGKAP", note="Tanpa lokasi")
    c = check_deadlines(w, cid)
    assert (c.status, c.archive_reason, c.closed_at) == (Status.DIARSIPKAN, "TIDAK_LENGKAP", START)
    last = events(w, cid)[-1]
    assert (last.kind, last.text, last.data) == (EventKind.ARCHIVED, "Tanpa lokasi", {"reason": "TIDAK_LENGKAP"})
    refused(w, ValidationError, lambda: services.unarchive(w.ctx, w.users[ADMIN], cid, reason=" "))
    refused(w, PermissionDenied,
            lambda: services.unarchive(w.ctx, w.users[COUNTER], cid, reason="Pelapor melengkapi data"))
    w.clock.advance(days=1)
    services.unarchive(w.ctx, w.users[ADMIN], cid, reason="Pelapor melengkapi data")
    c = check_deadlines(w, cid)
    assert (c.status, c.archive_reason, c.closed_at) == (Status.BELUM_TERVERIFIKASI, None, None)
    assert events(w, cid)[-1].data == {"reason": "Pelapor melengkapi data"}


def test_archive_only_before_disposition(w: World) -> None:
    cid = at_status(w, Status.DIDISPOSISIKAN)
    refused(w, InvalidTransition, lambda: services.archive(w.ctx, w.users[ADMIN], cid, reason_code="SPAM"))


# ---- follow-up, the reporter's response, close, reopen ---------------------------------------------------


def test_follow_up_by_the_liaison_of_the_unit(w: World) -> None:
    cid = at_status(w, Status.DIDISPOSISIKAN)
    refused(w, PermissionDenied, lambda: services.follow_up(w.ctx, w.users[OTHER_LIAISON], cid, text=FOLLOW_UP))
    refused(w, PermissionDenied, lambda: services.follow_up(w.ctx, w.users[LEAD], cid, text=FOLLOW_UP))
    refused(w, PermissionDenied, lambda: services.follow_up(w.ctx, w.users[COUNTER], cid, text=FOLLOW_UP))
    refused(w, ValidationError, lambda: services.follow_up(w.ctx, w.users[LIAISON], cid, text="Sudah."))
    w.clock.advance(days=2)
    services.follow_up(w.ctx, w.users[LIAISON], cid, text=FOLLOW_UP)
    c = check_deadlines(w, cid)
    assert c.status == Status.DITINDAKLANJUTI and c.followed_up_at == w.clock()
    last = events(w, cid)[-1]
    assert (last.kind, last.text, last.actor) == (EventKind.FOLLOW_UP, FOLLOW_UP, w.users[LIAISON])


def test_follow_up_before_disposition_is_not_a_transition(w: World) -> None:
    cid = w.new_complaint()
    refused(w, InvalidTransition, lambda: services.follow_up(w.ctx, w.users[ADMIN], cid, text=FOLLOW_UP))


def test_satisfied_response_closes(w: World) -> None:
    cid = at_status(w, Status.DITINDAKLANJUTI)
    w.clock.advance(days=3)
    r = services.record_response(w.ctx, w.users[ADMIN], cid, satisfied=True, text="Terima kasih")
    assert (r.from_status, r.to_status) == (Status.DITINDAKLANJUTI, Status.SELESAI)
    c = check_deadlines(w, cid)
    assert c.status == Status.SELESAI and c.closed_at == w.clock()
    last = events(w, cid)[-1]
    assert (last.kind, last.text, last.data) == (EventKind.REPORTER_RESPONSE, "Terima kasih", {"satisfied": True})


def test_unsatisfied_response_goes_back_to_the_unit_with_a_new_deadline(w: World) -> None:
    cid = at_status(w, Status.DITINDAKLANJUTI)
    old_due = complaint(w, cid).step_due_at
    refused(w, ValidationError,
            lambda: services.record_response(w.ctx, w.users[COUNTER], cid, satisfied=False, text=None))
    w.clock.advance(days=7)  # the next Monday
    services.record_response(w.ctx, w.users[COUNTER], cid, satisfied=False, text="Tambalan sudah rusak lagi")
    c = check_deadlines(w, cid)
    assert (c.status, c.step_due_kind, c.disposed_at, c.followed_up_at, c.unit_id) == (
        Status.DIDISPOSISIKAN, DeadlineKind.FOLLOW_UP, w.clock(), None, w.units[PU])
    assert c.step_due_at == datetime(2026, 3, 16, 16, 59, 59, 999999, tzinfo=UTC)  # 5 working days on, WIB
    assert c.step_due_at != old_due
    last = events(w, cid)[-1]
    assert last.kind == EventKind.REPORTER_RESPONSE and last.text == "Tambalan sudah rusak lagi"
    assert last.data == {"satisfied": False, "reason": "Tambalan sudah rusak lagi"}


def test_close(w: World) -> None:
    early = at_status(w, Status.DIDISPOSISIKAN)
    refused(w, InvalidTransition, lambda: services.close(w.ctx, w.users[ADMIN], early))
    cid = at_status(w, Status.DITINDAKLANJUTI)
    refused(w, PermissionDenied, lambda: services.close(w.ctx, w.users[LIAISON], cid))
    services.close(w.ctx, w.users[ADMIN], cid, note="Selesai ditangani")
    c = check_deadlines(w, cid)
    assert c.status == Status.SELESAI and c.closed_at == START
    assert events(w, cid)[-1].kind == EventKind.CLOSED
    assert last_audit(w).action == "complaint.close"


def test_reopen_with_a_reason(w: World) -> None:
    cid = at_status(w, Status.SELESAI)
    refused(w, ValidationError, lambda: services.reopen(w.ctx, w.users[ADMIN], cid, reason=""))
    refused(w, PermissionDenied, lambda: services.reopen(w.ctx, w.users[COUNTER], cid, reason="Pelapor keberatan"))
    w.clock.advance(days=1)
    services.reopen(w.ctx, w.users[ADMIN], cid, reason="Pelapor keberatan")
    c = check_deadlines(w, cid)
    assert (c.status, c.closed_at, c.disposed_at) == (Status.DIDISPOSISIKAN, None, w.clock())
    last = events(w, cid)[-1]
    assert (last.kind, last.from_status, last.data) == (
        EventKind.REOPENED, Status.SELESAI, {"reason": "Pelapor keberatan"})
    assert last_audit(w).action == "complaint.reopen"


# ---- notes, edits, attachments ---------------------------------------------------------------------------


def test_add_note_by_leadership(w: World) -> None:
    cid = at_status(w, Status.SELESAI)
    refused(w, ValidationError, lambda: services.add_note(w.ctx, w.users[LEAD], cid, text=" "))
    event_id = services.add_note(w.ctx, w.users[LEAD], cid, text="Mohon jadi perhatian rapat bulanan")
    last = events(w, cid)[-1]
    assert (last.kind, last.text, last.actor) == (EventKind.NOTE, "Mohon jadi perhatian rapat bulanan", w.users[LEAD])
    assert complaint(w, cid).status == Status.SELESAI
    record = last_audit(w)
    assert record.action == "complaint.note" and "rapat" not in record.details_json  # ids, never text
    assert w.ctx.capture.mutations[-1].args["event_id"] == event_id


def test_edit_records_old_and_new_values(w: World) -> None:
    cid = w.new_complaint(title="Trotoar retak di depan sekolah")
    old_title = complaint(w, cid).title
    w.clock.advance(hours=1)
    changed = services.edit_complaint(w.ctx, w.users[ADMIN], cid, ComplaintEdit(
        title="Lampu jalan padam di depan pasar", is_supervisory=True, region_code="3404"))
    assert changed == ["is_supervisory", "region_code", "title"]
    c = check_deadlines(w, cid)  # berkadar pengawasan: the resolution deadline is recomputed
    assert c.title == "Lampu jalan padam di depan pasar" and c.region_code == "34.04" and c.is_supervisory
    last = events(w, cid)[-1]
    assert last.kind == EventKind.EDITED and last.at == w.clock()
    assert last.data == {"changes": {
        "title": [old_title, "Lampu jalan padam di depan pasar"],
        "is_supervisory": [False, True],
        "region_code": [None, "34.04"],
    }}
    assert json.loads(last_audit(w).details_json) == {"fields": ["is_supervisory", "region_code", "title"]}
    with w.store.read() as s:
        assert search_ids(s, "padam", office_id=w.office_id, can_see_anonymous=False) == [cid]
        assert search_ids(s, "trotoar", office_id=w.office_id, can_see_anonymous=False) == []


def test_edit_without_a_change_writes_nothing(w: World) -> None:
    cid = w.new_complaint()
    title = complaint(w, cid).title
    before = snapshot(w)
    assert services.edit_complaint(w.ctx, w.users[ADMIN], cid, ComplaintEdit(title=title)) == []
    assert services.edit_complaint(w.ctx, w.users[ADMIN], cid, ComplaintEdit()) == []
    assert snapshot(w) == before


def test_edit_refuses_bad_fields(w: World) -> None:
    cid = w.new_complaint()
    bad = ComplaintEdit(title="pendek", description="singkat", classification="KELUHAN", region_code="99.99",
                        incident_date=date(2026, 3, 3), latitude=52.0, longitude=13.4)
    err = refused(w, ValidationError, lambda: services.edit_complaint(w.ctx, w.users[ADMIN], cid, bad))
    assert set(err.fields) == {"title", "description", "classification", "region_code", "incident_date",
                               "latitude"}
    err = refused(w, ValidationError, lambda: services.edit_complaint(
        w.ctx, w.users[ADMIN], cid, ComplaintEdit(category_id="tidak.ada")))
    assert set(err.fields) == {"category_id"}
    refused(w, ValidationError,
            lambda: services.edit_complaint(w.ctx, w.users[ADMIN], cid, ComplaintEdit(latitude=-7.7)))


def test_edit_empties_optional_fields(w: World) -> None:
    cid = w.new_complaint()
    services.edit_complaint(w.ctx, w.users[ADMIN], cid, ComplaintEdit(
        address="Jl. Kaliurang km 7", region_code="3404", latitude=-7.75, longitude=110.38))
    changed = services.edit_complaint(w.ctx, w.users[ADMIN], cid, ComplaintEdit(
        clear=frozenset({"address", "latitude"})))  # a coordinate goes with its pair
    assert changed == ["address", "latitude", "longitude"]
    c = complaint(w, cid)
    assert (c.address, c.latitude, c.longitude, c.region_code) == (None, None, None, "34.04")
    assert events(w, cid)[-1].data == {"changes": {"address": ["Jl. Kaliurang km 7", None],
                                                   "latitude": [-7.75, None], "longitude": [110.38, None]}}
    assert w.ctx.capture.mutations[-1].args["fields"] == {"address": None, "latitude": None, "longitude": None}
    assert services.edit_complaint(w.ctx, w.users[ADMIN], cid, ComplaintEdit(clear=frozenset({"address"}))) == []
    err = refused(w, ValidationError, lambda: services.edit_complaint(
        w.ctx, w.users[ADMIN], cid, ComplaintEdit(clear=frozenset({"title", "description"}))))
    assert set(err.fields) == {"title", "description"}  # required: they cannot be emptied
    err = refused(w, ValidationError, lambda: services.edit_complaint(
        w.ctx, w.users[ADMIN], cid, ComplaintEdit(region_code="3404", clear=frozenset({"region_code"}))))
    assert set(err.fields) == {"region_code"}


def test_edit_takes_today_in_the_office_zone(w: World) -> None:
    cid = w.new_complaint()
    w.clock.now = datetime(2026, 3, 2, 18, 30, tzinfo=UTC)  # already Tuesday 3 March, 01:30 in Sleman (WIB)
    services.edit_complaint(w.ctx, w.users[ADMIN], cid, ComplaintEdit(incident_date=date(2026, 3, 3)))
    assert complaint(w, cid).incident_date == date(2026, 3, 3)
    refused(w, ValidationError, lambda: services.edit_complaint(
        w.ctx, w.users[ADMIN], cid, ComplaintEdit(incident_date=date(2026, 3, 4))))


def test_closed_complaints_are_not_editable(w: World) -> None:
    for status in (Status.SELESAI, Status.DIARSIPKAN, Status.BUKAN_WEWENANG):
        cid = at_status(w, status)
        refused(w, InvalidTransition, lambda c=cid: services.edit_complaint(
            w.ctx, w.users[ADMIN], c, ComplaintEdit(title="Judul baru yang cukup panjang")))


def test_edit_is_for_the_admin(w: World) -> None:
    cid = w.new_complaint()
    for role in (COUNTER, LIAISON, LEAD):
        refused(w, PermissionDenied, lambda r=role: services.edit_complaint(
            w.ctx, w.users[r], cid, ComplaintEdit(title="Judul baru yang cukup panjang")))


def _files(world: World) -> list[Path]:
    assert world.ctx.blob_dir is not None
    return sorted(p for p in world.ctx.blob_dir.rglob("*") if p.is_file())


def test_attach_file_content_addressed_and_deduplicated(w: World) -> None:
    cid = w.new_complaint()
    content = b"\x89PNG\r\n foto jalan berlubang"
    sha = hashlib.sha256(content).hexdigest()
    first = services.attach_file(w.ctx, w.users[COUNTER], cid, evidence(w, "foto.png", content))
    second = services.attach_file(w.ctx, w.users[ADMIN], cid, evidence(w, "salinan.bin", content),
                                  filename="Salinan Foto.PNG")
    assert first != second
    assert _files(w) == [w.ctx.blob_dir / sha[:2] / sha]  # type: ignore[operator]
    assert _files(w)[0].read_bytes() == content
    with w.store.read() as s:
        rows = s.execute(text("SELECT id, sha256, filename, mime_type, size, event_id FROM attachments"
                              " WHERE complaint_id = :c ORDER BY filename"), {"c": cid}).all()
    assert [(r.sha256, r.filename, r.mime_type, r.size) for r in rows] == [
        (sha, "Salinan Foto.PNG", "image/png", len(content)), (sha, "foto.png", "image/png", len(content))]
    attached = [e for e in events(w, cid) if e.kind == EventKind.ATTACHMENT_ADDED]
    assert {e.data["attachment_id"] for e in attached} == {first, second}
    assert all(r.event_id is not None for r in rows)


def test_attach_file_refuses_other_types(w: World) -> None:
    cid = w.new_complaint()
    for name in ("program.exe", "skrip.pdf.sh", "tanpa_ekstensi", "arsip.zip"):
        path = evidence(w, name)
        err = refused(w, ValidationError, lambda p=path: services.attach_file(w.ctx, w.users[COUNTER], cid, p))
        assert set(err.fields) == {"file"}, name
    # Nor may a permitted file be stored under a name of another type.
    refused(w, ValidationError, lambda: services.attach_file(
        w.ctx, w.users[COUNTER], cid, evidence(w), filename="bukti.exe"))


def test_attach_file_size_limit(w: World) -> None:
    cid = w.new_complaint()
    big = w.ctx.blob_dir.parent / "besar.pdf"  # type: ignore[union-attr]
    with big.open("wb") as fh:
        fh.truncate(MAX_ATTACHMENT_BYTES + 1)
    err = refused(w, ValidationError, lambda: services.attach_file(w.ctx, w.users[COUNTER], cid, big))
    assert "20 MB" in err.message.id
    assert _files(w) == []  # no half-written temporary file either
    with big.open("r+b") as fh:
        fh.truncate(MAX_ATTACHMENT_BYTES)
    services.attach_file(w.ctx, w.users[COUNTER], cid, big)
    assert [p.stat().st_size for p in _files(w)] == [MAX_ATTACHMENT_BYTES]


def test_attach_missing_file(w: World) -> None:
    cid = w.new_complaint()
    missing = w.ctx.blob_dir.parent / "hilang.pdf"  # type: ignore[union-attr]
    refused(w, ValidationError, lambda: services.attach_file(w.ctx, w.users[COUNTER], cid, missing))


# ---- deadlines through a whole run -----------------------------------------------------------------------


def test_deadlines_follow_every_step(w: World) -> None:
    u, ctx = w.users, w.ctx
    cid = w.new_complaint()
    c = check_deadlines(w, cid)
    # Received Monday 2 March 2026, 09:00 WIB: verify by the end of Thursday (3 working days), in UTC.
    assert c.step_due_at == datetime(2026, 3, 5, 16, 59, 59, 999999, tzinfo=UTC)
    assert c.next_due_kind == DeadlineKind.VERIFICATION
    steps: list[Callable[[], object]] = [
        lambda: services.dispose(ctx, u[ADMIN], cid, unit_id=w.units[PU]),
        lambda: services.postpone(ctx, u[LIAISON], cid, reason=REASON),
        lambda: services.dispose(ctx, u[ADMIN], cid, unit_id=w.units[PU]),
        lambda: services.follow_up(ctx, u[LIAISON], cid, text=FOLLOW_UP),
        lambda: services.record_response(ctx, u[COUNTER], cid, satisfied=False, text="Belum tuntas"),
        lambda: services.follow_up(ctx, u[LIAISON], cid, text=FOLLOW_UP),
        lambda: services.close(ctx, u[ADMIN], cid),
        lambda: services.reopen(ctx, u[ADMIN], cid, reason="Pelapor keberatan"),
    ]
    seen = []
    for step in steps:
        w.clock.advance(hours=20)
        step()
        seen.append(check_deadlines(w, cid).step_due_kind)
    assert seen == [DeadlineKind.FOLLOW_UP, DeadlineKind.CLARIFICATION, DeadlineKind.FOLLOW_UP,
                    DeadlineKind.RESPONSE_WINDOW, DeadlineKind.FOLLOW_UP, DeadlineKind.RESPONSE_WINDOW, None,
                    DeadlineKind.FOLLOW_UP]


def test_an_information_request_has_the_shorter_resolution_deadline(w: World) -> None:
    cid = w.new_complaint(classification=Classification.PERMINTAAN_INFORMASI)
    c = check_deadlines(w, cid)
    assert c.resolution_due_at == datetime(2026, 3, 9, 16, 59, 59, 999999, tzinfo=UTC)  # 5 working days


# ---- the reporter's response window runs out --------------------------------------------------------------


def test_auto_closure_closes_exactly_the_expired_windows(w: World) -> None:
    u, ctx = w.users, w.ctx
    a = at_status(w, Status.DITINDAKLANJUTI)  # followed up Monday 2 March
    answered = at_status(w, Status.DITINDAKLANJUTI)
    services.record_response(ctx, u[COUNTER], answered, satisfied=False, text="Belum tuntas")
    closed_by_hand = at_status(w, Status.SELESAI)
    waiting_for_unit = at_status(w, Status.DIDISPOSISIKAN)
    w.clock.advance(days=1)
    b = at_status(w, Status.DITINDAKLANJUTI)  # followed up Tuesday 3 March
    a_due = complaint(w, a).step_due_at
    assert a_due == datetime(2026, 3, 12, 16, 59, 59, 999999, tzinfo=UTC)  # 10 calendar days, end of day WIB

    w.clock.now = a_due
    assert services.apply_auto_closures(ctx) == []
    w.clock.now = a_due + timedelta(microseconds=1)
    audit_before = len(snapshot(w)["audit_log"])
    assert services.apply_auto_closures(ctx) == [a]
    c = check_deadlines(w, a)
    assert (c.status, c.closed_at) == (Status.SELESAI, w.clock())
    last = events(w, a)[-1]
    assert (last.kind, last.actor, last.from_status, last.to_status) == (
        EventKind.AUTO_CLOSED, None, Status.DITINDAKLANJUTI, Status.SELESAI)
    record = last_audit(w)
    assert len(snapshot(w)["audit_log"]) == audit_before + 1
    assert (record.action, record.user_id, record.entity_id) == ("complaint.close", None, a)
    assert json.loads(record.details_json)["auto"] is True
    assert complaint(w, b).status == Status.DITINDAKLANJUTI

    w.clock.now = datetime(2026, 4, 1, tzinfo=UTC)
    assert services.apply_auto_closures(ctx) == [b]
    assert services.apply_auto_closures(ctx) == []  # nothing twice
    assert complaint(w, answered).status == Status.DIDISPOSISIKAN
    assert complaint(w, waiting_for_unit).status == Status.DIDISPOSISIKAN
    assert [e.kind for e in events(w, closed_by_hand)][-1] == EventKind.CLOSED
    with w.store.read() as s:
        assert verify_chain(s).ok


# ---- the audit chain -------------------------------------------------------------------------------------


def _run_of_actions(world: World) -> str:
    cid = at_status(world, Status.DITINDAKLANJUTI, anonymous=True)
    services.add_note(world.ctx, world.users[LEAD], cid, text="Catatan pimpinan untuk unit")
    services.record_response(world.ctx, world.users[ADMIN], cid, satisfied=True)
    services.reopen(world.ctx, world.users[ADMIN], cid, reason="Pelapor keberatan")
    at_status(world, Status.DIARSIPKAN)
    return cid


def test_audit_chain_verifies_and_carries_no_personal_data(w: World) -> None:
    _run_of_actions(w)
    with w.store.read() as s:
        report = verify_chain(s)
        dump = repr([tuple(r) for r in s.execute(text("SELECT * FROM audit_log"))])
        count = s.execute(text("SELECT count(*) FROM audit_log")).scalar()
    assert report.ok and report.records == count and report.first_bad_id is None
    assert count is not None and count > 10
    for personal in ("Budi Santoso", "081234567890", "berlubang", "Catatan pimpinan", "Pelapor keberatan"):
        assert personal not in dump


@pytest.mark.parametrize(("column", "value"), [
    ("details_json", '{"from":"DIDISPOSISIKAN","to":"SELESAI"}'),
    ("action", "complaint.note"),
    ("user_id", None),
    ("at", "2026-01-01 00:00:00.000000"),
])
def test_audit_chain_shows_an_edited_row(w: World, column: str, value: str | None) -> None:
    _run_of_actions(w)
    with w.store.read() as s:
        ids = s.execute(text("SELECT id FROM audit_log ORDER BY id")).scalars().all()
    victim = ids[len(ids) // 2]
    with w.store.transaction() as s:
        s.execute(text(f"UPDATE audit_log SET {column} = :v WHERE id = :i"), {"v": value, "i": victim})
    with w.store.read() as s:
        report = verify_chain(s)
    assert not report.ok and report.first_bad_id == victim


def test_audit_chain_shows_a_deleted_row(w: World) -> None:
    _run_of_actions(w)
    with w.store.read() as s:
        ids = s.execute(text("SELECT id FROM audit_log ORDER BY id")).scalars().all()
    victim = ids[len(ids) // 2]
    with w.store.transaction() as s:
        s.execute(text("DELETE FROM audit_log WHERE id = :i"), {"i": victim})
    with w.store.read() as s:
        report = verify_chain(s)
    assert not report.ok and report.first_bad_id == ids[ids.index(victim) + 1]


def test_counter_staff_record_a_satisfied_response_but_cannot_close(world: World) -> None:
    """At the counter the reporter says they are satisfied: the clerk records it and the complaint is closed;
    closing on the office's own decision stays with the administrator."""
    ctx, u = world.ctx, world.users
    first = world.new_complaint()
    second = world.new_complaint()
    for cid in (first, second):
        services.dispose(ctx, u[Role.ADMIN_INSTANSI], cid, unit_id=world.units["Dinas Pekerjaan Umum"])
        services.follow_up(ctx, u[Role.PENGHUBUNG], cid, text="Perbaikan jalan sudah selesai dikerjakan.")
    result = services.record_response(ctx, u[Role.PETUGAS_LOKET], first, satisfied=True, text="Terima kasih")
    assert result.to_status == Status.SELESAI
    with pytest.raises(PermissionDenied):
        services.close(ctx, u[Role.PETUGAS_LOKET], second)
    with world.store.read() as s:
        assert s.get(Complaint, second).status == Status.DITINDAKLANJUTI
