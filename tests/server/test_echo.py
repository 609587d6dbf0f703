"""A PC's own changes are not sent back to it: a change the server applied exactly as the PC made it, on the state
the PC had, is marked exact; the push result carries what the PC needs to stamp its copy and its pull skips the rows
(the cursor moves past them). Anything else merged in, and the complaint is sent. Every refusal writes a change-log
row, so the PC's optimistic local change is corrected by its next pull. Older clients (protocol 1) see neither."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import requests
from sqlalchemy import select

from app.domain import EventKind, Role, Status
from app.ids import new_id
from server.models import ChangeLogEntry, Complaint
from sync.protocol import HEADER_PROTOCOL, Mutation
from tests.server.support import TIMEOUT, Backend, Device, SeededOffice, enrol, ids_of

TITLE = "Jalan berlubang besar di depan Pasar Sleman"


def edit(device: Device, cid: str, fields: dict[str, Any], *, base_version: int) -> Mutation:
    """An edit as the desktop sends it: the fields and the EDITED timeline entry that records them."""
    event = {"id": new_id(), "complaint_id": cid, "kind": EventKind.EDITED, "at": device.backend.clock().isoformat(),
             "actor_user_id": device.office.admin,
             "data_json": json.dumps({"changes": {k: [None, v] for k, v in fields.items()}})}
    return device.mutation("complaint.edit", cid, {"fields": fields, "event": event}, user_id=device.office.admin,
                           base_version=base_version)


def complaints_and_events(changes: list[dict[str, Any]]) -> set[str]:
    return {c["entity_id"] for c in changes if c["entity_type"] in ("complaint", "event", "attachment")}


def caught_up(device: Device) -> str:
    _, cursor = device.pull_all()
    assert not cursor.endswith(".full")
    return cursor


def test_own_exact_changes_are_not_echoed(backend: Backend, device_a: Device, office_a: SeededOffice) -> None:
    other_pc = enrol(backend, office_a, "PC admin")
    cursor = caught_up(device_a)
    intake = device_a.intake()
    # Written offline one after the other, all on the copy the PC had (base 0 for the new complaint).
    dispose = device_a.dispose(intake.entity_id, 0)
    note = device_a.note(intake.entity_id, "Petugas sudah ke lokasi.")
    body = device_a.push(intake, dispose, note)
    assert [r["exact"] for r in body["results"]] == [True, True, True]
    last = body["results"][-1]
    with backend.db.transaction() as session:
        c = session.get(Complaint, intake.entity_id)
        assert c is not None
        assert last["server_version"] == c.version
        assert datetime.fromisoformat(last["updated_at"]) == c.updated_at
    assert last["kept"] == [note.args["event"]["id"]]
    # An edit pushed later, written on the copy stamped from those results.
    result = device_a.push_one(edit(device_a, intake.entity_id, {"title": TITLE}, base_version=last["server_version"]))
    assert (result["status"], result["exact"]) == ("applied", True)

    page = device_a.pull(cursor)
    assert complaints_and_events(page["changes"]) == set()
    assert page["cursor"] != cursor and not page["has_more"]  # moved past its own rows all the same
    theirs, _ = other_pc.pull_all()
    assert intake.entity_id in ids_of(theirs, "complaint")  # every other PC gets them
    assert note.args["event"]["id"] in ids_of(theirs, "event")
    # A PC downloading from the beginning (a new PC, or after a restore) gets everything, its own changes too.
    fresh, _ = device_a.pull_all()
    assert intake.entity_id in ids_of(fresh, "complaint")


def test_pages_of_own_changes_are_read_past_in_one_pull(backend: Backend, device_a: Device,
                                                        office_a: SeededOffice) -> None:
    """Many pages of the PC's own exact changes cost it one pull, not one each; a change from elsewhere among
    them stops the reading there and is sent."""
    other_pc = enrol(backend, office_a, "PC admin")
    cursor = caught_up(device_a)
    ids = [device_a.push_one(device_a.intake(title=f"Saluran air tersumbat di blok {i}"))["entity_id"]
           for i in range(6)]
    page = device_a.pull(cursor, limit=2)  # 12 rows of its own: 6 pages of 2
    assert page["changes"] == [] and not page["has_more"]
    assert page["cursor"] == caught_up(device_a)

    cursor = page["cursor"]
    for cid in ids[:3]:
        device_a.push_one(device_a.note(cid, "Sudah dicek petugas."))
    theirs = other_pc.push_one(other_pc.note(ids[3], "Dicatat oleh PC admin."))
    for cid in ids[4:]:
        device_a.push_one(device_a.note(cid, "Sudah dicek petugas."))
    page = device_a.pull(cursor, limit=2)
    assert ids[3] in ids_of(page["changes"], "complaint") and page["has_more"]
    rest, _ = device_a.pull_all(page["cursor"], limit=2)
    assert complaints_and_events(rest) == set()
    assert theirs["status"] == "applied"


def test_an_edit_merged_with_another_pcs_is_sent(backend: Backend, device_a: Device,
                                                  office_a: SeededOffice) -> None:
    other_pc = enrol(backend, office_a, "PC admin")
    intake = device_a.intake()
    version = device_a.push_one(intake)["server_version"]
    cursor = caught_up(device_a)
    other_pc.push_one(edit(other_pc, intake.entity_id, {"address": "Jl. Magelang km 10"}, base_version=version))
    mine = edit(device_a, intake.entity_id, {"title": TITLE}, base_version=version)
    result = device_a.push_one(mine)
    assert (result["status"], result["exact"]) == ("merged", False)
    changes = device_a.pull(cursor)["changes"]
    (complaint,) = [c for c in changes if c["entity_type"] == "complaint"]
    assert (complaint["data"]["title"], complaint["data"]["address"]) == (TITLE, "Jl. Magelang km 10")
    events = ids_of(changes, "event")
    assert mine.args["event"]["id"] not in events  # the PC's own entry it already has
    assert len(events) == 1  # the other PC's


def test_a_conflict_and_a_note_on_a_closed_complaint_are_sent(backend: Backend, device_a: Device,
                                                              office_a: SeededOffice) -> None:
    other_pc = enrol(backend, office_a, "PC admin")
    intake = device_a.intake()
    version = device_a.push_one(intake)["server_version"]
    cursor = caught_up(device_a)
    other_pc.push_one(edit(other_pc, intake.entity_id, {"title": "Jalan rusak parah di depan Pasar Sleman"},
                           base_version=version))
    conflict = device_a.push_one(edit(device_a, intake.entity_id, {"title": TITLE}, base_version=version))
    assert (conflict["status"], conflict["exact"]) == ("conflict", False)
    kinds = {c["data"]["kind"] for c in device_a.pull(cursor)["changes"] if c["entity_type"] == "event"}
    assert EventKind.CONFLICT_MERGED in kinds


def test_a_refused_change_is_corrected_by_the_next_pull(backend: Backend, device_a: Device,
                                                        office_a: SeededOffice) -> None:
    intake = device_a.intake()
    version = device_a.push_one(intake)["server_version"]
    cursor = caught_up(device_a)
    # Disposed to the health office: the public works liaison may not follow it up, but the PC showed it followed
    # up meanwhile.
    health = office_a.units["Dinas Kesehatan"]
    dispose = device_a.transition(intake.entity_id, "dispose", Status.BELUM_TERVERIFIKASI, Status.DIDISPOSISIKAN,
                                  user_id=office_a.admin, base_version=version, text="Mohon ditindaklanjuti.",
                                  fields={"unit_id": health, "disposed_at": backend.clock().isoformat()})
    disposed = device_a.push_one(dispose)["server_version"]
    refused = device_a.transition(intake.entity_id, "follow_up", Status.DIDISPOSISIKAN, Status.DITINDAKLANJUTI,
                                  user_id=office_a.users[Role.PENGHUBUNG], base_version=disposed,
                                  text="Sudah ditambal.")
    result = device_a.push_one(refused)
    assert (result["status"], result["code"], result["exact"], result["kept"]) == (
        "rejected", "permission_denied", False, [])
    (complaint,) = [c for c in device_a.pull(cursor)["changes"] if c["entity_type"] == "complaint"]
    assert complaint["data"]["status"] == Status.DIDISPOSISIKAN and complaint["version"] > disposed
    with backend.db.transaction() as session:
        row = session.execute(select(ChangeLogEntry).order_by(ChangeLogEntry.id.desc()).limit(1)).scalar_one()
        assert (row.entity_id, row.origin_client_id, row.exact) == (intake.entity_id, device_a.client_id, False)


def test_older_clients_get_echoes_and_no_new_fields(backend: Backend, device_a: Device) -> None:
    old = {**device_a.headers, HEADER_PROTOCOL: "1"}
    cursor = caught_up(device_a)
    intake = device_a.intake()
    body = {"client_id": device_a.client_id, "mutations": [intake.model_dump(mode="json")]}
    answer = requests.post(backend.url + "/api/v1/sync/push", json=body, headers=old, timeout=TIMEOUT).json()
    (result,) = answer["results"]
    assert result["status"] == "applied" and not {"exact", "updated_at", "kept"} & result.keys()
    # The same seq again (a lost reply): the stored result, also without the new fields.
    again = requests.post(backend.url + "/api/v1/sync/push", json=body, headers=old, timeout=TIMEOUT).json()
    assert again["results"] == answer["results"]
    page = device_a.pull_raw(cursor, headers=old).json()
    assert intake.entity_id in ids_of(page["changes"], "complaint")
