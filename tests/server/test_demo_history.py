"""``lapor-server admin demo``: the pilot offices start with months of work whose timelines the workflow rules allow,
and a PC enrolled to Sleman finds, after its first sync, a working office on the start day: most open complaints on
time, some due soon, a few overdue (its own deadline columns, computed with the holiday calendar the server sent),
every status with its history. The same seed gives the same history."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.config import Paths
from app.domain import Channel, Status
from app.models import Complaint as PcComplaint
from app.models import TimelineEvent as PcEvent
from app.rules import tracking
from app.rules.sla import load_policy
from app.store import meta
from app.store.db import Store, open_store
from server import admin
from server.db import Database, make_engine
from server.demo import COUNTER_DEVICE, seed_server_demo
from server.models import Complaint, Office, TimelineEvent, User
from sync.enroll import enroll
from sync.session import build_engine
from tests.demo.office_day import assert_working_office, office_day, replay
from tests.helpers.credentials import no_os_keyring
from tests.server.support import Backend

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # the start day: Monday 09:00 WIB
COUNT = 2_500  # six offices' last months; Sleman's ~1,000 leave some 100 open on the start day
SLEMAN = "34.04"


@pytest.fixture(autouse=True)
def _no_os_keyring() -> Iterator[None]:
    with no_os_keyring():
        yield


def sleman_id(db: Database) -> str:
    with db.transaction() as s:
        return str(s.execute(select(Office.id).where(Office.region_code == SLEMAN)).scalar_one())


def enrolled_pc(backend: Backend, folder: Path, template_db: Path) -> tuple[Store, Paths]:
    """A fresh PC enrolled to Sleman (as the demo's wizard does), not yet synced."""
    paths = Paths(folder)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template_db, paths.database)
    store = open_store(paths.database, backup_dir=paths.backups)
    with backend.db.transaction() as s:
        code = admin.issue_enrollment_code(s, admin.find_office(s, SLEMAN), backend.clock())
    enroll(store, paths, server_url=backend.url, code=code, device_name="PC demo Sleman")
    return store, paths


def test_a_pc_enrolled_to_the_demo_finds_a_working_office_on_its_start_day(
        backend: Backend, tmp_path: Path, template_db: Path) -> None:
    backend.clock.now = NOW
    report = seed_server_demo(backend.db, complaints=COUNT, seed=5, now=NOW)
    assert report.offices == 6 and report.complaints == COUNT and report.events > 3 * COUNT
    office_id = sleman_id(backend.db)

    # On the server: every timeline a legal walk by the office's own accounts, with the columns it leads to.
    with backend.db.transaction() as s:
        users = s.execute(select(User.id, User.role, User.unit_id, User.office_id)).all()
        roles = {u.id: u.role for u in users}
        units = {u.id: u.unit_id for u in users}
        offices = {u.id: u.office_id for u in users}
        events: dict[str, list[TimelineEvent]] = {}
        for e in s.execute(select(TimelineEvent).order_by(TimelineEvent.at, TimelineEvent.id)).scalars():
            events.setdefault(e.complaint_id, []).append(e)
        complaints = s.execute(select(Complaint)).scalars().all()
        for c in complaints:
            replay(c, events[c.id], roles, units, NOW)
            assert all(offices[e.actor_user_id] == c.office_id for e in events[c.id] if e.actor_user_id)
            assert c.version == len(events[c.id]) and c.updated_at == events[c.id][-1].at
            code = tracking.parse(c.tracking_code)
            assert code.device == (tracking.NATIONAL_DEVICE if c.channel == Channel.LAPOR_ONLINE else COUNTER_DEVICE)
        sleman = [c for c in complaints if c.office_id == office_id]
        assert len({c.tracking_code for c in complaints}) == COUNT
        assert min(c.received_at for c in complaints) >= NOW.replace(year=2025, month=9)

    # On the PC, after its first sync: the same complaints, deadlines by its own rules.
    store, paths = enrolled_pc(backend, tmp_path / "pc", template_db)
    try:
        build_engine(store, paths).run_once()
        with store.read() as s:
            assert int(meta.get(s, meta.DEVICE_NO) or 0) == COUNTER_DEVICE + 1  # after the office's counter PC
            policy = load_policy(s, NOW.date())
            rows = s.execute(select(PcComplaint.status, PcComplaint.next_due_at)
                             .where(PcComplaint.office_id == office_id)).all()
            longest: dict[str, int] = {}  # the longest history of a complaint in each status
            for status, n in s.execute(select(PcComplaint.status, func.count(PcEvent.id))
                                       .join(PcEvent, PcEvent.complaint_id == PcComplaint.id)
                                       .where(PcComplaint.office_id == office_id)
                                       .group_by(PcComplaint.id, PcComplaint.status)).all():
                longest[status] = max(longest.get(status, 0), n)
    finally:
        store.close()
    assert len(rows) == len(sleman)
    day = office_day(rows, NOW, policy)
    print(day)
    assert_working_office(day)
    assert all(n >= 2 for status, n in longest.items() if status != Status.BELUM_TERVERIFIKASI), longest
    assert longest[Status.SELESAI] >= 4


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_same_seed_gives_the_same_history(backend: Backend, sqlite_template: Path, tmp_path: Path) -> None:
    shutil.copyfile(sqlite_template, tmp_path / "other.sqlite3")
    other = Database(make_engine(f"sqlite:///{tmp_path / 'other.sqlite3'}"))
    try:
        for db in (backend.db, other):
            seed_server_demo(db, complaints=150, seed=9, now=NOW)

        def history(db: Database) -> list[tuple[object, ...]]:
            with db.transaction() as s:
                return [tuple(row) for row in s.execute(
                    select(Complaint.id, Complaint.tracking_code, Complaint.status, Complaint.title,
                           Complaint.received_at, TimelineEvent.kind, TimelineEvent.at, TimelineEvent.text)
                    .join(TimelineEvent).order_by(TimelineEvent.id)).all()]

        assert history(backend.db) == history(other)
    finally:
        other.dispose()
