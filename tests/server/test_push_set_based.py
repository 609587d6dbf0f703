"""The set-based apply of a push batch (server.apply_batch's runs over plain rows, server.run_rows) leaves the
server's database exactly as applying the same batch one mutation at a time, each in its own savepoint, does.

One seeded database; the same varied batch (intakes, edits, follow-ups, notes, attachments, a conflict, refusals of
every kind, a run that fails halfway) is applied twice, each time in a transaction that is rolled back afterwards:
once one at a time, once set-based. Every row of every table is read inside each transaction and compared, with the
server's own new ids made the same both times."""

from __future__ import annotations

import itertools
import sys
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import EventKind, Role, Status
from app.ids import new_id
from server import apply_batch, auth, changelog, kpi_national
from server.models import ChangeLogEntry, Complaint, Device, ServerBase
from sync.protocol import Mutation
from tests.server.support import Backend, SeededOffice, enrol
from tests.server.support import Device as PC
from tests.server.test_push import _close

SHA = "cd" * 32


def _same_new_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ids the server makes (a conflict's or a refused step's timeline entry) counted from one, so that both
    ways of applying make the same ones."""
    counter = itertools.count(1)

    def made() -> str:
        return f"00000000-0000-7000-8000-{next(counter):012d}"

    for name, module in list(sys.modules.items()):
        if name.startswith("server.") and getattr(module, "new_id", None) is new_id:
            monkeypatch.setattr(module, "new_id", made)


def _edit(pc: PC, cid: str, fields: dict[str, Any], base_version: int, *, at: str | None = None) -> Mutation:
    """An edit as the desktop sends it: the fields and its EDITED timeline entry."""
    event = {"id": new_id(), "complaint_id": cid, "kind": EventKind.EDITED, "at": at or pc.backend.clock().isoformat(),
             "actor_user_id": pc.office.admin, "data_json": '{"changes": "synthetic"}'}
    return pc.mutation("complaint.edit", cid, {"fields": fields, "event": event}, user_id=pc.office.admin,
                       base_version=base_version)


def _seeded(pc: PC, other_pc: PC, stranger: SeededOffice, elsewhere: str) -> list[Mutation]:
    """Fourteen complaints in the states the batch needs, then the batch, in seq order without gaps."""
    cids, versions = [], []
    for i in range(14):
        result = pc.push_one(pc.intake(title=f"Saluran air tersumbat di blok {i + 1}"))
        cids.append(result["entity_id"])
        versions.append(int(result["server_version"]))
    versions[1] = int(pc.push_one(pc.dispose(cids[1], versions[1]))["server_version"])
    versions[2] = _close(pc, cids[2], versions[2])
    # Another PC of the office changes a title after this PC's base (a conflict) and disposes one (already there).
    other_pc.push_one(_edit(other_pc, cids[3], {"title": "Saluran air tersumbat, versi PC lain"}, versions[3]))
    other_pc.push_one(other_pc.dispose(cids[8], versions[8]))
    office = pc.office
    # A step the server refused: sent again (its entry's id) it stays refused.
    refused = pc.transition(cids[12], "close", Status.BELUM_TERVERIFIKASI, Status.SELESAI, user_id=office.admin,
                            base_version=versions[12])
    assert pc.push_one(refused)["code"] == "transition_rejected"
    versions[12] = _version(pc, cids[12])
    pc.backend.clock.advance(hours=1)  # the step a late follow-up is dated after is not the complaint's receipt
    versions[13] = int(pc.push_one(pc.dispose(cids[13], versions[13]))["server_version"])
    first = next(pc.seq)  # the batch's first seq (building it takes seqs; they are numbered again below)
    again = pc.dispose(cids[12], versions[12])
    again.args["event"]["id"] = refused.args["event"]["id"]
    early = pc.transition(cids[13], "follow_up", Status.DIDISPOSISIKAN, Status.DITINDAKLANJUTI,
                          user_id=office.users[Role.PENGHUBUNG], base_version=versions[13],
                          text="Sudah ditangani sebelum disposisi tercatat.")
    early.args["event"]["at"] = "2020-01-01T08:00:00+07:00"  # before the step it follows: dated just after it
    intake_x, intake_y = pc.intake(title="Lampu taman mati sejak kemarin"), pc.intake(title="Trotoar retak")
    batch = [
        intake_x,
        _edit(pc, intake_x.entity_id, {"address": "Jl. Solo km 9"}, 1),
        _edit(pc, cids[0], {"title": "Saluran air tersumbat parah", "address": "Jl. Kaliurang km 5"}, versions[0]),
        pc.note(cids[0], "Warga menambahkan foto lewat telepon."),  # the same complaint again: a new run
        pc.transition(cids[1], "follow_up", Status.DIDISPOSISIKAN, Status.DITINDAKLANJUTI,
                      user_id=office.users[Role.PENGHUBUNG], base_version=versions[1],
                      text="Saluran sudah dibersihkan oleh Dinas PU."),
        _edit(pc, cids[3], {"title": "Saluran air tersumbat, versi PC ini"}, versions[3]),  # conflict
        _edit(pc, cids[4], {"title": "ab"}, versions[4]),  # refused: too short
        pc.note(elsewhere, "Mengintip laporan kantor lain."),  # refused: not found
        pc.note(cids[5], "Bukan pengguna instansi ini.", user_id=stranger.admin),  # refused: another office's
        pc.attach(cids[5], SHA, 4096),
        pc.dispose(cids[6], versions[6], user_id=office.users[Role.PENGHUBUNG]),  # refused: not this role's
        pc.transition(cids[7], "close", Status.BELUM_TERVERIFIKASI, Status.SELESAI, user_id=office.admin,
                      base_version=versions[7]),  # refused: not a step from here, its entry recorded
        _edit(pc, cids[2], {"address": "Jl. Monjali km 2"}, versions[2]),  # refused: closed
        pc.note(cids[2], "Warga menelepon lagi setelah selesai."),  # kept, flagged after close
        pc.dispose(cids[8], versions[8]),  # already there
        _edit(pc, cids[9], {"address": "Jl. Magelang km 4"}, versions[9], at="2026-03-02T09:00:00"),  # fails a run
        pc.note(cids[10], "Petugas sudah meninjau lokasi."),
        intake_y,
        pc.note(intake_y.entity_id, "Dicatat dari loket."),
        _edit(pc, cids[11], {"address": "Jl. Godean km 3"}, versions[11]),
        pc.dispose(cids[10], versions[10]),
        pc.mutation(again.name, again.entity_id, again.args, user_id=again.user_id, base_version=again.base_version),
        early,
    ]
    pc.seq = itertools.count(first + len(batch))
    return [pc.mutation(m.name, m.entity_id, m.args, user_id=m.user_id, base_version=m.base_version, seq=first + i)
            for i, m in enumerate(batch)]


def _version(pc: PC, cid: str) -> int:
    with pc.backend.db.transaction() as session:
        c = session.get(Complaint, cid)
        assert c is not None
        return c.version


def _applied(backend: Backend, pc: PC, batch: list[Mutation], now: datetime,
             monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], dict[str, list[tuple[Any, ...]]]]:
    """The batch applied as the push route applies it, in a transaction that is rolled back: the results (as JSON)
    and every table's rows as that transaction saw them before its commit."""
    _same_new_ids(monkeypatch)
    with Session(backend.db.engine, expire_on_commit=False) as session, session.begin() as txn:
        ident = auth.device_from_token(session, f"Bearer {pc.token}", now)
        device = session.get(Device, ident.device_id, with_for_update=True, populate_existing=True)
        assert device is not None
        xid = changelog.current_xid(session)
        planned = apply_batch.plan(session, device, batch)
        assert planned.stopped is None
        applied = apply_batch.apply_planned(session, ident, device, planned.todo, now)
        kpi_national.before_commit(session)  # what the commit would do
        session.flush()
        tables = {table.name: _rows(session, table, xid) for table in ServerBase.metadata.sorted_tables}
        txn.rollback()
    return [applied[m.seq].model_dump_json() for m in batch], tables


def _rows(session: Session, table: Any, xid: int) -> list[tuple[Any, ...]]:
    """A table's rows in key order. The change log's ids and this transaction's id are numbered by the database
    (PostgreSQL does not give back a rolled-back sequence's numbers): the rows keep their order, and this
    transaction's id is named as such."""
    if table.name == ChangeLogEntry.__tablename__:
        rows = session.execute(select(table).order_by(table.c.id)).mappings()
        return [tuple(("push" if k == "xid" and v == xid else v) for k, v in row.items() if k != "id") for row in rows]
    return [tuple(row) for row in session.execute(select(table).order_by(*table.primary_key.columns))]


def test_a_varied_batch_set_based_ends_exactly_as_one_at_a_time(
        backend: Backend, device_a: PC, office_b: SeededOffice, runs: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    stranger_pc = enrol(backend, office_b, "PC kantor lain")
    elsewhere = stranger_pc.push_one(stranger_pc.intake())["entity_id"]
    batch = _seeded(device_a, enrol(backend, device_a.office, "PC loket 2"), office_b, elsewhere)
    now = backend.clock()

    with monkeypatch.context() as one_at_a_time:
        one_at_a_time.setattr(apply_batch, "RUN_KINDS", frozenset())
        old_results, old_tables = _applied(backend, device_a, batch, now, one_at_a_time)
    assert runs == []  # no run at all
    new_results, new_tables = _applied(backend, device_a, batch, now, monkeypatch)
    assert "whole" in runs and "one at a time" in runs, runs  # runs applied whole, and one that failed halfway

    assert new_results == old_results
    statuses = [r.split('"status":"')[1].split('"')[0] for r in new_results]
    assert statuses == ["applied", "applied", "applied", "applied", "applied", "conflict", "rejected", "rejected",
                        "rejected", "applied", "rejected", "rejected", "rejected", "merged", "merged", "rejected",
                        "applied", "applied", "applied", "applied", "applied", "rejected", "applied"], statuses
    assert old_tables.keys() == new_tables.keys()
    for name in old_tables:
        assert new_tables[name] == old_tables[name], name
    # The batch did change the database (the comparison is not of two untouched copies).
    assert len(new_tables["mutation_records"]) >= len(batch)

