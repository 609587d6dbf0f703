"""Whether a database is at the schema this program needs: ``serve`` refuses one that is not, so that migrating is
its own step, run once (``lapor-server migrate``), never by several workers or hosts starting together."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
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
