"""Deadline indexes end with the id, the lists' tie-breaker, so SQLite walks them in order without sorting

Closed complaints all share the placeholder deadline; without ``id`` in the index every page past the open ones
(and the list model's full id load) sorted that whole group in a temporary B-tree.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 12:02:00
"""

from __future__ import annotations

from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

DUE_SORT = "coalesce(next_due_at, '9999-12-31')"


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_complaints_office_next_due")
    op.execute("DROP INDEX IF EXISTS ix_complaints_office_status_due")
    op.execute(f"CREATE INDEX ix_complaints_office_next_due ON complaints (office_id, {DUE_SORT}, id)")
    op.execute(f"CREATE INDEX ix_complaints_office_status_due ON complaints (office_id, status, {DUE_SORT}, id)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_complaints_office_next_due")
    op.execute("DROP INDEX IF EXISTS ix_complaints_office_status_due")
    op.execute(f"CREATE INDEX ix_complaints_office_next_due ON complaints (office_id, {DUE_SORT})")
    op.execute(f"CREATE INDEX ix_complaints_office_status_due ON complaints (office_id, status, {DUE_SORT})")
