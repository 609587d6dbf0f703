"""Offices: how citizens reach them (postal address, phone, e-mail, website, service hours), received from the
national server with the reference data and printed on receipts and status letters; all optional

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

COLUMNS = (('contact_address', 300), ('contact_phone', 20), ('contact_email', 254), ('contact_website', 200),
           ('service_hours', 200))


def upgrade() -> None:
    # Nullable columns without a default: SQLite adds them with ALTER TABLE, without copying the offices table that
    # units, users and complaints point at. A PC that synced before learns its office's contact at its next sync
    # (sync.state: reference data fetched with an older protocol is fetched again).
    with op.batch_alter_table('offices', schema=None) as batch_op:
        for name, length in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN itself (SQLite 3.35+), not a batch copy: dropping the copied offices table fails
    # while foreign keys are on and units point at it.
    for name, _length in reversed(COLUMNS):
        op.drop_column('offices', name)
