"""Enrolment: a one-time code for one PC, valid 24 hours; tokens that rotate and can be revoked."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from server import admin
from server.models import Device
from tests.server.support import Backend, SeededOffice, enrol, issue_code, protocol_headers
from tests.server.support import Device as PC


def _enrol(backend: Backend, code: str, name: str = "PC loket 1"):  # type: ignore[no-untyped-def]
    return backend.post("/api/v1/enroll", json={"code": code, "device_name": name}, headers=protocol_headers())


def test_a_valid_code_gives_device_credentials(backend: Backend, office_a: SeededOffice) -> None:
    code = issue_code(backend, office_a.id)
    response = _enrol(backend, code.lower().replace("-", " "))  # typed as read over the phone
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["office"] == {"id": office_a.id, "region_code": "34.04", "name": office_a.name, "tz": "Asia/Jakarta"}
    assert body["device_no"] == 1
    assert body["token"] and body["client_id"] and body["era"]
    second = enrol(backend, office_a, "PC loket 2")
    assert second.device_no == 2 and second.client_id != body["client_id"]
    ok = backend.get("/api/v1/reference", headers=protocol_headers(body["token"]))
    assert ok.status_code == 200
    assert {u["id"] for u in ok.json()["users"]} == set(office_a.users.values())


def test_a_code_works_once(backend: Backend, office_a: SeededOffice) -> None:
    code = issue_code(backend, office_a.id)
    assert _enrol(backend, code).status_code == 200
    again = _enrol(backend, code, "PC lain")
    assert again.status_code == 400
    assert again.json()["code"] == "enrollment_code_used"
    assert backend.count(Device) == 1


def test_unknown_code_is_refused(backend: Backend, office_a: SeededOffice) -> None:
    response = _enrol(backend, "AAAA-BBBB-CCCC")
    assert response.status_code == 400
    assert response.json()["code"] == "enrollment_code_invalid"
    assert response.json()["message"]


def test_an_expired_code_is_refused(backend: Backend, office_a: SeededOffice) -> None:
    code = issue_code(backend, office_a.id)
    backend.clock.advance(hours=24, seconds=1)
    response = _enrol(backend, code)
    assert response.status_code == 400
    assert response.json()["code"] == "enrollment_code_expired"
    assert backend.count(Device) == 0


def test_a_code_just_inside_24_hours_still_works(backend: Backend, office_a: SeededOffice) -> None:
    code = issue_code(backend, office_a.id)
    backend.clock.advance(hours=23, minutes=59)
    assert _enrol(backend, code).status_code == 200


def test_token_refresh_rotates_the_token(backend: Backend, device_a: PC) -> None:
    response = backend.post("/api/v1/token/refresh", headers=device_a.headers)
    assert response.status_code == 200, response.text
    new_token = response.json()["token"]
    assert new_token != device_a.token
    old = device_a.pull_raw()
    assert old.status_code == 401
    assert old.json()["code"] == "unauthorized"
    assert old.headers["WWW-Authenticate"] == "Bearer"
    device_a.token = new_token
    assert device_a.pull_raw().status_code == 200


def test_a_revoked_device_is_shut_out(backend: Backend, device_a: PC) -> None:
    assert device_a.pull_raw().status_code == 200
    with backend.db.transaction() as session:
        admin.revoke_device(session, device_a.device_id, backend.clock())
    for response in (device_a.pull_raw(), device_a.push_raw(),
                     backend.post("/api/v1/token/refresh", headers=device_a.headers),
                     backend.get("/api/v1/reference", headers=device_a.headers)):
        assert response.status_code == 401, response.text
        assert response.json()["code"] == "unauthorized"


def test_missing_or_malformed_authorization_is_401(backend: Backend, device_a: PC) -> None:
    for headers in ({}, {"Authorization": device_a.token}, {"Authorization": "Basic dXNlcjpwYXNz"},
                    {"Authorization": "Bearer "}, {"Authorization": "Bearer " + "x" * 5000}):
        response = backend.post("/api/v1/sync/pull", json={}, headers=headers)
        assert response.status_code == 401, (headers, response.text)


def test_a_code_sent_by_several_pcs_at_once_enrols_one(backend: Backend, office_a: SeededOffice) -> None:
    code = issue_code(backend, office_a.id)
    barrier = threading.Barrier(8)

    def attempt(i: int) -> int:
        barrier.wait()
        return requests.post(backend.url + "/api/v1/enroll", json={"code": code, "device_name": f"PC {i}"},
                             headers=protocol_headers(), timeout=30).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(attempt, range(8)))
    assert statuses == [200] + [400] * 7
    assert backend.count(Device) == 1


def test_two_refreshes_with_one_token_leave_one_working_token(backend: Backend, device_a: PC) -> None:
    barrier = threading.Barrier(4)

    def refresh(_: int) -> tuple[int, str]:
        barrier.wait()
        r = requests.post(backend.url + "/api/v1/token/refresh", headers=device_a.headers, timeout=30)
        return r.status_code, r.json().get("token", "")

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(refresh, range(4)))
    issued = [token for status, token in answers if status == 200]
    assert sorted(status for status, _ in answers) == [200, 401, 401, 401]
    device_a.token = issued[0]
    assert device_a.pull_raw().status_code == 200


def test_a_code_pasted_with_typographic_dashes_works(backend: Backend, office_a: SeededOffice) -> None:
    code = issue_code(backend, office_a.id)
    assert _enrol(backend, code.replace("-", "\u2013")).status_code == 200
