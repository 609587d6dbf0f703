"""A snapshot page of tables (protocol 6) applied from its tables (sync.apply_tables) leaves the store exactly as the
same page applied as upserts row by row does (sync.apply_pull before the bulk paths), on a page made by hand to hold
what the tables' own path must hand on to the change-by-change apply: a complaint this PC holds, one with changes
waiting, one the page's change log also names, two sharing a reporter, one whose reporter this PC holds, a refused step,
attachments pointing at an event the change log brings and at one of another complaint. Those it writes itself have
times in every form the server may send, an anonymous reporter with no row, no place or date, references to a category,
unit and account this PC does not know, and a conflict decided in the same page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.domain import Classification, EventKind, Role, Status
from app.models import Category, Complaint, OutboxEntry
from app.services.context import ServiceContext
from app.store.db import open_store
from sync.apply_pull import PageResult, apply_changes
from sync.apply_rows import load_known
from sync.apply_tables import PageTables
from sync.protocol import Change, ChangeLike, ChangeOp, SnapshotTables, Table
from tests.helpers.world import World
from tests.sync.test_bulk_apply_equivalence import assert_same_stores

T1, T2, T3 = "2026-11-02T01:15:30.123456+00:00", "2026-11-02T03:00:00+00:00", "2026-11-03T04:05:06Z"
SHA = "ab" * 32
COMPLAINT_COLS = ["id", "office_id", "tracking_code", "classification", "category_id", "title", "description",
                  "incident_date", "region_code", "address", "latitude", "longitude", "channel", "is_anonymous",
                  "is_confidential", "is_supervisory", "reporter_id", "unit_id", "status", "archive_reason",
                  "received_at", "disposed_at", "followed_up_at", "postponed_at", "closed_at", "updated_at",
                  "version"]  # no national_tracking_id: a column the server may leave out
REPORTER_COLS = ["id", "name", "nik", "phone", "email", "address", "assistance_needs", "consent_at"]
EVENT_COLS = ["id", "complaint_id", "kind", "at", "actor_user_id", "from_status", "to_status", "text", "data_json"]
ATTACHMENT_COLS = ["id", "complaint_id", "event_id", "sha256", "filename", "mime_type", "size", "created_at",
                   "created_by"]


def table(cols: list[str], rows: list[dict[str, Any]]) -> Table:
    return Table(cols=cols, rows=[[row.get(col) for col in cols] for row in rows])


def complaint(n: int, world: World, category: str, **values: Any) -> dict[str, Any]:
    return {"id": f"c-{n}", "office_id": world.office_id, "tracking_code": f"LPR-3404-T{n:05d}",
            "classification": Classification.PENGADUAN, "category_id": category, "title": f"Lampu jalan mati {n}",
            "description": "Lampu penerangan jalan mati sejak sepekan, jalan gelap dan rawan.",
            "incident_date": "2026-10-30", "region_code": "34.04", "address": f"Jl. Kaliurang km {n}",
            "latitude": -7.7, "longitude": 110.4, "channel": "WEB", "is_anonymous": False,
            "is_confidential": False, "is_supervisory": n % 2 == 0, "reporter_id": f"r-{n}",
            "status": Status.BELUM_TERVERIFIKASI, "received_at": T1, "updated_at": T1, "version": n, **values}


def event(eid: str, cid: str, kind: str, actor: str | None, **values: Any) -> dict[str, Any]:
    return {"id": eid, "complaint_id": cid, "kind": kind, "at": T2, "actor_user_id": actor, **values}


def page_and_log(world: World, held: str, pending: str, held_reporter: str) -> tuple[SnapshotTables, list[Change]]:
    with world.store.read() as s:
        category = s.execute(select(Category.id).order_by(Category.id)).scalars().first()
    assert category is not None
    admin = world.users[Role.ADMIN_INSTANSI]
    unit = world.units["Dinas Pekerjaan Umum"]
    complaints = [
        complaint(1, world, category, status=Status.DITINDAKLANJUTI, unit_id=unit, disposed_at=T2,
                  followed_up_at=T3, updated_at=T3),
        complaint(2, world, category, is_anonymous=True, latitude=None, longitude=None, incident_date=None,
                  reporter_id="r-none"),
        complaint(3, world, category, reporter_id="r-shared"), complaint(4, world, category, reporter_id="r-shared"),
        complaint(5, world, category, status=Status.DITUNDA, postponed_at=T2),  # a refused step
        complaint(6, world, category),  # leaves the office in the same page
        complaint(7, world, category, id=held, tracking_code="LPR-3404-T00007", title="Judul dari server"),
        complaint(8, world, category, id=pending, tracking_code="LPR-3404-T00008"),
        complaint(9, world, category, reporter_id=held_reporter),
        complaint(10, world, "zz.tidak-ada", unit_id="u-tidak-ada", status=Status.DIDISPOSISIKAN, disposed_at=T3),
        complaint(11, world, category),  # its attachment points at an event of the change log
        complaint(12, world, category),  # its attachment points at an event of c-3, which goes change by change
    ]
    reporters = [{"id": f"r-{n}", "name": f"Warga {n}", "phone": "081234567890", "consent_at": T1}
                 for n in (1, 5, 6, 10, 11, 12)] + [{"id": "r-shared", "name": "Warga Bersama", "consent_at": T3},
                                                {"id": "r-7", "name": "Budi Santoso"},
                                                {"id": held_reporter, "name": "Budi S.", "nik": "3404010101010001"}]
    conflict = {"conflicts": {"title": {"mine": "Judul A", "theirs": "Judul B"},
                              "address": {"mine": "Jl. A", "theirs": "Jl. B"}}}
    events = [
        event("e-1a", "c-1", EventKind.RECEIVED, admin), event("e-1b", "c-1", EventKind.FOLLOW_UP, admin,
                                                               text="Lampu sudah diganti petugas"),
        event("e-2a", "c-2", EventKind.RECEIVED, None), event("e-3a", "c-3", EventKind.RECEIVED, admin),
        event("e-5a", "c-5", EventKind.TRANSITION_REJECTED, admin,
              data_json=json.dumps({"original_event_id": "e-tidak-ada"})),
        event("e-10a", "c-10", EventKind.RECEIVED, "user-tidak-ada", at=T3),
        event("e-10b", "c-10", EventKind.CONFLICT_MERGED, admin, data_json=json.dumps(conflict)),
        event("e-10c", "c-10", EventKind.EDITED, admin,
              data_json=json.dumps({"changes": {}, "resolves": {"e-10b:title": "theirs"}})),
        event("e-11a", "c-11", EventKind.RECEIVED, admin),
    ]
    attachments = [
        {"id": "a-1", "complaint_id": "c-1", "event_id": "e-1b", "sha256": SHA, "filename": "lampu.jpg",
         "mime_type": "image/jpeg", "size": 2048, "created_at": T3, "created_by": admin},
        {"id": "a-11", "complaint_id": "c-11", "event_id": "e-rest", "sha256": SHA, "filename": "foto.jpg",
         "mime_type": "image/jpeg", "size": 10, "created_at": T1, "created_by": "user-tidak-ada"},
        {"id": "a-12", "complaint_id": "c-12", "event_id": "e-3a", "sha256": SHA, "filename": "surat.pdf",
         "mime_type": "application/pdf", "size": 5, "created_at": T2, "created_by": admin},
    ]
    tables = SnapshotTables(complaints=table(COMPLAINT_COLS, complaints), reporters=table(REPORTER_COLS, reporters),
                            events=table(EVENT_COLS, events), attachments=table(ATTACHMENT_COLS, attachments))
    log = [Change(op=ChangeOp.SCOPE_EXIT, entity_type="complaint", entity_id="c-6", version=7),
           Change(op=ChangeOp.UPSERT, entity_type="event", entity_id="e-rest", version=1,
                  data=event("e-rest", held, EventKind.NOTE, admin, text="Catatan dari server"))]
    return tables, log


@pytest.fixture
def office(world: World) -> tuple[World, str, str, str]:
    """The world's PC holding a complaint it pushed (``held``) and one whose change still waits (``pending``)."""
    held, pending = world.new_complaint(), world.new_complaint(title="Sampah menumpuk di pasar")
    with world.store.transaction() as s:
        s.add(OutboxEntry(seq=1, mutation_id="m-1", name="complaint.edit", entity_type="complaint",
                          entity_id=pending, base_version=1, args_json="{}", payload_hash="0" * 64,
                          created_at=world.clock()))
        held_complaint = s.get(Complaint, held)
        assert held_complaint is not None and held_complaint.reporter_id is not None
        return world, held, pending, held_complaint.reporter_id


def apply_to_copy(world: World, folder: Path, tables: SnapshotTables, log: list[Change], *,
                  from_tables: bool) -> tuple[Path, list[PageResult]]:
    """The page applied twice (the second time, everything in it is held) to a copy of the world's store."""
    folder.mkdir()
    path = folder / "lapor-desk.sqlite3"
    world.store.backup(path)
    store = open_store(path, backup_dir=folder / "backups")
    ctx = ServiceContext(store=store, blob_dir=folder / "attachments", clock=world.clock)
    results = []
    try:
        for _ in range(2):
            with store.transaction() as s:
                if from_tables:
                    results.append(apply_changes(ctx, s, log, world.office_id, tables=tables))
                else:
                    changes: list[ChangeLike] = [*tables.as_snapshot().as_changes(), *log]
                    results.append(apply_changes(ctx, s, changes, world.office_id, bulk=False))
    finally:
        store.close()
    return path, results


def test_the_tables_path_writes_what_the_row_by_row_path_writes(office: tuple[World, str, str, str],
                                                                tmp_path: Path) -> None:
    world, held, pending, held_reporter = office
    tables, log = page_and_log(world, held, pending, held_reporter)
    old, old_results = apply_to_copy(world, tmp_path / "row-by-row", tables, log, from_tables=False)
    new, new_results = apply_to_copy(world, tmp_path / "tables", tables, log, from_tables=True)
    assert [r.written_in_bulk for r in new_results] == [5, 0]  # the tables' three; c-11 and c-12 from upserts
    assert [r.written_in_bulk for r in old_results] == [0, 0]
    first = new_results[0]
    assert first.new_complaint_ids == [f"c-{n}" for n in (1, 2, 3, 4, 5, 6, 9, 10, 11, 12)]  # the page's order
    assert (first.skipped_pending, first.removed, first.conflicts) == (1, 1, 1)  # c-8; c-6; the address
    for result in (*old_results, *new_results):
        result.written_in_bulk = 0
    assert new_results == old_results
    rows = assert_same_stores(old, new)
    stored = {row[0]: row for row in rows["complaints"]}
    assert stored["c-10"][5] is None and stored["c-2"][17] is None  # an unknown category; no reporter row
    assert {row[0] for row in rows["sync_conflicts"]} == {"e-10b:title", "e-10b:address"}


def test_the_tables_path_takes_only_what_nothing_else_touches(office: tuple[World, str, str, str]) -> None:
    world, held, pending, held_reporter = office
    tables, log = page_and_log(world, held, pending, held_reporter)
    page = PageTables(tables)
    with world.store.read() as s:
        known = load_known(s, log, {}, page)
        known.refresh_small(s)
        pending_ids = set(s.execute(select(OutboxEntry.entity_id).where(OutboxEntry.acked_at.is_(None))).scalars())
    assert pending in pending_ids and held not in pending_ids
    assert page.fresh(log, pending_ids, known, []) == {"c-1", "c-2", "c-10"}
    # The same rows with a column the path needs left out: the whole page goes change by change.
    events = Table(cols=EVENT_COLS[:3], rows=[row[:3] for row in tables.events.rows])
    assert PageTables(tables.model_copy(update={"events": events})).fresh(log, pending_ids, known, []) == set()


@pytest.mark.parametrize("cols, rows", [(["id", "id"], [["a", "b"]]), (["id", "title"], [["a"]]),
                                        (["id"], [["a", "Jalan rusak"]])])
def test_a_table_that_does_not_fit_its_columns_is_refused_as_it_is_read(cols: list[str], rows: list[Any]) -> None:
    with pytest.raises(ValueError, match="column"):
        Table.model_validate({"cols": cols, "rows": rows})
