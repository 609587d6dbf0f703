"""A small page layout for printed papers: blocks stacked in one column, measured with the fonts of the device they
are painted on (a PDF writer or a printer, each at its own resolution), broken into pages, or laid on one page as long
as the content for a thermal roll.

Sizes are given in millimetres and points and turned into the device's pixels by :class:`Surface`, so the same
blocks give the same paper at 203 dpi (a receipt printer), 600 dpi (an office laser) or 1200 dpi (a PDF).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum

import segno
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QPaintDevice,
    QPainter,
    QPen,
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


class Pair(Block):
    """A label and its value: side by side (the label in a column of ``label_mm``) or, with ``label_mm`` 0, the
    label above its value (a narrow roll)."""

    def __init__(self, label: str, value: str, label_style: Style, value_style: Style, *, label_mm: float,
                 after_mm: float = 1.2) -> None:
        self.label = Text(label, label_style)
        self.value = Text(value, value_style)
        self.label_mm = label_mm
        self.after = after_mm

    def _value_left(self, s: Surface) -> float:
        return s.mm(self.label_mm)

    def _label_drop(self, s: Surface) -> float:
        """How far the label goes down so that its first line stands on the value's baseline (a larger value)."""
        return max(0.0, s.metrics(self.value.style).ascent() - s.metrics(self.label.style).ascent())

    def measure(self, s: Surface, width: float) -> float:
        if not self.label_mm:
            return self.label.measure(s, width) + self.value.measure(s, width) + s.mm(self.after)
        label_w = s.mm(self.label_mm) - s.mm(2)
        return max(self.label.measure(s, label_w) + self._label_drop(s),
                   self.value.measure(s, width - self._value_left(s))) + s.mm(self.after)

    def paint(self, p: QPainter, s: Surface, x: float, y: float, width: float) -> None:
        if not self.label_mm:
            self.label.paint(p, s, x, y, width)
            self.value.paint(p, s, x, y + self.label.measure(s, width), width)
            return
        self.label.paint(p, s, x, y + self._label_drop(s), s.mm(self.label_mm) - s.mm(2))
        left = self._value_left(s)
        self.value.paint(p, s, x + left, y, width - left)


class Stack(Block):
    """Blocks one under the other, kept together (inside a box or a column)."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.blocks = list(blocks)

    def measure(self, s: Surface, width: float) -> float:
        return sum(b.measure(s, width) for b in self.blocks)

    def paint(self, p: QPainter, s: Surface, x: float, y: float, width: float) -> None:
        for block in self.blocks:
            block.paint(p, s, x, y, width)
            y += block.measure(s, width)


class Box(Block):
    """A block in a frame with padding, optionally on a light background."""

    def __init__(self, inner: Block, *, padding_mm: float = 3.0, border_mm: float = 0.35, color: str = BLACK,
                 fill: str | None = None, after_mm: float = 0.0) -> None:
        self.inner = inner
        self.padding = padding_mm
        self.border = border_mm
        self.color = color
        self.fill = fill
        self.after = after_mm

    def _inner_width(self, s: Surface, width: float) -> float:
        return width - 2 * s.mm(self.padding + self.border)

    def measure(self, s: Surface, width: float) -> float:
        return self.inner.measure(s, self._inner_width(s, width)) + 2 * s.mm(self.padding + self.border) + s.mm(
            self.after)

    def paint(self, p: QPainter, s: Surface, x: float, y: float, width: float) -> None:
        height = self.measure(s, width) - s.mm(self.after)
        half = s.mm(self.border) / 2
        frame = QRectF(x + half, y + half, width - 2 * half, height - 2 * half)
        p.save()
        if self.fill:
            p.fillRect(frame, QColor(self.fill))
        pen = QPen(QColor(self.color))
        pen.setWidthF(s.mm(self.border))
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(frame)
        p.restore()
        inset = s.mm(self.padding + self.border)
        self.inner.paint(p, s, x + inset, y + inset, self._inner_width(s, width))


class Columns(Block):
    """Two blocks side by side: the right one ``right_mm`` wide, ``gap_mm`` between, both top-aligned."""

    def __init__(self, left: Block, right: Block, *, right_mm: float, gap_mm: float = 5.0,
                 after_mm: float = 0.0) -> None:
        self.left = left
        self.right = right
        self.right_mm = right_mm
        self.gap = gap_mm
        self.after = after_mm

    def _widths(self, s: Surface, width: float) -> tuple[float, float]:
        right = s.mm(self.right_mm)
        return width - right - s.mm(self.gap), right

    def measure(self, s: Surface, width: float) -> float:
        left, right = self._widths(s, width)
        return max(self.left.measure(s, left), self.right.measure(s, right)) + s.mm(self.after)

    def paint(self, p: QPainter, s: Surface, x: float, y: float, width: float) -> None:
        left, right = self._widths(s, width)
        self.left.paint(p, s, x, y, left)
        self.right.paint(p, s, x + width - right, y, right)


class QrCode(Block):
    """A QR code whose symbol is ``size_mm`` wide (its quiet zone of four modules around it comes on top), centred
    in the column, drawn as vector squares (sharp on any printer). Always a full QR code: phones' cameras do not
    read Micro QR."""

    QUIET = 4

    def __init__(self, data: str, size_mm: float, *, after_mm: float = 0.0) -> None:
        self.data = data
        self.size = size_mm
        self.after = after_mm
        self.qr = segno.make_qr(data, error="m", boost_error=False)
        self.modules = len(self.qr.matrix)

    def module_px(self, s: Surface) -> float:
        """One module in whole device pixels, so every module prints alike on a coarse printer; rounded up, so the
        symbol is never smaller than asked."""
        return float(max(1, math.ceil(s.mm(self.size) / self.modules)))

    def side_px(self, s: Surface) -> float:
        return self.module_px(s) * (self.modules + 2 * self.QUIET)

    def measure(self, s: Surface, width: float) -> float:
        return self.side_px(s) + s.mm(self.after)

    def paint(self, p: QPainter, s: Surface, x: float, y: float, width: float) -> None:
        module = self.module_px(s)
        side = self.side_px(s)
        left = round(x + (width - side) / 2)
        top = round(y)
        p.save()
        p.fillRect(QRectF(left, top, side, side), QColor("#ffffff"))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(BLACK))
        quiet = self.QUIET
        for row, bits in enumerate(self.qr.matrix):
            start = None
            for col, bit in enumerate([*bits, 0]):
                if bit and start is None:
                    start = col
                elif not bit and start is not None:  # one rectangle per run of dark modules
                    p.drawRect(QRectF(left + (start + quiet) * module, top + (row + quiet) * module,
                                      (col - start) * module, module))
                    start = None
        p.restore()


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
