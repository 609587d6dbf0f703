"""A push batch applied in runs (server.apply_batch) decides every mutation exactly as applying them one at a time,
each in its own savepoint, does: the same results and the same stored state, refusals and a run that fails halfway
included. Two offices of one server get the same batch, one with runs and one without."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from sqlalchemy import bindparam, select, text

from app.domain import Role, Status
from app.ids import new_id
from server import apply_batch, run_rows
from server.models import ChangeLogEntry, Complaint, TimelineEvent
from tests.server.support import Backend, Device, SeededOffice, enrol, seed_office
from tests.server.test_push import _close

SHA = "ab" * 32


def _office_pc(backend: Backend, name: str) -> Device:
    office = seed_office(backend, "34.71" if name == "kota" else "34.02", f"Pemerintah {name}", "WIB")
    return enrol(backend, office, f"PC {name}")


def _batch(device: Device, stranger: SeededOffice, elsewhere: str) -> tuple[list[str], list[Any]]:
    """Ten complaints, one of them closed and one disposed, then one batch of every kind a run takes, with each
    refusal a run can meet and a value that fails a run halfway (a time without its offset)."""
    cids, versions = [], []
    for i in range(15):
        result = device.push_one(device.intake(title=f"Lampu jalan padam di gang nomor {i + 1}"))
        cids.append(result["entity_id"])
        versions.append(int(result["server_version"]))
    versions[9] = _close(device, cids[9], versions[9])
    versions[11] = int(device.push_one(device.dispose(cids[11], versions[11]))["server_version"])
    first = next(device.seq)  # the batch's first seq: building some of it takes a seq twice
    naive = device.edit(cids[6], {"address": "Jl. Magelang km 5"}, base_version=versions[6])
    naive.args["event"] = {"id": new_id(), "complaint_id": cids[6], "kind": "EDITED", "at": "2026-03-02T09:00:00",
                           "actor_user_id": device.office.admin, "data_json": "{}"}
    naive = device.mutation("complaint.edit", cids[6], naive.args, user_id=device.office.admin,
                            base_version=versions[6])
    note_two = device.note(cids[1], "Petugas sudah meninjau lokasi.")
    twin = device.note(cids[8], "Catatan dengan id yang sudah dipakai.")
    twin.args["event"]["id"] = note_two.args["event"]["id"]
    twin = device.mutation("complaint.note", cids[8], twin.args, user_id=device.office.admin)
    batch = [
        device.edit(cids[0], {"title": "Lampu jalan padam sejak seminggu"}, base_version=versions[0]),
        note_two,
        device.attach(cids[2], SHA, 2048),
        device.edit(cids[3], {"title": "pendek"}, base_version=versions[3]),  # refused: too short
        device.note(cids[4], "Bukan pengguna instansi ini.", user_id=stranger.admin),  # refused: another office
        device.note(cids[9], "Warga menelepon lagi setelah selesai."),  # kept, flagged after close
        device.edit(cids[0], {"address": "Jl. Kaliurang km 7"}, base_version=versions[0]),  # same complaint again
        device.note(elsewhere, "Mengintip laporan kantor lain."),  # refused: not found
        naive,  # fails its run halfway: the run is applied again one at a time
        device.note(cids[7], "Dicek ulang oleh admin."),
        device.dispose(cids[5], versions[5]),  # a status change: applied on its own
        device.edit(cids[5], {"address": "Jl. Godean km 3"}, base_version=versions[5] + 1),
        twin,  # refused: the event id is another complaint's
        device.attach(cids[4], SHA, 1024).model_copy(update={"user_id": device.office.users[Role.PIMPINAN]}),
        device.dispose(cids[10], versions[10]),  # status changes in a run
        device.dispose(cids[11], versions[11] - 1),  # already there: another PC of the office disposed it
        device.transition(cids[12], "close", Status.BELUM_TERVERIFIKASI, Status.SELESAI, user_id=device.office.admin,
                          base_version=versions[12]),  # not a step from here: refused, its entry recorded
        device.dispose(cids[13], versions[13], user_id=device.office.users[Role.PENGHUBUNG]),  # not this role's
        device.transition(cids[14], "dispose", Status.BELUM_TERVERIFIKASI, Status.DIDISPOSISIKAN,
                          user_id=device.office.admin, base_version=versions[14], text="Mohon ditindaklanjuti.",
                          fields={"unit_id": device.office.unit, "disposed_at": "kemarin sore"}),  # a bad stamp
    ]
    # In the order they stand, without gaps, as a PC sends them.
    device.seq = itertools.count(first + len(batch))
    return cids, [device.mutation(m.name, m.entity_id, m.args, user_id=m.user_id, base_version=m.base_version,
                                  seq=first + i) for i, m in enumerate(batch)]


def _outcome(body: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(r["seq"] - body["results"][0]["seq"], r["status"], r["code"], r["exact"], len(r["kept"]),
             r["server_version"]) for r in body["results"]]


def _state(backend: Backend, cids: list[str], client_id: str) -> list[tuple[Any, ...]]:
    out = []
    with backend.db.transaction() as session:
        for cid in cids:
            c = session.get(Complaint, cid)
            assert c is not None
            versions = {k: [v[0], "pc" if v[1] == client_id else v[1]] if isinstance(v, list) else v
                        for k, v in json.loads(c.field_versions or "{}").items()}
            events = sorted((e.kind, e.text or "", sorted(json.loads(e.data_json or "{}"))) for e in session.execute(
                select(TimelineEvent).where(TimelineEvent.complaint_id == cid)).scalars())
            rows = sorted((r.entity_type, r.op, r.version, r.exact) for r in session.execute(
                select(ChangeLogEntry).where(ChangeLogEntry.entity_id == cid)).scalars())
            out.append((c.title, c.address, c.status, c.version, versions, events, rows))
    return out


def test_a_batch_in_runs_ends_exactly_as_one_at_a_time(backend: Backend, device_a: Device, office_b: SeededOffice,
                                                       runs: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = device_a.push_one(device_a.intake())["entity_id"]
    pc_runs, pc_single = _office_pc(backend, "kota"), _office_pc(backend, "kabupaten")

    cids, batch = _batch(pc_runs, office_b, elsewhere)
    in_runs = pc_runs.push(*batch)
    assert in_runs["stopped"] is None and in_runs["acked_seq"] == batch[-1].seq
    assert runs == ["whole", "one at a time", "whole"], runs

    monkeypatch.setattr(apply_batch, "RUN_KINDS", frozenset())
    single_cids, single_batch = _batch(pc_single, office_b, elsewhere)
    one_at_a_time = pc_single.push(*single_batch)
    assert runs == ["whole", "one at a time", "whole"]  # no run this time

    assert _outcome(in_runs) == _outcome(one_at_a_time)
    statuses = [r["status"] for r in in_runs["results"]]
    assert statuses == ["applied", "applied", "applied", "rejected", "rejected", "merged", "merged", "rejected",
                        "rejected", "applied", "applied", "applied", "rejected", "rejected", "applied", "merged",
                        "rejected", "rejected", "rejected"], statuses
    codes = [r["code"] for r in in_runs["results"] if r["status"] == "rejected"]
    assert codes == ["validation", "permission_denied", "not_found", "bad_arguments", "foreign_id",
                     "permission_denied", "transition_rejected", "permission_denied", "bad_arguments"], codes
    assert _state(backend, cids, pc_runs.client_id) == _state(backend, single_cids, pc_single.client_id)
    # What the PC pulls back: the same changes, by kind and exactness.
    changes = [sorted((c["entity_type"], c["op"]) for c in pc.pull_all()[0]) for pc in (pc_runs, pc_single)]
    assert changes[0] == changes[1]
    with backend.db.transaction() as session:
        closed = session.get(Complaint, cids[9])
        assert closed is not None and closed.status == Status.SELESAI


def test_the_same_seq_twice_in_one_batch_has_one_effect(backend: Backend, device_a: Device) -> None:
    cid = device_a.push_one(device_a.intake())["entity_id"]
    first = device_a.note(cid, "Catatan pertama untuk laporan ini.")
    second = device_a.note(cid, "Catatan kedua untuk laporan ini.")
    body = device_a.push(first, second, first)
    assert body["stopped"] is None and body["acked_seq"] == second.seq
    assert [r["seq"] for r in body["results"]] == [first.seq, first.seq, second.seq]
    assert body["results"][0] == body["results"][1]
    assert backend.count(TimelineEvent, TimelineEvent.complaint_id == cid) == 3
    changed = first.model_copy(update={"payload_hash": "0" * 64})
    stopped = device_a.push(device_a.note(cid, "Catatan ketiga."), changed)
    assert stopped["stopped"] == "client_diverged"


def _stored_times(backend: Backend, cids: list[str], seqs: list[int]) -> list[tuple[str, Any]]:
    """The times the database holds for these complaints, their events, change-log rows and stored results, as it
    holds them (on SQLite their text), without their ids."""
    marks = {"cids": tuple(cids), "seqs": tuple(seqs)}
    queries = {
        "complaint": "SELECT updated_at FROM complaints WHERE id IN :cids",
        "event": "SELECT at FROM timeline_events WHERE complaint_id IN :cids AND kind = 'NOTE'",
        "change": "SELECT created_at FROM change_log WHERE entity_id IN :cids OR entity_id IN "
                  "(SELECT id FROM timeline_events WHERE complaint_id IN :cids AND kind = 'NOTE')",
        "result": "SELECT applied_at FROM mutation_records WHERE seq IN :seqs",
    }
    with backend.db.transaction() as session:
        return sorted((name, value) for name, sql in queries.items()
                      for value in session.execute(text(sql).bindparams(*(bindparam(key, expanding=True)
                                                                          for key in marks if f":{key}" in sql)),
                                                   {key: v for key, v in marks.items() if f":{key}" in sql}).scalars())


def test_a_run_stores_its_times_as_one_at_a_time_does(backend: Backend, device_a: Device, runs: list[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """On SQLite a time is text that SQL compares and sorts: a run's rows hold the same text as the ORM's (six
    decimals, also at a whole second, as the test's clock stands), so that its times and the others' compare as
    the times they are."""
    cids = [device_a.push_one(device_a.intake())["entity_id"] for _ in range(4)]
    notes = [device_a.note(cid, "Petugas sudah meninjau lokasi.") for cid in cids[:2]]
    assert device_a.push(*notes)["stopped"] is None
    assert runs == ["whole"]
    monkeypatch.setattr(apply_batch, "RUN_KINDS", frozenset())
    singles = [device_a.note(cid, "Petugas sudah meninjau lokasi.") for cid in cids[2:]]
    assert device_a.push(*singles)["stopped"] is None
    assert runs == ["whole"]

    in_run = _stored_times(backend, cids[:2], [m.seq for m in notes])
    one_at_a_time = _stored_times(backend, cids[2:], [m.seq for m in singles])
    assert {name for name, _ in in_run} == {"complaint", "event", "change", "result"}
    assert in_run == one_at_a_time


def test_a_complaint_read_ahead_holds_what_the_orm_reads(backend: Backend, device_a: Device) -> None:
    """A run reads its complaints as plain rows (server.run_rows), not ORM instances: every column's value and type as
    the ORM has them (a time with its zone, a date, a flag), and nothing written back that was only read."""
    cids, versions = [], []
    for i in range(3):
        result = device_a.push_one(device_a.intake(title=f"Saluran air tersumbat di blok {i + 1}"))
        cids.append(result["entity_id"])
        versions.append(int(result["server_version"]))
    _close(device_a, cids[0], versions[0])  # its closing and disposal times set, the others' empty
    with backend.db.transaction() as session:
        orm = {cid: session.get(Complaint, cid) for cid in cids}
        session.expunge_all()
        rows = run_rows.read_complaints(session, cids)
        assert sorted(row.id for row in rows) == sorted(cids)
        for row in rows:
            expected = orm[row.id]
            for name in run_rows.COMPLAINT_COLUMNS:
                value, want = getattr(row, name), getattr(expected, name)
                assert (type(value), value) == (type(want), want), (name, value, want)
            assert row.changes() == {}, row.changes()
        assert any(row.closed_at is not None for row in rows) and any(row.closed_at is None for row in rows)
        set_again = rows[0]
        for name in run_rows.COMPLAINT_COLUMNS:
            setattr(set_again, name, getattr(orm[set_again.id], name))
        assert set_again.changes() == {}
        set_again.is_anonymous = not set_again.is_anonymous
        set_again.title = "Saluran air tersumbat di blok tiga"
        assert set_again.changes() == {"is_anonymous": set_again.is_anonymous, "title": set_again.title}
        session.rollback()
