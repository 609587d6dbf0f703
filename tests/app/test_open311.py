"""The Open311 serializer (app.open311) without a server: a complaint's public facts as a GeoReport request, odd text
in XML (escaped, still well-formed, saying what the JSON says), services from the category tree and the code rule,
the spec's date window, and the desktop export's requests from the store: the office's complaints only, never a
confidential one, never a reporter's identity, the filters as the server applies them. Synthetic data."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.domain import ArchiveReason, Channel, Classification, Role, Status
from app.inputs import IntakeInput, ReporterInput
from app.models import Complaint
from app.open311 import (
    RequestFilter,
    errors,
    requests_from_store,
    service_definition,
    service_list,
    service_request,
    services_matching,
    spec_window,
    to_xml,
)
from app.reference.categories import default_categories
from app.services import intake
from app.services import workflow_actions as wf
from tests.helpers.world import World

NAME, NIK, PHONE = "Sri Wahyuningsih", "3404125508870003", "081355550123"
EMAIL, ADDRESS = "sri.w@contoh.id", "Jl. Kenanga No. 7, Minomartani"
IDENTITY = (NAME, NIK, PHONE, "+6281355550123", "81355550123", EMAIL, ADDRESS, "Kenanga")
SECRET_TEXT = "Dugaan pungutan liar oleh oknum petugas di kantor kecamatan setiap pengurusan surat."
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Facts:
    """A complaint's public facts, as either Complaint row carries them."""

    tracking_code: str = "3404-001-000007-4"
    status: str = Status.DIDISPOSISIKAN
    category_id: str | None = "infrastruktur.jalan"
    description: str = "Jalan di depan pasar berlubang besar dan membahayakan pengendara."
    office_id: str | None = "kantor-1"
    region_code: str | None = "34.04.12.2002"
    address: str | None = "Jl. Kaliurang km 9"
    latitude: float | None = -7.716
    longitude: float | None = 110.355
    is_confidential: bool = False
    received_at: datetime = T0
    updated_at: datetime = T0 + timedelta(days=2, microseconds=1500)
    closed_at: datetime | None = None


@dataclass(frozen=True)
class Cat:
    id: str
    parent_id: str | None
    name: str
    name_en: str = ""
    active: bool = True


NAMES = {"infrastruktur.jalan": "Jalan dan Jembatan"}
AGENCIES = {"kantor-1": "Pemerintah Kabupaten Sleman"}


def xml_read(data: bytes) -> ET.Element:
    assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n')
    return ET.fromstring(data)


# ---- one request --------------------------------------------------------------------------------------------------

def test_a_request_has_the_spec_fields_in_order() -> None:
    row = service_request(Facts(), NAMES, AGENCIES)
    assert row == {
        "service_request_id": "3404-001-000007-4", "status": "open",
        "status_notes": "DIDISPOSISIKAN: Didisposisikan", "service_name": "Jalan dan Jembatan",
        "service_code": "infrastruktur.jalan",
        "description": "Jalan di depan pasar berlubang besar dan membahayakan pengendara.",
        "agency_responsible": "Pemerintah Kabupaten Sleman", "service_notice": None,
        "requested_datetime": "2026-03-02T02:00:00Z", "updated_datetime": "2026-03-04T02:00:00Z",
        "expected_datetime": None, "address": "Jl. Kaliurang km 9", "address_id": "34.04.12.2002", "zipcode": None,
        "lat": -7.716, "long": 110.355, "media_url": None}
    json.dumps(row, allow_nan=False)  # plain JSON


@pytest.mark.parametrize(("status", "open_or_closed"), [
    (Status.BELUM_TERVERIFIKASI, "open"), (Status.DIDISPOSISIKAN, "open"), (Status.DITINDAKLANJUTI, "open"),
    (Status.DITUNDA, "open"), (Status.BUKAN_WEWENANG, "open"), (Status.SELESAI, "closed"),
    (Status.DIARSIPKAN, "closed")])
def test_statuses_map_to_open_or_closed(status: Status, open_or_closed: str) -> None:
    closed_at = T0 + timedelta(days=5)
    row = service_request(Facts(status=status, closed_at=closed_at if open_or_closed == "closed" else None,
                                updated_at=T0 + timedelta(days=9)), NAMES, AGENCIES)
    assert row["status"] == open_or_closed and row["status_notes"].startswith(f"{status}: ")
    # The spec: a closed request's updated_datetime is when it was closed (a later note does not move it).
    assert row["updated_datetime"] == ("2026-03-07T02:00:00Z" if open_or_closed == "closed" else "2026-03-11T02:00:00Z")


def test_a_confidential_complaint_is_never_a_request() -> None:
    with pytest.raises(ValueError, match="confidential"):
        service_request(Facts(is_confidential=True), NAMES, AGENCIES)


def test_missing_facts_are_null_and_odd_coordinates_are_dropped() -> None:
    row = service_request(Facts(category_id=None, office_id=None, region_code=None, address="", latitude=float("nan"),
                                longitude=float("inf"), received_at=datetime(2026, 3, 2, 9, 0)), NAMES, AGENCIES)
    assert (row["service_code"], row["service_name"], row["agency_responsible"], row["address"]) == (None,) * 4
    assert (row["address_id"], row["lat"], row["long"]) == (None, None, None)
    assert row["requested_datetime"] == "2026-03-02T09:00:00Z"  # a naive time is UTC
    json.dumps(row, allow_nan=False)


ODD = ("Tanda <b>tebal</b> & \"kutip\" 'tunggal' ]]> <!-- bukan komentar --> <?pi?> &amp; \r\nbaris\rdua\n"
       "kontrol\x00\x08\x0b\x0c\x1b\x7f tab\t emoji 🚧 RTL \u202eعربى\u202c surrogat \ud800 akhir \ufffe\uffff")


def test_odd_text_is_escaped_and_reads_back_as_the_json_says() -> None:
    row = service_request(Facts(description=ODD, address="Gg. <Mawar> & Melati"), NAMES,
                          {"kantor-1": "Dinas \"PU\" & <Tata> Ruang"})
    description = row["description"]
    assert "\r" not in description and "baris\ndua\n" in description  # line breaks as LF in both formats
    for bad in ("\x00", "\x08", "\x0b", "\x0c", "\x1b", "\ud800", "\ufffe", "\uffff"):
        assert bad not in description
    assert "\ufffd" in description and "\x7f" in description and "🚧" in description and "\u202e" in description
    data = to_xml("service_requests", [row])
    assert b"<b>" not in data and b"]]>" not in data and b"<!--" not in data
    data.decode("utf-8")  # encodable: no lone surrogate left
    (request,) = xml_read(data)
    assert request.tag == "request"
    read = {child.tag: child.text for child in request}
    assert list(read) == list(row)
    assert read["description"] == description
    assert read["address"] == "Gg. <Mawar> & Melati"
    assert read["agency_responsible"] == "Dinas \"PU\" & <Tata> Ruang"
    assert read["service_notice"] is None and read["lat"] == "-7.716"


def test_descriptions_are_cut_at_the_specs_4000_characters() -> None:
    row = service_request(Facts(description="a" * 4500), NAMES, AGENCIES)
    assert len(row["description"]) == 4000 and row["description"].endswith("…")


def test_errors_and_definitions_in_xml() -> None:
    root = xml_read(to_xml("errors", errors(403, "Kunci <salah> & ditolak\x01")))
    assert [(e.findtext("code"), e.findtext("description")) for e in root] == [("403", "Kunci <salah> & ditolak\ufffd")]
    definition = xml_read(to_xml("service_definition", service_definition("adminduk")))
    assert definition.findtext("service_code") == "adminduk"
    first = definition.find("attributes/attribute")
    assert first is not None and first.findtext("variable") == "true" and first.findtext("required") == "false"
    assert [v.findtext("key") for v in first.iterfind("values/value")] == [c.value for c in Classification]
    assert definition.find("attributes/attribute[2]/values") is None  # a string attribute has no values


# ---- services and the code rule -----------------------------------------------------------------------------------

def test_services_from_the_bundled_tree() -> None:
    cats = [Cat(c.id, c.parent_id, c.name, c.name_en) for c in default_categories()]
    services = service_list(cats)
    assert len(services) == len(cats) == 57
    by_code = {s["service_code"]: s for s in services}
    for c in cats:
        parent = c.parent_id or c.id
        assert by_code[c.id]["group"] == next(p.name for p in cats if p.id == parent)
    assert by_code["lainnya"]["group"] == by_code["lainnya"]["service_name"]
    assert all(s["metadata"] is True and s["type"] == "realtime" for s in services)


def test_inactive_categories_are_not_listed_but_still_match() -> None:
    cats = [Cat("a", None, "A", "Alpha"), Cat("a.x", "a", "AX"), Cat("a.old", "a", "A lama", active=False),
            Cat("a.x.deep", "a.x", "Dalam"), Cat("b", None, "B", active=False)]
    services = service_list(cats)
    assert [s["service_code"] for s in services] == ["a", "a.x", "a.x.deep"]
    assert [s["group"] for s in services] == ["A", "A", "A"]
    assert services[0]["description"] == "Alpha; includes a.x"
    assert services[1]["description"] == "AX; includes a.x.deep"
    assert services_matching(["a"], cats) == {"a", "a.x", "a.old", "a.x.deep"}
    assert services_matching(["a.x", "tidak"], cats) == {"a.x", "a.x.deep", "tidak"}
    assert services_matching([], cats) == set()


def test_a_cycle_in_the_tree_does_not_hang() -> None:
    cats = [Cat("p", "q", "P"), Cat("q", "p", "Q")]
    assert {s["group"] for s in service_list(cats)} <= {"P", "Q"}
    assert services_matching(["p"], cats) == {"p", "q"}


# ---- the spec's window --------------------------------------------------------------------------------------------

def test_the_spec_window() -> None:
    now = T0
    day = timedelta(days=1)
    assert spec_window(None, None, now) == (now - 90 * day, now)
    assert spec_window(now - 10 * day, None, now) == (now - 10 * day, now + 80 * day)
    assert spec_window(None, now - 10 * day, now) == (now - 100 * day, now - 10 * day)
    assert spec_window(now - 90 * day, now, now) == (now - 90 * day, now)
    with pytest.raises(ValueError, match="start_date"):
        spec_window(now, now - day, now)
    with pytest.raises(ValueError, match="90"):
        spec_window(now - 91 * day, now, now)


# ---- the desktop export -------------------------------------------------------------------------------------------

def _take_in(world: World, *, category: str, anonymous: bool = False, confidential: bool = False,
             description: str = "Lampu penerangan jalan di simpang pasar padam dua minggu, rawan kecelakaan.") -> str:
    inp = IntakeInput(
        classification=Classification.PENGADUAN, channel=Channel.WALK_IN, title="Laporan warga tentang layanan",
        description=description, category_id=category, region_code="34.04.12.2002",
        address="Simpang Pasar Minomartani", is_anonymous=anonymous, is_confidential=confidential,
        reporter=ReporterInput(name=NAME, nik=NIK, phone=PHONE, email=EMAIL, address=ADDRESS, consent_given=True))
    return intake(world.ctx, world.users[Role.PETUGAS_LOKET], inp).complaint_id


@pytest.fixture
def office(world: World) -> dict[str, str]:
    """Complaints over ten days: named, anonymous, confidential, archived, one in another unit."""
    ids = {"lamp": _take_in(world, category="infrastruktur.penerangan_jalan")}
    world.clock.advance(days=10)
    ids["anon"] = _take_in(world, category="adminduk.akta_pencatatan_sipil", anonymous=True)
    ids["secret"] = _take_in(world, category="adminduk.ktp_el", confidential=True, description=SECRET_TEXT)
    ids["road"] = _take_in(world, category="infrastruktur.jalan")
    ids["dup"] = _take_in(world, category="infrastruktur.jalan")
    admin = world.users[Role.ADMIN_INSTANSI]
    wf.archive(world.ctx, admin, ids["dup"], reason_code=ArchiveReason.DUPLIKAT, note="Sama dengan laporan jalan.")
    wf.dispose(world.ctx, admin, ids["road"], unit_id=world.units["Dinas Kesehatan"])
    wf.dispose(world.ctx, admin, ids["lamp"], unit_id=world.units["Dinas Pekerjaan Umum"])
    with world.store.read() as s:
        return {k: s.get(Complaint, v).tracking_code for k, v in ids.items()}  # type: ignore[union-attr]


def _export(world: World, f: RequestFilter | None = None, office_id: str | None = None) -> list[dict[str, Any]]:
    with world.store.read() as session:
        return requests_from_store(session, office_id or world.office_id, f)


def _ids(rows: list[dict[str, Any]]) -> list[str]:
    return [r["service_request_id"] for r in rows]


def test_the_export_is_the_offices_public_requests_newest_first(world: World, office: dict[str, str]) -> None:
    rows = _export(world)
    assert set(_ids(rows)) == {office["lamp"], office["anon"], office["road"], office["dup"]}
    assert _ids(rows)[-1] == office["lamp"]
    by_id = {r["service_request_id"]: r for r in rows}
    assert by_id[office["dup"]]["status"] == "closed" and by_id[office["road"]]["status"] == "open"
    assert by_id[office["road"]]["agency_responsible"] == "Pemerintah Kabupaten Sleman"
    assert by_id[office["anon"]]["service_name"] == "Akta Kelahiran, Kematian, dan Pencatatan Sipil"
    # What the export writes: the rows as JSON, or the spec's XML.
    for text in (json.dumps(rows, ensure_ascii=False), to_xml("service_requests", rows).decode("utf-8")):
        for secret in (*IDENTITY, SECRET_TEXT, office["secret"]):
            assert secret not in text
    assert _export(world, office_id=world.other_office_id) == []


def test_the_export_filters_as_the_server_does(world: World, office: dict[str, str]) -> None:
    def ids(**kwargs: Any) -> set[str]:
        return set(_ids(_export(world, RequestFilter(**kwargs))))

    assert ids(service_codes=("infrastruktur",)) == {office["lamp"], office["road"], office["dup"]}
    assert ids(service_codes=("adminduk",)) == {office["anon"]}  # the confidential one never
    assert ids(service_codes=("infrastruktur.jalan",)) == {office["road"], office["dup"]}
    assert ids(statuses=("closed",)) == {office["dup"]}
    assert ids(statuses=("open",)) == {office["lamp"], office["anon"], office["road"]}
    assert ids(complaint_statuses=(Status.DIDISPOSISIKAN,)) == {office["lamp"], office["road"]}
    assert ids(unit_id=world.units["Dinas Kesehatan"]) == {office["road"]}
    now = world.clock()
    assert ids(start=now - timedelta(days=1)) == {office["anon"], office["road"], office["dup"]}
    assert ids(end=now - timedelta(days=1)) == {office["lamp"]}
    assert ids(service_request_ids=(office["road"], office["secret"]), statuses=("closed",)) == {office["road"]}
    assert len(_export(world, RequestFilter(limit=2))) == 2
