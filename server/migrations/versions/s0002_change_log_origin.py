"""Change log: the PC whose mutation wrote a row and whether that PC already holds the result (no echo on pull)

Revision ID: s0002
Revises: s0001
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 's0002'
down_revision = 's0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin_client_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('exact', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_change_log_entity_id_id', ['entity_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index('ix_change_log_entity_id_id')
        batch_op.drop_column('exact')
        batch_op.drop_column('origin_client_id')
