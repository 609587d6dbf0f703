"""The monthly report as a PDF file, written whole or not at all (a temporary file beside the target, then renamed):
an unwritable folder or a full disk leaves nothing behind and says so in a sentence a person can act on."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QPdfWriter

from app.errors import LaporError, Message, reason_of
from app.report.content import MonthlyReport
from ui.printing.documents import CREATOR, write_whole
from ui.report.paper import paint_report

PDF_RESOLUTION = 600  # vector text and bars; 600 dpi is the grid coordinates snap to, finer than any office printer


def report_pdf_bytes(content: MonthlyReport) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(content.title)
    writer.setCreator(CREATOR)
    paint_report(writer, content)
    del writer  # flushes the file's end into the buffer
    buffer.close()
    return bytes(data.data())


def save_report_pdf(content: MonthlyReport, path: str | os.PathLike[str]) -> Path:
    """Write the report to ``path``; a LaporError when the file cannot be written (nothing is left behind)."""
    target = Path(path)
    data = report_pdf_bytes(content)
    try:
        write_whole(target, data)
    except OSError as exc:
        reason = reason_of(exc)
        raise LaporError(Message(
            f"Laporan bulanan tidak dapat disimpan ke {target} ({reason.id}). Pilih folder lain atau periksa izin "
            "dan ruang disk.",
            f"The monthly report could not be saved to {target} ({reason.en}). Choose another folder or check its "
            "permissions and the free space.")) from exc
    return target
