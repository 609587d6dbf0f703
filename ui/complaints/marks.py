"""The deadline mark: a colour, a shape and a word for each state, so it reads without colour too
(overdue = red circle with "!", due soon = amber triangle with "!", on time = green circle with a tick)."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from app.domain import DeadlineState
from app.timeutil import as_utc, zone
from ui import style

_SIZE = 64  # drawn large, scaled down by QIcon to the view's icon size
HALO = "#ffffff"  # the ring round each mark and the sign inside it (see state_icon)


def state_colors(scheme: style.Scheme) -> dict[str, str]:
    """Each state's colour in ``scheme``: the mark's fill, and the deadline column's text (4.5:1 on the rows)."""
    return {DeadlineState.OVERDUE: scheme.overdue, DeadlineState.DUE_SOON: scheme.due_soon,
            DeadlineState.ON_TIME: scheme.on_time, DeadlineState.NONE: scheme.muted}


def state_color(state: str) -> QColor:
    return _state_color(state, style.active())


def state_icon(state: str) -> QIcon:
    """The icon of a deadline state in the scheme in use (an empty icon for NONE). Needs a QGuiApplication."""
    return _state_icon(state, style.active())


@cache
def _state_color(state: str, scheme: style.Scheme) -> QColor:
    colors = state_colors(scheme)
    return QColor(colors.get(state, scheme.muted))


def _draw_bang(p: QPainter, cx: float, top: float, bottom: float) -> None:
    pen = QPen(QColor(HALO), _SIZE * 0.11, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    p.drawLine(QPointF(cx, top), QPointF(cx, bottom - _SIZE * 0.16))
    p.drawPoint(QPointF(cx, bottom))


@cache
def _state_icon(state: str, scheme: style.Scheme) -> QIcon:
    """The shape in the state's colour with a white sign inside and a white ring round it: on a white row the ring
    is not seen, on a selected (dark blue) row it is what outlines the shape. The same picture is given for the
    selected mode, so Qt does not tint it with the highlight."""
    if state not in (DeadlineState.OVERDUE, DeadlineState.DUE_SOON, DeadlineState.ON_TIME):
        return QIcon()
    pix = QPixmap(_SIZE, _SIZE)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor(HALO), _SIZE * 0.06, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                  Qt.PenJoinStyle.RoundJoin))
    p.setBrush(_state_color(state, scheme))
    s = float(_SIZE)
    if state == DeadlineState.DUE_SOON:
        tri = QPolygonF([QPointF(s / 2, s * 0.06), QPointF(s * 0.96, s * 0.91), QPointF(s * 0.04, s * 0.91)])
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
            pen = QPen(QColor(HALO), s * 0.11, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                       Qt.PenJoinStyle.RoundJoin)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPolyline(QPolygonF([QPointF(s * 0.28, s * 0.52), QPointF(s * 0.44, s * 0.67),
                                      QPointF(s * 0.72, s * 0.36)]))
    p.end()
    icon = QIcon(pix)
    icon.addPixmap(pix, QIcon.Mode.Selected)
    return icon


def local_datetime(value: datetime, tz: str) -> str:
    """dd/MM/yyyy HH:mm in the office's zone: read the same in Indonesian and British English, and made for every
    row the list shows without a QLocale per cell."""
    return as_utc(value).astimezone(zone(tz)).strftime("%d/%m/%Y %H:%M")


def local_date(value: datetime, tz: str) -> str:
    return as_utc(value).astimezone(zone(tz)).strftime("%d/%m/%Y")
