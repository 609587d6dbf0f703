"""Pull: the office comes from the token, pages end between transactions, eras restart the feed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from server.changelog import Cursor
from server.models import ChangeLogEntry
from server.state import rotate_era
from tests.server.support import Backend, Device, SeededOffice, cursor_position, enrol, ids_of, state_of


def _busy_office(device: Device) -> list[str]:
    """Several transactions of different sizes: one push of three intakes, then single mutations."""
    batch = [device.intake() for _ in range(3)]
    device.push(*batch)
    ids = [m.entity_id for m in batch]
    single = device.intake()
    version = device.push_one(single)["server_version"]
    ids.append(single.entity_id)
    device.push_one(device.dispose(single.entity_id, version))
    device.push_one(device.note(ids[0], "Petugas sudah ke lokasi."))
    device.push(device.note(ids[1], "Catatan satu."), device.note(ids[2], "Catatan dua."))
    return ids


def _rows(backend: Backend, office_id: str) -> list[tuple[int, int]]:
    with backend.db.transaction() as session:
        return [(r.xid, r.id) for r in session.execute(
            select(ChangeLogEntry).where(ChangeLogEntry.office_id == office_id)
            .order_by(ChangeLogEntry.xid, ChangeLogEntry.id)).scalars()]


def _position(cursor: str) -> tuple[int, int]:
    return cursor_position(cursor)


def test_an_office_never_sees_another_offices_data(backend: Backend, device_a: Device, device_b: Device,
                                                   office_a: SeededOffice, office_b: SeededOffice) -> None:
    a_ids = _busy_office(device_a)
    own = device_b.intake()
    device_b.push(own)
    a_changes, a_cursor = device_a.pull_all()
    assert set(a_ids) <= ids_of(a_changes, "complaint")
    a_entities = {c["entity_id"] for c in a_changes}

    first_page = device_a.pull(limit=3)["cursor"]
    for cursor in (None, a_cursor, first_page, "bukan-kursor"):
        b_changes, _ = device_b.pull_all(cursor)
        assert not a_entities & {c["entity_id"] for c in b_changes}, cursor
        assert all(c["data"] is None or c["data"].get("office_id") in (None, office_b.id) for c in b_changes)
    b_changes, _ = device_b.pull_all()
    assert ids_of(b_changes, "complaint") == {own.entity_id}
    assert ids_of(b_changes, "user") == set(office_b.users.values())
    assert ids_of(b_changes, "unit") == set(office_b.units.values())
    b_text = str(b_changes)
    for user_id in office_a.users.values():
        assert user_id not in b_text
    reference = device_b.backend.get("/api/v1/reference", headers=device_b.headers).json()
    assert {u["id"] for u in reference["users"]} == set(office_b.users.values())
    assert {u["id"] for u in reference["units"]} == set(office_b.units.values())


def test_pages_end_between_transactions(backend: Backend, device_a: Device, office_a: SeededOffice) -> None:
    _busy_office(device_a)
    rows = _rows(backend, office_a.id)
    xids = [xid for xid, _ in rows]
    biggest = max(xids.count(x) for x in set(xids))
    assert biggest >= 6  # the seeding and the three-intake push: bigger than the small pages below
    big, _ = device_a.pull_all(limit=2000)
    for limit in (1, 2, 3, 5, biggest + 1):
        pages = _pages(device_a, rows, limit)
        assert state_of([c for p in pages for c in p["changes"]]) == state_of(big), limit


def _pages(device: Device, rows: list[tuple[int, int]], limit: int) -> list[dict[str, Any]]:
    """Pull every page with this limit, checking that each one holds whole transactions only."""
    previous: tuple[int, int] = (0, 0)
    pages: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = device.pull(cursor, limit)
        pages.append(page)
        position = _position(page["cursor"])
        taken = [r for r in rows if previous < r <= position]
        taken_xids = {xid for xid, _ in taken}
        assert taken or not page["changes"]
        # The page ends where a transaction ends: nothing of the last transaction is left for the next page.
        assert not [r for r in rows if r[0] == position[0] and r > position], limit
        # It holds whole transactions: within the limit, or a single transaction bigger than a page.
        assert len(taken) <= limit or len(taken_xids) == 1, limit
        assert not [r for r in rows if r[0] in taken_xids and not previous < r <= position], limit
        previous, cursor = position, page["cursor"]
        if not page["has_more"]:
            break
    assert previous == rows[-1]
    return pages


def test_parents_come_before_their_children(backend: Backend, device_a: Device) -> None:
    _busy_office(device_a)
    for limit in (3, 500):
        changes, _ = device_a.pull_all(limit=limit)
        seen: set[str] = set()
        for change in changes:
            if change["entity_type"] == "complaint":
                seen.add(change["entity_id"])
            elif change["entity_type"] in ("event", "attachment"):
                assert change["data"]["complaint_id"] in seen, (limit, change)


def test_a_pulled_complaint_is_whole(backend: Backend, device_a: Device, office_a: SeededOffice) -> None:
    m = device_a.intake()
    device_a.push(m)
    changes, _ = device_a.pull_all()
    (complaint,) = [c for c in changes if c["entity_type"] == "complaint"]
    data = complaint["data"]
    assert complaint["op"] == "upsert" and complaint["version"] == data["version"]
    assert data["office_id"] == office_a.id
    assert data["tracking_code"] == m.args["complaint"]["tracking_code"]
    assert data["reporter"]["name"] == "Budi Santoso"
    assert "field_versions" not in data and "created_by_client" not in data
    (event,) = [c for c in changes if c["entity_type"] == "event"]
    assert event["data"]["kind"] == "RECEIVED" and event["data"]["complaint_id"] == m.entity_id
    users = [c["data"] for c in changes if c["entity_type"] == "user"]
    assert {u["username"] for u in users} == set(office_a.usernames.values())
    assert all(u["password_hash"].startswith("$argon2") for u in users)  # for offline log-in


def test_a_caught_up_client_gets_nothing_new(backend: Backend, device_a: Device, office_a: SeededOffice) -> None:
    _busy_office(device_a)
    _, cursor = device_a.pull_all()
    again = device_a.pull(cursor)
    assert (again["changes"], again["has_more"], again["cursor"]) == ([], False, cursor)
    other_pc = enrol(backend, office_a, "PC admin")
    other_pc.push_one(other_pc.intake())
    assert ids_of(device_a.pull(cursor)["changes"], "complaint")


def test_a_cursor_from_another_era_starts_from_the_beginning(backend: Backend, device_a: Device) -> None:
    _busy_office(device_a)
    fresh, cursor = device_a.pull_all()
    era, xid, row_id = cursor.rsplit(".", 2)
    for stale in (f"eralama{era}.{xid}.{row_id}", "0.0.0", "rusak", "a.b.c"):
        changes, _ = device_a.pull_all(stale)
        assert state_of(changes) == state_of(fresh), stale


def test_rotating_the_era_restarts_every_client(backend: Backend, device_a: Device) -> None:
    _busy_office(device_a)
    fresh, cursor = device_a.pull_all()
    old_era = device_a.pull(cursor)["era"]
    with backend.db.transaction() as session:
        new_era = rotate_era(session)
    assert new_era != old_era
    page = device_a.pull(cursor)
    assert page["era"] == new_era
    assert Cursor.decode(page["cursor"], new_era) is not None
    changes, _ = device_a.pull_all(cursor)
    assert state_of(changes) == state_of(fresh)
    assert backend.get("/version").json()["era"] == new_era
    assert device_a.push()["era"] == new_era
