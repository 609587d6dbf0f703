"""What ``serve`` checks of its database before it starts: the schema this program needs (it refuses one that is not,
so that migrating is its own step, run once: ``lapor-server migrate``, never by several workers or hosts starting
together), and how far the holiday calendar the PCs receive reaches (said in the log)."""

from __future__ import annotations

import logging
from datetime import date

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine

from server.db import Database, alembic_config

log = logging.getLogger("lapor.server")


def schema_head() -> str:
    """The revision this version's migrations end at."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def schema_behind(engine: Engine) -> tuple[str | None, str] | None:
    """``(revision it is at, the head)`` when the database needs migrating (``None`` first for an empty database
    that was never migrated); ``None`` when it is at the head."""
    head = schema_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    return None if current == head else (current, head)


def is_newer(revision: str) -> bool:
    """The revision is not one of this program's: a newer lapor-server migrated the database (running ``migrate``
    here could not help, it knows no way from there)."""
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is None
    except CommandError:
        return True


def newer_schema_message(at: str, head: str) -> str:
    return (f"Galat: skema basis data server (revisi {at}) lebih baru daripada lapor-server ini ({head}): versi yang "
            f"lebih baru sudah memigrasikannya. Pasang versi itu di host ini; saat peningkatan bergilir, "
            f"--allow-newer-schema menjalankan versi ini juga.\n"
            f"Error: the server database's schema (revision {at}) is newer than this lapor-server's ({head}): a newer "
            f"version migrated it. Install that version on this host; during a rolling upgrade, --allow-newer-schema "
            f"starts this version anyway.")


def log_holiday_horizon(db: Database, today: date) -> None:
    """Say at start-up how far the holiday calendar the PCs receive reaches; warn before it ends (deadlines past
    it count holidays as working days) and when there is none."""
    from app.rules.sla import holiday_horizon, horizon_warning
    from server.models import Holiday

    with db.transaction() as session:
        horizon = holiday_horizon(session, Holiday)
    fix = ("update lapor-server (its holidays package) and import the coming years: lapor-server admin "
           "import-reference --years")
    if horizon is None:
        log.warning("no holiday calendar for the PCs: deadlines count holidays as working days; %s FROM-TO", fix)
    elif horizon_warning(horizon, today) is not None:
        log.warning("holiday calendar for the PCs %s on %s: deadlines after it count holidays as working days "
                    "(estimates); %s %d-%d", "ended" if today > horizon else "ends", horizon.isoformat(), fix,
                    horizon.year + 1, horizon.year + 2)
    else:
        log.info("holiday calendar for the PCs until %s", horizon.isoformat())
