"""ASGI middleware: request bodies in zstd or gzip with a size limit checked after decompression (every answer names
both in ``Accept-Encoding``, as RFC 7694 has a server say which codings it takes in requests), JSON answers
compressed for clients that accept it (zstd, else gzip), and the protocol-version gate. All pure ASGI: Starlette's
BaseHTTPMiddleware (what ``@app.middleware("http")`` makes) runs every request through an extra task and a memory
stream for nothing here."""

from __future__ import annotations

import gzip
import json
import re
import uuid
import zlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import anyio.to_thread

from server.logs import REQUEST_ID
from sync.protocol import REQUEST_CODINGS, zstd

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def _json_error(send: Send, status: int, code: str, message: str, message_en: str,
                      details: dict[str, Any] | None = None) -> None:
    body = json.dumps({"code": code, "message": message, "message_en": message_en,
                       "details": details or {}}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


_ACCEPTED_CODINGS = (b"accept-encoding", ", ".join(REQUEST_CODINGS).encode("latin-1"))


class BodyLimitMiddleware:
    """Reads the whole request body (bounded), inflates ``Content-Encoding: zstd`` or ``gzip``, and refuses anything
    larger than ``max_bytes`` once inflated, so a small zip bomb cannot exhaust memory. Blob uploads have their own
    larger limit (``blob_max_bytes``), checked the same way. Every answer says which codings a request may use
    (``Accept-Encoding: zstd, gzip``): a PC sends zstd only to a server that named it (sync.transport)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, blob_max_bytes: int, blob_prefix: str = "/api/v1/blobs/"):
        self.app = app
        self.max_bytes = max_bytes
        self.blob_max_bytes = blob_max_bytes
        self.blob_prefix = blob_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _with_header(send, _ACCEPTED_CODINGS)
        if scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        limit = self.blob_max_bytes if scope["path"].startswith(self.blob_prefix) else self.max_bytes
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        encoding = headers.get(b"content-encoding", b"").decode("latin-1").strip().lower()
        if encoding not in ("", "identity", *REQUEST_CODINGS):
            await _json_error(send, 415, "unsupported_encoding", "Content-Encoding hanya boleh zstd atau gzip.",
                              "Only zstd or gzip Content-Encoding is supported.")
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _json_error(send, 413, "body_too_large", "Isi permintaan terlalu besar.",
                                  "The request body is too large.")
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if encoding in REQUEST_CODINGS:
            try:
                body = _inflated(encoding, body, limit)
            except _TooLarge:
                await _json_error(send, 413, "body_too_large", "Isi permintaan terlalu besar setelah dibuka.",
                                  "The request body is too large once decompressed.")
                return
            except (zlib.error, zstd.ZstdError, EOFError):
                await _json_error(send, 400, f"bad_{encoding}", f"Isi permintaan {encoding} rusak.",
                                  f"Corrupt {encoding} body.")
                return
            new_headers = [(k, v) for k, v in scope["headers"]
                           if k.lower() not in (b"content-encoding", b"content-length")]
            new_headers.append((b"content-length", str(len(body)).encode()))
            scope = dict(scope)
            scope["headers"] = new_headers
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


class _TooLarge(Exception):
    """A request body larger than its limit once inflated."""


def _inflated(coding: str, body: bytes, limit: int) -> bytes:
    """``body`` decoded from ``coding``: at most ``limit`` bytes (else :class:`_TooLarge`); a gzip member or a zstd
    frame cut short, or a zstd frame followed by anything, is the codec's error."""
    if coding == "gzip":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = inflater.decompress(body, limit + 1)
        if len(out) > limit or inflater.unconsumed_tail:
            raise _TooLarge
        if not inflater.eof:
            raise zlib.error("truncated")
        return out
    decompressor = zstd.ZstdDecompressor()
    out = decompressor.decompress(body, limit + 1)
    if len(out) > limit:
        raise _TooLarge
    if not decompressor.eof or decompressor.unused_data:
        raise zstd.ZstdError("truncated, or data after the zstd frame")
    return out


def _with_header(send: Send, header: tuple[bytes, bytes]) -> Send:
    """``send``, with ``header`` added to the answer's headers."""
    async def adding(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), header]
        await send(message)

    return adding


def _accepted(scope: Scope) -> str | None:
    """The coding to answer in: zstd when the request's Accept-Encoding names it, else gzip when it names gzip (or
    ``*``); None for neither (a coding refused with q=0 is not named)."""
    named: set[str] = set()
    for name, value in scope.get("headers", []):
        if name.lower() != b"accept-encoding":
            continue
        for item in value.decode("latin-1").split(","):
            coding, _, params = item.strip().partition(";")
            params = params.strip().lower()
            if not (params.startswith("q=") and _is_zero(params.removeprefix("q="))):
                named.add(coding.strip().lower())
    if "zstd" in named:
        return "zstd"
    if named & {"gzip", "x-gzip", "*"}:
        return "gzip"
    return None


# zstd level 6: on a first sync's pull pages 30 % smaller than gzip level 6 and in 40 % of its time.
ZSTD_LEVEL = 6
# A body at least this large is compressed on a worker thread (both codecs let go of the GIL), not on the loop.
OFF_LOOP_BYTES = 256 * 1024


def _compress(coding: str, body: bytes, gzip_level: int) -> bytes:
    if coding == "zstd":
        return bytes(zstd.compress(body, level=ZSTD_LEVEL))
    return gzip.compress(body, compresslevel=gzip_level, mtime=0)


def _is_zero(q: str) -> bool:
    try:
        return float(q) == 0.0
    except ValueError:
        return False


class CompressResponseMiddleware:
    """Compresses JSON answers of at least ``min_bytes`` in zstd or gzip, as the request's ``Accept-Encoding``
    allows (the sync client takes both, zstd first; pull pages and reference data shrink several times). A JSON answer
    is gathered whole (routes build them in memory anyway; the HTTP middleware inside sends them in pieces) up to
    ``max_bytes``, then compressed in one go. Anything else passes untouched, attachment bytes above all: already
    compressed media, whose ``Content-Length`` resumable downloads rely on."""

    def __init__(self, app: ASGIApp, *, min_bytes: int = 1024, level: int = 6, max_bytes: int = 32 * 1024 * 1024,
                 media_types: tuple[bytes, ...] = (b"application/json",)) -> None:
        self.app = app
        self.min_bytes = min_bytes
        self.level = level
        self.max_bytes = max_bytes
        self.media_types = media_types

    def _compressible(self, headers: list[tuple[bytes, bytes]]) -> bool:
        content_type = b""
        for name, value in headers:
            lower = name.lower()
            if lower == b"content-encoding":
                return False
            if lower == b"content-type":
                content_type = value.split(b";", 1)[0].strip().lower()
        return content_type in self.media_types

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        coding = _accepted(scope) if scope["type"] == "http" and scope["method"] != "HEAD" else None
        if coding is None:
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []
        held = 0
        passing = False

        async def pass_on(message: Message) -> None:
            nonlocal passing
            passing = True
            assert start is not None
            await send(start)
            if chunks:
                await send({"type": "http.response.body", "body": b"".join(chunks), "more_body": True})
            await send(message)

        async def gather(message: Message) -> None:
            nonlocal start, held
            if passing:
                await send(message)
            elif message["type"] == "http.response.start":
                start = message  # held back until the whole body shows whether it is worth compressing
                if not self._compressible(list(start.get("headers", []))):
                    await pass_on_start()
            elif message["type"] != "http.response.body" or start is None:
                await send(message)
            elif message.get("more_body", False):
                chunks.append(message.get("body", b""))
                held += len(chunks[-1])
                if held > self.max_bytes:
                    chunks[-1:] = []
                    await pass_on(message)
            else:
                body = b"".join([*chunks, message.get("body", b"")])
                await self._send_whole(send, start, body, coding)

        async def pass_on_start() -> None:
            nonlocal passing
            passing = True
            assert start is not None
            await send(start)

        await self.app(scope, receive, gather)

    async def _send_whole(self, send: Send, start: Message, body: bytes, coding: str) -> None:
        if len(body) >= self.min_bytes:
            if len(body) >= OFF_LOOP_BYTES:
                body = await anyio.to_thread.run_sync(_compress, coding, body, self.level)
            else:
                body = _compress(coding, body, self.level)
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"content-length", b"vary")]
            headers += [(b"content-encoding", coding.encode()), (b"content-length", str(len(body)).encode()),
                        (b"vary", b"Accept-Encoding")]
            start = {**start, "headers": headers}
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})


class ProtocolGateMiddleware:
    """Clients too old for this server are told to upgrade (426), except to send what they hold (``open_to_old``:
    push, uploads); a protocol header that is not a number is a 400. Every answer names the server's version."""

    def __init__(self, app: ASGIApp, *, header: str, min_protocol: int, protocol: int, server_version: str,
                 version_header: str, open_to_old: Callable[[str, str], bool]) -> None:
        self.app = app
        self.header = header.lower().encode("latin-1")
        self.min_protocol = min_protocol
        self.protocol = protocol
        self.version = (version_header.lower().encode("latin-1"), server_version.encode("latin-1"))
        self.open_to_old = open_to_old

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        raw = next((v for k, v in scope.get("headers", []) if k.lower() == self.header), None)
        if raw is not None and path.startswith("/api/"):
            name = self.header.decode("latin-1").title()
            try:
                proto = int(raw.decode("latin-1"))
            except ValueError:
                await _json_error(self._named(send), 400, "bad_protocol_header", f"Header {name} harus angka.",
                                  f"The {name} header must be a number.")
                return
            if proto < self.min_protocol and not self.open_to_old(scope["method"], path):
                await _json_error(self._named(send), 426, "upgrade_required",
                                  "Versi LAPOR Desk di PC ini terlalu lama untuk server. Pasang versi terbaru; "
                                  "perubahan lokal tetap aman dan tetap dikirim.",
                                  "This LAPOR Desk is too old for the server. Install the latest version; local "
                                  "changes are safe and are still sent.",
                                  {"min_protocol": self.min_protocol, "protocol": self.protocol})
                return
        await self.app(scope, receive, self._named(send))

    def _named(self, send: Send) -> Send:
        return _with_header(send, self.version)


# What a request id from outside may look like (nginx's $request_id is 32 hex digits): anything else is replaced.
_REQUEST_ID = re.compile(rb"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Names each request with the ``X-Request-Id`` the load balancer sent (nginx: ``$request_id``), or a new id
    when there is none or it is not a plain token. Every log line written while the request runs carries it, and the
    answer returns it, so one request is followed from nginx's log to the host that answered it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = next((v for k, v in scope.get("headers", []) if k.lower() == b"x-request-id"), b"")
        request_id = raw.decode("ascii") if _REQUEST_ID.match(raw) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        try:
            await self.app(scope, receive, _with_header(send, (b"x-request-id", request_id.encode("ascii"))))
        finally:
            REQUEST_ID.reset(token)
