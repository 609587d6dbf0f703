"""The exports read back and compared with the database (app.export): the xlsx through openpyxl (typed cells, the
frozen header, the autofilter, widths, the notes sheet), the CSV through csv (BOM, ``;``, decimal comma, ISO dates),
Open311 through json and ElementTree (the serializer's own requests); the rows, their order and their count are the
list's for the same filter. Synthetic data only: the office here and its people are made up."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from app.domain import ArchiveReason, Channel, Classification, DeadlineState, Role, Status
from app.export import ExportFormat, ExportRequest, export_complaints
from app.export.complaints import COLUMNS
from app.inputs import IntakeInput, ReporterInput
from app.models import Complaint
from app.open311 import RequestFilter, requests_from_store
from app.read import queries
from app.read.queries import ComplaintFilter
from app.reference.labels import label
from app.services import archive, dispose, intake
from app.timeutil import zone
from tests.helpers.world import World

# These tests read the query layer for the whole office on purpose (a bare office id; app.rules.scope).
pytestmark = pytest.mark.filterwarnings("ignore::app.rules.scope.UnscopedRead")

WIB = zone("Asia/Jakarta")
HEADER = [c.header.id for c in COLUMNS]
TIMES = {"Diterima", "Didisposisikan", "Ditindaklanjuti", "Ditutup", "Tenggat berikutnya", "Tenggat penyelesaian"}
HEADER_WIB = [f"{h} (WIB)" if h in TIMES else h for h in HEADER]

# The people and secrets of this office (made up): none may reach a default export.
NAMED = ReporterInput(name="Sri Wahyuningsih", nik="3404125508870003", phone="081355550123",
                      email="sri.w@contoh.id", address="Jl. Kenanga No. 7, Minomartani", consent_given=True)
ANONYMOUS = ReporterInput(name="Bambang Sutrisno", nik="3404121507800001", phone="081377770456",
                          email="bambang.s@contoh.id", address="Jl. Flamboyan No. 12, Sariharjo", consent_given=True)
WHISTLEBLOWER = ReporterInput(name="Rina Kartikasari", nik="3404010101900001", phone="081399990789",
                              email="rina.k@contoh.id", address="Jl. Cempaka No. 3, Condongcatur", consent_given=True)
NEIGHBOUR = ReporterInput(name="Agus Setiawan", phone="081311112222", address="Jl. Melati No. 21, Caturtunggal",
                          consent_given=True)
SECRET_TITLE = "Dugaan pungutan liar oleh oknum petugas kecamatan"
SECRET_TEXT = "Setiap pengurusan surat pindah di kantor kecamatan diminta uang tambahan tanpa kuitansi resmi."
SECRET_ADDRESS = "Kantor Kecamatan Ngaglik lantai dua, loket tiga"
SECRET_COORDS = (-7.712345, 110.398765)


def identity_strings(person: ReporterInput) -> list[str]:
    """Every way the person's data could be written: as typed, the phone as stored (+62) and without the 0."""
    assert person.phone and person.address
    return [s for s in (person.name, person.nik, person.phone, "+62" + person.phone[1:], person.phone[1:],
                        person.email, person.address) if s]


FORBIDDEN = [*identity_strings(NAMED), *identity_strings(ANONYMOUS), *identity_strings(WHISTLEBLOWER),
             *identity_strings(NEIGHBOUR),
             SECRET_TITLE, SECRET_TEXT, SECRET_ADDRESS, str(SECRET_COORDS[0]), str(SECRET_COORDS[1]),
             str(SECRET_COORDS[0]).replace(".", ",")]


@dataclass
class Office:
    world: World
    named: str = ""
    anonymous: str = ""
    secret: str = ""
    odd: str = ""
    archived: str = ""
    elsewhere: str = ""

    @property
    def ids(self) -> list[str]:
        return [self.named, self.anonymous, self.secret, self.odd, self.archived]


def take_in(world: World, title: str, *, reporter: ReporterInput = NEIGHBOUR, by: str = Role.PETUGAS_LOKET,
            **fields: Any) -> str:
    inp = IntakeInput(classification=fields.pop("classification", Classification.PENGADUAN),
                      channel=fields.pop("channel", Channel.WALK_IN), title=title,
                      description=fields.pop("description", "Uraian pengaduan yang cukup panjang untuk lolos "
                                                            "validasi data masukan dari warga."),
                      reporter=reporter, **fields)
    cid = intake(world.ctx, world.users.get(by, by), inp).complaint_id
    world.clock.advance(minutes=30)
    return cid


@pytest.fixture
def office(world: World) -> Office:
    o = Office(world)
    admin, today = world.users[Role.ADMIN_INSTANSI], world.clock().astimezone(WIB).date()
    o.named = take_in(world, "Lampu jalan padam di simpang tiga Pasar Minomartani", reporter=NAMED,
                      category_id="infrastruktur.jalan", region_code="34.04.12.2002",
                      address="Simpang tiga Pasar Minomartani", latitude=-7.7405, longitude=110.4101,
                      incident_date=today - timedelta(days=3), is_supervisory=True)
    dispose(world.ctx, admin, o.named, unit_id=world.units["Dinas Pekerjaan Umum"], instruction="Mohon ditinjau")
    o.anonymous = take_in(world, "Antrean panjang pelayanan di Puskesmas Depok", reporter=ANONYMOUS,
                          is_anonymous=True, channel=Channel.PHONE, region_code="34.04.07")
    o.secret = take_in(world, SECRET_TITLE, reporter=WHISTLEBLOWER, is_confidential=True, description=SECRET_TEXT,
                       address=SECRET_ADDRESS, latitude=SECRET_COORDS[0], longitude=SECRET_COORDS[1],
                       region_code="34.04.12.2002", category_id="infrastruktur.jalan")
    o.odd = take_in(world, '=HYPERLINK("http://contoh.id","klik") jalan rusak',
                    description="Tanda <kurung> & ampersand; titik-koma; \"kutip\"\nbaris kedua.",
                    channel=Channel.LETTER)
    o.archived = take_in(world, "Pesan tidak jelas yang dikirim berulang kali")
    archive(world.ctx, admin, o.archived, reason_code=ArchiveReason.TIDAK_RELEVAN)
    o.elsewhere = take_in(world, "Jalan rusak di Kuta, laporan kantor lain", by=world.other_admin)
    return o


def export(world: World, fmt: ExportFormat, path: Path, role: str = Role.ADMIN_INSTANSI, **request: Any) -> Any:
    return export_complaints(world.ctx, world.office_id, fmt, path, ExportRequest(**request),
                             user_id=world.users[role])


def read_xlsx(path: Path) -> tuple[list[Any], list[list[Any]]]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    return rows[0], rows[1:]


ALL = ComplaintFilter()


def db_rows(world: World, f: ComplaintFilter = ALL, sort: str = "received_asc") -> list[Complaint]:
    with world.store.read() as s:
        ids = queries.list_ids(s, world.office_id, f, sort=sort, now=world.clock())
        by_id = {c.id: c for c in s.execute(select(Complaint).where(Complaint.id.in_(ids))).scalars()}
        s.expunge_all()
    return [by_id[i] for i in ids]


def local(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(WIB).replace(tzinfo=None)


# ---- Excel -----------------------------------------------------------------------------------------------------

def test_xlsx_reads_back_as_the_database_says(office: Office, world: World, tmp_path: Path) -> None:
    path = tmp_path / "laporan.xlsx"
    result = export(world, ExportFormat.XLSX, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Daftar laporan", "Keterangan"]
    sheet = book["Daftar laporan"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:AB{len(office.ids) + 1}"
    assert sheet.column_dimensions["I"].width == 48  # the title
    header, rows = read_xlsx(path)
    assert header == HEADER_WIB
    expected = db_rows(world)
    assert result.rows == len(rows) == len(expected) == len(office.ids)  # the other office's is not here
    for row, c in zip(rows, expected, strict=True):
        got = dict(zip(header, row, strict=True))
        assert got["Kode pelacakan"] == c.tracking_code
        assert got["Status"] == label(Status(c.status))
        received = got["Diterima (WIB)"]
        assert isinstance(received, datetime)
        assert abs(received - local(c.received_at)) < timedelta(milliseconds=1)  # type: ignore[operator]
        assert got["Klasifikasi"] == label(Classification(c.classification))
        assert got["Kanal"] == label(Channel(c.channel))
        assert got["Rahasia"] is c.is_confidential and got["Anonim"] is c.is_anonymous
        assert got["Berkadar pengawasan"] is c.is_supervisory
    named = dict(zip(header, rows[0], strict=True))
    c = expected[0]
    assert named["Judul"] == c.title and named["Uraian"] == c.description
    assert named["Kategori"] == "Jalan dan Jembatan" and named["Unit kerja"] == "Dinas Pekerjaan Umum"
    assert named["Tanggal kejadian"] == datetime.combine(c.incident_date, datetime.min.time())  # type: ignore[arg-type]
    assert sheet["K2"].number_format == "dd/mm/yyyy" and sheet["C2"].number_format == "dd/mm/yyyy hh:mm"
    assert named["Lintang"] == pytest.approx(-7.7405) and named["Bujur"] == pytest.approx(110.4101)
    assert named["Kode wilayah"] == "34.04.12.2002" and named["Desa/kelurahan"] and named["Kecamatan"]
    assert named["Didisposisikan (WIB)"] is not None and named["Tenggat berikutnya (WIB)"] is not None
    assert named["Jenis tenggat"] == "Tindak lanjut" and named["Keadaan tenggat"] == "Tepat waktu"
    archived = dict(zip(header, rows[4], strict=True))
    assert archived["Alasan arsip"] == label(ArchiveReason.TIDAK_RELEVAN)
    assert archived["Keadaan tenggat"] == label(DeadlineState.NONE) and archived["Ditutup (WIB)"] is not None
    odd = dict(zip(header, rows[3], strict=True))
    assert odd["Judul"].startswith("=HYPERLINK(") and sheet["I5"].data_type == "s"  # text, never a formula
    assert odd["Uraian"] == "Tanda <kurung> & ampersand; titik-koma; \"kutip\"\nbaris kedua."


def test_the_notes_sheet_says_what_who_and_when(office: Office, world: World, tmp_path: Path) -> None:
    path = tmp_path / "laporan.xlsx"
    f = ComplaintFilter(statuses=(Status.BELUM_TERVERIFIKASI,), channel=Channel.PHONE)
    export(world, ExportFormat.XLSX, path, filter=f, view="Semua")
    notes = {r[0]: r[1] for r in openpyxl.load_workbook(path)["Keterangan"].iter_rows(min_row=2, values_only=True)}
    assert notes["Ekspor"] == "Daftar laporan — Pemerintah Kabupaten Sleman"
    assert notes["Diekspor oleh"] == "Petugas Admin_Instansi (user.admin_instansi), Admin instansi"
    assert notes["Diekspor pada (WIB)"] == world.clock().astimezone(WIB).replace(tzinfo=None, microsecond=0)
    assert notes["Status"] == "Belum terverifikasi" and notes["Kanal"] == "Telepon" and notes["Unit kerja"] == "Semua"
    assert notes["Tampilan"] == "Semua" and notes["Jumlah laporan"] == 1
    assert notes["Data pribadi pelapor"].startswith("tidak disertakan")
    assert notes["Laporan rahasia"].startswith("0 laporan")
    assert notes["Zona waktu"] == "WIB (Asia/Jakarta)"


def test_english_headers_and_labels(office: Office, world: World, tmp_path: Path) -> None:
    path = tmp_path / "complaints.xlsx"
    export_complaints(world.ctx, world.office_id, ExportFormat.XLSX, path, ExportRequest(),
                      user_id=world.users[Role.PIMPINAN], lang="en")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Complaints", "Notes"]
    header, rows = read_xlsx(path)
    assert header[:3] == ["Tracking code", "National LAPOR! number", "Received (WIB)"]
    assert rows[0][header.index("Status")] == "Dispositioned"
    assert rows[2][header.index("Title")] == "(confidential)"


# ---- CSV -------------------------------------------------------------------------------------------------------

def test_csv_reads_back_with_bom_semicolons_and_iso_dates(office: Office, world: World, tmp_path: Path) -> None:
    path = tmp_path / "laporan.csv"
    result = export(world, ExportFormat.CSV, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfKode pelacakan;") and b"\r\n" in raw
    header, rows = read_csv(path)
    assert header == HEADER_WIB
    expected = db_rows(world)
    assert result.rows == len(rows) == len(expected)
    for row, c in zip(rows, expected, strict=True):
        got = dict(zip(header, row, strict=True))
        assert got["Kode pelacakan"] == c.tracking_code and got["Status"] == label(Status(c.status))
        received = datetime.strptime(got["Diterima (WIB)"], "%Y-%m-%d %H:%M:%S")
        assert received == local(c.received_at).replace(microsecond=0)  # type: ignore[union-attr]
        assert got["Rahasia"] == ("Ya" if c.is_confidential else "Tidak")
    named = dict(zip(header, rows[0], strict=True))
    assert named["Lintang"] == "-7,7405" and named["Bujur"] == "110,4101"  # the Indonesian decimal comma
    assert named["Tanggal kejadian"] == expected[0].incident_date.isoformat()  # type: ignore[union-attr]
    odd = dict(zip(header, rows[3], strict=True))
    assert odd["Judul"] == "'" + expected[3].title  # never a formula when Excel opens it
    assert odd["Uraian"] == expected[3].description  # ; " and the line break survive the quoting


# ---- Open311 ---------------------------------------------------------------------------------------------------

def test_open311_json_is_the_serializers_requests_without_the_confidential(office: Office, world: World,
                                                                         tmp_path: Path) -> None:
    path = tmp_path / "laporan.json"
    result = export(world, ExportFormat.OPEN311, path, sort="received", reverse=False)
    found = json.loads(path.read_text(encoding="utf-8"))
    with world.store.read() as s:
        spec = requests_from_store(s, world.office_id, RequestFilter())
    assert found == spec  # both newest first: the same dicts the server would answer with
    codes = [c.tracking_code for c in db_rows(world, sort="received") if not c.is_confidential]
    assert [r["service_request_id"] for r in found] == codes and result.rows == 4 and result.confidential == 1


def test_open311_xml_says_what_the_json_says(office: Office, world: World, tmp_path: Path) -> None:
    export(world, ExportFormat.OPEN311, tmp_path / "a.json")
    export(world, ExportFormat.OPEN311_XML, tmp_path / "a.xml")
    as_json = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    root = ET.parse(tmp_path / "a.xml").getroot()
    assert root.tag == "service_requests"
    assert [r.findtext("service_request_id") for r in root] == [r["service_request_id"] for r in as_json]
    assert [r.findtext("description") for r in root] == [r["description"] for r in as_json]


def test_open311_follows_the_lists_filter(office: Office, world: World, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    export(world, ExportFormat.OPEN311, path, filter=ComplaintFilter(channel=Channel.LETTER))
    assert [r["service_request_id"] for r in json.loads(path.read_text(encoding="utf-8"))] == [
        c.tracking_code for c in db_rows(world, ComplaintFilter(channel=Channel.LETTER))]


# ---- the list's filters and order -------------------------------------------------------------------------------

FILTERS = {
    "status": ComplaintFilter(statuses=(Status.BELUM_TERVERIFIKASI, Status.DIARSIPKAN)),
    "unit": ComplaintFilter(unit_id="PU"),
    "channel": ComplaintFilter(channel=Channel.PHONE),
    "category": ComplaintFilter(category_id="infrastruktur"),
    "deadline": ComplaintFilter(deadline_state=DeadlineState.NONE),
    "period": ComplaintFilter(received_from=date(2026, 3, 2), received_to=date(2026, 3, 2)),
    "empty period": ComplaintFilter(received_from=date(2025, 1, 1), received_to=date(2025, 1, 31)),
    "ids": ComplaintFilter(ids=()),
}


@pytest.mark.parametrize("name", sorted(FILTERS))
@pytest.mark.parametrize("sort,reverse", [("received_asc", False), ("deadline", False), ("title", True),
                                          ("status", True)])
def test_rows_and_order_are_the_lists(office: Office, world: World, tmp_path: Path, name: str, sort: str,
                                      reverse: bool) -> None:
    f = FILTERS[name]
    if name == "unit":
        f = replace(f, unit_id=world.units["Dinas Pekerjaan Umum"])
    if name == "ids":
        f = replace(f, ids=(office.secret, office.odd, office.elsewhere))
    path = tmp_path / "laporan.xlsx"
    result = export(world, ExportFormat.XLSX, path, filter=f, sort=sort, reverse=reverse)
    expected = [c.tracking_code for c in db_rows(world, f, sort)]
    if reverse:
        expected.reverse()
    _header, rows = read_xlsx(path)
    assert [r[0] for r in rows] == expected
    with world.store.read() as s:
        assert result.rows == queries.count(s, world.office_id, f, now=world.clock())
    if name == "empty period":
        notes = dict(openpyxl.load_workbook(path)["Keterangan"].iter_rows(min_row=2, values_only=True))
        assert rows == [] and notes["Jumlah laporan"] == 0


def test_a_period_is_whole_days_in_the_offices_zone(office: Office, world: World, tmp_path: Path) -> None:
    """The intakes ran from 09:00 WIB on 2 March (02:00 UTC) on; 3 March WIB holds none of them."""
    path = tmp_path / "a.csv"
    march_2 = ComplaintFilter(received_from=date(2026, 3, 2), received_to=date(2026, 3, 2))
    assert export(world, ExportFormat.CSV, path, filter=march_2).rows == 5
    march_3 = ComplaintFilter(received_from=date(2026, 3, 3), received_to=date(2026, 3, 3))
    assert export(world, ExportFormat.CSV, path, filter=march_3).rows == 0
    assert len(read_csv(path)[1]) == 0 and read_csv(path)[0] == HEADER_WIB


def test_deadline_states_use_the_offices_clock(office: Office, world: World, tmp_path: Path) -> None:
    world.clock.advance(days=30)
    path = tmp_path / "a.xlsx"
    export(world, ExportFormat.XLSX, path, filter=ComplaintFilter(deadline_state=DeadlineState.OVERDUE))
    header, rows = read_xlsx(path)
    assert rows and {r[header.index("Keadaan tenggat")] for r in rows} == {"Terlambat"}
    now = world.clock()
    for r in rows:
        assert r[header.index("Tenggat berikutnya (WIB)")] < local(now)


def test_time_zone_of_another_office(world: World, tmp_path: Path) -> None:
    """Badung (WITA): times in its zone, the header says so."""
    cid = take_in(world, "Jalan rusak di Kuta dekat pantai", by=world.other_admin)
    path = tmp_path / "a.xlsx"
    export_complaints(world.ctx, world.other_office_id, ExportFormat.XLSX, path, ExportRequest(),
                      user_id=world.other_admin)
    header, rows = read_xlsx(path)
    with world.store.read() as s:
        received = s.get_one(Complaint, cid).received_at
    assert header[2] == "Diterima (WITA)"
    assert abs(rows[0][2] - received.astimezone(zone("Asia/Makassar")).replace(tzinfo=None)) < timedelta(seconds=1)
    assert received.astimezone(UTC).hour != rows[0][2].hour


@pytest.mark.parametrize("fmt", [ExportFormat.XLSX, ExportFormat.OPEN311])
def test_an_id_set_longer_than_sqlite_takes_is_kept_after_the_query(office: Office, world: World, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    fmt: ExportFormat) -> None:
    """A dashboard figure of a big office's year can name more complaints than SQLite takes as parameters: the
    export filters the rest in SQL and keeps those ids from the rows, in the list's order."""
    from app.export import complaints

    monkeypatch.setattr(complaints, "MAX_SQL_IDS", 2)
    chosen = (office.secret, office.odd, office.named, office.elsewhere)
    path = tmp_path / f"a{fmt.suffix}"
    result = export(world, fmt, path, filter=ComplaintFilter(ids=chosen))
    expected = [c.tracking_code for c in db_rows(world, ComplaintFilter(ids=chosen))]
    if fmt is ExportFormat.XLSX:
        assert [r[0] for r in read_xlsx(path)[1]] == expected and result.rows == 3 and result.confidential == 1
    else:
        with world.store.read() as s:
            secret = s.get_one(Complaint, office.secret).tracking_code
        found = [r["service_request_id"] for r in json.loads(path.read_text(encoding="utf-8"))]
        assert found == [c for c in expected if c != secret] and result.confidential == 1
