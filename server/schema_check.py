"""Whether a database is at the schema this program needs: ``serve`` refuses one that is not, so that migrating is
its own step, run once (``lapor-server migrate``), never by several workers or hosts starting together."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine

from server.db import alembic_config


def schema_behind(engine: Engine) -> tuple[str | None, str] | None:
    """``(revision it is at, the head)`` when the database needs migrating (``None`` first for an empty database
    that was never migrated); ``None`` when it is at the head."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
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
