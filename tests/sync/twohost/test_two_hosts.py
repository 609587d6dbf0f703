"""PCs syncing with two hosts behind a round-robin proxy, one database and one S3 store: enrolment, pushes, pulls
and the chunks of one upload land on both hosts, and a PC sees one server."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import requests

from sync.protocol import BLOB_CHUNK
from tests.helpers.twohost import TwoHosts
from tests.sync.checks import assert_no_duplicates, assert_outbox_settled
from tests.sync.fleet import Fleet

ENROL = "POST /api/v1/enroll"
PUSH = "POST /api/v1/sync/push"
PULL = "POST /api/v1/sync/pull"


def hosts_of(server: TwoHosts, request: str) -> list[int]:
    """The host that answered each ``METHOD path-prefix`` request, in order (502s left out)."""
    method, path = request.split(" ", 1)
    return [hop.tried[-1] for hop in list(server.rr.log)
            if hop.method == method and hop.path.startswith(path) and hop.status != 502]


def test_enrolment_pushes_uploads_and_pulls_reach_both_hosts(server: TwoHosts, fleet: Fleet, tmp_path: Path) -> None:
    office = fleet.office()
    first = fleet.pc(office)  # enrols on one host, and its first sync follows on the hosts in turn
    photo = tmp_path / "foto-jalan.jpg"
    photo.write_bytes(os.urandom(3 * BLOB_CHUNK + 777))  # four chunks
    cids = []
    for n in range(4):  # a sync per complaint (a push and a pull), and another client's request moves the turn
        cid = first.intake(n)
        first.dispose(cid)
        cids.append(cid)
        first.sync()
        assert requests.get(server.url + "/health/live", timeout=10).status_code == 200
    first.attach(cids[0], photo)
    first.follow_up(cids[0])
    report = first.sync()
    assert report.uploaded == 1

    second = fleet.pc(office)
    for _ in range(3):
        second.sync()
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert (second.paths.attachments / sha[:2] / sha).read_bytes() == photo.read_bytes()
    assert server.stored_bytes(sha) == photo.read_bytes()

    assert len(hosts_of(server, ENROL)) == 2
    assert set(hosts_of(server, PUSH)) == {0, 1}
    assert set(hosts_of(server, PULL)) == {0, 1}
    chunks = hosts_of(server, f"PUT /api/v1/blobs/{sha}")
    assert len(chunks) == 4 and all(chunks[i] != chunks[i + 1] for i in range(3)), chunks  # alternating
    assert server.rr.served[0] > 5 and server.rr.served[1] > 5
    for pc in (first, second):
        assert_outbox_settled(pc)
        pc.assert_converged()
    assert_no_duplicates(server.db, office.id)


def test_the_balancers_request_id_reaches_each_host_and_comes_back(server: TwoHosts) -> None:
    """nginx's $request_id (32 hex digits) passes the proxy to whichever host answers, which names the request
    with it and returns it: one request is followed from the load balancer to its host (issue 17 §4)."""
    ids = [f"{n:032x}" for n in (0xA1, 0xB2, 0xC3, 0xD4)]
    for request_id in ids:
        answer = requests.get(server.url + "/health/live", headers={"X-Request-Id": request_id}, timeout=10)
        assert answer.status_code == 200 and answer.headers["X-Request-Id"] == request_id
    assert [hop.request_id for hop in server.rr.log] == ids
    assert [hop.tried[-1] for hop in server.rr.log] in ([0, 1, 0, 1], [1, 0, 1, 0])
