"""A push of several batches overlaps with its answers: once an answer is plain, the next batch is already on its way
while the PC writes that answer down (sync.engine.SyncEngine.push). Shown by the PC's own steps: each answer but the
last is recorded only after the next batch has been handed to the transport. (It once never happened: every answer
of a protocol-4 server carries the device's state, which the overlap had taken for something to catch up with.)"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import func, select

from server.models import MutationRecord
from sync import engine as engine_module
from sync.engine import SyncEngine
from sync.protocol import PushRequest, PushStop
from tests.sync.fleet import PC, Fleet

BATCH = 3
WAIT = 30.0  # seconds a recording waits for the next batch to be sent; only reached when nothing overlaps


def _batches_to_push(fleet: Fleet, monkeypatch: pytest.MonkeyPatch, batches: int) -> tuple[PC, list[str]]:
    """A PC enrolled and caught up (the era is known), with ``batches`` batches of intakes to push."""
    monkeypatch.setattr(engine_module, "PUSH_BATCH", BATCH)
    pc = fleet.pc(fleet.office())
    pc.sync()
    return pc, [pc.intake(40 + i) for i in range(batches * BATCH)]


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_the_next_batch_is_sent_while_an_answer_is_recorded(fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    pc, made = _batches_to_push(fleet, monkeypatch, 3)
    sent: list[threading.Event] = []
    overlapped: list[bool] = []
    shipped_send, shipped_record = SyncEngine._send, SyncEngine._record_results

    answered = [threading.Event() for _ in range(3)]

    def send(self: SyncEngine, body: PushRequest) -> Any:
        started = threading.Event()
        sent.append(started)
        started.set()
        batch = (body.mutations[0].seq - 1) // BATCH
        if batch:  # on the wire in order (a batch overtaking the one before: the last test below)
            assert answered[batch - 1].wait(WAIT)
        answer = shipped_send(self, body)
        answered[batch].set()
        return answer

    def record(self: SyncEngine, response: Any, report: Any) -> None:
        answered = len(overlapped)
        if answered < 2:  # every answer but the last has a batch after it
            overlapped.append(sent_after(answered).wait(WAIT))
        else:
            overlapped.append(False)
        shipped_record(self, response, report)

    def sent_after(answered: int) -> threading.Event:
        for _ in range(int(WAIT * 100)):
            if len(sent) > answered + 1:
                return sent[answered + 1]
            threading.Event().wait(0.01)
        return threading.Event()  # never set: the wait above fails

    monkeypatch.setattr(SyncEngine, "_send", send)
    monkeypatch.setattr(SyncEngine, "_record_results", record)
    report = pc.sync()
    assert (report.pushed, report.applied) == (len(made), len(made))
    assert len(sent) == 3 and overlapped == [True, True, False]
    pc.assert_converged()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_the_next_batch_is_sent_before_the_answer_to_this_one(fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server takes a PC's batches in the order they came, so the next one need not wait for this one's answer:
    the first answer is held back here until the second batch has been handed to the transport."""
    pc, made = _batches_to_push(fleet, monkeypatch, 2)
    second_sent = threading.Event()
    held_back: list[bool] = []
    shipped_send = SyncEngine._send

    def send(self: SyncEngine, body: PushRequest) -> Any:
        if held_back:
            second_sent.set()
            return shipped_send(self, body)
        held_back.append(False)
        answer = shipped_send(self, body)
        held_back[0] = second_sent.wait(WAIT)  # only reached in full when the second batch waits for this answer
        return answer

    monkeypatch.setattr(SyncEngine, "_send", send)
    report = pc.sync()
    assert held_back == [True]
    assert (report.pushed, report.applied) == (len(made), len(made))
    pc.assert_converged()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_an_answer_that_is_not_plain_sets_the_next_one_aside(fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first answer says the server lacks this PC's earlier changes (a gap): it is handled with nothing in flight,
    the answer to the batch already sent after it is set aside, and both batches go again. The server answers them
    from its stored results: every change applied once."""
    pc, made = _batches_to_push(fleet, monkeypatch, 2)
    sent: list[list[int]] = []
    shipped_send = SyncEngine._send

    def send(self: SyncEngine, body: PushRequest) -> Any:
        seqs = [m.seq for m in body.mutations]
        first_sent = not sent
        sent.append(seqs)
        answer = shipped_send(self, body)
        if first_sent:
            return answer.model_copy(update={"results": [], "acked_seq": seqs[0] - 1, "stopped": PushStop.GAP})
        return answer

    monkeypatch.setattr(SyncEngine, "_send", send)
    report = pc.sync()
    first, second = sent[0], sent[1]
    # Both go again. (The second more than once: the answer to the first one sent again says the server holds
    # this PC's changes beyond it, the second batch's that were set aside, so that answer is not plain either.)
    assert sent[2] == first and second in sent[3:] and first not in sent[3:]
    assert (report.pushed, report.applied) == (len(made), len(made))
    assert pc.pending() == 0
    with pc.office.server.db.transaction() as s:
        stored = select(func.count()).select_from(MutationRecord).where(MutationRecord.client_id == pc.engine.client_id)
        assert s.execute(stored).scalar_one() == len(made)
    pc.assert_converged()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_a_batch_that_overtook_the_one_before_goes_again(fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch held up on its way (the transport sending it again after a dropped connection) is overtaken by the
    next one, which the server answers with a gap. Once the held-up one is answered, that gap is out of date: the
    PC sends the later batch again and keeps the answers it has (no change is counted, nor sent, twice)."""
    pc, made = _batches_to_push(fleet, monkeypatch, 3)
    third_answered = threading.Event()
    sent: list[int] = []
    shipped_send = SyncEngine._send

    def send(self: SyncEngine, body: PushRequest) -> Any:
        first_seq = body.mutations[0].seq
        sent.append(first_seq)
        if first_seq == BATCH + 1:
            assert third_answered.wait(WAIT)  # the second batch is held up until the third is answered
        answer = shipped_send(self, body)
        if first_seq == 2 * BATCH + 1:
            third_answered.set()
        return answer

    monkeypatch.setattr(SyncEngine, "_send", send)
    report = pc.sync()
    assert sent == [1, BATCH + 1, 2 * BATCH + 1, 2 * BATCH + 1]
    assert (report.pushed, report.applied) == (len(made), len(made))
    assert pc.pending() == 0
    pc.assert_converged()
