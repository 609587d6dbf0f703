"""The bundled default complaint-category tree (resources/reference/categories.json) and its install."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.models.reference import Category
from app.resources import resource_path


@dataclass(frozen=True)
class CategoryRow:
    """One category of the bundled tree; ``parent_id`` is None for a top-level category."""

    id: str
    name: str
    name_en: str
    parent_id: str | None


class Labelled(Protocol):
    """Anything with a category's names: a Category row, a CategoryRow."""

    name: str
    name_en: str


def default_categories() -> list[CategoryRow]:
    """The bundled tree, flattened with every parent before its children."""
    data: dict[str, Any] = json.loads(
        resource_path("reference", "categories.json").read_text(encoding="utf-8")
    )
    rows: list[CategoryRow] = []

    def walk(nodes: list[dict[str, Any]], parent_id: str | None) -> None:
        for node in nodes:
            rows.append(CategoryRow(node["id"], node["name"], node.get("name_en", ""), parent_id))
            walk(node.get("children", []), node["id"])

    walk(data["categories"], None)
    return rows


def install_categories(session: Session) -> int:
    """Fill the empty ``categories`` table with the bundled tree; return the rows inserted (0 if any exist).

    Parents are inserted before children (the parent_id foreign key). Runs in the caller's transaction and
    does not commit. Once the server has sent its own tree, the table is not empty and this does nothing.
    """
    if session.scalar(select(Category.id).limit(1)) is not None:
        return 0
    rows = [
        {"id": r.id, "parent_id": r.parent_id, "name": r.name, "name_en": r.name_en, "active": True}
        for r in default_categories()
    ]
    session.execute(insert(Category), rows)
    return len(rows)


def category_label(cat: Labelled, lang: str = "id") -> str:
    """The category's name in ``lang`` ("id" or "en"); the Indonesian name when no English one is known."""
    if lang.startswith("en") and cat.name_en:
        return cat.name_en
    return cat.name
