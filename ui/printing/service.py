"""The printing API for counter mode, the intake form, the detail panel and the CLI: receipts and status letters,
printed or saved as PDF.

Reading and painting are apart, because of threads:

* ``load_receipt`` / ``load_status_letter`` read the store and return plain data (no Qt): in the window, run them
  on the database thread (``ws.tasks.db``). ``status_base_url`` says which status page the QR code points to.
* ``save_receipt_pdf`` / ``save_status_letter_pdf`` write a PDF; ``print_receipt`` / ``print_status_letter`` print
  through the system dialog (``ask=True``) or straight to the default printer, or on a printer the caller set up.
  GUI thread, content loaded. A missing printer or a failed print shows a plain message offering the PDF instead;
  the returned :class:`PrintJob` says how it ended (``finished(outcome)``).
* ``print_complaint`` / ``save_complaint_pdf`` do both for a complaint id: load in the background, then print or ask
  where to save.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from app.read.receipt import ReceiptContent, Viewer, receipt_content
from app.read.status_letter import StatusLetterContent, status_letter_content
from app.store.db import Store
from app.timeutil import server_now, utcnow
from ui.printing import RECEIPT, STATUS_LETTER
from ui.printing.documents import printable_of, receipt_printable, save_pdf, status_letter_printable
from ui.printing.jobs import Outcome, PrintJob
from ui.printing.papers import Paper
from ui.printing.status_page import status_base_url
from ui.workspace import Workspace

__all__ = ["RECEIPT", "STATUS_LETTER", "Outcome", "Paper", "PrintJob", "Viewer", "load_receipt", "load_status_letter",
           "print_complaint", "print_receipt", "print_status_letter", "printable_of", "save_complaint_pdf",
           "save_receipt_pdf", "save_status_letter_pdf", "status_base_url", "viewer_of"]

Content = ReceiptContent | StatusLetterContent


# ---- reading: any thread ----------------------------------------------------------------------------------------


def viewer_of(ws: Workspace) -> Viewer:
    """The logged-in officer as the papers name them."""
    return Viewer(ws.office_id, ws.role, ws.user.full_name, ws.user.unit_id)


def load_receipt(store: Store, complaint_id: str, viewer: Viewer, *,
                 clock: Callable[[], datetime] = utcnow) -> ReceiptContent:
    """The receipt's content; reads the store (off the GUI thread in the window). NotFound: not this office's."""
    with store.read() as session:
        return receipt_content(session, complaint_id, viewer, status_base_url=status_base_url(session),
                               now=server_now(session, clock()))


def load_status_letter(store: Store, complaint_id: str, viewer: Viewer, *,
                       clock: Callable[[], datetime] = utcnow) -> StatusLetterContent:
    """The status letter's content; reads the store (off the GUI thread in the window)."""
    with store.read() as session:
        return status_letter_content(session, complaint_id, viewer, status_base_url=status_base_url(session),
                                     now=server_now(session, clock()))


# ---- painting: GUI thread ---------------------------------------------------------------------------------------


def save_receipt_pdf(content: ReceiptContent, path: str | os.PathLike[str], paper: Paper = Paper.A4) -> Path:
    """Write the receipt as a PDF for ``paper`` (whole or not at all); LaporError if it cannot be written."""
    return save_pdf(receipt_printable(content), path, paper)


def save_status_letter_pdf(content: StatusLetterContent, path: str | os.PathLike[str],
                           paper: Paper = Paper.A4) -> Path:
    return save_pdf(status_letter_printable(content), path, paper)


def print_receipt(parent: QWidget, content: ReceiptContent, *, paper: Paper | None = None, ask: bool = True,
                  printer: QPrinter | None = None, lang: str = "id") -> PrintJob:
    """Print a receipt: ``printer`` if given; else the print dialog (``ask``) or the default printer. ``paper``
    None: the layout follows the printer's paper (a narrow roll gets the 80 mm layout)."""
    return _start(PrintJob(parent, receipt_printable(content), paper=paper, lang=lang), ask, printer)


def print_status_letter(parent: QWidget, content: StatusLetterContent, *, paper: Paper | None = None,
                        ask: bool = True, printer: QPrinter | None = None, lang: str = "id") -> PrintJob:
    return _start(PrintJob(parent, status_letter_printable(content), paper=paper, lang=lang), ask, printer)


def _start(job: PrintJob, ask: bool, printer: QPrinter | None) -> PrintJob:
    if printer is not None:
        job.print_on(printer)
    elif ask:
        job.print_with_dialog()
    else:
        job.print_direct()
    return job


# ---- a complaint id: load in the background, then print or save ------------------------------------------------


def _load(ws: Workspace, kind: str, complaint_id: str, then: Callable[[Content], None], parent: QWidget) -> None:
    loader = load_receipt if kind == RECEIPT else load_status_letter
    ws.tasks.db(loader, ws.store, complaint_id, viewer_of(ws), clock=ws.services.clock, on_success=then, owner=parent)


def print_complaint(ws: Workspace, parent: QWidget, complaint_id: str, kind: str = RECEIPT, *,
                    paper: Paper | None = None, ask: bool = True, printer: QPrinter | None = None,
                    started: Callable[[PrintJob], None] | None = None) -> None:
    """Print the receipt (``kind`` RECEIPT) or status letter (STATUS_LETTER) of a complaint: the content is read on
    the database thread, then printed as :func:`print_receipt` does. ``started`` gets the job before it starts (to
    follow its ``finished``). A failure to read goes where the window's background failures go (a plain message)."""

    def loaded(content: Content) -> None:
        job = PrintJob(parent, printable_of(content), paper=paper, lang=ws.lang)
        if started is not None:
            started(job)  # before it starts: printing straight to a printer may finish at once
        _start(job, ask, printer)

    _load(ws, kind, complaint_id, loaded, parent)


def save_complaint_pdf(ws: Workspace, parent: QWidget, complaint_id: str, kind: str = RECEIPT, *,
                       paper: Paper | None = None, started: Callable[[PrintJob], None] | None = None) -> None:
    """Ask where to save a complaint's receipt or status letter as a PDF (the file type chooses the paper)."""

    def loaded(content: Content) -> None:
        job = PrintJob(parent, printable_of(content), paper=paper, lang=ws.lang)
        if started is not None:
            started(job)
        job.save_as()

    _load(ws, kind, complaint_id, loaded, parent)
