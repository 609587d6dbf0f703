"""Server-wide facts kept in ``server_meta``: the era (a new one after a restore from backup)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from server.models import ServerMeta

ERA_KEY = "era"


def get_era(session: Session) -> str:
    row = session.get(ServerMeta, ERA_KEY)
    if row is None:
        row = ServerMeta(key=ERA_KEY, value=uuid.uuid4().hex[:12])
        session.add(row)
        session.flush()
    return row.value


def rotate_era(session: Session) -> str:
    """After restoring a backup: clients see a new era and re-push what they keep, then re-download."""
    row = session.get(ServerMeta, ERA_KEY)
    value = uuid.uuid4().hex[:12]
    if row is None:
        session.add(ServerMeta(key=ERA_KEY, value=value))
    else:
        row.value = value
    return value
