"""Runs the sync engine in the background for the window: one sync at a time on the network pool, "Sync now",
automatic sync every N minutes (backing off while the server cannot be reached), progress on the GUI thread,
change notifications on the hub and a short in-memory sync log.

The engine does its own short database transactions, so the whole run happens on the network pool; only the
results (plain dataclasses) come back to the GUI thread. The engine's modules (its HTTP client, the wire
protocol) are imported by the first sync, on the worker thread, not when the window opens.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app.config import Paths
from app.errors import Message
from app.machine_config import AUTO_SYNC_MINUTES as AUTO_SYNC
from app.services.context import ServiceContext
from app.store import meta
from app.store.db import Store
from app.timeutil import utcnow
from sync import state
from sync.state import SyncStatus, read_status
from ui import operations
from ui.settings import effective_config
from ui.tasks import bug_report, is_known_error, known_error_message
from ui.workspace import Workspace

if TYPE_CHECKING:
    from sync.engine import SyncReport

log = logging.getLogger(__name__)

EngineFactory = Callable[..., Any]  # build_engine(store, paths, *, cancel, progress, ctx) -> has run_once()
LOG_SIZE = 200
MAX_BACKOFF_MS = 60 * 60 * 1000
STATUS_DEBOUNCE_MS = 300


def upgrade_message(server_said: Message) -> Message:
    """What the person at the PC is told when the server answers that this version is too old (426,
    ``upgrade_required``): who can fix it, and that their work is safe. The server's own words follow for IT."""
    from app import __version__

    return Message(
        f"Versi LAPOR Desk ini ({__version__}) terlalu lama untuk server; minta TI memasang versi terbaru. "
        f"Perubahan di PC ini tetap aman dan tetap dikirim. Server: {server_said.id}",
        f"This LAPOR Desk ({__version__}) is too old for the server; ask IT to install the latest version. "
        f"Changes on this PC are safe and are still sent. The server said: {server_said.en}")


class ConnectionState(StrEnum):
    UNKNOWN = "unknown"  # not tried since the window opened
    SYNCING = "syncing"
    ONLINE = "online"
    OFFLINE = "offline"  # the server could not be reached: changes wait on this PC
    ERROR = "error"  # the server answered but the sync failed (certificate, token, version, refusal, bug)


@dataclass(frozen=True)
class SyncLogEntry:
    at: datetime  # UTC
    result: str  # "ok", "offline", "error", "cancelled"
    pushed: int
    pulled: int
    bytes: int
    message: str


@dataclass(frozen=True)
class SyncOutcome:
    """What one attempt ended with, gathered on the worker thread."""

    result: SyncReport | BaseException
    status: SyncStatus | None
    conflicts_changed: bool
    reference_changed: bool


def _snapshot(store: Store) -> tuple[str | None, SyncStatus]:
    with store.read() as session:
        return meta.get(session, state.REFERENCE_VERSION), read_status(session)


def read_sync_status(store: Store) -> SyncStatus:
    """The store's sync status (run on the database thread)."""
    with store.read() as session:
        return read_status(session)


def build_engine(*args: Any, **kwargs: Any) -> Any:
    """sync.session.build_engine, imported on first use (on the network pool's thread)."""
    from sync.session import build_engine as build

    return build(*args, **kwargs)


def changed_by_sync(result: object) -> list[str] | None:
    """What a sync's outcome says changed: many complaints when it brought or corrected any, and when it was cut
    short (pages committed before the cut stay); nothing when it changed nothing or never reached the server."""
    from sync.engine import SyncReport
    from sync.transport import ServerUnreachable

    if isinstance(result, SyncReport):
        touched = (result.pulled_complaints or result.pulled_events or result.removed or result.merged
                   or result.rejected or result.era_changed)
        return operations.MANY if touched else None
    return None if isinstance(result, ServerUnreachable) else operations.MANY


def run_sync(factory: EngineFactory, store: Store, paths: Paths, ctx: ServiceContext,
             cancel: threading.Event, progress: Callable[[str, int, int, int], None]) -> SyncOutcome:
    """One sync on the calling (worker) thread; every exception comes back as data for the GUI thread to sort."""
    try:
        before: tuple[str | None, SyncStatus] | None = _snapshot(store)
    except Exception:  # noqa: BLE001 - the sync itself will report what is wrong with the store
        before = None
    result: SyncReport | BaseException
    try:
        engine = factory(store, paths, cancel=cancel, progress=progress, ctx=ctx)
        try:
            result = engine.run_once()
        finally:
            transport = getattr(engine, "transport", None)
            if transport is not None and hasattr(transport, "close"):
                transport.close()
    except Exception as exc:  # noqa: BLE001 - Cancelled, SyncError and bugs alike: sorted on the GUI thread
        result = exc
    try:
        after = _snapshot(store)
    except Exception:  # noqa: BLE001
        return SyncOutcome(result, None, False, False)
    from sync.engine import SyncReport

    conflicts = before is None or before[1].open_conflicts != after[1].open_conflicts or (
        isinstance(result, SyncReport) and result.conflicts > 0)
    reference = before is None or before[0] != after[0]
    return SyncOutcome(result, after[1], conflicts, reference)


class SyncController(QObject):
    """One per logged-in window (``ws.extras["sync"]``); widgets listen to its signals."""

    started = Signal()
    progress = Signal(str, int, int, int)  # phase, done, total, bytes on the wire so far
    finished = Signal(object)  # SyncReport, or the exception (ServerUnreachable, SyncError, Cancelled, a bug)
    status_changed = Signal(object)  # SyncStatus
    state_changed = Signal(str)  # ConnectionState
    log_added = Signal(object)  # SyncLogEntry

    _worker_progress = Signal(str, int, int, int)  # emitted on the worker thread; queued to the GUI thread

    def __init__(self, ws: Workspace, parent: QObject | None = None, *, engine_factory: EngineFactory = build_engine,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._ws = ws
        self._factory = engine_factory
        self._clock = clock
        self._cancel: threading.Event | None = None
        self._state = ConnectionState.UNKNOWN
        self._error: Message | None = None
        self._upgrade_required = False
        self._status: SyncStatus | None = None
        self._log: deque[SyncLogEntry] = deque(maxlen=LOG_SIZE)
        self._failures = 0
        self._retry_at = 0.0
        self._attempt_started = 0.0
        self._interval_ms = 0
        self._last_bytes = 0
        with ws.store.read() as session:  # a primary-key read: is this store enrolled?
            self._configured = meta.get(session, state.CLIENT_ID) is not None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.auto_tick)
        self._first = QTimer(self)
        self._first.setSingleShot(True)
        self._first.timeout.connect(self.auto_tick)
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(STATUS_DEBOUNCE_MS)
        self._status_timer.timeout.connect(self.refresh_status)
        self._worker_progress.connect(self._on_worker_progress)
        ws.hub.complaints_changed.connect(self._schedule_status)
        ws.hub.conflicts_changed.connect(self._schedule_status)

    # ---- state -----------------------------------------------------------------------------------------------

    @property
    def configured(self) -> bool:
        """The store is enrolled with a server (otherwise the window works locally only)."""
        return self._configured

    @property
    def running(self) -> bool:
        return self._cancel is not None

    @property
    def state(self) -> ConnectionState:
        return self._state

    @property
    def last_error(self) -> Message | None:
        """The message of the last failed attempt (None after a success or while offline)."""
        return self._error

    @property
    def upgrade_required(self) -> bool:
        """The last attempt was refused because this version is too old for the server (see :attr:`last_error`)."""
        return self._upgrade_required

    @property
    def status(self) -> SyncStatus | None:
        return self._status

    @property
    def auto_interval_ms(self) -> int:
        """0 when automatic sync is off."""
        return self._interval_ms if self._timer.isActive() else 0

    def log_entries(self) -> list[SyncLogEntry]:
        """Oldest first."""
        return list(self._log)

    # ---- actions ---------------------------------------------------------------------------------------------

    def sync_now(self) -> bool:
        """Start a sync unless one is running (or the store is not enrolled); True if one started."""
        if self.running or not self._configured:
            return False
        cancel = threading.Event()
        self._cancel = cancel
        self._attempt_started = self._clock()
        self._last_bytes = 0
        self._set_state(ConnectionState.SYNCING)
        self.started.emit()
        log.info("sync started")
        ws = self._ws
        ws.tasks.net(run_sync, self._factory, ws.store, ws.paths, ws.services, cancel, self._progress_from_worker,
                     on_success=self._on_outcome, owner=self)
        return True

    def cancel(self) -> None:
        """Ask a running sync to stop at its next step (what was done so far is kept)."""
        if self._cancel is not None:
            self._cancel.set()

    def start_auto(self, interval_ms: int | None = None, *, first_after_ms: int = 5000) -> None:
        """Sync every ``interval_ms`` (default: auto_sync_minutes as configured, the person's setting or
        lapor-desk.toml's; 0 = off), the first time after ``first_after_ms`` (negative: wait a full interval)."""
        self.stop_auto()
        if not self._configured:
            return
        if interval_ms is None:
            interval_ms = max(0, effective_config(self._ws.settings).number(AUTO_SYNC)) * 60_000
        if interval_ms <= 0:
            return
        self._interval_ms = interval_ms
        self._timer.start(interval_ms)
        if first_after_ms >= 0:
            self._first.start(first_after_ms)

    def stop_auto(self) -> None:
        self._timer.stop()
        self._first.stop()

    def stop(self) -> None:
        """Stop automatic sync and ask a running sync to stop (the window is closing)."""
        self.stop_auto()
        self._status_timer.stop()
        self.cancel()

    def refresh_status(self) -> None:
        """Read the pending count, conflicts and last success again (database thread) and tell the widgets."""
        self._ws.tasks.db(read_sync_status, self._ws.store, on_success=self._on_status, owner=self)

    # ---- internals -------------------------------------------------------------------------------------------

    def _schedule_status(self, *_args: object) -> None:
        if not self.running:  # a sync in progress ends with a fresh status anyway
            self._status_timer.start()

    def _progress_from_worker(self, phase: str, done: int, total: int, nbytes: int) -> None:
        if shiboken6.isValid(self):
            self._worker_progress.emit(phase, done, total, nbytes)

    @Slot(str, int, int, int)
    def _on_worker_progress(self, phase: str, done: int, total: int, nbytes: int) -> None:
        self._last_bytes = nbytes
        self.progress.emit(phase, done, total, nbytes)

    def auto_tick(self) -> None:
        """What the automatic timer does: sync, unless one runs or the server was unreachable too recently."""
        if self.running or self._clock() < self._retry_at:
            return
        self.sync_now()

    def _set_state(self, new: ConnectionState) -> None:
        if new != self._state:
            self._state = new
            self.state_changed.emit(str(new))

    def _on_status(self, status: SyncStatus) -> None:
        self._status = status
        self._configured = status.enrolled
        self.status_changed.emit(status)
        self._ws.hub.sync_state_changed.emit(status)

    def _on_outcome(self, outcome: SyncOutcome) -> None:
        from sync.engine import SyncReport

        self._cancel = None
        result = outcome.result
        hub = self._ws.hub
        if isinstance(result, SyncReport):
            self._succeeded(result)
        else:
            self._failed(result)
        if outcome.status is not None:
            self._status = outcome.status
            self._configured = outcome.status.enrolled
        operations.announce(hub, changed_by_sync(result))
        if outcome.conflicts_changed:
            hub.conflicts_changed.emit()
        if outcome.reference_changed:
            hub.reference_changed.emit()
        self._status_timer.stop()  # the status below is fresh
        self.finished.emit(result)
        if outcome.status is not None:
            self.status_changed.emit(outcome.status)
            hub.sync_state_changed.emit(outcome.status)

    def _succeeded(self, report: SyncReport) -> None:
        self._failures = 0
        self._retry_at = 0.0
        self._error = None
        self._upgrade_required = False
        self._set_state(ConnectionState.ONLINE)
        log.info("sync done: pushed=%d conflicts=%d rejected=%d pulled=%d events=%d removed=%d up=%d down=%d "
                 "bytes=%d", report.pushed, report.conflicts, len(report.rejected), report.pulled_complaints,
                 report.pulled_events, report.removed, report.uploaded, report.downloaded,
                 report.bytes_sent + report.bytes_received)
        self._add_log("ok", report.pushed, report.pulled_complaints, report.bytes_sent + report.bytes_received,
                      self._summary(report))

    def _failed(self, exc: BaseException) -> None:
        from sync.engine import Cancelled
        from sync.transport import ServerUnreachable, UpgradeRequired

        nbytes = self._last_bytes
        self._upgrade_required = isinstance(exc, UpgradeRequired)
        if isinstance(exc, Cancelled):
            log.info("sync cancelled")
            self._set_state(ConnectionState.UNKNOWN if self._state == ConnectionState.SYNCING else self._state)
            self._add_log("cancelled", 0, 0, nbytes, self.tr("Stopped; what was exchanged so far is kept."))
            return
        if isinstance(exc, ServerUnreachable):
            self._failures += 1
            backoff = min(self._interval_ms * 2 ** (self._failures - 1), MAX_BACKOFF_MS)
            self._retry_at = self._attempt_started + (backoff - self._interval_ms / 2) / 1000
            self._error = None
            self._set_state(ConnectionState.OFFLINE)
            log.info("sync: server unreachable (attempt %d in a row)", self._failures)
            self._add_log("offline", 0, 0, nbytes, exc.message.text(self._ws.lang))
            return
        if isinstance(exc, UpgradeRequired):  # pushes still went; pulls wait for the new version
            message = upgrade_message(exc.message)
            log.warning("sync: the server asks for a newer LAPOR Desk (426)")
        elif is_known_error(exc):
            message = known_error_message(exc)
            log.warning("sync failed: %s %s", type(exc).__name__, getattr(exc, "code", ""))
        else:
            self._ws.tasks.bug.emit(bug_report(exc))
            log.error("sync failed with an unexpected error", exc_info=exc)
            message = Message("Sinkronisasi gagal karena kesalahan program. Detailnya ada di laporan kesalahan.",
                              "Sync failed because of a program error. The error report has the details.")
        self._error = message
        self._set_state(ConnectionState.ERROR)
        self._add_log("error", 0, 0, nbytes, message.text(self._ws.lang))

    def _summary(self, report: SyncReport) -> str:
        parts = []
        if report.new_complaint_ids:
            parts.append(self.tr("%n new complaint(s)", "", len(report.new_complaint_ids)))
        if report.conflicts:
            parts.append(self.tr("%n conflict(s) to review", "", report.conflicts))
        if report.rejected:
            parts.append(self.tr("%n change(s) refused by the server", "", len(report.rejected)))
        if report.uploaded or report.downloaded:
            parts.append(self.tr("%n file(s) exchanged", "", report.uploaded + report.downloaded))
        return "; ".join(parts)

    def _add_log(self, result: str, pushed: int, pulled: int, nbytes: int, message: str) -> None:
        entry = SyncLogEntry(utcnow(), result, pushed, pulled, nbytes, message)
        self._log.append(entry)
        self.log_added.emit(entry)
