"""The sync facts kept in store_meta (server, identity, cursor, era, last success and last error, the server's
clock skew) and the status a person reads: what waits, what needs someone's decision."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import ConflictItem, OutboxEntry
from app.store import meta
from app.timeutil import CLOCK_SKEW_KEY

SERVER_URL = "sync_server_url"
CLIENT_ID = "sync_client_id"
DEVICE_ID = "sync_device_id"
CURSOR = "sync_cursor"
ERA = "sync_era"
LAST_SUCCESS = "sync_last_success"
LAST_ERROR = "sync_last_error"  # Indonesian
LAST_ERROR_EN = "sync_last_error_en"
CLOCK_SKEW = CLOCK_SKEW_KEY  # the server's time minus this PC's clock, seconds (app.timeutil.server_now reads it)
REFERENCE_VERSION = "sync_reference_version"
# The protocol the PC spoke when it installed that reference version: a later protocol's answer holds fields an
# earlier client did not ask for (protocol 5: the office's contact), so after an update the PC fetches it again.
REFERENCE_PROTOCOL = "sync_reference_protocol"
SETTINGS = "sync_settings"  # JSON: ca_bundle, proxy


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    server_url: str | None
    pending: int
    open_conflicts: int
    last_success: datetime | None
    last_error: str | None
    last_error_en: str | None
    clock_skew_seconds: float | None
    # Complaints the server refused to take in: they exist only on this PC until fixed and sent again, or withdrawn.
    refused_intakes: int = 0


def read_status(session: Session) -> SyncStatus:
    from app.services.refusals import refused_intakes  # the services' modules, only when a status is read

    pending = session.execute(select(func.count()).select_from(OutboxEntry).where(
        OutboxEntry.acked_at.is_(None))).scalar_one()
    conflicts = session.execute(select(func.count()).select_from(ConflictItem).where(
        ConflictItem.resolved_at.is_(None))).scalar_one()
    last = meta.get(session, LAST_SUCCESS)
    skew = meta.get(session, CLOCK_SKEW)
    return SyncStatus(
        enrolled=meta.get(session, CLIENT_ID) is not None, server_url=meta.get(session, SERVER_URL),
        pending=int(pending), open_conflicts=int(conflicts),
        last_success=datetime.fromisoformat(last) if last else None, last_error=meta.get(session, LAST_ERROR),
        last_error_en=meta.get(session, LAST_ERROR_EN),
        clock_skew_seconds=float(skew) if skew else None, refused_intakes=len(refused_intakes(session)))


def held_reference_version(session: Session) -> str | None:
    """The reference data version this PC holds, or None when it holds none or fetched it with an older protocol
    than it speaks now (then it is fetched again, whatever the server's version number says)."""
    from sync.protocol import PROTOCOL_VERSION

    if meta.get(session, REFERENCE_PROTOCOL) != str(PROTOCOL_VERSION):
        return None
    return meta.get(session, REFERENCE_VERSION)


def hold_reference_version(session: Session, version: int) -> None:
    from sync.protocol import PROTOCOL_VERSION

    meta.put(session, REFERENCE_VERSION, str(version))
    meta.put(session, REFERENCE_PROTOCOL, str(PROTOCOL_VERSION))


def settings_of(session: Session) -> dict[str, str]:
    return dict(json.loads(meta.get(session, SETTINGS) or "{}"))
