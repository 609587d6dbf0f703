"""How Open311 answers: in the format the path names (XML, the spec's required one, unless it ends in .json), and
every refusal, from argument validation to a busy database, as the spec's error list in that format. The HTTP status
follows the spec (404 what does not exist, 403 the api_key, 400 any other refusal; 429 and 503 keep theirs); the body's
code is that status, and the server's own error code goes in the X-Lapor-Error header."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException

from app.open311 import JSON_TYPE, XML_TYPE, errors, to_xml
from server.errors import ApiError

log = logging.getLogger("lapor.server")


def format_of(path: str) -> str:
    """The format the path asks for: .json or, as the spec requires of every server, XML."""
    return "json" if path.endswith(".json") else "xml"


def answer(fmt: str, root: str, payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    if fmt == "json":
        body = json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")
        return Response(body, status, headers=headers, media_type=JSON_TYPE)
    return Response(to_xml(root, payload), status, headers=headers, media_type=XML_TYPE)


def spec_error(fmt: str, status: int, code: str, description: str,
               headers: dict[str, str] | None = None) -> Response:
    # The spec's HTTP statuses: 404 what does not exist, 403 the api_key, 400 any other refusal; a rate limit (429)
    # and a busy database (503, Retry-After) keep theirs. The body's code is the status; ours goes in a header.
    if status not in (403, 404, 413, 429, 503):
        status = 400
    return answer(fmt, "errors", errors(status, description), status, {**(headers or {}), "X-Lapor-Error": code})


def _describe(exc: ApiError) -> str:
    return exc.message if not exc.message_en or exc.message_en == exc.message else f"{exc.message} / {exc.message_en}"


class Open311Route(APIRoute):
    """A route whose every refusal, from argument validation to the database, is the spec's error list."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            fmt = format_of(request.url.path)
            try:
                return await handler(request)
            except ApiError as exc:
                return spec_error(fmt, exc.status, exc.code, _describe(exc), exc.headers)
            except RequestValidationError as exc:
                problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg', '')}"
                                     for e in exc.errors()[:5])
                return spec_error(fmt, 400, "invalid_request", f"Permintaan tidak valid / Invalid request: {problems}")
            except HTTPException as exc:
                return spec_error(fmt, exc.status_code, "http_error", str(exc.detail), dict(exc.headers or {}))
            except (DataError, UnicodeError) as exc:
                log.info("open311: a value refused: %s", type(exc).__name__)
                return spec_error(fmt, 400, "invalid_data", "Ada nilai yang tidak valid. / A value is not valid.")
            except OperationalError as exc:
                log.warning("database unavailable: %s", type(exc.orig).__name__)
                return spec_error(fmt, 503, "unavailable", "Server sedang sibuk; coba lagi. / The server is busy; "
                                  "try again.", {"Retry-After": "5"})

        return handle


def documented(fmt: str) -> dict[int | str, dict[str, Any]]:
    """What the OpenAPI document says a route answers."""
    media = XML_TYPE.split(";")[0] if fmt == "xml" else "application/json"
    return {200: {"content": {media: {}}}, 400: {"description": "The spec's error list"},
            404: {"description": "The spec's error list"}}
