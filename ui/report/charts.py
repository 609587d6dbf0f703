"""Bar charts drawn with QPainter as page blocks: vector on any device, sized in millimetres like the rest of the
paper, and readable without colour — every bar carries its value, and series differ by fill pattern (solid, hatched,
dotted) drawn as lines in millimetres, so they survive a black-and-white office printer and a photocopy.

(QtCharts, which the dashboard uses, would need a QApplication and a widget scene even for the command line, and its
pattern brushes are sized in device pixels: at the PDF's 1200 dpi a hatch turns into grey.)"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from ui.locale_format import decimal, integer, percent
from ui.printing.layout import Align, Block, Style, Surface, Text

INK = "#1f2d3d"
GRID = "#c8c8c8"


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # None: nothing to show that month ("t/d")


def number_text(value: float, is_percent: bool, lang: str) -> str:
    """A bar's value or an axis step: a count (``1.514`` / ``1,514``) or a percentage's number (``85,7`` /
    ``85.7``; the axis says it is a percentage once, at its top)."""
    return decimal(value, lang) if is_percent else integer(round(value), lang)


def nice_step(raw: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten that is at least ``raw`` (whole numbers: counts)."""
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return float(max(1, factor * magnitude))
    return float(10 * magnitude)


def fill_bar(p: QPainter, s: Surface, rect: QRectF, pattern: int) -> None:
    """A bar in pattern 0 (solid), 1 (white, diagonal hatch) or 2 (light, cross-hatch), framed in ink."""
    p.save()
    pen = QPen(QColor(INK))
    pen.setWidthF(s.mm(0.25))
    if pattern == 0:
        p.fillRect(rect, QColor(INK))
    else:
        p.fillRect(rect, QColor("#ffffff" if pattern == 1 else "#e9e9e9"))
        path = QPainterPath()
        path.addRect(rect)
        p.setClipPath(path)
        p.setPen(pen)
        step = s.mm(1.3)
        span = rect.width() + rect.height()
        k = 0.0
        while k <= span:
            p.drawLine(QPointF(rect.left() + k, rect.bottom()), QPointF(rect.left() + k - rect.height(), rect.top()))
            if pattern == 2:
                p.drawLine(QPointF(rect.left() + k - rect.height(), rect.bottom()),
                           QPointF(rect.left() + k, rect.top()))
            k += step
        p.setClipping(False)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(rect)
    p.restore()


def _legend(p: QPainter, s: Surface, series: Sequence[Series], style: Style, x: float, y: float) -> None:
    metrics = s.metrics(style)
    p.setFont(s.font(style))
    for i, item in enumerate(series):
        box = QRectF(x, y, s.mm(5), s.mm(3))
        fill_bar(p, s, box, i)
        p.setPen(QColor("#000000"))
        p.drawText(QPointF(x + s.mm(6.5), y + s.mm(3)), item.name)
        x += s.mm(12) + metrics.horizontalAdvance(item.name)


class ColumnChart(Block):
    """Vertical bars per category (months), one bar per series in each group, with its value above it (turned
    upright when it is wider than the bar) and "t/d" where a series has nothing that month."""

    def __init__(self, title: str, labels: Sequence[str], series: Sequence[Series], style: Style, lang: str, *,
                 percent: bool = False, height_mm: float = 62.0, empty_text: str = "", after_mm: float = 5.0) -> None:
        self.title = Text(title, Style(style.size + 1.5, bold=True), after_mm=1.5)
        self.labels = list(labels)
        self.series = list(series)
        self.style = style
        self.small = Style(max(5.5, style.size - 1.5))
        self.percent = percent
        self.lang = lang
        self.height = height_mm
        self.empty_text = empty_text
        self.after = after_mm

    def measure(self, s: Surface, width: float) -> float:
        return self.title.measure(s, width) + s.mm(self.height + 6 + self.after)

    def _top(self) -> float:
        values = [v for item in self.series for v in item.values if v is not None]
        if self.percent:
            return 100.0
        peak = max(values, default=0.0)
        if peak <= 0:
            return 1.0
        return 4 * nice_step(peak * 1.1 / 4)

    def paint(self, p: QPainter, s: Surface, x: float, y: float, width: float) -> None:
        self.title.paint(p, s, x, y, width)
        y += self.title.measure(s, width)
        _legend(p, s, self.series, self.small, x, y)
        top_y = y + s.mm(8)
        axis_w = s.mm(12)
        plot = QRectF(x + axis_w, top_y, width - axis_w, s.mm(self.height) - s.mm(14))
        peak = self._top()
        metrics = s.metrics(self.small)
        p.save()
        p.setFont(s.font(self.small))
        grid = QPen(QColor(GRID))
        grid.setWidthF(s.mm(0.15))
        for i in range(5):
            level = peak * i / 4
            gy = plot.bottom() - plot.height() * i / 4
            p.setPen(grid)
            p.drawLine(QPointF(plot.left(), gy), QPointF(plot.right(), gy))
            p.setPen(QColor("#000000"))
            top = self.percent and i == 4
            text = percent(level, self.lang) if top else number_text(level, self.percent, self.lang)
            p.drawText(QPointF(plot.left() - s.mm(1.5) - metrics.horizontalAdvance(text), gy + metrics.ascent() / 3),
                       text)
        groups = max(1, len(self.labels))
        slot = plot.width() / groups
        bar = slot * 0.78 / max(1, len(self.series))
        anything = False
        for g, label in enumerate(self.labels):
            left = plot.left() + g * slot + slot * 0.11
            for k, item in enumerate(self.series):
                value = item.values[g] if g < len(item.values) else None
                bx = left + k * bar
                if value is None:
                    self._value(p, s, "t/d", bx, bar, plot.bottom())
                    continue
                anything = anything or value > 0
                h = plot.height() * min(value, peak) / peak
                if h > 0:
                    fill_bar(p, s, QRectF(bx, plot.bottom() - h, bar, h), k)
                self._value(p, s, number_text(value, self.percent, self.lang), bx, bar, plot.bottom() - h)
            p.setPen(QColor("#000000"))
            lx = plot.left() + g * slot + (slot - metrics.horizontalAdvance(label)) / 2
            p.drawText(QPointF(lx, plot.bottom() + s.mm(1.2) + metrics.ascent()), label)
        axis = QPen(QColor("#000000"))
        axis.setWidthF(s.mm(0.3))
        p.setPen(axis)
        p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        if not anything and self.empty_text:
            p.setFont(s.font(self.style))
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.empty_text)
        p.restore()

    def _value(self, p: QPainter, s: Surface, text: str, bx: float, bar: float, base: float) -> None:
        metrics = s.metrics(self.small)
        p.setPen(QColor("#000000"))
        w = metrics.horizontalAdvance(text)
        if w <= bar + s.mm(0.6):
            p.drawText(QPointF(bx + (bar - w) / 2, base - s.mm(0.8)), text)
            return
        p.save()  # wider than its bar: written upwards above it
        p.translate(bx + bar / 2 + metrics.ascent() / 2.6, base - s.mm(0.8))
        p.rotate(-90)
        p.drawText(QPointF(0, 0), text)
        p.restore()


class BarList(Block):
    """Horizontal bars, one per named row, its value after the bar: for the top categories and the units' overdue
    complaints."""

    def __init__(self, title: str, rows: Sequence[tuple[str, float]], style: Style, lang: str, *,
                 label_share: float = 0.46, empty_text: str = "", pattern: int = 0, after_mm: float = 5.0) -> None:
        self.title = Text(title, Style(style.size + 2.5, bold=True), after_mm=1.5, keep_with_next=True)
        self.rows = list(rows)
        self.style = style
        self.label_share = label_share
        self.empty = Text(empty_text, Style(style.size, italic=True))
        self.pattern = pattern
        self.lang = lang
        self.after = after_mm

    def _row_h(self, s: Surface) -> float:
        return max(s.mm(5.2), s.line_height(self.style) * 1.25)

    def measure(self, s: Surface, width: float) -> float:
        body = self.empty.measure(s, width) if not self.rows else len(self.rows) * self._row_h(s)
        return self.title.measure(s, width) + body + s.mm(self.after)

    def paint(self, p: QPainter, s: Surface, x: float, y: float, width: float) -> None:
        self.title.paint(p, s, x, y, width)
        y += self.title.measure(s, width)
        if not self.rows:
            self.empty.paint(p, s, x, y, width)
            return
        label_w = width * self.label_share
        value_w = s.mm(14)
        bar_w = width - label_w - value_w - s.mm(2)
        peak = max((v for _, v in self.rows), default=0.0) or 1.0
        row_h = self._row_h(s)
        metrics = s.metrics(self.style)
        for i, (name, value) in enumerate(self.rows):
            top = y + i * row_h
            label = s.wrap(name, self.style, label_w - s.mm(2))
            text = label[0] + ("…" if len(label) > 1 else "")
            Text(text, self.style.aligned(Align.RIGHT), lines=[text]).paint(
                p, s, x, top + (row_h - metrics.height()) / 2, label_w - s.mm(2))
            bar = QRectF(x + label_w, top + row_h * 0.18, max(s.mm(0.4), bar_w * value / peak), row_h * 0.64)
            fill_bar(p, s, bar, self.pattern)
            p.setFont(s.font(self.style))
            p.setPen(QColor("#000000"))
            p.drawText(QPointF(bar.right() + s.mm(1.5), top + (row_h + metrics.ascent() - metrics.descent()) / 2),
                       number_text(value, False, self.lang))
