"""The short lists forms and filters offer: the office's units, the category tree, other offices' names.

Read-only, on the caller's session (in the window: the database thread). app.read.queries holds the complaint reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Category, Office, Unit
from app.reference.categories import category_label

if TYPE_CHECKING:
    from app.store.db import Store


@dataclass(frozen=True)
class Choice:
    """An id and the name shown for it; ``depth`` indents children in a tree."""

    id: str
    name: str
    depth: int = 0


def office_units(session: Session, office_id: str, *, active_only: bool = True) -> list[Choice]:
    q = select(Unit.id, Unit.name).where(Unit.office_id == office_id).order_by(Unit.name)
    if active_only:
        q = q.where(Unit.active.is_(True))
    return [Choice(i, n) for i, n in session.execute(q)]


def category_tree(session: Session, lang: str = "id") -> list[Choice]:
    """Active categories, each parent followed by its children, siblings by their name in ``lang``."""
    rows = session.execute(select(Category).where(Category.active.is_(True))).scalars().all()
    children: dict[str | None, list[Category]] = {}
    for cat in rows:
        children.setdefault(cat.parent_id, []).append(cat)
    out: list[Choice] = []

    def walk(parent: str | None, depth: int) -> None:
        for cat in sorted(children.get(parent, []), key=lambda c: category_label(c, lang).casefold()):
            out.append(Choice(cat.id, category_label(cat, lang), depth))
            walk(cat.id, depth + 1)

    walk(None, 0)
    return out


def other_office_names(session: Session, office_id: str) -> list[str]:
    """Names of the other offices this PC knows (suggestions for a redirect)."""
    return list(session.execute(select(Office.name).where(Office.id != office_id).order_by(Office.name)).scalars())


# The same lists read in a block of their own (the window reads them on the database thread).


def load_office_units(store: Store, office_id: str, *, active_only: bool = True) -> list[Choice]:
    with store.read() as session:
        return office_units(session, office_id, active_only=active_only)


def load_category_tree(store: Store, lang: str = "id") -> list[Choice]:
    with store.read() as session:
        return category_tree(session, lang)


def load_other_office_names(store: Store, office_id: str) -> list[str]:
    with store.read() as session:
        return other_office_names(session, office_id)
