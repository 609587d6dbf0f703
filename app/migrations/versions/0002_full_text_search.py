"""Full-text search: an FTS5 index over complaints, with its docid map, filled from existing complaints

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 10:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# reporter_name holds names of non-anonymous reporters; anon_reporter_name those of anonymous ones, searched
# only for roles allowed to see an anonymous reporter's identity.
FTS_DDL = """
CREATE VIRTUAL TABLE complaint_fts USING fts5(
    tracking_code, title, description, reporter_name, anon_reporter_name, follow_up_text,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
)
"""


def upgrade() -> None:
    op.create_table(
        'complaint_search_docs',
        sa.Column('docid', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('complaint_id', sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ['complaint_id'], ['complaints.id'],
            name=op.f('fk_complaint_search_docs_complaint_id_complaints'),
        ),
        sa.PrimaryKeyConstraint('docid', name=op.f('pk_complaint_search_docs')),
        sa.UniqueConstraint('complaint_id', name=op.f('uq_complaint_search_docs_complaint_id')),
    )
    op.execute(FTS_DDL)
    op.execute("INSERT INTO complaint_search_docs (complaint_id) SELECT id FROM complaints ORDER BY received_at")
    op.execute(
        """
        INSERT INTO complaint_fts (rowid, tracking_code, title, description, reporter_name,
                                   anon_reporter_name, follow_up_text)
        SELECT d.docid, replace(c.tracking_code, '-', ''), c.title, c.description,
               CASE WHEN c.is_anonymous THEN '' ELSE coalesce(r.name, '') END,
               CASE WHEN c.is_anonymous THEN coalesce(r.name, '') ELSE '' END,
               coalesce((SELECT group_concat(e.text, ' ') FROM timeline_events e
                         WHERE e.complaint_id = c.id AND e.kind = 'FOLLOW_UP'), '')
        FROM complaint_search_docs d
        JOIN complaints c ON c.id = d.complaint_id
        LEFT JOIN reporters r ON r.id = c.reporter_id
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE complaint_fts")
    op.drop_table('complaint_search_docs')
