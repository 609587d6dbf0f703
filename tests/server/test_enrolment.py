"""Enrolment: a one-time code for one PC, valid 24 hours, that a retry with the same enrolment key redeems again
for the same device; limits per source address and per code; tokens that rotate and can be revoked."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from server import admin
from server.models import Device
from server.ratelimit import EnrolmentLimits, RateLimiter
from server.settings import Settings
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


# ---- a retry after a lost reply gets the same device back -------------------------------------------------------

KEY = "k" * 43  # the shape of secrets.token_urlsafe(32)


def _enrol_with_key(backend: Backend, code: str, key: str | None, name: str = "PC loket 1") -> requests.Response:
    body = {"code": code, "device_name": name} if key is None else {"code": code, "device_name": name,
                                                                      "enrollment_key": key}
    return backend.post("/api/v1/enroll", json=body, headers=protocol_headers())


def test_the_same_key_again_returns_the_same_device_with_a_fresh_token(backend: Backend,
                                                                        office_a: SeededOffice) -> None:
    code = issue_code(backend, office_a.id)
    first = _enrol_with_key(backend, code, KEY)
    backend.clock.advance(hours=23)
    again = _enrol_with_key(backend, code.lower(), KEY)  # typed again: normalised the same way
    assert first.status_code == 200 and again.status_code == 200, again.text
    same = ("device_id", "client_id", "device_no", "office", "era")
    assert {k: again.json()[k] for k in same} == {k: first.json()[k] for k in same}
    assert again.json()["token"] != first.json()["token"]
    assert backend.count(Device) == 1
    stale = backend.get("/api/v1/reference", headers=protocol_headers(first.json()["token"]))
    assert stale.status_code == 401  # only the newest reply's token works: no other PC holds a live one
    assert backend.get("/api/v1/reference", headers=protocol_headers(again.json()["token"])).status_code == 200


def test_a_used_code_with_another_key_or_none_is_still_used(backend: Backend, office_a: SeededOffice) -> None:
    code = issue_code(backend, office_a.id)
    assert _enrol_with_key(backend, code, KEY).status_code == 200
    for key in ("x" * 43, None):
        response = _enrol_with_key(backend, code, key, "PC lain")
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "enrollment_code_used"
    assert backend.count(Device) == 1


def test_a_code_used_without_a_key_cannot_be_claimed_by_a_key(backend: Backend, office_a: SeededOffice) -> None:
    """An old PC sent no key: nobody can take its device over later by sending one."""
    code = issue_code(backend, office_a.id)
    assert _enrol_with_key(backend, code, None).status_code == 200
    assert _enrol_with_key(backend, code, KEY).json()["code"] == "enrollment_code_used"


def test_the_same_key_after_the_code_expired_is_refused(backend: Backend, office_a: SeededOffice) -> None:
    code = issue_code(backend, office_a.id)
    assert _enrol_with_key(backend, code, KEY).status_code == 200
    backend.clock.advance(hours=24, seconds=1)
    response = _enrol_with_key(backend, code, KEY)
    assert response.status_code == 400
    assert response.json()["code"] == "enrollment_code_expired"


def test_the_same_key_for_a_revoked_device_is_refused(backend: Backend, office_a: SeededOffice) -> None:
    code = issue_code(backend, office_a.id)
    device_id = _enrol_with_key(backend, code, KEY).json()["device_id"]
    with backend.db.transaction() as session:
        admin.revoke_device(session, device_id, backend.clock())
    assert _enrol_with_key(backend, code, KEY).json()["code"] == "enrollment_code_used"


def test_an_enrolment_key_must_be_long_and_printable(backend: Backend, office_a: SeededOffice) -> None:
    code = issue_code(backend, office_a.id)
    for key in ("pendek", "k" * 42 + " "):
        assert _enrol_with_key(backend, code, key).status_code == 422
    assert backend.count(Device) == 0


# ---- rate limits: wrong codes per source address, attempts per code ---------------------------------------------


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


@pytest.fixture
def limits(backend: Backend, live_server: tuple[Any, str], ticks: Ticks) -> EnrolmentLimits:
    """Small enrolment limits on the backend's app: 3 wrong codes per address, 4 attempts per code."""
    made = EnrolmentLimits(wrong_codes_per_address=RateLimiter(per_minute=1, burst=3, clock=ticks),
                           attempts_per_code=RateLimiter(per_minute=1, burst=4, clock=ticks))
    live_server[0].app.state.lapor.enrolment_limits = made
    return made


def _from(backend: Backend, address: str, code: str, key: str | None = None, *,
          url: str | None = None) -> requests.Response:
    """An enrolment as it reaches the server through a reverse proxy from ``address``."""
    body: dict[str, str] = {"code": code, "device_name": "PC loket"}
    if key:
        body["enrollment_key"] = key
    return backend.http.post((url or backend.url) + "/api/v1/enroll", json=body, timeout=30,
                             headers={**protocol_headers(), "X-Forwarded-For": address})


ONLY_SQLITE = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the limits live in the process


@ONLY_SQLITE
def test_wrong_codes_from_one_address_do_not_block_a_valid_code_from_another(
        backend: Backend, office_a: SeededOffice, limits: EnrolmentLimits, ticks: Ticks) -> None:
    guesses = [_from(backend, "203.0.113.7", f"AAAA-BBBB-CCC{c}") for c in "DEF"]
    assert [r.json()["code"] for r in guesses] == ["enrollment_code_invalid"] * 3
    blocked = _from(backend, "203.0.113.7", "AAAA-BBBB-CCCG")
    assert blocked.status_code == 429
    assert blocked.json()["details"] == {"limit": "address"}
    assert "alamat jaringan ini" in blocked.json()["message"] and "network address" in blocked.json()["message_en"]
    assert "perangkat ini" not in blocked.json()["message"] and "this device" not in blocked.json()["message_en"]
    assert int(blocked.headers["Retry-After"]) == 60

    assert _from(backend, "198.51.100.2", issue_code(backend, office_a.id)).status_code == 200
    assert _from(backend, "203.0.113.7", issue_code(backend, office_a.id)).status_code == 429  # still slowed
    ticks.now += 60
    assert _from(backend, "203.0.113.7", issue_code(backend, office_a.id)).status_code == 200
    assert backend.count(Device) == 2


@ONLY_SQLITE
def test_concurrent_guesses_from_one_address_are_counted_before_they_are_checked(
        backend: Backend, office_a: SeededOffice, limits: EnrolmentLimits) -> None:
    """Twelve wrong codes sent at once from one address: three are looked at, nine refused. A look at the bucket
    before charging it let every one of them through."""
    start = threading.Barrier(12)

    def guess(n: int) -> int:
        start.wait()
        with requests.Session() as http:
            return http.post(backend.url + "/api/v1/enroll", json={"code": f"AAAA-BBBB-{n:04d}",
                                                                  "device_name": "PC loket"}, timeout=30,
                             headers={**protocol_headers(), "X-Forwarded-For": "203.0.113.9"}).status_code

    with ThreadPoolExecutor(12) as pool:
        statuses = sorted(pool.map(guess, range(12)))
    assert statuses == [400] * 3 + [429] * 9


@ONLY_SQLITE
def test_used_expired_and_unknown_codes_count_against_the_address(backend: Backend, office_a: SeededOffice,
                                                                   limits: EnrolmentLimits) -> None:
    used, expired = issue_code(backend, office_a.id), issue_code(backend, office_a.id)
    assert _from(backend, "192.0.2.1", used, KEY).status_code == 200
    backend.clock.advance(hours=24, seconds=1)
    wrong = [_from(backend, "203.0.113.7", c).json()["code"] for c in (used, expired, "AAAA-BBBB-CCCD")]
    assert wrong == ["enrollment_code_used", "enrollment_code_expired", "enrollment_code_invalid"]
    assert _from(backend, "203.0.113.7", issue_code(backend, office_a.id)).status_code == 429


@ONLY_SQLITE
def test_attempts_per_code_are_limited_for_that_code_only(backend: Backend, office_a: SeededOffice,
                                                          limits: EnrolmentLimits, ticks: Ticks) -> None:
    code = issue_code(backend, office_a.id)
    answers = [_from(backend, "192.0.2.1", code, KEY) for _ in range(4)]  # a PC retrying: no wrong codes
    assert [r.status_code for r in answers] == [200] * 4
    limited = _from(backend, "192.0.2.1", code, KEY)
    assert limited.status_code == 429
    assert limited.json()["details"] == {"limit": "code"}
    assert "kode pendaftaran ini" in limited.json()["message"].lower()
    assert "this device" not in limited.json()["message_en"]
    assert _from(backend, "192.0.2.1", issue_code(backend, office_a.id)).status_code == 200  # another code: free
    ticks.now += 60
    assert _from(backend, "192.0.2.1", code, KEY).status_code == 200
    assert backend.count(Device) == 2


@ONLY_SQLITE
def test_the_default_limits_let_a_valid_code_through_after_200_guesses_elsewhere(
        backend: Backend, office_a: SeededOffice) -> None:
    """What was found: 200 wrong codes from anywhere blocked every enrolment, blaming "this device"."""
    with backend.serve(rate_limit_per_minute=Settings.rate_limit_per_minute) as url:  # the production default
        answers = [_from(backend, f"10.0.{i // 250}.{i % 250}", f"AAAA-BBBB-{i:04d}", url=url) for i in range(200)]
        assert {r.status_code for r in answers} == {400}
        assert _from(backend, "198.51.100.2", issue_code(backend, office_a.id), url=url).status_code == 200


def test_a_full_bucket_is_forgotten_without_changing_any_answer(ticks: Ticks) -> None:
    limiter = RateLimiter(per_minute=60, burst=2, clock=ticks, sweep_at=5)
    limiter.charge("busy")
    limiter.charge("busy")
    limiter.charge("busy")  # in debt: two seconds to wait for one token
    for key in ("a", "b", "c"):
        assert limiter.retry_after(key) == 0.0
    ticks.now += 1  # a, b and c are full again; busy is not
    assert limiter.retry_after("d") == 0.0  # the fourth key sweeps
    assert set(limiter._store._buckets) == {"busy", "d"}  # type: ignore[attr-defined]
    assert limiter.wait("busy") == pytest.approx(1.0)
    assert limiter.wait("a") == 0.0
