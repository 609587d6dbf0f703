"""The idle watcher behind the counter's clearing and locking: a person's key, click or move in the watched window
starts the wait again, other events do not; the signal comes once the wait ran out."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from ui.idle import IdleWatcher


def test_activity_in_the_window_starts_the_wait_again_and_other_events_do_not(qtbot) -> None:  # type: ignore[no-untyped-def]
    field = QLineEdit()
    qtbot.add_widget(field)
    field.show()
    qtbot.wait_exposed(field)
    window = field.windowHandle()
    watcher = IdleWatcher(3_600_000)
    watcher.start(window)
    timer = watcher._timer
    timer.stop()  # as if the hour had nearly run out: only activity starts it again
    QApplication.sendEvent(window, QEvent(QEvent.Type.User))  # an event that is not a person
    assert not timer.isActive()
    key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    QApplication.sendEvent(window, key)
    assert timer.isActive()
    timer.stop()
    QApplication.sendEvent(window, QMouseEvent(QEvent.Type.MouseButtonPress, QPointF(2, 2), QPointF(2, 2),
                                               Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
                                               Qt.KeyboardModifier.NoModifier))
    assert timer.isActive()
    watcher.stop()
    QApplication.sendEvent(window, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_B, Qt.KeyboardModifier.NoModifier, "b"))
    assert not timer.isActive()  # stopped: no longer watching


def test_idle_is_signalled_once_the_wait_runs_out(qtbot) -> None:  # type: ignore[no-untyped-def]
    field = QLineEdit()
    qtbot.add_widget(field)
    field.show()
    watcher = IdleWatcher(0)
    with qtbot.wait_signal(watcher.idle, timeout=10_000):
        watcher.start(field.windowHandle())
    watcher.stop()
