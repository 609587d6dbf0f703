"""No default export carries a reporter's personal data or a confidential complaint's content: every cell of the
workbook (and its raw XML), every field of the CSV and every byte of the Open311 files is searched for the synthetic
office's names, NIKs, phones, e-mails, addresses and its confidential complaint's title, text, address and
coordinates. Personal data only for the office administrator who asks, audited; never an anonymous reporter, never
a confidential complaint's reporter or content; everyone else refused before any file exists."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.domain import Role
from app.errors import PermissionDenied, ValidationError
from app.export import ExportFormat, ExportRequest, export_complaints
from app.models import AuditRecord, Complaint, User
from app.read import queries
from app.read.queries import ComplaintFilter
from app.rules.scope import Scope
from app.store.audit import verify_chain
from tests.app.test_export import (
    ANONYMOUS,
    FORBIDDEN,
    NAMED,
    SECRET_TITLE,
    WHISTLEBLOWER,
    Office,
    export,
    identity_strings,
    read_csv,
    read_xlsx,
)
from tests.app.test_export import office as office  # noqa: F401 - the fixture
from tests.helpers.world import World


def everything_in(path: Path) -> str:
    """All the text a file holds: each workbook part unzipped, or the file itself."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(name).decode("utf-8") for name in z.namelist())
    return path.read_bytes().decode("utf-8-sig")


def cells(path: Path) -> list[str]:
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        return [str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    if path.suffix == ".csv":
        header, rows = read_csv(path)
        return header + [v for row in rows for v in row]
    return [json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)] if path.suffix == ".json" \
        else [path.read_text(encoding="utf-8")]


def assert_nothing_forbidden(path: Path, forbidden: list[str]) -> None:
    text, values = everything_in(path), cells(path)
    for secret in forbidden:
        assert secret not in text, f"{secret!r} in {path.name}"
        assert not any(secret in v for v in values), f"{secret!r} in a cell of {path.name}"


@pytest.mark.parametrize("fmt", list(ExportFormat))
@pytest.mark.parametrize("role", [Role.ADMIN_INSTANSI, Role.PIMPINAN, Role.PETUGAS_LOKET])  # (the office's reach)
def test_no_default_export_carries_personal_data_or_confidential_content(office: Office, world: World,
                                                                         tmp_path: Path, fmt: ExportFormat,
                                                                         role: str) -> None:
    path = tmp_path / f"laporan{fmt.suffix}"
    result = export(world, fmt, path, role=role, searched=True,
                    filter=ComplaintFilter(ids=tuple(office.ids)))
    assert result.rows == (4 if fmt.is_open311 else 5) and result.confidential == 1
    assert_nothing_forbidden(path, FORBIDDEN)
    with world.store.read() as s:
        named = s.get_one(Complaint, office.named)
        assert named.tracking_code in everything_in(path) and named.description in everything_in(path)  # content


@pytest.mark.parametrize("role", [Role.PENGHUBUNG, Role.IT_ADMIN])
def test_an_export_holds_only_what_the_role_may_open(office: Office, world: World, tmp_path: Path,
                                                     role: str) -> None:
    """A liaison exports their unit's complaints, IT none (app.rules.scope): the file is the list they see."""
    with world.store.read() as s:
        user = s.get_one(User, world.users[role])
        scope = Scope.of(user)
        visible = set(queries.list_ids(s, scope, ComplaintFilter(), now=world.clock()))
    assert len(visible) < len(office.ids) and (role != Role.IT_ADMIN or not visible)
    path = tmp_path / "laporan.csv"
    result = export(world, ExportFormat.CSV, path, role=role, filter=ComplaintFilter(ids=tuple(office.ids)))
    _header, rows = read_csv(path)
    with world.store.read() as s:
        codes = {s.get_one(Complaint, cid).tracking_code for cid in visible & set(office.ids)}
    assert result.rows == len(rows) == len(codes) and {r[0] for r in rows} == codes
    assert_nothing_forbidden(path, FORBIDDEN)


def test_the_confidential_row_keeps_only_its_bookkeeping(office: Office, world: World, tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    export(world, ExportFormat.XLSX, path, include_personal=True)
    header, rows = read_xlsx(path)
    row = dict(zip(header, rows[2], strict=True))
    with world.store.read() as s:
        secret = s.get_one(Complaint, office.secret)
        code = secret.tracking_code
    assert row["Kode pelacakan"] == code and row["Rahasia"] is True and row["Judul"] == "(dirahasiakan)"
    for column in ("Uraian", "Alamat lokasi", "Lintang", "Bujur", "Desa/kelurahan", "Nama pelapor", "NIK pelapor",
                   "Telepon pelapor", "E-mail pelapor", "Alamat pelapor"):
        assert row[column] is None, column
    assert row["Kode wilayah"] == "34.04.12" and row["Kecamatan"]  # the district stays, the village goes
    assert row["Kategori"] == "Jalan dan Jembatan" and row["Status"] == "Belum terverifikasi"


@pytest.mark.parametrize("fmt", [ExportFormat.XLSX, ExportFormat.CSV])
def test_the_administrator_may_ask_for_personal_data_and_it_is_audited(office: Office, world: World,
                                                                       tmp_path: Path, fmt: ExportFormat) -> None:
    path = tmp_path / f"pribadi{fmt.suffix}"
    before = _audit(world)
    result = export(world, fmt, path, include_personal=True, filter=ComplaintFilter(statuses=("DIDISPOSISIKAN",
                                                                                              "BELUM_TERVERIFIKASI")))
    assert result.include_personal and result.rows == 4
    text = everything_in(path)
    for value in (NAMED.name, NAMED.nik, "+6281355550123", NAMED.email, NAMED.address):
        assert value in text
    # the anonymous reporter and the confidential complaint's reporter and content: never
    assert_nothing_forbidden(path, [*identity_strings(ANONYMOUS), *identity_strings(WHISTLEBLOWER), SECRET_TITLE])
    assert os.stat(path).st_mode & 0o777 == 0o600  # readable by its owner only
    records = _audit(world)[len(before):]
    assert len(records) == 1
    record = records[0]
    assert (record.action, record.user_id, record.entity_type) == (
        "export_personal_data", world.users[Role.ADMIN_INSTANSI], "complaint_list")
    assert record.at == world.clock() and record.device == "test-pc"
    details = json.loads(record.details_json)
    assert details == {"format": fmt.value, "rows": 4, "personal_data": True, "file": path.name,
                       "rows_with_identity": 2, "filter": {"statuses": ["DIDISPOSISIKAN", "BELUM_TERVERIFIKASI"]}}
    with world.store.read() as s:
        assert verify_chain(s).ok


def test_a_default_export_is_audited_too_without_the_words_searched(office: Office, world: World,
                                                                    tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    export(world, ExportFormat.CSV, path, role=Role.PIMPINAN, searched=True, view="Semua",
           filter=ComplaintFilter(ids=(office.named,)))
    record = _audit(world)[-1]
    assert record.action == "export" and record.user_id == world.users[Role.PIMPINAN]
    assert json.loads(record.details_json) == {
        "format": "csv", "rows": 1, "personal_data": False, "file": "a.csv", "text_search": True, "view": "Semua",
        "filter": {"selected_complaints": 1}}
    assert os.stat(path).st_mode & 0o777 == 0o666 & ~_umask()  # as any new file: no personal data in it


@pytest.mark.parametrize("role", [Role.PIMPINAN, Role.PENGHUBUNG, Role.PETUGAS_LOKET, Role.IT_ADMIN])
def test_any_other_role_is_refused_personal_data_before_any_file(office: Office, world: World, tmp_path: Path,
                                                                 role: str) -> None:
    before = _audit(world)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(PermissionDenied, match="admin instansi"):
        export(world, ExportFormat.XLSX, folder / "pribadi.xlsx", role=role, include_personal=True)
    assert list(folder.iterdir()) == [] and [r.id for r in _audit(world)] == [r.id for r in before]


def test_personal_data_is_refused_without_an_account_and_to_another_offices_admin(office: Office, world: World,
                                                                                tmp_path: Path) -> None:
    path = tmp_path / "pribadi.xlsx"
    with pytest.raises(PermissionDenied):
        export_complaints(world.ctx, world.office_id, ExportFormat.XLSX, path, ExportRequest(include_personal=True))
    with pytest.raises(PermissionDenied):
        export_complaints(world.ctx, world.office_id, ExportFormat.XLSX, path, ExportRequest(),
                          user_id=world.other_admin)
    assert not path.exists()


@pytest.mark.parametrize("fmt", [ExportFormat.OPEN311, ExportFormat.OPEN311_XML])
def test_open311_never_takes_personal_data(office: Office, world: World, tmp_path: Path, fmt: ExportFormat) -> None:
    with pytest.raises(ValidationError, match="Open311"):
        export(world, fmt, tmp_path / f"a{fmt.suffix}", include_personal=True)
    assert not (tmp_path / f"a{fmt.suffix}").exists() and _audit(world) == []


def _audit(world: World) -> list[AuditRecord]:
    with world.store.read() as s:
        records = list(s.execute(select(AuditRecord).where(AuditRecord.action.like("export%"))
                                 .order_by(AuditRecord.id)).scalars())
        s.expunge_all()
    return records


def _umask() -> int:
    status = Path("/proc/self/status").read_text(encoding="ascii")
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("Umask:")), 8)
