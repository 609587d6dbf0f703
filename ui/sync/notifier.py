"""Notifications: new complaints brought by a sync, and (once a day) complaints whose deadline falls tomorrow (by
the server's time as this PC knows it: app.timeutil.server_now).

A system tray message when the desktop has a tray, otherwise the ``notify`` signal, which the main window shows
in a :class:`NotificationBanner` in its toolbar. Counts only: no names, titles or complaint text.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from PySide6.QtCore import QByteArray, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QSystemTrayIcon,
    QToolButton,
    QWidget,
)

from app.domain import DeadlineState
from app.read import queries
from app.rules.scope import Scope
from app.services.context import ServiceContext
from app.timeutil import server_now, zone
from ui.sync.controller import SyncController
from ui.widgets.elided_label import ElidedLabel
from ui.workspace import Workspace

DEADLINE_CHECK_MS = 60 * 60 * 1000  # hourly: notices a new day, at most one deadline notice a day
DEADLINE_DAY_KEY = "notifier/deadline_notice_day"


def due_tomorrow_count(ctx: ServiceContext, scope: Scope) -> int:
    """Open complaints within ``scope`` (a liaison: their unit's; IT: none) whose next deadline falls on tomorrow's
    calendar day in the office's zone (database thread)."""
    with ctx.store.read() as session:
        tz = zone(ctx.office_tz(session, scope.office_id))
        tomorrow = server_now(session, ctx.clock()).astimezone(tz).date() + timedelta(days=1)
        start = datetime.combine(tomorrow, time.min, tz)
        flt = queries.ComplaintFilter(deadline_state=DeadlineState.DUE_SOON)
        # DUE_SOON is "from `now` to `now + due_soon`": seen from tomorrow's midnight, that is tomorrow.
        return queries.count(session, scope, flt, now=start, due_soon=timedelta(days=1, microseconds=-1))


def today_key(ctx: ServiceContext, office_id: str) -> str:
    with ctx.store.read() as session:  # primary-key reads: the office row, the clock skew
        tz = zone(ctx.office_tz(session, office_id))
        now = server_now(session, ctx.clock())
    return now.astimezone(tz).date().isoformat()


class Notifier(QObject):
    """Listens to the controller; checks deadlines at start and then hourly (call :meth:`start`)."""

    notify = Signal(str, str)  # title, text: for the in-window banner when there is no system tray

    def __init__(self, ws: Workspace, controller: SyncController, parent: QObject | None = None, *,
                 tray: QSystemTrayIcon | None = None, use_tray: bool | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._tray = tray
        self._use_tray = QSystemTrayIcon.isSystemTrayAvailable() if use_tray is None else use_tray
        self._timer = QTimer(self)
        self._timer.setInterval(DEADLINE_CHECK_MS)
        self._timer.timeout.connect(self.check_deadlines)
        self._controller = controller
        self._upgrade_told = False  # once per run: automatic syncs every few minutes would repeat it
        controller.finished.connect(self._on_sync_finished)

    def start(self, *, check_now: bool = True) -> None:
        self._timer.start()
        if check_now:
            self.check_deadlines()

    def stop(self) -> None:
        self._timer.stop()

    def check_deadlines(self) -> None:
        """Tell once a day how many complaints within the user's scope are due tomorrow (a liaison: their unit's)."""
        day = today_key(self._ws.services, self._ws.office_id)
        if self._noticed_day() == day:
            return
        self._ws.tasks.db(due_tomorrow_count, self._ws.services, Scope.of(self._ws.user),
                          on_success=lambda n: self._deadline_counted(day, n), owner=self)

    def show_message(self, title: str, text: str) -> None:
        if self._use_tray:
            tray = self._tray_icon()
            if tray is not None:
                tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 15000)
                return
        self.notify.emit(title, text)

    # ---- internals -------------------------------------------------------------------------------------------

    def _on_sync_finished(self, result: object) -> None:
        from sync.engine import SyncReport  # loaded by the sync that just finished

        error = self._controller.last_error
        if self._controller.upgrade_required and error is not None and not self._upgrade_told:
            self._upgrade_told = True
            self.show_message(self.tr("Update needed"), error.text(self._ws.lang))
        if isinstance(result, SyncReport) and result.new_complaint_ids:
            n = len(result.new_complaint_ids)
            self.show_message(self.tr("New complaints"),
                              self.tr("%n new complaint(s) arrived from the server.", "", n))

    def _deadline_counted(self, day: str, n: int) -> None:
        if self._noticed_day() == day:
            return
        self._ws.window_state.save(DEADLINE_DAY_KEY, QByteArray(day.encode()))
        if n > 0:
            self.show_message(self.tr("Deadlines tomorrow"),
                              self.tr("%n complaint(s) reach their deadline tomorrow.", "", n))

    def _noticed_day(self) -> str:
        raw = self._ws.window_state.load(DEADLINE_DAY_KEY)
        return bytes(raw.data()).decode() if raw is not None else ""

    def _tray_icon(self) -> QSystemTrayIcon | None:
        if self._tray is None:
            app = QGuiApplication.instance()
            icon = QApplication.windowIcon() if app is not None else None
            if icon is None or icon.isNull():
                return None  # a tray entry needs an icon
            self._tray = QSystemTrayIcon(icon, self)
        if not self._tray.isVisible():
            self._tray.show()
        return self._tray


class NotificationBanner(QFrame):
    """A calm, non-modal notice on one line: icon, title, text (elided, whole in the tooltip) and a close button
    (Esc closes it). The main window keeps it in its toolbar, where its room is kept while it is hidden, so that
    showing and hiding it never moves what is under the pointer."""

    def __init__(self, parent: QWidget | None = None, *, timeout_ms: int = 20000) -> None:
        super().__init__(parent)
        self.setObjectName("NotificationBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#NotificationBanner { background: #e8f1fb; border: 1px solid #9bbfe6; "
                           "border-radius: 4px; } #NotificationBanner QLabel { color: #17324d; }")
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setRetainSizeWhenHidden(True)  # its room is kept: nothing beside or under it moves
        self.setSizePolicy(policy)
        self.setAccessibleName(self.tr("Notification"))
        icon = QLabel(self)
        size = self.fontMetrics().height()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(size, size))
        self._title = QLabel(self)
        font = self._title.font()
        font.setBold(True)
        self._title.setFont(font)
        self._text = ElidedLabel(self)
        close = QToolButton(self)
        close.setText(self.tr("Close"))
        close.setToolTip(self.tr("Close this notification (Esc)"))
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self,
                             context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.hide)
        layout = QHBoxLayout(self)
        margin = self.fontMetrics().averageCharWidth()
        layout.setContentsMargins(margin, 0, 0, 0)
        layout.addWidget(icon)
        layout.addWidget(self._title)
        layout.addWidget(self._text, 1)
        layout.addWidget(close)
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.timeout.connect(self.hide)
        self._timeout_ms = timeout_ms
        self.hide()

    def show_message(self, title: str, text: str) -> None:
        self._title.setText(title)
        self._text.set_full_text(text)
        self.setToolTip(f"{title}: {text}")
        self.setAccessibleDescription(f"{title}: {text}")
        self.show()
        if self._timeout_ms > 0:
            self._hide_timer.start(self._timeout_ms)

    def title(self) -> str:
        return self._title.text()

    def text(self) -> str:
        return self._text.full_text()
