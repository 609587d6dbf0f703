"""The sync facts kept in store_meta: server, identity, cursor, era, last success and last error."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import meta
from app.models import ConflictItem, OutboxEntry

SERVER_URL = "sync_server_url"
CLIENT_ID = "sync_client_id"
DEVICE_ID = "sync_device_id"
CURSOR = "sync_cursor"
ERA = "sync_era"
LAST_SUCCESS = "sync_last_success"
LAST_ERROR = "sync_last_error"
CLOCK_SKEW = "sync_clock_skew_seconds"
REFERENCE_VERSION = "sync_reference_version"
SETTINGS = "sync_settings"  # JSON: ca_bundle, proxy


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    server_url: str | None
    pending: int
    open_conflicts: int
    last_success: datetime | None
    last_error: str | None
    clock_skew_seconds: float | None


def read_status(session: Session) -> SyncStatus:
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
        clock_skew_seconds=float(skew) if skew else None)


def settings_of(session: Session) -> dict[str, str]:
    return dict(json.loads(meta.get(session, SETTINGS) or "{}"))
