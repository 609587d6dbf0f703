"""Server-wide facts kept in ``server_meta``: the era (a new one after a restore from backup), when the server last
found out it was restored, and the version of the reference data."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.timeutil import utcnow
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


_meta = ServerMeta.__table__
# Two equalities rather than IN: an IN list is expanded into the SQL on every execution.
_ERA_AND_REFERENCE = select(_meta.c.key, _meta.c.value).where(
    or_(_meta.c.key == ERA_KEY, _meta.c.key == REFERENCE_KEY))


def era_and_reference(session: Session) -> tuple[str, int]:
    """:func:`get_era` and :func:`reference_version` in one statement (every pull answers with both)."""
    found: dict[str, str] = {key: value for key, value in session.execute(_ERA_AND_REFERENCE)}
    era = found.get(ERA_KEY)
    reference = found.get(REFERENCE_KEY)
    return (era if era is not None else get_era(session),
            int(reference) if reference is not None else reference_version(session))


def rotate_era(session: Session, now: datetime | None = None) -> str:
    """After restoring a backup: clients see a new era and re-push what they keep, then re-download."""
    value = uuid.uuid4().hex[:12]
    meta_row(session, ERA_KEY, value, for_update=True).value = value
    note_restored(session, now or utcnow())
    return value


RESTORED_KEY = "restored_at"
# How long after a restore PCs may give back what the server lost (complaint.restore): long enough for every PC of
# every office to come online once, short enough that the door does not stay open.
RESTORE_WINDOW = timedelta(days=30)


NATIONAL_SEQ_KEY = "national_tracking_seq"
# Once the server finds out it was restored, national tracking codes continue this far above the restored counter:
# the codes issued between the backup and the restore live on in the PCs and must not be issued again.
RESTORE_CODE_GAP = 100_000


def note_restored(session: Session, now: datetime) -> None:
    """The server was restored from an older backup (rotate-era, or a PC's position it does not hold): open the
    window in which PCs give back what it lost, and move national tracking codes past any issued after the backup.
    A window already open is not opened again."""
    row = meta_row(session, RESTORED_KEY, "", for_update=True)
    if not restore_window_open(session, now):
        row.value = now.isoformat()
        codes = meta_row(session, NATIONAL_SEQ_KEY, "0", for_update=True)
        codes.value = str(int(codes.value) + RESTORE_CODE_GAP)


def restore_window_open(session: Session, now: datetime) -> bool:
    raw = meta_row(session, RESTORED_KEY, "").value
    return bool(raw) and now - datetime.fromisoformat(raw) < RESTORE_WINDOW


def reference_version(session: Session) -> int:
    """Bumped whenever categories, the SLA policy, holidays, units or accounts change: a PC downloads the
    reference data only when the number in a pull answer differs from the one it holds."""
    return int(meta_row(session, REFERENCE_KEY, "1").value)


def bump_reference(session: Session) -> int:
    row = meta_row(session, REFERENCE_KEY, "1", for_update=True)
    row.value = str(int(row.value) + 1)
    return int(row.value)
