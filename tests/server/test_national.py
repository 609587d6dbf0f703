"""The national side: online complaints, routing to an office, and re-routing one an office redirected."""

from __future__ import annotations

from typing import Any

from app.domain import EventKind, Status
from tests.server.support import ADMIN_TOKEN, Backend, Device, SeededOffice, ids_of, state_of

NATIONAL = "/api/v1/national/complaints"


def online_complaint(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "classification": "PENGADUAN", "title": "Lampu jalan mati sepanjang Jalan Kaliurang",
        "description": "Sudah dua minggu lampu penerangan jalan mati sehingga rawan kecelakaan dan kejahatan.",
        "category_id": "infrastruktur.penerangan_jalan", "region_code": "34.04",
        "reporter": {"name": "Siti Aminah", "phone": "081298765432", "email": "siti.aminah@contoh.id",
                     "consent_given": True},
    }
    body.update(overrides)
    return body


def create(backend: Backend, **overrides: Any) -> dict[str, Any]:
    response = backend.post(NATIONAL, json=online_complaint(**overrides), headers=backend.admin_headers())
    assert response.status_code == 201, response.text
    return dict(response.json())


def route(backend: Backend, complaint_id: str, office_id: str, note: str | None = None) -> dict[str, Any]:
    response = backend.post(f"{NATIONAL}/{complaint_id}/route", json={"office_id": office_id, "note": note},
                            headers=backend.admin_headers())
    assert response.status_code == 200, response.text
    return dict(response.json())


def _events(changes: list[dict[str, Any]], complaint_id: str) -> list[str]:
    return sorted(c["data"]["kind"] for c in changes
                  if c["entity_type"] == "event" and c["op"] == "upsert" and c["data"]["complaint_id"] == complaint_id)


def test_the_national_api_needs_the_admin_token(backend: Backend) -> None:
    for headers in ({}, {"Authorization": "Bearer salah"}, {"Authorization": ADMIN_TOKEN},
                    {"Authorization": f"Basic {ADMIN_TOKEN}"}):
        response = backend.post(NATIONAL, json=online_complaint(), headers=headers)
        assert response.status_code == 401, headers
        assert response.json()["code"] == "unauthorized"
        assert backend.post(f"{NATIONAL}/x/route", json={"office_id": "y"}, headers=headers).status_code == 401


def test_without_a_configured_admin_token_the_national_api_is_off(backend: Backend) -> None:
    with backend.serve(national_admin_token=None) as url:
        import requests

        response = requests.post(url + NATIONAL, json=online_complaint(), headers=backend.admin_headers(), timeout=30)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_an_online_complaint_arrives_unrouted(backend: Backend) -> None:
    created = create(backend)
    assert created["office_id"] is None
    assert created["status"] == Status.BELUM_TERVERIFIKASI
    assert created["tracking_code"].startswith("3404-000-")
    second = create(backend)
    assert second["tracking_code"] != created["tracking_code"]


def test_invalid_online_complaints_get_a_readable_422(backend: Backend) -> None:
    for overrides in ({"title": "pendek"}, {"classification": "GOSIP"}, {"region_code": "99.99"},
                      {"reporter": {"name": "Siti Aminah", "consent_given": True}},
                      {"incident_date": "2999-01-01"}, {"latitude": 48.85, "longitude": 2.35}):
        response = backend.post(NATIONAL, json=online_complaint(**overrides), headers=backend.admin_headers())
        assert response.status_code == 422, (overrides, response.text)
        assert response.json()["code"] in ("validation", "invalid_request")
        assert response.json()["message"]


def test_routing_sends_the_whole_complaint_to_the_office(backend: Backend, device_a: Device,
                                                         office_a: SeededOffice) -> None:
    created = create(backend)
    routed = route(backend, created["id"], office_a.id, "Mohon ditangani Kabupaten Sleman.")
    assert routed["office_id"] == office_a.id
    changes, _ = device_a.pull_all()
    state = state_of(changes)
    complaint = state[("complaint", created["id"])]["data"]
    assert complaint["office_id"] == office_a.id
    assert complaint["channel"] == "LAPOR_ONLINE"
    assert complaint["reporter"]["name"] == "Siti Aminah"
    assert _events(changes, created["id"]) == sorted([EventKind.RECEIVED, EventKind.ROUTED])
    positions = {c["entity_id"]: i for i, c in enumerate(changes)}
    for change in changes:
        if change["entity_type"] == "event":
            assert positions[change["data"]["complaint_id"]] < positions[change["entity_id"]]
    # The office works on it like any other.
    result = device_a.push_one(device_a.dispose(created["id"], complaint["version"]))
    assert result["status"] == "applied"


def test_a_redirected_complaint_is_rerouted_to_another_office(backend: Backend, device_a: Device, device_b: Device,
                                                              office_a: SeededOffice, office_b: SeededOffice) -> None:
    created = create(backend, region_code="51.03")
    route(backend, created["id"], office_a.id)
    _, a_cursor = device_a.pull_all()
    _, b_cursor = device_b.pull_all()
    redirect = device_a.transition(created["id"], "redirect", Status.BELUM_TERVERIFIKASI, Status.BUKAN_WEWENANG,
                                   user_id=office_a.admin, base_version=0,
                                   text="Lokasi kejadian di Kabupaten Badung, bukan wewenang Sleman.")
    assert device_a.push_one(redirect)["status"] == "applied"
    note = device_a.note(created["id"], "Sudah dikonfirmasi ke pelapor.")
    device_a.push_one(note)

    route(backend, created["id"], office_b.id, "Dialihkan ke Kabupaten Badung.")

    a_changes, _ = device_a.pull_all(a_cursor)
    a_state = state_of(a_changes)
    assert a_state[("complaint", created["id"])]["op"] == "scope_exit"
    assert a_state[("complaint", created["id"])]["data"] is None
    assert "Siti Aminah" not in str(a_changes)

    b_changes, _ = device_b.pull_all(b_cursor)
    complaint = state_of(b_changes)[("complaint", created["id"])]
    assert complaint["op"] == "upsert"
    assert complaint["data"]["office_id"] == office_b.id
    assert complaint["data"]["status"] == Status.BELUM_TERVERIFIKASI
    assert complaint["data"]["unit_id"] is None
    assert _events(b_changes, created["id"]) == sorted(
        [EventKind.RECEIVED, EventKind.ROUTED, EventKind.REDIRECTED, EventKind.NOTE, EventKind.ROUTED])
    redirected = [c["data"] for c in b_changes if c["entity_type"] == "event"
                  and c["data"]["kind"] == EventKind.REDIRECTED]
    assert redirected[0]["text"] == "Lokasi kejadian di Kabupaten Badung, bukan wewenang Sleman."

    # Office A can no longer change it; office B can.
    late = device_a.push_one(device_a.note(created["id"], "Masih ada catatan."))
    assert (late["status"], late["code"]) == ("rejected", "not_found")
    assert device_b.push_one(device_b.dispose(created["id"], complaint["version"]))["status"] == "applied"
    # A fresh PC of office A never receives it.
    assert created["id"] not in ids_of(device_a.pull_all()[0], "complaint")


def test_routing_refusals(backend: Backend, device_a: Device, office_a: SeededOffice,
                          office_b: SeededOffice) -> None:
    created = create(backend)
    missing = backend.post(f"{NATIONAL}/tidak-ada/route", json={"office_id": office_a.id},
                           headers=backend.admin_headers())
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    unknown = backend.post(f"{NATIONAL}/{created['id']}/route", json={"office_id": "bukan-instansi"},
                           headers=backend.admin_headers())
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_office"
    route(backend, created["id"], office_a.id)
    assert route(backend, created["id"], office_a.id)["office_id"] == office_a.id  # again: no-op
    device_a.push_one(device_a.dispose(created["id"], 0))
    busy = backend.post(f"{NATIONAL}/{created['id']}/route", json={"office_id": office_b.id},
                        headers=backend.admin_headers())
    assert busy.status_code == 409 and busy.json()["code"] == "not_routable"


def test_an_online_complaint_can_be_routed_at_once(backend: Backend, device_a: Device,
                                                   office_a: SeededOffice) -> None:
    created = create(backend, office_id=office_a.id)
    assert created["office_id"] == office_a.id
    assert created["id"] in ids_of(device_a.pull_all()[0], "complaint")
