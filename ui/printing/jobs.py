"""Printing one paper from the window: through the system's print dialog or straight to the default printer, and,
when there is no printer or the print fails, a plain message that offers the same paper as a PDF instead.

The message and the save dialog are opened with ``open()`` and answer through signals; the system print dialog is
the one exception (:func:`run_print_dialog`). Tests drive all of it without ``exec()``. A :class:`PrintJob` says
how it ended with ``finished``.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.errors import LaporError
from ui.printing.documents import Printable, paint, save_pdf
from ui.printing.papers import SPECS, PaintFailed, Paper, page_layout
from ui.tasks import known_error_message


class Outcome(StrEnum):
    PRINTED = "printed"
    SAVED = "saved"  # saved as a PDF (asked for, or instead of a print)
    CANCELLED = "cancelled"
    NO_PRINTER = "no_printer"  # and the PDF was not wanted
    FAILED = "failed"  # and the PDF was not wanted, or could not be saved either


def default_printer() -> QPrinterInfo:
    """The system's default printer (null when there is none); a module function so tests can stand one in."""
    return QPrinterInfo.defaultPrinter()


def printer_names() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


def run_print_dialog(dialog: QPrintDialog) -> bool:
    """Show the system print dialog and say whether the person chose Print. The one modal ``exec()`` of printing:
    on Windows and macOS the dialog is the system's own, a modal dialog of the operating system, and ``exec()`` is
    the way Qt documents to run it on every platform. Tests stand a function in for it."""
    return dialog.exec() == QPrintDialog.DialogCode.Accepted


class PrintJob(QObject):
    """One paper to print or save. Start it with :meth:`print_with_dialog`, :meth:`print_direct`,
    :meth:`print_on` or :meth:`save_as`; ``finished`` carries the :class:`Outcome` value."""

    finished = Signal(str)

    def __init__(self, parent: QWidget, printable: Printable, *, paper: Paper | None = None, lang: str = "id") -> None:
        super().__init__(parent)
        self._parent = parent
        self.printable = printable
        self.paper = paper  # None: the printer's paper as its dialog chose it decides the layout
        self.lang = lang
        self.outcome: Outcome | None = None
        self.saved_path: Path | None = None
        self.dialog: QPrintDialog | None = None
        self.message_box: QMessageBox | None = None
        self.file_dialog: QFileDialog | None = None

    # ---- ways to start ----------------------------------------------------------------------------------------

    def print_with_dialog(self) -> None:
        """The system print dialog (printer, copies, paper); no printer at all: the PDF is offered at once."""
        if not printer_names():
            self._offer_pdf(Outcome.NO_PRINTER)
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self.paper is not None:
            printer.setPageLayout(page_layout(SPECS[self.paper]))
        printer.setDocName(self.printable.title)
        self.dialog = QPrintDialog(printer, self._parent)
        self.dialog.setWindowTitle(self.tr("Print %1").replace("%1", self.printable.title))
        if run_print_dialog(self.dialog):
            self._print(printer, keep_page=True)
        else:
            self._finish(Outcome.CANCELLED)

    def print_direct(self) -> None:
        """Straight to the default printer, without a dialog (the counter's quick receipt)."""
        info = default_printer()
        if info.isNull():
            self._offer_pdf(Outcome.NO_PRINTER)
            return
        printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.printable.title)
        self._print(printer, keep_page=self.paper is None)

    def print_on(self, printer: QPrinter) -> None:
        """On a printer the caller set up (a configured receipt printer; a PDF-output printer in tests)."""
        self._print(printer, keep_page=self.paper is None)

    def save_as(self) -> None:
        """Ask where to save the PDF (the file type chooses the paper), then save it."""
        self._ask_pdf_path(None)

    # ---- printing ---------------------------------------------------------------------------------------------

    def _print(self, printer: QPrinter, *, keep_page: bool) -> None:
        try:
            paint(self.printable, printer, None if keep_page else self.paper)
        except PaintFailed:
            self._offer_pdf(Outcome.FAILED)
            return
        self._finish(Outcome.PRINTED)

    def _finish(self, outcome: Outcome) -> None:
        if self.outcome is None:
            self.outcome = outcome
            self.finished.emit(outcome.value)

    # ---- the PDF instead --------------------------------------------------------------------------------------

    def _offer_pdf(self, reason: Outcome) -> None:
        if reason is Outcome.NO_PRINTER:
            text = self.tr("No printer is set up on this PC, so “%1” cannot be printed here.")
        else:
            text = self.tr("“%1” could not be printed: the printer did not take it (it may be off, out of paper or "
                           "disconnected).")
        text = text.replace("%1", self.printable.title)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Cannot print"), text, QMessageBox.StandardButton.NoButton,
                          self._parent)
        box.setInformativeText(self.tr("Save it as a PDF instead? The PDF can be printed on another PC or sent to "
                                       "the citizen."))
        save = box.addButton(self.tr("&Save as PDF…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save)
        box.setObjectName("print-fallback")
        self.message_box = box
        box.finished.connect(lambda _result: self._after_offer(box.clickedButton() is save, reason))
        box.open()

    def _after_offer(self, wanted: bool, reason: Outcome) -> None:
        if wanted:
            self._ask_pdf_path(reason)
        else:
            self._finish(reason)

    def _ask_pdf_path(self, reason: Outcome | None) -> None:
        dialog = QFileDialog(self._parent, self.tr("Save as PDF"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix("pdf")
        filters = self.paper_filters()
        dialog.setNameFilters(list(filters))
        chosen = self.paper or Paper.A4
        dialog.selectNameFilter(next(name for name, paper in filters.items() if paper is chosen))
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        dialog.setDirectory(folder)
        dialog.selectFile(self.printable.file_name)
        dialog.setObjectName("print-save-pdf")
        self.file_dialog = dialog
        dialog.fileSelected.connect(lambda path: self.save_to(Path(path), filters.get(dialog.selectedNameFilter())))
        dialog.rejected.connect(lambda: self._finish(reason or Outcome.CANCELLED))
        dialog.open()

    def paper_filters(self) -> dict[str, Paper]:
        """The save dialog's file types, one per paper: the type chosen is the paper the PDF is laid out for."""
        return {self.tr("PDF, A4 paper (*.pdf)"): Paper.A4, self.tr("PDF, A5 paper (*.pdf)"): Paper.A5,
                self.tr("PDF, 80 mm receipt roll (*.pdf)"): Paper.ROLL_80}

    def save_to(self, path: Path, paper: Paper | None = None) -> None:
        try:
            self.saved_path = save_pdf(self.printable, path, paper or self.paper or Paper.A4)
        except LaporError as exc:
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Cannot save the PDF"),
                              known_error_message(exc).text(self.lang), QMessageBox.StandardButton.Ok, self._parent)
            self.message_box = box
            box.open()
            self._finish(Outcome.FAILED)
            return
        self._finish(Outcome.SAVED)
