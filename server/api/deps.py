"""What every route needs: the database, the settings, the clock, and the calling device."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from fastapi import Request

from server.db import Database
from server.errors import ApiError
from server.ratelimit import RateLimiter
from server.settings import Settings


@dataclass
class ServerContext:
    db: Database
    settings: Settings
    clock: Callable[[], datetime]
    limiter: RateLimiter


def ctx(request: Request) -> ServerContext:
    context: ServerContext = request.app.state.lapor
    return context


def check_rate(context: ServerContext, key: str) -> None:
    wait = context.limiter.retry_after(key)
    if wait > 0:
        raise ApiError(429, "rate_limited", "Terlalu banyak permintaan dari perangkat ini; coba lagi sebentar.",
                       "Too many requests from this device; try again shortly.",
                       headers={"Retry-After": str(max(1, int(wait + 0.999)))})
