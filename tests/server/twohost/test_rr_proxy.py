"""The round-robin proxy in front of the two-host tests (tests/helpers/rr_proxy.py) behaves like nginx's upstream
defaults: hosts in turn, a refused host skipped and marked down, a request that reached a dead host answered 502
unless its method is idempotent, the forwarded headers set and request ids kept, bodies passed whole both ways."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.helpers.postgres import free_port
from tests.helpers.rr_proxy import RoundRobinProxy


class _Echo(BaseHTTPRequestHandler):
    """Answers with its name, the request's headers and the SHA-256 of its body; GET /big streams 3 MiB chunked."""

    protocol_version = "HTTP/1.1"
    server: ThreadingHTTPServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return

    def do_GET(self) -> None:
        if self.path == "/big":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(3):
                block = bytes([i]) * (1 << 20)
                self.wfile.write(f"{len(block):x}\r\n".encode() + block + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        self._answer(b"")

    def do_POST(self) -> None:
        self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    do_PUT = do_POST

    def _answer(self, body: bytes) -> None:
        text = json.dumps({"host": self.server.name, "headers": dict(self.headers.items()),  # type: ignore[attr-defined]
                           "sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)


class Upstream:
    def __init__(self, name: str) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
        self.server.name = name  # type: ignore[attr-defined]
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.closed = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.closed = True
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def upstreams() -> Iterator[list[Upstream]]:
    ups = [Upstream("a"), Upstream("b")]
    yield ups
    for up in ups:
        if not up.closed:
            up.close()


def test_requests_go_to_the_hosts_in_turn_with_forwarded_headers(upstreams: list[Upstream]) -> None:
    proxy = RoundRobinProxy([u.url for u in upstreams]).start()
    try:
        answers = [requests.get(proxy.url + "/x", headers={"X-Request-Id": f"req-{n}", "X-Forwarded-For": "10.1.2.3"},
                                timeout=10).json() for n in range(4)]
    finally:
        proxy.stop()
    assert [a["host"] for a in answers] == ["a", "b", "a", "b"]
    assert proxy.served == {0: 2, 1: 2}
    first = answers[0]["headers"]
    assert first["X-Request-Id"] == "req-0"
    assert first["X-Forwarded-For"] == "10.1.2.3, 127.0.0.1"  # nginx's $proxy_add_x_forwarded_for
    assert first["X-Forwarded-Proto"] == "http"
    assert first["Connection"] == "close"


def test_bodies_pass_whole_both_ways(upstreams: list[Upstream]) -> None:
    """A 3 MiB upload with a length, one sent chunked, and a 3 MiB chunked answer."""
    proxy = RoundRobinProxy([u.url for u in upstreams]).start()
    try:
        data = os.urandom(3 << 20)
        sent = requests.put(proxy.url + "/blob", data=data, timeout=30).json()
        assert (sent["sha256"], sent["size"]) == (hashlib.sha256(data).hexdigest(), len(data))
        chunked = requests.post(proxy.url + "/c", data=iter([data[:1000], data[1000:]]), timeout=30).json()
        assert chunked["sha256"] == hashlib.sha256(data).hexdigest()
        big = requests.get(proxy.url + "/big", timeout=30)
        assert big.content == b"".join(bytes([i]) * (1 << 20) for i in range(3))
    finally:
        proxy.stop()


def test_a_refused_host_is_skipped_and_marked_down(upstreams: list[Upstream]) -> None:
    """Nothing listens on the first host: every request goes to the second, and after the first refusal the
    first is not tried again until its time is up."""
    now = [0.0]
    dead = f"http://127.0.0.1:{free_port()}"
    proxy = RoundRobinProxy([dead, upstreams[1].url], fail_timeout=10, clock=lambda: now[0]).start()
    try:
        hosts = [requests.post(proxy.url + "/push", json={}, timeout=10).json()["host"] for _ in range(4)]
        assert hosts == ["b"] * 4
        assert [hop.tried for hop in proxy.log] == [[0, 1], [1], [1], [1]]
        now[0] += 11  # fail_timeout passed: the first host is tried again (and refuses again)
        requests.get(proxy.url + "/x", timeout=10)
        requests.get(proxy.url + "/x", timeout=10)
        assert [0, 1] in [hop.tried for hop in proxy.log[4:]]
    finally:
        proxy.stop()


@pytest.mark.parametrize(("method", "resent"), [("POST", False), ("PUT", True)])
def test_a_host_that_fails_after_the_request_was_sent(upstreams: list[Upstream], method: str, resent: bool) -> None:
    """The host does the work but its answer never comes: a POST is answered 502 (nginx never sends a
    non-idempotent request twice), a PUT goes to the next host."""
    proxy = RoundRobinProxy([u.url for u in upstreams]).start()
    try:
        hook = proxy.on(method, "/api/", "answered", lambda host: None)
        response = requests.request(method, proxy.url + "/api/thing", data=b"isi", timeout=10)
        assert hook.wait() == 0
        if resent:
            assert response.status_code == 200 and response.json()["host"] == "b"
            assert proxy.log[-1].tried == [0, 1]
        else:
            assert response.status_code == 502
            assert proxy.log[-1].tried == [0] and proxy.served == {}
    finally:
        proxy.stop()


def test_a_host_that_dies_between_two_requests(upstreams: list[Upstream]) -> None:
    """The first host's answer reaches the client whole, the host is gone before the client's next request: the
    next goes to the second host in turn, the one after finds the first refusing and goes to the second too."""
    proxy = RoundRobinProxy([u.url for u in upstreams]).start()
    try:
        hook = proxy.on("GET", "/x", "relayed", lambda host: upstreams[host].close())
        hosts = [requests.get(proxy.url + "/x", timeout=10).json()["host"] for _ in range(4)]
        assert hook.wait() == 0
        assert hosts == ["a", "b", "b", "b"]
        assert [hop.tried for hop in proxy.log] == [[0], [1], [0, 1], [1]]
    finally:
        proxy.stop()
