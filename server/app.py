"""The FastAPI application: routes, the protocol-version gate, and errors that are always readable JSON."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import __version__
from app.timeutil import utcnow
from server.api import blobs, kinerja, misc, national, open311, public, sync
from server.api.deps import ServerContext
from server.db import Database
from server.errors import ApiError
from server.logs import install_redaction
from server.middleware import (
    BodyLimitMiddleware,
    CompressResponseMiddleware,
    ProtocolGateMiddleware,
    RequestIdMiddleware,
)
from server.ratelimit import LEASE_BLOCK, DatabaseBuckets, EnrolmentLimits, LeasedBuckets, RateLimiter, buckets_engine
from server.settings import Settings
from server.wal import background_checkpoints
from sync.protocol import HEADER_APP_VERSION, HEADER_PROTOCOL, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION

log = logging.getLogger("lapor.server")


def _error(status: int, code: str, message: str, message_en: str, details: dict[str, object] | None = None,
           headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "message_en": message_en, "details": details or {}},
                        status_code=status, headers=headers)


def _open_to_old_clients(method: str, path: str) -> bool:
    """What a client too old to pull may still do: push its changes and upload its attachments' bytes, so no
    local change is stranded on the PC."""
    return path == "/api/v1/sync/push" or (path.startswith("/api/v1/blobs/") and method in ("HEAD", "PUT"))


def create_app(settings: Settings, db: Database, *, clock: Callable[[], datetime] = utcnow) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_api: FastAPI) -> AsyncIterator[None]:
        with background_checkpoints(db.engine):  # while it serves (a SQLite database: server.wal)
            yield

    api = FastAPI(title="LAPOR Desk national server", version=__version__, lifespan=lifespan,
                  description="Sync, national routing and Open311 for SP4N-LAPOR! offices.")
    install_redaction()
    # Every budget is counted in the database: all workers and hosts on it share one (server.ratelimit).
    engine = buckets_engine(db.engine)
    api.state.lapor = ServerContext(
        db=db, settings=settings, clock=clock,
        limiter=RateLimiter(settings.rate_limit_per_minute,
                            store=LeasedBuckets(DatabaseBuckets(engine, "requests"), block=LEASE_BLOCK)),
        enrolment_limits=EnrolmentLimits.shared(engine),
        download_limits=RateLimiter(settings.download_bytes_per_minute, burst=settings.download_burst_bytes,
                                    store=DatabaseBuckets(engine, "download_bytes")),
        national_login_limits=RateLimiter(per_minute=5, burst=10, store=DatabaseBuckets(engine, "national_login")))
    for router in (misc.router, sync.router, blobs.router, national.router, open311.router, public.router,
                   kinerja.router):
        api.include_router(router)

    # Innermost of the three (added first): the gate answers before a body is read for a route.
    api.add_middleware(ProtocolGateMiddleware, header=HEADER_PROTOCOL, min_protocol=MIN_PROTOCOL_VERSION,
                       protocol=PROTOCOL_VERSION, server_version=__version__, version_header="X-Lapor-Server-Version",
                       open_to_old=_open_to_old_clients)

    @api.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message, exc.message_en, exc.details, exc.headers)

    @api.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors()]
        first = problems[0] if problems else {"loc": [], "msg": ""}
        loc = [str(p) for p in first["loc"]]
        where = ".".join(loc[1:] if len(loc) > 1 else loc)
        return _error(422, "invalid_request", f"Permintaan tidak valid pada '{where}': {first['msg']}",
                      f"Invalid request at '{where}': {first['msg']}", {"errors": problems[:20]})

    @api.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, "http_error", str(exc.detail), str(exc.detail),
                      headers=dict(exc.headers or {}))

    @api.exception_handler(DataError)
    async def _bad_data(_request: Request, exc: DataError) -> JSONResponse:
        # The database refused a value (too long, out of range, a NUL character): the request's fault.
        log.info("database refused a value: %s", type(exc.orig).__name__)
        return _error(422, "invalid_data", "Ada nilai yang tidak dapat disimpan (terlalu panjang atau tidak valid).",
                      "A value cannot be stored (too long or not valid).")

    @api.exception_handler(UnicodeError)
    async def _bad_text(_request: Request, exc: UnicodeError) -> JSONResponse:
        return _error(400, "bad_text", "Teks berisi karakter yang tidak valid.", "The text has invalid characters.")

    @api.exception_handler(OperationalError)
    async def _transient(_request: Request, exc: OperationalError) -> JSONResponse:
        log.warning("database unavailable: %s", type(exc.orig).__name__)
        return _error(503, "unavailable", "Server sedang sibuk atau basis data tidak tersedia; coba lagi.",
                      "The server is busy or its database is unavailable; try again.", headers={"Retry-After": "5"})

    @api.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error(500, "internal_error", "Terjadi kesalahan di server; sudah dicatat.",
                      "A server error occurred; it was logged.")

    api.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes,
                       blob_max_bytes=settings.max_blob_bytes + 1024)
    api.add_middleware(CompressResponseMiddleware)  # error answers are compressed too
    api.add_middleware(RequestIdMiddleware)  # outermost: every line of the request, and the access line, name it
    return api


__all__ = ["create_app", "HEADER_APP_VERSION"]
