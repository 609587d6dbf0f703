"""Noticing that nobody is at the keyboard: the counter clears a half-typed complaint and locks itself when idle."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QWindow

# What a person does; paint, timer and focus events are not a person.
_ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TabletPress, QEvent.Type.InputMethod,
})


class IdleWatcher(QObject):
    """Emits ``idle`` once ``timeout_ms`` passed without a key, click, move or wheel in the watched window; any of
    those starts the wait again.

    It watches the window's QWindow, where every input event of that window arrives before Qt hands it to a
    widget — not the whole application: a Python event filter on the application is called for every event of
    every object, also for objects Qt is still building or already destroying, and PySide then wraps a half-made
    object and crashes (seen: a segmentation fault while a window was built behind the counter)."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.idle)
        self._window: QWindow | None = None

    def start(self, window: QWindow | None) -> None:
        """Watch ``window`` (a shown widget's ``windowHandle()``) and start waiting."""
        if window is not self._window:
            self.stop()
            if window is not None:
                window.installEventFilter(self)
            self._window = window
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._window is not None:
            self._window.removeEventFilter(self)
            self._window = None

    def poke(self) -> None:
        """Activity: wait the whole timeout again."""
        if self._window is not None:
            self._timer.start()

    def interval(self) -> int:
        return self._timer.interval()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self._timer.start()
        return False
