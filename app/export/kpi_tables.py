"""The monthly report's tables (app.report.MonthlyReport) for a spreadsheet: the KPIs against the previous month and
the roadmap targets, the 12-month trend, the top categories, districts and villages, overdue complaints per unit, and
a notes sheet saying what the figures are. Numbers are typed cells (a percentage as a number of percent, working days
as a number), so leadership can chart and sort them; Excel gets every table as a sheet, CSV the KPI table alone.

Like the report, no table carries a reporter's personal data or a complaint's content: counts, rates, names of
units, categories and places, and the tracking codes of overdue complaints."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from app.export.delimited import ENCODING, write_csv
from app.export.files import whole_file
from app.export.table import Column, Kind, Table, label_value_table
from app.export.xlsx import write_xlsx
from app.report.content import MonthlyReport, RankedGroup

KPI_SHEET = "Indikator kinerja"


def _number(value: float) -> float | None:
    """A figure as a cell: an empty cell where there is none (no previous value, not a number)."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def kpi_table(report: MonthlyReport) -> Table:
    rows = ((k.label, _number(k.value), _number(k.previous), k.change_text, k.target_text, k.met, k.detail)
            for k in report.kpis)
    return Table(KPI_SHEET, (
        Column("Indikator", Kind.TEXT, 44), Column(report.month_label, Kind.FLOAT, 14),
        Column("Bulan sebelumnya", Kind.FLOAT, 16), Column("Perubahan", Kind.TEXT, 14),
        Column("Target", Kind.TEXT, 10), Column("Target tercapai", Kind.BOOL, 15),
        Column("Keterangan", Kind.TEXT, 44)), rows)


def trend_table(report: MonthlyReport) -> Table:
    rows = ((p.label, p.received, p.completed, p.verified_percent, p.resolved_percent) for p in report.trend)
    return Table("Tren 12 bulan", (
        Column("Bulan", Kind.TEXT, 12), Column("Diterima", Kind.FLOAT, 11), Column("Selesai", Kind.FLOAT, 11),
        Column("Diverifikasi ≤ 3 hari kerja (%)", Kind.FLOAT, 28),
        Column("Selesai tepat waktu (%)", Kind.FLOAT, 22)), rows)


def _ranked(title: str, heading: str, groups: Sequence[RankedGroup]) -> Table:
    rows = ((g.name, g.received, g.completed, g.overdue_now) for g in groups)
    return Table(title, (Column(heading, Kind.TEXT, 40), Column("Diterima", Kind.FLOAT, 11),
                         Column("Selesai", Kind.FLOAT, 11), Column("Terlambat saat ini", Kind.FLOAT, 18)), rows)


def overdue_table(report: MonthlyReport) -> Table:
    def rows() -> Iterator[Sequence[Any]]:
        for unit in report.overdue_by_unit:
            if not unit.oldest:
                yield unit.unit, unit.overdue, None, None, None
            for c in unit.oldest:
                yield unit.unit, unit.overdue, c.tracking_code, c.category, c.days_overdue

    return Table("Terlambat per unit", (
        Column("Unit kerja", Kind.TEXT, 32), Column("Terlambat di unit", Kind.FLOAT, 17),
        Column("Kode pelacakan (terlama)", Kind.TEXT, 24), Column("Kategori", Kind.TEXT, 32),
        Column("Hari kerja terlambat", Kind.FLOAT, 20)), rows())


def notes_table(report: MonthlyReport) -> Table:
    rows: list[tuple[str, Any]] = [
        ("Instansi", report.office), ("Bulan", report.month_label), ("Cakupan", report.scope_text),
        ("Angka per", report.as_of_text),
        ("Bulan berjalan", "Ya: angka sementara" if report.partial else "Tidak"),
        ("Data pribadi", "Tidak ada: tanpa nama, NIK, telepon, surel, alamat pelapor, dan tanpa isi laporan"),
        ("Ringkasan", report.summary),
        *((n.title, n.text) for n in report.notes)]
    if report.generated_by:
        rows.insert(4, ("Dibuat oleh", report.generated_by))
    return label_value_table("Keterangan", rows, label="Hal", value="Isi")


def kpi_workbook_tables(report: MonthlyReport) -> list[Table]:
    return [kpi_table(report), trend_table(report),
            _ranked("Kategori teratas", "Kategori", report.top_categories),
            _ranked("Kecamatan teratas", "Kecamatan", report.top_districts),
            _ranked("Desa-kelurahan teratas", "Desa/kelurahan", report.top_villages),
            overdue_table(report), notes_table(report)]


def write_kpi_tables(report: MonthlyReport, path: Path) -> Path:
    """The report's tables to ``path``: Excel for ``.xlsx``, else CSV (UTF-8 with BOM, ``;``) of the KPI table.
    Written whole or not at all (ExportNotWritten says where and why)."""
    with whole_file(path) as temp:
        if path.suffix.lower() == ".xlsx":
            with open(temp, "wb") as out:
                write_xlsx(out, kpi_workbook_tables(report))
        else:
            with open(temp, "w", encoding=ENCODING, newline="") as fh:
                write_csv(fh, kpi_table(report))
    return path
