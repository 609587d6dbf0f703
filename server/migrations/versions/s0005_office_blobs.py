"""Files per office: an office reads a file's bytes only after it sent them itself or received a complaint that
carries them (office_blobs); an index to find an office's complaints of one reporter (the trust boundary's check);
each PC's highest tracking number (a restored PC continues above it)

Revision ID: s0005
Revises: s0004
Create Date: 2026-12-04 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.models.base import UTCDateTime

revision = 's0005'
down_revision = 's0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'office_blobs',
        sa.Column('office_id', sa.String(length=36), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('device_id', sa.String(length=36), nullable=True),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('total', sa.BigInteger(), nullable=False),
        sa.Column('size_received', sa.BigInteger(), nullable=False),
        sa.Column('complete', sa.Boolean(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_office_blobs_office_id_offices')),
        sa.PrimaryKeyConstraint('office_id', 'sha256', name=op.f('pk_office_blobs')),
    )
    op.create_index(op.f('ix_office_blobs_device_id'), 'office_blobs', ['device_id'], unique=False)
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index('ix_complaints_reporter_id', ['reporter_id'], unique=False)
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tracking_high', sa.BigInteger(), server_default='0', nullable=False))
    # The tracking numbers PCs already issued (the code's sequence part: all but region, device and check digit).
    conn = op.get_bind()
    highest: dict[str, int] = {}
    for client_id, code in conn.execute(sa.text(
            "SELECT created_by_client, tracking_code FROM complaints WHERE created_by_client IS NOT NULL")):
        digits = "".join(ch for ch in code if ch.isdigit())
        if len(digits) >= 14:
            highest[client_id] = max(highest.get(client_id, 0), int(digits[7:-1]))
    for client_id, high in highest.items():
        conn.execute(sa.text("UPDATE devices SET tracking_high = :h WHERE client_id = :c"), {"h": high, "c": client_id})
    # Files already stored stay readable by the offices whose complaints carry them (who sent them is not known).
    op.execute(
        "INSERT INTO office_blobs (office_id, sha256, device_id, source, total, size_received, complete, "
        "created_at, updated_at) "
        "SELECT DISTINCT c.office_id, b.sha256, NULL, 'migrated', b.size_received, b.size_received, b.complete, "
        "b.created_at, b.created_at FROM blobs b JOIN attachments a ON a.sha256 = b.sha256 "
        "JOIN complaints c ON c.id = a.complaint_id WHERE b.complete AND c.office_id IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_column('tracking_high')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_reporter_id')
    op.drop_index(op.f('ix_office_blobs_device_id'), table_name='office_blobs')
    op.drop_table('office_blobs')
