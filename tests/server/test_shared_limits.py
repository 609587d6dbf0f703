"""Rate limits counted in the database (server.ratelimit.DatabaseBuckets): the same arithmetic as in memory, no
token spent twice by concurrent requests, and one budget for two ``lapor-server serve`` processes on one database."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import Engine

from server.db import make_engine
from server.ratelimit import (
    LEASE_BLOCK,
    Buckets,
    DatabaseBuckets,
    LeasedBuckets,
    MemoryBuckets,
    RateLimiter,
    buckets_engine,
)
from tests.helpers.live_server import answers
from tests.helpers.postgres import free_port
from tests.server.conftest import database_url
from tests.server.support import protocol_headers


class Ticks:
    """A clock the test moves (seconds)."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine | None]:
    if request.param == "memory":
        yield None
        return
    main = make_engine(database_url(request, request.param, tmp_path))
    separate = buckets_engine(main)
    try:
        yield separate
    finally:
        separate.dispose()
        main.dispose()


def _store(engine: Engine | None, name: str = "test") -> Buckets:
    return MemoryBuckets() if engine is None else DatabaseBuckets(engine, name)


def test_a_burst_then_one_token_a_second(engine: Engine | None) -> None:
    ticks = Ticks()
    limiter = RateLimiter(per_minute=60, burst=3, clock=ticks, store=_store(engine))
    assert [limiter.retry_after("pc") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.retry_after("pc") == pytest.approx(1.0)
    assert limiter.retry_after("other") == 0.0  # one key's budget is not another's
    ticks.now += 0.5
    assert limiter.retry_after("pc") == pytest.approx(0.5)  # a refusal takes nothing
    ticks.now += 0.5
    assert limiter.retry_after("pc") == 0.0
    ticks.now += 3600
    assert limiter.remaining("pc") == pytest.approx(3.0)  # never more than the burst


def test_bytes_beyond_the_burst_go_once_full_and_leave_a_debt(engine: Engine | None) -> None:
    ticks = Ticks()
    limiter = RateLimiter(per_minute=60, burst=100, clock=ticks, store=_store(engine))  # a byte a second
    assert limiter.take("pc", 60) == 0.0
    assert limiter.take("pc", 250) == pytest.approx(60.0)  # needs a full bucket: 60 seconds more
    ticks.now += 60
    assert limiter.take("pc", 250) == 0.0
    assert limiter.remaining("pc") == pytest.approx(-150.0)
    assert limiter.wait("pc") == pytest.approx(151.0)


def test_a_charge_goes_into_debt_and_a_clock_behind_refills_nothing(engine: Engine | None) -> None:
    ticks = Ticks()
    limiter = RateLimiter(per_minute=60, burst=2, clock=ticks, store=_store(engine))
    for _ in range(4):
        limiter.charge("address")
    assert limiter.remaining("address") == pytest.approx(-2.0)
    ticks.now -= 30  # another host's clock, behind this one's
    assert limiter.retry_after("address") == pytest.approx(3.0)
    ticks.now += 33
    assert limiter.retry_after("address") == 0.0


def test_limits_with_other_names_count_apart(engine: Engine | None) -> None:
    if engine is None:
        pytest.skip("names are the database table's")
    ticks = Ticks()
    first = RateLimiter(per_minute=1, burst=1, clock=ticks, store=_store(engine, "first"))
    second = RateLimiter(per_minute=1, burst=1, clock=ticks, store=_store(engine, "second"))
    assert first.retry_after("pc") == 0.0 and second.retry_after("pc") == 0.0
    assert first.retry_after("pc") > 0 and second.retry_after("pc") > 0


def test_concurrent_requests_never_spend_a_token_twice(engine: Engine | None) -> None:
    """Eight threads take from one bucket of 100 at one instant: exactly 100 go ahead, and the bucket is empty (a
    lost update would let more through and leave tokens behind)."""
    ticks = Ticks()
    limiter = RateLimiter(per_minute=0.001, burst=100, clock=ticks, store=_store(engine))
    granted: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def hammer() -> None:
        start.wait()
        mine = sum(1 for _ in range(40) if limiter.retry_after("pc") == 0.0)
        with lock:
            granted.append(mine)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(granted) == 100
    assert limiter.remaining("pc") == pytest.approx(0.0)


def test_the_sweep_forgets_only_full_buckets(engine: Engine | None) -> None:
    if engine is None:
        pytest.skip("MemoryBuckets' sweep: tests/server/test_enrolment.py")
    ticks = Ticks()
    store = DatabaseBuckets(engine, "sweep", sweep_every=4)
    limiter = RateLimiter(per_minute=60, burst=2, clock=ticks, store=store)
    limiter.charge("busy")
    limiter.charge("busy")
    limiter.charge("busy")  # in debt
    ticks.now += 2  # busy holds 1 token again, short of full
    assert limiter.retry_after("full") == 0.0  # the fourth take sweeps
    with engine.connect() as conn:
        keys = {row[0] for row in conn.exec_driver_sql("SELECT key FROM rate_buckets WHERE name = 'sweep'")}
    assert keys == {"busy", "full"}
    assert limiter.remaining("busy") == pytest.approx(1.0)


# Leases: blocks of one-at-a-time requests ----------------------------------------------------------------------------


class Counting(MemoryBuckets):
    """The shared store, counting the statements a take would cost it."""

    def __init__(self) -> None:
        super().__init__()
        self.takes = 0

    def take(self, key: str, cost: float, needed: float, now: float, rate: float, burst: float) -> float | None:
        self.takes += 1
        return super().take(key, cost, needed, now, rate, burst)


def test_a_burst_of_requests_costs_the_shared_store_one_take_a_block() -> None:
    ticks, shared = Ticks(), Counting()
    limiter = RateLimiter(per_minute=0.001, burst=100, clock=ticks, store=LeasedBuckets(shared, block=10))
    assert [limiter.retry_after("pc") for _ in range(30)] == [0.0] * 30
    assert shared.takes == 3
    assert limiter.remaining("pc") == pytest.approx(70.0)  # the shared bucket's 70 and nothing parked


def test_processes_leasing_from_one_bucket_never_let_more_through_than_it_holds() -> None:
    """Two processes alternate a device's requests on a bucket of 35: exactly 35 go ahead (the last ones token by
    token once a block no longer fits), and then both refuse. Meanwhile one may refuse while the other still holds
    tokens of its block: the tolerance, on the strict side."""
    ticks, shared = Ticks(), Counting()
    hosts = [RateLimiter(per_minute=0.001, burst=35, clock=ticks, store=LeasedBuckets(shared, block=10))
             for _ in range(2)]
    answers = [hosts[n % 2].retry_after("pc") == 0.0 for n in range(60)]
    assert answers.count(True) == 35
    assert answers[:30] == [True] * 30 and answers[-10:] == [False] * 10
    assert shared.tokens("pc", ticks.now, 0.001 / 60, 35) == pytest.approx(0.0)


def test_tokens_parked_in_one_process_wait_there_for_the_next_request() -> None:
    """The tolerance is one-off: a process keeps the unused rest of its block for the device's next request, and
    a refused request takes nothing from it."""
    ticks, shared = Ticks(), Counting()
    limiter = RateLimiter(per_minute=60, burst=20, clock=ticks, store=LeasedBuckets(shared, block=10))
    assert limiter.retry_after("pc") == 0.0  # a block of 10 taken, 9 parked
    ticks.now += 3600  # the shared bucket refills to 20
    assert [limiter.retry_after("pc") for _ in range(29)] == [0.0] * 29  # 9 parked + 20 shared
    wait = limiter.retry_after("pc")
    assert wait == pytest.approx(1.0)  # one token a second, as without leases
    assert shared.takes == 1 + 2 + 2  # the first block, two more, then a refused block and a refused token


def test_other_costs_go_straight_to_the_shared_store() -> None:
    ticks, shared = Ticks(), Counting()
    limiter = RateLimiter(per_minute=60, burst=100, clock=ticks, store=LeasedBuckets(shared, block=10))
    assert limiter.take("pc", 30) == 0.0
    limiter.charge("pc")
    assert shared.takes == 2
    assert limiter.remaining("pc") == pytest.approx(69.0)


# Two servers on one PostgreSQL ------------------------------------------------------------------------------------


def _cli(*args: str) -> str:
    done = subprocess.run([sys.executable, "-c", "from server.cli import main; main()", *args], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def two_servers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """Two ``lapor-server serve`` processes, each with its own folder, on one migrated PostgreSQL database with an
    office: the database URL and the two base URLs."""
    db = request.getfixturevalue("postgres_server").create_database()
    _cli("migrate", "--db", db)
    _cli("admin", "create-office", "--db", db, "--region", "34.04", "--name", "Kabupaten Sleman", "--tz", "WIB")
    procs: list[subprocess.Popen[str]] = []
    bases: list[str] = []
    try:
        for host in ("a", "b"):
            port = free_port()
            procs.append(subprocess.Popen(
                [sys.executable, "-c", "from server.cli import main; main()", "serve", "--db", db, "--blob-dir",
                 str(tmp_path / host / "blobs"), "--port", str(port)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True))
            bases.append(f"http://127.0.0.1:{port}")
        for proc, base in zip(procs, bases, strict=True):
            deadline = time.monotonic() + 60
            while not answers(base + "/health/live"):
                assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield db, bases
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_two_servers_share_one_request_budget(two_servers: tuple[str, list[str]]) -> None:
    """A device's requests alternated between two hosts are refused after one budget (600 a minute, 150 at once),
    not two. The budget refills by 10 a second while the test runs, so what went ahead is bounded by the burst and
    the refill over the time measured; two budgets would let all 400 through. Each host leases tokens in blocks
    (LEASE_BLOCK), so when one host finds the budget empty the other may still hold up to LEASE_BLOCK - 1 unused: the
    first refusal comes after at least 150 - (LEASE_BLOCK - 1) answers, and only the refill decides whether the burst
    reaches 150 (it did on a slow machine, not always on a fast one)."""
    db, bases = two_servers
    code = _cli("admin", "enroll", "--db", db, "--office", "34.04").strip()
    enrolled = requests.post(bases[0] + "/api/v1/enroll", json={"code": code, "device_name": "PC loket 1"},
                             headers=protocol_headers(), timeout=30)
    assert enrolled.status_code == 200, enrolled.text
    headers = protocol_headers(enrolled.json()["token"])
    answers: list[int] = []
    began = time.monotonic()
    with requests.Session() as http:
        for n in range(400):
            response = http.post(bases[n % 2] + "/api/v1/sync/missing", json={}, headers=headers, timeout=30)
            answers.append(response.status_code)
            if response.status_code == 429:
                assert int(response.headers["Retry-After"]) >= 1
    took = time.monotonic() - began
    assert set(answers) == {200, 429}
    burst = 150 - (LEASE_BLOCK - 1)  # the burst, less what the other host may hold unused
    assert answers[:burst] == [200] * burst
    assert answers.count(200) <= 150 + 10 * took + 1
    assert {answers[n] for n in range(1, 400, 2)} >= {200, 429}  # each host refuses too, from the shared count


def test_two_servers_share_one_wrong_code_count(two_servers: tuple[str, list[str]]) -> None:
    """Wrong enrolment codes from one address, alternated between two hosts: 20 are answered, then 429 on both."""
    _db, bases = two_servers
    statuses: list[int] = []
    began = time.monotonic()
    for n in range(30):
        response = requests.post(bases[n % 2] + "/api/v1/enroll",
                                 json={"code": f"AAAA-BBBB-{n:04d}", "device_name": "PC tebakan"},
                                 headers=protocol_headers(), timeout=30)
        statuses.append(response.status_code)
    took = time.monotonic() - began
    refill = int(took / 60)  # one a minute
    assert statuses[:20] == [400] * 20
    assert statuses[20 + refill:] == [429] * (10 - refill)
    assert {statuses[20 + refill], statuses[21 + refill]} == {429}  # the second host too
