"""Rate limits kept in the database (server.ratelimit.DatabaseBuckets), so every worker and every host counts into
one budget per device, address or code: rate_buckets, a token bucket per limit and key.

Revision ID: s0008
Revises: s0007
Create Date: 2026-12-05 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 's0008'
down_revision = 's0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'rate_buckets',
        sa.Column('name', sa.String(length=32), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('tokens', sa.Double(), nullable=False),
        sa.Column('updated', sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint('name', 'key', name=op.f('pk_rate_buckets')),
    )


def downgrade() -> None:
    op.drop_table('rate_buckets')
