"""The demo seeder: counts, legal timelines with the columns and deadlines the services would write, valid
synthetic personal data, search, tracking codes, determinism, log-in and the seed-demo command."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from app.cli import run
from app.domain import OPEN_STATUSES, Channel, EventKind, Role, Status
from app.inputs import IntakeInput, ReporterInput
from app.models import AuditRecord, Complaint, Office, Reporter, TimelineEvent, Unit, User
from app.read.queries import ComplaintFilter, count, page
from app.read.search import search_ids
from app.rules import tracking
from app.rules.office_contact import check_contact
from app.rules.sla import DeadlineFacts, compute_deadlines, load_calendar, load_policy
from app.rules.validation import email, nik, phone, validate_intake
from app.services import ServiceContext
from app.services.users import authenticate
from app.store import meta
from app.store.audit import verify_chain
from app.store.db import Store, open_store
from demo import DEMO_PASSWORD, DemoReport, seed_demo
from demo.bulk import sql_datetime
from demo.offices import CONTACTS
from tests.demo.office_day import replay
from tests.helpers.world import World

# These tests read the query layer for the whole office on purpose (a bare office id; app.rules.scope).
pytestmark = pytest.mark.filterwarnings("ignore::app.rules.scope.UnscopedRead")

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB
COUNT = 300
OFFICE_ZONES = {"34.04": "Asia/Jakarta", "34": "Asia/Jakarta", "51": "Asia/Makassar", "51.03": "Asia/Makassar",
                "36.03": "Asia/Jakarta", "13": "Asia/Jakarta"}
STORED_DATETIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")


def _fresh_store(template_db: Path, folder: Path) -> Store:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template_db, folder / "lapor-desk.sqlite3")
    return open_store(folder / "lapor-desk.sqlite3", backup_dir=folder / "backups")


@pytest.fixture(scope="module")
def seeded(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, DemoReport]]:
    """One store seeded with COUNT complaints, shared by the read-only tests of this module."""
    store = _fresh_store(template_db, tmp_path_factory.mktemp("demo"))
    report = seed_demo(store, count=COUNT, seed=7, now=NOW)
    yield store, report
    store.close()


def _home(store: Store) -> str:
    with store.read() as s:
        home = meta.get(s, meta.HOME_OFFICE)
    assert home is not None
    return home


def test_counts_match_the_report_and_one_audit_record_covers_the_seeding(seeded: tuple[Store, DemoReport]) -> None:
    store, report = seeded
    assert report.password == DEMO_PASSWORD and report.seconds > 0
    with store.read() as s:
        n = lambda model: s.execute(select(func.count()).select_from(model)).scalar()  # noqa: E731
        assert n(Complaint) == report.complaints == COUNT
        assert n(TimelineEvent) == report.events
        assert 4 * COUNT <= report.events <= 6 * COUNT
        assert n(User) == report.users
        assert s.execute(text("SELECT count(*) FROM complaint_search_docs")).scalar() == COUNT
        assert s.execute(text("SELECT count(*) FROM complaint_fts")).scalar() == COUNT
        actions = Counter(s.execute(select(AuditRecord.action)).scalars())
        assert actions["demo.seed"] == 1 and sum(actions.values()) == 1
        assert verify_chain(s).ok


def test_six_offices_with_units_and_every_role(seeded: tuple[Store, DemoReport]) -> None:
    store, _ = seeded
    with store.read() as s:
        offices = {o.region_code: o for o in s.execute(select(Office)).scalars()}
        assert {code: o.tz for code, o in offices.items()} == OFFICE_ZONES
        assert offices["34.04"].id == _home(store)
        by_office = Counter(s.execute(select(Complaint.office_id)).scalars())
        assert by_office.most_common(1)[0][0] == offices["34.04"].id  # Sleman gets the largest share
        for office in offices.values():
            units = s.execute(select(Unit).where(Unit.office_id == office.id)).scalars().all()
            assert 4 <= len(units) <= 6
            users = s.execute(select(User).where(User.office_id == office.id)).scalars().all()
            assert {u.role for u in users} == {r.value for r in Role if r != Role.SYSTEM}
            liaisons = [u for u in users if u.role == Role.PENGHUBUNG]
            assert sorted(u.unit_id for u in liaisons) == sorted(u.id for u in units)
        assert s.execute(select(User.id).where(User.username == "penghubung.pu.sleman")).scalar()


def test_demo_offices_have_a_plainly_synthetic_contact_that_passes_the_servers_checks(
        seeded: tuple[Store, DemoReport]) -> None:
    """What a receipt of a demo office prints: every field set, in the forms the server stores (checked by
    app.rules.office_contact), and plainly not a real office's (contoh.go.id, subscriber numbers starting 000)."""
    store, _ = seeded
    with store.read() as s:
        offices = s.execute(select(Office)).scalars().all()
        s.expunge_all()  # read whole, looked at after the transaction
    assert len(offices) == 6
    for office in offices:
        raw = CONTACTS[office.region_code]
        assert check_contact(raw) == {"address": office.contact_address, "phone": office.contact_phone,
                                      "email": office.contact_email, "website": office.contact_website,
                                      "service_hours": office.service_hours}
        assert office.contact_email.endswith("@contoh.go.id") and ".contoh.go.id" in office.contact_website
        assert re.fullmatch(r"\+62(21|\d{3})000\d{3,4}", office.contact_phone), office.contact_phone
        assert office.contact_address.startswith("Jl. Contoh ")
    assert len({o.contact_phone for o in offices}) == 6


def test_a_home_office_that_existed_keeps_its_own_contact(world: World) -> None:
    """The demo fills in the offices it makes; an office it finds (an enrolled PC's, from its server) is left alone."""
    seed_demo(world.store, count=20, seed=4, now=NOW)
    with world.store.read() as s:
        home = s.get(Office, world.office_id)
        assert home is not None and home.contact_phone is None
        made = s.execute(select(Office).where(Office.region_code == "51")).scalar_one()
        assert made.contact_phone == "+62361000103"


def _replay(c: Complaint, events: list[TimelineEvent], roles: dict[str, str], units: dict[str, str]) -> None:
    """Walk the events as the services would and check the complaint's columns against the result."""
    replay(c, events, roles, units, NOW)
    assert events[0].actor_user_id == c.created_by
    assert c.updated_at == events[-1].at and c.local_rev == len(events)


def test_every_timeline_is_a_legal_walk_with_the_services_columns_and_deadlines(
    seeded: tuple[Store, DemoReport],
) -> None:
    store, _ = seeded
    with store.read() as s:
        users = s.execute(select(User)).scalars().all()
        roles = {u.id: u.role for u in users}
        units = {u.id: u.unit_id for u in users}
        tz = {o.id: o.tz for o in s.execute(select(Office)).scalars()}
        policy, calendar = load_policy(s, NOW.date()), load_calendar(s)
        events: dict[str, list[TimelineEvent]] = {}
        for e in s.execute(select(TimelineEvent).order_by(TimelineEvent.at, TimelineEvent.id)).scalars():
            events.setdefault(e.complaint_id, []).append(e)
        for c in s.execute(select(Complaint)).scalars():
            _replay(c, events[c.id], roles, units)
            facts = DeadlineFacts(c.status, c.classification, c.is_supervisory, c.received_at, c.disposed_at,
                                  c.followed_up_at, c.postponed_at)
            d = compute_deadlines(facts, policy, calendar, tz[c.office_id])
            assert (c.step_due_at, c.step_due_kind, c.resolution_due_at, c.next_due_at, c.next_due_kind) == (
                d.step_due_at, d.step_due_kind, d.resolution_due_at, d.next_due_at, d.next_due_kind)


def test_statuses_ages_and_deadlines_look_like_a_real_office(seeded: tuple[Store, DemoReport]) -> None:
    store, _ = seeded
    with store.read() as s:
        rows = s.execute(select(Complaint.status, Complaint.received_at, Complaint.next_due_at, Complaint.channel,
                                Complaint.is_anonymous, Complaint.is_confidential)).all()
    assert {r.status for r in rows} == set(Status)
    assert min(r.received_at for r in rows) >= NOW - timedelta(days=731)
    assert min(r.received_at for r in rows) < NOW - timedelta(days=600)
    old = [r for r in rows if r.received_at < NOW - timedelta(days=90)]
    assert sum(r.status not in OPEN_STATUSES for r in old) >= 0.9 * len(old)
    assert any(r.status in OPEN_STATUSES and r.next_due_at > NOW for r in rows)  # the start day: test_start_day.py
    channels = Counter(r.channel for r in rows)
    assert {c for c, _ in channels.most_common(2)} == {Channel.WALK_IN, Channel.LAPOR_ONLINE}
    assert 0.04 < sum(r.is_anonymous for r in rows) / len(rows) < 0.18
    assert any(r.is_confidential for r in rows)


def test_synthetic_people_and_texts_pass_the_intake_validation(seeded: tuple[Store, DemoReport]) -> None:
    store, _ = seeded
    with store.read() as s:
        pairs = s.execute(select(Complaint, Reporter).outerjoin(Reporter, Reporter.id == Complaint.reporter_id)).all()
        s.expunge_all()  # keep the loaded values after the read snapshot ends
    for c, r in pairs:
        if r is not None:
            assert r.nik is None or nik(r.nik) == r.nik
            assert r.phone is None or phone(r.phone) == r.phone
            assert r.email is None or email(r.email) == r.email
            assert r.email is None or r.email.rsplit("@", 1)[1] in {"contoh.id", "contoh.co.id", "example.com",
                                                                   "example.org", "mail.contoh.id"}
        reporter = None if r is None else ReporterInput(r.name, r.nik, r.phone, r.email, r.address,
                                                        r.assistance_needs, consent_given=r.consent_at is not None)
        inp = IntakeInput(c.classification, c.channel, c.title, c.description, c.category_id, c.incident_date,
                          c.region_code, c.address, c.latitude, c.longitude, c.is_anonymous, c.is_confidential,
                          c.is_supervisory, reporter)
        validate_intake(inp, today=c.received_at.date() + timedelta(days=1))  # raises on any bad field


def test_search_finds_seeded_complaints(seeded: tuple[Store, DemoReport]) -> None:
    store, _ = seeded
    home = _home(store)
    with store.read() as s:
        ids = search_ids(s, "jalan rusak", office_id=home, can_see_anonymous=True)
        assert ids
        first = s.get(Complaint, ids[0])
        assert first is not None and first.office_id == home
        assert "jalan" in (first.title + first.description).lower()
        c = s.execute(select(Complaint).where(Complaint.office_id == home).limit(1)).scalar_one()
        assert search_ids(s, c.tracking_code, office_id=home, can_see_anonymous=False) == [c.id]
        named = s.execute(select(Reporter.name, Complaint.id).join(Complaint, Complaint.reporter_id == Reporter.id)
                          .where(Complaint.office_id == home, Complaint.is_anonymous.is_(False))
                          .order_by(Complaint.id).limit(1)).one()
        assert named.id in search_ids(s, named.name, office_id=home, can_see_anonymous=False, limit=1000)
        # Follow-up replies are indexed too: the words of one reply find its complaint.
        reply = s.execute(select(TimelineEvent.complaint_id, TimelineEvent.text).join(Complaint).where(
            Complaint.office_id == home, TimelineEvent.kind == EventKind.FOLLOW_UP).limit(1)).one()
        words = " ".join(w for w in re.findall(r"\w+", reply.text or "") if len(w) > 4)
        assert reply.complaint_id in search_ids(s, words, office_id=home, can_see_anonymous=True, limit=1000)


def test_tracking_codes_are_valid_unique_and_the_sequence_moved_on(seeded: tuple[Store, DemoReport]) -> None:
    store, _ = seeded
    with store.read() as s:
        regions = dict(s.execute(select(Office.id, Office.region_code)).all())
        rows = s.execute(select(Complaint.tracking_code, Complaint.office_id)).all()
        device = int(meta.get(s, meta.DEVICE_NO) or -1)
        seq = int(meta.get(s, meta.TRACKING_SEQ) or 0)
        home = meta.get(s, meta.HOME_OFFICE)
    assert len({code for code, _ in rows}) == len(rows)
    home_seqs = []
    for code, office_id in rows:
        parsed = tracking.parse(code)
        assert str(parsed) == code
        assert parsed.region == regions[office_id].replace(".", "")[:4].ljust(4, "0")
        if office_id == home:
            assert parsed.device == device
            home_seqs.append(parsed.seq)
    assert sorted(home_seqs) == list(range(1, len(home_seqs) + 1)) and seq == len(home_seqs)


def test_queries_work_on_seeded_data(seeded: tuple[Store, DemoReport]) -> None:
    store, _ = seeded
    home = _home(store)
    with store.read() as s:
        rows = page(s, home, ComplaintFilter(), sort="deadline", now=NOW, limit=20)
        dues = [r.next_due_at for r in rows if r.next_due_at is not None]
        assert dues and dues == sorted(dues)
        assert count(s, home, ComplaintFilter(statuses=(Status.DIDISPOSISIKAN,)), now=NOW) >= 0


def test_demo_users_log_in_with_the_demo_password(seeded: tuple[Store, DemoReport]) -> None:
    store, _ = seeded
    ctx = ServiceContext(store=store, clock=lambda: NOW, device_label="test-pc")
    for username in ("admin.sleman", "loket.badung", "penghubung.pu.sleman", "it.sumbar", "pimpinan.bali"):
        info = authenticate(ctx, username, DEMO_PASSWORD)
        assert info.username == username and info.active


def _snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    with store.engine.connect() as conn:
        return {
            table: conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("offices", "units", "complaints", "timeline_events", "reporters")
        } | {"users": conn.exec_driver_sql(
            "SELECT id, office_id, unit_id, username, full_name, role FROM users ORDER BY 1").fetchall()}


def test_the_same_seed_gives_the_same_data(template_db: Path, tmp_path: Path) -> None:
    first, second, other = (_fresh_store(template_db, tmp_path / name) for name in ("a", "b", "c"))
    try:
        for store, seed in ((first, 3), (second, 3), (other, 4)):
            seed_demo(store, count=60, seed=seed, now=NOW)
        a, b, c = _snapshot(first), _snapshot(second), _snapshot(other)
        assert a == b
        assert a["complaints"] != c["complaints"]
    finally:
        for store in (first, second, other):
            store.close()


def test_seeding_again_adds_complaints_without_collisions(template_db: Path, tmp_path: Path) -> None:
    store = _fresh_store(template_db, tmp_path)
    try:
        seed_demo(store, count=40, seed=1, now=NOW)
        again = seed_demo(store, count=40, seed=1, now=NOW)
        assert again.users == 0
        with store.read() as s:
            codes = s.execute(select(Complaint.tracking_code)).scalars().all()
            assert len(codes) == len(set(codes)) == 80
            assert s.execute(select(func.count()).select_from(Office)).scalar() == 6
            assert s.execute(text("SELECT count(*) FROM complaint_fts")).scalar() == 80
    finally:
        store.close()


def test_an_existing_home_office_is_kept_and_real_intake_continues(world: World) -> None:
    with world.store.read() as s:
        device = meta.get(s, meta.DEVICE_NO)
        own_units = set(world.units.values())
    seed_demo(world.store, count=80, seed=2, now=NOW)
    with world.store.read() as s:
        assert meta.get(s, meta.HOME_OFFICE) == world.office_id and meta.get(s, meta.DEVICE_NO) == device
        assert s.execute(select(func.count()).where(Office.region_code == "34.04")).scalar() == 1
        assert set(s.execute(select(Unit.id).where(Unit.office_id == world.office_id)).scalars()) == own_units
        seqs = [tracking.parse(c).seq for c in s.execute(
            select(Complaint.tracking_code).where(Complaint.office_id == world.office_id)).scalars()]
    world.clock.now = NOW + timedelta(hours=1)
    cid = world.new_complaint()
    with world.store.read() as s:
        c = s.get(Complaint, cid)
        assert c is not None and tracking.parse(c.tracking_code).seq == max(seqs) + 1
        orm_received = c.received_at
        raw = s.execute(text("SELECT received_at FROM complaints WHERE id = :i"), {"i": cid}).scalar()
        seeded_raw = s.execute(text("SELECT received_at FROM complaints WHERE id != :i LIMIT 1"), {"i": cid}).scalar()
    # Bulk-written dates are stored exactly as the ORM stores them (they sort and compare together in SQL).
    assert STORED_DATETIME.match(raw) and STORED_DATETIME.match(seeded_raw)
    assert sql_datetime(orm_received) == raw


def test_seed_demo_command(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--data-dir", str(data_dir), "seed-demo", "--count", "50", "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert "50 laporan" in out and DEMO_PASSWORD in out
    assert run(["--data-dir", str(data_dir), "seed-demo", "--count", "50", "--if-empty"]) == 0
    assert "Sudah ada 50 laporan" in capsys.readouterr().out
    assert run(["--data-dir", str(data_dir), "check"]) == 0
    assert run(["--data-dir", str(data_dir), "lookup", _any_code(data_dir)]) == 0


def _any_code(data_dir: Path) -> str:
    store = open_store(data_dir / "lapor-desk.sqlite3", backup_dir=data_dir / "backups")
    try:
        with store.read() as s:
            return s.execute(select(Complaint.tracking_code).limit(1)).scalar_one()
    finally:
        store.close()


def test_a_home_office_outside_the_six_is_seeded_too(store: Store) -> None:
    from app.bootstrap import create_office

    bandung = create_office(store, region_code="32.73", name="Pemerintah Kota Bandung", tz="WIB",
                            units=["Dinas Kesehatan", "Dinas Pekerjaan Umum"], make_home=True)
    seed_demo(store, count=120, seed=4, now=NOW)
    with store.read() as s:
        assert meta.get(s, meta.HOME_OFFICE) == bandung.id
        assert s.execute(select(func.count()).select_from(Office)).scalar() == 7
        by_office = Counter(s.execute(select(Complaint.office_id)).scalars())
        assert by_office.most_common(1)[0][0] == bandung.id
        seq = int(meta.get(s, meta.TRACKING_SEQ) or 0)
        assert seq == by_office[bandung.id]
        for username in ("penghubung.dinkes.bandung", "penghubung.pu.bandung", "admin.bandung"):
            assert s.execute(select(User.id).where(User.username == username)).scalar()
