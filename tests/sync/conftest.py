"""Sync fixtures: a real ``lapor-server`` in a subprocess (one per database kind for the whole run; each test seeds
its own offices), a fault-injecting proxy per test between the PCs and that server, and a fleet of PCs.

``server`` runs every test that asks for it on SQLite and on PostgreSQL; a test that needs only one kind says
``@pytest.mark.parametrize("server", ["sqlite"], indirect=True)``; a module that needs a server of its own overrides
the ``server`` fixture.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from tests.sync.faultproxy import FaultProxy
from tests.sync.fleet import PC, Fleet, seed_office
from tests.sync.serverproc import ServerProcess

BACKENDS = ["sqlite", "postgresql"]

# No OS keyring in tests: the device token goes to the private fallback file, never to the user's real keyring.
keyring.set_keyring(fail.Keyring())


def new_server(request: pytest.FixtureRequest, kind: str, folder: Path) -> ServerProcess:
    """A server over a fresh, empty database of this kind (``serve`` migrates it)."""
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        url = f"sqlite:///{folder / 'server.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_server").create_database()
    return ServerProcess(kind, url, folder)


@pytest.fixture(scope="session")
def server_pool(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[Callable[[str], ServerProcess]]:
    started: dict[str, ServerProcess] = {}

    def get(kind: str) -> ServerProcess:
        if kind not in started:
            started[kind] = new_server(request, kind, tmp_path_factory.mktemp(f"server-{kind}")).start()
        return started[kind]

    yield get
    for proc in started.values():
        proc.stop()
        proc.close_db()


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
BACKLOG = 2000
ROOT = Path(__file__).resolve().parents[2]
_BACKLOG_KINDS = pytest.StashKey[set[str]]()


@dataclass
class OfflinePC:
    """A PC enrolled (through its own proxy) and synced once, then closed while backlog_child types BACKLOG
    complaints into it. :meth:`ready` waits for the child and opens the PC again."""

    pc: PC
    proxy: FaultProxy
    proc: subprocess.Popen[bytes]
    log: Path

    def ready(self, timeout: float = 900) -> PC:
        code = self.proc.wait(timeout=timeout)
        assert code == 0, f"backlog_child failed ({code}):\n{self.log.read_text(errors='replace')[-4000:]}"
        self.pc.reopen()
        return self.pc


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    config.stash[_BACKLOG_KINDS] = {item.callspec.params["server"] for item in items  # type: ignore[attr-defined]
                                    if item.path.name == BACKLOG_TEST and hasattr(item, "callspec")}


@pytest.fixture(scope="session", autouse=True)
def offline_backlogs(request: pytest.FixtureRequest, server_pool: Callable[[str], ServerProcess],
                     tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Iterator[dict[str, OfflinePC]]:
    """Set up before the first sync test when test_offline_backlog is selected: the local typing (a minute per
    database kind, no network) then overlaps the other tests; the sync itself runs in the test, alone."""
    jobs: dict[str, OfflinePC] = {}
    for kind in sorted(request.config.stash.get(_BACKLOG_KINDS, set())):
        server = server_pool(kind)
        proxy = FaultProxy(server.url).start()
        folder = tmp_path_factory.mktemp(f"offline-{kind}")
        pc = PC(folder, template_db, seed_office(server), proxy.url, name="pc-luring")
        pc.close()
        log = folder / "backlog_child.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "tests.sync.backlog_child", str(pc.paths.data_dir),
                                     pc.office.counter, str(BACKLOG)], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        jobs[kind] = OfflinePC(pc, proxy, proc, log)
    yield jobs
    for job in jobs.values():
        if job.proc.poll() is None:
            job.proc.kill()
            job.proc.wait()
        with contextlib.suppress(Exception):
            job.pc.close()
        job.proxy.stop()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report
