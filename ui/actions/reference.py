"""Reference lists the forms need, read on the database thread (the reads themselves are app.choices)."""

from __future__ import annotations

from app import choices
from app.choices import Choice
from app.db import Store


def office_units(store: Store, office_id: str, *, active_only: bool = True) -> list[Choice]:
    with store.read() as session:
        return choices.office_units(session, office_id, active_only=active_only)


def category_tree(store: Store, lang: str = "id") -> list[Choice]:
    with store.read() as session:
        return choices.category_tree(session, lang)


def other_office_names(store: Store, office_id: str) -> list[str]:
    with store.read() as session:
        return choices.other_office_names(session, office_id)
