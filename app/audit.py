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

GENESIS = "0" * 64


def _canonical(record: AuditRecord) -> str:
    body = {
        "at": record.at.isoformat(),
        "user_id": record.user_id,
        "device": record.device,
        "action": record.action,
        "entity_type": record.entity_type,
        "entity_id": record.entity_id,
        "details": record.details_json,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_hash(prev_hash: str, record: AuditRecord) -> str:
    return hashlib.sha256((prev_hash + _canonical(record)).encode()).hexdigest()


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
        details_json=json.dumps(details or {}, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
        prev_hash=prev or GENESIS,
    )
    record.hash = record_hash(record.prev_hash, record)
    session.add(record)
    session.flush()
    return record


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
