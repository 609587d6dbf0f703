"""Alembic environment of the national server (its own history, apart from the desktop store's)."""

from __future__ import annotations

from alembic import context

from server.models import ServerBase

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only via server.db.migrate()
    raise RuntimeError("server migrations run through server.db.migrate()")

context.configure(connection=connection, target_metadata=ServerBase.metadata, render_as_batch=True,
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
