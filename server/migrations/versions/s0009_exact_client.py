"""Complaints: the PC whose exact change made which version (exact_client_id, exact_version), kept on the row
itself; the change log's index by entity gives way to one of the scope exits only.

Pushing a change based on an older version asked the change log who made a complaint's current version, through an
index by entity that every change-log row entered at a random place: a quarter of the pages a pushed edit wrote. The
row the change writes anyway now says it. The two queries by entity left read only scope-exit rows, which a partial
index holds.

Hosts of the release before, running while their hosts are replaced, stay correct: they do not know the columns, and
any version they make leaves the mark behind (it counts only while exact_version is the complaint's version). Their
own question to the change log, without its index, reads the log from its newest row back: slower for that window,
not wrong.

Revision ID: s0009
Revises: s0008
Create Date: 2026-12-05 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 's0009'
down_revision = 's0008'
branch_labels = None
depends_on = None

SCOPE_EXIT = sa.text("op = 'scope_exit'")
# Who holds each complaint exactly, as the change log says: the origin of its latest row, when that row is exact and
# made the version the complaint has.
BACKFILL = sa.text("""
UPDATE complaints SET exact_client_id = (
    SELECT CASE WHEN l.exact AND l.version = complaints.version THEN l.origin_client_id END
    FROM change_log l WHERE l.entity_id = complaints.id AND l.entity_type = 'complaint'
    ORDER BY l.id DESC LIMIT 1)
""")
BACKFILL_VERSION = sa.text("UPDATE complaints SET exact_version = version WHERE exact_client_id IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exact_client_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('exact_version', sa.Integer(), nullable=True))
    op.execute(BACKFILL)  # (through the index by entity, dropped only after)
    op.execute(BACKFILL_VERSION)
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index('ix_change_log_entity_id_id')
        batch_op.create_index('ix_change_log_scope_exits', ['entity_id'], unique=False, sqlite_where=SCOPE_EXIT,
                              postgresql_where=SCOPE_EXIT)


def downgrade() -> None:
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index('ix_change_log_scope_exits', sqlite_where=SCOPE_EXIT, postgresql_where=SCOPE_EXIT)
        batch_op.create_index('ix_change_log_entity_id_id', ['entity_id', 'id'], unique=False)
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('exact_version')
        batch_op.drop_column('exact_client_id')
