"""Full-text search over complaints (SQLite FTS5): tracking code, title, description, reporter name and
follow-up text. Diacritics are folded by the tokenizer and every word is matched as a prefix.

Anonymous reporters' names sit in their own column, searched only for roles that may see their identity; a role that
sees no reporter's name (app.rules.scope) searches no name at all, so a search cannot tell it who reported what. The
results are only the complaints the reader's scope may see.
"""

from __future__ import annotations

import json
import re
import unicodedata
import warnings
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.rules import tracking
from app.rules.scope import NAME, Reach, Scope, UnscopedRead
from app.store.transactions import SqlCursor

ALL_COLUMNS = "{tracking_code title description reporter_name anon_reporter_name follow_up_text}"
PUBLIC_COLUMNS = "{tracking_code title description reporter_name follow_up_text}"
NO_REPORTER_COLUMNS = "{tracking_code title description follow_up_text}"
_WORD = re.compile(r"\w+", re.UNICODE)

# The documents of a set of complaints (a JSON array of ids in :ids), built in SQL: one statement whether one
# complaint changed or a whole pulled page of them.
_DROP_DOCS = text(
    "DELETE FROM complaint_fts WHERE rowid IN (SELECT docid FROM complaint_search_docs"
    " WHERE complaint_id IN (SELECT value FROM json_each(:ids)))"
)
_ADD_DOCS = text(
    "INSERT INTO complaint_search_docs (complaint_id) SELECT c.id FROM complaints c"
    " WHERE c.id IN (SELECT value FROM json_each(:ids))"
    " AND NOT EXISTS (SELECT 1 FROM complaint_search_docs d WHERE d.complaint_id = c.id)"
)
_FILL_DOCS = text(
    """
    INSERT INTO complaint_fts (rowid, tracking_code, title, description, reporter_name, anon_reporter_name,
                               follow_up_text)
    SELECT d.docid, replace(c.tracking_code, '-', ''), c.title, c.description,
           CASE WHEN c.is_anonymous THEN '' ELSE coalesce(r.name, '') END,
           CASE WHEN c.is_anonymous THEN coalesce(r.name, '') ELSE '' END,
           coalesce((SELECT group_concat(e.text, ' ') FROM timeline_events e
                     WHERE e.complaint_id = c.id AND e.kind = 'FOLLOW_UP'), '')
    FROM complaints c JOIN complaint_search_docs d ON d.complaint_id = c.id
    LEFT JOIN reporters r ON r.id = c.reporter_id
    WHERE c.id IN (SELECT value FROM json_each(:ids))
    """
)


def index_complaint(session: Session, complaint_id: str) -> None:
    """(Re)build one complaint's search document, in the caller's transaction."""
    index_complaints(session, [complaint_id])


def index_complaints(session: Session, complaint_ids: Iterable[str]) -> None:
    """(Re)build the search documents of these complaints (those that exist), in the caller's transaction."""
    ids = sorted(set(complaint_ids))
    if not ids:
        return
    session.flush()
    params = {"ids": json.dumps(ids)}
    session.execute(_DROP_DOCS, params)
    session.execute(_ADD_DOCS, params)
    session.execute(_FILL_DOCS, params)


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


def fts_query(user_text: str, *, can_see_anonymous: bool, can_see_names: bool = True) -> str | None:
    """Turn what a person typed into a safe FTS5 expression (every word a prefix, all words required), over the
    reporter names the reader may see (anonymous ones too, or named ones, or none)."""
    if tracking.looks_like_code(user_text):
        return f'tracking_code : "{tracking.compact(user_text)}"'
    words = [_fold(w) for w in _WORD.findall(user_text)]
    words = [w for w in words if w]
    if not words:
        return None
    terms = " AND ".join(f'"{w}"*' for w in words)
    columns = ALL_COLUMNS if can_see_anonymous else PUBLIC_COLUMNS if can_see_names else NO_REPORTER_COLUMNS
    return f"{columns} : ({terms})"


_SEARCH = (
    "SELECT d.complaint_id FROM complaint_fts f"
    " JOIN complaint_search_docs d ON d.docid = f.rowid"
    " JOIN complaints c ON c.id = d.complaint_id"
    " WHERE complaint_fts MATCH :q AND c.office_id = :office{unit}"
    " ORDER BY f.rank LIMIT :limit"
)
_SEARCH_OFFICE = text(_SEARCH.format(unit=""))
_SEARCH_UNIT = text(_SEARCH.format(unit=" AND c.unit_id = :unit"))


def search_ids(
    session: Session,
    user_text: str,
    scope: Scope | None = None,
    *,
    office_id: str | None = None,
    can_see_anonymous: bool = False,
    limit: int = 200,
) -> list[str]:
    """Ids of the complaints ``scope`` may see matching ``user_text``, best match first; the reporter names searched
    are those the scope may see. Without a scope: the program's own read of ``office_id``'s complaints (the CLI,
    the benchmarks; warned as UnscopedRead), anonymous names searched if ``can_see_anonymous``."""
    if scope is None:
        if office_id is None:
            raise TypeError("search_ids() needs the reader's scope (or the office of a program's own read)")
        warnings.warn(UnscopedRead(f"search of office {office_id} without a viewer's scope"), stacklevel=2)
        query = fts_query(user_text, can_see_anonymous=can_see_anonymous)
        unit: str | None = None
    else:
        if scope.reach == Reach.NONE:
            return []
        policy = scope.policy
        query = fts_query(user_text, can_see_anonymous=policy.anonymous, can_see_names=NAME in policy.reporter)
        office_id = scope.office_id
        unit = scope.unit_id if scope.reach == Reach.UNIT else None
    if query is None:
        return []
    params: dict[str, object] = {"q": query, "office": office_id, "limit": limit}
    if unit is not None:
        params["unit"] = unit
    rows = session.execute(_SEARCH_UNIT if unit is not None else _SEARCH_OFFICE, params)
    return [r[0] for r in rows]
