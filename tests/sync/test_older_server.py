"""A PC of this version with a server that speaks an older protocol: during an upgrade IT may update the PCs before
the server. The proxy lowers the protocol the PC announces, so the real server answers as it answers an older client:
results without ``exact`` and ``kept`` before protocol 2, the change log instead of snapshot pages before 3, no
state of the PC before 4, no office contact before 5, entity dicts instead of tables before 6. Nothing may be lost,
doubled or left unsettled, and both PCs end as the server.

(This server still takes the request fields newer than the protocol it answers in. A server older than protocol 3
refusing the ``snapshot`` field outright is tests/sync/test_snapshot.py's case.)"""

from __future__ import annotations

import pytest

from app.domain import Status
from sync.protocol import MIN_PROTOCOL_VERSION, PROTOCOL_VERSION, PULL_FIELDS_SINCE
from tests.sync.checks import assert_no_duplicates, assert_outbox_settled
from tests.sync.faultproxy import FaultProxy
from tests.sync.fleet import Fleet
from tests.sync.test_snapshot import record_pulls

PUSH = "/api/v1/sync/push"


@pytest.mark.parametrize("protocol", range(MIN_PROTOCOL_VERSION, PROTOCOL_VERSION))
def test_a_pc_works_with_a_server_of_an_older_protocol(fleet: Fleet, proxy: FaultProxy, protocol: int,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    office = fleet.office()
    proxy.speak_as(protocol)
    a = fleet.pc(office)
    taken = [a.intake(n) for n in range(4)]
    a.sync()
    b = fleet.pc(office)  # its first download, in the older protocol's shapes
    pulls = record_pulls(b, monkeypatch)
    b.sync()
    assert b.complaint_ids() >= set(taken)
    fields = {name for _, answer in pulls if answer is not None for name in answer}
    assert {name for name, since in PULL_FIELDS_SINCE.items() if since <= protocol} <= fields
    assert not {name for name, since in PULL_FIELDS_SINCE.items() if since > protocol} & fields

    # Both work on the office's complaints, each on its own copy, then sync in turn.
    a.edit(taken[0], title="Jalan berlubang di depan Pasar Sleman (sudah diukur)")
    a.note(taken[1])
    b.dispose(taken[2])
    b.follow_up(taken[2])
    b.edit(taken[3], title="Lampu jalan mati di Jalan Magelang km 9")
    a.sync()
    b.sync()
    a.sync()

    for pc in (a, b):
        pc.assert_converged()
        assert_outbox_settled(pc)
    assert_no_duplicates(office.server.db, office.id)
    edited, followed = a.complaint(taken[0]), a.complaint(taken[2])  # (and b's equal the server's, as a's)
    assert edited is not None and edited.title.endswith("(sudah diukur)")
    assert followed is not None and followed.status == Status.DITINDAKLANJUTI


def test_request_bodies_go_in_zstd_only_to_a_server_that_names_it(fleet: Fleet, proxy: FaultProxy) -> None:
    """A server names the codings it takes in its answers' Accept-Encoding (RFC 7694); one from before that takes
    gzip only. Behind one address, hosts of both kinds may answer during an upgrade: a zstd body refused with 415 goes
    again at once in gzip, and nothing is lost or doubled."""
    office = fleet.office()
    a = fleet.pc(office)
    a.sync()  # (its answers name zstd)
    taken = [a.intake(n) for n in range(3)]
    proxy.reset_log()
    a.sync()
    assert [e.coding for e in proxy.exchanges(PUSH)] == ["zstd"]

    proxy.gzip_only(True)  # the next answer comes from a host that takes gzip only
    taken += [a.intake(n) for n in range(3, 6)]
    proxy.reset_log()
    a.sync()
    assert [(e.coding, e.status) for e in proxy.exchanges(PUSH)] == [("zstd", 415), ("gzip", 200)]
    taken.append(a.intake(6))
    proxy.reset_log()
    a.sync()  # (the last answer named no coding: gzip from the start)
    assert [(e.coding, e.status) for e in proxy.exchanges(PUSH)] == [("gzip", 200)]

    proxy.gzip_only(False)  # upgraded: its first answer names zstd again
    taken.append(a.intake(7))
    a.sync()
    taken.append(a.intake(8))
    proxy.reset_log()
    a.sync()
    assert [(e.coding, e.status) for e in proxy.exchanges(PUSH)] == [("zstd", 200)]

    a.assert_converged()
    assert_outbox_settled(a)
    assert_no_duplicates(office.server.db, office.id)
    assert a.complaint_ids() >= set(taken)
