"""Answers are compressed as the request's Accept-Encoding allows: zstd first (what the PC asks for), gzip for
clients that take only gzip, nothing for clients that take neither; the same JSON whichever way it travels."""

from __future__ import annotations

import pytest
import requests

from sync.transport import ACCEPT_ENCODING
from tests.server.support import TIMEOUT, Backend, Device, SeededOffice
from tests.server.test_snapshot import busy_office


@pytest.mark.parametrize(("accept", "coding"), [
    ("zstd, gzip", "zstd"), ("gzip", "gzip"), ("gzip, zstd;q=0", "gzip"), ("*", "gzip"), ("identity", None),
    ("br", None)])
def test_the_answer_comes_in_a_coding_the_client_takes(backend: Backend, device_a: Device, office_a: SeededOffice,
                                                        accept: str, coding: str | None) -> None:
    busy_office(device_a, office_a, count=3)
    plain = requests.post(backend.url + "/api/v1/sync/pull", json={"limit": 500},
                          headers={**device_a.headers, "Accept-Encoding": "identity"}, timeout=TIMEOUT)
    answer = requests.post(backend.url + "/api/v1/sync/pull", json={"limit": 500},
                           headers={**device_a.headers, "Accept-Encoding": accept}, timeout=TIMEOUT)
    assert answer.status_code == 200
    assert answer.headers.get("Content-Encoding") == coding
    assert answer.json()["changes"] == plain.json()["changes"] and plain.json()["changes"]
    if coding is not None:
        assert int(answer.headers["Content-Length"]) < len(plain.content) / 2


def test_the_pc_asks_for_zstd_first() -> None:
    assert ACCEPT_ENCODING == "zstd, gzip"
