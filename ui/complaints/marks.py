"""The deadline mark: a colour, a shape and a word for each state, so it reads without colour too
(overdue = red circle with "!", due soon = amber triangle with "!", on time = green circle with a tick)."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from app.domain import DeadlineState
from app.timeutil import as_utc, zone
from ui.style import DEADLINE_COLORS, MUTED

STATE_COLORS: dict[str, str] = {
    DeadlineState.OVERDUE: DEADLINE_COLORS["overdue"],
    DeadlineState.DUE_SOON: DEADLINE_COLORS["due_soon"],
    DeadlineState.ON_TIME: DEADLINE_COLORS["on_time"],
    DeadlineState.NONE: MUTED,
}
_SIZE = 64  # drawn large, scaled down by QIcon to the view's icon size


@cache
def state_color(state: str) -> QColor:
    return QColor(STATE_COLORS.get(state, MUTED))


def _draw_bang(p: QPainter, cx: float, top: float, bottom: float) -> None:
    pen = QPen(QColor("white"), _SIZE * 0.11, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    p.drawLine(QPointF(cx, top), QPointF(cx, bottom - _SIZE * 0.16))
    p.drawPoint(QPointF(cx, bottom))


@cache
def state_icon(state: str) -> QIcon:
    """The icon of a deadline state (an empty icon for NONE). Needs a QGuiApplication."""
    if state not in (DeadlineState.OVERDUE, DeadlineState.DUE_SOON, DeadlineState.ON_TIME):
        return QIcon()
    pix = QPixmap(_SIZE, _SIZE)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(state_color(state))
    s = float(_SIZE)
    if state == DeadlineState.DUE_SOON:
        tri = QPolygonF([QPointF(s / 2, s * 0.06), QPointF(s * 0.97, s * 0.92), QPointF(s * 0.03, s * 0.92)])
        path = QPainterPath()
        path.addPolygon(tri)
        path.closeSubpath()
        p.drawPath(path)
        _draw_bang(p, s / 2, s * 0.36, s * 0.78)
    else:
        p.drawEllipse(QRectF(s * 0.06, s * 0.06, s * 0.88, s * 0.88))
        if state == DeadlineState.OVERDUE:
            _draw_bang(p, s / 2, s * 0.24, s * 0.74)
        else:
            pen = QPen(QColor("white"), s * 0.11, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                       Qt.PenJoinStyle.RoundJoin)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPolyline(QPolygonF([QPointF(s * 0.28, s * 0.52), QPointF(s * 0.44, s * 0.67),
                                      QPointF(s * 0.72, s * 0.36)]))
    p.end()
    return QIcon(pix)


def local_datetime(value: datetime, tz: str) -> str:
    """dd/MM/yyyy HH:mm in the office's zone."""
    return as_utc(value).astimezone(zone(tz)).strftime("%d/%m/%Y %H:%M")


def local_date(value: datetime, tz: str) -> str:
    return as_utc(value).astimezone(zone(tz)).strftime("%d/%m/%Y")
