"""Request ids: a server's log lines name the request they belong to (nginx's X-Request-Id, or one of its own), so
one request is followed from the load balancer's log to the host that answered it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.helpers.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]


def _serve(tmp_path: Path) -> tuple[subprocess.Popen[bytes], str, Path]:
    port = free_port()
    db = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    lapor_server = [sys.executable, "-c", "import sys; from server.cli import main; sys.exit(main())"]
    subprocess.run([*lapor_server, "migrate", "--db", db], check=True, capture_output=True, cwd=ROOT)
    log = tmp_path / "serve.log"
    proc = subprocess.Popen([*lapor_server, "serve", "--db", db, "--files", str(tmp_path / "files"), "--port",
                             str(port)], stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(url + "/health/live", timeout=2)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    return proc, url, log


def _lines(log: Path, request_id: str) -> list[dict[str, str]]:
    return [line for line in map(json.loads, log.read_text().splitlines()) if line.get("request_id") == request_id]


def test_a_request_id_from_nginx_names_the_access_line_and_the_answer(tmp_path: Path) -> None:
    proc, url, log = _serve(tmp_path)
    try:
        given = "4f0c5bd2e1a84c7a9b3e2d1c0f9e8d7a"
        answer = requests.get(url + "/api/v1/national/offices", headers={"X-Request-Id": given}, timeout=10)
        assert answer.status_code == 403 and answer.headers["X-Request-Id"] == given
        mine = requests.get(url + "/health", headers={"X-Request-Id": "not a token; drop"}, timeout=10)
        made = mine.headers["X-Request-Id"]
        assert len(made) == 32 and made != given
    finally:
        proc.terminate()
        proc.wait(30)
    access = [line["msg"] for line in _lines(log, given)]
    assert any("/api/v1/national/offices" in msg and "403" in msg for msg in access), access
    assert any("GET /health" in line["msg"] for line in _lines(log, made))
