"""Operations: health, version, the served OpenAPI document and the committed docs/openapi.json."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
import requests

from app import __version__
from server import admin, openapi_dump
from server.app import create_app
from server.db import Database, make_engine
from server.openapi_dump import openapi_text
from sync.protocol import MIN_PROTOCOL_VERSION, PROTOCOL_VERSION
from tests.helpers.live_server import serve_in_thread
from tests.server.support import Backend, Device, SeededOffice

ROOT = Path(__file__).resolve().parents[2]


def test_health_names_the_database(backend: Backend) -> None:
    response = backend.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": backend.kind}
    assert response.headers["X-Lapor-Server-Version"] == __version__


def test_liveness_and_readiness(backend: Backend) -> None:
    assert backend.get("/health/live").json() == {"status": "ok"}
    response = backend.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "files": "ok"}}


def test_readiness_names_a_file_store_that_is_missing_or_read_only(backend: Backend, tmp_path: Path) -> None:
    missing = tmp_path / "never-made"
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o500)
    if os.geteuid() == 0:  # root writes through permissions; /proc takes no new files from anyone
        read_only = Path("/proc/self")
    try:
        for folder, reason in ((missing, "missing"), (read_only, "not_writable")):
            app = create_app(replace(backend.settings, blob_dir=folder), backend.db, clock=backend.clock)
            with serve_in_thread(app) as base:
                response = requests.get(base + "/health/ready", timeout=30)
                assert response.status_code == 503, response.text
                assert response.json() == {"status": "not_ready", "checks": {"database": "ok", "files": reason}}
                assert requests.get(base + "/health/live", timeout=30).status_code == 200
    finally:
        (tmp_path / "read-only").chmod(0o700)


def test_version_reports_protocol_and_a_stable_era(backend: Backend) -> None:
    first = backend.get("/version").json()
    second = backend.get("/version").json()
    assert first["app"] == "lapor-server"
    assert first["version"] == __version__
    assert (first["protocol"], first["min_protocol"]) == (PROTOCOL_VERSION, MIN_PROTOCOL_VERSION)
    assert first["era"] and first["era"] == second["era"]
    assert first["server_time"].startswith(backend.clock().isoformat()[:19])


def test_openapi_is_served_with_every_route(backend: Backend) -> None:
    spec = backend.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    paths = set(spec["paths"])
    for path in ("/health", "/health/live", "/health/ready", "/version", "/api/v1/enroll", "/api/v1/token/refresh",
                 "/api/v1/reference",
                 "/api/v1/sync/push", "/api/v1/sync/pull", "/api/v1/blobs/{sha256}",
                 "/api/v1/national/complaints", "/api/v1/national/complaints/{complaint_id}/route",
                 "/open311/v2/services.json", "/open311/v2/requests.json", "/open311/v2/requests/{request_id}.json"):
        assert path in paths, path


def test_committed_openapi_matches_the_app(backend: Backend) -> None:
    """docs/openapi.json is regenerated with ``python -m server.openapi_dump > docs/openapi.json``."""
    committed = (ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert committed == openapi_text(backend.get("/openapi.json").json()), \
        "docs/openapi.json is stale: run python -m server.openapi_dump > docs/openapi.json"


def test_openapi_dump_module_prints_the_spec(backend: Backend, capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m server.openapi_dump`` runs main(); in-process here (a subprocess costs seconds of imports)."""
    openapi_dump.main()
    assert capsys.readouterr().out == openapi_text(backend.get("/openapi.json").json())


def test_concurrent_first_requests_agree_on_one_era(backend: Backend) -> None:
    """The era row is created by whichever request comes first; racing requests must not fail on it."""
    barrier = threading.Barrier(12)

    def version(_: int) -> tuple[int, str]:
        barrier.wait()
        response = requests.get(backend.url + "/version", timeout=30)
        return response.status_code, response.json().get("era", "")

    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(version, range(12)))
    assert {status for status, _ in answers} == {200}, answers
    assert len({era for _, era in answers}) == 1


def test_an_unreachable_database_is_a_503_with_retry_after(backend: Backend, tmp_path: Path) -> None:
    url = (f"sqlite:///{tmp_path}/no/such/folder/server.sqlite3" if backend.kind == "sqlite"
           else "postgresql+psycopg://postgres@127.0.0.1:9/tidak_ada?connect_timeout=3")
    db = Database(make_engine(url))
    app = create_app(replace(backend.settings, db_url=url), db, clock=backend.clock)
    try:
        with serve_in_thread(app) as base:
            for method, path in (("GET", "/health"), ("GET", "/version"), ("POST", "/api/v1/sync/pull")):
                response = requests.request(method, base + path, json={}, timeout=30,
                                            headers={"Authorization": "Bearer x"})
                assert response.status_code == 503, (path, response.text)
                assert response.json()["code"] == "unavailable"
                assert int(response.headers["Retry-After"]) > 0
            ready = requests.get(base + "/health/ready", timeout=30)
            assert ready.status_code == 503
            assert ready.json() == {"status": "not_ready", "checks": {"database": "unreachable", "files": "ok"}}
            assert requests.get(base + "/health/live", timeout=30).json() == {"status": "ok"}
    finally:
        db.dispose()


def test_reference_data_for_the_office(backend: Backend, device_a: Device, office_a: SeededOffice) -> None:
    with backend.db.transaction() as session:
        admin.import_reference(session, categories_json=None, policy_json=None, holiday_years=range(2026, 2027))
    body = backend.get("/api/v1/reference", headers=device_a.headers).json()
    assert len(body["categories"]) == 57
    assert body["sla_policy"] and body["holidays"]
    assert {h["day"][:4] for h in body["holidays"]} == {"2026"}
    assert {u["username"] for u in body["users"]} == set(office_a.usernames.values())
    assert all(u["password_hash"] for u in body["users"])
    assert {u["id"] for u in body["units"]} == set(office_a.units.values())
