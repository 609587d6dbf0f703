"""The monthly report's PDF read back with pypdf: the office, the month, every KPI's label with this month's and the
previous month's values as app.kpi computes them, the targets, on A4 pages numbered in the footer with the month; no
reporter's personal data and no complaint's title or text anywhere (the confidential one included); an empty month
says so; a file that cannot be written leaves nothing behind. Synthetic data (tests/app/test_report_content.py)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pypdf
import pytest

from app.errors import LaporError
from app.kpi import definitions, store_facts
from app.kpi.period import ReportPeriod
from app.report import formats
from app.report.build import trend_period
from tests.app.test_report_content import MARCH, NOW, REPORT_FORBIDDEN, build_report_office, content_of
from tests.helpers.world import World
from tests.ui.printing.pdfcheck import page_sizes_mm, pdf_text
from ui.report.pdf import report_pdf_bytes, save_report_pdf

LABELS = ["Laporan diterima", "Diverifikasi ≤ 3 hari kerja", "Ditindaklanjuti ≤ 5 hari kerja", "Selesai tepat waktu",
          "Laporan selesai", "Terlambat saat ini", "Median hari kerja sampai verifikasi (HK)",
          "Median hari kerja sampai tindak lanjut (HK)", "Tanggapan pelapor", "Kepuasan pelapor"]


@pytest.fixture
def march_pdf(world: World, qapp: object, tmp_path: Path) -> Path:
    build_report_office(world)
    return save_report_pdf(content_of(world, generated_by="Petugas Pimpinan"), tmp_path / "laporan.pdf")


def kpi_line(text: str, label: str) -> str:
    """The table's row of ``label``: from the label to the next row's label."""
    start = text.index(label) + len(label)
    ends = [i for other in LABELS if other != label and (i := text.find(other, start)) > 0]
    return text[start:min(ends, default=start + 120)]


def test_the_pdf_holds_the_office_the_month_and_every_kpi(world: World, march_pdf: Path) -> None:
    text = pdf_text(march_pdf)
    with world.store.read() as session:
        assessed = store_facts.assess_office(session, world.office_id, trend_period(MARCH))
    this = definitions.kpi_report(assessed, MARCH, NOW)
    before = definitions.kpi_report(assessed, MARCH.previous_month(), NOW)
    assert "Pemerintah Kabupaten Sleman" in text and "Maret 2026" in text and "Petugas Pimpinan" in text
    assert "LAPORAN BULANAN" in text.replace(" ", "").replace("LAPORANBULANAN", "LAPORAN BULANAN")
    table = text[text.index("1. Indikator kinerja — Maret 2026"):text.index("2. Grafik Laporan")]
    for label in LABELS:
        assert label in table, label
    assert kpi_line(table, "Laporan diterima").split()[:3] == [str(this.received.value), str(before.received.value),
                                                               "+3"]
    for label, key in (("Diverifikasi ≤ 3 hari kerja", "verified_on_time"),
                       ("Ditindaklanjuti ≤ 5 hari kerja", "followed_up_on_time"),
                       ("Selesai tepat waktu", "resolved_on_time")):
        rate, old = getattr(this, key), getattr(before, key)
        line = kpi_line(table, label)
        assert formats.percent(rate.percent) in line and "100,0 %" in line and "Tidak" in line, line
        assert (formats.percent(old.percent) if not old.no_data else "t/d") in line, line
        assert f"{rate.numerator} dari {rate.denominator}" in line
    assert kpi_line(table, "Diverifikasi ≤ 3 hari kerja").split()[:5] == ["40,0", "%", "50,0", "%", "−10,0"]
    assert kpi_line(table, "Laporan selesai").split()[0] == str(this.completed.value)
    assert kpi_line(table, "Terlambat saat ini").split()[0] == str(this.overdue_now.value) == "5"
    assert formats.days(this.median_days_to_verification.value) in kpi_line(
        table, "Median hari kerja sampai verifikasi (HK)")
    assert formats.percent(this.satisfaction.percent) in kpi_line(table, "Kepuasan pelapor")
    # the charts: the legend, the twelve months, each bar's value (received, completed; the rates, "t/d" for none)
    charts = text[text.index("2. Grafik Laporan"):text.index("3. Kategori dan lokasi teratas Sepuluh")]
    assert "Laporan diterima dan selesai per bulan Diterima Selesai" in charts
    assert "Apr 25" in charts and "Feb 26" in charts and "Mar 26" in charts
    assert "Diverifikasi ≤ 3 HK Selesai tepat waktu" in charts and "40,0" in charts and "16,7" in charts
    assert "t/d" in charts and "Jalan dan Jembatan 2" in charts and "Belum didisposisikan ke unit 3" in charts
    # the parts of the report, and the ranked names
    for part in ("2. Grafik", "3. Kategori dan lokasi teratas", "4. Laporan terlambat per unit kerja", "5. Catatan",
                 "Catatan pimpinan", "Jalan dan Jembatan", "Ngaglik", "Minomartani", "Dinas Kesehatan", "docs/KPI.md"):
        assert part in text, part


def test_pages_are_a4_and_numbered_with_the_month(march_pdf: Path) -> None:
    reader = pypdf.PdfReader(str(march_pdf))
    pages = len(reader.pages)
    assert pages >= 5
    assert all(abs(w - 210) < 0.5 and abs(h - 297) < 0.5 for w, h in page_sizes_mm(march_pdf))
    for n, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"Halaman {n} dari {pages}" in text and "Laporan bulanan Maret 2026" in text
    assert reader.metadata is not None and reader.metadata.title.startswith("Laporan Bulanan")


def test_no_personal_data_and_no_complaint_content(world: World, march_pdf: Path) -> None:
    text = pdf_text(march_pdf)
    raw = pdf_text(march_pdf).replace(" ", "")
    for secret in REPORT_FORBIDDEN:
        assert secret not in text, secret
        assert secret.replace(" ", "") not in raw, secret
    metadata = str(pypdf.PdfReader(str(march_pdf)).metadata)
    assert not any(secret in metadata for secret in REPORT_FORBIDDEN)


def test_an_empty_month_says_so(world: World, qapp: object) -> None:
    build_report_office(world)
    content = content_of(world, ReportPeriod.month(2025, 6))
    reader = pypdf.PdfReader(io.BytesIO(report_pdf_bytes(content)))
    text = " ".join((p.extract_text() or "") for p in reader.pages)
    text = " ".join(text.split())
    assert "Tidak ada laporan pada Juni 2025" in text and "Semua angka bulan ini bernilai nol" in text
    assert "Tidak ada data pada 12 bulan ini" in text
    assert "Tidak ada laporan yang diterima bulan ini." in text
    assert "tidak ada data (0 dari 0)" in text


def test_an_unwritable_path_says_so_and_leaves_nothing(world: World, qapp: object, tmp_path: Path) -> None:
    build_report_office(world)
    content = content_of(world)
    folder = tmp_path / "keluar"
    folder.mkdir()
    blocker = folder / "bukan-folder"
    blocker.write_text("x")
    with pytest.raises(LaporError) as failed:
        save_report_pdf(content, blocker / "laporan.pdf")
    assert "tidak dapat disimpan" in failed.value.message.id and "bukan-folder" in failed.value.message.id
    assert sorted(p.name for p in folder.iterdir()) == ["bukan-folder"]


def test_a_write_that_fails_midway_leaves_no_half_file(world: World, qapp: object, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    build_report_office(world)
    content = content_of(world)
    folder = tmp_path / "keluar"
    folder.mkdir()
    target = folder / "laporan.pdf"
    target.write_bytes(b"the previous report")

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(LaporError):
        save_report_pdf(content, target)
    assert sorted(p.name for p in folder.iterdir()) == ["laporan.pdf"]
    assert target.read_bytes() == b"the previous report"  # the old file stays whole
