"""A pulled page applied in bulk (rows new to the PC written with one INSERT per table) leaves the store exactly as the
row-by-row ORM path does (sync/apply_pull.py, issue 14 §1): the same pages, pulled from a real server, are applied
both ways to two copies of one store, and the copies are compared table by table, every row and column, the
full-text index included.

Two downloads are compared: a new PC's first one (snapshot pages), and a PC that held the office and worked offline
(a pending edit, an edit of a complaint re-routed meanwhile, its own entries the server re-dated and flagged, a
tracking code the server gave to another complaint) catching up from the change log. The office behind them has a
few hundred complaints received over two months, of every classification, anonymous or not, with timelines in
every status, notes, follow-ups, attachments, conflicts (one decided on another PC) and refused steps.

``apply_changes(..., bulk=False)`` is the old path: the same function with nothing chosen for bulk, so every row
goes through the ORM code that was there before (no second copy of it to drift). The server is this module's own,
on SQLite, with the national categories and holiday calendar imported: what is compared is the PC's store, and the
server's database kind changes nothing in the pages' content.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from app.domain import ArchiveReason, Channel, Classification, EventKind, Status
from app.inputs import IntakeInput, ReporterInput
from app.models import Complaint, TimelineEvent
from app.services import archive, intake, postpone, record_response
from app.services.conflicts import resolve_conflict
from app.services.context import ServiceContext
from app.store import meta
from app.store.db import Store, open_store
from app.timeutil import utcnow
from server import admin, national
from server import models as srv
from sync import reference, state
from sync.apply_pull import PageResult, apply_changes
from sync.engine import SyncReport
from sync.protocol import ChangeLike, PullResponse
from tests.sync.conftest import new_server
from tests.sync.fleet import PC, Fleet, Office, counter_input
from tests.sync.serverproc import ServerProcess

PAGE = 25  # complaints per snapshot page (a change-log page ends between transactions, so it may hold more)
AHEAD = timedelta(hours=1)  # the offline PC's clock: the server re-dates what it pushes
UNKNOWN_CATEGORY = "zz.baru"  # added on the server after the offline PC fetched its reference data


@pytest.fixture
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of this module's own with the categories and holidays imported (deadlines skip holidays)."""
    proc = new_server(request, "sqlite", tmp_path / "server").start()
    year = utcnow().year
    with proc.db.transaction() as s:
        admin.import_reference(s, categories_json=None, policy_json=None, holiday_years=range(year - 1, year + 2))
    yield proc
    proc.stop()
    proc.close_db()


# ---- an office with a varied history ---------------------------------------------------------------------------------


def varied(n: int, categories: list[str], region_code: str, received: datetime) -> IntakeInput:
    """Online complaint ``n``: classifications, flags, reporters (named, anonymous with or without a name, none),
    categories and places that differ from one to the next."""
    classification = list(Classification)[n % 3]
    anonymous = n % 4 == 0
    reporter = None if anonymous and n % 8 == 0 else ReporterInput(
        name=f"Warga Daring {n}" if n % 12 else "", email=f"warga{n}@contoh.id" if n % 3 else None,
        phone="081234567890" if n % 3 == 0 else None, address=f"Jl. Kaliurang km {n % 20}" if n % 5 == 0 else None,
        assistance_needs="Kursi roda" if n % 17 == 0 else None, consent_given=True)
    if reporter is not None and anonymous and not reporter.name:
        reporter = replace(reporter, name="", email=reporter.email or f"anon{n}@contoh.id")
    return IntakeInput(
        classification=classification, channel=Channel.LAPOR_ONLINE,
        title=f"Laporan warga nomor {n} tentang {('jalan rusak', 'sampah menumpuk', 'pelayanan puskesmas')[n % 3]}",
        description=f"Uraian laporan nomor {n}: kejadian di dekat pasar, sudah berlangsung {n % 9 + 1} hari.",
        category_id=categories[n % len(categories)] if n % 5 else None,
        incident_date=(received - timedelta(days=n % 30)).date() if n % 3 == 0 else None,
        region_code=region_code if n % 4 == 1 else None,
        address=f"Jl. Magelang km {n % 15}" if n % 2 else None,
        latitude=-7.7 - (n % 10) / 100 if n % 7 == 0 else None,
        longitude=110.3 + (n % 10) / 100 if n % 7 == 0 else None,
        is_anonymous=anonymous, is_confidential=n % 5 == 0,
        is_supervisory=n % 7 == 3 and classification == Classification.PENGADUAN, reporter=reporter)


def file_online(office: Office, count: int, start: int, categories: list[str]) -> list[str]:
    """``count`` online complaints routed to the office, received over the last two months (deadlines that cross
    weekends and holidays), in one server transaction."""
    now = utcnow()
    received = {n: now - timedelta(hours=(n * 37) % (60 * 24)) for n in range(start, start + count)}
    with office.server.db.transaction() as s:
        return [national.create_online_complaint(s, varied(n, categories, office.region_code, at), at,
                                                 office_id=office.id).id for n, at in received.items()]


def work(pc: PC, cids: list[str], photo: Path) -> None:
    """Every status, with notes, follow-up texts (searched) and attachments on the way."""
    admin = pc.office.admin
    for n, cid in enumerate(cids):
        step = n % 9
        if step in (1, 2, 3, 6, 7, 8):
            pc.dispose(cid)
        if step in (2, 3, 7):
            pc.follow_up(cid, f"Tindak lanjut nomor {n}: petugas sudah memperbaiki di lokasi.")
        if step == 3:
            pc.close_case(cid)
        elif step == 4:
            postpone(pc.ctx, admin, cid, reason="Menunggu keterangan tambahan dari pelapor")
        elif step == 5:
            archive(pc.ctx, admin, cid, reason_code=ArchiveReason.DUPLIKAT, note="Sama dengan laporan lain")
        elif step == 6:
            pc.note(cid, f"Catatan lapangan nomor {n}")
        elif step == 7:
            record_response(pc.ctx, admin, cid, satisfied=False, text="Belum selesai, mohon dicek lagi")
        if n % 6 == 0:
            pc.attach(cid, photo)


def conflict(a: PC, b: PC, cid: str, n: int) -> None:
    """Both PCs edit the same fields of a complaint both hold: the second to arrive is a conflict."""
    a.edit(cid, title=f"Judul dari PC pertama nomor {n}", address="Jl. Magelang km 10")
    b.edit(cid, title=f"Judul dari PC kedua nomor {n}", address="Jl. Kaliurang km 5")
    a.sync()
    b.sync()


def refused_step(a: PC, b: PC, cid: str) -> None:
    """One PC closes a complaint, the other records the reporter's "not satisfied" on it: the second is refused, a
    transition_rejected entry on its timeline."""
    a.dispose(cid)
    a.follow_up(cid)
    a.sync()
    b.sync()
    a.close_case(cid)
    b.respond(cid, satisfied=False, text="Jalan masih berlubang, belum ditambal")
    a.sync()
    b.sync()


def intakes(pc: PC, count: int, start: int) -> list[str]:
    kinds = list(Classification)
    return [intake(pc.ctx, pc.office.counter, replace(counter_input(n), classification=kinds[n % 3],
                                                      is_supervisory=n % 4 == 0, is_confidential=n % 5 == 0)
                   ).complaint_id for n in range(start, start + count)]


# ---- pulling pages, applying them to copies of a store, comparing the copies -----------------------------------------


def pull_pages(pc: PC, cursor: str | None) -> list[PullResponse]:
    """What the engine's pull would fetch from ``cursor`` (a snapshot from the beginning), in small pages."""
    pages = []
    while True:
        body: dict[str, Any] = {"cursor": cursor, "limit": PAGE, "snapshot": True}
        page = pc.engine.transport.request_model("POST", "/api/v1/sync/pull", PullResponse, json_body=body)
        pages.append(page)
        cursor = page.cursor
        if not page.has_more:
            return pages


def changes_of(page: PullResponse) -> list[ChangeLike]:
    snapshot = page.snapshot_page()
    return [*snapshot.as_changes(), *page.changes] if snapshot is not None else list(page.changes)


def apply_to_copy(source: Store, folder: Path, pages: list[PullResponse], office_id: str, *,
                  bulk: bool, tables: bool = False) -> tuple[Path, list[PageResult]]:
    """A copy of ``source`` with ``pages`` applied as the engine applies them: each in one transaction with its
    cursor; a snapshot page of tables from its tables (``tables``, as the engine does) or as the upserts of
    sync.protocol.Snapshot (as the engine did before)."""
    folder.mkdir(parents=True)
    path = folder / "lapor-desk.sqlite3"
    source.backup(path)
    store = open_store(path, backup_dir=folder / "backups")
    ctx = ServiceContext(store=store, blob_dir=folder / "attachments")
    results = []
    try:
        for page in pages:
            with store.transaction() as session:
                if tables and page.tables is not None:
                    results.append(apply_changes(ctx, session, page.changes, office_id, tables=page.tables,
                                                 bulk=bulk))
                else:
                    results.append(apply_changes(ctx, session, changes_of(page), office_id, bulk=bulk))
                meta.put(session, state.CURSOR, page.cursor)
                meta.put(session, state.ERA, page.era)
    finally:
        store.close()
    return path, results


def contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in a fixed order; the full-text index as its documents and as every indexed term with
    its document, column and position (fts5vocab), whatever the layout of its segments."""
    con = sqlite3.connect(path)
    try:
        tables = [name for (name,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%'"
            " AND name NOT LIKE 'complaint_fts%' ORDER BY name")]
        out = {}
        for table in tables:
            width = len(con.execute(f'SELECT * FROM "{table}" LIMIT 0').description)
            order = ", ".join(str(i) for i in range(1, width + 1))
            out[table] = con.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall()
        out["complaint_fts"] = con.execute("SELECT rowid, * FROM complaint_fts ORDER BY rowid").fetchall()
        con.execute("CREATE VIRTUAL TABLE temp.fts_terms USING fts5vocab(main, complaint_fts, 'instance')")
        out["complaint_fts terms"] = con.execute("SELECT * FROM temp.fts_terms ORDER BY 1, 2, 3, 4").fetchall()
        return out
    finally:
        con.close()


def assert_same_stores(old: Path, new: Path) -> dict[str, list[tuple[Any, ...]]]:
    before, after = contents(old), contents(new)
    assert sorted(before) == sorted(after)
    for table, rows in before.items():
        if rows != after[table]:
            only_old, only_new = set(rows) - set(after[table]), set(after[table]) - set(rows)
            raise AssertionError(f"{table} differs: {len(only_old)} rows only row by row, {len(only_new)} only in "
                                 f"bulk; e.g. {sorted(only_old, key=repr)[:2]} / {sorted(only_new, key=repr)[:2]}")
    return after


def decisions(results: list[PageResult]) -> list[PageResult]:
    """What the apply reports, apart from how it wrote the rows."""
    return [replace(r, written_in_bulk=0) for r in results]


def compare(source: Store, folder: Path, pages: list[PullResponse], office_id: str
            ) -> tuple[dict[str, list[tuple[Any, ...]]], list[PageResult]]:
    """The pages applied row by row, in bulk from upserts, and in bulk from the tables of snapshot pages (as the
    engine applies them); also from the tables with nothing in bulk (every row made the upsert it was before)."""
    old, old_results = apply_to_copy(source, folder / "row-by-row", pages, office_id, bulk=False)
    new, new_results = apply_to_copy(source, folder / "bulk", pages, office_id, bulk=True)
    split, split_results = apply_to_copy(source, folder / "tables-row-by-row", pages, office_id, bulk=False,
                                         tables=True)
    native, native_results = apply_to_copy(source, folder / "tables", pages, office_id, bulk=True, tables=True)
    assert decisions(new_results) == decisions(old_results) == decisions(native_results) == split_results
    assert sum(r.written_in_bulk for r in old_results) == 0
    assert [r.written_in_bulk for r in native_results] == [r.written_in_bulk for r in new_results]
    assert_same_stores(old, split)
    assert_same_stores(old, native)
    return assert_same_stores(old, new), new_results


def kinds_in(pages: list[PullResponse]) -> set[str]:
    return {str((c.data or {}).get("kind")) for p in pages for c in changes_of(p) if c.entity_type == "event"}


def column(path: Path, sql: str) -> list[Any]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute(sql)]
    finally:
        con.close()


# ---- the test --------------------------------------------------------------------------------------------------------


def test_bulk_apply_leaves_the_store_the_row_by_row_path_leaves(fleet: Fleet, tmp_path: Path) -> None:
    office, elsewhere = fleet.office(), fleet.office("WITA")
    a, b = fleet.pc(office), fleet.pc(office)
    photo = tmp_path / "lokasi.png"
    photo.write_bytes(b"\x89PNG\r\n" + bytes(range(256)) * 12)

    # The office's history before the offline PC last synced.
    with office.server.db.transaction() as s:
        categories = sorted(s.execute(select(srv.Category.id)).scalars())[::5]
    online = file_online(office, 180, 0, categories)
    a.sync()
    counter = intakes(a, 30, start=0)
    work(a, online[:150] + counter[:20], photo)
    a.sync()
    b.sync()
    conflict(a, b, online[150], 1)
    refused_step(a, b, online[151])
    a.sync()
    b.sync()
    offline = fleet.pc(office, clock=lambda: utcnow() + AHEAD)

    # While it is offline: more complaints and work, conflicts (one decided on b), refused steps, two complaints
    # re-routed to another office (the offline PC edits one of them meanwhile), one edited on both sides.
    kept_aside, leaves_while_edited, leaves, closed_meanwhile = online[152], online[153], online[154], online[155]
    with office.server.db.transaction() as s:
        s.add(srv.Category(id=UNKNOWN_CATEGORY, name="Kategori baru", name_en="New category", active=True))
    later = file_online(office, 60, 180, [UNKNOWN_CATEGORY, *categories])
    a.sync()
    fresh_counter = intakes(a, 12, start=30)
    work(a, later[:50] + fresh_counter[:8], photo)
    a.dispose(closed_meanwhile)
    a.follow_up(closed_meanwhile)
    a.close_case(closed_meanwhile)
    for cid in (leaves_while_edited, leaves):
        a.redirect(cid)
    a.dispose(kept_aside)
    a.note(kept_aside, "Catatan yang tiba saat PC luring menunggu")
    a.sync()
    for cid in (leaves_while_edited, leaves):
        elsewhere.route_here(cid, note="Kewenangan instansi lain")
    b.sync()
    conflict(a, b, later[50], 2)  # new to the offline PC
    conflict(a, b, online[156], 3)  # held by it
    item = next(i for i in b.conflicts() if i.complaint_id == later[50] and i.field == "title")
    resolve_conflict(b.ctx, office.admin, item.id, choice="theirs")
    refused_step(a, b, later[51])  # new to the offline PC: its timeline keeps the refusal
    refused_step(a, b, online[157])
    a.sync()
    b.sync()

    # The offline PC's own work: pushed (the server re-dates it, and flags the note on a case closed meanwhile),
    # then edits still waiting when it pulls.
    flagged = offline.note(closed_meanwhile, "Catatan dari PC luring")
    offline.edit(online[158], address="Jl. Wates km 3")
    offline.engine.push(SyncReport())
    offline.edit(kept_aside, title="Judul diubah di PC luring")
    offline.edit(leaves_while_edited, address="Jl. Solo km 9")
    assert offline.pending() == 2
    # A code this PC holds that the server gave to a complaint it has not seen (after a restore, server side).
    with office.server.db.transaction() as s:
        taken = s.get(srv.Complaint, later[0])
        assert taken is not None
        code = taken.tracking_code
    with offline.store.transaction() as s:
        s.execute(update(Complaint).where(Complaint.id == online[159]).values(tracking_code=code))
        cursor = meta.get(s, state.CURSOR)

    # 1. The offline PC catches up from the change log.
    pages = pull_pages(offline, cursor)
    assert len(pages) > 1 and all(p.snapshot_page() is None for p in pages)
    assert {EventKind.CONFLICT_MERGED, EventKind.EDITED, EventKind.TRANSITION_REJECTED, EventKind.FOLLOW_UP,
            EventKind.ATTACHMENT_ADDED, EventKind.NOTE} <= kinds_in(pages)
    pulled = {c.entity_id: c.data or {} for p in pages for c in changes_of(p)}
    with offline.store.read() as s:
        mine = s.get(TimelineEvent, flagged)
        assert mine is not None and "after_close" not in (mine.data_json or "")
        # Its own entry comes back flagged and re-dated by the server.
        assert "after_close" in pulled[flagged]["data_json"]
        assert datetime.fromisoformat(pulled[flagged]["at"]) < mine.at - AHEAD / 2
    assert UNKNOWN_CATEGORY in {d.get("category_id") for d in pulled.values()}
    rows, results = compare(offline.store, tmp_path / "catching-up", pages, office.id)
    # Every complaint new to it went in bulk, but maybe the one with a refused step (when the refusal comes in the
    # page that brings the complaint).
    assert sum(r.written_in_bulk for r in results) >= len(later) + len(fresh_counter) - 1
    assert sum(r.skipped_pending for r in results) == 1 and sum(r.removed for r in results) == 1
    bulk_store = tmp_path / "catching-up" / "bulk" / "lapor-desk.sqlite3"
    assert "after_close" in column(bulk_store, f"SELECT data_json FROM timeline_events WHERE id = '{flagged}'")[0]
    assert column(bulk_store, f"SELECT count(*) FROM complaints WHERE category_id = '{UNKNOWN_CATEGORY}'") == [0]
    assert column(bulk_store, "SELECT complaint_id || ' ' || field || ' ' || coalesce(resolution, '-')"
                              " FROM sync_conflicts ORDER BY 1") == sorted([
        f"{later[50]} title theirs", f"{later[50]} address -", f"{online[156]} title -",
        f"{online[156]} address -", f"{online[150]} title -", f"{online[150]} address -"])
    assert column(bulk_store, f"SELECT tracking_code FROM complaints WHERE id = '{online[159]}'")[0] \
        .startswith(f"{code}*")
    assert column(bulk_store, "SELECT count(*) FROM complaints WHERE id IN "
                                    f"('{leaves}', '{leaves_while_edited}')") == [1]

    # 2. A new PC's first download, as snapshot pages; two complaints name one reporter (the server's data put
    # right by hand: a repeat reporter).
    with office.server.db.transaction() as s:
        shared = s.get(srv.Complaint, later[3])
        assert shared is not None and shared.reporter_id is not None
        s.execute(update(srv.Complaint).where(srv.Complaint.id == later[2]).values(reporter_id=shared.reporter_id))
    new_pc = fleet.pc(office, first_sync=False)
    reference.sync_reference(new_pc.ctx, new_pc.engine.transport, office.id)
    pages = pull_pages(new_pc, None)
    assert len(pages) > 8 and pages[0].snapshot_page() is not None
    rows, results = compare(new_pc.store, tmp_path / "first-download", pages, office.id)
    complaints = len(rows["complaints"])
    assert complaints == len(online) + len(counter) + len(later) + len(fresh_counter) - 2
    # Every complaint went in bulk but the three whose timeline holds a refused step and the two that share a
    # reporter.
    assert sum(r.written_in_bulk for r in results) == complaints - 5
    assert len(rows["timeline_events"]) > 3 * complaints and len(rows["attachments"]) > 30
    assert len(rows["sync_conflicts"]) == 6 and len(rows["complaint_fts"]) == complaints
    with_deadlines = column(tmp_path / "first-download" / "bulk" / "lapor-desk.sqlite3",
                            "SELECT DISTINCT status FROM complaints WHERE next_due_at IS NOT NULL")
    assert {Status.BELUM_TERVERIFIKASI, Status.DIDISPOSISIKAN, Status.DITINDAKLANJUTI, Status.DITUNDA} \
        <= set(with_deadlines)
