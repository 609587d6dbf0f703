"""Bad input and security: bodies bounded after decompression, readable 4xx JSON for every malformed request,
per-device rate limits, the protocol gate, hashed secrets, and logs free of tokens and passwords."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from sqlalchemy import select

from server import admin
from server.models import ApiKey, Device, EnrollmentCode, User
from sync.protocol import HEADER_PROTOCOL, MAX_PUSH_BATCH, zstd
from tests.server.support import (
    ADMIN_TOKEN,
    PASSWORD,
    TIMEOUT,
    Backend,
    SeededOffice,
    enrol,
    issue_code,
    protocol_headers,
)
from tests.server.support import Device as PC

PULL = "/api/v1/sync/pull"
PUSH = "/api/v1/sync/push"


def _assert_readable_4xx(response: requests.Response, context: Any = None) -> None:
    assert 400 <= response.status_code < 500, (context, response.status_code, response.text[:500])
    body = response.json()
    if isinstance(body, list):  # Open311 answers with the GeoReport spec's error list
        assert body and body[0]["code"] == response.status_code and body[0]["description"], (context, body)
        return
    assert body["code"] and body["message"], (context, body)


@pytest.mark.parametrize("coding", ["gzip", "zstd"])
def test_a_compression_bomb_is_refused_once_inflated(backend: Backend, device_a: PC, coding: str) -> None:
    inflated = b'{"cursor": null, "limit": 1, "padding": "' + b"a" * (backend.settings.max_body_bytes + 10) + b'"}'
    bomb = gzip.compress(inflated, 9) if coding == "gzip" else zstd.compress(inflated, level=19)
    assert len(bomb) < 64 * 1024  # small on the wire
    response = backend.post(PULL, data=bomb, headers={**device_a.headers, "Content-Encoding": coding,
                                                       "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"


@pytest.mark.parametrize("coding", ["gzip", "zstd"])
def test_a_compressed_push_is_accepted(backend: Backend, device_a: PC, coding: str) -> None:
    body = json.dumps({"client_id": device_a.client_id,
                       "mutations": [device_a.intake().model_dump(mode="json")]}).encode()
    response = backend.post(PUSH, data=gzip.compress(body) if coding == "gzip" else zstd.compress(body),
                            headers={**device_a.headers, "Content-Encoding": coding,
                                     "Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] == "applied"


def test_every_answer_names_the_codings_a_request_may_use(backend: Backend, device_a: PC) -> None:
    """RFC 7694: in answers to requests with a body and without one, and in refusals."""
    pushed = backend.post(PUSH, json={"client_id": device_a.client_id, "mutations": []}, headers=device_a.headers)
    refused = backend.post(PULL, data=b"{}", headers={**device_a.headers, "Content-Encoding": "br"})
    assert pushed.status_code == 200 and refused.status_code == 415
    for answer in (pushed, backend.get("/health"), refused):
        assert answer.headers["Accept-Encoding"] == "zstd, gzip", answer.headers


def test_corrupt_or_unsupported_encodings_are_4xx(backend: Backend, device_a: PC) -> None:
    good = gzip.compress(b'{"cursor": null}')
    frame = zstd.compress(b'{"cursor": null}')
    for data, encoding, status in ((b"\x1f\x8b\x08\x00garbage-not-deflate", "gzip", 400),
                                   (good[: len(good) // 2], "gzip", 400),
                                   (b"plain text", "gzip", 400),
                                   (b"plain text", "zstd", 400),
                                   (frame[: len(frame) // 2], "zstd", 400),
                                   (frame + b"more", "zstd", 400),
                                   (b'{"cursor": null}', "br", 415)):
        response = backend.post(PULL, data=data, headers={**device_a.headers, "Content-Encoding": encoding,
                                                           "Content-Type": "application/json"})
        assert response.status_code == status, (data, response.text)
        _assert_readable_4xx(response)


def test_a_plain_body_over_the_limit_is_413(backend: Backend, device_a: PC) -> None:
    with backend.serve(max_body_bytes=1000) as url:
        response = requests.post(url + PULL, data=b"{" + b" " * 2000 + b"}", timeout=TIMEOUT,
                                 headers={**device_a.headers, "Content-Type": "application/json"})
    assert response.status_code == 413


def _bad_requests(device: PC) -> Iterator[tuple[str, str, Any]]:
    """(method, path, body or raw bytes) of requests no server should answer with a 5xx."""
    mutation = device.intake().model_dump(mode="json")
    cid = device.client_id
    for body in ([], "teks", 5, None, {"cursor": 5}, {"limit": "semua"}, {"limit": 0}, {"limit": 10**9},
                 {"cursor": "x" * 10_000}, {"cursor": None, "office_id": "lain"}, {"limit": 1.5}):
        yield "POST", PULL, body
    for body in ([], {}, {"client_id": cid}, {"client_id": cid, "mutations": "semua"},
                 {"client_id": cid, "mutations": [{}]}, {"client_id": cid, "mutations": [5]},
                 {"client_id": cid, "mutations": [{**mutation, "seq": "satu"}]},
                 {"client_id": cid, "mutations": [{**mutation, "seq": 0}]},
                 {"client_id": cid, "mutations": [{**mutation, "seq": -1}]},
                 {"client_id": cid, "mutations": [{**mutation, "payload_hash": "abc"}]},
                 {"client_id": cid, "mutations": [{**mutation, "args": []}]},
                 {"client_id": cid, "mutations": [{**mutation, "name": "x" * 100_000}]},
                 {"client_id": cid, "mutations": [{**mutation, "unknown": 1}]},
                 {"client_id": cid, "mutations": [mutation] * (MAX_PUSH_BATCH + 1)},
                 {"client_id": "x" * 1000, "mutations": []}, {"client_id": cid, "mutations": [], "extra": True}):
        yield "POST", PUSH, body
    for body in ({}, {"code": 5, "device_name": "pc"}, {"code": "AAAA-BBBB-CCCC"},
                 {"code": "AAAA-BBBB-CCCC", "device_name": "x" * 10_000}, {"code": "A", "device_name": "pc"},
                 {"code": "AAAA-BBBB-CCCC", "device_name": "pc", "office_id": "x"}):
        yield "POST", "/api/v1/enroll", body
    for body in ({}, {"title": 5}, {"classification": "PENGADUAN", "title": "x" * 100_000, "description": "d"},
                 {"classification": "PENGADUAN", "title": "Judul yang cukup panjang",
                  "description": "Uraian yang cukup panjang untuk laporan.", "incident_date": "kemarin"},
                 {"classification": "PENGADUAN", "title": "Judul yang cukup panjang",
                  "description": "Uraian yang cukup panjang untuk laporan.", "latitude": "utara"},
                 {"classification": "PENGADUAN", "title": "Judul yang cukup panjang",
                  "description": "Uraian yang cukup panjang untuk laporan.", "office_id": "tidak-ada"}):
        yield "POST", "/api/v1/national/complaints", body
    # NUL characters and lone surrogates: valid JSON, but no database stores them.
    for odd in ("nul\u0000", "\udbac", "a\ud800b"):
        yield "POST", PUSH, {"client_id": cid, "mutations": [{**mutation, "mutation_id": odd}]}
        yield "POST", PUSH, {"client_id": cid, "mutations": [{**mutation, "entity_id": odd}]}
        yield "POST", PUSH, {"client_id": odd, "mutations": []}
        yield "POST", PULL, {"cursor": odd}
        yield "POST", "/api/v1/enroll", {"code": "AAAA-BBBB-" + odd, "device_name": "pc"}
        yield "POST", "/api/v1/enroll", {"code": "AAAA-BBBB-CCCC", "device_name": odd}
        yield "POST", "/api/v1/national/complaints", {
            "classification": "PENGADUAN", "title": "Judul yang cukup panjang " + odd,
            "description": "Uraian yang cukup panjang untuk laporan ini " + odd}
        yield "POST", f"/api/v1/national/complaints/{odd}/route", {"office_id": odd}
        yield "GET", "/open311/v2/requests.json?service_request_id=" + odd, None
        yield "GET", "/open311/v2/requests.json?service_code=" + odd, None
        yield "GET", f"/open311/v2/requests/{odd}.json", None
    yield "POST", "/api/v1/national/complaints/x/route", {"office_id": ""}
    yield "POST", "/api/v1/national/complaints/x/route", []
    yield "GET", "/open311/v2/requests.json?start_date=kemarin", None
    yield "GET", "/open311/v2/requests.json?service_request_id=" + "1," * 1500, None
    yield "GET", "/open311/v2/requests/" + "9" * 100 + ".json", None
    yield "PUT", "/api/v1/blobs/" + "a" * 64 + "?offset=-1&total=3", b"abc"
    yield "PUT", "/api/v1/blobs/" + "a" * 64 + "?offset=x", b"abc"
    yield "GET", "/api/v1/tidak-ada", None
    yield "DELETE", PULL, None


def test_malformed_requests_get_readable_4xx_json(backend: Backend, device_a: PC) -> None:
    users = backend.count(User)
    headers = {**device_a.headers, "Authorization": f"Bearer {device_a.token}"}
    for method, path, body in _bad_requests(device_a):
        h = {**headers, **(backend.admin_headers() if "/national/" in path else {})}
        if isinstance(body, bytes):
            response = backend.request(method, path, data=body, headers=h)
        elif body is None:
            response = backend.request(method, path, headers=h)
        else:
            response = backend.request(method, path, json=body, headers=h)
        _assert_readable_4xx(response, (method, path, str(body)[:200]))
    for raw in (b"{not json", b'{"cursor": "\xff\xfe"}', b"\x00\x01", b""):
        response = backend.post(PULL, data=raw, headers={**headers, "Content-Type": "application/json"})
        _assert_readable_4xx(response, raw)
    assert backend.count(User) == users


def test_the_rate_limit_is_per_device(backend: Backend, device_a: PC, office_a: SeededOffice) -> None:
    other = enrol(backend, office_a, "PC lain")
    with backend.serve(rate_limit_per_minute=1) as url:  # a burst of 10, then one a minute
        answers = [device_a.pull_raw(url=url) for _ in range(12)]
        assert answers[0].status_code == 200
        limited = answers[-1]
        assert limited.status_code == 429
        assert limited.json()["code"] == "rate_limited"
        assert int(limited.headers["Retry-After"]) >= 1
        assert device_a.push_raw(url=url).status_code == 429
        assert other.pull_raw(url=url).status_code == 200  # another PC is not slowed


def test_old_clients_are_told_to_upgrade_but_may_still_push(backend: Backend, device_a: PC) -> None:
    old = {**device_a.headers, HEADER_PROTOCOL: "0"}
    pulled = device_a.pull_raw(headers=old)
    assert pulled.status_code == 426
    assert pulled.json()["code"] == "upgrade_required"
    assert pulled.json()["details"]["min_protocol"] >= 1
    body = {"client_id": device_a.client_id, "mutations": [device_a.intake().model_dump(mode="json")]}
    pushed = backend.post(PUSH, json=body, headers=old)
    assert pushed.status_code == 200
    assert pushed.json()["results"][0]["status"] == "applied"
    sha = hashlib.sha256(b"foto").hexdigest()
    blob_url = f"{backend.url}/api/v1/blobs/{sha}"
    assert requests.put(blob_url, params={"offset": 0, "total": 4}, data=b"foto", headers=old,
                        timeout=TIMEOUT).status_code == 200
    assert requests.head(blob_url, headers=old, timeout=TIMEOUT).status_code == 200
    assert requests.get(blob_url, headers=old, timeout=TIMEOUT).status_code == 426
    assert backend.get("/api/v1/reference", headers=old).status_code == 426
    garbled = device_a.pull_raw(headers={**device_a.headers, HEADER_PROTOCOL: "satu"})
    assert garbled.status_code == 400 and garbled.json()["code"] == "bad_protocol_header"
    assert device_a.pull_raw(headers={"Authorization": f"Bearer {device_a.token}"}).status_code == 200


def test_secrets_are_stored_hashed(backend: Backend, office_a: SeededOffice) -> None:
    code = issue_code(backend, office_a.id)
    response = backend.post("/api/v1/enroll", json={"code": code, "device_name": "PC"}, headers=protocol_headers())
    token = response.json()["token"]
    with backend.db.transaction() as session:
        key = admin.create_api_key(session, "kota", None, backend.clock())
    with backend.db.transaction() as session:
        (device,) = session.execute(select(Device)).scalars()
        assert device.token_hash == hashlib.sha256(token.encode()).hexdigest()
        stored = [str(getattr(device, c.key)) for c in Device.__table__.columns]
        stored += [str(getattr(row, c.key)) for row in session.execute(select(EnrollmentCode)).scalars()
                   for c in EnrollmentCode.__table__.columns]
        stored += [str(getattr(row, c.key)) for row in session.execute(select(ApiKey)).scalars()
                   for c in ApiKey.__table__.columns]
        hashes = [u.password_hash for u in session.execute(select(User)).scalars()]
    for secret in (token, code, code.replace("-", ""), key):
        assert not any(secret in value for value in stored)
    assert all(h.startswith("$argon2") and PASSWORD not in h for h in hashes)


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every log record of the server, uvicorn's access log included."""
    access = logging.getLogger("uvicorn.access")
    saved = (access.level, access.propagate)
    access.setLevel(logging.INFO)
    access.propagate = True
    caplog.set_level(logging.DEBUG)
    try:
        yield caplog
    finally:
        access.setLevel(saved[0])
        access.propagate = saved[1]


def test_no_token_or_password_is_logged(backend: Backend, office_a: SeededOffice,
                                        all_logs: pytest.LogCaptureFixture) -> None:
    code = issue_code(backend, office_a.id)
    enrolled = backend.post("/api/v1/enroll", json={"code": code, "device_name": "PC"}, headers=protocol_headers())
    first_token = enrolled.json()["token"]
    refreshed = backend.post("/api/v1/token/refresh", headers=protocol_headers(first_token)).json()["token"]
    headers = protocol_headers(refreshed)
    backend.post(PULL, json={}, headers=headers)
    backend.post(PULL, json={}, headers=protocol_headers(first_token))  # the old token: 401
    backend.post("/api/v1/enroll", json={"code": code, "device_name": "PC"}, headers=protocol_headers())  # reused
    backend.post("/api/v1/national/complaints", json={}, headers=backend.admin_headers())
    backend.post("/api/v1/national/complaints", json={}, headers=backend.admin_headers("salah-" + ADMIN_TOKEN))
    with backend.db.transaction() as session:
        key = admin.create_api_key(session, "kota", None, backend.clock())
        admin.create_user(session, office=admin.find_office(session, office_a.id), username="baru",
                          full_name="Pengguna Baru", role="PETUGAS_LOKET", password="KataSandi987",
                          unit=None, now=backend.clock())
    backend.post("/open311/v2/requests.json", data={"api_key": key, "service_code": "x", "description": "d"})
    backend.get("/open311/v2/requests.json", params={"api_key": key})
    backend.get("/api/v1/blobs/" + "a" * 64, params={"token": refreshed}, headers=headers)
    backend.post(PUSH, data=b"{rusak", headers={**headers, "Content-Type": "application/json"})

    # The server's records (the test's own HTTP client logs its URLs too; those are not the server's).
    text = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in all_logs.records
                     if not r.name.startswith("urllib3"))
    assert "/api/v1/sync/pull" in text  # the access log was captured: this test can see a leak
    for secret in (first_token, refreshed, code, ADMIN_TOKEN, key, PASSWORD, "KataSandi987"):
        assert secret not in text, secret
