"""The window's process, apart from its windows: Ctrl+C in a terminal, and the packaging smoke test."""

from __future__ import annotations

import signal
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


def quit_on_ctrl_c(app: QApplication) -> Callable[[], None]:
    """Ctrl+C in the terminal (``make run``) closes the window cleanly: Python only sees the signal when it runs,
    so a timer lets it run now and then. Returns what undoes it."""
    previous = signal.signal(signal.SIGINT, lambda *_args: app.closeAllWindows())
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(500)

    def undo() -> None:
        timer.stop()
        timer.deleteLater()
        signal.signal(signal.SIGINT, previous)

    return undo


SMOKE_TEST_ENV = "LAPOR_DESK_SMOKE_TEST"  # seconds: show the first window, say which, then close (packaging check)


def smoke_test(app: QApplication, seconds: float) -> None:
    def report_and_close() -> None:
        shown = [w for w in app.topLevelWidgets() if w.isVisible()]
        names = ", ".join(sorted({type(w).__name__ for w in shown})) or "none"
        print(f"smoke test: visible windows: {names}", flush=True)
        app.closeAllWindows()

    QTimer.singleShot(int(seconds * 1000), report_and_close)
