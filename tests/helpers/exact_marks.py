"""Who holds a complaint exactly, as its columns say (``exact_client_id``, counted while ``exact_version`` is its
version) and as the change log says, the way the server asked it before the columns kept it (server migration
s0009): the origin of a complaint's latest change-log row, when that row is exact and made the version the complaint
has. Server fixtures check that the two agree after every test, so every way a test changes a complaint shows it."""

from __future__ import annotations

from sqlalchemy import Engine, text

# Complaints whose mark differs from what the change log says, with both.
_DISAGREE = text("""
WITH last AS (SELECT entity_id, MAX(id) AS id FROM change_log WHERE entity_type = 'complaint' GROUP BY entity_id)
SELECT c.id, CASE WHEN c.exact_version = c.version THEN c.exact_client_id END,
       CASE WHEN l.exact AND l.version = c.version THEN l.origin_client_id END
FROM complaints c LEFT JOIN last ON last.entity_id = c.id LEFT JOIN change_log l ON l.id = last.id
WHERE COALESCE(CASE WHEN c.exact_version = c.version THEN c.exact_client_id END, '')
   <> COALESCE(CASE WHEN l.exact AND l.version = c.version THEN l.origin_client_id END, '')
""")


def wrong_exact_marks(engine: Engine) -> list[tuple[str, str | None, str | None]]:
    """``(complaint id, who its columns say, who the change log says)`` for every complaint where the two differ."""
    with engine.connect() as conn:
        return [(row[0], row[1], row[2]) for row in conn.execute(_DISAGREE)]
