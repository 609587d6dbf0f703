"""Papers ready to paint (:class:`Printable`) and the painting itself: on a printer, or into a PDF written whole or
not at all. GUI thread only (fonts and painting); the content comes loaded (ui.printing.service)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPdfWriter

from app.errors import LaporError, Message, reason_of
from app.read.receipt import ReceiptContent
from app.read.status_letter import StatusLetterContent
from ui.printing.letter_paper import status_letter_paper
from ui.printing.papers import SPECS, Build, Paper, PaperSpec, paper_for_width, render
from ui.printing.receipt_paper import receipt_paper

PDF_RESOLUTION = 1200
CREATOR = "LAPOR Desk"


@dataclass(frozen=True)
class Printable:
    """One paper ready to paint: what it is (for titles and file names), its code and its blocks."""

    kind: str  # "receipt" or "status-letter"
    tracking_code: str
    build: Build

    @property
    def one_page(self) -> bool:
        """A receipt is one sheet (set tighter if its content needs it); a letter's history may run over pages."""
        return self.kind == "receipt"

    @property
    def title(self) -> str:
        name = "Tanda terima" if self.kind == "receipt" else "Surat keterangan status"
        return f"{name} {self.tracking_code}"

    @property
    def file_name(self) -> str:
        stem = "tanda-terima" if self.kind == "receipt" else "surat-status"
        return f"{stem}-{self.tracking_code}.pdf"


def receipt_printable(content: ReceiptContent) -> Printable:
    return Printable("receipt", content.tracking_code, receipt_paper(content))


def status_letter_printable(content: StatusLetterContent) -> Printable:
    return Printable("status-letter", content.tracking_code, status_letter_paper(content))


def printable_of(content: ReceiptContent | StatusLetterContent) -> Printable:
    return receipt_printable(content) if isinstance(content, ReceiptContent) else status_letter_printable(content)


# ---- painting (GUI thread) --------------------------------------------------------------------------------------


def paint(printable: Printable, device: QPagedPaintDevice, paper: Paper | None = None) -> int:
    """Paint on a PDF writer or a printer; returns the pages. ``paper`` None: the device's page as chosen (a
    printer's dialog) decides the layout, and only a roll's length is set."""
    if paper is not None:
        return render(device, SPECS[paper], printable.build, footer=printable.title, one_page=printable.one_page)
    width_mm = device.pageLayout().fullRect(QPageLayout.Unit.Millimeter).width()
    spec: PaperSpec = SPECS[paper_for_width(width_mm)]
    return render(device, spec, printable.build, footer=printable.title, keep_page=True, one_page=printable.one_page)


def pdf_bytes(printable: Printable, paper: Paper = Paper.A4) -> bytes:
    """The PDF of a paper, in memory."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(printable.title)  # the code only: no name ever goes into the file's metadata
    writer.setCreator(CREATOR)
    paint(printable, writer, paper)
    del writer  # flushes the file's end into the buffer
    buffer.close()
    return bytes(data.data())


def write_whole(target: Path, data: bytes) -> None:
    """``data`` to ``target`` whole or not at all: a temporary file beside it, flushed to disk, then renamed over it
    (a crash or a full disk leaves the old file or none, never half of one). Raises OSError."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".lapor-", suffix=".pdf.part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def save_pdf(printable: Printable, path: str | os.PathLike[str], paper: Paper = Paper.A4) -> Path:
    """Write the PDF to ``path`` whole or not at all (:func:`write_whole`). A folder that cannot be written, a full
    disk: a LaporError saying so."""
    target = Path(path)
    data = pdf_bytes(printable, paper)
    try:
        write_whole(target, data)
    except OSError as exc:
        reason = reason_of(exc)
        raise LaporError(Message(
            f"PDF tidak dapat disimpan ke {target} ({reason.id}). Pilih folder lain atau periksa izin dan ruang disk.",
            f"The PDF could not be saved to {target} ({reason.en}). Choose another folder or check its permissions "
            "and the free space.")) from exc
    return target
