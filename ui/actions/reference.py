"""Small reads of reference data the forms need (the office's units, the category tree, other offices' names).

Run on the database thread. app/queries.py has no reader for these yet; they belong there (see the report of
issue 5) and are kept here, read-only, until then.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.db import Store
from app.models import Category, Office, Unit


@dataclass(frozen=True)
class Choice:
    """An id and the name shown for it; ``depth`` indents children in a tree."""

    id: str
    name: str
    depth: int = 0


def office_units(store: Store, office_id: str, *, active_only: bool = True) -> list[Choice]:
    with store.read() as session:
        q = select(Unit.id, Unit.name).where(Unit.office_id == office_id).order_by(Unit.name)
        if active_only:
            q = q.where(Unit.active.is_(True))
        return [Choice(i, n) for i, n in session.execute(q)]


def category_tree(store: Store, lang: str = "id") -> list[Choice]:
    """Active categories, each parent followed by its children."""
    with store.read() as session:
        rows = session.execute(
            select(Category.id, Category.parent_id, Category.name, Category.name_en)
            .where(Category.active.is_(True)).order_by(Category.name)
        ).all()
    children: dict[str | None, list[tuple[str, str]]] = {}
    for cid, parent, name, name_en in rows:
        shown = name_en if lang.startswith("en") and name_en else name
        children.setdefault(parent, []).append((cid, shown))
    out: list[Choice] = []

    def walk(parent: str | None, depth: int) -> None:
        for cid, shown in children.get(parent, []):
            out.append(Choice(cid, shown, depth))
            walk(cid, depth + 1)

    walk(None, 0)
    return out


def other_office_names(store: Store, office_id: str) -> list[str]:
    """Names of the other offices this PC knows (suggestions for a redirect)."""
    with store.read() as session:
        q = select(Office.name).where(Office.id != office_id).order_by(Office.name)
        return [n for (n,) in session.execute(q)]
