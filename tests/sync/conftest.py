"""Sync fixtures: a real ``lapor-server`` in a subprocess (one per database kind for the whole run, or per xdist
worker; each test seeds its own offices), a fault-injecting proxy per test between the PCs and that server, and a
fleet of PCs.

``server`` runs every test that asks for it on SQLite and on PostgreSQL; a test that needs only one kind says
``@pytest.mark.parametrize("server", ["sqlite"], indirect=True)``; a module that needs a server of its own overrides
the ``server`` fixture.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sync.engine import PUSH_BATCH
from tests.helpers.credentials import no_os_keyring
from tests.helpers.exact_marks import wrong_exact_marks
from tests.sync.faultproxy import FaultProxy
from tests.sync.fleet import PC, Fleet, seed_office
from tests.sync.serverproc import ServerProcess

BACKENDS = ["sqlite", "postgresql"]

@pytest.fixture(autouse=True)
def _no_os_keyring() -> Iterator[None]:
    with no_os_keyring():
        yield


def new_server(request: pytest.FixtureRequest, kind: str, folder: Path,
               before_database_stops: Callable[[], None] | None = None) -> ServerProcess:
    """A server over a fresh, empty database of this kind (``start`` runs ``migrate``, then ``serve``).
    ``before_database_stops``: what to run before a database server that may stop before the caller's end does."""
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        url = f"sqlite:///{folder / 'server.sqlite3'}"
    else:
        postgres = request.getfixturevalue("postgres_server")
        if before_database_stops is not None:
            postgres.before_stop.append(before_database_stops)
        url = postgres.create_database()
    return ServerProcess(kind, url, folder)


@pytest.fixture(scope="session")
def server_pool(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[Callable[[str], ServerProcess]]:
    started: dict[str, ServerProcess] = {}
    settled: set[str] = set()

    def settle(kind: str) -> None:
        """Stop the server and check what every sync test of the run left: the exact marks and the change log
        agree. Once, at the end of the run, or before PostgreSQL stops if it stops first (it was set up later)."""
        if kind in settled or kind not in started:
            return
        settled.add(kind)
        proc = started[kind]
        proc.stop()
        wrong = wrong_exact_marks(proc.db.engine)
        proc.close_db()
        assert wrong == [], kind

    def get(kind: str) -> ServerProcess:
        if kind not in started:
            folder = tmp_path_factory.mktemp(f"server-{kind}")
            started[kind] = new_server(request, kind, folder, lambda: settle(kind)).start()
        return started[kind]

    yield get
    for kind in list(started):
        settle(kind)


@pytest.fixture(params=BACKENDS)
def server(request: pytest.FixtureRequest, server_pool: Callable[[str], ServerProcess]) -> ServerProcess:
    return server_pool(request.param)


@pytest.fixture
def proxy(server: ServerProcess) -> Iterator[FaultProxy]:
    p = FaultProxy(server.url).start()
    yield p
    p.stop()


@pytest.fixture
def fleet(request: pytest.FixtureRequest, server: ServerProcess, proxy: FaultProxy, tmp_path: Path,
          template_db: Path) -> Iterator[Fleet]:
    f = Fleet(server, tmp_path, template_db, proxy.url)
    yield f
    f.close()
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(f"--- server log ({server.kind}) ---\n{server.log_tail()}")


# ---- the long-offline PC, typing in its backlog in the background --------------------------------------------------

BACKLOG_TEST = "test_offline_backlog.py"
# Just over two push batches: enough to show batches are bounded and the last partial one arrives too (a bigger
# backlog proves nothing more and costs CI time; bench/ measures large ones).
BACKLOG = 2 * PUSH_BATCH + 1
ROOT = Path(__file__).resolve().parents[2]
_BACKLOG_KINDS = pytest.StashKey[set[str]]()


@dataclass
class OfflinePC:
    """A PC enrolled (through its own proxy) and synced once, then closed while backlog_child types BACKLOG
    complaints into it. :meth:`ready` waits for the child and opens the PC again."""

    pc: PC
    proxy: FaultProxy
    command: list[str]
    log: Path
    done: threading.Event = field(default_factory=threading.Event)
    proc: subprocess.Popen[bytes] | None = None

    def type_backlog(self) -> None:
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(self.command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
            self.proc.wait()
        self.done.set()

    def ready(self, timeout: float = 900) -> PC:
        assert self.done.wait(timeout), "backlog_child did not finish"
        assert self.proc is not None and self.proc.returncode == 0, \
            f"backlog_child failed:\n{self.log.read_text(errors='replace')[-4000:]}"
        self.pc.reopen()
        return self.pc


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    config.stash[_BACKLOG_KINDS] = {str(item.callspec.params["server"]) for item in items
                                    if isinstance(item, pytest.Function) and item.path.name == BACKLOG_TEST
                                    and hasattr(item, "callspec")}


class OfflineBacklogs:
    """The offline PCs by database kind. Run alone, every one is set up at the start of the sync tests and typed in
    the background; in a pytest-xdist worker (which collects every test but runs only those it is sent, and has no
    idle core to overlap with) a kind's PC is set up and typed in only when its test asks for it, so no worker types
    a backlog that another worker's test syncs."""

    def __init__(self, server_pool: Callable[[str], ServerProcess], tmp_path_factory: pytest.TempPathFactory,
                 template_db: Path) -> None:
        self._server_pool = server_pool
        self._tmp_path_factory = tmp_path_factory
        self._template_db = template_db
        self.jobs: dict[str, OfflinePC] = {}

    def prepare(self, kind: str) -> OfflinePC:
        server = self._server_pool(kind)
        proxy = FaultProxy(server.url).start()
        folder = self._tmp_path_factory.mktemp(f"offline-{kind}")
        with no_os_keyring():
            pc = PC(folder, self._template_db, seed_office(server), proxy.url, name="pc-luring")
        pc.close()
        command = [sys.executable, "-m", "tests.sync.backlog_child", str(pc.paths.data_dir), pc.office.counter,
                   str(BACKLOG)]
        self.jobs[kind] = OfflinePC(pc, proxy, command, folder / "backlog_child.log")
        return self.jobs[kind]

    def __getitem__(self, kind: str) -> OfflinePC:
        job = self.jobs.get(kind)
        if job is None:  # not set up in advance (an xdist worker): set up and typed in now, in the foreground
            job = self.prepare(kind)
            job.type_backlog()
        return job


@pytest.fixture(scope="session", autouse=True)
def offline_backlogs(request: pytest.FixtureRequest, server_pool: Callable[[str], ServerProcess],
                     tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Iterator[OfflineBacklogs]:
    """Set up before the first sync test when test_offline_backlog is selected: the local typing (most of a minute
    per database kind, no network) runs in a background process, one kind after the other, overlapping the other
    tests; the sync itself runs in the test, alone. In an xdist worker nothing starts here (OfflineBacklogs)."""
    backlogs = OfflineBacklogs(server_pool, tmp_path_factory, template_db)
    kinds: set[str] = request.config.stash.get(_BACKLOG_KINDS, set())
    if os.environ.get("PYTEST_XDIST_WORKER"):
        kinds = set()
    for kind in (k for k in BACKENDS if k in kinds):
        backlogs.prepare(kind)
    jobs = list(backlogs.jobs.values())
    stopping = threading.Event()

    def one_after_another() -> None:
        for job in jobs:
            if stopping.is_set():
                return
            job.type_backlog()

    runner = threading.Thread(target=one_after_another, daemon=True)
    runner.start()
    yield backlogs
    stopping.set()
    for job in backlogs.jobs.values():
        if job.proc is not None and job.proc.poll() is None:
            job.proc.kill()
    runner.join(timeout=30)
    for job in backlogs.jobs.values():
        with contextlib.suppress(Exception):
            job.pc.close()
        job.proxy.stop()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """Keep the call's report on the item, so fixtures can show the server log when a test failed."""
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report
