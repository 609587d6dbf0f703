"""The one way to run background work: database work on a single worker thread (never two writers), network work
on its own small pool; ``on_success`` / ``on_failure`` run on the GUI thread.

Modelled on Anki's QueryOp/CollectionOp and taskman: a widget calls ``tasks.db(fn, args..., on_success=...)`` and
never touches a Session itself. Workers return ids or plain dataclasses, never live ORM objects. Known errors (the
core's typed errors, an unreachable server, a full disk) go to ``on_failure`` or, without one, to the
``known_error`` signal (the main window shows them as a plain message); anything else is a bug and goes to the
``bug`` signal (the crash dialog). ``on_done`` runs after either, whatever happened (a bug included): a form ends
its busy state there, so a failure of any kind never leaves its OK button disabled.

Work that changes complaints goes through :mod:`ui.operations`, which also says what changed.
"""

from __future__ import annotations

import errno
import itertools
import logging
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

from app.errors import LaporError, Message
from ui import collector

log = logging.getLogger(__name__)

Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]
Done = Callable[[], None]

_ENVIRONMENT_ERRNOS = {errno.ENOSPC, errno.EACCES, errno.EPERM, errno.EROFS, errno.EDQUOT}


@dataclass(frozen=True)
class BugReport:
    """An unexpected exception: what the crash dialog shows and the log keeps."""

    summary: str
    details: str


def is_known_error(exc: BaseException) -> bool:
    """Errors a person can act on (as opposed to bugs)."""
    if isinstance(exc, LaporError):
        return True
    return isinstance(exc, OSError) and exc.errno in _ENVIRONMENT_ERRNOS


def known_error_message(exc: BaseException) -> Message:
    """The plain message for a known error, in both languages."""
    if isinstance(exc, LaporError):
        return exc.message
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return Message("Disk penuh. Kosongkan ruang disk lalu coba lagi.", "The disk is full. Free some space and "
                       "try again.")
    if isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        where = f" ({exc.filename})" if exc.filename else ""
        return Message(f"Tidak ada izin menulis{where}. Minta petugas TI memeriksa izin folder.",
                       f"No permission to write{where}. Ask IT to check the folder's permissions.")
    return Message(str(exc), str(exc))


def bug_report(exc: BaseException) -> BugReport:
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return BugReport(f"{type(exc).__name__}: {exc}", details)


_Callbacks = tuple[Success | None, Failure | None, Done | None, QObject | None]


class TaskRunner(QObject):
    """Runs callables off the GUI thread and delivers their results on it.

    ``synchronous=True`` runs everything at once in the caller's thread (tests: deterministic, like Picard's
    FakeThreadPool), with the same error routing.
    """

    known_error = Signal(object)  # Message
    bug = Signal(object)  # BugReport
    busy_changed = Signal(bool)

    _finished = Signal(object)  # internal: (token, ok, value) from a worker thread, queued to the GUI thread

    def __init__(self, *, synchronous: bool = False, net_workers: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._synchronous = synchronous
        self._collecting = False
        if not synchronous:
            collector.install()  # worker threads from here on: the collector must not run in them
            self._collecting = True
        self._db = None if synchronous else ThreadPoolExecutor(max_workers=1, thread_name_prefix="lapor-db")
        self._net = None if synchronous else ThreadPoolExecutor(max_workers=net_workers,
                                                               thread_name_prefix="lapor-net")
        self._pending: dict[int, _Callbacks] = {}
        self._tokens = itertools.count(1)
        self._lock = threading.Lock()
        self._closed = False
        # Always through the event loop, also when the work is done before ``add_done_callback`` is reached (then
        # the callback runs on the GUI thread at once): a result is never delivered inside ``db()``/``net()``.
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    # ---- public API ------------------------------------------------------------------------------------------

    def db(self, fn: Callable[..., Any], *args: Any, on_success: Success | None = None,
           on_failure: Failure | None = None, on_done: Done | None = None, owner: QObject | None = None,
           **kwargs: Any) -> None:
        """Run ``fn(*args, **kwargs)`` on the database thread (one at a time, in order of submission)."""
        self._submit(self._db, fn, args, kwargs, (on_success, on_failure, on_done, owner))

    def net(self, fn: Callable[..., Any], *args: Any, on_success: Success | None = None,
            on_failure: Failure | None = None, on_done: Done | None = None, owner: QObject | None = None,
            **kwargs: Any) -> None:
        """Run ``fn(*args, **kwargs)`` on the network pool."""
        self._submit(self._net, fn, args, kwargs, (on_success, on_failure, on_done, owner))

    @property
    def busy(self) -> bool:
        with self._lock:
            return bool(self._pending)

    def shutdown(self, wait: bool = True) -> None:
        """Stop accepting work; finish (or, with ``wait=False``, abandon) what is queued."""
        self._closed = True
        for pool in (self._db, self._net):
            if pool is not None:
                pool.shutdown(wait=wait, cancel_futures=not wait)
        if self._collecting and wait:  # its threads are gone (abandoned ones may still run: the GUI thread collects)
            self._collecting = False
            collector.release()

    # ---- internals -------------------------------------------------------------------------------------------

    def _submit(self, pool: ThreadPoolExecutor | None, fn: Callable[..., Any], args: tuple[Any, ...],
                kwargs: dict[str, Any], callbacks: _Callbacks) -> None:
        if self._closed:
            return
        token = next(self._tokens)
        with self._lock:
            was_idle = not self._pending
            self._pending[token] = callbacks
        if was_idle:
            self.busy_changed.emit(True)
        if pool is None:
            try:
                value = fn(*args, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - routed to on_failure / known_error / bug
                self._deliver((token, False, exc))
            else:
                self._deliver((token, True, value))
            return
        future = pool.submit(fn, *args, **kwargs)
        future.add_done_callback(lambda f: self._emit_done(token, f))

    def _emit_done(self, token: int, future: Future[Any]) -> None:
        if future.cancelled():
            with self._lock:
                self._pending.pop(token, None)
            return
        exc = future.exception()
        payload = (token, False, exc) if exc is not None else (token, True, future.result())
        if shiboken6.isValid(self):
            self._finished.emit(payload)

    @Slot(object)
    def _deliver(self, payload: tuple[int, bool, Any]) -> None:
        token, ok, value = payload
        with self._lock:
            entry = self._pending.pop(token, None)
            now_idle = not self._pending
        if now_idle:
            self.busy_changed.emit(False)
        if entry is None:
            return
        on_success, on_failure, on_done, owner = entry
        if owner is not None and not shiboken6.isValid(owner):
            return  # the widget that asked is gone
        try:
            if not ok:
                self._route_failure(value, on_failure)
            elif on_success is not None:
                try:
                    on_success(value)
                except Exception as exc:  # a bug in the callback itself
                    self._route_failure(exc, None)
        finally:
            if on_done is not None:
                try:
                    on_done()
                except Exception as exc:  # noqa: BLE001 - a bug in the callback itself
                    self._route_failure(exc, None)

    def _route_failure(self, exc: BaseException, on_failure: Failure | None) -> None:
        if is_known_error(exc):
            if on_failure is not None:
                try:
                    on_failure(exc)
                except Exception as bug:  # noqa: BLE001 - a bug in the callback itself
                    self._route_failure(bug, None)
            else:
                self.known_error.emit(known_error_message(exc))
            return
        report = bug_report(exc)
        log.error("unexpected error in background work: %s", report.summary, exc_info=exc)
        self.bug.emit(report)
