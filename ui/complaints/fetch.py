"""What the complaint list asks of the database, as plain functions that run on the DB thread and return plain
values: the ordered ids of a query (with full-text search), a tracking-code look-up, and the filter choices."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select

from app import queries, search
from app.db import Store
from app.models import Category, Unit
from app.privacy import can_see_anonymous
from app.queries import ComplaintFilter
from app.reference.categories import CategoryRow, category_label
from app.services.context import ServiceContext
from app.sla import SlaPolicy

SEARCH_LIMIT = 500


@dataclass(frozen=True)
class ListRequest:
    """One query of the list: the filter, a sort key of app.queries.SORTS (``reverse`` flips it), and the
    full-text search text ("" for none)."""

    office_id: str
    role: str
    filter: ComplaintFilter
    sort: str = "deadline"
    reverse: bool = False
    search_text: str = ""


@dataclass(frozen=True)
class IdList:
    """The answer: ids in display order, plus what the rows are drawn with (clock, policy, office zone)."""

    ids: list[str]
    now: datetime
    policy: SlaPolicy
    tz: str
    search_capped: bool = False


def fetch_ids(store: Store, ctx: ServiceContext, req: ListRequest) -> IdList:
    with store.read() as session:
        now = ctx.clock()
        policy, _ = ctx.rules(session)
        tz = ctx.office_tz(session, req.office_id)
        f = replace(req.filter, tz=tz)
        capped = False
        if req.search_text.strip():
            found = search.search_ids(session, req.search_text, office_id=req.office_id,
                                      can_see_anonymous=can_see_anonymous(req.role), limit=SEARCH_LIMIT)
            capped = len(found) >= SEARCH_LIMIT
            wanted = set(found) if f.ids is None else set(found) & set(f.ids)
            f = replace(f, ids=tuple(wanted))
        ids = queries.list_ids(session, req.office_id, f, sort=req.sort, now=now,
                               due_soon=timedelta(hours=policy.due_soon_hours))
    if req.reverse:
        ids.reverse()
    return IdList(ids, now, policy, tz, capped)


def find_code(store: Store, typed: str, office_id: str) -> str:
    """The id of the complaint with this tracking code (MistypedCode / NotFound otherwise)."""
    with store.read() as session:
        return queries.find_by_code(session, typed, office_id)


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    depth: int = 0


@dataclass(frozen=True)
class FilterChoices:
    categories: list[Choice]
    units: list[Choice]


def load_choices(store: Store, office_id: str, lang: str) -> FilterChoices:
    """Active categories (each parent followed by its children) and the office's active units.

    app.queries has no reference-list reads yet, so these two small selects live here (lead: move them to
    app.queries as ``categories(session)`` / ``units(session, office_id)`` when convenient)."""
    with store.read() as session:
        cats = [CategoryRow(*r) for r in session.execute(
            select(Category.id, Category.name, Category.name_en, Category.parent_id).where(Category.active))]
        units = [Choice(uid, name) for uid, name in session.execute(
            select(Unit.id, Unit.name).where(Unit.office_id == office_id, Unit.active).order_by(Unit.name))]
    children: dict[str | None, list[CategoryRow]] = {}
    for c in cats:
        children.setdefault(c.parent_id, []).append(c)
    ordered: list[Choice] = []

    def walk(parent: str | None, depth: int) -> None:
        for c in sorted(children.get(parent, []), key=lambda c: category_label(c, lang).casefold()):
            ordered.append(Choice(c.id, category_label(c, lang), depth))
            walk(c.id, depth + 1)

    walk(None, 0)
    return FilterChoices(ordered, units)
