"""Full-text search over complaints (SQLite FTS5): tracking code, title, description, reporter name and
follow-up text. Diacritics are folded by the tokenizer and every word is matched as a prefix.

Anonymous reporters' names sit in their own column, searched only for roles that may see their identity.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app import tracking
from app.driver_sql import SqlCursor
from app.models import ComplaintSearchDoc

ALL_COLUMNS = "{tracking_code title description reporter_name anon_reporter_name follow_up_text}"
PUBLIC_COLUMNS = "{tracking_code title description reporter_name follow_up_text}"
_WORD = re.compile(r"\w+", re.UNICODE)

_DOC_SQL = text(
    """
    SELECT replace(c.tracking_code, '-', '') AS code, c.title, c.description, c.is_anonymous,
           coalesce(r.name, '') AS reporter_name,
           coalesce((SELECT group_concat(e.text, ' ') FROM timeline_events e
                     WHERE e.complaint_id = c.id AND e.kind = 'FOLLOW_UP'), '') AS follow_up_text
    FROM complaints c LEFT JOIN reporters r ON r.id = c.reporter_id
    WHERE c.id = :cid
    """
)


def index_complaint(session: Session, complaint_id: str) -> None:
    """(Re)build one complaint's search document, in the caller's transaction."""
    session.flush()
    docid = session.execute(
        select(ComplaintSearchDoc.docid).where(ComplaintSearchDoc.complaint_id == complaint_id)
    ).scalar()
    if docid is None:
        doc = ComplaintSearchDoc(complaint_id=complaint_id)
        session.add(doc)
        session.flush()
        docid = doc.docid
    else:
        session.execute(text("DELETE FROM complaint_fts WHERE rowid = :d"), {"d": docid})
    row = session.execute(_DOC_SQL, {"cid": complaint_id}).one()
    session.execute(
        text(
            "INSERT INTO complaint_fts (rowid, tracking_code, title, description, reporter_name,"
            " anon_reporter_name, follow_up_text) VALUES (:d, :code, :title, :descr, :rn, :arn, :fu)"
        ),
        {
            "d": docid,
            "code": row.code,
            "title": row.title,
            "descr": row.description,
            "rn": "" if row.is_anonymous else row.reporter_name,
            "arn": row.reporter_name if row.is_anonymous else "",
            "fu": row.follow_up_text,
        },
    )


_NEW_DOC = "INSERT INTO complaint_search_docs (complaint_id) VALUES (?)"
_NEW_FTS = (
    "INSERT INTO complaint_fts (rowid, tracking_code, title, description, reporter_name, anon_reporter_name,"
    " follow_up_text) VALUES (?, ?, ?, ?, ?, ?, '')"
)


def index_new_complaint(cursor: SqlCursor, complaint_id: str, *, tracking_code: str, title: str,
                        description: str, reporter_name: str, is_anonymous: bool) -> None:
    """The first search document of a complaint just written (it has no follow-ups yet), from the values at
    hand: the document :func:`index_complaint` would read back from the rows."""
    docid = cursor.run(_NEW_DOC, (complaint_id,))
    cursor.run(_NEW_FTS, (docid, tracking_code.replace("-", ""), title, description,
                          "" if is_anonymous else reporter_name, reporter_name if is_anonymous else ""))


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def fts_query(user_text: str, *, can_see_anonymous: bool) -> str | None:
    """Turn what a person typed into a safe FTS5 expression (every word a prefix, all words required)."""
    if tracking.looks_like_code(user_text):
        return f'tracking_code : "{tracking.compact(user_text)}"'
    words = [_fold(w) for w in _WORD.findall(user_text)]
    words = [w for w in words if w]
    if not words:
        return None
    terms = " AND ".join(f'"{w}"*' for w in words)
    columns = ALL_COLUMNS if can_see_anonymous else PUBLIC_COLUMNS
    return f"{columns} : ({terms})"


def search_ids(
    session: Session,
    user_text: str,
    *,
    office_id: str,
    can_see_anonymous: bool,
    limit: int = 200,
) -> list[str]:
    """Ids of the office's complaints matching ``user_text``, best match first."""
    query = fts_query(user_text, can_see_anonymous=can_see_anonymous)
    if query is None:
        return []
    rows = session.execute(
        text(
            "SELECT d.complaint_id FROM complaint_fts f"
            " JOIN complaint_search_docs d ON d.docid = f.rowid"
            " JOIN complaints c ON c.id = d.complaint_id"
            " WHERE complaint_fts MATCH :q AND c.office_id = :office"
            " ORDER BY f.rank LIMIT :limit"
        ),
        {"q": query, "office": office_id, "limit": limit},
    )
    return [r[0] for r in rows]
