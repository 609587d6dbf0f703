"""Printing from the window: a QPrinter writing a PDF stands in for a real printer; a missing default printer or a
failed print says so and offers the PDF instead; the print dialog opens without blocking; counter mode's call by
complaint id; the detail panel's reprint actions. No dialog is ever exec()'d."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QFileDialog, QMessageBox, QToolButton, QWidget

from app.domain import Role
from app.read.receipt import ReceiptContent
from tests.helpers.world import World
from tests.ui.printing.conftest import set_status_page, take_in
from tests.ui.printing.pdfcheck import page_sizes_mm, pdf_text
from ui.detail import ComplaintDetailWidget
from ui.printing import jobs, service
from ui.printing.jobs import Outcome, PrintJob
from ui.printing.papers import Paper
from ui.workspace import Workspace


def pdf_printer(path: Path) -> QPrinter:
    """A printer that writes a PDF file: what a real printer would get, readable by the test."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


@pytest.fixture
def parent(qtbot) -> QWidget:  # noqa: ANN001 - pytest-qt fixture
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def no_printer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "default_printer", lambda: QPrinterInfo())
    monkeypatch.setattr(jobs, "printer_names", lambda: [])


def outcomes(job: PrintJob) -> list[str]:
    seen: list[str] = []
    job.finished.connect(seen.append)
    return seen


@pytest.mark.parametrize("paper", [Paper.A4, Paper.A5, Paper.ROLL_80])
def test_a_printer_gets_the_same_page_as_the_pdf(parent: QWidget, world: World, tmp_path: Path,
                                                  receipt_of: Callable[..., ReceiptContent], paper: Paper) -> None:
    content = receipt_of(take_in(world))
    out = tmp_path / "printed.pdf"
    job = service.print_receipt(parent, content, paper=paper, printer=pdf_printer(out))
    assert job.outcome is Outcome.PRINTED
    assert content.tracking_code in pdf_text(out)
    saved = service.save_receipt_pdf(content, tmp_path / "saved.pdf", paper)
    [printed_size], [saved_size] = page_sizes_mm(out), page_sizes_mm(saved)
    assert printed_size == pytest.approx(saved_size, abs=0.5)


def test_a_narrow_printer_paper_gets_the_roll_layout_as_long_as_the_content(parent: QWidget, world: World,
                                                                             tmp_path: Path,
                                                                             receipt_of: Callable[..., ReceiptContent]
                                                                             ) -> None:
    """Printing through the dialog leaves the paper to the printer: an 80 mm roll driver's paper (here 80 × 297 mm
    with 3 mm edges) gets the roll layout, cut as long as the receipt."""
    content = receipt_of(take_in(world))
    out = tmp_path / "roll.pdf"
    printer = pdf_printer(out)
    printer.setPageLayout(QPageLayout(QPageSize(QSizeF(80, 297), QPageSize.Unit.Millimeter, "Roll 80",
                                                QPageSize.SizeMatchPolicy.ExactMatch),
                                      QPageLayout.Orientation.Portrait, QMarginsF(3, 3, 3, 3),
                                      QPageLayout.Unit.Millimeter))
    job = service.print_receipt(parent, content, printer=printer)  # paper None: the printer's paper decides
    assert job.outcome is Outcome.PRINTED
    [(width, height)] = page_sizes_mm(out)
    [(_, roll_length)] = page_sizes_mm(service.save_receipt_pdf(content, tmp_path / "roll-pdf.pdf", Paper.ROLL_80))
    assert width == pytest.approx(80, abs=0.5) and height == pytest.approx(roll_length, abs=6)  # its own edges
    assert content.tracking_code in pdf_text(out)


def test_no_default_printer_says_so_and_offers_the_pdf(parent: QWidget, world: World, tmp_path: Path, no_printer: None,
                                                       receipt_of: Callable[..., ReceiptContent]) -> None:
    content = receipt_of(take_in(world))
    job = service.print_receipt(parent, content, paper=Paper.ROLL_80, ask=False)
    seen = outcomes(job)
    box = job.message_box
    assert box is not None and box.isVisible() and box.objectName() == "print-fallback"
    assert box.text() == f"No printer is set up on this PC, so “Tanda terima {content.tracking_code}” cannot be " \
        "printed here."
    assert "PDF" in box.informativeText()
    assert job.outcome is None  # still waiting for the person
    save = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    save.click()
    dialog = job.file_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert dialog.selectedNameFilter() == "PDF, 80 mm receipt roll (*.pdf)"  # the paper asked for, preselected
    target = tmp_path / "instead.pdf"
    dialog.fileSelected.emit(str(target))  # what choosing a file and pressing Save does
    assert seen == ["saved"] and job.saved_path == target
    assert content.tracking_code in pdf_text(target)
    assert page_sizes_mm(target)[0][0] == pytest.approx(80, abs=0.5)
    dialog.close()


def test_declining_the_pdf_ends_as_no_printer(parent: QWidget, world: World, no_printer: None,
                                              receipt_of: Callable[..., ReceiptContent]) -> None:
    job = service.print_receipt(parent, receipt_of(take_in(world)), ask=True)  # no printer at all: no dialog
    seen = outcomes(job)
    assert job.dialog is None and job.message_box is not None
    job.message_box.button(QMessageBox.StandardButton.Cancel).click()
    assert seen == ["no_printer"]


@pytest.mark.qt_log_ignore("QPainter::begin", "QPdfWriter", "QFile")
def test_a_failed_print_says_so_and_offers_the_pdf(parent: QWidget, world: World, tmp_path: Path,
                                                   receipt_of: Callable[..., ReceiptContent]) -> None:
    """A printer that will not take the page (here: its output cannot be opened)."""
    job = service.print_receipt(parent, receipt_of(take_in(world)), paper=Paper.A4,
                                printer=pdf_printer(tmp_path / "no-such-folder" / "x.pdf"))
    assert job.outcome is None and job.message_box is not None
    assert "could not be printed" in job.message_box.text()
    seen = outcomes(job)
    job.message_box.button(QMessageBox.StandardButton.Cancel).click()
    assert seen == ["failed"]


@pytest.mark.parametrize("choice", [True, False])
def test_the_print_dialog_decides_printer_and_paper(parent: QWidget, world: World, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch, choice: bool,
                                                    receipt_of: Callable[..., ReceiptContent]) -> None:
    """The dialog gets a printer set to the paper asked for; Print prints on what it chose, Cancel ends the job.
    (The dialog itself is the system's; a stand-in answers for the person.)"""
    out = tmp_path / "chosen.pdf"
    shown: list[QPrintDialog] = []

    def person(dialog: QPrintDialog) -> bool:
        shown.append(dialog)
        printer = dialog.printer()
        assert printer.pageLayout().pageSize().id() == QPageSize.PageSizeId.A5  # the paper asked for, preselected
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # what choosing "print to file" does
        printer.setOutputFileName(str(out))
        return choice

    monkeypatch.setattr(jobs, "printer_names", lambda: ["Loket"])
    monkeypatch.setattr(jobs, "run_print_dialog", person)
    content = receipt_of(take_in(world))
    job = service.print_receipt(parent, content, paper=Paper.A5, ask=True)
    assert shown and job.dialog is shown[0]
    if choice:
        assert job.outcome is Outcome.PRINTED and content.tracking_code in pdf_text(out)
        assert page_sizes_mm(out)[0][0] == pytest.approx(148, abs=0.5)
    else:
        assert job.outcome is Outcome.CANCELLED and not out.exists()


def test_a_pdf_that_cannot_be_saved_says_so(parent: QWidget, world: World, tmp_path: Path,
                                            receipt_of: Callable[..., ReceiptContent]) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    job = PrintJob(parent, service.printable_of(receipt_of(take_in(world))))
    seen = outcomes(job)
    job.save_to(blocked / "r.pdf")
    assert seen == ["failed"] and job.message_box is not None and "PDF" in job.message_box.text()


def test_counter_mode_prints_a_complaint_by_id(parent: QWidget, world: World, workspace: Workspace,
                                               tmp_path: Path) -> None:
    """print_complaint reads on the database thread (synchronous here), then prints straight to the printer."""
    set_status_page(world, "https://lapor.example.go.id")
    cid = take_in(world)
    out = tmp_path / "counter.pdf"
    started: list[PrintJob] = []
    service.print_complaint(workspace, parent, cid, service.RECEIPT, paper=Paper.ROLL_80, printer=pdf_printer(out),
                            started=started.append)
    [job] = started
    assert job.outcome is Outcome.PRINTED and "TANDA TERIMA LAPORAN" in pdf_text(out)
    started.clear()
    service.print_complaint(workspace, parent, cid, service.STATUS_LETTER, paper=Paper.A4,
                            printer=pdf_printer(tmp_path / "letter.pdf"), started=started.append)
    assert started[0].outcome is Outcome.PRINTED
    assert "SURAT KETERANGAN STATUS LAPORAN" in pdf_text(tmp_path / "letter.pdf")


def test_the_detail_panel_reprints_and_saves_as_pdf(qtbot, world: World, workspace: Workspace,  # noqa: ANN001
                                                    tmp_path: Path) -> None:
    cid = take_in(world)
    widget = ComplaintDetailWidget(workspace)
    qtbot.addWidget(widget)
    widget.show()
    assert not any(a.isEnabled() for a in widget.print_actions())
    with qtbot.waitSignal(widget.loaded):
        widget.show_complaint(cid)
    assert all(a.isEnabled() for a in widget.print_actions())
    buttons = {b.objectName(): b for b in widget.findChildren(QToolButton) if b.objectName().startswith("print-")}
    assert set(buttons) == {"print-button-receipt", "print-button-status-letter"}
    assert all(b.isVisible() for b in buttons.values())
    assert widget.printing.receipt.shortcut().toString() == "Ctrl+P"
    widget.printing.receipt_pdf.trigger()
    job = widget.printing.last_job
    assert job is not None and job.file_dialog is not None and job.file_dialog.isVisible()
    job.file_dialog.fileSelected.emit(str(tmp_path / "reprint.pdf"))
    assert job.outcome is Outcome.SAVED and "TANDA TERIMA LAPORAN" in pdf_text(tmp_path / "reprint.pdf")
    saved = [box for box in widget.window().findChildren(QMessageBox) if box.objectName() == "print-saved"]
    assert saved and str(tmp_path / "reprint.pdf") in saved[0].text()
    job.file_dialog.close()
    saved[0].close()
    widget.show_complaint(None)
    assert not any(a.isEnabled() for a in widget.print_actions())


def test_an_unknown_role_of_the_office_admin_still_prints_no_anonymous_name(world: World, workspace: Workspace) -> None:
    """The office admin may see an anonymous reporter in the window; the loaded paper never names them."""
    assert workspace.role == Role.ADMIN_INSTANSI
    content = service.load_receipt(world.store, take_in(world, anonymous=True), service.viewer_of(workspace),
                                   clock=world.clock)
    assert content.is_anonymous and "Sri" not in repr(content)
