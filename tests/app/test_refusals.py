"""A complaint the server refused to take in stays a problem on the PC until someone sends it again (after fixing
it) or withdraws it; nothing is deleted (app.services.refusals)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from app import services
from app.domain import EventKind, Role, Status
from app.errors import InvalidTransition, PermissionDenied
from app.models import Complaint, OutboxEntry, TimelineEvent
from app.read import search
from app.rules import tracking
from app.services import refusals
from app.services.workflow_actions import dispose
from sync.capture import OutboxCapture
from tests.helpers.world import World

# These tests read the query layer for the whole office on purpose (a bare office id; app.rules.scope).
pytestmark = pytest.mark.filterwarnings("ignore::app.rules.scope.UnscopedRead")

MESSAGE = "Pengguna tidak terdaftar atau tidak aktif di instansi perangkat ini."


@pytest.fixture
def w(world: World) -> World:
    world.ctx.capture = OutboxCapture(world.clock)
    return world


def outbox(world: World) -> list[OutboxEntry]:
    with world.store.read() as s:
        rows = list(s.execute(select(OutboxEntry).order_by(OutboxEntry.seq)).scalars())
        s.expunge_all()
        return rows


def answer(world: World, seq: int, status: str, code: str | None = None, message: str | None = None) -> None:
    """What the sync engine writes when the server answers this outbox row."""
    result = {"seq": seq, "mutation_id": "m", "status": status, "entity_id": "c", "code": code, "message": message}
    with world.store.transaction() as s:
        s.execute(update(OutboxEntry).where(OutboxEntry.seq == seq).values(
            acked_at=world.clock(), result_status=status, result_json=json.dumps(result)))


def refused(world: World) -> list[refusals.RefusedIntake]:
    with world.store.read() as s:
        return refusals.refused_intakes(s, world.office_id)


def intake_refused(world: World) -> str:
    cid = world.new_complaint()
    (row,) = [e for e in outbox(world) if e.entity_id == cid]
    answer(world, row.seq, "rejected", "permission_denied", MESSAGE)
    return cid


def test_a_refused_intake_stays_a_problem_until_sent_again(w: World) -> None:
    cid = intake_refused(w)
    accepted = w.new_complaint(title="Lampu jalan mati di depan sekolah")
    answer(w, outbox(w)[-1].seq, "applied")
    (problem,) = refused(w)
    assert (problem.complaint_id, problem.code, problem.message) == (cid, "permission_denied", MESSAGE)
    with w.store.read() as s:
        assert refusals.standing_seqs(s) == {problem.seq}
    assert problem.tracking_code.startswith("3404") and accepted != cid

    w.clock.advance(hours=1)
    seq = refusals.resend_intake(w.ctx, w.users[Role.ADMIN_INSTANSI], cid)
    assert seq == problem.seq
    again = outbox(w)[-1]
    assert (again.name, again.entity_id, again.user_id) == ("complaint.intake", cid, w.users[Role.ADMIN_INSTANSI])
    assert again.seq > problem.seq and again.acked_at is None
    args = json.loads(again.args_json)
    assert args["complaint"]["tracking_code"] == problem.tracking_code  # the citizen's receipt code stays
    assert args["event"]["kind"] == EventKind.RECEIVED
    assert refused(w) == []  # waiting to be sent: no longer a refusal

    answer(w, again.seq, "rejected", "validation", "Data tidak valid")
    (still,) = refused(w)
    assert (still.seq, still.message) == (again.seq, "Data tidak valid")
    answer(w, again.seq, "applied")
    assert refused(w) == []


def test_sending_again_goes_back_to_received_for_steps_that_never_reached_the_server(w: World) -> None:
    cid = intake_refused(w)
    dispose(w.ctx, w.users[Role.ADMIN_INSTANSI], cid, unit_id=next(iter(w.units.values())))
    refusals.resend_intake(w.ctx, w.users[Role.PETUGAS_LOKET], cid)
    args = json.loads(outbox(w)[-1].args_json)["complaint"]
    assert (args["status"], args["unit_id"], args["disposed_at"]) == (Status.BELUM_TERVERIFIKASI, None, None)
    with w.store.read() as s:
        c = s.get(Complaint, cid)
        assert c is not None and c.status == Status.BELUM_TERVERIFIKASI and c.step_due_at is not None


def test_withdrawing_keeps_the_complaint_archived_with_the_reason_and_sends_nothing(w: World) -> None:
    cid = intake_refused(w)
    with pytest.raises(PermissionDenied):
        refusals.withdraw_intake(w.ctx, w.users[Role.PETUGAS_LOKET], cid)
    before = len(outbox(w))
    w.clock.advance(hours=1)
    refusals.withdraw_intake(w.ctx, w.users[Role.ADMIN_INSTANSI], cid, "  Pelapor akan datang lagi  ")
    assert len(outbox(w)) == before  # the server never had it: nothing to tell it
    assert refused(w) == []
    with w.store.read() as s:
        c = s.get(Complaint, cid)
        assert c is not None and c.status == Status.DIARSIPKAN and c.next_due_at is None
        last = s.execute(select(TimelineEvent).where(TimelineEvent.complaint_id == cid)
                         .order_by(TimelineEvent.at.desc())).scalars().first()
        assert last is not None and last.kind == EventKind.ARCHIVED and last.text == "Pelapor akan datang lagi"
        data = json.loads(last.data_json or "{}")
        assert data["reason"] == MESSAGE and data[refusals.WITHDRAWN]["code"] == "permission_denied"
    with pytest.raises(InvalidTransition):
        refusals.resend_intake(w.ctx, w.users[Role.ADMIN_INSTANSI], cid)


def test_only_a_standing_refusal_can_be_sent_again_or_withdrawn(w: World) -> None:
    cid = w.new_complaint()
    with pytest.raises(InvalidTransition):
        refusals.resend_intake(w.ctx, w.users[Role.ADMIN_INSTANSI], cid)
    answer(w, outbox(w)[-1].seq, "applied")
    with pytest.raises(InvalidTransition):
        refusals.withdraw_intake(w.ctx, w.users[Role.ADMIN_INSTANSI], cid)


def test_changes_made_before_sending_again_went_with_it(w: World) -> None:
    cid = intake_refused(w)
    services.add_note(w.ctx, w.users[Role.ADMIN_INSTANSI], cid, text="Sudah dicek ke lapangan")
    note = outbox(w)[-1].seq
    other = w.new_complaint(title="Lampu jalan mati di depan sekolah")
    services.add_note(w.ctx, w.users[Role.ADMIN_INSTANSI], other, text="Sudah dicek ke lapangan")
    other_note = outbox(w)[-1].seq
    with w.store.read() as s:
        assert refusals.sent_again(s, [(note, cid), (other_note, other)]) == set()
    refusals.resend_intake(w.ctx, w.users[Role.ADMIN_INSTANSI], cid)
    with w.store.read() as s:
        assert refusals.sent_again(s, [(note, cid), (other_note, other)]) == {note}


def test_a_tracking_code_the_server_already_gave_away_is_replaced_on_resend(w: World) -> None:
    """The data folder was put back whole and issued a code again: the resend carries this PC's next code, and
    the timeline tells the office to give the citizen the new one."""
    cid = w.new_complaint()
    (row,) = [e for e in outbox(w) if e.entity_id == cid]
    answer(w, row.seq, "rejected", refusals.DUPLICATE_CODE, "Kode pelacakan ini sudah dipakai laporan lain.")
    (problem,) = refused(w)
    later = w.new_complaint(title="Lampu jalan mati di depan sekolah")

    refusals.resend_intake(w.ctx, w.users[Role.PETUGAS_LOKET], cid)

    args = json.loads(outbox(w)[-1].args_json)
    new_code = args["complaint"]["tracking_code"]
    with w.store.read() as s:
        codes = {c.id: c.tracking_code for c in s.execute(select(Complaint)).scalars()}
        notes = list(s.execute(select(TimelineEvent.text).where(TimelineEvent.complaint_id == cid,
                                                                TimelineEvent.kind == EventKind.NOTE)).scalars())
    assert new_code == codes[cid] and new_code not in (problem.tracking_code, codes[later])
    assert tracking.parse(new_code).seq > tracking.parse(codes[later]).seq
    (note,) = notes
    assert problem.tracking_code in (note or "") and new_code in (note or "")
    assert refused(w) == []
    with w.store.read() as s:
        assert search.search_ids(s, new_code, office_id=w.office_id, can_see_anonymous=True, limit=5) == [cid]
