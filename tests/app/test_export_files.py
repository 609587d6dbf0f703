"""The export's writers and files: the workbook's cells for odd values, the CSV's guard against formulas, and a file
that is written whole or not at all — a missing folder, a folder given as the file, a full disk halfway, a failed
audit write, a failed rename: a clear message, no file, no temporary file left, an older file untouched."""

from __future__ import annotations

import errno
import io
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.errors import ValidationError
from app.export import ExportFormat, ExportNotWritten, files, service, xlsx
from app.export.delimited import safe_text, write_csv
from app.export.table import Column, Kind, Table, label_value_table, sheet_name
from app.export.xlsx import column_letter, write_xlsx
from tests.app.test_export import Office, export
from tests.app.test_export import office as office  # noqa: F401 - the fixture
from tests.helpers.world import World


def book(tables: list[Table]) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    write_xlsx(buffer, tables)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))


# ---- the workbook writer ----------------------------------------------------------------------------------------

def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]


def test_odd_values_become_cells_excel_can_open() -> None:
    rows = [("a\x00b\x1fc", 1.5, float("nan"), True, "  spaced  ", "x" * 40_000, "=1+1", "#N/A")]
    columns = [Column("t"), Column("f", Kind.FLOAT), Column("nan", Kind.FLOAT), Column("b", Kind.BOOL),
               Column("s"), Column("long"), Column("formula"), Column("error")]
    ws = book([Table("Uji", columns, rows)]).worksheets[0]
    values = [c.value for c in ws[2]]
    assert values[0] == "a\ufffdb\ufffdc" and values[1] == 1.5 and values[2] is None and values[3] is True
    assert values[4] == "  spaced  " and len(values[5]) == xlsx.MAX_TEXT and values[5].endswith("…")
    assert values[6] == "=1+1" and ws["G2"].data_type == "s" and values[7] == "#N/A" and ws["H2"].data_type == "s"


def test_a_label_value_table_types_each_value() -> None:
    when = datetime(2026, 3, 2, 9, 5)
    table = label_value_table("Ringkasan", [("Jumlah", 12), ("Persen", 0.875), ("Hari", date(2026, 3, 2)),
                                            ("Waktu", when), ("Ya", False), ("Nama", "Sleman")], label="Hal",
                              value="Isi")
    ws = book([table]).worksheets[0]
    assert [r for r in ws.iter_rows(values_only=True)] == [
        ("Hal", "Isi"), ("Jumlah", 12), ("Persen", 0.875), ("Hari", datetime(2026, 3, 2)), ("Waktu", when),
        ("Ya", False), ("Nama", "Sleman")]
    assert ws["B4"].number_format == xlsx.DATE_FORMAT and ws["B5"].number_format == xlsx.DATETIME_FORMAT
    assert ws.freeze_panes is None and ws.auto_filter.ref is None


def test_sheet_names_are_ones_excel_accepts() -> None:
    assert sheet_name("Laporan: Jan/Feb [2026]?") == "Laporan- Jan-Feb -2026--"
    assert sheet_name("x" * 40) == "x" * 31 and sheet_name("''") == "Sheet"
    wb = book([Table("Data", [Column("a")], []), Table("data", [Column("a")], [])])
    assert wb.sheetnames == ["Data", "data (2)"]


def test_every_part_is_well_formed_and_declared() -> None:
    """What Excel checks before it opens a file: each part parses, [Content_Types].xml declares every part, the
    workbook's relationships point at parts that exist, the filter range covers the rows."""
    import xml.etree.ElementTree as ET
    import zipfile

    buffer = io.BytesIO()
    write_xlsx(buffer, [Table("Daftar laporan", [Column("a"), Column("b", Kind.DATE)], [("x", date(2026, 1, 1))] * 3),
                        label_value_table("Keterangan", [("n", 3)], label="Hal", value="Isi")])
    with zipfile.ZipFile(buffer) as z:
        parts = {name: ET.fromstring(z.read(name)) for name in z.namelist()}
    ns = {"ct": "http://schemas.openxmlformats.org/package/2006/content-types",
          "r": "http://schemas.openxmlformats.org/package/2006/relationships",
          "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    declared = {o.get("PartName", "").lstrip("/") for o in parts["[Content_Types].xml"].findall("ct:Override", ns)}
    assert declared == {n for n in parts if not n.endswith(".rels") and n != "[Content_Types].xml"}
    targets = {"xl/" + r.get("Target", "") for r in parts["xl/_rels/workbook.xml.rels"].findall("r:Relationship", ns)}
    assert targets == {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/styles.xml"}
    defined = parts["xl/workbook.xml"].find("m:definedNames/m:definedName", ns)
    assert defined is not None and defined.text == "'Daftar laporan'!$A$1:$B$4"
    assert parts["xl/worksheets/sheet1.xml"].find("m:autoFilter", ns).get("ref") == "A1:B4"  # type: ignore[union-attr]


def test_an_aware_time_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        write_xlsx(io.BytesIO(), [Table("t", [Column("w", Kind.DATETIME)], [(datetime(2026, 1, 1, tzinfo=UTC),)])])


def test_more_rows_than_excel_holds_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    with pytest.raises(ValidationError, match="CSV"):
        write_xlsx(io.BytesIO(), [Table("t", [Column("a")], [("1",), ("2",), ("3",)])])


# ---- the CSV writer ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,written", [
    ("=HYPERLINK(1)", "'=HYPERLINK(1)"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("@SUM(A1)", "'@SUM(A1)"),
    ("-2+3", "'-2+3"), ("\tx", "'\tx"), ("-7,5", "-7,5"), ("+6281355550123", "+6281355550123"),
    ("Jalan rusak", "Jalan rusak"), ("", "")])
def test_csv_never_hands_excel_a_formula(text: str, written: str) -> None:
    assert safe_text(text) == written


def test_csv_values_by_kind() -> None:
    out = io.StringIO(newline="")
    table = Table("t", [Column("a", Kind.AUTO), Column("b", Kind.BOOL), Column("f", Kind.FLOAT)],
                  [(datetime(2026, 3, 2, 9, 5, 7), True, -7.5), (date(2026, 3, 2), False, float("inf")),
                   (3, None, None), ("=x", True, 1e-5)])
    assert write_csv(out, table, yes="Yes", no="No") == 4
    assert out.getvalue().split("\r\n") == ["a;b;f", "2026-03-02 09:05:07;Yes;-7,5", "2026-03-02;No;", "3;;",
                                            "'=x;Yes;1e-05", ""]


# ---- whole or nothing -------------------------------------------------------------------------------------------

def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_missing_folder_says_so(office: Office, world: World, tmp_path: Path) -> None:
    with pytest.raises(ExportNotWritten) as caught:
        export(world, ExportFormat.XLSX, tmp_path / "tidak-ada" / "laporan.xlsx")
    assert "tidak dapat ditulis" in caught.value.message.id and "tidak ada" in caught.value.message.id
    assert "could not be written" in caught.value.message.en
    assert not (tmp_path / "tidak-ada").exists()


def test_a_folder_or_a_file_in_the_way(office: Office, world: World, tmp_path: Path) -> None:
    (tmp_path / "folder.xlsx").mkdir()
    with pytest.raises(ExportNotWritten, match="sebuah folder"):
        export(world, ExportFormat.XLSX, tmp_path / "folder.xlsx")
    (tmp_path / "berkas").write_text("x")
    with pytest.raises(ExportNotWritten, match="bukan folder"):
        export(world, ExportFormat.CSV, tmp_path / "berkas" / "laporan.csv")


def test_a_folder_without_permission(office: Office, world: World, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", refused)  # tests run as root: chmod would not stop them
    with pytest.raises(ExportNotWritten, match="izin ditolak"):
        export(world, ExportFormat.XLSX, tmp_path / "laporan.xlsx")


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_a_full_disk_halfway_leaves_the_old_file_and_no_half_file(office: Office, world: World, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  fmt: ExportFormat) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / f"laporan{fmt.suffix}"
    target.write_bytes(b"the export of last week")
    real_open = open

    class HalfWritten(io.RawIOBase):
        """A file that takes 100 bytes, then reports a full disk."""

        def __init__(self, fh: Any) -> None:
            self.fh, self.written = fh, 0

        def writable(self) -> bool:
            return True

        def write(self, data: Any) -> int:
            room = 100 - self.written
            if len(data) > room:
                self.fh.write(bytes(data[:room]))
                self.fh.flush()
                raise OSError(errno.ENOSPC, "No space left on device")
            self.written += len(data)
            return int(self.fh.write(data))

    def filling(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode and str(path).endswith(".part"):
            raw = HalfWritten(real_open(path, "wb"))
            return io.TextIOWrapper(io.BufferedWriter(raw, 16), encoding=kwargs.get("encoding") or "utf-8",
                                    newline=kwargs.get("newline")) if "b" not in mode else io.BufferedWriter(raw, 16)
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(service, "open", filling, raising=False)
    monkeypatch.setattr(Path, "write_bytes", lambda self, data: filling(self, "wb").write(data))
    with pytest.raises(ExportNotWritten, match="disk penuh"):
        export(world, fmt, target)
    assert _files(folder) == [target.name] and target.read_bytes() == b"the export of last week"
    assert _export_audits(world) == 0  # nothing released, nothing audited


def test_a_failed_audit_write_releases_no_file(office: Office, world: World, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "out"
    folder.mkdir()

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database is locked")

    monkeypatch.setattr(service, "append_audit", broken)
    with pytest.raises(RuntimeError):
        export(world, ExportFormat.XLSX, folder / "pribadi.xlsx", include_personal=True)
    assert _files(folder) == []


def test_a_failed_rename_leaves_no_file_but_the_audit_record_stays(office: Office, world: World, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel on Windows holds the old file open: the rename fails after the audit record is written (the record
    may name an export that was not released, never the other way round)."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "laporan.csv").write_text("open in Excel")

    def locked(src: Any, dst: Any) -> None:
        raise PermissionError(errno.EACCES, "The process cannot access the file", str(dst))

    monkeypatch.setattr(files.os, "replace", locked)
    with pytest.raises(ExportNotWritten, match="Excel"):
        export(world, ExportFormat.CSV, folder / "laporan.csv")
    assert _files(folder) == ["laporan.csv"] and (folder / "laporan.csv").read_text() == "open in Excel"
    assert _export_audits(world) == 1


def test_too_many_rows_for_excel_leaves_no_file(office: Office, world: World, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    with pytest.raises(ValidationError, match="1.048.575"):
        export(world, ExportFormat.XLSX, folder / "laporan.xlsx")
    assert _files(folder) == [] and _export_audits(world) == 0


def test_an_existing_file_is_replaced_whole(office: Office, world: World, tmp_path: Path) -> None:
    target = tmp_path / "laporan.csv"
    target.write_text("old")
    assert export(world, ExportFormat.CSV, target).rows == 5
    assert target.read_bytes().startswith(b"\xef\xbb\xbf") and not [p for p in tmp_path.iterdir()
                                                                    if p.suffix == ".part"]
    assert os.path.getsize(target) > 100


def _export_audits(world: World) -> int:
    from sqlalchemy import func, select

    from app.models import AuditRecord

    with world.store.read() as s:
        return int(s.execute(select(func.count()).select_from(AuditRecord)
                             .where(AuditRecord.action.like("export%"))).scalar() or 0)
