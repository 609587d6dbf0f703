"""The KPI tiles: a figure, what it is made of (numerator of denominator, pending), the roadmap target and whether
it was met — in words and marks (✓ / ✗), not in colour alone. A tile is a button: click, Enter or Space drills down
to the complaints behind its figure."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from ui.style import muted, scaled_font

MET_MARK, MISSED_MARK, NO_MARK = "✓", "✗", "–"
# The target's line when met or missed (with its mark and word): 4.5:1 on the tiles in both schemes of ui.style.
MET_COLOUR, MISSED_COLOUR = "#1e6b2f", "#9b1c1c"


@dataclass(frozen=True)
class TileFigure:
    """What one tile shows. ``met``: the target was reached (True), not reached (False), or cannot be judged / has
    no target (None). ``ids``: the complaints behind the figure."""

    key: str
    title: str
    value: str
    detail: str
    target: str
    met: bool | None
    ids: tuple[str, ...]


class KpiTile(QFrame):
    activated = Signal(str)  # the tile's key

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.figure: TileFigure | None = None
        self.setObjectName("kpiTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.title_label = QLabel(self)
        self.title_label.setWordWrap(True)
        self.value_label = QLabel(self)
        self.value_label.setFont(scaled_font(self.font(), 1.6, bold=True))
        self.detail_label = muted(QLabel(self))
        self.detail_label.setWordWrap(True)
        self.target_label = QLabel(self)
        self.target_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(2)
        for label in (self.title_label, self.value_label, self.detail_label, self.target_label):
            layout.addWidget(label)
        layout.addStretch(1)

    def show_figure(self, figure: TileFigure) -> None:
        self.figure = figure
        self.title_label.setText(figure.title)
        self.value_label.setText(figure.value)
        self.detail_label.setText(figure.detail)
        self.target_label.setText(figure.target)
        self.target_label.setVisible(bool(figure.target))
        state = "" if figure.met is None else ("met" if figure.met else "missed")
        self.target_label.setProperty("kpiState", state)
        self.target_label.setStyleSheet("" if figure.met is None else
                                        (f"color: {MET_COLOUR};" if figure.met
                                         else f"color: {MISSED_COLOUR}; font-weight: 600;"))
        self.setAccessibleName(f"{figure.title}: {figure.value}")
        self.setAccessibleDescription(" ".join(t for t in (figure.detail, figure.target) if t))
        self.setToolTip(self.tr("Show the complaints behind this figure (%Ln complaint(s))", "", len(figure.ids)))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.activated.emit(self.key)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.key)
            event.accept()
            return
        super().keyPressEvent(event)
