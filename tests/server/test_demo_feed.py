"""The demo feed: while the demo server runs, new online complaints keep arriving for the pilot offices, at random
moments about a minute apart, through the national intake, and a demo PC's next sync brings its office's in. Driven
by the clock the test moves (no sleeping): :meth:`DemoFeed.catch_up` files what is due by the time it is given."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain import Channel, DeadlineState, EventKind, Status
from app.models import Complaint as PcComplaint
from app.models import TimelineEvent as PcEvent
from app.rules.sla import deadline_state, load_policy
from server.db import Database
from server.demo import FEED_BATCH, FEED_ENV, FEED_EVERY, DemoFeed, feed_settings, seed_server_demo, start_feed
from server.models import Complaint, Office
from sync.session import build_engine
from tests.helpers.credentials import no_os_keyring
from tests.server.support import Backend
from tests.server.test_demo_history import enrolled_pc, sleman_id

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB


@pytest.fixture(autouse=True)
def _no_os_keyring() -> Iterator[None]:
    with no_os_keyring():
        yield


def _complaints(db: Database, *where: object) -> list[Complaint]:
    with db.transaction() as s:
        rows = s.execute(select(Complaint).where(*where).order_by(Complaint.received_at)).scalars().all()
        s.expunge_all()
        return list(rows)


def test_new_online_complaints_keep_arriving_and_reach_the_pc_through_sync(
        backend: Backend, tmp_path: Path, template_db: Path) -> None:
    backend.clock.now = NOW
    seed_server_demo(backend.db, complaints=200, seed=3, now=NOW, feed=True)
    assert feed_settings(backend.db) == (3, FEED_EVERY)
    office_id = sleman_id(backend.db)
    store, paths = enrolled_pc(backend, tmp_path / "pc", template_db)
    try:
        engine = build_engine(store, paths)
        first = engine.run_once().pulled_complaints
        assert first > 0
        feed = DemoFeed(backend.db, seed=3, start=NOW)
        assert feed.catch_up(NOW) == []  # nothing at the very moment the server starts

        # An hour with the window open, looked at every five minutes as the app's sync does.
        arrived: list[int] = []
        pulled = 0
        for minute in range(5, 61, 5):
            backend.clock.now = NOW + timedelta(minutes=minute)
            arrived.append(len(feed.catch_up(backend.clock.now)))
            pulled += engine.run_once().pulled_complaints
        new = _complaints(backend.db, Complaint.received_at > NOW)
        sleman = [c for c in new if c.office_id == office_id]
        # About one every FEED_EVERY seconds for the six offices: some every five minutes, never a flood.
        assert sum(arrived) == len(new) == feed.filed
        assert 3600 / FEED_EVERY / 2 <= len(new) <= 3600 / FEED_EVERY * 2
        assert all(1 <= n < FEED_BATCH for n in arrived), arrived
        gaps = [(b.received_at - a.received_at).total_seconds() for a, b in zip(new, new[1:], strict=False)]
        assert min(gaps) >= FEED_EVERY / 4 - 1 and max(gaps) <= 3 * FEED_EVERY + 1
        assert {c.office_id for c in new} <= set(_office_ids(backend.db)) and len(sleman) >= 5
        assert all(c.channel == Channel.LAPOR_ONLINE and c.status == Status.BELUM_TERVERIFIKASI for c in new)
        assert pulled == len(sleman)

        # On the PC: each is there, new and unverified, its verification deadline days away.
        with store.read() as s:
            policy = load_policy(s, NOW.date())
            got = {c.id: c for c in s.execute(select(PcComplaint).where(
                PcComplaint.id.in_([c.id for c in sleman]))).scalars()}
            kinds = dict(s.execute(select(PcEvent.complaint_id, func.group_concat(PcEvent.kind))
                                   .where(PcEvent.complaint_id.in_(list(got))).group_by(PcEvent.complaint_id)).all())
            s.expunge_all()
        assert set(got) == {c.id for c in sleman}
        for c in got.values():
            assert c.status == Status.BELUM_TERVERIFIKASI and c.channel == Channel.LAPOR_ONLINE
            assert sorted(kinds[c.id].split(",")) == sorted([EventKind.RECEIVED, EventKind.ROUTED])
            assert deadline_state(c.next_due_at, backend.clock.now, policy) == DeadlineState.ON_TIME
    finally:
        store.close()


def _office_ids(db: Database) -> list[str]:
    with db.transaction() as s:
        return list(s.execute(select(Office.id)).scalars())


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_clock_that_jumps_brings_a_batch_not_a_flood(backend: Backend) -> None:
    seed_server_demo(backend.db, complaints=20, seed=4, now=NOW, feed=True)
    feed = DemoFeed(backend.db, seed=4, start=NOW)
    later = NOW + timedelta(days=2)  # a PC woken up after a weekend
    assert len(feed.catch_up(later)) == FEED_BATCH
    assert later < feed.next_at <= later + timedelta(seconds=3 * FEED_EVERY)
    assert feed.catch_up(later) == []


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_same_seed_and_start_give_the_same_arrivals(backend: Backend) -> None:
    seed_server_demo(backend.db, complaints=20, seed=4, now=NOW)
    one, two = DemoFeed(backend.db, seed=4, start=NOW), DemoFeed(backend.db, seed=4, start=NOW)
    until = NOW + timedelta(minutes=10)
    first = [(c.title, c.received_at, c.office_id) for c in _by_id(backend.db, one.catch_up(until))]
    second = [(c.title, c.received_at, c.office_id) for c in _by_id(backend.db, two.catch_up(until))]
    assert first == second and first


def _by_id(db: Database, ids: list[str]) -> list[Complaint]:
    order = {cid: i for i, cid in enumerate(ids)}
    return sorted(_complaints(db, Complaint.id.in_(ids)), key=lambda c: order[c.id])


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_feed_runs_only_on_a_demo_made_with_it(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    seed_server_demo(backend.db, complaints=20, seed=4, now=NOW)
    assert feed_settings(backend.db) is None  # admin demo without --feed (a load test's server, the wizard tests')
    seed_server_demo(backend.db, complaints=0, seed=4, now=NOW, feed=True)
    assert feed_settings(backend.db) == (4, FEED_EVERY)
    monkeypatch.setenv(FEED_ENV, "0")
    assert feed_settings(backend.db) is None
    monkeypatch.setenv(FEED_ENV, "5")
    assert feed_settings(backend.db) == (4, 5.0)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_served_feed_files_in_the_background_until_stopped(backend: Backend) -> None:
    """What ``lapor-server serve`` starts: a thread filing what the clock says is due (the clock here runs ten
    minutes ahead at each look, so the first look already finds complaints due)."""
    seed_server_demo(backend.db, complaints=20, seed=4, now=NOW, feed=True)
    before = len(_complaints(backend.db))
    looks = iter(range(1_000_000))
    lock = threading.Lock()

    def clock() -> datetime:
        with lock:
            return NOW + timedelta(minutes=10 * next(looks))

    runner = start_feed(backend.db, clock=clock)
    assert runner is not None
    try:
        deadline = datetime.now(UTC) + timedelta(seconds=60)
        while len(_complaints(backend.db)) == before and datetime.now(UTC) < deadline:
            threading.Event().wait(0.05)
        assert len(_complaints(backend.db)) > before
    finally:
        runner.stop()
