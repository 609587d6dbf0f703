"""Push: per-client seq, stored results (idempotent, also under concurrency), transitions as commands, field
merges with conflicts, and an office that can never touch another office's complaints."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import requests
from sqlalchemy import select

from app.domain import EventKind, Role, Status
from app.ids import new_id
from server import apply_batch
from server.api import sync as sync_api
from server.models import ChangeLogEntry, Complaint, MutationRecord, TimelineEvent
from sync.protocol import MAX_PUSH_BATCH
from tests.server.support import TIMEOUT, Backend, Device, SeededOffice, enrol

N_CONCURRENT = 20


def _events(backend: Backend, complaint_id: str, kind: str | None = None) -> list[TimelineEvent]:
    with backend.db.transaction() as session:
        q = select(TimelineEvent).where(TimelineEvent.complaint_id == complaint_id)
        if kind:
            q = q.where(TimelineEvent.kind == kind)
        return list(session.execute(q.order_by(TimelineEvent.at, TimelineEvent.id)).scalars())


def _complaint(backend: Backend, complaint_id: str) -> Complaint:
    with backend.db.transaction() as session:
        c = session.get(Complaint, complaint_id)
        assert c is not None
        return c


def _new_complaint(device: Device) -> tuple[str, int]:
    m = device.intake()
    result = device.push_one(m)
    assert result["status"] == "applied", result
    return m.entity_id, int(result["server_version"])


def test_intake_is_applied(backend: Backend, device_a: Device, office_a: SeededOffice) -> None:
    m = device_a.intake()
    body = device_a.push(m)
    assert body["acked_seq"] == 1 and body["stopped"] is None and body["era"]
    (result,) = body["results"]
    assert result["status"] == "applied" and result["seq"] == 1 and result["entity_id"] == m.entity_id
    c = _complaint(backend, m.entity_id)
    assert (c.office_id, c.status, c.version) == (office_a.id, Status.BELUM_TERVERIFIKASI, result["server_version"])
    assert c.tracking_code == m.args["complaint"]["tracking_code"]
    assert [e.kind for e in _events(backend, m.entity_id)] == [EventKind.RECEIVED]


def test_same_push_twice_has_one_effect_and_the_same_answer(backend: Backend, device_a: Device) -> None:
    intake = device_a.intake()
    note = device_a.note(intake.entity_id, "Sudah dicek ke lokasi.")
    first = device_a.push(intake, note)
    changes_after_first = backend.count(ChangeLogEntry)
    second = device_a.push(intake, note)
    assert second["results"] == first["results"]
    assert second["acked_seq"] == first["acked_seq"] == 2
    assert backend.count(Complaint) == 1
    assert backend.count(TimelineEvent) == 2
    assert backend.count(MutationRecord) == 2
    assert backend.count(ChangeLogEntry) == changes_after_first


def test_same_push_sent_concurrently_has_one_effect(backend: Backend, device_a: Device) -> None:
    mutations = [device_a.intake() for _ in range(N_CONCURRENT)]
    body = {"client_id": device_a.client_id, "mutations": [m.model_dump(mode="json") for m in mutations]}
    start = threading.Barrier(8)

    def send(_: int) -> tuple[int, dict[str, Any]]:
        start.wait()
        r = requests.post(backend.url + "/api/v1/sync/push", json=body, headers=device_a.headers, timeout=TIMEOUT)
        return r.status_code, r.json()

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(send, range(8)))
    assert {status for status, _ in answers} == {200}, answers
    results = [(a["results"], a["acked_seq"], a["stopped"]) for _, a in answers]
    assert all(r == results[0] for r in results), results
    assert results[0][1] == N_CONCURRENT
    assert [r["status"] for r in results[0][0]] == ["applied"] * N_CONCURRENT
    assert backend.count(Complaint) == N_CONCURRENT
    assert backend.count(TimelineEvent) == N_CONCURRENT
    assert backend.count(MutationRecord) == N_CONCURRENT


def test_a_gap_stops_the_push(backend: Backend, device_a: Device) -> None:
    first = device_a.intake(seq=1)
    third = device_a.intake(seq=3)
    body = device_a.push(first, third)
    assert body["stopped"] == "gap"
    assert body["acked_seq"] == 1
    assert [r["seq"] for r in body["results"]] == [1]
    assert backend.count(Complaint) == 1
    only_gap = device_a.push(third)
    assert (only_gap["stopped"], only_gap["acked_seq"], only_gap["results"]) == ("gap", 1, [])


def test_same_seq_with_another_payload_is_client_diverged(backend: Backend, device_a: Device) -> None:
    original = device_a.intake(seq=1)
    device_a.push(original)
    other = device_a.intake(seq=1)
    body = device_a.push(other)
    assert body["stopped"] == "client_diverged"
    assert body["acked_seq"] == 1 and body["results"] == []
    same_id_other_payload = device_a.note(original.entity_id, "lain")
    forged = same_id_other_payload.model_copy(update={"seq": 1, "mutation_id": original.mutation_id})
    assert device_a.push(forged)["stopped"] == "client_diverged"
    assert backend.count(Complaint) == 1


def test_a_mutation_id_reused_at_another_seq_is_client_diverged(backend: Backend, device_a: Device) -> None:
    first = device_a.intake(seq=1)
    device_a.push(first)
    again = device_a.intake(seq=2).model_copy(update={"mutation_id": first.mutation_id})
    body = device_a.push(again)
    assert (body["stopped"], body["acked_seq"]) == ("client_diverged", 1)


def test_a_legal_transition_is_applied(backend: Backend, device_a: Device, office_a: SeededOffice) -> None:
    cid, version = _new_complaint(device_a)
    result = device_a.push_one(device_a.dispose(cid, version))
    assert result["status"] == "applied"
    assert result["server_version"] == version + 1
    c = _complaint(backend, cid)
    assert (c.status, c.unit_id) == (Status.DIDISPOSISIKAN, office_a.unit)
    assert c.disposed_at is not None
    assert [e.kind for e in _events(backend, cid)] == [EventKind.RECEIVED, EventKind.DISPOSED]


def test_a_transition_already_made_elsewhere_is_merged(backend: Backend, device_a: Device,
                                                      office_a: SeededOffice) -> None:
    other_pc = enrol(backend, office_a, "PC admin")
    cid, version = _new_complaint(device_a)
    assert device_a.push_one(device_a.dispose(cid, version))["status"] == "applied"
    result = other_pc.push_one(other_pc.dispose(cid, version))
    assert (result["status"], result["code"]) == ("merged", "already_there")
    assert result["exact"] is False and result["kept"] == []  # the other PC's disposition entry is not kept
    # Nothing changed, but the other PC set its own unit and date locally: a new version corrects its copy.
    c = _complaint(backend, cid)
    assert c.version == version + 2 == result["server_version"] and c.unit_id == office_a.unit
    assert [e.kind for e in _events(backend, cid)] == [EventKind.RECEIVED, EventKind.DISPOSED]


def _close(device: Device, cid: str, version: int) -> int:
    """Dispose → follow up → close; returns the server version."""
    office = device.office
    for m in (device.dispose(cid, version),
              device.transition(cid, "follow_up", Status.DIDISPOSISIKAN, Status.DITINDAKLANJUTI,
                                user_id=office.users[Role.PENGHUBUNG], base_version=version + 1,
                                text="Jalan sudah ditambal oleh Dinas PU."),
              device.transition(cid, "close", Status.DITINDAKLANJUTI, Status.SELESAI, user_id=office.admin,
                                base_version=version + 2)):
        result = device.push_one(m)
        assert result["status"] == "applied", result
        version = int(result["server_version"])
    return version


def test_a_transition_illegal_now_is_rejected_and_keeps_its_text(backend: Backend, device_a: Device,
                                                                 office_a: SeededOffice) -> None:
    offline_pc = enrol(backend, office_a, "PC yang lama offline")
    cid, version = _new_complaint(device_a)
    closed_version = _close(device_a, cid, version)
    # Written offline before the complaint was closed: archive it (BELUM_TERVERIFIKASI → DIARSIPKAN).
    late = offline_pc.transition(cid, "archive", Status.BELUM_TERVERIFIKASI, Status.DIARSIPKAN,
                                 user_id=office_a.admin, base_version=version, text="Laporan ganda dari warga sama.",
                                 fields={"archive_reason": "DUPLIKAT"})
    result = offline_pc.push_one(late)
    assert (result["status"], result["code"]) == ("rejected", "transition_rejected")
    assert result["message"]
    c = _complaint(backend, cid)
    assert c.status == Status.SELESAI and c.archive_reason is None
    (rejected,) = _events(backend, cid, EventKind.TRANSITION_REJECTED)
    assert rejected.text == "Laporan ganda dari warga sama."
    assert (rejected.from_status, rejected.to_status) == (Status.SELESAI, Status.DIARSIPKAN)
    assert json.loads(rejected.data_json or "{}")["reason"] == "not_allowed_now"
    assert not _events(backend, cid, EventKind.ARCHIVED)
    assert c.version == closed_version + 1  # the rejection event is itself a change the office pulls
    # The rejection is permanent: the queue moves on.
    assert offline_pc.push(late)["acked_seq"] == 1
    follow = offline_pc.push_one(offline_pc.note(cid, "Catatan setelah penolakan."))
    assert follow["status"] == "merged"


def test_an_older_step_is_not_replayed_as_a_different_transition(backend: Backend, device_a: Device,
                                                                 office_a: SeededOffice) -> None:
    """A dispose written offline must not become a reopen (SELESAI → DIDISPOSISIKAN) once the complaint closed."""
    offline_pc = enrol(backend, office_a, "PC yang lama offline")
    cid, version = _new_complaint(device_a)
    _close(device_a, cid, version)
    result = offline_pc.push_one(offline_pc.dispose(cid, version))
    assert (result["status"], result["code"]) == ("rejected", "transition_rejected")
    assert _complaint(backend, cid).status == Status.SELESAI
    assert len(_events(backend, cid, EventKind.TRANSITION_REJECTED)) == 1


def test_a_role_that_may_not_make_the_transition_is_rejected(backend: Backend, device_a: Device,
                                                             office_a: SeededOffice) -> None:
    cid, version = _new_complaint(device_a)
    result = device_a.push_one(device_a.dispose(cid, version, user_id=office_a.users[Role.PIMPINAN]))
    assert result["status"] == "rejected"
    assert result["code"] in ("transition_rejected", "permission_denied")
    c = _complaint(backend, cid)
    assert c.status == Status.BELUM_TERVERIFIKASI and c.unit_id is None
    assert not _events(backend, cid, EventKind.DISPOSED)


def test_edits_of_different_fields_from_two_pcs_both_land(backend: Backend, device_a: Device,
                                                         office_a: SeededOffice) -> None:
    second_pc = enrol(backend, office_a, "PC admin")
    cid, version = _new_complaint(device_a)
    first = device_a.push_one(device_a.edit(cid, {"title": "Jalan berlubang besar di depan Pasar Sleman"},
                                            base_version=version))
    second = second_pc.push_one(second_pc.edit(cid, {"address": "Jl. Magelang km 10, Sleman"}, base_version=version))
    assert first["status"] == "applied"
    assert second["status"] in ("applied", "merged")
    c = _complaint(backend, cid)
    assert c.title == "Jalan berlubang besar di depan Pasar Sleman"
    assert c.address == "Jl. Magelang km 10, Sleman"
    assert not _events(backend, cid, EventKind.CONFLICT_MERGED)


def test_edits_of_the_same_field_conflict_and_nothing_is_lost(backend: Backend, device_a: Device,
                                                             office_a: SeededOffice) -> None:
    second_pc = enrol(backend, office_a, "PC admin")
    cid, version = _new_complaint(device_a)
    mine, theirs = "Jalan rusak parah di Jalan Kaliurang", "Lubang besar di Jalan Kaliurang km 7"
    assert device_a.push_one(device_a.edit(cid, {"title": mine}, base_version=version))["status"] == "applied"
    result = second_pc.push_one(second_pc.edit(cid, {"title": theirs}, base_version=version))
    assert result["status"] == "conflict"
    assert result["server_values"] == {"title": mine}
    assert _complaint(backend, cid).title == mine  # the first that arrived is kept
    (conflict,) = _events(backend, cid, EventKind.CONFLICT_MERGED)
    assert json.loads(conflict.data_json or "{}")["conflicts"] == {"title": {"mine": theirs, "theirs": mine}}
    # The same value again is not a conflict.
    same = second_pc.push_one(second_pc.edit(cid, {"title": mine}, base_version=version))
    assert same["status"] in ("applied", "merged")


def test_invalid_edits_are_rejected_not_stored(backend: Backend, device_a: Device) -> None:
    cid, version = _new_complaint(device_a)
    for fields in ({"title": "pendek"}, {"incident_date": "kemarin"}, {"latitude": "utara"},
                   {"classification": "GOSIP"}, {"status": Status.SELESAI}, {"is_confidential": "ya"},
                   {"region_code": "99.99"}, {"description": "x" * 5000}):
        result = device_a.push_one(device_a.edit(cid, fields, base_version=version))
        assert result["status"] == "rejected", (fields, result)
        assert result["message"]
        assert result["exact"] is False and result["kept"] == []
    c = _complaint(backend, cid)
    assert (c.title, c.status) == ("Jalan berlubang di depan pasar", Status.BELUM_TERVERIFIKASI)
    # Nothing stored, but each refusal is a new version with a change-log row: the PC pulls the server's copy.
    assert c.version == version + 8
    assert backend.count(ChangeLogEntry, ChangeLogEntry.entity_id == cid, ChangeLogEntry.version > version) == 8


def test_a_note_on_a_closed_complaint_is_kept_and_flagged(backend: Backend, device_a: Device) -> None:
    cid, version = _new_complaint(device_a)
    _close(device_a, cid, version)
    result = device_a.push_one(device_a.note(cid, "Warga menelepon lagi, jalan sudah bagus."))
    assert (result["status"], result["code"]) == ("merged", "after_close")
    (note,) = _events(backend, cid, EventKind.NOTE)
    assert note.text == "Warga menelepon lagi, jalan sudah bagus."
    assert json.loads(note.data_json or "{}") == {"after_close": True}


def test_a_user_of_another_office_is_refused(backend: Backend, device_a: Device, office_b: SeededOffice) -> None:
    m = device_a.intake(user_id=office_b.counter)
    result = device_a.push_one(m)
    assert (result["status"], result["code"]) == ("rejected", "permission_denied")
    assert backend.count(Complaint) == 0
    assert device_a.push(m)["acked_seq"] == 1  # permanent: the queue moves on


def test_another_offices_complaint_is_not_found(backend: Backend, device_a: Device, device_b: Device) -> None:
    cid, version = _new_complaint(device_a)
    for m in (device_b.note(cid, "mengintip"), device_b.dispose(cid, version),
              device_b.edit(cid, {"title": "Judul diganti kantor lain"}, base_version=version)):
        result = device_b.push_one(m)
        assert (result["status"], result["code"]) == ("rejected", "not_found"), result
    c = _complaint(backend, cid)
    # Not even a correction: another office's complaint is not that PC's to see.
    assert (c.title, c.status, c.version) == ("Jalan berlubang di depan pasar", Status.BELUM_TERVERIFIKASI, version)
    assert len(_events(backend, cid)) == 1


def test_a_push_for_another_client_id_is_forbidden(backend: Backend, device_a: Device, device_b: Device) -> None:
    body = {"client_id": device_b.client_id, "mutations": [device_a.intake().model_dump(mode="json")]}
    response = requests.post(backend.url + "/api/v1/sync/push", json=body, headers=device_a.headers, timeout=TIMEOUT)
    assert response.status_code == 403
    assert response.json()["code"] == "wrong_client"


def test_malformed_arguments_are_rejected_without_stopping_the_queue(backend: Backend, device_a: Device) -> None:
    cid, version = _new_complaint(device_a)
    bad = [
        device_a.mutation("complaint.dispose", cid, {"from": "X"}, user_id=device_a.office.admin,
                          base_version=version),
        device_a.mutation("complaint.note", cid, {"event": "teks"}, user_id=device_a.office.admin),
        device_a.mutation("complaint.fly", cid, {}, user_id=device_a.office.admin),
        device_a.mutation("complaint.intake", cid, {"complaint": {}}, user_id=device_a.office.counter),
    ]
    body = device_a.push(*bad)
    assert body["acked_seq"] == 5 and body["stopped"] is None
    assert [r["status"] for r in body["results"]] == ["rejected"] * 4
    assert all(r["code"] and r["message"] for r in body["results"])


def test_a_mutation_the_database_refuses_is_rejected_alone(backend: Backend, device_a: Device) -> None:
    """A naive time (no offset) passes the wire model but not the UTC column: a rejection, not a 500."""
    naive = device_a.intake()
    args = json.loads(json.dumps(naive.args))
    args["event"]["at"] = "2026-03-02T09:00:00"
    naive = device_a.mutation("complaint.intake", naive.entity_id, args, user_id=naive.user_id, seq=naive.seq)
    good = device_a.intake()
    body = device_a.push(naive, good)
    assert [r["status"] for r in body["results"]] == ["rejected", "applied"]
    assert body["results"][0]["code"] == "bad_arguments"
    assert body["acked_seq"] == 2
    assert backend.count(Complaint) == 1
    changes, _ = device_a.pull_all()
    assert good.entity_id in {c["entity_id"] for c in changes}
    assert naive.entity_id not in {c["entity_id"] for c in changes}


def test_the_action_decides_who_may_make_a_status_change(backend: Backend, device_a: Device,
                                                         office_a: SeededOffice) -> None:
    """DITINDAKLANJUTI → SELESAI is a close (the office) or a respond (counter staff record the reporter's answer)."""
    cid, version = _new_complaint(device_a)
    for m in (device_a.dispose(cid, version),
              device_a.transition(cid, "follow_up", Status.DIDISPOSISIKAN, Status.DITINDAKLANJUTI,
                                  user_id=office_a.users[Role.PENGHUBUNG], base_version=version + 1,
                                  text="Sudah diperbaiki.")):
        assert device_a.push_one(m)["status"] == "applied"
    close = device_a.transition(cid, "close", Status.DITINDAKLANJUTI, Status.SELESAI, user_id=office_a.counter,
                                base_version=version + 2)
    assert device_a.push_one(close)["status"] == "rejected"
    respond = device_a.transition(cid, "respond", Status.DITINDAKLANJUTI, Status.SELESAI, user_id=office_a.counter,
                                  base_version=version + 2, text="Pelapor puas dengan hasilnya.")
    assert device_a.push_one(respond)["status"] == "applied"
    assert _complaint(backend, cid).status == Status.SELESAI
    assert [e.text for e in _events(backend, cid, EventKind.REPORTER_RESPONSE)] == ["Pelapor puas dengan hasilnya."]


def test_a_step_that_needs_a_reason_is_refused_without_one(backend: Backend, device_a: Device,
                                                           office_a: SeededOffice) -> None:
    cid, version = _new_complaint(device_a)
    bare = device_a.transition(cid, "postpone", Status.BELUM_TERVERIFIKASI, Status.DITUNDA, user_id=office_a.admin,
                               base_version=version, text="")
    result = device_a.push_one(bare)
    assert (result["status"], result["code"]) == ("rejected", "validation")
    args = json.loads(json.dumps(bare.args))
    args["event"]["data_json"] = json.dumps({"reason": "Menunggu fotokopi KTP pelapor."})
    with_reason = device_a.mutation("complaint.postpone", cid, args, user_id=office_a.admin, base_version=version)
    assert device_a.push_one(with_reason)["status"] == "applied"
    assert _complaint(backend, cid).status == Status.DITUNDA


def test_text_no_database_can_store_never_blocks_the_queue(backend: Backend, device_a: Device,
                                                          office_a: SeededOffice) -> None:
    cid, version = _new_complaint(device_a)
    odd = "Catatan dengan karakter NUL \x00 di tengah"
    note = device_a.push_one(device_a.note(cid, odd))
    late = device_a.push_one(device_a.transition(cid, "close", Status.DITINDAKLANJUTI, Status.SELESAI,
                                                 user_id=office_a.admin, base_version=version, text=odd))
    assert late["status"] == "rejected"
    assert note["status"] in ("applied", "rejected")  # SQLite stores NUL; PostgreSQL refuses it
    assert device_a.push_one(device_a.note(cid, "Catatan biasa."))["status"] == "applied"


def test_two_offline_edits_of_one_field_by_one_pc_keep_the_last(backend: Backend, device_a: Device) -> None:
    """Both written offline on the same base: the PC's second edit knows its first, so it is no conflict."""
    cid, version = _new_complaint(device_a)
    first = device_a.edit(cid, {"title": "Jalan rusak parah di Jalan Kaliurang"}, base_version=version)
    second = device_a.edit(cid, {"title": "Lubang besar di Jalan Kaliurang km 7"}, base_version=version)
    body = device_a.push(first, second)
    assert [r["status"] for r in body["results"]] in (["applied", "applied"], ["applied", "merged"])
    assert _complaint(backend, cid).title == "Lubang besar di Jalan Kaliurang km 7"
    assert not _events(backend, cid, EventKind.CONFLICT_MERGED)


def test_an_edit_brings_its_history_event(backend: Backend, device_a: Device, office_a: SeededOffice) -> None:
    cid, version = _new_complaint(device_a)
    edited = {"id": new_id(), "complaint_id": cid, "kind": EventKind.EDITED, "at": backend.clock().isoformat(),
              "actor_user_id": office_a.admin,
              "data_json": json.dumps({"title": {"old": "Jalan berlubang di depan pasar",
                                                 "new": "Judul yang baru ya"}})}
    m = device_a.mutation("complaint.edit", cid, {"fields": {"title": "Judul yang baru ya"}, "event": edited},
                          user_id=office_a.admin, base_version=version)
    assert device_a.push_one(m)["status"] == "applied"
    (event,) = _events(backend, cid, EventKind.EDITED)
    assert event.id == edited["id"] and json.loads(event.data_json or "{}")["title"]["new"] == "Judul yang baru ya"
    forged = device_a.mutation("complaint.edit", cid, {"fields": {"title": "Judul yang lain lagi"},
                                                       "event": {**edited, "id": new_id(), "kind": "CLOSED"}},
                               user_id=office_a.admin, base_version=version + 1)
    assert device_a.push_one(forged)["status"] == "rejected"


def test_a_batch_sent_before_the_answer_to_the_one_before_is_applied_after_it(
        backend: Backend, device_a: Device, monkeypatch: Any) -> None:
    """The PC sends its next batch while the one before is still being applied (sync.engine.SyncEngine.push): the
    server takes it once the one before has committed, and applies it in full (no gap), dated after it."""
    first, second = [device_a.intake() for _ in range(3)], [device_a.intake() for _ in range(3)]
    first_applying, second_arrived = threading.Event(), threading.Event()
    queued, plan = type(backend.db).queued_transaction, apply_batch.plan

    @contextmanager
    def watched(db: Any) -> Iterator[Any]:
        if first_applying.is_set():
            second_arrived.set()  # the second batch, come while the first holds its device and transaction
        with queued(db) as session:
            yield session

    def planning(*args: Any) -> Any:
        if not first_applying.is_set():
            first_applying.set()
            assert second_arrived.wait(TIMEOUT)
        return plan(*args)

    monkeypatch.setattr(type(backend.db), "queued_transaction", watched)
    monkeypatch.setattr(apply_batch, "plan", planning)
    with ThreadPoolExecutor(2) as pool:
        answer_1 = pool.submit(device_a.push, *first)
        assert first_applying.wait(TIMEOUT)
        answer_2 = pool.submit(device_a.push, *second)
        one, two = answer_1.result(), answer_2.result()
    assert (one["stopped"], one["acked_seq"], two["stopped"], two["acked_seq"]) == (None, 3, None, 6)
    assert [r["status"] for r in one["results"] + two["results"]] == ["applied"] * 6
    assert two["server_time"] >= one["server_time"]
    assert backend.count(Complaint) == 6 and backend.count(MutationRecord) == 6


def test_a_batch_that_arrives_before_the_one_before_waits_for_it(backend: Backend, device_a: Device,
                                                                  monkeypatch: Any) -> None:
    """The next batch, sent on another connection, can arrive first: it waits for the one before (not a gap)."""
    first, second = [device_a.intake() for _ in range(3)], [device_a.intake() for _ in range(3)]
    waiting = threading.Event()
    held = sync_api._held

    def looking(*args: Any) -> int:
        waiting.set()  # the second batch, waiting for the first
        return held(*args)

    monkeypatch.setattr(sync_api, "_held", looking)
    monkeypatch.setattr(sync_api, "AHEAD_WAIT", TIMEOUT)
    with ThreadPoolExecutor(1) as pool:
        early = pool.submit(device_a.push, *second)
        assert waiting.wait(TIMEOUT)
        one = device_a.push(*first)
        two = early.result()
    assert (one["stopped"], one["acked_seq"], two["stopped"], two["acked_seq"]) == (None, 3, None, 6)
    assert [r["status"] for r in one["results"] + two["results"]] == ["applied"] * 6


def test_a_batch_whose_predecessor_never_comes_is_a_gap(backend: Backend, device_a: Device, monkeypatch: Any) -> None:
    monkeypatch.setattr(sync_api, "AHEAD_WAIT", 0.05)
    device_a.push(device_a.intake())
    lost = device_a.intake()  # never sent
    body = device_a.push(device_a.intake())
    assert (body["stopped"], body["acked_seq"], body["results"]) == ("gap", 1, [])
    assert device_a.push(lost)["acked_seq"] == 2


def test_a_batch_further_ahead_than_one_batch_is_a_gap_at_once(backend: Backend, device_a: Device,
                                                               monkeypatch: Any) -> None:
    """No PC has more than one batch before the one it sends: a batch further ahead does not wait (nor hold a
    thread of the server) for what cannot be on its way."""
    looked: list[str] = []
    monkeypatch.setattr(sync_api, "_held", lambda _context, device_id: looked.append(device_id) or 0)
    monkeypatch.setattr(sync_api, "AHEAD_WAIT", TIMEOUT)
    far = device_a.intake(seq=MAX_PUSH_BATCH + 2)
    body = device_a.push(far)
    assert (body["stopped"], body["acked_seq"], looked) == ("gap", 0, [])


def test_one_waiting_batch_per_device(backend: Backend, device_a: Device, monkeypatch: Any) -> None:
    """While one batch of a device waits for the one before it, another that arrives early does not wait too."""
    looked: list[str] = []
    monkeypatch.setattr(sync_api, "_held", lambda _context, device_id: looked.append(device_id) or 0)
    monkeypatch.setattr(sync_api, "AHEAD_WAIT", TIMEOUT)
    monkeypatch.setattr(sync_api, "_waiting", {device_a.device_id})  # as if one were waiting already
    body = device_a.push(device_a.intake(seq=2))
    assert (body["stopped"], body["acked_seq"], looked) == ("gap", 0, [])
    assert sync_api._waiting == {device_a.device_id}  # the one waiting still is
