"""A download from the beginning as a snapshot (protocol 3): the office's entities as they are now, each once, in
pages of whole complaints; then the change log from where the snapshot began, so a change made meanwhile arrives
after it and nothing falls between the two. Older clients, and requests that do not ask, get the change log."""

from __future__ import annotations

import json
from typing import Any

import requests

from app.domain import Status
from sync.protocol import HEADER_PROTOCOL, SnapshotTables
from tests.server.support import TIMEOUT, Backend, Device, SeededOffice, ids_of, state_of
from tests.server.test_national import create, route

SNAP_TYPES = (("unit", "units"), ("user", "users"), ("complaint", "complaints"), ("event", "events"),
              ("attachment", "attachments"))


def raw_snapshot_page(device: Device, cursor: str | None, limit: int = 500,
                      headers: dict[str, str] | None = None) -> dict[str, Any]:
    response = requests.post(device.backend.url + "/api/v1/sync/pull",
                             json={"cursor": cursor, "limit": limit, "snapshot": True},
                             headers=headers or device.headers, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    return dict(response.json())


def snapshot_page(device: Device, cursor: str | None, limit: int = 500,
                  headers: dict[str, str] | None = None) -> dict[str, Any]:
    """A page with its snapshot as entity dicts, however it came (tables from protocol 6)."""
    page = raw_snapshot_page(device, cursor, limit, headers)
    if page.get("tables") is not None:
        assert page["snapshot"] is None
        page["snapshot"] = json.loads(SnapshotTables.model_validate(page["tables"]).as_snapshot().model_dump_json())
    return page


def download(device: Device, limit: int, cursor: str | None = None,
             between: Any = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """Every page of a download asking for a snapshot: the snapshot pages, the change-log changes after them, and
    the last cursor. ``between`` runs after the first page."""
    snapshots: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    for n in range(1000):
        page = snapshot_page(device, cursor, limit)
        if page.get("snapshot") is not None:
            assert not changes, "a snapshot page after the change log"
            assert page["changes"] == []
            snapshots.append(page["snapshot"])
        changes.extend(page["changes"])
        cursor = page["cursor"]
        if n == 0 and between is not None:
            between()
        if not page["has_more"]:
            return snapshots, changes, page["cursor"]
    raise AssertionError("the download never ended")


def entities(snapshots: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(kind, row["id"]) for snap in snapshots for kind, key in SNAP_TYPES for row in snap[key]]


def busy_office(device: Device, office: SeededOffice, count: int = 5) -> list[str]:
    """Complaints changed in several transactions each (the change log holds many rows per complaint)."""
    ids = []
    for i in range(count):
        intake = device.intake(title=f"Lampu jalan padam di gang {i}")
        assert device.push_one(intake)["status"] == "applied"
        device.push_one(device.note(intake.entity_id, "Sudah dicek petugas."))
        if i % 2 == 0:
            device.push_one(device.dispose(intake.entity_id, 1))
        device.push_one(device.note(intake.entity_id, "Menunggu jadwal perbaikan."))
        ids.append(intake.entity_id)
    return ids


def test_a_first_download_sends_each_entity_once_as_it_is_now(backend: Backend, device_a: Device,
                                                             office_a: SeededOffice, office_b: SeededOffice) -> None:
    ids = busy_office(device_a, office_a)
    away = create(backend, region_code="34.04")
    route(backend, away["id"], office_a.id)
    route(backend, away["id"], office_b.id, "Dialihkan.")  # was here, now another office's

    snapshots, after, cursor = download(device_a, limit=2)
    assert len(snapshots) == 3  # 5 complaints, 2 per page
    sent = entities(snapshots)
    assert len(sent) == len(set(sent)), "an entity sent twice"
    assert snapshots[0]["units"] and snapshots[0]["users"]
    assert not any(s["units"] or s["users"] for s in snapshots[1:])
    assert [len(s["complaints"]) for s in snapshots] == [2, 2, 1]
    assert after == [] and ".snap." not in cursor and not cursor.endswith(".full")

    # The same content as the change log from the beginning, each entity in its latest state.
    replay, _ = device_a.pull_all()
    latest = {key: change for key, change in state_of(replay).items() if change["op"] == "upsert"}
    assert set(sent) == set(latest)
    assert away["id"] not in {cid for kind, cid in sent if kind == "complaint"}
    rows = {(kind, row["id"]): row for snap in snapshots for kind, key in SNAP_TYPES for row in snap[key]}
    for key, change in latest.items():
        assert rows[key] == change["data"], key
    # Each page's events and attachments belong to that page's complaints (a PC applies pages one by one).
    for snap in snapshots:
        mine = {c["id"] for c in snap["complaints"]}
        assert {e["complaint_id"] for e in snap["events"] + snap["attachments"]} <= mine
    assert set(ids) == {cid for kind, cid in sent if kind == "complaint"}


def test_changes_made_during_a_snapshot_arrive_after_it(backend: Backend, device_a: Device,
                                                        office_a: SeededOffice) -> None:
    ids = sorted(busy_office(device_a, office_a, count=3))
    other_pc_changes: list[str] = []

    def meanwhile() -> None:  # after the first page (it held ids[0]): another PC of the office works on
        note = device_a.note(ids[0], "Catatan baru sesudah halaman pertama.")
        device_a.push_one(note)
        intake = device_a.intake(title="Pengaduan baru selama unduhan")
        device_a.push_one(intake)
        other_pc_changes.extend([note.args["event"]["id"], intake.entity_id])

    snapshots, after, _ = download(device_a, limit=1, between=meanwhile)
    note_id, new_id_ = other_pc_changes
    assert note_id in ids_of(after, "event")
    assert new_id_ in ids_of(after, "complaint")
    # The new complaint may also have come in a later snapshot page: twice is allowed, missing is not.
    assert snapshots[0]["complaints"][0]["id"] == ids[0]
    assert note_id not in {e["id"] for e in snapshots[0]["events"]}


def test_older_clients_and_plain_requests_get_the_change_log(backend: Backend, device_a: Device,
                                                             office_a: SeededOffice) -> None:
    busy_office(device_a, office_a, count=2)
    plain = device_a.pull()
    assert plain["snapshot"] is None and plain["changes"]
    old = {**device_a.headers, HEADER_PROTOCOL: "2"}
    page = snapshot_page(device_a, None, headers=old)
    assert "snapshot" not in page and page["changes"]  # a protocol-2 client refuses unknown fields
    # A snapshot cursor handed back without asking for a snapshot starts the download again, from the change log.
    first = snapshot_page(device_a, None, limit=1)
    assert ".snap." in first["cursor"] and first["has_more"]
    again = device_a.pull(first["cursor"])
    assert again["snapshot"] is None
    assert {c["entity_id"] for c in again["changes"]} >= {c["id"] for c in first["snapshot"]["complaints"]}


def test_protocol_6_gets_tables_and_older_clients_the_same_as_entity_dicts(backend: Backend, device_a: Device,
                                                                          office_a: SeededOffice) -> None:
    busy_office(device_a, office_a, count=3)
    tables = raw_snapshot_page(device_a, None)
    assert tables["snapshot"] is None and tables["tables"]["complaints"]["cols"][0] == "id"
    assert len(tables["tables"]["complaints"]["rows"]) == 3
    dicts = raw_snapshot_page(device_a, None, headers={**device_a.headers, HEADER_PROTOCOL: "5"})
    assert "tables" not in dicts  # a protocol-5 client refuses unknown fields
    assert json.loads(SnapshotTables.model_validate(tables["tables"]).as_snapshot().model_dump_json()) \
        == dicts["snapshot"]
    assert {k: v for k, v in tables.items() if k not in ("snapshot", "tables", "server_time")} \
        == {k: v for k, v in dicts.items() if k not in ("snapshot", "server_time")}


def test_an_empty_office_downloads_in_one_page(backend: Backend, device_a: Device) -> None:
    page = snapshot_page(device_a, None)
    assert page["snapshot"]["complaints"] == [] and page["snapshot"]["users"]
    assert not page["has_more"] and ".snap." not in page["cursor"]
    assert snapshot_page(device_a, page["cursor"])["snapshot"] is None  # caught up: the change log from here


def test_a_closed_complaint_comes_with_its_status(backend: Backend, device_a: Device, office_a: SeededOffice) -> None:
    (cid,) = busy_office(device_a, office_a, count=1)  # disposed (i = 0)
    snapshots, _, _ = download(device_a, limit=10)
    (complaint,) = snapshots[0]["complaints"]
    assert complaint["id"] == cid and complaint["status"] == Status.DIDISPOSISIKAN and complaint["version"] >= 2
