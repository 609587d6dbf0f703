"""The KPI tables to Excel and CSV (app.export.kpi_tables, ``lapor-desk report --out FILE.xlsx|.csv``): read back
with openpyxl and csv, every figure is the monthly report's (itself the KPI modules', test_report_content), numbers
are typed cells, no reporter's personal data or complaint content is in them, and a file that cannot be written
leaves nothing behind."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import openpyxl
import pytest

from app.export.delimited import DELIMITER
from app.export.files import ExportNotWritten
from app.export.kpi_tables import KPI_SHEET, write_kpi_tables
from app.store.db import Store
from tests.app.test_cli import EXIT_INVALID, EXIT_OK, cli
from tests.app.test_report_content import REPORT_FORBIDDEN, ReportOffice, build_report_office, content_of
from tests.helpers.world import World


@pytest.fixture
def report_office(world: World) -> ReportOffice:
    return build_report_office(world)


def _cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    finally:
        book.close()


def test_the_workbook_holds_the_reports_figures_typed(report_office: ReportOffice, tmp_path: Path) -> None:
    content = content_of(report_office.world)
    path = write_kpi_tables(content, tmp_path / "kpi-2026-03.xlsx")
    sheets = _cells(path)
    assert list(sheets) == [KPI_SHEET, "Tren 12 bulan", "Kategori teratas", "Kecamatan teratas",
                            "Desa-kelurahan teratas", "Terlambat per unit", "Keterangan"]
    kpi = sheets[KPI_SHEET]
    assert kpi[0][:3] == ("Indikator", "Maret 2026", "Bulan sebelumnya")
    assert len(kpi) == 1 + len(content.kpis)
    for row, expected in zip(kpi[1:], content.kpis, strict=True):
        assert row[0] == expected.label
        assert row[1] == pytest.approx(expected.value) and isinstance(row[1], int | float)
        if math.isnan(expected.previous):
            assert row[2] is None
        else:
            assert row[2] == pytest.approx(expected.previous)
        assert row[5] == expected.met and row[6] == expected.detail
    received = next(r for r in kpi if r[0] == "Laporan diterima")
    assert received[1] == 5  # March: five complaints arrived (test_report_content)
    trend = sheets["Tren 12 bulan"]
    assert [r[0] for r in trend[1:]] == [p.label for p in content.trend]
    assert sum(r[1] for r in trend[1:]) == sum(p.received for p in content.trend)
    categories = sheets["Kategori teratas"]
    assert [(r[0], r[1]) for r in categories[1:]] == [(g.name, g.received) for g in content.top_categories]
    overdue = sheets["Terlambat per unit"]
    assert sum(1 for r in overdue[1:] if r[2]) == sum(len(u.oldest) for u in content.overdue_by_unit)
    notes = dict((r[0], r[1]) for r in sheets["Keterangan"][1:])
    assert notes["Instansi"] == "Pemerintah Kabupaten Sleman" and notes["Bulan"] == "Maret 2026"
    text = repr(sheets)
    assert not [secret for secret in REPORT_FORBIDDEN if secret in text]


def test_the_csv_is_the_kpi_table(report_office: ReportOffice, tmp_path: Path) -> None:
    content = content_of(report_office.world)
    path = write_kpi_tables(content, tmp_path / "kpi.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=DELIMITER))
    assert rows[0][:2] == ["Indikator", "Maret 2026"]
    assert [r[0] for r in rows[1:]] == [k.label for k in content.kpis]
    assert not [secret for secret in REPORT_FORBIDDEN if secret in raw.decode("utf-8-sig")]


def test_a_file_that_cannot_be_written_leaves_nothing(report_office: ReportOffice, tmp_path: Path) -> None:
    content = content_of(report_office.world)
    folder = tmp_path / "hanya-baca"
    folder.mkdir()
    (folder / "kpi.xlsx").mkdir()  # a folder where the file should go
    with pytest.raises(ExportNotWritten):
        write_kpi_tables(content, folder / "kpi.xlsx")
    with pytest.raises(ExportNotWritten):
        write_kpi_tables(content, tmp_path / "tidak-ada" / "kpi.xlsx")
    assert [p.name for p in folder.iterdir()] == ["kpi.xlsx"]


def test_the_command_writes_the_tables(capsys: pytest.CaptureFixture[str], world: World, store: Store,
                                       data_dir: Path, tmp_path: Path) -> None:
    build_report_office(world)
    store.close()
    out_file = tmp_path / "kpi-2026-03.xlsx"
    code, out, err = cli(capsys, data_dir, "report", "--month", "2026-03", "--out", out_file)
    assert code == EXIT_OK, err
    assert out.strip() == str(out_file.resolve())
    assert _cells(out_file)[KPI_SHEET][0][1] == "Maret 2026"
    code, _, err = cli(capsys, data_dir, "report", "--month", "2026-03", "--out", tmp_path / "kpi.docx")
    assert code == EXIT_INVALID and "tulis .pdf (laporan), .xlsx atau .csv" in err
    assert not (tmp_path / "kpi.docx").exists()
