"""The desktop demo (demo.seed_demo, the local-only demo and the benchmarks' data) on the day it is started: the home
office's open complaints mostly on time, some due soon, a few overdue, under the real deadline rules with the holiday
calendar; every status present, each with its history. The demo server's office is checked through sync in
tests/server/test_demo_history.py."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain import Status
from app.models import Complaint, TimelineEvent
from app.rules.sla import load_policy
from app.store import meta
from app.store.db import Store, open_store
from demo import seed_demo
from tests.demo.office_day import assert_working_office, office_day

COUNT = 8_000  # two years of six offices: Sleman's ~3,200 leave some 80 open, enough for shares to mean something
# Start days: a Monday morning (09:00 WIB) and a Friday afternoon (15:00 WIB, when the next deadlines are Monday's).
DAYS = {"monday-morning": (datetime(2026, 3, 2, 2, 0, tzinfo=UTC), True),
        "friday-afternoon": (datetime(2026, 3, 6, 8, 0, tzinfo=UTC), False)}


@pytest.fixture(scope="module", params=list(DAYS))
def started(request: pytest.FixtureRequest, template_db: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[Store, datetime, bool]]:
    folder = tmp_path_factory.mktemp("start-day")
    shutil.copyfile(template_db, folder / "lapor-desk.sqlite3")
    store = open_store(folder / "lapor-desk.sqlite3", backup_dir=folder / "backups")
    now, working_morning = DAYS[request.param]
    seed_demo(store, count=COUNT, seed=7, now=now)
    yield store, now, working_morning
    store.close()


def test_the_home_office_on_its_start_day_is_a_working_office(started: tuple[Store, datetime, bool]) -> None:
    store, now, working_morning = started
    with store.read() as s:
        home = meta.get(s, meta.HOME_OFFICE)
        policy = load_policy(s, now.date())
        rows = s.execute(select(Complaint.status, Complaint.next_due_at).where(Complaint.office_id == home)).all()
    day = office_day(rows, now, policy)
    print(day)
    # Two years of complaints: most are long closed, the open work is a few percent of them.
    assert_working_office(day, working_morning=working_morning, open_share=(0.01, 0.08))


def test_every_status_has_complaints_with_their_history(started: tuple[Store, datetime, bool]) -> None:
    store, _, _ = started
    with store.read() as s:
        home = meta.get(s, meta.HOME_OFFICE)
        events = dict(s.execute(select(Complaint.status, func.max(func.count(TimelineEvent.id)).over(
            partition_by=Complaint.status)).join(TimelineEvent, TimelineEvent.complaint_id == Complaint.id)
            .where(Complaint.office_id == home).group_by(Complaint.id, Complaint.status)).all())
    # the longest history of a complaint in each status: one entry (receipt) only for unverified ones
    assert set(events) == {s.value for s in Status}
    assert all(n >= 2 for status, n in events.items() if status != Status.BELUM_TERVERIFIKASI), events
    assert events[Status.SELESAI] >= 4  # received, verified, followed up, closed
