"""Building blocks of the detail panel: titled sections (cards), selectable wrapped values, status pills."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QLayout, QSizePolicy, QVBoxLayout, QWidget


def scaled_font(widget: QWidget, factor: float, *, bold: bool = False) -> QFont:
    """The widget's font scaled relative to the system font (never a fixed size)."""
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font


def value_label(text: str, parent: QWidget | None = None, *, selectable: bool = True) -> QLabel:
    """Plain text (never interpreted as HTML: it may come from a reporter), wrapped, selectable."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                      | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return label


class Pill(QLabel):
    """A coloured tag (status, deadline state, marks), painted directly: style sheets on many small widgets make
    opening a complaint noticeably slower."""

    def __init__(self, text: str, colours: tuple[str, str], parent: QWidget | None = None, *,
                 wrap: bool = False) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)
        self.setWordWrap(wrap)
        self.setContentsMargins(8, 2, 8, 2)
        self.setSizePolicy(QSizePolicy.Policy.Maximum,
                           QSizePolicy.Policy.Preferred if wrap else QSizePolicy.Policy.Fixed)
        self.colours = colours
        self.set_colours(colours)

    def set_colours(self, colours: tuple[str, str]) -> None:
        self.colours = colours
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(colours[0]))
        self.setPalette(palette)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        if not self.wordWrap():
            return super().sizeHint()
        # On one line when there is room (QLabel's own guess for wrapped text is narrower than that).
        m = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self.text()) + m.left() + m.right() + 2
        return QSize(width, self.heightForWidth(width))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self.colours[1]))
        painter.drawRoundedRect(QRectF(self.rect()), 4, 4)
        painter.end()
        super().paintEvent(event)


def pill(text: str, colours: tuple[str, str], parent: QWidget | None = None, *, wrap: bool = False) -> Pill:
    """A coloured tag; ``wrap`` lets a long one break onto two lines in a narrow panel."""
    return Pill(text, colours, parent, wrap=wrap)


def clear_layout(layout: QLayout) -> None:
    """Remove and delete everything in ``layout`` (nested layouts too)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())


class Section(QFrame):
    """A titled card of the detail panel."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailSection")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 10, 14, 12)
        outer.setSpacing(6)
        self.heading = QLabel(title, self)
        self.heading.setFont(scaled_font(self, 1.08, bold=True))
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName(title)
        outer.addWidget(self.heading)
        self.body = QVBoxLayout()
        self.body.setSpacing(6)
        outer.addLayout(self.body)

    def set_title(self, title: str) -> None:
        self.heading.setText(title)

    def clear(self) -> None:
        clear_layout(self.body)
