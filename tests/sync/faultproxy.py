"""A fault-injecting HTTP proxy between a LAPOR Desk PC and the real server, on 127.0.0.1.

Each request is forwarded as is (bytes untouched, gzip included) unless a rule matches it. Faults:

- ``drop_before``: close the connection without forwarding (the server never sees the request);
- ``drop_after``: forward, wait for the server's whole reply, then close without a byte (server committed, the
  client sees no reply);
- ``cut``: forward, then send the reply's headers and only part of its body before closing (a page cut mid-body);
- ``status503``: answer 503 with ``Retry-After`` without forwarding;
- ``twice``: deliver the request to the server twice (one after the other) and answer with the second reply;
- ``twice_parallel``: deliver it twice at the same moment (two connections racing) and answer with one reply;
- ``truncate``: forward, then send the server's reply as it came (status line, headers, body) cut at ``at``: a byte
  count, or just after the first occurrence of a marker such as ``b"Content-Length: "`` (an empty length).

Rules match a method and a path prefix, may skip the first matches and fire a given number of times.

``speak_as(n)`` lowers the protocol every request announces (``X-Lapor-Protocol``) to at most ``n``: the server then
answers in the shapes of protocol ``n``, as a server that speaks no newer one would. ``gzip_only(True)`` makes the
server one that takes gzip request bodies only, as servers did before they named their codings: answers lose their
``Accept-Encoding``, and a zstd body is refused with 415 without being forwarded.
"""

from __future__ import annotations

import gzip
import http.client
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from sync.protocol import HEADER_PROTOCOL, zstd

FAULTS = ("drop_before", "drop_after", "cut", "status503", "twice", "twice_parallel", "truncate")
PROTOCOL_HEADER = HEADER_PROTOCOL.lower()
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
              "host"}


@dataclass
class Rule:
    method: str  # "*" for any
    path: str  # a path prefix
    fault: str
    times: int = 1
    skip: int = 0
    retry_after: int = 2
    at: int | bytes = 0  # where ``truncate`` cuts the reply
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        return (self.method in ("*", method)) and path.startswith(self.path)


@dataclass
class Exchange:
    """One request as the proxy saw it."""

    method: str
    path: str
    fault: str | None
    status: int | None
    request_bytes: int
    response_bytes: int
    push_size: int | None = None  # number of mutations in a push body
    coding: str | None = None  # the request body's Content-Encoding
    seconds: float = 0.0  # time the server took to answer


@dataclass
class Upstream:
    host: str
    port: int


@dataclass
class ProxyState:
    upstream: Upstream
    rules: list[Rule] = field(default_factory=list)
    log: list[Exchange] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    protocol: int | None = None  # the most a request may announce (FaultProxy.speak_as)
    gzip_only: bool = False  # a server before zstd request bodies (FaultProxy.gzip_only)

    def pick(self, method: str, path: str) -> Rule | None:
        with self.lock:
            for rule in self.rules:
                if rule.fired >= rule.times or not rule.matches(method, path):
                    continue
                if rule.skip > 0:
                    rule.skip -= 1
                    continue
                rule.fired += 1
                return rule
        return None


def _push_size(path: str, headers: dict[str, str], body: bytes) -> int | None:
    if not path.startswith("/api/v1/sync/push") or not body:
        return None
    try:
        coding = headers.get("content-encoding")
        raw = gzip.decompress(body) if coding == "gzip" else zstd.decompress(body) if coding == "zstd" else body
        return len(json.loads(raw).get("mutations", []))
    except (OSError, ValueError, zstd.ZstdError):
        return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _ProxyServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - BaseHTTPRequestHandler's name
        return

    def _forward(self, body: bytes, headers: dict[str, str]) -> tuple[int, str, list[tuple[str, str]], bytes]:
        up = self.server.state.upstream
        started = time.monotonic()
        conn = http.client.HTTPConnection(up.host, up.port, timeout=120)
        try:
            conn.request(self.command, self.path, body=body if body or self.command in ("POST", "PUT") else None,
                         headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, resp.reason, resp.getheaders(), data
        finally:
            self._seconds = time.monotonic() - started
            conn.close()

    def _handle(self) -> None:
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        if state.protocol is not None:
            headers = {k: str(min(int(v), state.protocol)) if k.lower() == PROTOCOL_HEADER else v
                       for k, v in headers.items()}
        lower = {k.lower(): v for k, v in headers.items()}
        path = urlsplit(self.path).path
        rule = state.pick(self.command, path)
        fault = rule.fault if rule else None
        record = Exchange(self.command, path, fault, None, len(body), 0, _push_size(path, lower, body),
                          coding=lower.get("content-encoding"))
        with state.lock:
            state.log.append(record)
        if fault == "drop_before":
            self.close_connection = True
            return
        if fault == "status503":
            self._refuse(record, 503, "unavailable", {"Retry-After": str(rule.retry_after if rule else 1)})
            return
        if state.gzip_only and record.coding == "zstd":
            self._refuse(record, 415, "unsupported_encoding", {})
            return
        if fault == "twice":
            self._forward(body, headers)
        if fault == "twice_parallel":
            results: list[tuple[int, str, list[tuple[str, str]], bytes]] = []
            racer = threading.Thread(target=lambda: results.append(self._forward(body, headers)))
            racer.start()
            status, reason, reply_headers, data = self._forward(body, headers)
            racer.join()
        else:
            status, reason, reply_headers, data = self._forward(body, headers)
        record.status = status
        record.response_bytes = len(data)
        record.seconds = self._seconds
        if fault == "truncate" and rule is not None:
            self._send_truncated(status, reason, reply_headers, data, rule.at)
            return
        if fault == "drop_after" or (fault == "cut" and not data):
            self.close_connection = True
            return
        self.send_response_only(status, reason)
        for name, value in reply_headers:
            if name.lower() in HOP_BY_HOP or (name.lower() == "content-length" and self.command != "HEAD"):
                continue
            if name.lower() == "accept-encoding" and state.gzip_only:
                continue
            self.send_header(name, value)
        if self.command != "HEAD":
            self.send_header("Content-Length", str(len(data)))
        if fault == "cut":
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data[: max(1, len(data) // 2)])
            self.wfile.flush()
            self.close_connection = True
            return
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _refuse(self, record: Exchange, status: int, code: str, headers: dict[str, str]) -> None:
        """Answer ``status`` with an error body of ``code``, without forwarding."""
        payload = json.dumps({"code": code, "message": "ditolak (uji)", "message_en": "refused (test)",
                              "details": {}}).encode()
        record.status = status
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _send_truncated(self, status: int, reason: str, headers: list[tuple[str, str]], data: bytes,
                        at: int | bytes) -> None:
        lines = [f"HTTP/1.1 {status} {reason}", *(f"{k}: {v}" for k, v in headers if k.lower() not in HOP_BY_HOP)]
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data
        end = at if isinstance(at, int) else raw.lower().index(at.lower()) + len(at)
        self.wfile.write(raw[:end])
        self.wfile.flush()
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _handle


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, state: ProxyState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state
        self.errors: list[str] = []

    def handle_error(self, request: object, client_address: object) -> None:
        # A PC that gave up on a reply (its own timeout, or a fault we made) closes its end: not worth a traceback.
        import sys

        self.errors.append(repr(sys.exc_info()[1]))


class FaultProxy:
    """Start with :meth:`start`; point the PC at :attr:`url`; add faults with :meth:`inject`."""

    def __init__(self, upstream_url: str) -> None:
        self.state = ProxyState(_upstream(upstream_url))
        self._server = _ProxyServer(self.state)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def retarget(self, upstream_url: str) -> None:
        """Send later requests to another server (a restarted one)."""
        self.state.upstream = _upstream(upstream_url)

    def inject(self, method: str, path: str, fault: str, *, times: int = 1, skip: int = 0,
               retry_after: int = 2, at: int | bytes = 0) -> Rule:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault}")
        rule = Rule(method, path, fault, times=times, skip=skip, retry_after=retry_after, at=at)
        with self.state.lock:
            self.state.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self.state.lock:
            self.state.rules.clear()

    def speak_as(self, protocol: int | None) -> None:
        """Requests from now on announce at most ``protocol`` (None: as the PC sends them)."""
        self.state.protocol = protocol

    def gzip_only(self, on: bool) -> None:
        """From now on the server takes gzip request bodies only, as before it named its codings (or not)."""
        self.state.gzip_only = on

    @contextmanager
    def faults(self, *rules: tuple[str, str, str]) -> Iterator[list[Rule]]:
        made = [self.inject(m, p, f) for m, p, f in rules]
        try:
            yield made
        finally:
            with self.state.lock:
                for rule in made:
                    if rule in self.state.rules:
                        self.state.rules.remove(rule)

    def exchanges(self, path: str = "", method: str = "*") -> list[Exchange]:
        with self.state.lock:
            return [e for e in self.state.log if e.path.startswith(path) and method in ("*", e.method)]

    def reset_log(self) -> None:
        with self.state.lock:
            self.state.log.clear()


def _upstream(url: str) -> Upstream:
    parts = urlsplit(url)
    return Upstream(parts.hostname or "127.0.0.1", parts.port or 80)
