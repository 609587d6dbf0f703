"""Category suggestions from a new complaint's text, learnt from the office's own past complaints, offline.

The office's complaints most like the new text are found with the full-text index (app.read.search: SQLite FTS5,
BM25), on the text's telling words (app.read.duplicates.words) that are not common across all complaints; each
neighbour votes for its category with its BM25 score. A category whose name shares a word with the text gets a
vote too (a new office has no past complaints). The result is the top few with each one's share of the votes.

Only rare-enough words go into the query: a word found in a large share of all complaints ("jalan", "warga") says
little and makes the index rank many thousands of rows. Measured on 100,000 complaints: bench/store.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.models import Category
from app.read.duplicates import words
from app.reference.categories import category_label

if TYPE_CHECKING:
    from app.store.db import Store

NEIGHBOURS = 40  # past complaints that vote
MAX_QUERY_WORDS = 8
COMMON_SHARE = 0.1  # a word in more than this share of all complaints does not go into the query
NAME_VOTE = 0.2  # a category named by a word of the text: this share of the neighbours' votes (or 1 without them)
MIN_SHARE = 0.08  # a suggestion with less than this share of the votes is left out

_COLUMNS = "{title description}"
_DOC_COUNT = text("SELECT coalesce(max(docid), 0) FROM complaint_search_docs")
_WORD_COUNT = text("SELECT count(*) FROM complaint_fts WHERE complaint_fts MATCH :q")
_NEIGHBOURS = text(
    "SELECT c.category_id, f.rank FROM complaint_fts f"
    " JOIN complaint_search_docs d ON d.docid = f.rowid"
    " JOIN complaints c ON c.id = d.complaint_id"
    " WHERE complaint_fts MATCH :q AND c.office_id = :office AND c.category_id IS NOT NULL"
    " ORDER BY f.rank LIMIT :limit"
)


@dataclass(frozen=True)
class CategorySuggestion:
    category_id: str
    name: str
    share: float  # of the votes, 0–1


def _query_words(session: Session, found: frozenset[str]) -> list[str]:
    """The text's words that say most: those rarest in the index, leaving out the ones in a large share of it."""
    total = session.execute(_DOC_COUNT).scalar_one() or 0
    counted = []
    for word in sorted(found):
        n = session.execute(_WORD_COUNT, {"q": f'{_COLUMNS} : "{word}"'}).scalar_one()
        if n:
            counted.append((n, word))
    counted.sort()
    rare = [w for n, w in counted if n <= max(total * COMMON_SHARE, 1)]
    # Only common words: the rarest of them still narrow the choice a little.
    return (rare or [w for _, w in counted[:3]])[:MAX_QUERY_WORDS]


def suggest_categories(session: Session, office_id: str, complaint_text: str, *, lang: str = "id",
                       limit: int = 3) -> list[CategorySuggestion]:
    """The categories the office's past complaints most like ``complaint_text`` were filed under (active
    categories only), best first, at most ``limit``."""
    found = words(complaint_text)
    if not found:
        return []
    votes: dict[str, float] = {}
    query = _query_words(session, found)
    if query:
        expression = f"{_COLUMNS} : (" + " OR ".join(f'"{w}"' for w in query) + ")"
        for category_id, rank in session.execute(_NEIGHBOURS, {"q": expression, "office": office_id,
                                                               "limit": NEIGHBOURS}):
            votes[category_id] = votes.get(category_id, 0.0) - float(rank)  # FTS5's rank: lower is better
    categories = {c.id: c for c in session.query(Category).filter(Category.active.is_(True))}
    neighbours_total = sum(votes.values())
    name_vote = NAME_VOTE * neighbours_total if neighbours_total else 1.0
    for category in categories.values():
        if category.parent_id is not None and words(category.name) & found:
            votes[category.id] = votes.get(category.id, 0.0) + name_vote
    votes = {cid: v for cid, v in votes.items() if cid in categories and v > 0}
    total = sum(votes.values())
    if not total:
        return []
    ranked = sorted(votes.items(), key=lambda item: (-item[1], item[0]))
    return [CategorySuggestion(cid, category_label(categories[cid], lang), v / total)
            for cid, v in ranked[:limit] if v / total >= MIN_SHARE]


def load_suggestions(store: Store, office_id: str, complaint_text: str, lang: str = "id") -> list[CategorySuggestion]:
    """:func:`suggest_categories` in a read block of its own (the window calls it on the database thread)."""
    with store.read() as session:
        return suggest_categories(session, office_id, complaint_text, lang=lang)
