"""Two PCs of one office change the same complaint while both are offline: different fields are both kept; the same
field keeps the first value that reached the server and puts both values in each PC's review queue."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app import services
from app.domain import EventKind, Status
from app.services.conflicts import list_conflicts, resolve_conflict
from app.timeutil import utcnow
from server import models as srv
from sync.engine import SyncReport
from sync.transport import ServerUnreachable
from tests.sync.checks import assert_no_duplicates, assert_outbox_settled
from tests.sync.faultproxy import FaultProxy
from tests.sync.fleet import Fleet

FIRST_TITLE = "Jalan berlubang besar di depan Pasar Sleman"
SECOND_TITLE = "Jalan rusak parah di depan Pasar Sleman"


def test_different_fields_are_both_kept(fleet: Fleet) -> None:
    office = fleet.office()
    a, b = fleet.pc(office), fleet.pc(office)
    cid = a.intake(1)
    a.sync()
    b.sync()

    a.edit(cid, title=FIRST_TITLE)
    b.edit(cid, description="Lubang di jalan depan pasar semakin lebar setelah hujan deras semalam.",
           address="Jl. Magelang km 10")
    a.sync()
    report = b.sync()
    assert report.merged == 1 and report.conflicts == 0
    a.sync()

    for pc in (a, b):
        c = pc.complaint(cid)
        assert c is not None
        assert c.title == FIRST_TITLE
        assert c.description.startswith("Lubang di jalan depan pasar")
        assert c.address == "Jl. Magelang km 10"
        assert pc.conflicts() == []
        assert_outbox_settled(pc)
        pc.assert_converged()


def test_same_field_goes_to_both_review_queues(fleet: Fleet) -> None:
    office = fleet.office()
    a, b = fleet.pc(office), fleet.pc(office)
    cid = a.intake(2)
    a.sync()
    b.sync()

    a.edit(cid, title=FIRST_TITLE, is_supervisory=True)
    b.edit(cid, title=SECOND_TITLE, address="Jl. Kaliurang km 5")
    a.sync()
    report = b.sync()
    assert report.conflicts >= 1
    a.sync()

    for pc in (a, b):
        c = pc.complaint(cid)
        assert c is not None
        assert c.title == FIRST_TITLE  # the first to reach the server
        assert c.is_supervisory and c.address == "Jl. Kaliurang km 5"  # the other fields merged
        items = pc.conflicts()
        assert [(i.complaint_id, i.field) for i in items] == [(cid, "title")], pc.name
        item = items[0]
        assert (json.loads(item.mine_json), json.loads(item.theirs_json)) == (SECOND_TITLE, FIRST_TITLE)
        assert item.resolved_at is None
        pc.assert_converged()
    assert_outbox_settled(a)
    assert_outbox_settled(b, allowed=("applied", "merged", "conflict"))
    assert_no_duplicates(fleet.server.db, office.id)

    # Syncing again adds nothing: one conflict item per PC, not one per pull.
    a.sync()
    b.sync()
    assert len(a.conflicts()) == len(b.conflicts()) == 1


def test_racing_transitions_keep_one_timeline(fleet: Fleet) -> None:
    """Both PCs dispose the same complaint offline; one records the reporter's "not satisfied" on a complaint the
    other closed meanwhile. The timeline keeps one disposition, the refused step becomes a transition_rejected
    event with what the person wrote, and every PC shows the server's state and timeline."""
    office = fleet.office()
    a, b = fleet.pc(office), fleet.pc(office)
    # The third complaint was followed up 12 days ago (a PC that worked offline then): its window is over.
    earlier = fleet.pc(office, clock=lambda: utcnow() - timedelta(days=12))
    first, second, third = a.intake(3), a.intake(4), earlier.intake(5)
    a.dispose(second)
    a.follow_up(second)
    earlier.dispose(third)
    earlier.follow_up(third)
    earlier.sync()
    a.sync()
    b.sync()

    a.dispose(first)
    b.dispose(first, unit=office.units["Dinas Kesehatan"])
    a.close_case(second)
    b.respond(second, satisfied=False, text="Jalan masih berlubang, belum ditambal")
    # The reporter's response window ran out (by the server's clock too): both PCs close it by themselves.
    assert services.apply_auto_closures(a.ctx) == services.apply_auto_closures(b.ctx) == [third]
    a.sync()
    report = b.sync()
    assert [r.code for r in report.rejected] == ["transition_rejected"]
    a.sync()

    for pc in (a, b):
        pc.assert_converged()
        c = pc.complaint(first)
        assert c is not None and c.status == Status.DIDISPOSISIKAN and c.unit_id == office.unit
        c = pc.complaint(second)
        assert c is not None and c.status == Status.SELESAI
    events = list(office.digest().events.values())
    assert len([e for e in events if e["complaint_id"] == first and e["kind"] == EventKind.DISPOSED]) == 1
    rejected = [e for e in events if e["complaint_id"] == second and e["kind"] == EventKind.TRANSITION_REJECTED]
    assert len(rejected) == 1 and rejected[0]["text"] == "Jalan masih berlubang, belum ditambal"
    assert not [e for e in events if e["complaint_id"] == second and e["kind"] == EventKind.REPORTER_RESPONSE]
    assert len([e for e in events if e["complaint_id"] == third and e["kind"] == EventKind.AUTO_CLOSED]) == 1
    assert_no_duplicates(fleet.server.db, office.id)


def test_state_pulled_while_a_change_waits_arrives_after_the_push(fleet: Fleet) -> None:
    """A pull that runs while this PC still has a change to the complaint waiting (staff kept working during a sync)
    keeps the local state; once the change is pushed, and the server answers "already there" without a newer
    version, the server's state still arrives."""
    office = fleet.office()
    a, b = fleet.pc(office), fleet.pc(office)
    cid = a.intake(5)
    a.sync()
    b.sync()
    a.dispose(cid)
    b.dispose(cid, unit=office.units["Dinas Kesehatan"])
    a.sync()
    b.engine.pull(SyncReport())
    local = b.complaint(cid)
    assert local is not None and local.unit_id == office.units["Dinas Kesehatan"]  # still b's own, while pending
    report = b.sync()
    assert report.merged == 1
    local = b.complaint(cid)
    assert local is not None and local.unit_id == office.unit
    b.assert_converged()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_no_silent_overwrite_when_the_pull_fails_after_a_push(fleet: Fleet, proxy: FaultProxy) -> None:
    """A's push goes through but its pull fails, so A never saw B's new address; A's next edit of the address must
    meet B's as a conflict (both values in the review queue), not overwrite it silently."""
    office = fleet.office()
    a, b = fleet.pc(office), fleet.pc(office)
    cid = a.intake(6)
    a.sync()
    b.sync()
    b.edit(cid, address="Jl. Kaliurang km 5")
    b.sync()
    a.edit(cid, title=FIRST_TITLE)
    proxy.inject("POST", "/api/v1/sync/pull", "drop_before", times=100)
    with pytest.raises(ServerUnreachable):
        a.sync()
    proxy.clear()
    a.edit(cid, address="Jl. Magelang km 10")
    a.sync()
    b.sync()
    with fleet.server.db.transaction() as s:
        stored = s.get(srv.Complaint, cid)
        assert stored is not None and (stored.title, stored.address) == (FIRST_TITLE, "Jl. Kaliurang km 5")
    for pc in (a, b):
        items = [(i.field, json.loads(i.mine_json), json.loads(i.theirs_json)) for i in pc.conflicts()]
        assert items == [("address", "Jl. Magelang km 10", "Jl. Kaliurang km 5")], pc.name
        pc.assert_converged()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_two_offline_edits_of_one_field_keep_the_last(fleet: Fleet) -> None:
    office = fleet.office()
    pc = fleet.pc(office)
    cid = pc.intake(7)
    pc.sync()
    pc.edit(cid, title=FIRST_TITLE)
    pc.edit(cid, title=SECOND_TITLE)
    report = pc.sync()
    assert report.conflicts == 0 and pc.conflicts() == []
    c = pc.complaint(cid)
    assert c is not None and c.title == SECOND_TITLE
    pc.assert_converged()


def test_a_decision_closes_the_item_on_every_pc_and_a_later_pc_sees_it_decided(fleet: Fleet) -> None:
    """One PC keeps the server's title, another types a new address; the office's PCs close those items on their
    next sync, and a PC enrolled afterwards (a download from scratch) shows them decided, by whom and how, while a
    conflict nobody decided yet stays open there too."""
    office = fleet.office()
    a, b = fleet.pc(office), fleet.pc(office)
    decided, undecided = a.intake(8), a.intake(9)
    a.sync()
    b.sync()
    a.edit(decided, title=FIRST_TITLE, address="Jl. Magelang km 10")
    b.edit(decided, title=SECOND_TITLE, address="Jl. Kaliurang km 5")
    a.edit(undecided, title=FIRST_TITLE)
    b.edit(undecided, title=SECOND_TITLE)
    a.sync()
    b.sync()
    a.sync()
    items = {(i.complaint_id, i.field): i.id for i in b.conflicts()}
    assert sorted(items) == sorted([(decided, "title"), (decided, "address"), (undecided, "title")])
    assert {i.id for i in a.conflicts()} == set(items.values())

    resolve_conflict(b.ctx, office.admin, items[decided, "title"], choice="theirs")
    resolve_conflict(a.ctx, office.admin, items[decided, "address"], choice="edit", value="Jl. Kaliurang km 7")
    b.sync()
    a.sync()
    b.sync()

    late = fleet.pc(office, first_sync=False)
    report = late.sync()
    assert report.conflicts == 1  # the one still waiting for someone
    for pc in (a, b, late):
        state = {(i.complaint_id, i.field): (i.resolution, i.resolved_by) for i in pc.conflicts()}
        assert state == {(decided, "title"): ("theirs", office.admin),
                         (decided, "address"): ("edit", office.admin),
                         (undecided, "title"): (None, None)}, pc.name
        assert [v.id for v in list_conflicts(pc.ctx, office.admin)] == [items[undecided, "title"]], pc.name
        c = pc.complaint(decided)
        assert c is not None and (c.title, c.address) == (FIRST_TITLE, "Jl. Kaliurang km 7"), pc.name
        pc.assert_converged()
    assert_outbox_settled(a, allowed=("applied", "merged", "conflict"))
    assert_outbox_settled(b, allowed=("applied", "merged", "conflict"))
    assert_no_duplicates(fleet.server.db, office.id)
