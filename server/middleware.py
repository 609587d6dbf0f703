"""ASGI middleware: gzip request bodies with a size limit checked after decompression."""

from __future__ import annotations

import json
import zlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def _json_error(send: Send, status: int, code: str, message: str, message_en: str) -> None:
    body = json.dumps({"code": code, "message": message, "message_en": message_en, "details": {}}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Reads the whole request body (bounded), inflates ``Content-Encoding: gzip``, and refuses anything larger
    than ``max_bytes`` once inflated, so a small zip bomb cannot exhaust memory. Blob uploads have their own
    larger limit (``blob_max_bytes``), checked the same way."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, blob_max_bytes: int, blob_prefix: str = "/api/v1/blobs/"):
        self.app = app
        self.max_bytes = max_bytes
        self.blob_max_bytes = blob_max_bytes
        self.blob_prefix = blob_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        limit = self.blob_max_bytes if scope["path"].startswith(self.blob_prefix) else self.max_bytes
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        encoding = headers.get(b"content-encoding", b"").decode("latin-1").strip().lower()
        if encoding not in ("", "identity", "gzip"):
            await _json_error(send, 415, "unsupported_encoding", "Content-Encoding hanya boleh gzip.",
                              "Only gzip Content-Encoding is supported.")
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
        if encoding == "gzip":
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                body = inflater.decompress(body, limit + 1)
                if len(body) > limit or inflater.unconsumed_tail:
                    await _json_error(send, 413, "body_too_large", "Isi permintaan terlalu besar setelah dibuka.",
                                      "The request body is too large once decompressed.")
                    return
                if not inflater.eof:
                    raise zlib.error("truncated")
            except zlib.error:
                await _json_error(send, 400, "bad_gzip", "Isi permintaan gzip rusak.", "Corrupt gzip body.")
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
