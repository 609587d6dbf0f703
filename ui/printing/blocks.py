"""Blocks made of other blocks or drawn by hand: a label with its value, a stack, a frame, two columns, a QR code."""

from __future__ import annotations

import math
from collections.abc import Sequence

import segno
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from ui.printing.layout import BLACK, Block, Style, Surface, Text


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
