"""The server's truth reaches every PC, and nothing more: a change the server refused is undone on the PC that made it
by its next sync; a PC's own changes applied exactly as it made them are not sent back to it (it stamps its copy
from the push results), while a change merged with another PC's is; an edit's timeline entry keeps its id on the
server; and a conflict decided with "keep mine" ends with mine on both PCs and the server."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import EventKind
from app.models import OutboxEntry, TimelineEvent
from app.rules.scope import Scope
from app.services.conflicts import list_conflicts, open_conflict_count, resolve_conflict
from app.services.context import ServiceContext
from app.timeutil import utcnow
from server import admin
from server import models as srv
from sync import engine as engine_module
from sync.apply_pull import PageResult
from sync.protocol import Change, ChangeLike, SnapshotTables
from tests.sync.checks import assert_no_duplicates, assert_outbox_settled
from tests.sync.fleet import Fleet

FIRST_TITLE = "Jalan berlubang besar di depan Pasar Sleman"
SECOND_TITLE = "Jalan rusak parah di depan Pasar Sleman"


def pulled(monkeypatch: pytest.MonkeyPatch) -> list[ChangeLike]:
    """Every change the engine receives from now on (complaints, events, attachments, accounts)."""
    seen: list[ChangeLike] = []
    real = engine_module.apply_changes

    def recording(ctx: ServiceContext, session: Session, changes: list[Change], office_id: str, *,
                  tables: SnapshotTables | None = None) -> PageResult:
        seen.extend(tables.as_snapshot().as_changes() if tables is not None else [])
        seen.extend(changes)
        return real(ctx, session, changes, office_id, tables=tables)

    monkeypatch.setattr(engine_module, "apply_changes", recording)
    return seen


def test_a_refused_change_is_undone_by_the_next_sync(fleet: Fleet) -> None:
    """The admin account was disabled centrally while the PC was offline: the PC's edit and note are refused, and
    its next sync puts its copy back to the server's (the title it had, no note)."""
    office = fleet.office()
    pc = fleet.pc(office)
    cid = pc.intake(1)
    pc.sync()
    before = pc.complaint(cid)
    assert before is not None
    pc.edit(cid, title=FIRST_TITLE)
    note = pc.note(cid, "Catatan yang akan ditolak server")
    with office.server.db.transaction() as s:
        user = s.get(srv.User, office.admin)
        assert user is not None
        admin.set_user_active(s, user.username, False, utcnow())

    report = pc.sync()
    assert [r.code for r in report.rejected] == ["permission_denied", "permission_denied"]
    after = pc.complaint(cid)
    assert after is not None and after.title == before.title
    with pc.store.read() as s:
        assert s.get(TimelineEvent, note) is None
        assert s.execute(select(TimelineEvent.id).where(TimelineEvent.complaint_id == cid,
                                                        TimelineEvent.kind == EventKind.EDITED)).first() is None
    pc.assert_converged()
    assert_outbox_settled(pc, allowed=("applied", "rejected"))


def test_own_changes_are_not_echoed(fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    office = fleet.office()
    a, b = fleet.pc(office), fleet.pc(office)
    shared = [a.intake(n) for n in range(3)]
    a.sync()
    b.sync()

    # Offline: new complaints taken in and worked on, edits of two fields each.
    new = a.intake(10)
    a.dispose(new)
    a.note(new, "Tim sudah meninjau lokasi")
    for n, cid in enumerate(shared):
        a.edit(cid, title=f"{FIRST_TITLE} nomor {n}", address=f"Jl. Kaliurang km {n + 5}")
    received = pulled(monkeypatch)
    report = a.sync()
    assert report.pushed == 6 and report.applied == 6
    assert received == []  # nothing came back over the wire
    a.assert_converged()  # server versions and update times stamped from the push results
    assert_outbox_settled(a)
    assert a.sync_until_quiet().pushed == 0

    report = b.sync()
    assert report.pulled_complaints == 4 and len(received) > 4  # every other PC gets them
    b.assert_converged()
    assert_no_duplicates(fleet.server.db, office.id)


def test_an_edit_merged_with_another_pcs_is_sent(fleet: Fleet) -> None:
    office = fleet.office()
    a, b = fleet.pc(office), fleet.pc(office)
    cid = a.intake(1)
    a.sync()
    b.sync()
    b.edit(cid, address="Jl. Magelang km 10")
    b.sync()
    a.edit(cid, title=FIRST_TITLE)  # A has not seen B's edit
    report = a.sync()
    assert report.merged == 1 and report.pulled_complaints == 1
    c = a.complaint(cid)
    assert c is not None and (c.title, c.address) == (FIRST_TITLE, "Jl. Magelang km 10")
    a.assert_converged()
    b.sync()
    b.assert_converged()


def test_an_edit_keeps_its_timeline_entry_id(fleet: Fleet) -> None:
    office = fleet.office()
    a, b = fleet.pc(office), fleet.pc(office)
    cid = a.intake(1)
    a.sync()
    a.edit(cid, title=FIRST_TITLE)
    a.edit(cid, title=SECOND_TITLE)  # two edits in the same second of the clock
    with a.store.read() as s:
        local = list(s.execute(select(TimelineEvent.id).where(
            TimelineEvent.complaint_id == cid, TimelineEvent.kind == EventKind.EDITED).order_by(TimelineEvent.id))
            .scalars())
        sent = [json.loads(e.args_json)["event"]["id"] for e in s.execute(
            select(OutboxEntry).where(OutboxEntry.name == "complaint.edit").order_by(OutboxEntry.seq)).scalars()]
    assert sent == local and len(set(local)) == 2
    a.sync()
    b.sync()
    with fleet.server.db.transaction() as s:
        stored = sorted(s.execute(select(srv.TimelineEvent.id).where(
            srv.TimelineEvent.complaint_id == cid, srv.TimelineEvent.kind == EventKind.EDITED)).scalars())
    assert stored == sorted(local)
    for pc in (a, b):
        pc.assert_converged()
    assert_no_duplicates(fleet.server.db, office.id)


def test_keep_mine_ends_with_mine_everywhere(fleet: Fleet) -> None:
    office = fleet.office()
    a, b = fleet.pc(office), fleet.pc(office)
    cid = a.intake(2)
    a.sync()
    b.sync()
    a.edit(cid, title=FIRST_TITLE)
    b.edit(cid, title=SECOND_TITLE)
    a.sync()
    assert b.sync().conflicts >= 1  # the push answer and the review queue item

    (item,) = list_conflicts(b.ctx, office.admin)
    assert (item.complaint_id, item.field, item.mine, item.theirs) == (cid, "title", SECOND_TITLE, FIRST_TITLE)
    local = b.complaint(cid)
    assert local is not None and local.title == FIRST_TITLE  # the pull already shows theirs
    assert open_conflict_count(b.ctx, Scope.whole_office(office.id)) == 1
    resolve_conflict(b.ctx, office.admin, item.id, choice="mine")
    assert open_conflict_count(b.ctx, Scope.whole_office(office.id)) == 0
    report = b.sync()
    assert report.applied == 1 and report.conflicts == 0
    a.sync()

    with fleet.server.db.transaction() as s:
        stored = s.get(srv.Complaint, cid)
        assert stored is not None and stored.title == SECOND_TITLE
    for pc in (a, b):
        c = pc.complaint(cid)
        assert c is not None and c.title == SECOND_TITLE, pc.name
        pc.assert_converged()
    assert_no_duplicates(fleet.server.db, office.id)
