"""/metrics: request latency by route template, pull pages, rate-limit refusals; no ids in labels; several
workers summed through prometheus-client's multiprocess directory."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import requests
from prometheus_client import REGISTRY

from server.app import create_app
from server.metrics import instrument
from tests.helpers.live_server import serve_in_thread
from tests.helpers.postgres import free_port
from tests.server.support import Backend, Device, SeededOffice


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_count_by_route_template_without_ids(backend: Backend, device_a: Device) -> None:
    app = instrument(create_app(replace(backend.settings, rate_limit_per_minute=2), backend.db, clock=backend.clock))
    sha = "ab" * 32
    blob_route = {"method": "GET", "route": "/api/v1/blobs/{sha256}", "status": "401"}
    before = _value("lapor_http_request_seconds_count", **blob_route)
    refused = _value("lapor_rate_limit_refusals_total", route="/api/v1/reference")
    with serve_in_thread(app) as base:
        assert requests.get(f"{base}/api/v1/blobs/{sha}", timeout=30).status_code == 401
        statuses = [requests.get(f"{base}/api/v1/reference", headers=device_a.headers, timeout=30).status_code
                    for _ in range(12)]  # a burst of ten, then refusals
        page = requests.get(f"{base}/metrics", timeout=30)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/plain")
    assert _value("lapor_http_request_seconds_count", **blob_route) == before + 1
    assert statuses.count(429) >= 1
    assert _value("lapor_rate_limit_refusals_total", route="/api/v1/reference") == refused + statuses.count(429)
    assert sha not in page.text and device_a.device_id not in page.text and device_a.office.id not in page.text
    assert 'route="/api/v1/blobs/{sha256}"' in page.text


def test_metrics_count_pull_pages(backend: Backend, device_a: Device) -> None:
    app = instrument(create_app(backend.settings, backend.db, clock=backend.clock))
    before = _value("lapor_pull_pages_total")
    with serve_in_thread(app) as base:
        response = device_a.pull_raw(url=base)
    assert response.status_code == 200, response.text
    assert _value("lapor_pull_pages_total") == before + 1


def test_metrics_count_push_results_by_kind(backend: Backend, device_a: Device, office_b: SeededOffice) -> None:
    """Each pushed mutation's answer, by outcome and code, once its push committed; the codes are the server's own
    words, no id or text from the PC."""
    app = instrument(create_app(backend.settings, backend.db, clock=backend.clock))
    applied = _value("lapor_push_results_total", status="applied", code="none")
    refused = _value("lapor_push_results_total", status="rejected", code="permission_denied")
    with serve_in_thread(app) as base:
        response = device_a.push_raw(device_a.intake(), device_a.intake(), device_a.intake(user_id=office_b.counter),
                                     url=base)
        page = requests.get(f"{base}/metrics", timeout=30).text
    assert response.status_code == 200, response.text
    assert [r["status"] for r in response.json()["results"]] == ["applied", "applied", "rejected"]
    assert _value("lapor_push_results_total", status="applied", code="none") == applied + 2
    assert _value("lapor_push_results_total", status="rejected", code="permission_denied") == refused + 1
    assert 'lapor_push_results_total{code="permission_denied",status="rejected"}' in page
    assert device_a.device_id not in page and office_b.counter not in page


def test_two_workers_are_summed(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    run = [sys.executable, "-c", "from server.cli import main; main()"]
    subprocess.run([*run, "migrate", "--db", db], check=True, capture_output=True, timeout=120)
    port = free_port()
    proc = subprocess.Popen([*run, "serve", "--db", db, "--blob-dir", str(tmp_path / "blobs"), "--port", str(port),
                             "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None and time.monotonic() < deadline
            try:
                if requests.get(base + "/version", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.2)
        for _ in range(20):  # each on a new connection: the two workers share them
            assert requests.get(base + "/health/live", timeout=10).status_code == 200
        text = requests.get(base + "/metrics", timeout=10).text
        line = next(line for line in text.splitlines() if line.startswith("lapor_http_request_seconds_count{")
                    and 'route="/health/live"' in line)
        assert float(line.rsplit(" ", 1)[1]) == 20
    finally:
        proc.terminate()
        proc.wait(timeout=60)
