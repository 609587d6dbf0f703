"""Open311 GeoReport v2: services, requests with the spec's filters, one request, and posting with an API key.
Confidential complaints never appear and no reporter identity is ever shown."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from app.domain import Status
from server import admin
from tests.server.support import Backend, Device, SeededOffice
from tests.server.test_national import create, route

OPEN311 = "/open311/v2"
IDENTITY = ("Siti Aminah", "081298765432", "6281298765432", "siti.aminah@contoh.id", "3404014506900002",
            "Rahasia Widodo", "Anonim Lestari", "Jl. Rumah Pelapor")


def _import_reference(backend: Backend) -> None:
    with backend.db.transaction() as session:
        admin.import_reference(session, categories_json=None, policy_json=None, holiday_years=range(2026, 2027))


def _reporter(name: str = "Siti Aminah") -> dict[str, Any]:
    return {"name": name, "phone": "081298765432", "email": "siti.aminah@contoh.id", "nik": "3404014506900002",
            "address": "Jl. Rumah Pelapor 7", "consent_given": True}


def _requests(backend: Backend, **params: Any) -> list[dict[str, Any]]:
    response = backend.get(f"{OPEN311}/requests.json", params=params)
    assert response.status_code == 200, response.text
    return list(response.json())


@pytest.fixture
def published(backend: Backend, device_a: Device, office_a: SeededOffice) -> dict[str, dict[str, Any]]:
    """Complaints of several kinds over ten days: open, closed (archived), confidential, anonymous."""
    _import_reference(backend)
    old = create(backend, category_id="infrastruktur.jalan", title="Jalan desa rusak sejak musim hujan",
                 reporter=_reporter())
    backend.clock.advance(days=10)
    road = create(backend, category_id="infrastruktur.jalan", reporter=_reporter())
    lamp = create(backend, reporter=_reporter())
    secret = create(backend, is_confidential=True, title="Dugaan pungutan liar di kantor kecamatan",
                    reporter=_reporter("Rahasia Widodo"))
    anon = create(backend, is_anonymous=True, reporter={"name": "Anonim Lestari", "consent_given": True})
    route(backend, lamp["id"], office_a.id)
    archive = device_a.transition(lamp["id"], "archive", Status.BELUM_TERVERIFIKASI, Status.DIARSIPKAN,
                                  user_id=office_a.admin, base_version=0, text="Laporan ganda.",
                                  fields={"archive_reason": "DUPLIKAT"})
    assert device_a.push_one(archive)["status"] == "applied"
    return {"old": old, "road": road, "lamp": lamp, "secret": secret, "anon": anon}


def _codes(rows: list[dict[str, Any]]) -> set[str]:
    return {r["service_request_id"] for r in rows}


def test_services_list_the_categories(backend: Backend) -> None:
    assert backend.get(f"{OPEN311}/services.json").json() == []
    _import_reference(backend)
    services = backend.get(f"{OPEN311}/services.json").json()
    road = next(s for s in services if s["service_code"] == "infrastruktur.jalan")
    assert road == {"service_code": "infrastruktur.jalan", "service_name": "Jalan dan Jembatan",
                    "description": "Roads and bridges", "metadata": False, "type": "realtime", "keywords": "",
                    "group": "Infrastruktur"}


def test_requests_and_their_filters(backend: Backend, published: dict[str, dict[str, Any]]) -> None:
    codes = {k: v["tracking_code"] for k, v in published.items()}
    everything = _requests(backend)
    assert _codes(everything) == {codes["old"], codes["road"], codes["lamp"], codes["anon"]}
    assert codes["secret"] not in str(everything)
    by_code = {r["service_request_id"]: r for r in everything}
    lamp = by_code[codes["lamp"]]
    assert lamp["status"] == "closed"
    assert lamp["status_notes"].startswith("DIARSIPKAN")
    assert lamp["agency_responsible"] == "Pemerintah Kabupaten Sleman"
    assert by_code[codes["road"]]["status"] == "open"
    assert by_code[codes["road"]]["service_name"] == "Jalan dan Jembatan"

    assert _codes(_requests(backend, status="open")) == {codes["old"], codes["road"], codes["anon"]}
    assert _codes(_requests(backend, status="closed")) == {codes["lamp"]}
    assert _codes(_requests(backend, service_code="infrastruktur.jalan")) == {codes["old"], codes["road"]}
    now = backend.clock()
    recent = _requests(backend, start_date=(now - timedelta(days=5)).isoformat())
    assert _codes(recent) == {codes["road"], codes["lamp"], codes["anon"]}
    older = _requests(backend, end_date=(now - timedelta(days=5)).isoformat())
    assert _codes(older) == {codes["old"]}
    assert _requests(backend, start_date=(now + timedelta(days=1)).isoformat()) == []
    both = _requests(backend, service_request_id=f"{codes['road']},{codes['secret']},{codes['lamp']}")
    assert _codes(both) == {codes["road"], codes["lamp"]}
    # Newest first.
    assert [r["service_request_id"] for r in everything][-1] == codes["old"]
    bad = backend.get(f"{OPEN311}/requests.json", params={"start_date": now.isoformat(),
                                                          "end_date": (now - timedelta(days=1)).isoformat()})
    assert bad.status_code == 400 and bad.json()["code"] == "bad_dates"
    assert backend.get(f"{OPEN311}/requests.json", params={"status": "pending"}).status_code == 422


def test_one_request(backend: Backend, published: dict[str, dict[str, Any]]) -> None:
    code = published["road"]["tracking_code"]
    response = backend.get(f"{OPEN311}/requests/{code}.json")
    assert response.status_code == 200
    (row,) = response.json()
    assert row["service_request_id"] == code and row["status"] == "open"
    hidden = backend.get(f"{OPEN311}/requests/{published['secret']['tracking_code']}.json")
    assert hidden.status_code == 404 and hidden.json()["code"] == "not_found"
    assert backend.get(f"{OPEN311}/requests/0000-000-000000-0.json").status_code == 404


def test_no_reporter_identity_anywhere(backend: Backend, published: dict[str, dict[str, Any]]) -> None:
    bodies = [backend.get(f"{OPEN311}/requests.json").text, backend.get(f"{OPEN311}/services.json").text]
    bodies += [backend.get(f"{OPEN311}/requests/{c['tracking_code']}.json").text for c in published.values()]
    bodies.append(backend.get(f"{OPEN311}/requests.json",
                              params={"service_request_id": ",".join(c["tracking_code"]
                                                                     for c in published.values())}).text)
    for body in bodies:
        for secret in IDENTITY:
            assert secret not in body
        assert "pungutan liar" not in body  # the confidential complaint's text


def test_posting_a_request_needs_an_api_key(backend: Backend, office_a: SeededOffice, device_a: Device) -> None:
    _import_reference(backend)
    with backend.db.transaction() as session:
        key = admin.create_api_key(session, "Aplikasi kota", admin.find_office(session, office_a.id), backend.clock())
    form = {"service_code": "infrastruktur.drainase", "lat": "-7.716", "long": "110.355",
            "address_string": "Jl. Kaliurang km 9", "first_name": "Dewi", "last_name": "Lestari",
            "email": "dewi.lestari@contoh.id",
            "description": "Saluran air tersumbat sampah sehingga jalan tergenang setiap hujan turun."}
    posted = backend.post(f"{OPEN311}/requests.json", data={**form, "api_key": key})
    assert posted.status_code == 201, posted.text
    (receipt,) = posted.json()
    code = receipt["service_request_id"]
    (row,) = backend.get(f"{OPEN311}/requests/{code}.json").json()
    assert row["service_code"] == "infrastruktur.drainase" and row["lat"] == -7.716
    assert "Dewi" not in backend.get(f"{OPEN311}/requests/{code}.json").text
    pulled = [c for c in device_a.pull_all()[0] if c["entity_type"] == "complaint"]
    assert [c["data"]["tracking_code"] for c in pulled] == [code]  # routed to the key's office

    for data in ({**form, "api_key": "kunci-salah"}, form):
        refused = backend.post(f"{OPEN311}/requests.json", data=data)
        assert refused.status_code == 403 and refused.json()["code"] == "invalid_api_key"
    as_json = backend.post(f"{OPEN311}/requests.json", json={**form, "api_key": key})
    assert as_json.status_code == 201
    unknown_service = backend.post(f"{OPEN311}/requests.json", data={**form, "api_key": key, "service_code": "x"})
    assert unknown_service.status_code == 400
    too_short = backend.post(f"{OPEN311}/requests.json", data={**form, "api_key": key, "description": "banjir"})
    assert too_short.status_code == 422 and too_short.json()["code"] == "validation"
    for body in ("[1, 2]", '"teks"', "{rusak", '{"api_key": ["x"]}', '{"api_key": 5}', '{"api_key": "a\\u0000"}',
                 '{"api_key": "\\udbac"}', '{"api_key": "' + key + '", "description": "\\ud800"}'):
        odd = backend.post(f"{OPEN311}/requests.json", data=body, headers={"Content-Type": "application/json"})
        assert 400 <= odd.status_code < 500, (body, odd.text)
        assert odd.json()["code"]
