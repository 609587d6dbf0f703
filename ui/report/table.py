"""A table block for the report: a header row on a grey band, rows with thin rules, cells wrapped to their column,
broken between rows across pages with the header repeated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter

from ui.printing.layout import Align, Block, Style, Surface, Text

HEADER_FILL = "#e4e8ee"
RULE = "#9a9a9a"


@dataclass(frozen=True)
class Column:
    header: str
    share: float  # of the table's width
    align: Align = Align.LEFT


class Table(Block):
    PAD_MM = 1.2

    def __init__(self, columns: Sequence[Column], rows: Sequence[Sequence[str]], style: Style, *,
                 bold_rows: frozenset[int] = frozenset(), after_mm: float = 4.0) -> None:
        self.columns = list(columns)
        self.rows = [list(r) for r in rows]
        self.style = style
        self.header_style = replace(style, bold=True)
        self.bold_rows = bold_rows
        self.after = after_mm

    def _widths(self, width: float) -> list[float]:
        total = sum(c.share for c in self.columns)
        return [width * c.share / total for c in self.columns]

    def _cells(self, s: Surface, cells: Sequence[str], style: Style, width: float) -> list[Text]:
        return [Text(text, style.aligned(c.align)) for text, c in zip(cells, self.columns, strict=True)]

    def _row_height(self, s: Surface, cells: Sequence[str], style: Style, width: float) -> float:
        pad = s.mm(self.PAD_MM)
        return max(t.measure(s, w - 2 * pad) for t, w in zip(self._cells(s, cells, style, width),
                                                               self._widths(width), strict=True)) + 2 * pad

    def _style_of(self, index: int) -> Style:
        return replace(self.style, bold=True) if index in self.bold_rows else self.style

    def measure(self, s: Surface, width: float) -> float:
        header = self._row_height(s, [c.header for c in self.columns], self.header_style, width)
        return header + sum(self._row_height(s, r, self._style_of(i), width) for i, r in enumerate(self.rows)) + \
            s.mm(self.after)

    def first_line(self, s: Surface, width: float) -> float:
        header = self._row_height(s, [c.header for c in self.columns], self.header_style, width)
        return header + (self._row_height(s, self.rows[0], self.style, width) if self.rows else 0.0)

    def split(self, s: Surface, width: float, room: float) -> tuple[Block, Block] | None:
        used = self._row_height(s, [c.header for c in self.columns], self.header_style, width)
        fit = 0
        for i, row in enumerate(self.rows):
            used += self._row_height(s, row, self._style_of(i), width)
            if used > room:
                break
            fit += 1
        if fit < 2 or len(self.rows) - fit < 1:
            return None
        bold_head = frozenset(i for i in self.bold_rows if i < fit)
        bold_tail = frozenset(i - fit for i in self.bold_rows if i >= fit)
        return (Table(self.columns, self.rows[:fit], self.style, bold_rows=bold_head, after_mm=0.0),
                Table(self.columns, self.rows[fit:], self.style, bold_rows=bold_tail, after_mm=self.after))

    def paint(self, p: QPainter, s: Surface, x: float, y: float, width: float) -> None:
        widths = self._widths(width)
        pad = s.mm(self.PAD_MM)
        rule = s.mm(0.2)
        header = [c.header for c in self.columns]
        height = self._row_height(s, header, self.header_style, width)
        p.fillRect(QRectF(x, y, width, height), QColor(HEADER_FILL))
        self._paint_cells(p, s, header, self.header_style, x, y, widths, pad)
        y += height
        p.fillRect(QRectF(x, y - s.mm(0.35), width, s.mm(0.35)), QColor("#000000"))
        for i, row in enumerate(self.rows):
            style = self._style_of(i)
            height = self._row_height(s, row, style, width)
            self._paint_cells(p, s, row, style, x, y, widths, pad)
            y += height
            p.fillRect(QRectF(x, y - rule, width, rule), QColor(RULE))

    def _paint_cells(self, p: QPainter, s: Surface, cells: Sequence[str], style: Style, x: float, y: float,
                     widths: Sequence[float], pad: float) -> None:
        left = x
        for text, w in zip(self._cells(s, cells, style, sum(widths)), widths, strict=True):
            text.paint(p, s, left + pad, y + pad, w - 2 * pad)
            left += w
