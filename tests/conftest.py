"""Shared fixtures: a migrated store with reference data (copied from one template per run), an office with a
user for every role, and a clock the test controls.

``make test`` runs the suite on two pytest-xdist workers. Each worker is a session of its own: the session-scoped
fixtures (the template store, the PostgreSQL server, the sync servers) are one per worker, the temp folders are the
worker's, and the only thing the workers share is the reservation of ports (tests/helpers/postgres.free_port). A
module-scoped fixture may be built in both workers, so it must not rely on seeing every test of its module."""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Not the machine-wide lapor-desk.toml or LAPOR_DESK_* settings of the computer running the tests
# (app.machine_config): a test that wants a machine file points $LAPOR_DESK_CONFIG at its own.
os.environ["LAPOR_DESK_CONFIG"] = str(Path(__file__).parent / "data" / "no-such-lapor-desk.toml")
os.environ.update({name: "" for name in ("LAPOR_DESK_SERVER_URL", "LAPOR_DESK_OFFICE", "LAPOR_DESK_CA_BUNDLE",
                                         "LAPOR_DESK_PROXY", "LAPOR_DESK_AUTO_SYNC_MINUTES", "LAPOR_DESK_BACKUP_DAILY",
                                         "LAPOR_DESK_BACKUP_WEEKLY", "LAPOR_DESK_LANGUAGE")})  # "": not given

import pytest

from app.collector import collect_due
from app.security import use_fast_hashing_for_tests
from app.store.db import Store, open_store
from tests.helpers.world import FakeClock, World, build_world

use_fast_hashing_for_tests()
gc.disable()  # (see _collect_on_the_main_thread)


@pytest.fixture(autouse=True)
def _collect_on_the_main_thread() -> Iterator[None]:
    """Python's cyclic collector runs in whichever thread allocates past its threshold. In a test run that is often
    a thread of the run's own (uvicorn serving the server tests, the proxies, the readers of servers' logs, xdist's),
    and the garbage the UI tests leave holds Qt objects, which must be destroyed on the GUI thread (ui/collector.py):
    destroyed elsewhere, the process crashed later, in a widget's constructor (CI, stop 33; reproduced within two
    minutes of tests/ui by a thread that only allocates). So automatic collection stays off, as the window keeps it
    off while its threads run, and what is due is collected here, on the main thread, after each test."""
    gc.disable()
    yield
    gc.disable()  # (a test may have turned it on: its own, or ui.collector once the GUI thread was alone)
    collect_due()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file migrated to head with all bundled reference data: built once, copied per test."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite3"
    store = open_store(path, backup_dir=folder / "backups")
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


@pytest.fixture
def data_dir(tmp_path: Path, template_db: Path) -> Path:
    """A data directory holding a fresh copy of the template store."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(template_db, folder / "lapor-desk.sqlite3")
    return folder


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    s = open_store(data_dir / "lapor-desk.sqlite3", backup_dir=data_dir / "backups")
    yield s
    s.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def world(store: Store, clock: FakeClock, data_dir: Path) -> World:
    """Sleman's office with units and one user per role, as the PC's home office."""
    return build_world(store, clock, blob_dir=data_dir / "attachments")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[object]:
    from tests.helpers.postgres import start_postgres

    server = start_postgres()
    yield server
    server.stop()
