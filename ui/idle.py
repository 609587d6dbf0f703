"""Noticing that nobody is at the keyboard: the counter clears a half-typed complaint and locks itself when idle."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

# What a person does; paint, timer and focus events are not a person.
_ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TabletPress, QEvent.Type.InputMethod,
})


class IdleWatcher(QObject):
    """Emits ``idle`` once ``timeout_ms`` passed without a key, click, move or wheel anywhere in the program; any of
    those starts the wait again. Watches the whole application (a dialog over the window counts as activity)."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.idle)
        self._watching = False

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._watching:
            app.installEventFilter(self)
            self._watching = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
            self._watching = False

    def poke(self) -> None:
        """Activity: wait the whole timeout again."""
        if self._watching:
            self._timer.start()

    def interval(self) -> int:
        return self._timer.interval()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self._timer.start()
        return False
