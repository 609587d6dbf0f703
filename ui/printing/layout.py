"""A small page layout for printed papers: blocks stacked in one column, measured with the fonts of the device they
are painted on (a PDF writer or a printer, each at its own resolution), broken into pages, or laid on one page as long
as the content for a thermal roll. Text, rules and spacing are here; blocks made of others, and the QR code, are in
ui.printing.blocks.

Sizes are given in millimetres and points and turned into the device's pixels by :class:`Surface`, so the same
blocks give the same paper at 203 dpi (a receipt printer), 600 dpi (an office laser) or 1200 dpi (a PDF).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QPaintDevice,
    QPainter,
    QTextLayout,
    QTextOption,
)

BLACK = "#000000"


class Align(Enum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Style:
    """A text style: size in points, weight, the monospaced face (codes and PINs), colour and alignment."""

    size: float
    bold: bool = False
    mono: bool = False
    italic: bool = False
    color: str = BLACK
    align: Align = Align.LEFT
    spacing: float = 100.0  # letter spacing in percent (wider for small capitals)

    def aligned(self, align: Align) -> Style:
        return replace(self, align=align)


class Surface:
    """One paint device's units and fonts: millimetres to device pixels, a style's font and its metrics."""

    def __init__(self, device: QPaintDevice) -> None:
        self.device = device
        self.dpi = float(device.logicalDpiY())
        app_font = QGuiApplication.font()
        self._family = app_font.family()
        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
        self._fonts: dict[Style, QFont] = {}

    def mm(self, value: float) -> float:
        return value * self.dpi / 25.4

    def to_mm(self, pixels: float) -> float:
        return pixels * 25.4 / self.dpi

    def font(self, style: Style) -> QFont:
        found = self._fonts.get(style)
        if found is None:
            found = QFont(self._mono if style.mono else self._family)
            found.setPointSizeF(style.size)
            found.setBold(style.bold)
            found.setItalic(style.italic)
            if style.spacing != 100.0:
                found.setLetterSpacing(QFont.SpacingType.PercentageSpacing, style.spacing)
            # The same metrics when measuring and when painting, whatever the device's hinting would do.
            found.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            # No "fi"/"fl" ligatures: the PDF's text is then what was written (copied, searched, read aloud).
            found.setFeature(QFont.Tag("liga"), 0)
            self._fonts[style] = found
        return found

    def metrics(self, style: Style) -> QFontMetricsF:
        return QFontMetricsF(self.font(style), self.device)

    def line_height(self, style: Style) -> float:
        return self.metrics(style).lineSpacing()

    def text_width(self, text: str, style: Style) -> float:
        return self.metrics(style).horizontalAdvance(text)

    def wrap(self, text: str, style: Style, width: float) -> list[str]:
        """``text`` broken into lines no wider than ``width`` (at word boundaries; a word longer than a line, such
        as an address, anywhere). Line breaks in the text are kept."""
        lines: list[str] = []
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        for paragraph in text.split("\n"):
            if not paragraph.strip():
                lines.append("")
                continue
            layout = QTextLayout(paragraph, self.font(style), self.device)
            layout.setTextOption(option)
            layout.beginLayout()
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(width)
                lines.append(paragraph[line.textStart():line.textStart() + line.textLength()].rstrip())
            layout.endLayout()
        return lines

    def fitting(self, text: str, style: Style, width: float, *, smallest: float = 6.0) -> Style:
        """``style``, made smaller in half points until ``text`` fits ``width`` on one line."""
        while style.size > smallest and self.text_width(text, style) > width:
            style = replace(style, size=style.size - 0.5)
        return style


class Block:
    """Something drawn at full column width: measured first, then painted at a place."""

    keep_with_next = False

    def measure(self, s: Surface, width: float) -> float:
        raise NotImplementedError

    def paint(self, p: QPainter, s: Surface, x: float, y: float, width: float) -> None:
        raise NotImplementedError

    def split(self, s: Surface, width: float, room: float) -> tuple[Block, Block] | None:
        """A first part that fits ``room`` and the rest, or None if it does not break (then it moves to the next
        page whole)."""
        return None

    def first_line(self, s: Surface, width: float) -> float:
        """The least of it that may stand at a page's foot (all of it, unless it breaks)."""
        return self.measure(s, width)


class Spacer(Block):
    def __init__(self, mm: float) -> None:
        self.mm = mm

    def measure(self, s: Surface, width: float) -> float:
        return s.mm(self.mm)

    def paint(self, p: QPainter, s: Surface, x: float, y: float, width: float) -> None:
        pass


class Rule(Block):
    """A horizontal line (``double``: a thick and a thin one, as under a letterhead)."""

    def __init__(self, thickness_mm: float = 0.25, *, color: str = BLACK, double: bool = False,
                 space_mm: float = 1.5) -> None:
        self.thickness = thickness_mm
        self.color = color
        self.double = double
        self.space = space_mm

    def measure(self, s: Surface, width: float) -> float:
        return s.mm(self.space * 2 + self.thickness + (0.9 if self.double else 0))

    def paint(self, p: QPainter, s: Surface, x: float, y: float, width: float) -> None:
        top = y + s.mm(self.space)
        p.fillRect(QRectF(x, top, width, s.mm(self.thickness)), QColor(self.color))
        if self.double:
            p.fillRect(QRectF(x, top + s.mm(self.thickness + 0.6), width, s.mm(0.2)), QColor(self.color))


class Text(Block):
    """A paragraph in one style, wrapped to the column; breaks between lines across pages."""

    def __init__(self, text: str, style: Style, *, indent_mm: float = 0.0, before_mm: float = 0.0,
                 after_mm: float = 0.0, keep_with_next: bool = False, lines: Sequence[str] | None = None) -> None:
        self.text = text
        self.style = style
        self.indent = indent_mm
        self.before = before_mm
        self.after = after_mm
        self.keep_with_next = keep_with_next
        self._lines = list(lines) if lines is not None else None
        self._width: float | None = None

    def lines(self, s: Surface, width: float) -> list[str]:
        if self._lines is None or (self._width is not None and self._width != width):
            self._lines = s.wrap(self.text, self.style, width - s.mm(self.indent))
            self._width = width
        return self._lines

    def measure(self, s: Surface, width: float) -> float:
        return s.mm(self.before + self.after) + len(self.lines(s, width)) * s.line_height(self.style)

    def first_line(self, s: Surface, width: float) -> float:
        return s.mm(self.before) + min(2, len(self.lines(s, width))) * s.line_height(self.style)

    def split(self, s: Surface, width: float, room: float) -> tuple[Block, Block] | None:
        lines = self.lines(s, width)
        fit = int((room - s.mm(self.before)) // s.line_height(self.style))
        if fit < 2 or len(lines) - fit < 2:  # no line left alone at a page's foot or head
            fit = min(fit, len(lines) - 2)
            if fit < 2:
                return None
        head = Text(self.text, self.style, indent_mm=self.indent, before_mm=self.before, lines=lines[:fit])
        tail = Text(self.text, self.style, indent_mm=self.indent, after_mm=self.after,
                    keep_with_next=self.keep_with_next, lines=lines[fit:])
        head._width = tail._width = width
        return head, tail

    def paint(self, p: QPainter, s: Surface, x: float, y: float, width: float) -> None:
        p.setFont(s.font(self.style))
        p.setPen(QColor(self.style.color))
        metrics = s.metrics(self.style)
        step = metrics.lineSpacing()
        left = x + s.mm(self.indent)
        column = width - s.mm(self.indent)
        top = y + s.mm(self.before)
        for i, line in enumerate(self.lines(s, width)):
            shift = 0.0
            if self.style.align is not Align.LEFT:
                free = column - metrics.horizontalAdvance(line)
                shift = free / 2 if self.style.align is Align.CENTER else free
            p.drawText(QPointF(left + shift, top + i * step + metrics.ascent()), line)


# ---- pages ------------------------------------------------------------------------------------------------------

Placed = tuple[Block, float]  # a block and its top on the page


def paginate(blocks: Sequence[Block], s: Surface, width: float, page_height: float) -> list[list[Placed]]:
    """The blocks laid on pages of ``page_height``: a block that does not fit moves to the next page, or breaks
    there if it can; a heading (``keep_with_next``) never stays alone at a page's foot."""
    pages: list[list[Placed]] = [[]]
    y = 0.0
    queue = list(blocks)
    i = 0
    while i < len(queue):
        block = queue[i]
        height = block.measure(s, width)
        room = page_height - y
        needed = height
        if block.keep_with_next and i + 1 < len(queue):
            needed += queue[i + 1].first_line(s, width)
        fresh = not pages[-1]
        if needed <= room or (fresh and height <= room):
            pages[-1].append((block, y))
            y += height
            i += 1
            continue
        parts = None if block.keep_with_next else block.split(s, width, room)
        if parts is not None:
            head, tail = parts
            pages[-1].append((head, y))
            queue[i] = tail
        elif fresh:  # taller than a page and unbreakable: it runs over (nothing on these papers is)
            pages[-1].append((block, y))
            y += height
            i += 1
            continue
        pages.append([])
        y = 0.0
    return pages


def total_height(blocks: Sequence[Block], s: Surface, width: float) -> float:
    return sum(b.measure(s, width) for b in blocks)


def paint_page(p: QPainter, s: Surface, placed: Sequence[Placed], width: float) -> None:
    for block, top in placed:
        block.paint(p, s, 0.0, top, width)
