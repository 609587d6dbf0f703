"""A round-robin HTTP reverse proxy in front of several ``lapor-server serve`` hosts, on 127.0.0.1, behaving like
nginx's ``upstream`` block with its defaults (max_fails=1, fail_timeout=10s, proxy_next_upstream error timeout,
proxy_request_buffering on) and the usual forwarded headers:

- each request goes to the next host in turn; a host whose connection is refused is marked down for
  ``fail_timeout`` and the request goes to the next one (nothing was sent, so nothing can be applied twice);
- the request body is read whole first (spooled to a temp file past 1 MiB, as nginx buffers it to disk), so a host
  that fails while it is sent or before its answer's headers arrive is replaced by the next one for an idempotent
  method (GET, HEAD, PUT, DELETE, OPTIONS); a non-idempotent one (POST, PATCH) gets 502, as nginx never sends it
  twice; with every host tried, 502;
- the answer is streamed back as it arrives; a host that dies inside it leaves the client a cut answer;
- ``X-Forwarded-For`` gains the client's address, ``X-Forwarded-Proto`` says ``http``, ``X-Request-Id`` and every
  other end-to-end header pass untouched.

A test acts at a given point of a matching request with :meth:`RoundRobinProxy.on` (kill -9 the host that has the
request, for instance) and reads :attr:`RoundRobinProxy.served` (answers per host) and :attr:`RoundRobinProxy.log`.
"""

from __future__ import annotations

import functools
import http.client
import socket
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
              "host", "content-length"}
IDEMPOTENT = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}
POINTS = ("connected", "half_sent", "forwarded", "answered", "relayed")
SPOOL = 1 << 20
BLOCK = 1 << 16


@dataclass
class Hook:
    """Run ``action(host)`` once, at ``point`` of the ``skip``-th next request matching ``method`` and ``path``
    (a prefix): ``connected`` (connection to the host open, nothing sent), ``half_sent`` (headers and half the body
    sent), ``forwarded`` (the whole request sent, its answer not read), ``answered`` (the answer's head arrived,
    so the host did the work: the answer is then thrown away as if the host had died before it left, and the
    request is handled like one whose host failed after it was sent), ``relayed`` (the host's whole answer was
    read; the action runs before its last bytes go to the client, who therefore sends its next request only
    after it: the host dies between two requests). :attr:`done` is set after the action ran;
    :attr:`host` says which host had the request."""

    method: str
    path: str
    point: str
    action: Callable[[int], None]
    skip: int = 0
    done: threading.Event = field(default_factory=threading.Event)
    host: int | None = None
    armed: bool = True

    def wait(self, timeout: float = 60) -> int:
        assert self.done.wait(timeout), f"no {self.method} {self.path} reached {self.point}"
        assert self.host is not None
        return self.host


@dataclass
class Hop:
    """One request as the proxy handled it: the hosts it was sent to in order, and the status it answered."""

    method: str
    path: str
    tried: list[int]
    status: int
    request_id: str | None


class _Failed(Exception):
    """The host failed; ``sent`` says whether any of the request may have reached it."""

    def __init__(self, sent: bool) -> None:
        super().__init__()
        self.sent = sent


class RoundRobinProxy:
    def __init__(self, upstreams: list[str], *, fail_timeout: float = 10.0, resend_idempotent: bool = True,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """``resend_idempotent=False`` is nginx with ``proxy_next_upstream`` limited to refused connections: a
        request that reached a host that failed is answered 502 whatever its method."""
        self.upstreams = [(urlsplit(u).hostname or "127.0.0.1", urlsplit(u).port or 80) for u in upstreams]
        self.fail_timeout = fail_timeout
        self.resend_idempotent = resend_idempotent
        self.clock = clock
        self.served: Counter[int] = Counter()  # answers (any status) that came from each host
        self.log: list[Hop] = []
        self._down_until = [0.0] * len(upstreams)
        self._next = 0
        self._hooks: list[Hook] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.proxy = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> RoundRobinProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    # ---- what tests use ---------------------------------------------------------------------------------------

    def on(self, method: str, path: str, point: str, action: Callable[[int], None], *, skip: int = 0) -> Hook:
        assert point in POINTS, point
        hook = Hook(method, path, point, action, skip)
        with self._lock:
            self._hooks.append(hook)
        return hook

    def mark_up(self, host: int) -> None:
        """Forget that ``host`` failed (as nginx does once ``fail_timeout`` has passed): a restarted host serves at
        once rather than after the timeout."""
        with self._lock:
            self._down_until[host] = 0.0

    def reset_counts(self) -> None:
        with self._lock:
            self.served.clear()
            self.log.clear()

    def paths_served(self, host: int) -> list[str]:
        with self._lock:
            return [f"{h.method} {h.path}" for h in self.log if h.tried and h.tried[-1] == host and h.status != 502]

    # ---- the handler's side -----------------------------------------------------------------------------------

    def _order(self) -> list[int]:
        """Hosts to try for the next request: round-robin from the next in turn, hosts marked down last (nginx
        tries them only when every host is down)."""
        with self._lock:
            n = len(self.upstreams)
            start = self._next
            self._next = (self._next + 1) % n
            now = self.clock()
            ring = [(start + i) % n for i in range(n)]
            up = [h for h in ring if self._down_until[h] <= now]
            return up or ring

    def _mark_down(self, host: int) -> None:
        with self._lock:
            self._down_until[host] = self.clock() + self.fail_timeout

    def _hook(self, method: str, path: str, point: str) -> Hook | None:
        with self._lock:
            for hook in self._hooks:
                if hook.armed and hook.point == point and hook.method in ("*", method) and path.startswith(hook.path):
                    if hook.skip > 0:
                        hook.skip -= 1
                        continue
                    hook.armed = False
                    return hook
        return None

    def _fire(self, method: str, path: str, point: str, host: int) -> bool:
        hook = self._hook(method, path, point)
        if hook is None:
            return False
        hook.host = host
        hook.action(host)
        hook.done.set()
        return True

    def _record(self, hop: Hop) -> None:
        with self._lock:
            self.log.append(hop)
            if hop.tried and hop.status != 502:
                self.served[hop.tried[-1]] += 1


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ThreadingHTTPServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - BaseHTTPRequestHandler's name
        return

    def do_GET(self) -> None:
        self._proxy()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def _proxy(self) -> None:
        proxy: RoundRobinProxy = self.server.proxy  # type: ignore[attr-defined]
        with tempfile.SpooledTemporaryFile(SPOOL) as body:
            size = self._read_body(body)
            headers = self._upstream_headers()
            tried: list[int] = []
            for host in proxy._order():
                tried.append(host)
                try:
                    conn, response = self._send(proxy, host, headers, body, size)
                except _Failed as failed:
                    proxy._mark_down(host)
                    if failed.sent and not (proxy.resend_idempotent and self.command in IDEMPOTENT):
                        break
                    continue
                # Recorded before the client can see the answer, so a test reading the log after it has its hop.
                proxy._record(Hop(self.command, self.path, tried, response.status, headers.get("X-Request-Id")))
                try:
                    self._relay(response, functools.partial(proxy._fire, self.command, self.path, "relayed", host))
                finally:
                    conn.close()
                return
            proxy._record(Hop(self.command, self.path, tried, 502, headers.get("X-Request-Id")))
            self._bad_gateway()

    def _read_body(self, body: IO[bytes]) -> int:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            size = 0
            while True:
                length = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if length == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                body.write(self.rfile.read(length))
                self.rfile.readline()
                size += length
            return size
        left = int(self.headers.get("Content-Length") or 0)
        while left:
            block = self.rfile.read(min(left, BLOCK))
            if not block:
                raise ConnectionError("the client's body ended early")
            body.write(block)
            left -= len(block)
        return body.tell()

    def _upstream_headers(self) -> dict[str, str]:
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP
                   and k.lower() not in ("x-forwarded-for", "x-forwarded-proto")}
        earlier = self.headers.get("X-Forwarded-For")
        client = self.client_address[0]
        headers["X-Forwarded-For"] = f"{earlier}, {client}" if earlier else client
        headers["X-Forwarded-Proto"] = "http"
        headers["Host"] = self.headers.get("Host", "")
        headers["Connection"] = "close"
        return headers

    def _send(self, proxy: RoundRobinProxy, host: int, headers: dict[str, str], body: IO[bytes],
              size: int) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
        address = proxy.upstreams[host]
        conn = http.client.HTTPConnection(*address, timeout=120)
        try:
            conn.connect()
        except OSError as exc:
            conn.close()
            raise _Failed(sent=False) from exc
        try:
            proxy._fire(self.command, self.path, "connected", host)
            conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in headers.items():
                conn.putheader(name, value)
            if size or self.command in ("POST", "PUT", "PATCH"):
                conn.putheader("Content-Length", str(size))
            conn.endheaders()
            body.seek(0)
            half = size // 2
            conn.send(body.read(half))
            proxy._fire(self.command, self.path, "half_sent", host)
            while block := body.read(BLOCK):
                conn.send(block)
            proxy._fire(self.command, self.path, "forwarded", host)
            response = conn.getresponse()
            if proxy._fire(self.command, self.path, "answered", host):
                raise ConnectionResetError("the host's answer was thrown away")
            return conn, response
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            raise _Failed(sent=True) from exc

    def _relay(self, response: http.client.HTTPResponse, whole: Callable[[], object]) -> None:
        """The host's answer to the client as it arrives: length kept when the host gave one, else chunked.
        ``whole`` runs once the host's answer has been read to its end, before its last bytes go to the client
        (who cannot send its next request before them)."""
        self.send_response_only(response.status, response.reason)
        length = response.getheader("Content-Length")
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        has_body = self.command != "HEAD" and response.status not in (204, 304) and length != "0"
        chunked = length is None and has_body
        if length is not None:
            self.send_header("Content-Length", length)
        elif chunked:
            self.send_header("Transfer-Encoding", "chunked")
        if not has_body:
            whole()
            self.end_headers()
            return
        self.end_headers()
        try:
            block = response.read1(BLOCK)
            while block:
                following = response.read1(BLOCK)
                if not following and not chunked:
                    whole()
                self.wfile.write(f"{len(block):x}\r\n".encode() + block + b"\r\n" if chunked else block)
                block = following
        except (OSError, http.client.HTTPException):
            self.close_connection = True  # the host died inside its answer: the client sees it cut
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if chunked:
            whole()
            self.wfile.write(b"0\r\n\r\n")

    def _bad_gateway(self) -> None:
        text = b"<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>\n"
        self.send_response_only(502, "Bad Gateway")
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(text)
