"""The receipt (tanda terima) on paper: the tracking code in large type with the status PIN beside it, the QR code
of the status page, the summary, times and deadlines, how to check the status, and the officer. It draws what
app.read.receipt assembled and decides nothing about what may be shown."""

from __future__ import annotations

from app.read.receipt import ReceiptContent
from ui.printing import parts
from ui.printing.blocks import Box, Columns, QrCode, Stack
from ui.printing.layout import Align, Block, Spacer, Style, Surface, Text
from ui.printing.papers import Build, PaperSpec

QR_GAP_MM = 6.0
QR_CAPTION = "Pindai untuk cek status"


def grouped_pin(pin: str) -> str:
    """``7KQ 2MX``: three and three, easier to read aloud and to type (spaces are ignored when typed)."""
    return f"{pin[:3]} {pin[3:]}" if len(pin) == 6 else pin


def receipt_paper(content: ReceiptContent) -> Build:
    def build(s: Surface, spec: PaperSpec, width: float) -> list[Block]:
        blocks: list[Block] = parts.letterhead(content.office, spec)
        blocks += parts.title("TANDA TERIMA LAPORAN", "Bukti bahwa laporan Anda sudah diterima dan dicatat", spec)
        blocks += _code_and_qr(content, s, spec, width)
        blocks += parts.heading("Ringkasan laporan", spec)
        blocks += parts.pairs(content.summary, spec)
        blocks += parts.heading("Waktu dan tenggat", spec)
        blocks += parts.pairs(content.times, spec)
        blocks += parts.notes(content.time_notes, spec, bullet=False)
        blocks += parts.heading("Cara mengecek status", spec)
        how_to = content.access.how_to if spec.roll else (" ".join(content.access.how_to),)
        blocks += [Text(text, Style(spec.body), after_mm=1.2) for text in how_to]
        if content.access.url:
            blocks.append(Text(content.access.url, Style(spec.small, mono=True), after_mm=1.5))
        blocks.append(Spacer(1.5))
        blocks += parts.notes(content.notes, spec)
        blocks += parts.signature("Petugas penerima", content.officer, content.printed, spec)
        if spec.roll:
            blocks.append(Text("Terima kasih telah menyampaikan laporan.", Style(spec.small, align=Align.CENTER),
                               before_mm=4))
        return blocks

    return build


def _code_and_qr(content: ReceiptContent, s: Surface, spec: PaperSpec, width: float) -> list[Block]:
    """The code and PIN in a frame; the QR code beside it (A4, A5) or under it (a roll)."""
    padding, border = 3.0 if not spec.roll else 2.5, 0.4
    qr_code = QrCode(content.access.url, spec.qr_mm, after_mm=0.5) if content.access.url else None
    beside = spec.side_by_side and qr_code is not None
    qr_caption = Style(spec.small, bold=True, align=Align.CENTER)
    # The QR code's column: as wide as the code with its quiet zone, or its caption on one line.
    qr_mm = max(s.to_mm(qr_code.side_px(s)), s.to_mm(s.text_width(QR_CAPTION, qr_caption)) + 1) if qr_code else 0.0
    inner = width - 2 * s.mm(padding + border) - (s.mm(qr_mm + QR_GAP_MM) if beside else 0)
    caption = Style(spec.small, bold=True, color=spec.muted, spacing=112)
    code_style = s.fitting(content.tracking_code, Style(spec.code, bold=True, mono=True), inner)
    pin_style = s.fitting(grouped_pin(content.pin), Style(spec.pin, bold=True, mono=True), inner)
    align = Align.LEFT if beside else Align.CENTER
    code_box = Box(Stack([
        Text("KODE PELACAKAN", caption.aligned(align)),
        Text(content.tracking_code, code_style.aligned(align), before_mm=0.5, after_mm=2.0),
        Text("PIN STATUS", caption.aligned(align)),
        Text(grouped_pin(content.pin), pin_style.aligned(align), before_mm=0.5, after_mm=1.5),
        Text("Sebutkan kode pelacakan dan PIN setiap kali menanyakan laporan ini.",
             Style(spec.small, color=spec.muted, align=align)),
    ]), padding_mm=padding, border_mm=border, color=spec.accent, fill=spec.fill)
    if qr_code is None:
        return [code_box]
    qr = Stack([qr_code, Text(QR_CAPTION, qr_caption)])
    if beside:
        return [Columns(code_box, qr, right_mm=qr_mm, gap_mm=QR_GAP_MM)]
    return [code_box, Spacer(3), qr]
