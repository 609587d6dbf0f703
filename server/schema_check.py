"""What ``serve`` and the administrative commands check of their database before they start: the schema this program
needs (they refuse one that is not, so that migrating is its own step, run once: ``lapor-server migrate``, never by
several workers or hosts starting together; what ``migrate`` did is said here too), and how far the holiday calendar
the PCs receive reaches (said in the log)."""

from __future__ import annotations

import logging
import sys
from datetime import date
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine

from server.db import Database, alembic_config, make_engine

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


def database_at_head(url: str, *, allow_newer: bool = False, then: tuple[str, str] = ("serve", "serve")
                     ) -> Database | None:
    """The database when it is at the schema's head (or, with ``allow_newer``, past it); else None, having said what
    to do on standard error (``then``: what to run after migrating, in Indonesian and English). ``url``: as the
    engine takes it."""
    path = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
    behind: tuple[str | None, str] | None = (None, schema_head()) if path is not None and not path.exists() else None
    db = Database(make_engine(url))
    if behind is None:
        behind = schema_behind(db.engine)
    if behind is None:
        return db
    if behind[0] is not None and is_newer(behind[0]):
        if allow_newer:
            log.warning("schema %s is newer than this version's %s: starting (--allow-newer-schema)", *behind)
            return db
        db.dispose()
        print(newer_schema_message(behind[0], behind[1]), file=sys.stderr)
        return None
    db.dispose()
    at = f"revisi {behind[0]}" if behind[0] else "kosong"
    at_en = f"at revision {behind[0]}" if behind[0] else "empty"
    print(f"Galat: skema basis data server belum mutakhir ({at}; dibutuhkan {behind[1]}). Jalankan lapor-server "
          f"migrate dulu (sekali, dengan --db yang sama), lalu {then[0]}.\n"
          f"Error: the server database's schema is not up to date ({at_en}; {behind[1]} needed). Run lapor-server "
          f"migrate first (once, with the same --db), then {then[1]}.", file=sys.stderr)
    return None


def migrated_message(behind: tuple[str | None, str] | None) -> str:
    """What ``migrate`` did, from what :func:`schema_behind` said before it ran."""
    if behind is None:
        head = schema_head()
        return (f"Skema server sudah mutakhir (revisi {head}); tidak ada yang diubah.\n"
                f"The server schema is already up to date (revision {head}); nothing was changed.")
    if behind[0] is None:
        return f"Skema server dibuat (revisi {behind[1]}).\nThe server schema was created (revision {behind[1]})."
    return (f"Skema server dimutakhirkan dari revisi {behind[0]} ke {behind[1]}.\n"
            f"The server schema was upgraded from revision {behind[0]} to {behind[1]}.")


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
