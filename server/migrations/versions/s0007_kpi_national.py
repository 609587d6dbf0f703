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
    op.create_index('ix_kpi_complaints_overdue_from', 'kpi_complaints', ['overdue_from', 'office_id'])
    op.create_index('ix_kpi_complaints_office_id', 'kpi_complaints', ['office_id', 'overdue_from'])
    op.create_table(
        'kpi_days',
        sa.Column('office_id', sa.String(length=36), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('dim', sa.String(length=1), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('month', sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in MEASURES),
        sa.PrimaryKeyConstraint('office_id', 'day', 'dim', 'key', name=op.f('pk_kpi_days')),
    )
    op.create_index('ix_kpi_days_dim_month_office', 'kpi_days', ['dim', 'month', 'office_id', 'day'])
    op.create_table(
        'kpi_day_durations',
        sa.Column('office_id', sa.String(length=36), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=1), nullable=False),
        sa.Column('working_days', sa.Integer(), nullable=False),
        sa.Column('month', sa.Integer(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('office_id', 'day', 'kind', 'working_days', name=op.f('pk_kpi_day_durations')),
    )
    op.create_index('ix_kpi_day_durations_month_office', 'kpi_day_durations', ['month', 'office_id', 'day'])
    op.create_table(
        'kpi_months',
        sa.Column('office_id', sa.String(length=36), nullable=False),
        sa.Column('month', sa.Integer(), nullable=False),
        sa.Column('dim', sa.String(length=1), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in MEASURES),
        sa.PrimaryKeyConstraint('office_id', 'month', 'dim', 'key', name=op.f('pk_kpi_months')),
    )
    op.create_index('ix_kpi_months_dim_month_office', 'kpi_months', ['dim', 'month', 'office_id'])
    op.create_table(
        'kpi_month_durations',
        sa.Column('office_id', sa.String(length=36), nullable=False),
        sa.Column('month', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=1), nullable=False),
        sa.Column('working_days', sa.Integer(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('office_id', 'month', 'kind', 'working_days', name=op.f('pk_kpi_month_durations')),
    )
    op.create_index('ix_kpi_month_durations_month_office', 'kpi_month_durations', ['month', 'office_id'])


def downgrade() -> None:
    op.drop_table('kpi_month_durations')
    op.drop_table('kpi_months')
    op.drop_table('kpi_day_durations')
    op.drop_table('kpi_days')
    op.drop_table('kpi_complaints')
    op.execute("DELETE FROM server_meta WHERE key IN ('kpi_rules', 'kpi_built')")
