"""The list queries (app.read.queries): rows as the ORM would give them, the filters' parameters, ids_query."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.domain import Role, Status
from app.models import Category, Complaint, Unit
from app.read import queries
from app.rules.scope import Scope
from tests.helpers.world import World

# These tests read the query layer for the whole office on purpose (a bare office id; app.rules.scope).
pytestmark = pytest.mark.filterwarnings("ignore::app.rules.scope.UnscopedRead")

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
        by_id = queries.rows_by_id(s, Scope(world.office_id, Role.ADMIN_INSTANSI), ids)
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


@pytest.mark.parametrize("sort", sorted(queries.SORTS))
def test_status_lists_read_the_status_index_in_display_order(world: World, sort: str) -> None:
    """Every id of a status filter goes through the (office, status, deadline) index: without the hint SQLite walks
    the whole office in deadline order (70 ms for an inbox of 316 out of 40,000 complaints). Same ids, same order."""
    ids = [world.new_complaint(title=f"Lampu jalan mati nomor {i} di dusun") for i in range(6)]
    statuses = [Status.BELUM_TERVERIFIKASI, Status.DITUNDA, Status.SELESAI] * 2
    with world.store.transaction() as s:
        for n, (cid, status) in enumerate(zip(ids, statuses, strict=True)):
            row = s.get_one(Complaint, cid)
            row.status = status
            row.next_due_at = None if n == 4 else NOW + timedelta(days=(n * 5) % 7)
    f = queries.ComplaintFilter(statuses=(Status.BELUM_TERVERIFIKASI, Status.DITUNDA))
    with world.store.read() as s:
        plain = queries.ids_query(world.office_id, f, sort=sort, now=NOW, due_soon=timedelta(hours=48))
        got = queries.list_ids(s, world.office_id, f, sort=sort, now=NOW)
        assert got == list(s.execute(plain).scalars()) and sorted(got) == sorted(ids[:2] + ids[3:5])
        shape = queries._shape(f)
        sql, params = queries._prepared("ids", sort, shape).bind(
            queries._values(world.office_id, f, shape, NOW, timedelta(hours=48)))
        plan = " ".join(str(r) for r in s.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql, tuple(params)))
    assert "ix_complaints_office_status_due" in plan


def test_deadline_states_read_a_range_of_the_deadline_index(world: World) -> None:
    """Overdue and due-soon compare the indexed deadline expression: the same complaints as the column itself (one
    without a deadline is neither), found by a range of the index instead of every complaint of the office."""
    ids = [world.new_complaint(title=f"Saluran air tersumbat nomor {i} di desa") for i in range(5)]
    dues = [NOW - timedelta(days=1), NOW, NOW + timedelta(hours=47), NOW + timedelta(days=5), None]
    with world.store.transaction() as s:
        for cid, due in zip(ids, dues, strict=True):
            s.get_one(Complaint, cid).next_due_at = due
    expected = {"OVERDUE": [ids[0]], "DUE_SOON": ids[1:3], "ON_TIME": [ids[3]], "NONE": [ids[4]]}
    with world.store.read() as s:
        for state, want in expected.items():
            f = queries.ComplaintFilter(deadline_state=state)
            assert queries.list_ids(s, world.office_id, f, now=NOW) == want, state
            assert queries.count(s, world.office_id, f, now=NOW) == len(want), state
            plain = queries.ids_query(world.office_id, f, sort="deadline", now=NOW, due_soon=timedelta(hours=48))
            assert list(s.execute(plain).scalars()) == want, state
        assert queries.overdue_count(s, world.office_id, NOW) == 1
        for state in ("OVERDUE", "DUE_SOON"):
            f = queries.ComplaintFilter(deadline_state=state)
            shape = queries._shape(f)
            sql, params = queries._prepared("count", "", shape).bind(
                queries._values(world.office_id, f, shape, NOW, timedelta(hours=48)))
            plan = " ".join(str(r) for r in s.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql, tuple(params)))
            assert "<expr><?" in plan, (state, plan)
