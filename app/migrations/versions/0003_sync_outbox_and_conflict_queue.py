"""Sync: the outbox of captured changes, the conflict review queue, and whether the server holds a file

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 11:04:18
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sync_conflicts',
        sa.Column('id', sa.String(length=80), nullable=False),
        sa.Column('complaint_id', sa.String(length=36), nullable=False),
        sa.Column('field', sa.String(length=40), nullable=False),
        sa.Column('mine_json', sa.Text(), nullable=False),
        sa.Column('theirs_json', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
        sa.Column('resolution', sa.String(length=16), nullable=True),
        sa.Column('resolved_by', sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflicts')),
    )
    with op.batch_alter_table('sync_conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflicts_complaint_id'), ['complaint_id'], unique=False)
    op.create_table(
        'sync_outbox',
        sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('mutation_id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('entity_type', sa.String(length=32), nullable=False),
        sa.Column('entity_id', sa.String(length=64), nullable=False),
        sa.Column('base_version', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.String(length=36), nullable=True),
        sa.Column('args_json', sa.Text(), nullable=False),
        sa.Column('payload_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('acked_at', sa.DateTime(), nullable=True),
        sa.Column('result_status', sa.String(length=16), nullable=True),
        sa.Column('result_json', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_sync_outbox')),
        sa.UniqueConstraint('mutation_id', name=op.f('uq_sync_outbox_mutation_id')),
    )
    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_outbox_acked_at'), ['acked_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_outbox_entity_id'), ['entity_id'], unique=False)
    # A plain ADD COLUMN (no table rebuild): the FTS index and expression indexes stay as they are.
    op.add_column('attachments', sa.Column('blob_uploaded', sa.Boolean(), nullable=False,
                                           server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_column('blob_uploaded')
    op.drop_table('sync_outbox')
    op.drop_table('sync_conflicts')
