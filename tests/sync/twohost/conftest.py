"""The sync tests' ``server`` as two hosts behind a round-robin proxy (tests/helpers/twohost.py): one PostgreSQL
database and one S3 store (SeaweedFS) for the whole run (or xdist worker), both hosts running again and the
proxy's counts cleared before each test. Every test of this folder, and the sync tests imported here from
tests/sync, runs its PCs through it: the ``proxy`` and ``fleet`` fixtures of tests/sync/conftest.py wrap this
``server`` as they wrap a single one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.seaweed import seaweed  # noqa: F401 - the session's SeaweedFS, for the hosts' files
from tests.helpers.twohost import TwoHosts


@pytest.fixture(scope="session")
def two_hosts_pool(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoHosts]:
    store = request.getfixturevalue("seaweed")
    db = request.getfixturevalue("postgres_server").create_database()
    hosts = TwoHosts(db, tmp_path_factory.mktemp("twohost"), files=f"s3://{store.bucket()}/lapor", env=store.env())
    try:
        yield hosts.start()
    finally:
        hosts.stop()


@pytest.fixture
def server(request: pytest.FixtureRequest, two_hosts_pool: TwoHosts) -> Iterator[TwoHosts]:
    """Both hosts up (a test before may have killed one), counts from zero. A test imported from tests/sync that
    asks for one database kind gets PostgreSQL all the same: two hosts need a database both can reach."""
    for index in range(len(two_hosts_pool.hosts)):
        if not two_hosts_pool.alive(index):
            two_hosts_pool.start_host(index)
    two_hosts_pool.rr.reset_counts()
    yield two_hosts_pool
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(two_hosts_pool.log_tail())
