"""Offices: how citizens reach them (postal address, phone, e-mail, website, service hours), all optional; the PCs
receive them with the reference data and print them on receipts and status letters

Revision ID: s0006
Revises: s0005
Create Date: 2026-12-04 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 's0006'
down_revision = 's0005'
branch_labels = None
depends_on = None

COLUMNS = (('contact_address', 300), ('contact_phone', 20), ('contact_email', 254), ('contact_website', 200),
           ('service_hours', 200))


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN on both SQLite and PostgreSQL (nullable, no default: no table rewrite, and
    # on SQLite no copy of a table other tables' foreign keys point at).
    with op.batch_alter_table('offices', schema=None) as batch_op:
        for name, length in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN itself (SQLite 3.35+), not a batch copy: dropping the copied offices table fails
    # while foreign keys are on and units point at it.
    for name, _length in reversed(COLUMNS):
        op.drop_column('offices', name)
