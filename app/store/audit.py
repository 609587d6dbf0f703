"""Append-only, hash-chained audit records: each record's hash covers the previous one, so an edit or a
deleted row shows as a broken chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditRecord
from app.store.transactions import SqlCursor, sql_datetime

GENESIS = "0" * 64


def _canonical(at: datetime, user_id: str | None, device: str, action: str, entity_type: str,
               entity_id: str | None, details_json: str) -> str:
    body = {
        "at": at.isoformat(),
        "user_id": user_id,
        "device": device,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "details": details_json,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_hash(prev_hash: str, record: AuditRecord) -> str:
    return hashlib.sha256((prev_hash + _canonical(record.at, record.user_id, record.device, record.action,
                                                  record.entity_type, record.entity_id,
                                                  record.details_json)).encode()).hexdigest()


def _details_text(details: dict[str, Any] | None) -> str:
    return json.dumps(details or {}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


_LAST_HASH = "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1"


def append_audit(
    session: Session,
    *,
    at: datetime,
    user_id: str | None,
    device: str,
    action: str,
    entity_type: str,
    entity_id: str | None,
    details: dict[str, Any] | None = None,
) -> AuditRecord:
    """Add one record at the end of the chain (call inside the change's own write transaction)."""
    prev = session.execute(select(AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1)).scalar()
    record = AuditRecord(
        at=at,
        user_id=user_id,
        device=device,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        details_json=_details_text(details),
        prev_hash=prev or GENESIS,
    )
    record.hash = record_hash(record.prev_hash, record)
    session.add(record)
    session.flush()
    return record


_INSERT = (
    "INSERT INTO audit_log (at, user_id, device, action, entity_type, entity_id, details_json, prev_hash, hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def append_audit_row(
    cursor: SqlCursor,
    *,
    at: datetime,
    user_id: str | None,
    device: str,
    action: str,
    entity_type: str,
    entity_id: str | None,
    details: dict[str, Any] | None = None,
) -> None:
    """The record :func:`append_audit` adds, written through the driver cursor of the change's transaction
    (for the hot paths: no ORM object, no flush)."""
    last = cursor.first(_LAST_HASH)
    prev = (last[0] if last is not None else None) or GENESIS
    text = _details_text(details)
    digest = hashlib.sha256(
        (prev + _canonical(at, user_id, device, action, entity_type, entity_id, text)).encode()
    ).hexdigest()
    cursor.run(_INSERT, (sql_datetime(at), user_id, device, action, entity_type, entity_id, text, prev, digest))


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    records: int
    first_bad_id: int | None = None


def verify_chain(session: Session) -> ChainReport:
    """Walk the whole chain; report the first record whose link or hash does not match."""
    prev = GENESIS
    count = 0
    for record in session.execute(select(AuditRecord).order_by(AuditRecord.id)).scalars():
        count += 1
        if record.prev_hash != prev or record.hash != record_hash(prev, record):
            return ChainReport(False, count, record.id)
        prev = record.hash
    return ChainReport(True, count)
