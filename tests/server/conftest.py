"""Server fixtures: every server test runs twice, on SQLite and on a real PostgreSQL started by the test run.

``backend`` is a migrated database, a blob directory and a real uvicorn on 127.0.0.1 serving create_app() with a
clock the test controls. ``office_a``/``office_b`` are seeded offices; ``device_a``/``device_b`` are PCs enrolled
over HTTP.

Attachment files are in a folder; a module that tests files defines ``files_kind`` over :data:`FILE_STORES` and its
tests run against an S3 bucket (SeaweedFS, tests/helpers/seaweed.py) too.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from app.timeutil import utcnow
from server import apply_batch
from server.app import create_app
from server.db import Database, make_engine, migrate
from server.files import ENV_S3_ACCESS_KEY, ENV_S3_ENDPOINT, ENV_S3_REGION, ENV_S3_SECRET_KEY
from server.settings import Settings
from tests.helpers.exact_marks import wrong_exact_marks
from tests.helpers.live_server import serve_in_thread
from tests.helpers.seaweed import seaweed  # noqa: F401 - the fixture, for the S3 store
from tests.helpers.world import FakeClock
from tests.server.support import ADMIN_TOKEN, Backend, Device, SeededOffice, enrol, seed_office

BACKENDS = ["sqlite", "postgresql"]
FILE_STORES = ["folder", "s3"]


@pytest.fixture
def files_kind() -> str:
    """Where ``backend`` keeps attachment files: ``folder`` (its blob_dir) or ``s3`` (a fresh bucket)."""
    return "folder"


def files_url(request: pytest.FixtureRequest, kind: str) -> str | None:
    """The ``Settings.files`` of this kind: None for the folder; for S3 a new bucket, with the environment the
    server reads its endpoint and keys from set for the test."""
    if kind == "folder":
        return None
    server = request.getfixturevalue("seaweed")
    monkeypatch = request.getfixturevalue("monkeypatch")
    for name, value in ((ENV_S3_ENDPOINT, server.endpoint), (ENV_S3_ACCESS_KEY, server.access_key),
                        (ENV_S3_SECRET_KEY, server.secret_key), (ENV_S3_REGION, server.region)):
        monkeypatch.setenv(name, value)
    return f"s3://{server.bucket()}/lapor"  # a prefix, as a shared bucket would have


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A server database migrated to head once per run; each test gets a copy."""
    path = tmp_path_factory.mktemp("server-template") / "server.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_database(postgres_server: object) -> Callable[[], str]:
    """Fresh PostgreSQL databases cloned from one migrated template (CREATE DATABASE ... TEMPLATE)."""
    import psycopg

    template = postgres_server.create_database()  # type: ignore[attr-defined]
    engine = make_engine(template)
    migrate(engine)
    engine.dispose()
    template_name = template.rsplit("/", 1)[1]
    port = postgres_server.port  # type: ignore[attr-defined]
    counter = itertools.count(1)

    def create() -> str:
        name = f"lapor_server_{os.getpid()}_{next(counter)}"
        with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
        return str(postgres_server.url(name))  # type: ignore[attr-defined]

    return create


def database_url(request: pytest.FixtureRequest, kind: str, folder: Path) -> str:
    """A migrated, empty server database of this kind."""
    if kind == "sqlite":
        path = folder / "server.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("postgres_database")()  # type: ignore[no-any-return]


class AppSwitch:
    """One uvicorn for the whole run, serving whichever app the current test built (starting and stopping a
    server per test costs more than most tests)."""

    def __init__(self) -> None:
        self.app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


@pytest.fixture(scope="session")
def live_server() -> Iterator[tuple[AppSwitch, str]]:
    switch = AppSwitch()
    with serve_in_thread(switch) as url:
        yield switch, url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path, live_server: tuple[AppSwitch, str],
            files_kind: str) -> Iterator[Backend]:
    kind = request.param
    url = database_url(request, kind, tmp_path)
    pg = request.getfixturevalue("postgres_server") if kind == "postgresql" else None
    db = Database(make_engine(url, pool_size=8))  # a copy of a template already migrated to head
    # A rate limit no test reaches unless it asks for one (the rate-limit test serves its own app).
    settings = Settings(db_url=url, blob_dir=tmp_path / "blobs", national_admin_token=ADMIN_TOKEN,
                        rate_limit_per_minute=1_000_000,
                        files=files_url(request, files_kind))
    settings.blob_dir.mkdir()  # as `serve` makes it (else /health/ready says the file store is missing)
    clock = FakeClock(utcnow().replace(microsecond=0))
    switch, base = live_server
    switch.app = create_app(settings, db, clock=clock)
    try:
        with requests.Session() as http:
            yield Backend(kind, url, db, settings, clock, base, http)
        assert wrong_exact_marks(db.engine) == []  # (after the test: the column and the change log agree)
    finally:
        switch.app = None
        db.dispose()
        if pg is not None:
            pg.drop_database(url)


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema at all, of each kind (for tests of the migrations)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.sqlite3'}"
        return
    pg = request.getfixturevalue("postgres_server")
    url = pg.create_database()
    try:
        yield url
    finally:
        pg.drop_database(url)


@pytest.fixture
def office_a(backend: Backend) -> SeededOffice:
    return seed_office(backend, "34.04", "Pemerintah Kabupaten Sleman", "WIB")


@pytest.fixture
def office_b(backend: Backend) -> SeededOffice:
    return seed_office(backend, "51.03", "Pemerintah Kabupaten Badung", "WITA")


@pytest.fixture
def device_a(backend: Backend, office_a: SeededOffice) -> Device:
    return enrol(backend, office_a, "PC loket Sleman")


@pytest.fixture
def device_b(backend: Backend, office_b: SeededOffice) -> Device:
    return enrol(backend, office_b, "PC loket Badung")


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What each run of more than one mutation came to: "whole" or "one at a time"."""
    seen: list[str] = []
    apply_run = apply_batch._apply_run

    def recorded(*args: Any, **kwargs: Any) -> Any:
        done = apply_run(*args, **kwargs)
        seen.append("whole" if done is not None else "one at a time")
        return done

    monkeypatch.setattr(apply_batch, "_apply_run", recorded)
    yield seen
