"""Device tokens, enrolment codes and API keys: random secrets handed out once, stored only as hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from server.errors import ApiError, unauthorized
from server.models import ApiKey, Device, EnrollmentCode

ENROLLMENT_VALIDITY = timedelta(hours=24)
LAST_SEEN_GRANULARITY = timedelta(minutes=1)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_enrollment_code() -> str:
    """Twelve characters in groups of four, e.g. ``K7QM-4TZP-9WXA``."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(code: str) -> str:
    raw = "".join(c for c in code.upper() if c.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else code.strip().upper()


@dataclass(frozen=True)
class DeviceIdentity:
    device_id: str
    client_id: str
    office_id: str
    device_no: int
    # The device row as read with the token, in this transaction (a push locks the row and reads it again).
    last_seq: int = 0
    tracking_high: int = 0


def bearer_token(authorization: str | None) -> str:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise unauthorized()
    return authorization[7:].strip()


_devices: Table = Device.__table__  # type: ignore[assignment]
# Only the columns a request needs, on the table rather than the ORM entity: every sync request starts here, and
# loading a whole Device through the ORM was a fifth of a no-op pull.
_BY_TOKEN = select(_devices.c.id, _devices.c.client_id, _devices.c.office_id, _devices.c.device_no,
                   _devices.c.revoked_at, _devices.c.last_seen_at, _devices.c.last_seq, _devices.c.tracking_high
                   ).where(_devices.c.token_hash == bindparam("token_hash"))
_SEEN = update(_devices).where(_devices.c.id == bindparam("device_id")).values(last_seen_at=bindparam("now"))


def device_from_token(session: Session, authorization: str | None, now: datetime) -> DeviceIdentity:
    token = bearer_token(authorization)
    conn = session.connection()
    row = conn.execute(_BY_TOKEN, {"token_hash": digest(token)}).first()
    if row is None or row.revoked_at is not None:
        raise unauthorized()
    if row.last_seen_at is None or now - row.last_seen_at > LAST_SEEN_GRANULARITY:
        # At most one write a minute per device: a no-op pull then writes nothing (and, on PostgreSQL, takes
        # no transaction id that would hold back the change-feed fence for everyone else).
        conn.execute(_SEEN, {"device_id": row.id, "now": now})
    return DeviceIdentity(row.id, row.client_id, row.office_id, row.device_no, row.last_seq, row.tracking_high)


def check_admin_token(expected: str | None, authorization: str | None) -> None:
    if not expected:
        raise ApiError(403, "forbidden", "API nasional tidak diaktifkan di server ini.",
                       "The national API is not enabled on this server.")
    given = authorization[7:].strip() if authorization and authorization.lower().startswith("bearer ") else ""
    if not hmac.compare_digest(digest(given), digest(expected)):
        raise ApiError(401, "unauthorized", "Token admin nasional tidak sah.", "Invalid national admin token.",
                       headers={"WWW-Authenticate": "Bearer"})


def check_api_key(session: Session, key: str | None) -> ApiKey:
    row = session.get(ApiKey, digest(key)) if key else None
    if row is None or row.revoked_at is not None:
        raise ApiError(403, "invalid_api_key", "api_key tidak sah.", "Invalid api_key.")
    return row


# What a wrong code is answered with; each one counts against the source address's enrolment limit.
WRONG_CODE_ERRORS = frozenset({"enrollment_code_invalid", "enrollment_code_used", "enrollment_code_expired"})


def code_used() -> ApiError:
    return ApiError(400, "enrollment_code_used", "Kode pendaftaran sudah dipakai. Minta kode baru.",
                    "The enrolment code was already used. Ask for a new one.")


def redeem_enrollment_code(session: Session, code: str, enrollment_key: str | None, now: datetime) -> EnrollmentCode:
    """The code, locked, if it may enrol a PC now: unused, or used by this same enrolment (the same key: a retry
    after a lost reply, ``device_id`` then names the device it made); and not expired."""
    # Locked: PCs racing with one code wait here, and all but the first then find it used.
    row = session.get(EnrollmentCode, digest(normalise_code(code)), with_for_update=True, populate_existing=True)
    if row is None:
        raise ApiError(400, "enrollment_code_invalid", "Kode pendaftaran tidak dikenal. Periksa kembali kodenya.",
                       "Unknown enrolment code. Check the code.")
    if row.used_at is not None and not _same_key(row.enrollment_key_hash, enrollment_key):
        raise code_used()
    if row.expires_at < now:
        raise ApiError(400, "enrollment_code_expired",
                       "Kode pendaftaran kedaluwarsa (berlaku 24 jam). Minta kode baru.",
                       "The enrolment code expired (valid 24 hours). Ask for a new one.")
    return row


def _same_key(stored_hash: str | None, key: str | None) -> bool:
    return stored_hash is not None and key is not None and hmac.compare_digest(stored_hash, digest(key))
