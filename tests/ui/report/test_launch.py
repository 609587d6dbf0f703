""""Laporan bulanan…" as the window starts it (ui.report.launch): the month and unit dialog, the save dialog, the report
computed on the database thread (run at once here) and written, the message; a unit liaison gets only their unit; a
path that cannot be written says so and leaves nothing. Synthetic data (tests/app/test_report_content.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.domain import Role
from tests.app.test_report_content import REPORT_FORBIDDEN, build_report_office
from tests.helpers.world import World
from tests.ui.printing.pdfcheck import pdf_text
from ui.report.launch import MonthlyReportFlow, open_monthly_report
from ui.workspace import Workspace


def started(qtbot: QtBot, make_workspace: Callable[..., Workspace], role: str) -> MonthlyReportFlow:
    ws = make_workspace(role)
    parent = QWidget()
    qtbot.addWidget(parent)
    return open_monthly_report(ws, parent)


def choose_file(flow: MonthlyReportFlow, path: Path) -> None:
    assert flow.dialog is not None
    flow.dialog.accept()
    assert flow.file_dialog is not None and flow.file_dialog.selectedFiles()[0].endswith("laporan-bulanan-2026-03.pdf")
    flow.file_dialog.fileSelected.emit(str(path))  # what choosing a file and pressing Save does
    flow.file_dialog.close()


def test_the_leader_chooses_a_month_and_gets_the_pdf(world: World, qtbot: QtBot,
                                                     make_workspace: Callable[..., Workspace],
                                                     tmp_path: Path) -> None:
    build_report_office(world)
    flow = started(qtbot, make_workspace, Role.PIMPINAN)
    dialog = flow.dialog
    assert dialog is not None and dialog.isVisible()
    months = [dialog.month.itemText(i) for i in range(dialog.month.count())]
    assert months[:3] == ["April 2026 (so far)", "Maret 2026", "Februari 2026"] and len(months) == 24
    assert dialog.month.currentText() == "Maret 2026"
    assert [dialog.unit.itemText(i) for i in range(dialog.unit.count())] == [
        "All units", "Dinas Kesehatan", "Dinas Pekerjaan Umum"]
    with qtbot.waitSignal(flow.finished) as done:
        choose_file(flow, tmp_path / "laporan maret")
    written = tmp_path / "laporan maret.pdf"  # the suffix added to a name typed without it
    assert done.args == [written] and written.exists()
    text = pdf_text(written)
    assert "Maret 2026" in text and "Seluruh unit kerja" in text and "Petugas Pimpinan" in text
    assert not any(secret in text for secret in REPORT_FORBIDDEN)
    assert flow.message_box is not None and flow.message_box.objectName() == "monthly-report-finished"
    assert str(written) in flow.message_box.text() and not flow.running
    flow.message_box.close()


def test_a_unit_liaison_gets_only_their_unit(world: World, qtbot: QtBot, make_workspace: Callable[..., Workspace],
                                             tmp_path: Path) -> None:
    build_report_office(world)
    flow = started(qtbot, make_workspace, Role.PENGHUBUNG)
    assert flow.dialog is not None and not flow.dialog.unit.isEnabled()
    assert [flow.dialog.unit.itemText(i) for i in range(flow.dialog.unit.count())] == ["Dinas Pekerjaan Umum"]
    with qtbot.waitSignal(flow.finished):
        choose_file(flow, tmp_path / "pu.pdf")
    assert "Laporan bulanan Maret 2026 · Pemerintah Kabupaten Sleman · Dinas Pekerjaan Umum" in pdf_text(
        tmp_path / "pu.pdf")
    assert flow.message_box is not None
    flow.message_box.close()


def test_a_path_that_cannot_be_written_says_so_and_leaves_nothing(world: World, qtbot: QtBot,
                                                                  make_workspace: Callable[..., Workspace],
                                                                  tmp_path: Path) -> None:
    build_report_office(world)
    folder = tmp_path / "keluar"
    folder.mkdir()
    (folder / "berkas").write_text("bukan folder")
    flow = started(qtbot, make_workspace, Role.ADMIN_INSTANSI)
    with qtbot.waitSignal(flow.failed) as failed:
        choose_file(flow, folder / "berkas" / "laporan.pdf")
    assert "tidak dapat disimpan" in failed.args[0]
    assert flow.message_box is not None and flow.message_box.objectName() == "monthly-report-failed"
    assert sorted(p.name for p in folder.iterdir()) == ["berkas"]
    flow.message_box.close()


def test_counter_staff_are_told_the_report_is_not_theirs(world: World, qtbot: QtBot,
                                                         make_workspace: Callable[..., Workspace],
                                                         tmp_path: Path) -> None:
    build_report_office(world)
    flow = started(qtbot, make_workspace, Role.PETUGAS_LOKET)
    with qtbot.waitSignal(flow.failed) as failed:
        choose_file(flow, tmp_path / "laporan.pdf")
    assert "hanya untuk pimpinan" in failed.args[0] and not (tmp_path / "laporan.pdf").exists()
    assert flow.message_box is not None
    flow.message_box.close()


def test_the_leader_can_save_the_tables_to_excel(world: World, qtbot: QtBot,
                                                 make_workspace: Callable[..., Workspace], tmp_path: Path) -> None:
    """The save dialog offers the report's tables too (Excel, CSV); the Excel file holds the KPI sheet."""
    import openpyxl

    build_report_office(world)
    flow = started(qtbot, make_workspace, Role.PIMPINAN)
    assert flow.dialog is not None
    flow.dialog.accept()
    assert flow.file_dialog is not None
    assert [f.rsplit("*", 1)[-1] for f in flow.file_dialog.nameFilters()] == [".pdf)", ".xlsx)", ".csv)"]
    with qtbot.waitSignal(flow.finished) as done:
        flow.file_dialog.fileSelected.emit(str(tmp_path / "kpi-maret.xlsx"))
        flow.file_dialog.close()
    assert done.args == [tmp_path / "kpi-maret.xlsx"]
    book = openpyxl.load_workbook(tmp_path / "kpi-maret.xlsx", read_only=True)
    try:
        assert book.sheetnames[0] == "Indikator kinerja"
        text = repr([list(ws.iter_rows(values_only=True)) for ws in book.worksheets])
    finally:
        book.close()
    assert "Laporan diterima" in text and not any(secret in text for secret in REPORT_FORBIDDEN)
    assert flow.message_box is not None
    flow.message_box.close()
