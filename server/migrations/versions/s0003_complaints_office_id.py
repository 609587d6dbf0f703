"""Complaints: an index on (office_id, id), so a first sync reads an office's complaints page by page in id order

Revision ID: s0003
Revises: s0002
Create Date: 2026-12-10 10:00:00
"""

from __future__ import annotations

from alembic import op

revision = 's0003'
down_revision = 's0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index('ix_complaints_office_id', ['office_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_office_id')
