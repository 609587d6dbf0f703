"""Open311 GeoReport v2 on both backends: services and their definitions, requests with the spec's filters, one
request, posting with an API key, the discovery file, and errors in the spec's shape, each in XML and JSON (the XML
read back must say what the JSON says). Codes agree: filtering requests by any code the services list returns that
service's requests. Confidential complaints never appear and no reporter identity is ever shown."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

import pytest
import requests

from app.domain import Status
from server import admin
from server.models import Complaint
from tests.server.support import Backend, Device, SeededOffice
from tests.server.test_national import create, route

OPEN311 = "/open311/v2"
FORMATS = ("json", "xml")
IDENTITY = ("Siti Aminah", "081298765432", "6281298765432", "siti.aminah@contoh.id", "3404014506900002",
            "Rahasia Widodo", "Anonim Lestari", "Jl. Rumah Pelapor")
LISTS = {"services", "service_requests", "attributes", "values", "endpoints", "formats", "errors"}


# ---- reading both formats the same way ----------------------------------------------------------------------------

def xml_data(response: requests.Response) -> Any:
    """An XML answer as plain data: list elements as lists, text as strings, an empty element as None."""
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return _read(ET.fromstring(response.content))


def _read(element: ET.Element) -> Any:
    if element.tag in LISTS:
        return [_read(child) for child in element]
    if len(element):
        return {child.tag: _read(child) for child in element}
    return element.text


def as_xml_says(value: Any) -> Any:
    """A JSON answer as its XML says it: scalars as text, true/false, null and "" as an empty element."""
    if isinstance(value, dict):
        return {k: as_xml_says(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_xml_says(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value in (None, "") else str(value)


def both(backend: Backend, path: str, status: int = 200, **kwargs: Any) -> Any:
    """GET ``path`` (without its suffix) as JSON and as XML; check they agree; return the JSON."""
    as_json = backend.get(f"{path}.json", **kwargs)
    as_xml = backend.get(f"{path}.xml", **kwargs)
    assert (as_json.status_code, as_xml.status_code) == (status, status), (as_json.text, as_xml.text)
    assert as_json.headers["content-type"] == "application/json; charset=utf-8"
    assert xml_data(as_xml) == as_xml_says(as_json.json())
    return as_json.json()


def assert_spec_error(response: requests.Response, status: int, code: str | None = None) -> str:
    """The spec's error list with the HTTP status as its code; ours in X-Lapor-Error. Returns the description."""
    assert response.status_code == status, response.text
    if response.headers["content-type"].startswith("text/xml"):
        (error,) = xml_data(response)
        assert error["code"] == str(status)
    else:
        (error,) = response.json()
        assert error["code"] == status
    assert error["description"]
    if code:
        assert response.headers["x-lapor-error"] == code
    return str(error["description"])


# ---- fixtures -----------------------------------------------------------------------------------------------------

def import_reference(backend: Backend) -> None:
    with backend.db.transaction() as session:
        admin.import_reference(session, categories_json=None, policy_json=None, holiday_years=range(2026, 2027))


def _reporter(name: str = "Siti Aminah") -> dict[str, Any]:
    return {"name": name, "phone": "081298765432", "email": "siti.aminah@contoh.id", "nik": "3404014506900002",
            "address": "Jl. Rumah Pelapor 7", "consent_given": True}


def _requests(backend: Backend, **params: Any) -> list[dict[str, Any]]:
    return list(both(backend, f"{OPEN311}/requests", params=params))


def _codes(rows: list[dict[str, Any]]) -> set[str]:
    return {r["service_request_id"] for r in rows}


@pytest.fixture
def published(backend: Backend, device_a: Device, office_a: SeededOffice) -> dict[str, dict[str, Any]]:
    """Complaints of several kinds over ten days: open, closed (archived), confidential, anonymous, and one of a
    sub-category whose parent is listed too."""
    import_reference(backend)
    old = create(backend, category_id="infrastruktur.jalan", title="Jalan desa rusak sejak musim hujan",
                 reporter=_reporter())
    backend.clock.advance(days=10)
    road = create(backend, category_id="infrastruktur.jalan", reporter=_reporter())
    lamp = create(backend, reporter=_reporter())
    secret = create(backend, is_confidential=True, title="Dugaan pungutan liar di kantor kecamatan",
                    reporter=_reporter("Rahasia Widodo"), category_id="adminduk.akta_pencatatan_sipil")
    anon = create(backend, is_anonymous=True, reporter={"name": "Anonim Lestari", "consent_given": True},
                  category_id="adminduk.akta_pencatatan_sipil")
    route(backend, lamp["id"], office_a.id)
    archive = device_a.transition(lamp["id"], "archive", Status.BELUM_TERVERIFIKASI, Status.DIARSIPKAN,
                                  user_id=office_a.admin, base_version=0, text="Laporan ganda.",
                                  fields={"archive_reason": "DUPLIKAT"})
    assert device_a.push_one(archive)["status"] == "applied"
    return {"old": old, "road": road, "lamp": lamp, "secret": secret, "anon": anon}


# ---- services -----------------------------------------------------------------------------------------------------

def test_services_list_every_category_with_its_group(backend: Backend) -> None:
    assert both(backend, f"{OPEN311}/services") == []
    import_reference(backend)
    services = both(backend, f"{OPEN311}/services")
    by_code = {s["service_code"]: s for s in services}
    assert by_code["infrastruktur.jalan"] == {
        "service_code": "infrastruktur.jalan", "service_name": "Jalan dan Jembatan", "description": "Roads and bridges",
        "metadata": True, "type": "realtime", "keywords": "Roads and bridges, Infrastruktur, Infrastructure",
        "group": "Infrastruktur"}
    parent = by_code["adminduk"]
    assert parent["group"] == parent["service_name"] == "Administrasi Kependudukan"
    assert "adminduk.akta_pencatatan_sipil" in parent["description"]
    assert by_code["adminduk.akta_pencatatan_sipil"]["group"] == "Administrasi Kependudukan"
    assert len(services) == 57 and [s["service_code"] for s in services] == sorted(by_code)


def test_service_definition(backend: Backend) -> None:
    import_reference(backend)
    for code in ("infrastruktur.jalan", "adminduk"):
        definition = both(backend, f"{OPEN311}/services/{code}")
        assert definition["service_code"] == code
        attributes = {a["code"]: a for a in definition["attributes"]}
        assert list(attributes) == ["klasifikasi", "judul", "tanggal_kejadian"]
        assert [a["order"] for a in definition["attributes"]] == [1, 2, 3]
        assert not any(a["required"] for a in definition["attributes"])
        kinds = attributes["klasifikasi"]
        assert kinds["datatype"] == "singlevaluelist"
        assert [v["key"] for v in kinds["values"]] == ["PENGADUAN", "ASPIRASI", "PERMINTAAN_INFORMASI"]
        assert attributes["tanggal_kejadian"]["datatype"] == "datetime"
    for fmt in FORMATS:
        assert_spec_error(backend.get(f"{OPEN311}/services/tidak.ada.{fmt}"), 404, "unknown_service_code")


# ---- requests -----------------------------------------------------------------------------------------------------

def test_requests_and_their_filters(backend: Backend, published: dict[str, dict[str, Any]]) -> None:
    codes = {k: v["tracking_code"] for k, v in published.items()}
    everything = _requests(backend)
    assert _codes(everything) == {codes["old"], codes["road"], codes["lamp"], codes["anon"]}
    assert codes["secret"] not in str(everything)
    by_code = {r["service_request_id"]: r for r in everything}
    lamp = by_code[codes["lamp"]]
    assert lamp["status"] == "closed" and lamp["status_notes"] == "DIARSIPKAN: Diarsipkan"
    assert lamp["agency_responsible"] == "Pemerintah Kabupaten Sleman"
    road = by_code[codes["road"]]
    assert road["status"] == "open" and road["service_name"] == "Jalan dan Jembatan"
    assert road["agency_responsible"] is None  # not routed to an office yet
    assert list(road) == ["service_request_id", "status", "status_notes", "service_name", "service_code",
                          "description", "agency_responsible", "service_notice", "requested_datetime",
                          "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
                          "long", "media_url"]
    assert road["requested_datetime"].endswith("Z") and road["address_id"] == "34.04"

    assert _codes(_requests(backend, status="open")) == {codes["old"], codes["road"], codes["anon"]}
    assert _codes(_requests(backend, status="closed")) == {codes["lamp"]}
    assert _codes(_requests(backend, status="open,closed")) == _codes(everything)
    assert _codes(_requests(backend, service_code="infrastruktur.jalan")) == {codes["old"], codes["road"]}
    now = backend.clock()
    recent = _requests(backend, start_date=(now - timedelta(days=5)).isoformat())
    assert _codes(recent) == {codes["road"], codes["lamp"], codes["anon"]}
    older = _requests(backend, end_date=(now - timedelta(days=5)).isoformat())
    assert _codes(older) == {codes["old"]}
    assert _requests(backend, start_date=(now + timedelta(days=1)).isoformat()) == []
    both_ids = _requests(backend, service_request_id=f"{codes['road']},{codes['secret']},{codes['lamp']}")
    assert _codes(both_ids) == {codes["road"], codes["lamp"]}
    # The spec: service_request_id overrides every other argument.
    assert _codes(_requests(backend, service_request_id=codes["road"], status="closed")) == {codes["road"]}
    # An empty argument is no argument (the spec's "Optional Arguments").
    assert _codes(_requests(backend, status="", service_code="", start_date="")) == _codes(everything)
    # Newest first.
    assert [r["service_request_id"] for r in everything][-1] == codes["old"]


def test_codes_agree_between_services_and_requests(backend: Backend, published: dict[str, dict[str, Any]]) -> None:
    """A listed parent code returns its sub-categories' requests; every code a request carries is listed, and
    filtering by it finds that request."""
    codes = {k: v["tracking_code"] for k, v in published.items()}
    listed = {s["service_code"] for s in both(backend, f"{OPEN311}/services")}
    everything = _requests(backend)
    for row in everything:
        assert row["service_code"] in listed
        assert row["service_request_id"] in _codes(_requests(backend, service_code=row["service_code"]))
    assert _codes(_requests(backend, service_code="adminduk")) == {codes["anon"]}
    assert _codes(_requests(backend, service_code="infrastruktur")) == {codes["old"], codes["road"], codes["lamp"]}
    assert _codes(_requests(backend, service_code="adminduk,infrastruktur.jalan")) == {
        codes["anon"], codes["old"], codes["road"]}
    assert _requests(backend, service_code="kesehatan") == []
    assert _requests(backend, service_code="tidak.ada") == []


def test_bad_arguments_are_spec_errors(backend: Backend, published: dict[str, dict[str, Any]]) -> None:
    now = backend.clock()
    for fmt in FORMATS:
        url = f"{OPEN311}/requests.{fmt}"
        reversed_dates = {"start_date": now.isoformat(), "end_date": (now - timedelta(days=1)).isoformat()}
        assert "start_date" in assert_spec_error(backend.get(url, params=reversed_dates), 400, "bad_dates")
        too_long = {"start_date": (now - timedelta(days=91)).isoformat(), "end_date": now.isoformat()}
        assert "90" in assert_spec_error(backend.get(url, params=too_long), 400, "bad_dates")
        assert_spec_error(backend.get(url, params={"start_date": "kemarin"}), 400, "bad_dates")
        assert_spec_error(backend.get(url, params={"status": "pending"}), 400, "bad_status")
        assert_spec_error(backend.get(url, params={"service_code": "a\u0000"}), 400, "invalid_request")
        assert_spec_error(backend.get(url, params={"jurisdiction_id": "99.99"}), 404, "jurisdiction_not_found")
        assert_spec_error(backend.get(f"{OPEN311}/services.{fmt}", params={"jurisdiction_id": "x"}), 404)
        assert_spec_error(backend.get(f"{OPEN311}/tidak-ada.{fmt}"), 404, "not_found")
    assert_spec_error(backend.get(f"{OPEN311}/services.html"), 404)  # XML, the spec's required format
    assert_spec_error(backend.get("/open311/v3/services"), 404)


def test_one_request(backend: Backend, published: dict[str, dict[str, Any]]) -> None:
    code = published["road"]["tracking_code"]
    (row,) = both(backend, f"{OPEN311}/requests/{code}")
    assert row["service_request_id"] == code and row["status"] == "open"
    (same,) = both(backend, f"{OPEN311}/requests/{code.replace('-', '')}")  # typed without dashes
    assert same == row
    for fmt in FORMATS:
        hidden = backend.get(f"{OPEN311}/requests/{published['secret']['tracking_code']}.{fmt}")
        assert_spec_error(hidden, 404, "not_found")
        assert_spec_error(backend.get(f"{OPEN311}/requests/0000-000-000000-0.{fmt}"), 404, "not_found")


def test_jurisdiction_is_an_office(backend: Backend, office_a: SeededOffice,
                                   published: dict[str, dict[str, Any]]) -> None:
    """jurisdiction_id names an office by its region code: its requests only (the unrouted ones are national)."""
    sleman = _requests(backend, jurisdiction_id="34.04")
    assert _codes(sleman) == {published["lamp"]["tracking_code"]}
    assert len(both(backend, f"{OPEN311}/services", params={"jurisdiction_id": "34.04"})) == 57
    road = published["road"]["tracking_code"]
    assert_spec_error(backend.get(f"{OPEN311}/requests/{road}.xml", params={"jurisdiction_id": "34.04"}), 404)


def test_no_reporter_identity_anywhere(backend: Backend, published: dict[str, dict[str, Any]]) -> None:
    every_code = ",".join(c["tracking_code"] for c in published.values())
    for fmt in FORMATS:
        bodies = [backend.get(f"{OPEN311}/requests.{fmt}").text, backend.get(f"{OPEN311}/services.{fmt}").text,
                  backend.get(f"{OPEN311}/requests.{fmt}", params={"service_request_id": every_code}).text]
        bodies += [backend.get(f"{OPEN311}/requests/{c['tracking_code']}.{fmt}").text for c in published.values()]
        for body in bodies:
            for secret in IDENTITY:
                assert secret not in body
            assert "pungutan liar" not in body  # the confidential complaint's text


def test_discovery(backend: Backend) -> None:
    found = backend.get("/open311/discovery.json")
    assert found.status_code == 200
    document = found.json()
    assert xml_data(backend.get("/open311/discovery.xml")) == as_xml_says(document)
    (endpoint,) = document["endpoints"]
    assert endpoint == {"specification": "http://wiki.open311.org/GeoReport_v2", "url": backend.url + OPEN311,
                        "changeset": document["changeset"], "type": "production",
                        "formats": ["text/xml", "application/json"]}
    assert document["contact"] and "api" in document["key_service"].lower()
    import_reference(backend)  # the services changed: so does the changeset, and it sorts after the old one
    assert backend.get("/open311/discovery.json").json()["changeset"] > document["changeset"]


# ---- posting ------------------------------------------------------------------------------------------------------

@pytest.fixture
def api_key(backend: Backend, office_a: SeededOffice) -> str:
    import_reference(backend)
    with backend.db.transaction() as session:
        return admin.create_api_key(session, "Aplikasi kota", admin.find_office(session, office_a.id),
                                    backend.clock())


FORM = {"service_code": "infrastruktur.drainase", "lat": "-7.716", "long": "110.355",
        "address_string": "Jl. Kaliurang km 9", "first_name": "Dewi", "last_name": "Lestari",
        "email": "dewi.lestari@contoh.id",
        "description": "Saluran air tersumbat sampah sehingga jalan tergenang setiap hujan turun."}


def test_posting_a_request_needs_an_api_key(backend: Backend, device_a: Device, api_key: str) -> None:
    posted = backend.post(f"{OPEN311}/requests.json", data={**FORM, "api_key": api_key})
    assert posted.status_code == 201, posted.text
    (receipt,) = posted.json()
    assert list(receipt) == ["service_request_id", "service_notice", "account_id"] and receipt["account_id"] is None
    code = receipt["service_request_id"]
    (row,) = both(backend, f"{OPEN311}/requests/{code}")
    assert row["service_code"] == "infrastruktur.drainase" and row["lat"] == -7.716
    assert row["agency_responsible"] == "Pemerintah Kabupaten Sleman"
    assert "Dewi" not in backend.get(f"{OPEN311}/requests/{code}.json").text
    pulled = [c for c in device_a.pull_all()[0] if c["entity_type"] == "complaint"]
    assert [c["data"]["tracking_code"] for c in pulled] == [code]  # routed to the key's office

    as_xml = backend.post(f"{OPEN311}/requests.xml", data={**FORM, "api_key": api_key})
    assert as_xml.status_code == 201
    (receipt_xml,) = xml_data(as_xml)
    assert list(receipt_xml) == ["service_request_id", "service_notice", "account_id"]
    assert receipt_xml["account_id"] is None and receipt_xml["service_request_id"] != code
    assert backend.post(f"{OPEN311}/requests.json", json={**FORM, "api_key": api_key}).status_code == 201


def test_posting_with_the_definitions_attributes(backend: Backend, api_key: str) -> None:
    form = {**FORM, "api_key": api_key, "address_id": "34.04.12", "attribute[klasifikasi]": "ASPIRASI",
            "attribute[judul]": "Saluran air Jalan Kaliurang tersumbat",
            "attribute[tanggal_kejadian]": (backend.clock() - timedelta(days=2)).date().isoformat()}
    code = backend.post(f"{OPEN311}/requests.xml", data=form)
    assert code.status_code == 201, code.text
    (receipt,) = xml_data(code)
    as_json = backend.post(f"{OPEN311}/requests.json", json={
        **FORM, "api_key": api_key, "attribute": {"klasifikasi": "PERMINTAAN_INFORMASI"}})
    assert as_json.status_code == 201, as_json.text
    with backend.db.transaction() as session:
        stored = {c.tracking_code: c for c in session.query(Complaint)}
        first = stored[receipt["service_request_id"]]
        assert (first.classification, first.title, first.region_code) == (
            "ASPIRASI", "Saluran air Jalan Kaliurang tersumbat", "34.04.12")
        assert first.incident_date == (backend.clock() - timedelta(days=2)).date()
        assert stored[as_json.json()[0]["service_request_id"]].classification == "PERMINTAAN_INFORMASI"


def test_posting_refusals_are_spec_errors(backend: Backend, api_key: str) -> None:
    for fmt in FORMATS:
        url = f"{OPEN311}/requests.{fmt}"
        for data in ({**FORM, "api_key": "kunci-salah"}, FORM):
            assert_spec_error(backend.post(url, data=data), 403, "invalid_api_key")
        good = {**FORM, "api_key": api_key}
        assert_spec_error(backend.post(url, data={**good, "service_code": "x"}), 404, "unknown_service_code")
        assert_spec_error(backend.post(url, data={**good, "service_code": ""}), 400, "unknown_service_code")
        assert_spec_error(backend.post(url, data={**good, "description": "banjir"}), 400, "validation")
        assert_spec_error(backend.post(url, data={**good, "attribute[klasifikasi]": "GOSIP"}), 400, "validation")
        assert_spec_error(backend.post(url, data={**good, "attribute[tanggal_kejadian]": "besok"}), 400, "bad_date")
        assert_spec_error(backend.post(url, data={**good, "lat": "nan"}), 400, "bad_coordinate")
        assert_spec_error(backend.post(url, data={**good, "address_id": "99.99"}), 400, "validation")
        assert_spec_error(backend.post(url, data={**good, "jurisdiction_id": "51.03"}), 404, "jurisdiction_not_found")
        for body in ("[1, 2]", '"teks"', "{rusak", '{"api_key": ["x"]}', '{"api_key": 5}', '{"api_key": "a\\u0000"}',
                     '{"api_key": "\\udbac"}', '{"api_key": "' + api_key + '", "description": "\\ud800"}'):
            odd = backend.post(url, data=body, headers={"Content-Type": "application/json"})
            assert 400 <= odd.status_code < 500, (body, odd.text)
            assert_spec_error(odd, odd.status_code)
