"""Prometheus metrics at ``/metrics``: request latency by route template, push results by kind, pull pages served,
upload bytes and rate-limit refusals. Labels carry no office, device or complaint ids (route templates, not paths),
so the page holds no office data; still, expose it only to the operator's network. With ``serve --workers N`` the
workers share prometheus-client's multiprocess directory (``PROMETHEUS_MULTIPROC_DIR``, set by ``serve``) and the page
sums them."""

from __future__ import annotations

import os
import time
from collections import Counter as Tally
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.middleware import Middleware

from server.middleware import ASGIApp, Message, Receive, Scope, Send
from sync.protocol import MutationResult

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUEST_SECONDS = Histogram("lapor_http_request_seconds", "Time to answer a request, by route template",
                            ["method", "route", "status"])
PULL_PAGES = Counter("lapor_pull_pages_total", "Pull pages served (200 answers to /api/v1/sync/pull)")
UPLOAD_BYTES = Counter("lapor_upload_bytes_total", "Attachment bytes received in accepted uploads")
PUSH_RESULTS = Counter("lapor_push_results_total", "Pushed mutations answered, by outcome (applied, merged, "
                       "conflict, rejected) and the server's code for it (none for applied)", ["status", "code"])
RATE_LIMITED = Counter("lapor_rate_limit_refusals_total", "Requests refused by a rate limit (429), by route template",
                       ["route"])


def route_template(scope: Scope) -> str:
    """The template of the route the request matched (``/api/v1/blobs/{sha256}``), which the router leaves in the
    scope; ``unmatched`` for none, so a scan of random paths cannot grow the label set."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) else "unmatched"


class MetricsMiddleware:
    """Times every HTTP request once its body is read and counts the outcomes above from its status (pure ASGI, as
    server.middleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            return message

        async def noting_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, counting_receive, noting_send)
        finally:
            route = route_template(scope)
            REQUEST_SECONDS.labels(scope["method"], route, str(status)).observe(time.perf_counter() - started)
            if status == 429:
                RATE_LIMITED.labels(route).inc()
            elif status == 200 and route == "/api/v1/sync/pull":
                PULL_PAGES.inc()
            elif 200 <= status < 300 and scope["method"] == "PUT" and route.startswith("/api/v1/blobs/"):
                UPLOAD_BYTES.inc(received)


def count_push_results(results: Iterable[MutationResult]) -> None:
    """Count a push's answers once it has committed. Codes are the server's own short vocabulary (permission_denied,
    transition_rejected, ...), never text from the PC, so the label set stays small."""
    for (status, code), n in Tally((str(r.status), r.code or "none") for r in results).items():
        PUSH_RESULTS.labels(status, code).inc(n)


def metrics_page() -> Response:
    if os.environ.get(MULTIPROC_ENV):
        registry: Any = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


def instrument(app: FastAPI) -> FastAPI:
    """Add ``/metrics`` (not in the OpenAPI document: it is for Prometheus, not for clients) and the timing."""
    app.add_api_route("/metrics", metrics_page, methods=["GET"], include_in_schema=False)
    # Innermost of the middleware (add_middleware would make it outermost): the router's scope, with the matched
    # route in it, is the one this sees even when the body-limit middleware passed on a copy (gzip bodies).
    app.user_middleware.append(Middleware(MetricsMiddleware))
    return app
