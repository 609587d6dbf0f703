"""Garbage collection on the GUI thread only. Python's cyclic collector runs in whichever thread happens to allocate
past its threshold; when that is a worker thread (ui.tasks: the database and network threads) and the garbage holds
Qt objects made on the GUI thread, they are destroyed on the wrong thread, and the process can crash (a segmentation
fault while collecting inside a database task, seen in CI). So once the window's threads exist, automatic collection
is off and this collects on the GUI thread instead, by the same thresholds, checked twice a second — the way
calibre, Anki and pyqtgraph keep Qt and the collector apart. It comes back on only when the GUI thread is the last
thread left: any other (a library's, a test run's servers) could run it on the GUI's garbage just the same.
app.kpi.assess.bulk_build leaves it off as it found it.
"""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

from app.collector import CHECK_SECONDS, collect_due

_installed: list[QObject] = []
_users = [0]  # task runners with threads, alive


class _Collector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(round(CHECK_SECONDS * 1000))
        self._timer.timeout.connect(collect_due)
        self._timer.start()


def install() -> None:
    """A task runner's threads start: automatic collection off, collected on the GUI thread instead (only on the
    GUI thread of a running Qt application: a command without one keeps Python's own)."""
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return
    _users[0] += 1
    gc.disable()
    if not _installed:
        _installed.append(_Collector(app))


def release() -> None:
    """A task runner's threads stopped: with none left, and no other thread either, Python's own collector again."""
    if _users[0] > 0:
        _users[0] -= 1
        if _users[0] == 0 and _alone():
            gc.enable()


def _alone() -> bool:
    """Whether this is the process's only thread."""
    return threading.active_count() == 1


def installed() -> bool:
    """Whether collection is on the GUI thread now."""
    return _users[0] > 0
