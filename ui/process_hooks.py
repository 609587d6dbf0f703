"""The window's process, apart from its windows: Ctrl+C in a terminal, and the packaging smoke test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


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
    """After ``seconds``, print the visible windows and close them. ``0``: as soon as the first window has been
    painted, print which, then close (bench/dist_bench.py times the start-up up to that line)."""

    def report_and_close() -> None:
        shown = [w for w in app.topLevelWidgets() if w.isVisible()]
        names = ", ".join(sorted({type(w).__name__ for w in shown})) or "none"
        print(f"smoke test: visible windows: {names}", flush=True)
        app.closeAllWindows()

    if seconds > 0:
        QTimer.singleShot(int(seconds * 1000), report_and_close)
        return

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint and isinstance(obj, QWidget) and obj.isWindow():
                app.removeEventFilter(self)
                QTimer.singleShot(0, report_and_close)  # once this paint is done
            return False

    watcher = FirstPaint(app)
    app.installEventFilter(watcher)


def relaunch_command() -> list[str]:
    """The command that started this process: the frozen program with its arguments, or Python with everything it
    was given (``-m ui``, a console script) — what runs again after a restore (ui.admin.backups)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *sys.argv[1:]]
    return [sys.executable, *sys.orig_argv[1:]]


def relaunch() -> None:
    """Start this program again, detached: this process has closed its store and is about to end."""
    kwargs: dict[str, object] = {"close_fds": True}
    if os.name == "nt":
        kwargs["creationflags"] = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
    else:
        kwargs["start_new_session"] = True
    subprocess.Popen(relaunch_command(), **kwargs)  # type: ignore[call-overload]  # noqa: S603 - our own command
