"""The papers a receipt or letter is printed on (A4, A5, an 80 mm thermal roll), their type sizes, and the one
function that paints blocks on any QPagedPaintDevice, so a PDF (QPdfWriter) and a printer (QPrinter) get the same
page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from PySide6.QtCore import QMarginsF, QPointF, QSizeF
from PySide6.QtGui import QColor, QPagedPaintDevice, QPageLayout, QPageSize, QPainter

from app.errors import LaporError, Message
from ui.printing.layout import Align, Block, Placed, Style, Surface, paginate, paint_page, total_height


class Paper(StrEnum):
    A4 = "a4"
    A5 = "a5"
    ROLL_80 = "80mm"


@dataclass(frozen=True)
class PaperSpec:
    """A paper's size, margins and type: every size in millimetres or points."""

    paper: Paper
    width_mm: float
    height_mm: float | None  # None: a roll, cut as long as the content
    margins_mm: tuple[float, float, float, float]  # left, top, right, bottom
    body: float
    small: float
    heading: float
    title: float
    code: float
    pin: float
    qr_mm: float  # the QR symbol's width, its quiet zone not counted
    label_mm: float  # the label column of label/value lines; 0: the label above its value
    side_by_side: bool  # the code box and the QR code next to each other
    signature: bool  # room for the officer's signature and the office's stamp
    accent: str
    muted: str
    fill: str | None  # the code box's background
    space: float = 1.0  # vertical spacing between lines and sections, scaled (A5 is set tighter to stay one page)

    @property
    def roll(self) -> bool:
        return self.height_mm is None


SPECS: dict[Paper, PaperSpec] = {
    Paper.A4: PaperSpec(Paper.A4, 210, 297, (20, 16, 20, 14), body=11, small=9, heading=12, title=17, code=30,
                        pin=22, qr_mm=34, label_mm=46, side_by_side=True, signature=True, accent="#0b3a66",
                        muted="#404040", fill="#eef3f8"),
    Paper.A5: PaperSpec(Paper.A5, 148, 210, (12, 10, 12, 9), body=8.5, small=7, heading=9.5, title=13, code=21,
                        pin=16, qr_mm=26, label_mm=35, side_by_side=True, signature=True, accent="#0b3a66",
                        muted="#404040", fill="#eef3f8", space=0.6),
    # A receipt printer prints about 72 mm of its 80 mm paper, in black only (grey comes out dithered).
    Paper.ROLL_80: PaperSpec(Paper.ROLL_80, 80, None, (4, 3, 4, 8), body=9, small=7.5, heading=9.5, title=11.5,
                             code=19, pin=17, qr_mm=36, label_mm=0, side_by_side=False, signature=False,
                             accent="#000000", muted="#000000", fill=None, space=0.8),
}


def paper_for_width(width_mm: float) -> Paper:
    """The layout for a page of this width (a printer's paper as its dialog chose it)."""
    if width_mm <= 100:
        return Paper.ROLL_80
    if width_mm <= 160:
        return Paper.A5
    return Paper.A4


class PaintFailed(LaporError):
    """The device would not take the page (a printer that went away, a file that could not be opened)."""


_FAILED = Message("Halaman tidak dapat dikirim ke printer atau berkas.", "The page could not be sent to the printer "
                  "or file.")

# What a paper holds: its blocks for a surface, a paper and the column's width in device pixels.
Build = Callable[[Surface, PaperSpec, float], list[Block]]


def page_layout(spec: PaperSpec, height_mm: float | None = None) -> QPageLayout:
    left, top, right, bottom = spec.margins_mm
    if spec.paper is Paper.A4:
        size = QPageSize(QPageSize.PageSizeId.A4)
    elif spec.paper is Paper.A5:
        size = QPageSize(QPageSize.PageSizeId.A5)
    else:
        size = QPageSize(QSizeF(spec.width_mm, height_mm or 200.0), QPageSize.Unit.Millimeter, "",
                         QPageSize.SizeMatchPolicy.ExactMatch)
    return QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(left, top, right, bottom),
                       QPageLayout.Unit.Millimeter)


# How often a one-page paper that runs over its sheet is set tighter before it is let run over pages instead.
TIGHTER_STEPS = 4


def tighter(spec: PaperSpec) -> PaperSpec:
    """The paper set a step tighter: less space between lines and sections, text type half a point smaller (not
    below 6.5 pt). The tracking code, the PIN and the QR code keep their sizes: they are read aloud and scanned."""
    return replace(spec, space=spec.space * 0.85, body=max(6.5, spec.body - 0.5), small=max(6.5, spec.small - 0.5),
                   heading=max(7.0, spec.heading - 0.5), title=max(9.0, spec.title - 0.5))


def _one_page(s: Surface, spec: PaperSpec, build: Build, width: float, room: float) -> list[Block]:
    """The blocks of a paper meant as one sheet (a receipt), set tighter step by step while they run over ``room``.
    If even the tightest runs over, it runs over pages like any paper: nothing is ever left off."""
    blocks = build(s, spec, width)
    for _ in range(TIGHTER_STEPS):
        if total_height(blocks, s, width) <= room:
            break
        spec = tighter(spec)
        blocks = build(s, spec, width)
    return blocks


def render(device: QPagedPaintDevice, spec: PaperSpec, build: Build, *, footer: str,
           keep_page: bool = False, one_page: bool = False) -> int:
    """Paint the blocks ``build`` makes for ``spec`` on ``device``; returns the number of pages.

    The page is set from ``spec`` (a roll: as long as the content) unless ``keep_page`` (a printer whose paper its
    dialog chose: its paper stays, the margins are ours unless the printer needs wider edges, and a roll's length is
    set). ``one_page``: on a sheet, content that runs over the page is set tighter until it fits (:func:`tighter`).
    A paper that runs over pages carries ``footer`` and the page's number at every page's foot."""
    if keep_page:
        device.setPageMargins(_margins(spec, device.pageLayout()), QPageLayout.Unit.Millimeter)
    else:
        device.setPageLayout(page_layout(spec))
    s = Surface(device)
    rect = device.pageLayout().paintRectPixels(round(s.dpi))
    width = float(rect.width())
    foot = Style(spec.small, color=spec.muted, align=Align.CENTER)
    band = s.line_height(foot) + s.mm(3)
    if one_page and not spec.roll:
        blocks = _one_page(s, spec, build, width, float(rect.height()) - band)
    else:
        blocks = build(s, spec, width)
    if spec.roll:
        length = total_height(blocks, s, width)
        _, top, _, bottom = spec.margins_mm
        layout = page_layout(spec, top + bottom + s.to_mm(length) + 2)
        if keep_page:
            layout.setMargins(_margins(spec, device.pageLayout()))
        device.setPageLayout(layout)
        width = float(device.pageLayout().paintRectPixels(round(s.dpi)).width())
        pages: list[list[Placed]] = [[]]
        y = 0.0
        for block in blocks:
            pages[0].append((block, y))
            y += block.measure(s, width)
    else:
        pages = paginate(blocks, s, width, float(rect.height()) - band)
    painter = QPainter()
    if not painter.begin(device):
        raise PaintFailed(_FAILED)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # crisp QR modules and rules
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        for number, placed in enumerate(pages, start=1):
            if number > 1 and not device.newPage():
                raise PaintFailed(_FAILED)
            paint_page(painter, s, placed, width)
            if len(pages) > 1:
                _paint_footer(painter, s, spec, f"{footer} · Halaman {number} dari {len(pages)}", width,
                              float(device.pageLayout().paintRectPixels(round(s.dpi)).height()))
    finally:
        ended = painter.end()
    if not ended:
        raise PaintFailed(_FAILED)
    return len(pages)


def _margins(spec: PaperSpec, current: QPageLayout) -> QMarginsF:
    """Our margins, each at least the printer's (its edges it cannot print on)."""
    now = current.margins(QPageLayout.Unit.Millimeter)
    left, top, right, bottom = spec.margins_mm
    return QMarginsF(max(left, now.left()), max(top, now.top()), max(right, now.right()), max(bottom, now.bottom()))


def _paint_footer(p: QPainter, s: Surface, spec: PaperSpec, text: str, width: float, height: float) -> None:
    style = Style(spec.small, color=spec.muted)
    metrics = s.metrics(style)
    p.setFont(s.font(style))
    p.setPen(QColor(spec.muted))
    x = (width - metrics.horizontalAdvance(text)) / 2
    p.drawText(QPointF(x, height - metrics.descent()), text)
