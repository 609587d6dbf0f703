"""The national comparison's figures kept per office and day (server.kpi_national): kpi_complaints, kpi_days,
kpi_day_durations, and their sums per month, kpi_months and kpi_month_durations. Created empty; ``lapor-server migrate`` then computes them from the complaints
(server.kpi_national.rebuild) when they were never built.

Revision ID: s0007
Revises: s0006
Create Date: 2026-12-04 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 's0007'
down_revision = 's0006'
branch_labels = None
depends_on = None

MEASURES = ('received', 'excluded', 'completed', 'auto_closed', 'verified_met', 'verified_missed',
            'followed_up_met', 'followed_up_missed', 'resolved_met', 'resolved_missed', 'responses', 'satisfied')


def upgrade() -> None:
    op.create_table(
        'kpi_complaints',
        sa.Column('complaint_id', sa.String(length=36), nullable=False),
        sa.Column('office_id', sa.String(length=36), nullable=False),
        sa.Column('unit_id', sa.String(length=36), nullable=True),
        sa.Column('category_id', sa.String(length=64), nullable=True),
        sa.Column('marks', sa.Text(), nullable=False),
        sa.Column('overdue_from', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('complaint_id', name=op.f('pk_kpi_complaints')),
    )
    # Open complaints only (a running deadline): what a push changes of closed ones touches no index.
    op.create_index('ix_kpi_complaints_overdue_from', 'kpi_complaints', ['overdue_from', 'office_id'],
                    postgresql_where=sa.text('overdue_from IS NOT NULL'),
                    sqlite_where=sa.text('overdue_from IS NOT NULL'))
    # One index per table (its key), ordered for both readers: every office's totals of a month, one office's units
    # or categories of a month.
    op.create_table(
        'kpi_days',
        sa.Column('dim', sa.String(length=1), nullable=False),
        sa.Column('month', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.String(length=36), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in MEASURES),
        sa.PrimaryKeyConstraint('dim', 'month', 'office_id', 'day', 'key', name=op.f('pk_kpi_days')),
    )
    op.create_table(
        'kpi_day_durations',
        sa.Column('month', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.String(length=36), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=1), nullable=False),
        sa.Column('working_days', sa.Integer(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('month', 'office_id', 'day', 'kind', 'working_days',
                                name=op.f('pk_kpi_day_durations')),
    )
    op.create_table(
        'kpi_months',
        sa.Column('dim', sa.String(length=1), nullable=False),
        sa.Column('month', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.String(length=36), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in MEASURES),
        sa.PrimaryKeyConstraint('dim', 'month', 'office_id', 'key', name=op.f('pk_kpi_months')),
    )
    op.create_table(
        'kpi_month_durations',
        sa.Column('month', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=1), nullable=False),
        sa.Column('working_days', sa.Integer(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('month', 'office_id', 'kind', 'working_days', name=op.f('pk_kpi_month_durations')),
    )


def downgrade() -> None:
    op.drop_table('kpi_month_durations')
    op.drop_table('kpi_months')
    op.drop_table('kpi_day_durations')
    op.drop_table('kpi_days')
    op.drop_table('kpi_complaints')
    op.execute("DELETE FROM server_meta WHERE key IN ('kpi_rules', 'kpi_built')")
