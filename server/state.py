"""Server-wide facts kept in ``server_meta``: the era (a new one after a restore from backup) and the version
of the reference data."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.models import ServerMeta

ERA_KEY = "era"
REFERENCE_KEY = "reference_version"


def meta_row(session: Session, key: str, initial: str, *, for_update: bool = False) -> ServerMeta:
    """The ``server_meta`` row for ``key``, created with ``initial`` if missing. Requests racing to create it
    (several workers on a fresh PostgreSQL database) all end up with the one row that won."""
    row = session.get(ServerMeta, key, with_for_update=for_update or None)
    if row is None:
        try:
            with session.begin_nested():
                session.add(ServerMeta(key=key, value=initial))
        except IntegrityError:
            pass  # another transaction created it first; read theirs below
        row = session.get(ServerMeta, key, with_for_update=for_update or None, populate_existing=True)
        assert row is not None
    return row


def get_era(session: Session) -> str:
    return meta_row(session, ERA_KEY, uuid.uuid4().hex[:12]).value


def rotate_era(session: Session) -> str:
    """After restoring a backup: clients see a new era and re-push what they keep, then re-download."""
    value = uuid.uuid4().hex[:12]
    meta_row(session, ERA_KEY, value, for_update=True).value = value
    return value


def reference_version(session: Session) -> int:
    """Bumped whenever categories, the SLA policy, holidays, units or accounts change: a PC downloads the
    reference data only when the number in a pull answer differs from the one it holds."""
    return int(meta_row(session, REFERENCE_KEY, "1").value)


def bump_reference(session: Session) -> int:
    row = meta_row(session, REFERENCE_KEY, "1", for_update=True)
    row.value = str(int(row.value) + 1)
    return int(row.value)
