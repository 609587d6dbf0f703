"""What the complaint list asks of the database, as plain functions that run on the DB thread and return plain
values: the ordered ids of a query (with full-text search), a tracking-code look-up, and the filter choices."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from app.read import choices, queries, search
from app.read.choices import Choice
from app.read.queries import ComplaintFilter
from app.rules.scope import Scope
from app.rules.sla import SlaPolicy
from app.services.context import ServiceContext
from app.store.db import Store
from app.timeutil import server_now

SEARCH_LIMIT = 500
MAX_SQL_IDS = 30_000  # SQLite's default limit is 32,766 parameters per statement


@dataclass(frozen=True)
class ListRequest:
    """One query of the list: the filter, a sort key of app.read.queries.SORTS (``reverse`` flips it), and the
    full-text search text ("" for none)."""

    office_id: str
    role: str
    filter: ComplaintFilter
    sort: str = "deadline"
    reverse: bool = False
    search_text: str = ""
    unit_id: str | None = None  # a liaison's unit (their list holds its complaints, app.rules.scope)

    @property
    def scope(self) -> Scope:
        return Scope(self.office_id, self.role, self.unit_id)


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
        now = server_now(session, ctx.clock())  # deadlines go by the server's time, not a wrong PC clock
        policy, _ = ctx.rules(session)
        tz = ctx.office_tz(session, req.office_id)
        f = replace(req.filter, tz=tz)
        capped = False
        if req.search_text.strip():
            found = search.search_ids(session, req.search_text, req.scope, limit=SEARCH_LIMIT)
            capped = len(found) >= SEARCH_LIMIT
            wanted = set(found) if f.ids is None else set(found) & set(f.ids)
            f = replace(f, ids=tuple(wanted))
        ids = _list_ids(session, req, f, now, timedelta(hours=policy.due_soon_hours))
    if req.reverse:
        ids.reverse()
    return IdList(ids, now, policy, tz, capped)


def _list_ids(session: Session, req: ListRequest, f: ComplaintFilter, now: datetime, due_soon: timedelta) -> list[str]:
    """The query's ids; an explicit id set longer than SQLite takes as parameters (a dashboard figure of a big office's
    year) is applied to the ordered ids of the rest of the filter instead."""
    if f.ids is None or len(f.ids) <= MAX_SQL_IDS:
        return queries.list_ids(session, req.scope, f, sort=req.sort, now=now, due_soon=due_soon)
    wanted = set(f.ids)
    every = queries.list_ids(session, req.scope, replace(f, ids=None), sort=req.sort, now=now, due_soon=due_soon)
    return [cid for cid in every if cid in wanted]


def find_code(store: Store, typed: str, scope: Scope) -> str:
    """The id of the complaint with this tracking code (MistypedCode / NotFound otherwise; OutOfScope, saying why,
    for one the person may not open)."""
    with store.read() as session:
        return queries.find_by_code(session, typed, scope)


@dataclass(frozen=True)
class FilterChoices:
    categories: list[Choice]
    units: list[Choice]


def load_choices(store: Store, office_id: str, lang: str) -> FilterChoices:
    """Active categories (each parent followed by its children) and the office's active units."""
    with store.read() as session:
        return FilterChoices(choices.category_tree(session, lang), choices.office_units(session, office_id))
