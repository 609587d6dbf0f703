"""Windows that fit the screen they are on: the size a window opens at, saved geometry brought back inside the
screen (a laptop at 1366×768 or 1024×768 after a 1920×1080 monitor), and dialogs that grow when a message appears
in them instead of squeezing it.

The frame a window manager draws (title bar, borders) is known only once a window is shown; before that it is
estimated from the style's title-bar height, and :func:`keep_on_screen` corrects the guess after showing."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QStyle, QWidget


def available_rect(widget: QWidget | None = None) -> QRect:
    """The part of the widget's screen (the primary screen before it has one) that windows may cover."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 768)


def frame_extra(window: QWidget) -> QSize:
    """What the window manager's frame adds to the window's size: measured once shown, else estimated."""
    frame, inner = window.frameGeometry(), window.geometry()
    if window.isVisible() and frame.size() != inner.size():
        return QSize(frame.width() - inner.width(), frame.height() - inner.height())
    style = window.style() if window is not None else QApplication.style()
    border = style.pixelMetric(QStyle.PixelMetric.PM_MdiSubWindowFrameWidth)
    return QSize(2 * border, style.pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight) + 2 * border)


def fitting_size(window: QWidget, wanted: QSize) -> QSize:
    """``wanted``, made no larger than the window's screen leaves for it inside its frame."""
    room = available_rect(window).size() - frame_extra(window)
    return wanted.boundedTo(room).expandedTo(QSize(1, 1))


def fits(window: QWidget, wanted: QSize) -> bool:
    return fitting_size(window, wanted) == wanted


def clamped(rect: QRect, area: QRect) -> QRect:
    """``rect`` made no larger than ``area`` and moved inside it (its size kept where it fits)."""
    size = rect.size().boundedTo(area.size())
    x = min(max(rect.x(), area.left()), area.right() + 1 - size.width())
    y = min(max(rect.y(), area.top()), area.bottom() + 1 - size.height())
    return QRect(QPoint(x, y), size)


def keep_on_screen(window: QWidget) -> None:
    """Shrink and move a shown window so that its frame lies inside its screen's available area (a maximized or
    full-screen window is the window manager's to place)."""
    if window.isMaximized() or window.isFullScreen() or not window.isWindow():
        return
    area = available_rect(window)
    extra = frame_extra(window)
    frame = QRect(window.frameGeometry().topLeft(), window.size() + extra)
    inside = clamped(frame, area)
    if inside == frame:
        return
    window.resize((inside.size() - extra).expandedTo(window.minimumSize()))
    window.move(inside.topLeft())


def keep_on_screen_once_shown(window: QWidget) -> None:
    """:func:`keep_on_screen` after the event loop has shown the window (its frame is then known)."""
    QTimer.singleShot(0, window, lambda: keep_on_screen(window))


def grow_to_content(dialog: QWidget) -> None:
    """Make a shown dialog tall enough for what it holds now (a message or an error line that appeared), up to
    its screen's height, keeping it on the screen. A dialog does not grow by itself: its layout then squeezes
    word-wrapped labels, which draw over the row below."""
    layout = dialog.layout()
    if layout is None or not dialog.isWindow():
        return
    layout.activate()
    width = dialog.width()
    needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
    needed = max(needed, layout.totalMinimumSize().height())
    room = fitting_size(dialog, QSize(width, needed))
    if room.height() > dialog.height():
        dialog.resize(width, room.height())
    if dialog.isVisible():
        keep_on_screen(dialog)


def first_geometry(window: QWidget, wanted: QSize) -> None:
    """A window's size the first time it opens on this PC: ``wanted`` where that fits, centred; else the whole of a
    small screen (a laptop at 1366×768 or 1024×768), maximized so that the window manager fits it under its own
    panels, with a fitting size to return to."""
    fitting = fitting_size(window, wanted)
    area = available_rect(window)
    window.resize(fitting)
    window.move(area.center() - QRect(QPoint(0, 0), fitting).center())
    if fitting != wanted:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
