"""Open311 GeoReport v2 read by a third-party client: ``lapor-server serve`` on 127.0.0.1 (SQLite and PostgreSQL), an
office PC that takes complaints in and syncs them, and the ``georeport`` package from PyPI listing services, reading
a service definition, reading requests, filtering them by a listed (parent) code, and reading one, in JSON and in XML,
configured from the server's discovery file. The client has no POST: posting is checked against the spec's own
examples, in both formats. The PC's Open311 export (app.open311.requests_from_store) says what the server says.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest
import requests

try:
    from georeport import GeoReport
except ImportError:  # pragma: no cover - the test extra installs it
    if os.environ.get("CI") == "true":
        pytest.fail("georeport is not installed — CI must install the test extra", pytrace=False)
    pytest.skip("georeport is not installed", allow_module_level=True)

from app.domain import ArchiveReason, Channel, Classification, Role
from app.inputs import IntakeInput, ReporterInput
from app.open311 import requests_from_store
from app.services import intake
from app.services import workflow_actions as wf
from app.timeutil import utcnow
from server import admin
from tests.server.test_open311 import as_xml_says
from tests.sync.fleet import PC, Office, seed_office
from tests.sync.serverproc import ServerProcess

BIN = Path(sys.executable).parent
NAME, NIK, PHONE, EMAIL = "Sri Wahyuningsih", "3404125508870003", "081355550123", "sri.w@contoh.id"
SECRET_TEXT = "Dugaan pungutan liar oleh oknum petugas di kantor kecamatan setiap pengurusan surat."

# The spec's POST Service Request example (wiki.open311.org/GeoReport_v2), every field of it, with this server's
# codes and Indonesian values in place of the example's.
SPEC_POST = [
    ("api_key", "{key}"), ("jurisdiction_id", "{jurisdiction}"), ("service_code", "infrastruktur.drainase"),
    ("lat", "-7.7160"), ("long", "110.3550"), ("address_string", "Jl. Kaliurang km 9, Sinduharjo, Ngaglik"),
    ("email", "dewi.lestari@contoh.id"), ("device_id", "tt222111"), ("account_id", "123456"),
    ("first_name", "Dewi"), ("last_name", "Lestari"), ("phone", "081298760001"),
    ("description", "Saluran air tersumbat sampah sehingga jalan tergenang setiap hujan turun."),
    ("media_url", "http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg"),
    ("attribute[klasifikasi]", "PENGADUAN"), ("attribute[WHISPAWN]", "123456"), ("attribute[WHISDORN]", "COISL001"),
]
# The spec's example answers to that POST, and to a refused one.
SPEC_POST_XML = """<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>293944</service_request_id>
        <service_notice>
            The City will inspect and require the responsible party to correct within 24 hours
        </service_notice>
        <account_id/>
    </request>
</service_requests>"""
SPEC_POST_JSON = [{"service_request_id": 293944, "service_notice": "The City will inspect and require the "
                   "responsible party to correct within 24 hours", "account_id": None}]
SPEC_ERROR_XML = """<?xml version="1.0" encoding="utf-8"?>
<errors>
    <error>
        <code>403</code>
        <description>Invalid api_key received -- can't proceed with create_request.</description>
    </error>
</errors>"""
SPEC_ERROR_JSON = [{"code": 403, "description": "Invalid api_key received -- can't proceed with create_request."}]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server per database kind for the module: the reading tests only read its office with complaints, and
    each posting test posts in an office of its own."""
    folder = tmp_path_factory.mktemp(f"open311-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'server.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_server").create_database()
    proc = ServerProcess(request.param, url, folder)
    # As the national admin sets a server up: the schema, then the reference data (the categories: Open311's
    # services).
    for step in (["migrate"], ["admin", "import-reference"]):
        subprocess.run([str(BIN / "lapor-server"), *step, "--db", url], check=True, capture_output=True,
                       timeout=120)
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()
        proc.close_db()


def _take_in(pc: PC, category: str, *, anonymous: bool = False, confidential: bool = False,
             description: str = "Lampu penerangan jalan di simpang pasar padam dua minggu, rawan kecelakaan.") -> str:
    inp = IntakeInput(
        classification=Classification.PENGADUAN, channel=Channel.WALK_IN, title="Laporan warga tentang layanan",
        description=description, category_id=category, region_code=pc.office.region_code,
        address="Simpang Pasar & <Terminal>", latitude=-7.7, longitude=110.4, is_anonymous=anonymous,
        is_confidential=confidential,
        reporter=ReporterInput(name=NAME, nik=NIK, phone=PHONE, email=EMAIL, consent_given=True))
    return intake(pc.ctx, pc.office.counter, inp).complaint_id


def _tracking_code(pc: PC, complaint_id: str) -> str:
    found = pc.complaint(complaint_id)
    assert found is not None
    return found.tracking_code


def _listed(value: Any) -> list[Any]:
    """xmltodict reads one repeated element as a dict and none as None: the client passes that on."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _shape(value: Any) -> Any:
    """What a payload's structure is, without its values: keys in order, lists, and which leaves are empty."""
    if isinstance(value, dict):
        return [(k, _shape(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return "empty" if value in (None, "") else "value"


def _xml_shape(element: ET.Element) -> Any:
    if len(element):
        return (element.tag, [_xml_shape(child) for child in element])
    return (element.tag, "value" if (element.text or "").strip() else "empty")


@pytest.fixture(scope="module")
def office_with_complaints(server: ServerProcess, tmp_path_factory: pytest.TempPathFactory, template_db: Path
                           ) -> Iterator[tuple[Office, PC, dict[str, str]]]:
    """An office whose PC took four complaints in and synced them; the tests that use it only read."""
    office = seed_office(server)
    pc = PC(tmp_path_factory.mktemp("pcs"), template_db, office, server.url)
    ids = {"lamp": _take_in(pc, "infrastruktur.penerangan_jalan"),
           "anon": _take_in(pc, "adminduk.akta_pencatatan_sipil", anonymous=True),
           "secret": _take_in(pc, "adminduk.ktp_el", confidential=True, description=SECRET_TEXT),
           "dup": _take_in(pc, "infrastruktur.jalan")}
    wf.archive(pc.ctx, office.users[Role.ADMIN_INSTANSI], ids["dup"], reason_code=ArchiveReason.DUPLIKAT,
               note="Sama dengan laporan lampu jalan.")
    pc.sync_until_quiet()
    try:
        yield office, pc, {k: _tracking_code(pc, v) for k, v in ids.items()}
    finally:
        pc.close()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_client_reads_the_server(server: ServerProcess, fmt: str,
                                               office_with_complaints: tuple[Office, PC, dict[str, str]]) -> None:
    office, _pc, codes = office_with_complaints
    # The client is pointed at the endpoint the discovery file names.
    found = requests.get(f"{server.url}/open311/discovery.{fmt}", timeout=30)
    assert found.status_code == 200
    document = found.json() if fmt == "json" else ET.fromstring(found.content)
    endpoint = (document["endpoints"][0]["url"] if isinstance(document, dict)
                else document.findtext("endpoints/endpoint/url"))
    assert endpoint == server.url + "/open311/v2"
    client = GeoReport(str(endpoint), output_format=fmt)
    in_office = GeoReport(str(endpoint), jurisdiction=office.region_code, output_format=fmt)

    services = client.get_service_list()
    listed = {s["service_code"]: s for s in services}
    assert len(listed) == 57 and listed["adminduk"]["group"] == "Administrasi Kependudukan"
    assert listed["adminduk.akta_pencatatan_sipil"]["group"] == "Administrasi Kependudukan"
    assert str(listed["adminduk"]["metadata"]).lower() == "true"

    definition = client.get_service_definition("adminduk")
    assert definition["service_code"] == "adminduk"
    attributes = (definition["attributes"] if fmt == "json"
                  else _listed(definition["attributes"]["attribute"]))
    assert [a["code"] for a in attributes] == ["klasifikasi", "judul", "tanggal_kejadian"]
    values = attributes[0]["values"] if fmt == "json" else _listed(attributes[0]["values"]["value"])
    assert [v["key"] for v in values] == ["PENGADUAN", "ASPIRASI", "PERMINTAAN_INFORMASI"]

    everything = _listed(in_office.get_service_requests())
    assert {r["service_request_id"] for r in everything} == {codes["lamp"], codes["anon"], codes["dup"]}
    by_id = {r["service_request_id"]: r for r in everything}
    assert by_id[codes["dup"]]["status"] == "closed" and by_id[codes["lamp"]]["status"] == "open"
    assert by_id[codes["lamp"]]["agency_responsible"] == office.name
    assert by_id[codes["lamp"]]["address"] == "Simpang Pasar & <Terminal>"
    # Filtering by a listed code: the parent finds its sub-categories' requests (never the confidential one).
    for parent, expected in (("adminduk", {codes["anon"]}), ("infrastruktur", {codes["lamp"], codes["dup"]})):
        assert listed[parent]
        assert {r["service_request_id"] for r in _listed(in_office.get_service_requests(service_code=parent))
                } == expected
    for row in everything:
        assert row["service_code"] in listed
    closed = _listed(in_office.get_service_requests(status="closed", service_code="infrastruktur"))
    assert [r["service_request_id"] for r in closed] == [codes["dup"]]
    several = _listed(client.get_service_requests(service_request_id=f"{codes['anon']},{codes['secret']}"))
    assert [r["service_request_id"] for r in several] == [codes["anon"]]

    one = client.get_service_request(codes["lamp"])
    assert one == by_id[codes["lamp"]]
    with pytest.raises(requests.HTTPError) as refused:
        client.get_service_request(codes["secret"])
    assert refused.value.response.status_code == 404

    # What the client read carries no reporter and nothing of the confidential complaint.
    text = json.dumps([services, definition, everything, one], ensure_ascii=False)
    for secret in (NAME, NIK, PHONE, EMAIL, SECRET_TEXT, codes["secret"]):
        assert secret not in text


def test_the_pcs_export_says_what_the_server_says(server: ServerProcess,
                                                  office_with_complaints: tuple[Office, PC, dict[str, str]]) -> None:
    office, pc, codes = office_with_complaints
    as_json = GeoReport(server.url + "/open311/v2", jurisdiction=office.region_code).get_service_requests()
    as_xml = _listed(GeoReport(server.url + "/open311/v2", jurisdiction=office.region_code,
                               output_format="xml").get_service_requests())
    assert as_xml == as_xml_says(as_json)
    with pc.store.read() as session:
        exported = requests_from_store(session, office.id)
    assert [r["service_request_id"] for r in exported] == [r["service_request_id"] for r in as_json]
    assert exported == as_json


@pytest.fixture
def office_to_post_to(server: ServerProcess, tmp_path: Path, template_db: Path) -> Iterator[tuple[Office, PC]]:
    """An office of this test's own, with an enrolled PC: what is posted there changes no other test's office."""
    office = seed_office(server)
    pc = PC(tmp_path / "pcs", template_db, office, server.url)
    try:
        yield office, pc
    finally:
        pc.close()


def _spec_form(key: str, jurisdiction: str) -> str:
    """The spec's example body, encoded the way the spec shows it (brackets left as they are)."""
    return "&".join(f"{name}={quote_plus(value.format(key=key, jurisdiction=jurisdiction), safe='')}"
                    for name, value in SPEC_POST)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_posting_as_the_spec_shows(server: ServerProcess, fmt: str, office_to_post_to: tuple[Office, PC]) -> None:
    office, pc = office_to_post_to
    with server.db.transaction() as session:
        key = admin.create_api_key(session, "Aplikasi kota", admin.find_office(session, office.id),
                                   utcnow())
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    posted = requests.post(f"{server.url}/open311/v2/requests.{fmt}", data=_spec_form(key, office.region_code),
                           headers=headers, timeout=30)
    assert posted.status_code == 201, posted.text
    if fmt == "xml":
        assert posted.headers["content-type"] == "text/xml; charset=utf-8"
        ours = ET.fromstring(posted.content)
        assert _xml_shape(ours) == _xml_shape(ET.fromstring(SPEC_POST_XML))
        code = ours.findtext("request/service_request_id")
    else:
        assert posted.headers["content-type"] == "application/json; charset=utf-8"
        assert _shape(posted.json()) == _shape(SPEC_POST_JSON)
        code = posted.json()[0]["service_request_id"]
    assert code

    # The request is there, read by the client in this format, routed to the key's office, without its reporter.
    client = GeoReport(server.url + "/open311/v2", jurisdiction=office.region_code, output_format=fmt)
    row = client.get_service_request(code)
    assert row["service_code"] == "infrastruktur.drainase" and row["status"] == "open"
    assert float(row["lat"]) == -7.716 and row["agency_responsible"] == office.name
    for secret in ("Dewi", "Lestari", "081298760001", "dewi.lestari@contoh.id", key):
        assert secret not in json.dumps(row)
    pc.sync_until_quiet()
    with pc.store.read() as session:
        assert code in {r["service_request_id"] for r in requests_from_store(session, office.id)}

    refused = requests.post(f"{server.url}/open311/v2/requests.{fmt}",
                            data=_spec_form("kunci-salah", office.region_code), headers=headers, timeout=30)
    assert refused.status_code == 403
    if fmt == "xml":
        assert _xml_shape(ET.fromstring(refused.content)) == _xml_shape(ET.fromstring(SPEC_ERROR_XML))
        assert ET.fromstring(refused.content).findtext("error/code") == "403"
    else:
        assert _shape(refused.json()) == _shape(SPEC_ERROR_JSON) and refused.json()[0]["code"] == 403


def test_the_server_logged_no_problem(server: ServerProcess,
                                      office_with_complaints: tuple[Office, PC, dict[str, str]]) -> None:
    """Bad input answered as the spec's errors is not a server problem: nothing above INFO in the log (which holds
    all this module did on the server: the syncs, the reads, the posts and the refused post)."""
    base = server.url + "/open311/v2"
    for fmt in ("json", "xml"):
        for path, params in ((f"requests.{fmt}", {"start_date": "kemarin"}), (f"requests.{fmt}", {"status": "x"}),
                             (f"services/tidak.ada.{fmt}", {}), (f"requests/1.{fmt}", {}), (f"nothing.{fmt}", {})):
            assert 400 <= requests.get(f"{base}/{path}", params=params, timeout=30).status_code < 500
    problems = []
    for line in server.log_path.read_text(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            problems.append(line)
            continue
        if record.get("level") in ("WARNING", "ERROR", "CRITICAL") or "exc" in record:
            problems.append(line)
    assert not problems, problems
