"""The list queries (app.queries): rows as the ORM would give them, the filters' parameters, ids_query."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app import queries
from app.domain import Role, Status
from app.models import Category, Complaint, Unit
from tests.helpers.world import World

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ALL = queries.ComplaintFilter()


def test_page_rows_are_the_orm_rows(world: World) -> None:
    ids = [world.new_complaint(title=f"Jalan rusak nomor {i} di desa") for i in range(3)]
    with world.store.transaction() as s:
        s.get_one(Complaint, ids[0]).unit_id = world.units["Dinas Pekerjaan Umum"]
        s.get_one(Complaint, ids[1]).category_id = "infrastruktur.jalan"
        s.get_one(Complaint, ids[2]).next_due_at = None
    with world.store.read() as s:
        orm_rows: list[Any] = list(s.execute(
            select(Complaint.id, Complaint.tracking_code, Complaint.title, Category.name, Unit.name,
                   Complaint.status, Complaint.channel, Complaint.received_at, Complaint.next_due_at,
                   Complaint.next_due_kind)
            .outerjoin(Category, Category.id == Complaint.category_id)
            .outerjoin(Unit, Unit.id == Complaint.unit_id)))
        want = {r[0]: queries.ComplaintRow(*r) for r in orm_rows}
        got = queries.page(s, world.office_id, ALL, now=NOW)
        by_id = queries.rows_by_id(s, ids)
    assert {r.id: r for r in got} == want == by_id
    assert [hash(r) for r in got] == [hash(want[r.id]) for r in got]
    assert all(r.received_at.tzinfo is UTC for r in got)
    assert by_id[ids[2]].next_due_at is None and by_id[ids[0]].unit == "Dinas Pekerjaan Umum"


def test_naive_now_is_refused_where_it_is_used(world: World) -> None:
    with world.store.read() as s:
        queries.count(s, world.office_id, ALL, now=datetime(2026, 3, 2))  # no deadline filter: not used
        with pytest.raises(ValueError, match="naive"):
            queries.count(s, world.office_id, queries.ComplaintFilter(deadline_state="OVERDUE"),
                          now=datetime(2026, 3, 2))


def test_ids_query_matches_list_ids(world: World) -> None:
    ids = [world.new_complaint(), world.new_complaint(by=Role.ADMIN_INSTANSI)]
    f = queries.ComplaintFilter(statuses=(Status.BELUM_TERVERIFIKASI,), received_from=NOW.date(), ids=tuple(ids),
                                deadline_state="ON_TIME")
    with world.store.read() as s:
        q = queries.ids_query(world.office_id, f, sort="received", now=NOW, due_soon=timedelta(hours=1))
        assert list(s.execute(q).scalars()) == queries.list_ids(s, world.office_id, f, sort="received", now=NOW,
                                                                due_soon=timedelta(hours=1)) == ids[::-1]


def test_empty_ids_need_no_query(world: World) -> None:
    world.new_complaint()
    f = queries.ComplaintFilter(ids=())
    with world.store.read() as s:
        assert queries.list_ids(s, world.office_id, f, now=NOW) == []
        assert queries.count(s, world.office_id, f, now=NOW) == 0
        assert queries.page(s, world.office_id, f, now=NOW) == []
