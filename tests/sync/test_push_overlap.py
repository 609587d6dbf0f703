"""A push of several batches overlaps with its answers: once an answer is plain, the next batch is already on its way
while the PC writes that answer down (sync.engine.SyncEngine.push). Shown by the PC's own steps: each answer but the
last is recorded only after the next batch has been handed to the transport. (It once never happened: every answer
of a protocol-4 server carries the device's state, which the overlap had taken for something to catch up with.)"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from sync import engine as engine_module
from sync.engine import SyncEngine
from tests.sync.fleet import Fleet

BATCH = 3
WAIT = 30.0  # seconds a recording waits for the next batch to be sent; only reached when nothing overlaps


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_the_next_batch_is_sent_while_an_answer_is_recorded(fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "PUSH_BATCH", BATCH)
    office = fleet.office()
    pc = fleet.pc(office)
    pc.sync()  # enrolled and caught up: the era is known
    made = [pc.intake(40 + i) for i in range(3 * BATCH)]  # three batches
    sent: list[threading.Event] = []
    overlapped: list[bool] = []
    shipped_send, shipped_record = SyncEngine._send, SyncEngine._record_results

    def send(self: SyncEngine, body: dict[str, Any]) -> Any:
        started = threading.Event()
        sent.append(started)
        started.set()
        return shipped_send(self, body)

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
