"""What every route needs: the database, the settings, the clock, and the calling device."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from fastapi import Request

from server.db import Database
from server.errors import ApiError
from server.ratelimit import EnrolmentLimits, RateLimiter
from server.settings import Settings
from sync.protocol import HEADER_PROTOCOL


@dataclass
class ServerContext:
    db: Database
    settings: Settings
    clock: Callable[[], datetime]
    limiter: RateLimiter
    enrolment_limits: EnrolmentLimits = field(default_factory=EnrolmentLimits)
    # File downloads per device, in bytes (server.settings); built from the settings by server.app.
    download_limits: RateLimiter | None = None
    # Wrong national admin tokens typed at /nasional/masuk, per source address: 10 at once, then 5 a minute.
    national_login_limits: RateLimiter = field(default_factory=lambda: RateLimiter(per_minute=5, burst=10))


async def ctx(request: Request) -> ServerContext:
    """The server's context. ``async``: FastAPI runs a plain ``def`` dependency in the thread pool, a hop per
    request for reading one attribute."""
    context: ServerContext = request.app.state.lapor
    return context


def client_protocol(request: Request) -> int:
    """The protocol the client speaks (the gate in server.app has checked the header is a number)."""
    try:
        return int(request.headers.get(HEADER_PROTOCOL) or 1)
    except ValueError:
        return 1


def check_rate(context: ServerContext, key: str) -> None:
    wait = context.limiter.retry_after(key)
    if wait > 0:
        raise ApiError(429, "rate_limited", "Terlalu banyak permintaan dari perangkat ini; coba lagi sebentar.",
                       "Too many requests from this device; try again shortly.",
                       headers=_retry_after(wait))


def check_enrolment_rate(context: ServerContext, address: str, code_key: str) -> None:
    """Refuse an enrolment from an address that sent too many wrong codes, or with a code tried too often; the
    message says which, and blames neither the PC nor the code for what others did. An attempt that goes ahead
    has taken a wrong-code token for its address already (concurrent guesses cannot all pass before any is
    counted): :func:`enrolment_counted` returns it when the code was not wrong."""
    limits = context.enrolment_limits
    wait = limits.wrong_codes_per_address.retry_after(address)
    if wait > 0:
        minutes = math.ceil(wait / 60)
        raise ApiError(429, "rate_limited",
                       "Terlalu banyak kode pendaftaran yang salah dikirim dari alamat jaringan ini (PC lain di "
                       f"jaringan yang sama ikut terhitung). Coba lagi dalam {minutes} menit.",
                       "Too many wrong enrolment codes were sent from this network address (other PCs on the same "
                       f"network count too). Try again in {_minutes_en(minutes)}.",
                       details={"limit": "address"}, headers=_retry_after(wait))
    wait = limits.attempts_per_code.retry_after(code_key)
    if wait > 0:
        limits.wrong_codes_per_address.give_back(address)  # refused before any code was looked at
        minutes = math.ceil(wait / 60)
        raise ApiError(429, "rate_limited",
                       f"Kode pendaftaran ini sudah terlalu sering dicoba. Coba lagi dalam {minutes} menit; jika "
                       "tetap gagal, minta kode baru ke admin nasional.",
                       f"This enrolment code was tried too many times. Try again in {_minutes_en(minutes)}; if it "
                       "still fails, ask the national admin for a new code.",
                       details={"limit": "code"}, headers=_retry_after(wait))


def enrolment_counted(context: ServerContext, address: str, *, wrong_code: bool) -> None:
    """The attempt's outcome is known: a code that was not wrong (unknown, used, expired) gives its address's
    token back."""
    if not wrong_code:
        context.enrolment_limits.wrong_codes_per_address.give_back(address)


def _minutes_en(minutes: int) -> str:
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _retry_after(wait: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(wait)))}
